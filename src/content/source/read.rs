//! Reading a data file's rows: CSV with a header line, or a YAML or JSON
//! list of mappings. Each cell keeps the byte range it stands at in the
//! file, found by scanning the raw text, so that every later error can
//! point at the cell.

use std::collections::BTreeMap;
use std::ops::Range;

use yaml_serde::Value;

use super::{Cell, Row};
use crate::diagnostics::{Diagnostic, SourceFile};

/// Rows of a CSV file with a header line, and the header as a row (for
/// checking its columns). Cell spans are found by scanning the raw record
/// (quotes aware), so errors point at the right column.
pub(super) fn read_csv(file: &SourceFile) -> (Vec<Row>, Vec<Row>, Vec<Diagnostic>) {
    let text = &file.text;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut diagnostics = Vec::new();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            diagnostics.push(
                file.error(0..0, format!("cannot read the CSV header: {e}"))
                    .with_kind("source"),
            );
            return (Vec::new(), Vec::new(), diagnostics);
        }
    };
    let header_spans = field_spans(text, 0);
    // A column named twice would silently take the last cell of each row.
    let mut first_seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in headers.iter().enumerate() {
        if let Some(&first) = first_seen.get(name.as_str()) {
            let span = header_spans.get(i).cloned().unwrap_or(0..0);
            diagnostics.push(
                file.error(
                    span,
                    format!(
                        "the column `{name}` appears twice in the header (columns {} and {})",
                        first + 1,
                        i + 1
                    ),
                )
                .with_help("give each column its own name, or remove one of them")
                .with_kind("source"),
            );
        } else {
            first_seen.insert(name, i);
        }
    }
    let mut rows = Vec::new();
    // The header's own cells, so unknown columns point at the header.
    let mut header_row = Row {
        start: 0,
        cells: BTreeMap::new(),
    };
    for (name, span) in headers.iter().zip(&header_spans) {
        header_row.cells.insert(
            name.clone(),
            Cell {
                value: Value::Null,
                span: span.clone(),
            },
        );
    }
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if record.len() != headers.len() {
                    diagnostics.push(
                        file.error(
                            start..start,
                            format!(
                                "this row has {} cells, but the header has {} columns",
                                record.len(),
                                headers.len()
                            ),
                        )
                        .with_help("every row needs a cell per column (empty ones too); quote cells that contain commas: \"a, b\"")
                        .with_kind("source"),
                    );
                    continue;
                }
                let spans = field_spans(text, start);
                let mut cells = BTreeMap::new();
                for (i, value) in record.iter().enumerate() {
                    cells.insert(
                        headers[i].clone(),
                        Cell {
                            value: Value::String(value.to_string()),
                            span: spans.get(i).cloned().unwrap_or(start..start),
                        },
                    );
                }
                rows.push(Row { start, cells });
            }
            Err(e) => {
                let at = e.position().map(|p| p.byte() as usize).unwrap_or(0);
                diagnostics.push(
                    file.error(at..at, format!("the CSV cannot be read here: {e}"))
                        .with_help("check the quotes of this row")
                        .with_kind("source"),
                );
                break;
            }
        }
    }
    (rows, vec![header_row], diagnostics)
}

/// Byte ranges of the fields of the CSV record starting at `start`.
fn field_spans(text: &str, start: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = start;
    loop {
        let field_start = i;
        if i < bytes.len() && bytes[i] == b'"' {
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < bytes.len() && bytes[i] != b',' && bytes[i] != b'\n' && bytes[i] != b'\r' {
            i += 1;
        }
        spans.push(field_start..i);
        if i >= bytes.len() || bytes[i] != b',' {
            break;
        }
        i += 1;
    }
    spans
}

/// Rows of a YAML or JSON file: a list of mappings. Positions are found
/// by the keys' text after each row's start.
pub(super) fn read_yaml(file: &SourceFile) -> (Vec<Row>, Vec<Diagnostic>) {
    let text = &file.text;
    if let Err(offset) = crate::yaml::check_nesting(text) {
        return (Vec::new(), vec![crate::yaml::too_deep(file, offset)]);
    }
    let value: Value = match yaml_serde::from_str(text) {
        Ok(v) => v,
        Err(e) => return (Vec::new(), vec![crate::yaml::yaml_error(file, 0, &e)]),
    };
    let Value::Sequence(items) = value else {
        return (
            Vec::new(),
            vec![
                file.error(0..0, "a data file holds a list of rows")
                    .with_help("in YAML: `- slug: a` lines; in JSON: `[{\"slug\": \"a\"}, …]`")
                    .with_kind("source"),
            ],
        );
    };
    let starts = row_starts(text, items.len());
    let mut rows = Vec::new();
    let mut diagnostics = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let start = starts.get(i).copied().unwrap_or(0);
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let Value::Mapping(map) = item else {
            diagnostics.push(
                file.error(
                    start..start,
                    "this row is not a mapping of columns to values",
                )
                .with_kind("source"),
            );
            continue;
        };
        let mut cells = BTreeMap::new();
        for (key, value) in map {
            let key = crate::yaml::key_text(&key);
            let span = key_span(text, start..end, &key);
            cells.insert(key, Cell { value, span });
        }
        rows.push(Row { start, cells });
    }
    (rows, diagnostics)
}

