//! Front matter: the YAML block between `---` lines at the top of a content
//! file, checked against the built-in keys and the section's declared
//! `fields`. Every problem is a diagnostic at the key's line and column.

mod date;
mod fields;

use std::collections::BTreeMap;
use std::ops::Range;

use yaml_serde::Value;

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::yaml::{Node, kind_of, parse_mapping, to_json};

pub use self::date::Date;
pub use self::fields::{FieldDecl, FieldType};

/// Keys every page and section may use.
pub const BUILT_IN_KEYS: [&str; 11] = [
    "title",
    "description",
    "slug",
    "date",
    "updated",
    "weight",
    "draft",
    "translation_key",
    "translated_from",
    "template",
    "extra",
];

/// Keys only a section's `_index` may use.
pub const SECTION_KEYS: [&str; 5] = ["fields", "layout", "group_by", "source", "feed"];

/// The checked front matter of one file.
#[derive(Clone, Debug, Default)]
pub struct FrontMatter {
    /// Title (required).
    pub title: String,
    /// One-sentence summary for listings and meta description.
    pub description: Option<String>,
    /// URL segment overriding the file name.
    pub slug: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Date of the last significant change.
    pub updated: Option<Date>,
    /// Sort weight within the section (lower first).
    pub weight: Option<i64>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Pairs translations whose file names differ.
    pub translation_key: Option<String>,
    /// Short hash of the original's body this translation was made from
    /// (written by `drehbuch translations confirm`).
    pub translated_from: Option<String>,
    /// Template file overriding the default lookup.
    pub template: Option<String>,
    /// Free data for templates.
    pub extra: serde_json::Value,
    /// Typed values of the section's declared fields.
    pub fields: BTreeMap<String, serde_json::Value>,
    /// Raw `pages` field values (file stems) with their spans, resolved later.
    pub page_refs: Vec<(String, Vec<String>, Range<usize>)>,
    /// Field declarations (only in a section's `_index`).
    pub field_decls: Vec<FieldDecl>,
    /// The section's layout (`cards`, `book`, …; only in an `_index`).
    pub layout: Option<String>,
    /// The field whose values group a section's listing (only in an `_index`).
    pub group_by: Option<String>,
    /// A data file whose rows become the section's pages (only in an
    /// `_index`), with where the key stands.
    pub source: Option<(String, Range<usize>)>,
    /// Where `template:` stands, kept for the check that the template
    /// exists (which runs after the page's text is released).
    pub template_at: Option<Box<Diagnostic>>,
    /// Where `slug:` stands (or a data row's `slug` cell), for errors
    /// about two outputs on one URL.
    pub slug_at: Option<Box<Diagnostic>>,
    /// `feed: false` in an `_index`: the section (with its subsections)
    /// has no feed and its pages stay out of the language's feed.
    /// `feed: true` in a data section's `_index`: its rows join the
    /// language's feed, which otherwise has only written pages.
    pub feed: Option<bool>,
    /// Fields whose value was given but is invalid (already reported), so
    /// they are not also reported as missing.
    pub invalid_fields: Vec<String>,
    /// Where the value of each declared field and of `weight` stands, for
    /// warnings about translations that disagree with their original.
    pub spans: BTreeMap<String, Range<usize>>,
    /// Required language-neutral fields this file leaves out, with the
    /// error to report if the original does not supply them either.
    pub missing_shared: Vec<(String, Diagnostic)>,
    /// Byte range of the `title` key, or of the block, for later errors.
    pub block: Range<usize>,
}

/// Where the front matter block and the body are in a file.
#[derive(Clone, Debug)]
pub struct Split {
    /// The YAML between the `---` lines.
    pub yaml: Range<usize>,
    /// Everything after the closing `---` line.
    pub body: Range<usize>,
}

/// Finds the `---` fenced block at the very top of the file.
pub fn split(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &file.text;
    let first_line_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Err(file
            .error(
                0..first_line_end.saturating_sub(1).min(3),
                "the file does not start with front matter",
            )
            .with_help(
                "begin the file with a line `---`, then `title: …`, then another line `---`",
            ));
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: first_line_end..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(file
        .error(0..3, "the front matter is not closed")
        .with_help("add a line `---` after the last front matter key"))
}

/// What kind of file the front matter belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A section's `_index` file: may declare `fields`.
    Section,
    /// A page: may use the section's fields.
    Page,
}

