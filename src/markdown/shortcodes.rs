//! Shortcodes: `{{ name(arg=value, …) }}` calls in Markdown, parsed by
//! drehbuch itself (never inside code spans or fenced code), with typed
//! arguments checked against the shortcode's declared signature.

use std::fmt;
use std::ops::Range;

/// A literal argument value.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ArgValue {
    /// `"text"` or `'text'`.
    String(String),
    /// `42`, `-3`.
    Integer(i64),
    /// `30.5`.
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
}

impl ArgValue {
    /// The type name used in error messages and signatures.
    pub fn type_name(&self) -> &'static str {
        match self {
            ArgValue::String(_) => "string",
            ArgValue::Integer(_) => "integer",
            ArgValue::Float(_) => "float",
            ArgValue::Bool(_) => "bool",
        }
    }
}

impl fmt::Display for ArgValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgValue::String(s) => write!(f, "{s:?}"),
            ArgValue::Integer(i) => write!(f, "{i}"),
            ArgValue::Float(x) => write!(f, "{x}"),
            ArgValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// The declared type of a shortcode argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgType {
    /// Text.
    String,
    /// Whole number.
    Integer,
    /// Any number (integers are accepted).
    Number,
    /// true/false.
    Bool,
}

impl ArgType {
    /// Whether a literal fits this type.
    pub fn accepts(self, value: &ArgValue) -> bool {
        matches!(
            (self, value),
            (ArgType::String, ArgValue::String(_))
                | (ArgType::Integer, ArgValue::Integer(_))
                | (ArgType::Number, ArgValue::Integer(_) | ArgValue::Float(_))
                | (ArgType::Bool, ArgValue::Bool(_))
        )
    }

    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            ArgType::String => "string",
            ArgType::Integer => "integer",
            ArgType::Number => "number",
            ArgType::Bool => "bool",
        }
    }
}

/// One declared argument.
#[derive(Clone, Debug)]
pub struct ArgSpec {
    /// Argument name.
    pub name: String,
    /// Its type; `None` accepts any literal.
    pub kind: Option<ArgType>,
    /// Whether the call must give it.
    pub required: bool,
}

/// What a shortcode accepts.
#[derive(Clone, Debug, Default)]
pub struct Signature {
    /// Declared arguments.
    pub args: Vec<ArgSpec>,
    /// Whether undeclared arguments are accepted too.
    pub open: bool,
}

/// A parsed call with where it stands in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct ShortcodeCall {
    /// Shortcode name.
    pub name: String,
    /// Arguments in call order.
    pub args: Vec<(String, ArgValue)>,
    /// Byte range of the whole `{{ … }}` in the body text.
    pub span: Range<usize>,
}

impl ShortcodeCall {
    /// The value of an argument, if given.
    pub fn arg(&self, name: &str) -> Option<&ArgValue> {
        self.args.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Checks the call against a signature; returns every problem.
    pub fn check(&self, signature: &Signature) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, value) in &self.args {
            match signature.args.iter().find(|a| &a.name == name) {
                Some(spec) => {
                    if let Some(kind) = spec.kind
                        && !kind.accepts(value)
                    {
                        problems.push(format!(
                            "argument `{name}` of `{}` must be {}, found {} {value}",
                            self.name,
                            kind.name(),
                            value.type_name()
                        ));
                    }
                }
                None if signature.open => {}
                None => {
                    let known: Vec<&str> = signature.args.iter().map(|a| a.name.as_str()).collect();
                    problems.push(format!(
                        "`{}` has no argument `{name}`{}",
                        self.name,
                        if known.is_empty() {
                            " (it takes none)".to_string()
                        } else {
                            format!(" (arguments: {})", known.join(", "))
                        }
                    ));
                }
            }
        }
        for spec in signature.args.iter().filter(|a| a.required) {
            if self.arg(&spec.name).is_none() {
                problems.push(format!(
                    "`{}` needs the argument `{}`",
                    self.name, spec.name
                ));
            }
        }
        problems
    }
}

