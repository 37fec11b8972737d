//! YAML with locations: parses a YAML block of a [`SourceFile`] into a
//! mapping and remembers where each top-level key stands, so later checks
//! (unknown keys, wrong types) can point at the right line.

use std::collections::HashMap;
use std::ops::Range;

use yaml_serde::{Mapping, Value};

use crate::diagnostics::{Diagnostic, SourceFile};

/// A parsed top-level YAML mapping plus the byte range of each key.
#[derive(Debug, Default)]
pub struct LocatedMapping {
    /// The parsed values.
    pub mapping: Mapping,
    /// Where each top-level key stands in the source file.
    pub key_spans: HashMap<String, Range<usize>>,
    /// The whole YAML block, for errors that belong to no key.
    pub block: Range<usize>,
}

impl LocatedMapping {
    /// Byte range of a key, or of the block's start when it is not found.
    pub fn span_of(&self, key: &str) -> Range<usize> {
        self.key_spans
            .get(key)
            .cloned()
            .unwrap_or(self.block.start..self.block.start)
    }

    /// Byte range of the value after `key:` on its line (for type errors).
    pub fn value_span(&self, file: &SourceFile, key: &str) -> Range<usize> {
        let key_span = self.span_of(key);
        let line_end = file.text[key_span.end..]
            .find(['\n', '\r'])
            .map(|i| key_span.end + i)
            .unwrap_or(file.text.len());
        let rest = &file.text[key_span.end..line_end];
        let after_colon = rest.find(':').map(|i| i + 1).unwrap_or(0);
        let value = &rest[after_colon..];
        let lead = value.len() - value.trim_start().len();
        let start = key_span.end + after_colon + lead;
        let end = key_span.end + after_colon + value.trim_end().len();
        if end > start { start..end } else { key_span }
    }
}

/// Parses `file.text[block]` as a YAML mapping. An empty block is an empty
/// mapping; anything that is not a mapping is an error at the block's start.
pub fn parse_mapping(file: &SourceFile, block: Range<usize>) -> Result<LocatedMapping, Diagnostic> {
    let text = &file.text[block.clone()];
    if text.trim().is_empty() {
        return Ok(LocatedMapping {
            block,
            ..LocatedMapping::default()
        });
    }
    if let Err(offset) = check_nesting(text) {
        return Err(too_deep(file, block.start + offset));
    }
    let value: Value = yaml_serde::from_str(text).map_err(|e| yaml_error(file, block.start, &e))?;
    let mapping = match value {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        _ => {
            return Err(file
                .error(block.start..block.start, "expected `key: value` lines here")
                .with_help("YAML front matter and site.yaml hold a mapping of keys to values"));
        }
    };
    Ok(LocatedMapping {
        mapping,
        key_spans: top_level_key_spans(&file.text, block.clone()),
        block,
    })
}

/// A YAML parse error as a diagnostic at the right place of the file.
pub fn yaml_error(file: &SourceFile, block_start: usize, error: &yaml_serde::Error) -> Diagnostic {
    let offset = error
        .location()
        .map(|l| block_start + l.index())
        .unwrap_or(block_start);
    let mut message = error.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    // The parser points at the mapping that holds a duplicate key; the
    // reader needs the second `key:` itself.
    const DUPLICATE: &str = "duplicate entry with key \"";
    if let Some(key) = message
        .find(DUPLICATE)
        .map(|i| &message[i + DUPLICATE.len()..])
        .and_then(|rest| rest.strip_suffix('"'))
        && let Some(at) = second_key(&file.text, offset, key)
    {
        return file
            .error(
                at..at + key.len(),
                format!("invalid YAML: the key `{key}` appears a second time"),
            )
            .with_kind("yaml")
            .with_help(format!(
                "each key may appear once in a mapping; remove or rename this `{key}`"
            ));
    }
    // A quote left open runs to the end of the block; the reader needs the
    // line where it was opened.
    if message.contains("end of stream")
        && let Some(at) = file
            .text
            .get(block_start..offset.max(block_start))
            .or_else(|| file.text.get(block_start..))
            .and_then(unclosed_quote)
    {
        let at = block_start + at;
        return file
            .error(at..at + 1, "invalid YAML: this quote is never closed")
            .with_kind("yaml")
            .with_help("end the value with the same quote on this line, or remove the quote");
    }
    let help = if message.contains("repetition limit") || message.contains("recursion limit") {
        "aliases (`*name`) expand to too much here; write the values out instead"
    } else {
        "check indentation, colons and quotes; values containing `: ` or starting with `{`, `[`, `@` or `*` need quotes"
    };
    file.error(offset..offset, format!("invalid YAML: {message}"))
        .with_kind("yaml")
        .with_help(help)
}