/// Checks the front matter block against built-in keys and `fields`.
/// Returns all problems found in the block.
pub fn parse(
    file: &SourceFile,
    yaml_range: Range<usize>,
    kind: FileKind,
    fields: Option<&[FieldDecl]>,
    lang: &str,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    // `None`: the section's declarations failed to load (already
    // reported); unknown keys and required fields are not checked then.
    let lenient = fields.is_none();
    let fields = fields.unwrap_or(&[]);
    let yaml = parse_mapping(file, yaml_range.clone()).map_err(|d| vec![d])?;
    let mut fm = FrontMatter {
        block: yaml_range.start..yaml_range.start,
        extra: serde_json::Value::Object(Default::default()),
        ..FrontMatter::default()
    };
    let mut reader = Reader::new(file);
    let section = kind == FileKind::Section;
    for entry in yaml.entries() {
        let key = entry.key.as_str();
        let value = entry.value(&file.text);
        let r = &mut reader;
        match key {
            "title" => fm.title = r.text(key, &value).unwrap_or_default(),
            "description" => fm.description = r.text(key, &value),
            "slug" => {
                fm.slug = r.text(key, &value);
                fm.slug_at = Some(Box::new(file.locate(value.span.clone())));
            }
            "translation_key" => fm.translation_key = r.text(key, &value),
            "translated_from" => fm.translated_from = r.text(key, &value),
            "template" => {
                fm.template = r.text(key, &value);
                fm.template_at = Some(Box::new(file.locate(value.span.clone())));
            }
            "date" => fm.date = r.date(key, &value),
            "updated" => fm.updated = r.date(key, &value),
            "weight" => {
                fm.weight = r.integer(key, &value);
                fm.spans.insert(key.to_string(), value.span.clone());
            }
            "draft" => fm.draft = r.boolean(key, &value).unwrap_or(false),
            "extra" if value.value.is_mapping() => fm.extra = to_json(value.value),
            "extra" => r
                .errors
                .push(r.type_error(key, "a mapping of free keys", &value)),
            "fields" if section => fm.field_decls = r.field_decls(&value, lang),
            "layout" if section => fm.layout = r.text(key, &value),
            "group_by" if section => fm.group_by = r.text(key, &value),
            "feed" if section => fm.feed = r.boolean(key, &value),
            "source" if section => {
                fm.source = r.text(key, &value).map(|path| (path, value.span.clone()));
            }
            _ => match fields.iter().find(|f| f.name == key) {
                Some(decl) if kind == FileKind::Page => r.field_value(decl, &value, &mut fm),
                _ if lenient => {}
                _ => r
                    .errors
                    .push(unknown_key(file, entry.key_span, key, kind, fields)),
            },
        }
    }
    let mut errors = reader.errors;

    // The `---` line that opens the block, where whole-block problems point.
    let opening_fence = yaml_range.start.saturating_sub(4)..yaml_range.start.saturating_sub(1);
    if fm.title.trim().is_empty() && !errors.iter().any(|e| e.message.contains("`title`")) {
        errors.push(
            file.error(opening_fence.clone(), "missing `title`")
                .with_help("every page needs a title: add `title: …` to the front matter"),
        );
    }
    if kind == FileKind::Page {
        for decl in fields.iter().filter(|d| d.required) {
            if !fm.fields.contains_key(&decl.name)
                && !fm.page_refs.iter().any(|(n, _, _)| n == &decl.name)
                && !fm.invalid_fields.contains(&decl.name)
            {
                let missing = file
                    .error(
                        opening_fence.clone(),
                        format!("missing required field `{}`", decl.name),
                    )
                    .with_help(format!(
                        "the section's _index declares `{}` as required{}",
                        decl.name,
                        allowed_hint(decl)
                    ));
                // A translation takes a language-neutral field from its
                // original: decided once the translations are paired.
                if decl.is_shared() && decl.kind != FieldType::Pages {
                    fm.missing_shared.push((decl.name.clone(), missing));
                } else {
                    errors.push(missing);
                }
            }
        }
    }
    if let Some(slug) = &fm.slug
        && let Err(message) = check_slug(slug)
    {
        errors.push(file.error(yaml.value_span(file, "slug"), message).with_help(
                "a slug is one URL segment of letters, digits, `-` and `_`, such as `hitze-check`",
            ));
    }
    fm.block = yaml.span_of("title");
    if errors.is_empty() {
        Ok(fm)
    } else {
        Err(errors)
    }
}

