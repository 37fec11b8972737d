//! Data-driven sections: a section's `_index` may name a data file
//! (`source: data/actors.csv`, or `.yaml`, `.yml`, `.json`) whose rows
//! become the section's pages, one per language of the site.
//!
//! Columns are the section's declared `fields` (checked like front matter:
//! types, allowed values, required), plus `slug` (required), `title`,
//! `description`, `body` (Markdown), `weight`, `date`, `updated` and
//! `draft`. Text columns may be per language (`title_de`, `description_en`,
//! `body_ro`, `slug_de`, and `<field>_<lang>` for text and web-address
//! fields), or a map of language to text in YAML and JSON. A row has a page
//! in a language when it has a per-language text for it (or when the file
//! has no per-language columns at all); missing languages fall back like
//! untranslated Markdown pages. In CSV, list cells separate values with `;`.
//!
//! Every problem is a diagnostic at `data/actors.csv:LINE:COLUMN` with the
//! row's line and a caret under the cell; all rows are checked in one run.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use yaml_serde::Value;

use super::files::ContentPath;
use super::front_matter::{
    FieldDecl, FieldType, FrontMatter, Reader, check_slug, control_character,
    control_character_error,
};
use super::{Page, PageKind};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::sources::SiteDir;
use crate::yaml::Node;

/// Columns every data source may have besides the declared fields.
const ROW_KEYS: [&str; 8] = [
    "slug",
    "title",
    "description",
    "body",
    "weight",
    "date",
    "updated",
    "draft",
];

/// Columns that may come per language (`title_de`).
const TEXT_KEYS: [&str; 4] = ["title", "description", "body", "slug"];

/// One cell of a row: its value and where it stands in the file.
#[derive(Clone, Debug)]
struct Cell {
    value: Value,
    span: Range<usize>,
}

/// One row: where it starts and its cells by column.
#[derive(Clone, Debug)]
struct Row {
    start: usize,
    cells: BTreeMap<String, Cell>,
}

/// Reads the rows of `section`'s data file and turns them into pages.
/// `section` is the `_index` page that names the file.
pub(crate) fn load(
    site: &SiteDir,
    config: &SiteConfig,
    section: &Page,
    decls: &[FieldDecl],
    drafts: bool,
) -> (Vec<Page>, Vec<Diagnostic>) {
    let Some((path, key_span)) = &section.front.source else {
        return (Vec::new(), Vec::new());
    };
    let full = site.root.join(path);
    let shown = PathBuf::from(path.trim_start_matches("./"));
    let bad_source = |message: String, help: &str| {
        vec![
            section
                .file
                .error(key_span.clone(), message)
                .with_help(help.to_string())
                .with_kind("source"),
        ]
    };
    let format = match Path::new(path).extension().and_then(|e| e.to_str()) {
        Some("csv") => Format::Csv,
        Some("yaml" | "yml") => Format::Yaml,
        Some("json") => Format::Json,
        _ => {
            return (
                Vec::new(),
                bad_source(
                    format!("`source` must name a .csv, .yaml or .json file, not `{path}`"),
                    "for example `source: data/actors.csv`",
                ),
            );
        }
    };
    let leaves_site = Path::new(path).is_absolute()
        || Path::new(path)
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir));
    if leaves_site {
        return (
            Vec::new(),
            bad_source(
                format!(
                    "`source: {path}` leaves the site folder; drehbuch reads only files inside it"
                ),
                "give a path inside the site folder, relative to it, e.g. data/actors.csv",
            ),
        );
    }
    let bytes = match site.read(&full) {
        Ok(Some(b)) => b,
        Ok(None) => {
            return (
                Vec::new(),
                bad_source(
                    format!("the data file `{path}` does not exist"),
                    "the path is relative to the site folder, e.g. data/actors.csv",
                ),
            );
        }
        Err(d) => return (Vec::new(), vec![d]),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return (
            Vec::new(),
            vec![
                Diagnostic::file_error(&shown, "the file is not valid UTF-8")
                    .with_help("save it as UTF-8 (spreadsheets offer \"CSV UTF-8\")"),
            ],
        );
    };
    let file = Arc::new(SourceFile::new(shown, text));
    let (rows, columns, mut diagnostics) = match format {
        Format::Csv => read_csv(&file),
        Format::Yaml | Format::Json => {
            let (rows, diagnostics) = read_yaml(&file);
            (rows.clone(), rows, diagnostics)
        }
    };
    let languages: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    diagnostics.extend(check_columns(&file, &columns, decls, &languages));
    // Texts per language: `title_de` columns, or (YAML, JSON) a map of
    // language to text in a text cell.
    let per_language = rows.iter().any(|r| {
        r.cells.iter().any(|(k, cell)| {
            split_language(k, &languages).is_some_and(|(base, _)| TEXT_KEYS.contains(&base))
                || (TEXT_KEYS.contains(&k.as_str()) && matches!(cell.value, Value::Mapping(_)))
        })
    });
    if rows.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::file_error(
                &file.path,
                "the data file has no rows, so the section lists no pages",
            )
            .warning()
            .with_help("add rows below the header, or remove `source:` from the section's _index")
            .with_kind("source"),
        );
    }
    let mut pages = Vec::new();
    let mut slugs: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        let (mut row_pages, mut problems) =
            row_pages(&file, section, row, decls, config, per_language);
        // Duplicate slugs are found even in rows with other errors, so
        // one run reports both.
        let slug = row_pages
            .first()
            .map(|p| p.path.stem.clone())
            .or_else(|| text_of(row.cells.get("slug")).map(|s| s.trim().to_string()));
        if let Some(slug) = slug {
            if let Some(line) = slugs.get(&slug) {
                problems.push(
                    file.error(
                        row.cells
                            .get("slug")
                            .map(|c| c.span.clone())
                            .unwrap_or(row.start..row.start),
                        format!("two rows have the slug `{slug}` (the other is on line {line})"),
                    )
                    .with_help("give every row its own slug")
                    .with_kind("source"),
                );
                row_pages.clear();
            } else {
                slugs.insert(slug, file.line_col(row.start).0);
            }
        }
        diagnostics.append(&mut problems);
        pages.extend(row_pages.into_iter().filter(|p| drafts || !p.front.draft));
    }
    (pages, diagnostics)
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Yaml,
    Json,
}

