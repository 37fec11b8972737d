//! YAML with locations: parses a YAML block of a [`SourceFile`] into a
//! mapping and remembers where every key and value stands, nested ones
//! too (see [`spans`]), so later checks (unknown keys, wrong types) can
//! point at the right line and column.

mod spans;

use std::collections::HashMap;
use std::ops::Range;

use yaml_serde::{Mapping, Value};

use crate::diagnostics::{Diagnostic, SourceFile};
pub(crate) use spans::{Inner, Located};

/// A parsed top-level YAML mapping plus where each of its nodes stands.
#[derive(Debug, Default)]
pub(crate) struct LocatedMapping {
    /// The parsed values.
    pub mapping: Mapping,
    /// Where each top-level key stands in the source file.
    pub key_spans: HashMap<String, Range<usize>>,
    /// The whole YAML block, for errors that belong to no key.
    pub block: Range<usize>,
    /// Where the mapping and everything in it stands.
    pub root: Located,
}

impl LocatedMapping {
    /// Byte range of a key, or of the block's start when it is not found.
    pub(crate) fn span_of(&self, key: &str) -> Range<usize> {
        self.key_spans
            .get(key)
            .cloned()
            .unwrap_or(self.block.start..self.block.start)
    }

    /// Where an error about the value of `key` points (see
    /// [`Entry::span`]), or the block's start when there is no such key.
    pub(crate) fn value_span(&self, file: &SourceFile, key: &str) -> Range<usize> {
        self.entry(key)
            .map(|e| e.span(&file.text))
            .unwrap_or_else(|| self.span_of(key))
    }

    /// The top-level entries with where they stand, in the file's order.
    pub(crate) fn entries(&self) -> Vec<Entry<'_>> {
        entries(&self.mapping, &self.root.inner, &self.root.span)
    }

    /// The top-level entry `key`.
    pub(crate) fn entry(&self, key: &str) -> Option<Entry<'_>> {
        self.entries().into_iter().find(|e| e.key == key)
    }
}

/// A YAML value and where it stands in its file, with the places of the
/// values inside it.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    /// The value.
    pub value: &'a Value,
    /// Where errors about the value point.
    pub span: Range<usize>,
    inner: &'a Inner,
}

/// A node without children's places: errors about its parts point at it.
static LEAF: Inner = Inner::Leaf;

impl<'a> Node<'a> {
    /// A value whose parts have no places of their own (a data file's
    /// cell): errors about any of them point at `span`.
    pub(crate) fn leaf(value: &'a Value, span: Range<usize>) -> Node<'a> {
        Node {
            value,
            span,
            inner: &LEAF,
        }
    }

    /// The value without a `!tag`.
    fn untagged(&self) -> &'a Value {
        match self.value {
            Value::Tagged(tagged) => &tagged.value,
            value => value,
        }
    }

    /// A sequence's items with their places (none for other values).
    pub(crate) fn items(&self) -> Vec<Node<'a>> {
        let Value::Sequence(items) = self.untagged() else {
            return Vec::new();
        };
        match self.inner {
            Inner::Items(located) if located.len() == items.len() => items
                .iter()
                .zip(located)
                .map(|(value, at)| Node {
                    value,
                    span: at.span.clone(),
                    inner: &at.inner,
                })
                .collect(),
            _ => items
                .iter()
                .map(|value| Node::leaf(value, self.span.clone()))
                .collect(),
        }
    }

    /// A mapping's entries with their places (none for other values).
    pub(crate) fn entries(&self) -> Vec<Entry<'a>> {
        match self.untagged() {
            Value::Mapping(mapping) => entries(mapping, self.inner, &self.span),
            _ => Vec::new(),
        }
    }

    /// The entry `key` of a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<Entry<'a>> {
        self.entries().into_iter().find(|e| e.key == key)
    }
}

/// The entries of `mapping`, placed by `inner` (the text's entries, in
/// the same order), or all at `span` when `inner` does not match.
fn entries<'a>(mapping: &'a Mapping, inner: &'a Inner, span: &Range<usize>) -> Vec<Entry<'a>> {
    match inner {
        Inner::Entries(located) if located.len() == mapping.len() => mapping
            .iter()
            .zip(located)
            .map(|((key, value), (key_span, at))| Entry {
                key: key_text(key),
                key_span: key_span.clone(),
                node: Node {
                    value,
                    span: at.span.clone(),
                    inner: &at.inner,
                },
            })
            .collect(),
        _ => mapping
            .iter()
            .map(|(key, value)| Entry {
                key: key_text(key),
                key_span: span.clone(),
                node: Node::leaf(value, span.clone()),
            })
            .collect(),
    }
}