/// A malformed call: where and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Finds shortcode calls in `text`, skipping the byte ranges in `code`
/// (sorted code spans and blocks). Returns the calls and malformed ones.
pub fn find_calls(text: &str, code: &[Range<usize>]) -> (Vec<ShortcodeCall>, Vec<SyntaxError>) {
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find("{{") {
        let start = search_from + found;
        // `code` is sorted by start and its ranges do not overlap: a
        // binary search, not a scan per `{{` (O(n²) on a page of code spans).
        let before = code.partition_point(|r| r.start <= start);
        if let Some(range) = before
            .checked_sub(1)
            .map(|i| &code[i])
            .filter(|r| r.contains(&start))
        {
            search_from = range.end.max(start + 2);
            continue;
        }
        match parse_call(text, start) {
            Ok(call) => {
                search_from = call.span.end;
                calls.push(call);
            }
            Err(error) => {
                errors.push(error);
                search_from = start + 2;
            }
        }
    }
    (calls, errors)
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let ok = if self.pos == start {
                c.is_ascii_alphabetic() || c == '_'
            } else {
                c.is_ascii_alphanumeric() || c == '_'
            };
            if !ok {
                break;
            }
            self.pos += 1;
        }
        (self.pos > start).then(|| self.text[start..self.pos].to_string())
    }

    fn value(&mut self) -> Result<ArgValue, SyntaxError> {
        match self.peek() {
            Some(quote @ ('"' | '\'')) => {
                self.pos += 1;
                let mut out = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error("this text argument has no closing quote")),
                        Some('\n') => {
                            return Err(
                                self.error("a text argument must end on the line it starts")
                            );
                        }
                        Some('\\') => {
                            self.pos += 1;
                            match self.peek() {
                                Some(c) => {
                                    out.push(c);
                                    self.pos += c.len_utf8();
                                }
                                None => {
                                    return Err(self.error("the text argument ends in a backslash"));
                                }
                            }
                        }
                        Some(c) if c == quote => {
                            self.pos += 1;
                            return Ok(ArgValue::String(out));
                        }
                        Some(c) => {
                            out.push(c);
                            self.pos += c.len_utf8();
                        }
                    }
                }
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit() || c == '.' || c == '_') {
                    self.pos += 1;
                }
                let literal = self.text[start..self.pos].replace('_', "");
                if let Ok(i) = literal.parse::<i64>() {
                    Ok(ArgValue::Integer(i))
                } else if let Ok(f) = literal.parse::<f64>() {
                    Ok(ArgValue::Float(f))
                } else {
                    Err(SyntaxError {
                        offset: start,
                        message: format!("`{literal}` is not a number"),
                    })
                }
            }
            _ => {
                let start = self.pos;
                match self.identifier().as_deref() {
                    Some("true") => Ok(ArgValue::Bool(true)),
                    Some("false") => Ok(ArgValue::Bool(false)),
                    Some(word) => Err(SyntaxError {
                        offset: start,
                        message: format!("`{word}` is not a value; put text in quotes: \"{word}\""),
                    }),
                    None => Err(self.error("expected a value: \"text\", a number, true or false")),
                }
            }
        }
    }
}