/// `title_de` → (`title`, `de`) when `de` is a site language.
fn split_language<'a>(column: &'a str, languages: &[&str]) -> Option<(&'a str, &'a str)> {
    let (base, lang) = column.rsplit_once('_')?;
    languages.contains(&lang).then_some((base, lang))
}

/// Unknown columns are errors at the header (CSV) or the key, each once.
fn check_columns(
    file: &SourceFile,
    rows: &[Row],
    decls: &[FieldDecl],
    languages: &[&str],
) -> Vec<Diagnostic> {
    let mut known: Vec<String> = ROW_KEYS.iter().map(|k| k.to_string()).collect();
    known.extend(decls.iter().map(|d| d.name.clone()));
    for lang in languages {
        for base in TEXT_KEYS {
            known.push(format!("{base}_{lang}"));
        }
        for d in decls
            .iter()
            .filter(|d| matches!(d.kind, FieldType::String | FieldType::Url))
        {
            known.push(format!("{}_{lang}", d.name));
        }
    }
    let mut out = Vec::new();
    let mut reported = BTreeSet::new();
    for row in rows {
        for (column, cell) in &row.cells {
            if known.contains(column) || !reported.insert(column.clone()) {
                continue;
            }
            let mut d = file.error(cell.span.clone(), format!("unknown column `{column}`"));
            let separator = [';', '\t'].into_iter().find(|&c| {
                column.contains(c) && column.split(c).any(|part| known.iter().any(|k| k == part))
            });
            d = match did_you_mean(column, known.iter().map(String::as_str)) {
                _ if separator.is_some() => d.with_help(format!(
                    "the file separates columns with `{}`; drehbuch reads CSV with commas (in a spreadsheet, save as \"CSV UTF-8 (comma-separated)\")",
                    if separator == Some(';') { ";" } else { "tab" }
                )),
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "columns are the section's fields ({}) and {}, some of them per language like `title_{}`",
                    decls.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", "),
                    ROW_KEYS.join(", "),
                    languages.first().copied().unwrap_or("de")
                )),
            };
            out.push(d.with_kind("source"));
        }
    }
    out
}