/// One `key: value` of a mapping.
#[derive(Clone, Debug)]
pub(crate) struct Entry<'a> {
    /// The key as text (`1` → "1").
    pub key: String,
    /// Where the key stands.
    pub key_span: Range<usize>,
    /// The value.
    pub node: Node<'a>,
}

impl<'a> Entry<'a> {
    /// Where an error about the value points: the value when it starts on
    /// the key's line (`weight: x`, `allowed: [a, b]`), else the key (a
    /// block list or mapping on the lines below, or no value at all).
    pub(crate) fn span(&self, text: &str) -> Range<usize> {
        let value = &self.node.span;
        let between = text.get(self.key_span.end..value.start).unwrap_or("\n");
        if value.is_empty() || between.contains(['\n', '\r']) {
            self.key_span.clone()
        } else {
            value.clone()
        }
    }

    /// The value as a node whose span is [`Entry::span`], for errors
    /// about the value as a whole.
    pub(crate) fn value(&self, text: &str) -> Node<'a> {
        Node {
            span: self.span(text),
            ..self.node.clone()
        }
    }

    /// The key and, when it is on the same line, the value: `name: x`.
    pub(crate) fn whole(&self, text: &str) -> Range<usize> {
        self.key_span.start..self.span(text).end
    }
}

/// Parses `file.text[block]` as a YAML mapping. An empty block is an empty
/// mapping; anything that is not a mapping is an error at the block's start.
pub(crate) fn parse_mapping(
    file: &SourceFile,
    block: Range<usize>,
) -> Result<LocatedMapping, Diagnostic> {
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
    let value: Value =
        yaml_serde::from_str(text).map_err(|e| block_error(file, block.clone(), &e))?;
    let mapping = match value {
        Value::Mapping(m) => m,
        Value::Null => Mapping::new(),
        _ => {
            return Err(file
                .error(block.start..block.start, "expected `key: value` lines here")
                .with_help("YAML front matter and site.yaml hold a mapping of keys to values"));
        }
    };
    let root = spans::locate(text, block.start).unwrap_or_default();
    let key_spans = match &root.inner {
        Inner::Entries(entries) if entries.len() == mapping.len() => mapping
            .keys()
            .zip(entries)
            .map(|(key, (span, _))| (key_text(key), span.clone()))
            .collect(),
        _ => HashMap::new(),
    };
    Ok(LocatedMapping {
        mapping,
        key_spans,
        block,
        root,
    })
}

/// A YAML parse error as a diagnostic at the right place of the file.
pub(crate) fn yaml_error(
    file: &SourceFile,
    block_start: usize,
    error: &yaml_serde::Error,
) -> Diagnostic {
    block_error(file, block_start..file.text.len(), error)
}

/// [`yaml_error`] for the YAML in `file.text[block]`.
fn block_error(file: &SourceFile, block: Range<usize>, error: &yaml_serde::Error) -> Diagnostic {
    let block_start = block.start;
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
        && let Some(at) = file
            .text
            .get(block.clone())
            .and_then(|text| spans::locate(text, block_start))
            .and_then(|root| root.second_key(&file.text, offset, key))
    {
        return file
            .error(
                at,
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
    // A tab where a token should start is a tab used for indentation,
    // which YAML does not allow; the parser's words do not say so.
    if file.text.get(offset..).is_some_and(|t| t.starts_with('\t')) {
        return file
            .error(offset..offset + 1, "invalid YAML: a tab indents this line")
            .with_kind("yaml")
            .with_help("YAML indents with spaces only: replace the tab with spaces");
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

/// How deeply YAML inputs may nest (mappings, lists and flow collections
/// together). Real front matter and configuration use a handful of levels;
/// the limit exists because the YAML parser slows down quadratically on
/// absurd nesting (100,000 levels took minutes), so deeper input is refused
/// before it is parsed.
pub(crate) const MAX_NESTING: usize = 64;

/// The error for YAML nested deeper than [`MAX_NESTING`].
pub(crate) fn too_deep(file: &SourceFile, offset: usize) -> Diagnostic {
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
pub(crate) fn check_nesting(text: &str) -> Result<(), usize> {
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

/// A YAML value's kind in words, for type errors.
pub(crate) fn kind_of(value: &Value) -> &'static str {
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
pub(crate) fn to_json(value: &Value) -> serde_json::Value {
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
pub(crate) fn key_text(key: &Value) -> String {
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
    fn a_duplicate_key_in_a_flow_mapping_is_reported_where_it_repeats() {
        let text = "title: A\nlabels: {heat: x, 'heat': y}\n";
        let file = SourceFile::new("site.yaml".into(), text.to_string());
        let error = parse_mapping(&file, 0..text.len()).unwrap_err();
        assert_eq!((error.line, error.col), (Some(2), Some(19)), "{error:?}");
        assert_eq!(error.width, 6, "{error:?}");
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
