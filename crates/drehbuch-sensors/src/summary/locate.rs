//! Where a value of a summary stands in its file: the JSON path of a
//! value (`sensors[3].years[0].year`) followed through the text to its
//! line and column, for errors that point at it.

/// One step of a JSON path: an object's key or an array's index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Step {
    Key(&'static str),
    Index(usize),
}

/// A value of a summary that is out of range: the JSON path to it
/// (`sensors[3].years[0].year`), where it stands in the file, and what
/// is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidValue {
    /// Path from the top of the document, as `a.b[3].c`.
    pub json_path: String,
    /// Byte offset of the value in the file.
    pub offset: usize,
    /// 1-based line of the value.
    pub line: usize,
    /// 1-based column of the value, in characters.
    pub col: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl InvalidValue {
    /// The problem `message` at the value `path` leads to in `text` (the
    /// start of the file if the path cannot be followed).
    pub(crate) fn at(text: &[u8], path: &[Step], message: String) -> InvalidValue {
        let offset = locate(text, path).unwrap_or(0);
        let before = &text[..offset];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        InvalidValue {
            json_path: json_path(path),
            offset,
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            col,
            message,
        }
    }
}

/// `path` as written in messages: `sensors[3].years[0].year`.
pub(crate) fn json_path(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The byte offset of the value `path` leads to in the JSON `text` (which
/// serde_json has read already, so it is well formed), found by skipping
/// over everything else; the summary types keep no positions.
fn locate(text: &[u8], path: &[Step]) -> Option<usize> {
    let mut json = JsonCursor { text, at: 0 };
    json.space();
    for step in path {
        match *step {
            Step::Key(key) => {
                json.expect(b'{')?;
                loop {
                    json.space();
                    let name = json.string()?;
                    json.space();
                    json.expect(b':')?;
                    json.space();
                    if name == key.as_bytes() {
                        break;
                    }
                    json.skip_value()?;
                    json.space();
                    json.expect(b',')?;
                }
            }
            Step::Index(index) => {
                json.expect(b'[')?;
                for _ in 0..index {
                    json.space();
                    json.skip_value()?;
                    json.space();
                    json.expect(b',')?;
                }
                json.space();
            }
        }
    }
    Some(json.at)
}

/// A position in well-formed JSON text, for [`locate`].
struct JsonCursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> JsonCursor<'a> {
    fn space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.text.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    /// A string's raw bytes between its quotes (escapes left as they are).
    fn string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.at;
        loop {
            match self.text.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => break,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        self.text.get(start..self.at - 1)
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.text.get(self.at)? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if *open == b'{' { b'}' } else { b']' };
                self.at += 1;
                self.space();
                if self.expect(close).is_some() {
                    return Some(());
                }
                loop {
                    self.space();
                    if close == b'}' {
                        self.string()?;
                        self.space();
                        self.expect(b':')?;
                        self.space();
                    }
                    self.skip_value()?;
                    self.space();
                    if self.expect(close).is_some() {
                        return Some(());
                    }
                    self.expect(b',')?;
                }
            }
            _ => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                {
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_follows_keys_and_indexes_past_strings_and_nesting() {
        let text =
            br#"{ "a": {"x\"}": [1, {"b": "]"}], "y": [ [1,2] , [3, "q", -4.5e3 ] ] }, "z":true }"#;
        let at = |path: &[Step]| locate(text, path).map(|i| &text[i..i + 4]);
        assert_eq!(at(&[Step::Key("z")]), Some(&b"true"[..]));
        assert_eq!(
            at(&[
                Step::Key("a"),
                Step::Key("y"),
                Step::Index(1),
                Step::Index(2)
            ]),
            Some(&b"-4.5"[..])
        );
        assert_eq!(
            at(&[
                Step::Key("a"),
                Step::Key("y"),
                Step::Index(1),
                Step::Index(1)
            ]),
            Some(&b"\"q\","[..])
        );
        assert_eq!(locate(text, &[Step::Key("missing")]), None);
        let invalid = InvalidValue::at(
            "{\n  \"a\": 1,\n  \"b\": [\"ä\", 7]\n}".as_bytes(),
            &[Step::Key("b"), Step::Index(1)],
            "bad".into(),
        );
        assert_eq!(
            (invalid.json_path.as_str(), invalid.line, invalid.col),
            ("b[1]", 3, 14)
        );
    }
}