/// The text of a cell, if it has one.
fn text_of(cell: Option<&Cell>) -> Option<String> {
    match &cell?.value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A per-language text: `<base>_<lang>`, a map `{lang: …}` in `<base>`, or
/// the plain `<base>`.
fn localized(row: &Row, base: &str, lang: &str) -> Option<(String, Range<usize>)> {
    if let Some(cell) = row.cells.get(&format!("{base}_{lang}"))
        && let Some(text) = text_of(Some(cell))
    {
        return Some((text, cell.span.clone()));
    }
    let cell = row.cells.get(base)?;
    match &cell.value {
        Value::Mapping(map) => map
            .get(lang)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(|s| (s.to_string(), cell.span.clone())),
        _ => text_of(Some(cell)).map(|t| (t, cell.span.clone())),
    }
}

/// Whether a row has a text written for `lang`.
fn has_language(row: &Row, lang: &str) -> bool {
    TEXT_KEYS.iter().any(|base| {
        row.cells
            .get(&format!("{base}_{lang}"))
            .is_some_and(|c| text_of(Some(c)).is_some())
            || row.cells.get(*base).is_some_and(|c| {
                matches!(&c.value, Value::Mapping(m) if m.get(lang).and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty()))
            })
    })
}

/// The pages of one row, one per language it has.
fn row_pages(
    file: &Arc<SourceFile>,
    section: &Page,
    row: &Row,
    decls: &[FieldDecl],
    config: &SiteConfig,
    per_language: bool,
) -> (Vec<Page>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let row_span = row.start..row.start;
    let Some(slug) = text_of(row.cells.get("slug")) else {
        errors.push(
            file.error(row_span, "this row has no `slug`")
                .with_help("every row needs a slug: its URL segment and the name @/ links use, like clujul-sustenabil")
                .with_kind("source"),
        );
        return (Vec::new(), errors);
    };
    let slug_span = row.cells["slug"].span.clone();
    if let Err(message) = check_slug(&slug) {
        errors.push(file.error(slug_span, message).with_kind("source"));
        return (Vec::new(), errors);
    }
    let mut languages: Vec<&str> = config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .filter(|l| !per_language || has_language(row, l))
        .collect();
    if languages.is_empty() {
        languages.push(&config.default_language);
    }
    let dir = section.path.dir.clone();
    let link_key = format!("{dir}/{slug}.md");
    let mut pages = Vec::new();
    for lang in languages {
        let mut row_errors = Vec::new();
        let locate = |key: &str| {
            row.cells
                .get(&format!("{key}_{lang}"))
                .or_else(|| row.cells.get(key))
                .map(|c| c.span.clone())
                .unwrap_or(row.start..row.start)
        };
        let mut reader = Reader::new(file);
        let mut front = FrontMatter {
            extra: serde_json::Value::Object(Default::default()),
            ..FrontMatter::default()
        };
        for key in ["title", "description"] {
            if let Some((text, span)) = localized(row, key, lang)
                && let Some(c) = control_character(&text)
            {
                row_errors.push(control_character_error(file, span, key, c).with_kind("source"));
            }
        }
        match localized(row, "title", lang) {
            Some((title, _)) => front.title = title,
            None => row_errors.push(
                file.error(
                    row.start..row.start,
                    format!("the row `{slug}` has no title for `{lang}`"),
                )
                .with_help(format!("add a `title` column (or `title_{lang}`)"))
                .with_kind("source"),
            ),
        }
        front.description = localized(row, "description", lang).map(|(t, _)| t);
        // The URL segment: `slug_<lang>` if given, else the row's slug.
        let url_slug = localized(row, "slug", lang)
            .map(|(t, _)| t)
            .unwrap_or_else(|| slug.clone());
        if url_slug != slug
            && let Err(message) = check_slug(&url_slug)
        {
            row_errors.push(file.error(locate("slug"), message).with_kind("source"));
        }
        front.slug = Some(url_slug);
        front.slug_at = Some(Box::new(file.locate(locate("slug"))));
        if let Some(cell) = row.cells.get("weight") {
            let weight = number_value(&cell.value);
            front.weight = reader.integer("weight", &Node::leaf(&weight, locate("weight")));
        }
        for key in ["date", "updated"] {
            if let Some(cell) = row.cells.get(key).filter(|c| text_of(Some(c)).is_some()) {
                let date = reader.date(key, &Node::leaf(&cell.value, locate(key)));
                if key == "date" {
                    front.date = date;
                } else {
                    front.updated = date;
                }
            }
        }
        if let Some(cell) = row
            .cells
            .get("draft")
            .filter(|c| text_of(Some(c)).is_some())
        {
            let draft = bool_value(&cell.value);
            front.draft = reader
                .boolean("draft", &Node::leaf(&draft, locate("draft")))
                .unwrap_or(false);
        }
        for decl in decls {
            let cell = row
                .cells
                .get(&format!("{}_{lang}", decl.name))
                .filter(|c| text_of(Some(c)).is_some())
                .or_else(|| row.cells.get(&decl.name));
            let value = cell
                .map(|c| field_value(decl, &c.value, lang))
                .unwrap_or(Value::Null);
            if value.is_null() {
                continue;
            }
            let node = Node::leaf(&value, locate(&decl.name));
            reader.field_value(decl, &node, &mut front);
        }
        row_errors.append(&mut reader.errors);
        for decl in decls.iter().filter(|d| d.required) {
            let set = front.fields.contains_key(&decl.name)
                || front.page_refs.iter().any(|(n, _, _)| n == &decl.name)
                || front.invalid_fields.contains(&decl.name);
            if !set {
                row_errors.push(
                    file.error(
                        row.start..row.start,
                        format!(
                            "the row `{slug}` has no value for the required field `{}`",
                            decl.name
                        ),
                    )
                    .with_help(format!("fill in the `{}` column", decl.name))
                    .with_kind("source"),
                );
            }
        }
        // Problems that do not depend on the language are reported once.
        for d in row_errors {
            if !errors.contains(&d) {
                errors.push(d);
            }
        }
        let body_file = Arc::new(match localized(row, "body", lang) {
            Some((text, span)) => SourceFile::cell(file, span, text),
            None => SourceFile::embedded(
                file.path.clone(),
                String::new(),
                file.line_col(row.start).0,
                1,
            ),
        });
        let length = body_file.text.len();
        pages.push(Page {
            file: body_file,
            path: ContentPath {
                dir: dir.clone(),
                stem: slug.clone(),
                order: None,
                lang: lang.to_string(),
                is_index: false,
                link_key: link_key.clone(),
            },
            lang: lang.to_string(),
            kind: PageKind::Page,
            front,
            body: 0..length,
            url: String::new(),
            group: String::new(),
            stand_in_for: None,
            data_file: Some(file.clone()),
            page_fields: BTreeMap::new(),
            line: file.line_col(row.start).0,
        });
    }
    if !errors.is_empty() {
        pages.clear();
    }
    (pages, errors)
}

