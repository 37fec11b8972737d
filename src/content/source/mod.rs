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

mod read;
mod row;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use yaml_serde::Value;

use self::read::{read_csv, read_yaml};
use self::row::{row_pages, text_of};
use super::Page;
use super::front_matter::{FieldDecl, FieldType};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::sources::SiteDir;

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
    let (file, format) = match open_data_file(site, section, path, key_span) {
        Ok(opened) => opened,
        Err(diagnostics) => return (Vec::new(), diagnostics),
    };
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
        if let Some(duplicate) = duplicate_slug(&file, row, &row_pages, &mut slugs) {
            problems.push(duplicate);
            row_pages.clear();
        }
        diagnostics.append(&mut problems);
        pages.extend(row_pages.into_iter().filter(|p| drafts || !p.front.draft));
    }
    (pages, diagnostics)
}

/// Checks the `source:` path of a section (a .csv, .yaml or .json file
/// inside the site folder, existing, UTF-8) and reads it. Errors point at
/// the `source` key of the section's front matter, or at the data file.
fn open_data_file(
    site: &SiteDir,
    section: &Page,
    path: &str,
    key_span: &Range<usize>,
) -> Result<(Arc<SourceFile>, Format), Vec<Diagnostic>> {
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
            return Err(bad_source(
                format!("`source` must name a .csv, .yaml or .json file, not `{path}`"),
                "for example `source: data/actors.csv`",
            ));
        }
    };
    let leaves_site = Path::new(path).is_absolute()
        || Path::new(path)
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir));
    if leaves_site {
        return Err(bad_source(
            format!("`source: {path}` leaves the site folder; drehbuch reads only files inside it"),
            "give a path inside the site folder, relative to it, e.g. data/actors.csv",
        ));
    }
    let bytes = match site.read(&full) {
        Ok(Some(b)) => b,
        Ok(None) => {
            return Err(bad_source(
                format!("the data file `{path}` does not exist"),
                "the path is relative to the site folder, e.g. data/actors.csv",
            ));
        }
        Err(d) => return Err(vec![d]),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(vec![
            Diagnostic::file_error(&shown, "the file is not valid UTF-8")
                .with_help("save it as UTF-8 (spreadsheets offer \"CSV UTF-8\")"),
        ]);
    };
    Ok((Arc::new(SourceFile::new(shown, text)), format))
}

/// The error for a row whose slug an earlier row already has, or `None`
/// after recording the row's slug (with its line) in `slugs`. Duplicate
/// slugs are found even in rows with other errors, so one run reports both.
fn duplicate_slug(
    file: &SourceFile,
    row: &Row,
    row_pages: &[Page],
    slugs: &mut BTreeMap<String, usize>,
) -> Option<Diagnostic> {
    let slug = row_pages
        .first()
        .map(|p| p.path.stem.clone())
        .or_else(|| text_of(row.cells.get("slug")).map(|s| s.trim().to_string()))?;
    if let Some(line) = slugs.get(&slug) {
        return Some(
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
    }
    slugs.insert(slug, file.line_col(row.start).0);
    None
}

/// The kinds of data file a section may name.
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