/// The offset of the first quote in `text` that opens a value (after
/// `key: ` or `- `) and is not closed on its line.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let value_start = content.find(": ").map(|i| i + 2).or_else(|| {
            content
                .trim_start()
                .starts_with("- ")
                .then(|| content.find("- ").unwrap_or(0) + 2)
        });
        if let Some(start) = value_start {
            let value = &content[start..];
            let trimmed = value.trim_start();
            let lead = value.len() - trimmed.len();
            if let Some(q) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let rest = &trimmed[1..];
                let closed = if q == '"' {
                    // A closing quote not escaped by a backslash.
                    let mut escaped = false;
                    rest.chars().any(|c| {
                        let close = c == '"' && !escaped;
                        escaped = c == '\\' && !escaped;
                        close
                    })
                } else {
                    rest.contains('\'')
                };
                if !closed {
                    return Some(offset + start + lead);
                }
            }
        }
        offset += line.len();
    }
    None
}

/// The offset of the second line from `from` (the start of the mapping
/// the parser names) on that starts, after indentation, with `key:`.
fn second_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let mut offset = from;
    let mut seen = 0;
    for line in text.get(from..)?.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let unquoted = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_prefix(key))
            .and_then(|r| r.strip_prefix('"'))
            .or_else(|| rest.strip_prefix(key));
        if unquoted.is_some_and(|r| r.trim_start().starts_with(':')) {
            seen += 1;
            if seen == 2 {
                return Some(offset + indent);
            }
        }
        offset += line.len();
    }
    None
}

/// How deeply YAML inputs may nest (mappings, lists and flow collections
/// together). Real front matter and configuration use a handful of levels;
/// the limit exists because the YAML parser slows down quadratically on
/// absurd nesting (100,000 levels took minutes), so deeper input is refused
/// before it is parsed.
pub const MAX_NESTING: usize = 64;

/// The error for YAML nested deeper than [`MAX_NESTING`].
pub fn too_deep(file: &SourceFile, offset: usize) -> Diagnostic {
    file.error(
        offset..offset,
        format!("the YAML nests deeper than {MAX_NESTING} levels"),
    )
    .with_kind("yaml")
    .with_help("flatten the structure: no drehbuch setting needs this much nesting")
}

/// Checks that `text` nests at most [`MAX_NESTING`] levels deep; `Err`
/// holds the byte offset where the limit is passed. A linear scan that
/// over-approximates the depth: block indentation levels, `- ` entries,
/// and `{`/`[` where they open a flow collection (outside quotes,
/// comments and block scalars).
pub fn check_nesting(text: &str) -> Result<(), usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow: usize = 0;
    // Indentation of the line that opened a block scalar (`|`, `>`).
    let mut block_scalar: Option<usize> = None;
    // Open quote character of a quoted scalar continuing over lines.
    let mut quote: Option<u8> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if blank && quote.is_none() {
            continue;
        }
        let mut i = indent;
        if quote.is_none() && flow == 0 {
            if bytes[i..].starts_with(b"#") {
                continue;
            }
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
            // `- - - x` nests one level per dash.
            while i < bytes.len()
                && bytes[i] == b'-'
                && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
            {
                indents.push(i + 1);
                i += 2;
                while i < bytes.len() && bytes[i] == b' ' {
                    i += 1;
                }
            }
        }
        // Whether the next non-space character starts a value (where `{`
        // and `[` open a flow collection outside of flow context).
        let mut value_start = true;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(q) = quote {
                if q == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                }
                i += 1;
                continue;
            }
            let next_is_space = bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
            value_start = match b {
                b'"' | b'\'' if value_start || flow > 0 => {
                    quote = Some(b);
                    false
                }
                b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => break,
                b'{' | b'[' if value_start || flow > 0 => {
                    flow += 1;
                    if indents.len() + flow > MAX_NESTING {
                        return Err(line_start + i);
                    }
                    true
                }
                b'}' | b']' if flow > 0 => {
                    flow -= 1;
                    false
                }
                b'|' | b'>' if value_start && flow == 0 => {
                    block_scalar = Some(indent);
                    break;
                }
                b' ' | b'\t' => value_start,
                b':' | b'-' | b'?' => next_is_space,
                b',' => flow > 0,
                _ => false,
            };
            i += 1;
        }
        if indents.len() + flow > MAX_NESTING {
            return Err(line_start + indent);
        }
    }
    Ok(())
}