/// A cell as the YAML value the field's type expects: CSV cells are text,
/// split into lists at `;` and read as numbers or true/false where the
/// type asks for one.
fn field_value(decl: &FieldDecl, value: &Value, lang: &str) -> Value {
    let Value::String(text) = value else {
        return match value {
            Value::Mapping(map) if matches!(decl.kind, FieldType::String | FieldType::Url) => {
                map.get(lang).cloned().unwrap_or(Value::Null)
            }
            other => other.clone(),
        };
    };
    let text = text.trim();
    if text.is_empty() {
        return Value::Null;
    }
    match decl.kind {
        FieldType::List | FieldType::Pages => Value::Sequence(
            text.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        FieldType::Integer | FieldType::Number => number_value(value),
        FieldType::Boolean => bool_value(value),
        _ => Value::String(text.to_string()),
    }
}

fn number_value(value: &Value) -> Value {
    match value {
        Value::String(s) => {
            let t = s.trim();
            t.parse::<i64>()
                .map(|i| Value::Number(i.into()))
                .or_else(|_| t.parse::<f64>().map(|f| Value::Number(f.into())))
                .unwrap_or_else(|_| value.clone())
        }
        other => other.clone(),
    }
}

fn bool_value(value: &Value) -> Value {
    match value {
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => value.clone(),
        },
        other => other.clone(),
    }
}

/// Rows of a CSV file with a header line, and the header as a row (for
/// checking its columns). Cell spans are found by scanning the raw record
/// (quotes aware), so errors point at the right column.
fn read_csv(file: &SourceFile) -> (Vec<Row>, Vec<Row>, Vec<Diagnostic>) {
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
fn read_yaml(file: &SourceFile) -> (Vec<Row>, Vec<Diagnostic>) {
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