fn parse_call(text: &str, start: usize) -> Result<ShortcodeCall, SyntaxError> {
    let mut c = Cursor {
        text,
        pos: start + 2,
    };
    c.skip_space();
    let name = c
        .identifier()
        .ok_or_else(|| c.error("expected a shortcode name after `{{`"))?;
    c.skip_space();
    if !c.eat("(") {
        return Err(c.error(format!("expected `(` after the shortcode name `{name}`")));
    }
    let mut args: Vec<(String, ArgValue)> = Vec::new();
    loop {
        c.skip_space();
        if c.eat(")") {
            break;
        }
        let arg_start = c.pos;
        let arg = c
            .identifier()
            .ok_or_else(|| c.error("expected an argument name or `)`"))?;
        c.skip_space();
        if !c.eat("=") {
            return Err(c.error(format!("expected `=` after the argument name `{arg}`")));
        }
        c.skip_space();
        let value = c.value()?;
        if args.iter().any(|(n, _)| *n == arg) {
            return Err(SyntaxError {
                offset: arg_start,
                message: format!("the argument `{arg}` is given twice"),
            });
        }
        args.push((arg, value));
        c.skip_space();
        if c.eat(",") {
            continue;
        }
        if c.eat(")") {
            break;
        }
        return Err(c.error("expected `,` or `)` after an argument"));
    }
    c.skip_space();
    if !c.eat("}}") {
        return Err(c.error("expected `}}` to close the shortcode"));
    }
    Ok(ShortcodeCall {
        name,
        args,
        span: start..c.pos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_arguments() {
        let text = r#"A {{ hot_days(year=2021, sensor="DO-01", scale=1.5, all=true) }} B"#;
        let (calls, errors) = find_calls(text, &[]);
        assert!(errors.is_empty());
        assert_eq!(calls.len(), 1);
        let call = &calls[0];
        assert_eq!(call.name, "hot_days");
        assert_eq!(call.arg("year"), Some(&ArgValue::Integer(2021)));
        assert_eq!(call.arg("sensor"), Some(&ArgValue::String("DO-01".into())));
        assert_eq!(call.arg("scale"), Some(&ArgValue::Float(1.5)));
        assert_eq!(call.arg("all"), Some(&ArgValue::Bool(true)));
        assert_eq!(&text[call.span.clone()], &text[2..text.len() - 2]);
    }

    #[test]
    fn skips_code_ranges() {
        let text = "`{{ x() }}` and {{ y() }}";
        let code: Vec<std::ops::Range<usize>> = std::iter::once(0..11).collect();
        let (calls, _) = find_calls(text, &code);
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].name, "y");
    }

    #[test]
    fn malformed_calls_are_errors_with_offsets() {
        let (_, errors) = find_calls("x {{ chart(year=20x1) }}", &[]);
        assert_eq!(errors[0].message, "expected `,` or `)` after an argument");
        let (_, errors) = find_calls("{{ chart(name=unquoted) }}", &[]);
        assert!(errors[0].message.contains("put text in quotes"));
        let (_, errors) = find_calls("{{ chart(a=\"x) }}", &[]);
        assert!(errors[0].message.contains("closing quote"));
    }

    #[test]
    fn signature_checks_types_names_and_required() {
        let sig = Signature {
            args: vec![
                ArgSpec {
                    name: "year".into(),
                    kind: Some(ArgType::Integer),
                    required: true,
                },
                ArgSpec {
                    name: "sensor".into(),
                    kind: Some(ArgType::String),
                    required: false,
                },
            ],
            open: false,
        };
        let (calls, _) = find_calls("{{ c(year=\"2021\", colour=1) }}", &[]);
        let problems = calls[0].check(&sig);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("must be integer, found string"));
        assert!(problems[1].contains("has no argument `colour`"));
        let (calls, _) = find_calls("{{ c() }}", &[]);
        assert_eq!(calls[0].check(&sig), ["`c` needs the argument `year`"]);
    }

    #[test]
    fn never_panics_on_arbitrary_input() {
        // A small deterministic fuzz over prefixes and byte mutations.
        let seeds = [
            "{{ a(b=1, c=\"ü\") }}",
            "{{",
            "{{ a(",
            "{{ a(b=",
            "{{ ä(b='x\\",
            "{{a(b=-)}}",
            "{{ a(b=1.2.3) }}",
        ];
        let mut state: u64 = 0x9e3779b97f4a7c15;
        for seed in seeds {
            for cut in 0..=seed.len() {
                if seed.is_char_boundary(cut) {
                    let _ = find_calls(&seed[..cut], &[]);
                }
            }
            let bytes = seed.as_bytes().to_vec();
            for _ in 0..2000 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let mut b = bytes.clone();
                let i = (state as usize) % b.len();
                b[i] = b"{}()=,\"'\\ a1.-\n"[(state >> 32) as usize % 15];
                if let Ok(s) = String::from_utf8(b) {
                    let _ = find_calls(&s, &[]);
                }
            }
        }
    }
}