/// Finds `key:` at the start of lines (column 1) within `block`.
fn top_level_key_spans(text: &str, block: Range<usize>) -> HashMap<String, Range<usize>> {
    let mut spans = HashMap::new();
    let mut offset = block.start;
    for line in text[block.clone()].split_inclusive('\n') {
        let first = line.chars().next();
        if matches!(first, Some(c) if !c.is_whitespace() && c != '#' && c != '-')
            && let Some(colon) = line.find(':')
        {
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            spans
                .entry(key.to_string())
                .or_insert(offset..offset + colon);
        }
        offset += line.len();
    }
    spans
}

/// A YAML value's kind in words, for type errors.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Converts a YAML value to JSON for templates (keys become strings).
pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                serde_json::Value::from(i)
            } else if let Some(u) = n.as_u64() {
                serde_json::Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Mapping(map) => {
            serde_json::Value::Object(map.iter().map(|(k, v)| (key_text(k), to_json(v))).collect())
        }
        Value::Tagged(tagged) => to_json(&tagged.value),
    }
}

/// A mapping key as text (`1` → "1").
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let text = "title: \"unterminated\ncategory: heat\n";
        let file = SourceFile::new("a.md".into(), text.to_string());
        let error = parse_mapping(&file, 0..text.len()).unwrap_err();
        assert_eq!((error.line, error.col), (Some(1), Some(8)), "{error:?}");
        assert!(error.message.contains("never closed"), "{error:?}");
        assert_eq!(unclosed_quote("a: \"x \\\" y\"\nb: 'ok'\n"), None);
    }

    #[test]
    fn a_duplicate_key_is_reported_where_it_repeats() {
        let text =
            "title: A\nfields:\n  - name: a\n    type: string\n    name: b\n  - name: c\nbase: x\n";
        let file = SourceFile::new("site.yaml".into(), text.to_string());
        let error = parse_mapping(&file, 0..text.len()).unwrap_err();
        assert_eq!((error.line, error.col), (Some(5), Some(5)), "{error:?}");
        assert!(
            error.message.contains("`name` appears a second time"),
            "{error:?}"
        );
    }

    #[test]
    fn ordinary_yaml_passes_the_nesting_check() {
        for text in [
            "title: A {b} [c]\nfields:\n  - {name: a, type: list, allowed: [x, y]}\n  - name: b\n    labels: {x: {de: X}}\n",
            "description: |\n  {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\nnext: 1\n",
            "a: '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'\nb: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n",
            "a: x{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n",
            "# {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n",
        ] {
            assert_eq!(check_nesting(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_fast() {
        let flow = format!("a: {}1{}\n", "{a: ".repeat(100_000), "}".repeat(100_000));
        assert!(check_nesting(&flow).is_err());
        let lists = format!("x: {}\n", "[".repeat(65));
        assert!(check_nesting(&lists).is_err());
        let mut block = String::new();
        for level in 0..70 {
            block.push_str(&" ".repeat(level));
            block.push_str("a:\n");
        }
        assert!(check_nesting(&block).is_err());
        let dashes = format!("{}x\n", "- ".repeat(70));
        assert!(check_nesting(&dashes).is_err());
    }

    #[test]
    fn nesting_check_never_panics_on_mutations() {
        let seeds = [
            "a: {b: [c, 'd', \"e\\\"\"]}\n- - x\n  k: |\n    t\n",
            "'",
            "\"\\",
            "- ",
            "{#",
        ];
        let mut state: u64 = 0x2545f4914f6cdd1d;
        for seed in seeds {
            for _ in 0..3000 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let mut b = seed.as_bytes().to_vec();
                let i = (state as usize) % b.len();
                b[i] = b"{}[]-:#'\"\\ |>\n\ta"[(state >> 32) as usize % 16];
                if let Ok(s) = String::from_utf8(b) {
                    let _ = check_nesting(&s);
                }
            }
        }
    }
}