fn allowed_hint(decl: &FieldDecl) -> String {
    if decl.allowed.is_empty() {
        String::new()
    } else {
        format!("; allowed values: {}", decl.allowed.join(", "))
    }
}

/// A slug must stay one safe path segment inside the output folder.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("the slug is empty".into());
    }
    if slug == "." || slug == ".." || slug.contains(['/', '\\']) || slug.contains("..") {
        return Err(format!(
            "slug `{slug}` would leave its folder in the output"
        ));
    }
    if slug.starts_with('.') {
        return Err(format!("slug `{slug}` would create a hidden folder"));
    }
    // A page is the folder `<slug>/` with an index.html inside; a slug
    // named like a file clashes with the files drehbuch writes there.
    let lower = slug.to_ascii_lowercase();
    if [".html", ".htm", ".xml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return Err(format!(
            "slug `{slug}` looks like a file name; a slug names the page's folder (`{}` would do)",
            &slug[..slug.rfind('.').unwrap_or(slug.len())]
        ));
    }
    if slug
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "?#%:*\"<>|".contains(c))
    {
        return Err(format!(
            "slug `{slug}` contains characters that do not belong in a URL"
        ));
    }
    Ok(())
}

fn unknown_key(
    file: &SourceFile,
    span: Range<usize>,
    key: &str,
    kind: FileKind,
    fields: &[FieldDecl],
) -> Diagnostic {
    let mut candidates: Vec<&str> = BUILT_IN_KEYS.to_vec();
    if kind == FileKind::Section {
        candidates.extend(SECTION_KEYS);
    } else {
        candidates.extend(fields.iter().map(|f| f.name.as_str()));
    }
    let d = file.error(span, format!("unknown front matter key `{key}`"));
    match did_you_mean(key, candidates.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`? Free data goes under `extra:`")),
        None if kind == FileKind::Page && fields.is_empty() => d.with_help(
            "put free data under `extra:`, or declare the key in the section's _index under `fields:`",
        ),
        None => d.with_help(format!(
            "known keys: {}; free data goes under `extra:`",
            candidates.join(", ")
        )),
    }
}

/// Reads typed values from a file and collects the problems, each at the
/// value's place: in front matter the YAML node (a list's item, a nested
/// mapping's key), in a data source ([`super::source`]) the cell.
pub(crate) struct Reader<'a> {
    pub(crate) file: &'a SourceFile,
    /// The problems found so far.
    pub(crate) errors: Vec<Diagnostic>,
}

type Texts = Vec<(String, Range<usize>)>;

impl<'a> Reader<'a> {
    /// A reader of `file` that has found nothing wrong yet.
    pub(crate) fn new(file: &'a SourceFile) -> Reader<'a> {
        Reader {
            file,
            errors: Vec::new(),
        }
    }

    /// Records `problem`; `None`, for the caller to return.
    fn fail<T>(&mut self, problem: Diagnostic) -> Option<T> {
        self.errors.push(problem);
        None
    }

    fn type_error(&self, key: &str, expected: &str, found: &Node) -> Diagnostic {
        let message = format!("`{key}` must be {expected}, found {}", kind_of(found.value));
        self.file.error(found.span.clone(), message)
    }

    /// The error for a number field's value that is no number; when it is
    /// a number written with a unit or separators (`1.500 lei`), the help
    /// line shows the number alone and where the unit goes.
    fn number_error(&self, key: &str, expected: &str, found: &Node) -> Diagnostic {
        let error = self.type_error(key, expected, found);
        match found.value.as_str().and_then(number_and_unit) {
            Some((number, unit)) if unit.is_empty() => error.with_help(format!(
                "write the number alone, with a decimal point and without thousands separator: `{key}: {number}`"
            )),
            Some((number, unit)) => error.with_help(format!(
                "write the number alone, without unit or thousands separator (`{key}: {number}`), and put the unit `{unit}` in the field's `label`"
            )),
            None => error,
        }
    }

    /// Text (a number counts as its text); `None` for no value.
    pub(crate) fn text(&mut self, key: &str, node: &Node) -> Option<String> {
        match node.value {
            Value::String(s) => Some(self.checked(key, s, node)),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            _ => self.fail(
                self.type_error(key, "text", node)
                    .with_help("put the text in quotes"),
            ),
        }
    }

    /// `text`, after reporting a control character in it at `node`.
    fn checked(&mut self, key: &str, text: &str, node: &Node) -> String {
        if let Some(c) = control_character(text) {
            let span = node.span.clone();
            self.errors
                .push(control_character_error(self.file, span, key, c));
        }
        text.to_string()
    }

    pub(crate) fn date(&mut self, key: &str, node: &Node) -> Option<Date> {
        let text = self.text(key, node)?;
        Date::parse(&text).or_else(|| {
            let message = format!("`{key}` is not a valid date: `{text}`");
            let help = "write dates as YYYY-MM-DD, e.g. 2026-11-27";
            self.fail(self.file.error(node.span.clone(), message).with_help(help))
        })
    }

    pub(crate) fn integer(&mut self, key: &str, node: &Node) -> Option<i64> {
        let found = node.value.as_i64();
        found.or_else(|| self.fail(self.type_error(key, "a whole number", node)))
    }

    pub(crate) fn boolean(&mut self, key: &str, node: &Node) -> Option<bool> {
        let found = node.value.as_bool();
        found.or_else(|| self.fail(self.type_error(key, "`true` or `false`", node)))
    }

    /// A list of text values (one text counts as a list of one), each
    /// with its place; `None` after an error.
    fn string_list(&mut self, key: &str, node: &Node) -> Option<Texts> {
        let items = match node.value {
            Value::Sequence(_) => node.items(),
            Value::String(_) => vec![node.clone()],
            _ => return self.fail(self.type_error(key, "a list like `[a, b]`", node)),
        };
        let mut out = Vec::new();
        for item in items {
            let text = match item.value {
                Value::String(s) => self.checked(key, s, &item),
                Value::Number(n) => n.to_string(),
                _ => return self.fail(self.type_error(key, "a list of text values", &item)),
            };
            out.push((text, item.span));
        }
        Some(out)
    }

    /// `values` if each is one of `decl`'s allowed values; each one that
    /// is not is an error at its place.
    fn allowed(&mut self, decl: &FieldDecl, values: Texts) -> Option<Vec<String>> {
        let before = self.errors.len();
        for (value, span) in values.iter().filter(|(v, _)| !decl.allows(v)) {
            let message = format!("`{value}` is not an allowed value of `{}`", decl.name);
            let allowed = decl.allowed.join(", ");
            let help = match did_you_mean(value, decl.allowed.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`? Allowed: {allowed}"),
                None => format!("allowed values: {allowed}"),
            };
            self.errors
                .push(self.file.error(span.clone(), message).with_help(help));
        }
        (self.errors.len() == before).then(|| values.into_iter().map(|(v, _)| v).collect())
    }

    /// Reads the value of a declared field into `fm` (its typed value, a
    /// `pages` reference, or a note that it was invalid).
    pub(crate) fn field_value(&mut self, decl: &FieldDecl, node: &Node, fm: &mut FrontMatter) {
        use serde_json::Value as Json;
        let key = decl.name.as_str();
        let json = match decl.kind {
            FieldType::String => self
                .text(key, node)
                .and_then(|s| self.allowed(decl, vec![(s, node.span.clone())]))
                .and_then(|mut s| s.pop().map(Json::String)),
            FieldType::Integer => match node.value.as_i64() {
                Some(i) => Some(Json::from(i)),
                None => self.fail(self.number_error(key, "a whole number", node)),
            },
            FieldType::Number => match node.value.as_f64() {
                Some(f) => serde_json::Number::from_f64(f).map(Json::Number),
                None => self.fail(self.number_error(key, "a number", node)),
            },
            FieldType::Boolean => self.boolean(key, node).map(Json::Bool),
            FieldType::Date => self.date(key, node).map(|d| Json::String(d.iso())),
            FieldType::List => self
                .string_list(key, node)
                .and_then(|items| self.allowed(decl, items))
                .map(|items| Json::Array(items.into_iter().map(Json::String).collect())),
            FieldType::Url => self.text(key, node).and_then(|url| {
                if is_web_address(&url) {
                    return Some(Json::String(url));
                }
                let message = format!("`{key}` is not a web address: `{url}`");
                let help = "write the full address, e.g. https://example.org/page";
                self.fail(self.file.error(node.span.clone(), message).with_help(help))
            }),
            FieldType::Pages => {
                if let Some(items) = self.string_list(key, node) {
                    let stems = items.into_iter().map(|(s, _)| s).collect();
                    fm.page_refs
                        .push((decl.name.clone(), stems, node.span.clone()));
                }
                None
            }
        };
        match json {
            Some(json) => {
                fm.spans.insert(decl.name.clone(), node.span.clone());
                fm.fields.insert(decl.name.clone(), json);
            }
            None if decl.kind != FieldType::Pages && !node.value.is_null() => {
                fm.invalid_fields.push(decl.name.clone());
            }
            None => {}
        }
    }
}

