//! One data row → its pages: a page per language the row has, with front
//! matter read from the row's cells through the same typed reader as
//! Markdown front matter, so a cell's error reads like a front matter one.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use yaml_serde::Value;

use super::{Cell, Row, TEXT_KEYS};
use crate::config::SiteConfig;
use crate::content::files::ContentPath;
use crate::content::front_matter::{
    FieldDecl, FieldType, FrontMatter, Reader, check_slug, control_character,
    control_character_error,
};
use crate::content::{Page, PageKind};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::yaml::Node;

/// The text of a cell, if it has one.
pub(super) fn text_of(cell: Option<&Cell>) -> Option<String> {
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

/// The pages of one row, one per language it has; none if the row has an
/// error in any language.
pub(super) fn row_pages(
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
    let mut pages = Vec::new();
    for lang in languages {
        let (front, row_errors) = row_front_matter(file, row, decls, &slug, lang);
        // Problems that do not depend on the language are reported once.
        for d in row_errors {
            if !errors.contains(&d) {
                errors.push(d);
            }
        }
        pages.push(row_page(file, section, row, &slug, lang, front));
    }
    if !errors.is_empty() {
        pages.clear();
    }
    (pages, errors)
}

/// Where the cell for `key` in `lang` stands: `<key>_<lang>`, else `<key>`,
/// else the start of the row.
fn locate(row: &Row, key: &str, lang: &str) -> Range<usize> {
    row.cells
        .get(&format!("{key}_{lang}"))
        .or_else(|| row.cells.get(key))
        .map(|c| c.span.clone())
        .unwrap_or(row.start..row.start)
}

/// The front matter of the row's page in `lang`, and the row's problems
/// in that language: texts (title, description, URL slug), then the typed
/// columns, then required fields left empty.
fn row_front_matter(
    file: &Arc<SourceFile>,
    row: &Row,
    decls: &[FieldDecl],
    slug: &str,
    lang: &str,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut row_errors = Vec::new();
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
        .unwrap_or_else(|| slug.to_string());
    if url_slug != slug
        && let Err(message) = check_slug(&url_slug)
    {
        row_errors.push(
            file.error(locate(row, "slug", lang), message)
                .with_kind("source"),
        );
    }
    front.slug = Some(url_slug);
    front.slug_at = Some(Box::new(file.locate(locate(row, "slug", lang))));
    let mut reader = Reader::new(file);
    read_typed_columns(&mut reader, row, decls, lang, &mut front);
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
    (front, row_errors)
}

/// Reads the columns with a type (weight, date, updated, draft and the
/// section's declared fields) into `front` through the front matter
/// reader, which collects their errors.
fn read_typed_columns(
    reader: &mut Reader,
    row: &Row,
    decls: &[FieldDecl],
    lang: &str,
    front: &mut FrontMatter,
) {
    if let Some(cell) = row.cells.get("weight") {
        let weight = number_value(&cell.value);
        front.weight = reader.integer("weight", &Node::leaf(&weight, locate(row, "weight", lang)));
    }
    for key in ["date", "updated"] {
        if let Some(cell) = row.cells.get(key).filter(|c| text_of(Some(c)).is_some()) {
            let date = reader.date(key, &Node::leaf(&cell.value, locate(row, key, lang)));
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
            .boolean("draft", &Node::leaf(&draft, locate(row, "draft", lang)))
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
        let node = Node::leaf(&value, locate(row, &decl.name, lang));
        reader.field_value(decl, &node, front);
    }
}

/// The page of `row` in `lang`: its body is the row's (per-language) body
/// cell, so errors in the Markdown point into the data file.
fn row_page(
    file: &Arc<SourceFile>,
    section: &Page,
    row: &Row,
    slug: &str,
    lang: &str,
    front: FrontMatter,
) -> Page {
    let dir = section.path.dir.clone();
    let link_key = format!("{dir}/{slug}.md");
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
    Page {
        file: body_file,
        path: ContentPath {
            dir,
            stem: slug.to_string(),
            order: None,
            lang: lang.to_string(),
            is_index: false,
            link_key,
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
    }
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

/// A text cell as a number if it reads as one, else unchanged (so the
/// reader reports it as not a number).
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

/// A text cell as true/false (`yes`, `no`, `1`, `0` too), else unchanged.
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