/// Where each of the `count` rows of a YAML or JSON list starts: lines
/// that begin with `- ` at the list's indentation, or `{` at depth one.
fn row_starts(text: &str, count: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in text.char_indices() {
            if in_string {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => in_string = false,
                    _ => escaped = false,
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '[' | '{' => {
                    depth += 1;
                    if c == '{' && depth == 2 {
                        starts.push(i);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    } else {
        for line in text.split_inclusive('\n') {
            if line.starts_with("- ") || line.trim_end() == "-" {
                starts.push(offset);
            }
            offset += line.len();
        }
    }
    starts.truncate(count);
    starts
}

/// The span of `key`'s value within a row's text: a JSON `"key": value`,
/// or a YAML `key: value` at the start of a line (or after `- `). A value
/// on lines of its own (a block or a map) is located by its key.
fn key_span(text: &str, row: Range<usize>, key: &str) -> Range<usize> {
    let slice = &text[row.clone()];
    let json_key = format!("\"{key}\"");
    let json = slice.match_indices(&json_key).find_map(|(at, _)| {
        let rest = slice[at + json_key.len()..].trim_start();
        rest.starts_with(':').then_some((at, json_key.len(), true))
    });
    let yaml_key = format!("{key}:");
    let found = json.or_else(|| {
        slice.match_indices(&yaml_key).find_map(|(at, _)| {
            let line_start = slice[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
            slice[line_start..at]
                .chars()
                .all(|c| c == ' ' || c == '-')
                .then_some((at, yaml_key.len(), false))
        })
    });
    let Some((at, len, is_json)) = found else {
        return row.start..row.start;
    };
    let key_range = row.start + at..row.start + at + len;
    let after = &slice[at + len..];
    let value = after.trim_start_matches([' ', '\t']);
    let value = value
        .strip_prefix(':')
        .unwrap_or(value)
        .trim_start_matches([' ', '\t']);
    let start = key_range.end + (after.len() - value.len());
    let token_len = if let Some(quoted) = value.strip_prefix('"') {
        // A quoted string up to its closing quote.
        let mut escaped = false;
        quoted
            .char_indices()
            .find(|&(_, c)| {
                let close = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                close
            })
            .map(|(i, _)| i + 2)
    } else {
        let stops: &[char] = if is_json {
            &['\n', '\r', ',', '}', ']']
        } else {
            &['\n', '\r']
        };
        let line = &value[..value.find(stops).unwrap_or(value.len())];
        let line = if is_json {
            line
        } else {
            line.split(" #").next().unwrap_or(line)
        };
        Some(line.trim_end().len())
    };
    match token_len {
        Some(n) if n > 0 => start..start + n,
        _ => key_range,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn csv_field_spans_respect_quotes() {
        let text = "a,\"b, \"\"c\"\"\",d\nx,y,z\n";
        let spans = field_spans(text, 0);
        assert_eq!(spans.len(), 3);
        assert_eq!(&text[spans[1].clone()], "\"b, \"\"c\"\"\"");
        assert_eq!(&text[spans[2].clone()], "d");
        let second = field_spans(text, text.find('\n').unwrap() + 1);
        assert_eq!(&text[second[0].clone()], "x");
    }

    #[test]
    fn yaml_and_json_rows_are_found() {
        assert_eq!(row_starts("- a: 1\n  b: 2\n- a: 3\n", 2), [0, 14]);
        assert_eq!(row_starts("[{\"a\": \"{x}\"}, {\"a\": 2}]", 2), [1, 15]);
    }

    #[test]
    fn field_spans_never_panic() {
        for text in ["", "\"", "a,\"", ",,,", "\"\"\"", "a\r\n\"b"] {
            for start in 0..=text.len() {
                let _ = field_spans(text, start);
            }
        }
    }

    /// Random texts from characters that matter to the scanners: no panic,
    /// and every span lies inside the text on character boundaries.
    #[test]
    fn scanners_survive_random_input() {
        let alphabet: Vec<char> = "ab:,\"\\-{}[]# \n\r\tä€".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let inside = |r: &Range<usize>| {
                r.start <= r.end
                    && r.end <= text.len()
                    && text.is_char_boundary(r.start)
                    && text.is_char_boundary(r.end)
            };
            let mut starts: Vec<usize> = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            for &start in &starts {
                assert!(field_spans(&text, start).iter().all(inside), "{text:?}");
                for key in ["a", "ab", "b"] {
                    let span = key_span(&text, start..text.len(), key);
                    assert!(inside(&span), "{text:?} {key} {span:?}");
                }
            }
            let file = SourceFile::new(PathBuf::from("x.csv"), text.clone());
            let (rows, header, _) = read_csv(&file);
            let (yaml_rows, _) = read_yaml(&file);
            for row in rows.iter().chain(&header).chain(&yaml_rows) {
                assert!(row.cells.values().all(|c| inside(&c.span)), "{text:?}");
            }
        }
    }
}
