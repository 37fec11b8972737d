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
    file.error(offset..offset, format!("invalid YAML: {message}"))
        .with_kind("yaml")
        .with_help("check indentation, colons and quotes; values containing `: ` or starting with `{`, `[`, `@` or `*` need quotes")
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