/// Whether `url` is a full web address: `http(s)://`, a host, no spaces.
fn is_web_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains(char::is_whitespace)
    }) && !url.contains(char::is_whitespace)
}

/// The first character of `text` that must not reach a page's HTML: a
/// C0 control other than tab and line feed, DEL, or a C1 control. Such
/// characters are invisible in an editor and carry nothing a reader could
/// see, and in HTML they are parse errors that browsers treat differently.
pub(crate) fn control_character(text: &str) -> Option<char> {
    text.chars()
        .find(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'))
}

/// The error for control character `c` in the value of `key` at `span`.
/// An error, not a silent strip: the character is invisible, so the
/// source would stay wrong without anyone knowing; raw control characters
/// in YAML are already refused by its parser, so this makes escaped ones
/// (`"\a"`, `"\x1b"`) and data-file cells follow the same rule.
pub(crate) fn control_character_error(
    file: &SourceFile,
    span: Range<usize>,
    key: &str,
    c: char,
) -> Diagnostic {
    file.error(
        span,
        format!(
            "`{key}` contains the control character U+{:04X}, which is invisible and would reach the page as it is",
            c as u32
        ),
    )
    .with_help("delete it (in YAML, an escape in double quotes such as `\\a` or `\\x1b` writes one; in a data file, it is in the cell)")
}

/// A number as an editor may write it in text, with a unit before or
/// after it and separators (`1.500 lei`, `€ 2,5`, `90 min`): the number
/// in YAML's form (`1500`, `2.5`, `90`) and the unit (empty if none).
/// A single `.` or `,` before exactly three digits separates thousands
/// (`1.500` is 1500, as in German and Romanian); otherwise it is the
/// decimal mark. `None` when the text is no such number.
fn number_and_unit(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let is_number_char =
        |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '\'' | ' ' | '\u{a0}' | '\u{202f}');
    let start = text.find(|c: char| c.is_ascii_digit() || c == '-')?;
    let end = start
        + text[start..]
            .char_indices()
            .find(|&(i, c)| !(is_number_char(c) || (i == 0 && c == '-')))
            .map_or(text.len() - start, |(i, _)| i);
    let unit = format!("{} {}", &text[..start], &text[end..])
        .trim()
        .to_string();
    let both_sides = !text[..start].trim().is_empty() && !text[end..].trim().is_empty();
    if both_sides || unit.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = text[start..end]
        .chars()
        .filter(|c| !matches!(c, ' ' | '\'' | '\u{a0}' | '\u{202f}'))
        .collect();
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, digits),
    };
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let marks: Vec<(usize, char)> = digits
        .char_indices()
        .filter(|(_, c)| matches!(c, '.' | ','))
        .collect();
    let decimal_at = match marks.as_slice() {
        [] => None,
        [(i, _)] if digits.len() - i - 1 == 3 => None,
        [(i, _)] => Some(*i),
        [.., (i, last)] if marks.iter().filter(|(_, c)| c == last).count() == 1 => Some(*i),
        _ => None,
    };
    let mut number: String = if negative { "-".into() } else { String::new() };
    for (i, c) in digits.char_indices() {
        match c {
            '.' | ',' if Some(i) == decimal_at => number.push('.'),
            '.' | ',' => {}
            c => number.push(c),
        }
    }
    let number = number.trim_end_matches('.').to_string();
    Some((number, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str, fields: &[FieldDecl]) -> Result<FrontMatter, Vec<Diagnostic>> {
        let file = SourceFile::new("p.md".into(), text.into());
        let s = split(&file).map_err(|d| vec![d])?;
        parse(&file, s.yaml, FileKind::Page, Some(fields), "de")
    }

    fn category() -> Vec<FieldDecl> {
        vec![FieldDecl {
            allowed: vec!["heat".into(), "rain".into()],
            required: true,
            ..FieldDecl::new("category", FieldType::String)
        }]
    }

    #[test]
    fn built_in_keys_are_typed() {
        let fm = page(
            "---\ntitle: Hitze\nweight: 3\ndate: 2024-08-13\ndraft: true\n---\nText",
            &[],
        )
        .unwrap();
        assert_eq!(fm.title, "Hitze");
        assert_eq!(fm.weight, Some(3));
        assert_eq!(fm.date.unwrap().iso(), "2024-08-13");
        assert!(fm.draft);
    }

    #[test]
    fn unknown_key_is_reported_at_its_line_with_suggestion() {
        let errors = page("---\ntitle: A\ndescripton: x\n---\n", &[]).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].col), (Some(3), Some(1)));
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `description`?")
        );
    }

    #[test]
    fn missing_title_and_required_field() {
        let translated = vec![FieldDecl {
            translate: Some(true),
            ..category().remove(0)
        }];
        let errors = page("---\nweight: 1\n---\n", &translated).unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            ["missing `title`", "missing required field `category`"]
        );
    }

    #[test]
    fn a_number_written_with_a_unit_gets_a_help_line() {
        let cost = [FieldDecl::new("cost", FieldType::Number)];
        let errors = page("---\ntitle: A\ncost: 1.500 lei\n---\n", &cost).unwrap_err();
        assert_eq!(errors[0].message, "`cost` must be a number, found text");
        assert_eq!(
            errors[0].help.as_deref(),
            Some(
                "write the number alone, without unit or thousands separator (`cost: 1500`), and put the unit `lei` in the field's `label`"
            )
        );
        let minutes = [FieldDecl::new("duration", FieldType::Integer)];
        let errors = page("---\ntitle: A\nduration: 90 min\n---\n", &minutes).unwrap_err();
        assert_eq!(
            errors[0].help.as_deref(),
            Some(
                "write the number alone, without unit or thousands separator (`duration: 90`), and put the unit `min` in the field's `label`"
            )
        );
        // A decimal comma becomes a point.
        let errors = page("---\ntitle: A\ncost: 2,5 €\n---\n", &cost).unwrap_err();
        assert!(
            errors[0].help.as_deref().unwrap().contains("`cost: 2.5`"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_missing_neutral_field_waits_for_the_original() {
        // `category` has allowed values, so a translation may take it
        // from its original: whether it is missing is decided later.
        let fm = page("---\ntitle: A\n---\n", &category()).unwrap();
        let missing: Vec<_> = fm
            .missing_shared
            .iter()
            .map(|(n, d)| (n.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(missing, [("category", "missing required field `category`")]);
    }

    #[test]
    fn field_values_are_checked_against_allowed() {
        let fm = page("---\ntitle: A\ncategory: heat\n---\n", &category()).unwrap();
        assert_eq!(fm.fields["category"], "heat");
        let errors = page("---\ntitle: A\ncategory: hot\n---\n", &category()).unwrap_err();
        assert_eq!(
            errors[0].message,
            "`hot` is not an allowed value of `category`"
        );
        assert_eq!((errors[0].line, errors[0].col), (Some(3), Some(11)));
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let errors = page("---\ntitle: A\nweight: [1\n---\n", &[]).unwrap_err();
        assert!(
            errors[0].message.starts_with("invalid YAML"),
            "{}",
            errors[0].message
        );
        assert!(errors[0].line.unwrap() >= 3);
    }

    #[test]
    fn crlf_front_matter_works() {
        let fm = page("---\r\ntitle: A\r\n---\r\nBody\r\n", &[]).unwrap();
        assert_eq!(fm.title, "A");
    }

    /// The errors of a section's front matter as `path:line:col: message`.
    fn section_errors(text: &str) -> Vec<String> {
        let file = SourceFile::new("s.md".into(), text.into());
        let s = split(&file).unwrap();
        parse(&file, s.yaml, FileKind::Section, Some(&[]), "de")
            .unwrap_err()
            .iter()
            .map(|d| format!("s.md:{}:{}: {}", d.line.unwrap(), d.col.unwrap(), d.message))
            .collect()
    }

    #[test]
    fn errors_in_field_declarations_point_at_the_entry() {
        let text = "---
title: S
fields:
  - name: audience
    type: list
    allowed: [pupils, teachers]
  - name: topic
    type: list
    allowed: [heat, {rain: 1}]
    colour: red
  - name: audience
    type: string
  - name: level
    type: numbr
  - name: kind
    required: yes
    labels: {heet: Hitze}
    allowed: [heat]
  - type: string
---
";
        assert_eq!(
            section_errors(text),
            [
                "s.md:10:5: field `topic` has unknown property `colour`",
                "s.md:9:21: `allowed` must be a list of text values, found a mapping",
                "s.md:11:5: field `audience` is declared twice",
                "s.md:14:11: field `level` has unknown type `numbr`",
                "s.md:16:15: `required` must be `true` or `false`, found text",
                "s.md:17:14: `labels` of field `kind` names `heet`, which is not an allowed value",
                "s.md:19:5: a field declaration has no `name`",
            ]
        );
    }

    #[test]
    fn a_field_declaration_is_found_by_its_own_entry() {
        // `name: a` is also the start of `name: ab`, declared first.
        let text = "---\ntitle: S\nfields:\n  - name: ab\n  - name: a\n    section: x\n---\n";
        assert_eq!(
            section_errors(text),
            ["s.md:6:5: field `a` has `section`, which only `pages` fields take"]
        );
    }

    #[test]
    fn a_tab_in_yaml_is_called_a_tab() {
        let errors = page("---\ntitle: A\nextra:\n\tnote: x\n---\n", &[]).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].col), (Some(4), Some(1)));
        assert!(errors[0].message.contains("tab"), "{}", errors[0].message);
    }

    #[test]
    fn list_values_are_checked_item_by_item() {
        let audience = vec![FieldDecl {
            allowed: vec!["pupils".into(), "teachers".into()],
            ..FieldDecl::new("audience", FieldType::List)
        }];
        let errors = page(
            "---\ntitle: A\naudience: [pupils, techers, [x]]\n---\n",
            &audience,
        )
        .unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.line.unwrap(), e.col.unwrap(), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                3,
                29,
                "`audience` must be a list of text values, found a list"
            )]
        );
        let errors = page(
            "---\ntitle: A\naudience:\n  - pupils\n  - techers\n---\n",
            &audience,
        )
        .unwrap_err();
        assert_eq!((errors[0].line, errors[0].col), (Some(5), Some(5)));
        assert_eq!(
            errors[0].message,
            "`techers` is not an allowed value of `audience`"
        );
    }

    #[test]
    fn control_characters_are_found() {
        assert_eq!(control_character("tab\tand\nline"), None);
        assert_eq!(control_character("é – ✓"), None);
        for c in [
            '\u{0}', '\u{7}', '\u{b}', '\r', '\u{1b}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}',
        ] {
            assert_eq!(control_character(&format!("a{c}b")), Some(c), "{c:?}");
        }
        let fm = page("---\ntitle: ok\ndescription: \"a\\u0085b\"\n---\n", &[]);
        let errors = fm.unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].col), (Some(3), Some(14)));
        assert!(
            errors[0].message.contains("U+0085"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn slugs_cannot_escape() {
        assert!(check_slug("../../etc").is_err());
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("..").is_err());
        assert!(check_slug("index.html").is_err());
        assert!(check_slug("Feed.XML").is_err());
        assert!(check_slug("bericht-2024.pdf").is_ok());
        assert!(check_slug("hitze-check").is_ok());
    }

    #[test]
    fn dates_are_validated() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-08-13T10:00:00+02:00").is_some());
        assert!(Date::parse("13.08.2024").is_none());
        assert!(Date::parse("2021-01-01T25:99:99Z").is_none());
        assert!(Date::parse("2021-01-01T10:00:00").is_some());
        assert!(Date::parse("2021-01-01 10:00:00Z").is_some());
        assert!(Date::parse("2021-01-01Tgarbage").is_none());
        // The date as written, not the UTC date of the time.
        let late = Date::parse("2024-08-13T23:30:00-05:00").unwrap();
        assert_eq!(late.iso(), "2024-08-13");
        assert_eq!(
            late.midnight_utc().unwrap().to_string(),
            "2024-08-13T00:00:00Z"
        );
        for other_form in ["20240813", "-002024-08-13", "2024-8-13", "2024-08-13Z"] {
            assert!(Date::parse(other_form).is_none(), "{other_form}");
        }
        assert!(Date::parse(" 2024-08-13T10:00:00.5+0200[Europe/Berlin] ").is_some());
    }
}
