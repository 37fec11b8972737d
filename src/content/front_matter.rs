//! Front matter: the YAML block between `---` lines at the top of a content
//! file, checked against the built-in keys and the section's declared
//! `fields`. Every problem is a diagnostic at the key's line and column.

use std::collections::BTreeMap;
use std::ops::Range;

use yaml_serde::Value;

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::yaml::{LocatedMapping, key_text, kind_of, parse_mapping, to_json};

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

/// A calendar date from front matter (`2024-08-13` or an RFC 3339 time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, optionally followed by a valid time
    /// (`T10:30:00`, `T10:30:00Z`, `T10:30:00+02:00`, or with a space
    /// instead of `T`). Impossible dates and times (`2021-02-30`,
    /// `T25:99:99Z`) are rejected.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let date_part = text.get(..10)?;
        if date_part.len() != 10 || date_part.as_bytes()[4] != b'-' {
            return None;
        }
        let date: jiff::civil::Date = date_part.parse().ok()?;
        let rest = &text[10..];
        if !rest.is_empty() {
            let normalized = text.replacen(' ', "T", 1);
            let valid = normalized.parse::<jiff::Timestamp>().is_ok()
                || normalized.parse::<jiff::civil::DateTime>().is_ok_and(|dt| {
                    // A civil datetime parse accepts trailing offsets only
                    // through Timestamp; here only plain times are valid.
                    !normalized[10..].contains(['Z', 'z', '+']) && dt.date() == date
                });
            if !valid {
                return None;
            }
        }
        Some(Date {
            year: i32::from(date.year()),
            month: date.month() as u32,
            day: date.day() as u32,
        })
    }

    /// The start of the day in UTC, for feeds.
    pub fn midnight_utc(&self) -> Option<jiff::Timestamp> {
        let month = i8::try_from(self.month).ok()?;
        let day = i8::try_from(self.day).ok()?;
        let year = i16::try_from(self.year).ok()?;
        let date = jiff::civil::Date::new(year, month, day).ok()?;
        jiff::tz::TimeZone::UTC
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .ok()
    }

    /// `YYYY-MM-DD`, for sitemaps and `datetime` attributes.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The type of a section field, as declared in the section's `_index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// true or false.
    Boolean,
    /// A calendar date.
    Date,
    /// A list of text values.
    List,
    /// A list of other pages of the same section, by file stem.
    Pages,
    /// A web address (`https://…`), shown as a link.
    Url,
}

impl FieldType {
    /// The type's name as written in a declaration.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::List => "list",
            FieldType::Pages => "pages",
            FieldType::Url => "url",
        }
    }

    const NAMES: [&'static str; 8] = [
        "string", "integer", "number", "boolean", "date", "list", "pages", "url",
    ];

    fn parse(name: &str) -> Option<FieldType> {
        Some(match name {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "list" => FieldType::List,
            "pages" => FieldType::Pages,
            "url" => FieldType::Url,
            _ => return None,
        })
    }
}

/// One typed field a section lets its pages use at the top level.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldDecl {
    /// The key pages write.
    pub name: String,
    /// Its type.
    pub kind: FieldType,
    /// Allowed values (for `string` and `list`), empty when any value is fine.
    pub allowed: Vec<String>,
    /// Whether every page of the section must set it.
    pub required: bool,
    /// Whether each allowed value gets its own listing page
    /// (`/<lang>/<section>/<field label>/<value label>/`), so readers can
    /// filter without JavaScript.
    pub facet: bool,
    /// The field's label per language (`label:` in the declaration; a plain
    /// text in a language's `_index` is that language's label).
    pub label: BTreeMap<String, String>,
    /// Labels of allowed values: value → language → label.
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// For `pages` fields: the section folder the named pages are in
    /// (default: the declaring section).
    pub section: Option<String>,
}

impl FieldDecl {
    /// A declaration with just a name and a type (tests, tools).
    pub fn new(name: &str, kind: FieldType) -> FieldDecl {
        FieldDecl {
            name: name.to_string(),
            kind,
            allowed: Vec::new(),
            required: false,
            facet: false,
            label: BTreeMap::new(),
            labels: BTreeMap::new(),
            section: None,
        }
    }
}

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
    pub feed: Option<bool>,
    /// Fields whose value was given but is invalid (already reported), so
    /// they are not also reported as missing.
    pub invalid_fields: Vec<String>,
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
    let mut errors = Vec::new();
    let mut fm = FrontMatter {
        block: yaml_range.start..yaml_range.start,
        extra: serde_json::Value::Object(Default::default()),
        ..FrontMatter::default()
    };
    let reader = Reader {
        file,
        yaml: &yaml,
        locate: None,
    };

    for (key, value) in &yaml.mapping {
        let key = key_text(key);
        match key.as_str() {
            "title" => fm.title = reader.text(&key, value, &mut errors).unwrap_or_default(),
            "description" => fm.description = reader.text(&key, value, &mut errors),
            "slug" => {
                fm.slug = reader.text(&key, value, &mut errors);
                fm.slug_at = Some(Box::new(file.locate(yaml.value_span(file, "slug"))));
            }
            "translation_key" => fm.translation_key = reader.text(&key, value, &mut errors),
            "translated_from" => fm.translated_from = reader.text(&key, value, &mut errors),
            "template" => {
                fm.template = reader.text(&key, value, &mut errors);
                fm.template_at = Some(Box::new(file.locate(yaml.value_span(file, "template"))));
            }
            "date" => fm.date = reader.date(&key, value, &mut errors),
            "updated" => fm.updated = reader.date(&key, value, &mut errors),
            "weight" => fm.weight = reader.integer(&key, value, &mut errors),
            "draft" => fm.draft = reader.boolean(&key, value, &mut errors).unwrap_or(false),
            "extra" => {
                if value.is_mapping() {
                    fm.extra = to_json(value);
                } else {
                    errors.push(reader.type_error(&key, "a mapping of free keys", value));
                }
            }
            "fields" if kind == FileKind::Section => {
                fm.field_decls = reader.field_decls(value, lang, &mut errors);
            }
            "layout" if kind == FileKind::Section => {
                fm.layout = reader.text(&key, value, &mut errors);
            }
            "group_by" if kind == FileKind::Section => {
                fm.group_by = reader.text(&key, value, &mut errors);
            }
            "feed" if kind == FileKind::Section => {
                fm.feed = reader.boolean(&key, value, &mut errors);
            }
            "source" if kind == FileKind::Section => {
                fm.source = reader
                    .text(&key, value, &mut errors)
                    .map(|path| (path, yaml.value_span(file, "source")));
            }
            _ => match fields.iter().find(|f| f.name == key) {
                Some(decl) if kind == FileKind::Page => {
                    reader.field_value(decl, value, &mut fm, &mut errors);
                }
                _ if lenient => {}
                _ => errors.push(unknown_key(file, &yaml, &key, kind, fields)),
            },
        }
    }

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
                errors.push(
                    file.error(
                        opening_fence.clone(),
                        format!("missing required field `{}`", decl.name),
                    )
                    .with_help(format!(
                        "the section's _index declares `{}` as required{}",
                        decl.name,
                        allowed_hint(decl)
                    )),
                );
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
    yaml: &LocatedMapping,
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
    let d = file.error(
        yaml.span_of(key),
        format!("unknown front matter key `{key}`"),
    );
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

/// Finds where the value of a key stands in a file.
pub(crate) type Locate<'a> = dyn Fn(&str) -> Range<usize> + 'a;

/// Reads typed values from a file, reporting problems at the value's place.
/// Front matter locates values by their YAML key; data sources
/// ([`super::source`]) by their cell.
pub(crate) struct Reader<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) yaml: &'a LocatedMapping,
    /// Where the value of a key stands, when not found through `yaml`.
    pub(crate) locate: Option<&'a Locate<'a>>,
}

impl Reader<'_> {
    fn span(&self, key: &str) -> Range<usize> {
        match self.locate {
            Some(locate) => locate(key),
            None => self.yaml.value_span(self.file, key),
        }
    }

    fn type_error(&self, key: &str, expected: &str, found: &Value) -> Diagnostic {
        self.file.error(
            self.span(key),
            format!("`{key}` must be {expected}, found {}", kind_of(found)),
        )
    }

    pub(crate) fn text(
        &self,
        key: &str,
        value: &Value,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        match value {
            Value::String(s) => {
                self.check_controls(key, s, errors);
                Some(s.clone())
            }
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                errors.push(
                    self.type_error(key, "text", other)
                        .with_help("put the text in quotes"),
                );
                None
            }
        }
    }

    /// A control character in a text value is an error at the value.
    fn check_controls(&self, key: &str, text: &str, errors: &mut Vec<Diagnostic>) {
        if let Some(c) = control_character(text) {
            errors.push(control_character_error(self.file, self.span(key), key, c));
        }
    }

    pub(crate) fn date(
        &self,
        key: &str,
        value: &Value,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Date> {
        let text = self.text(key, value, errors)?;
        let date = Date::parse(&text);
        if date.is_none() {
            errors.push(
                self.file
                    .error(
                        self.span(key),
                        format!("`{key}` is not a valid date: `{text}`"),
                    )
                    .with_help("write dates as YYYY-MM-DD, e.g. 2026-11-27"),
            );
        }
        date
    }

    pub(crate) fn integer(
        &self,
        key: &str,
        value: &Value,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<i64> {
        match value.as_i64() {
            Some(i) => Some(i),
            None => {
                errors.push(self.type_error(key, "a whole number", value));
                None
            }
        }
    }

    pub(crate) fn boolean(
        &self,
        key: &str,
        value: &Value,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<bool> {
        match value.as_bool() {
            Some(b) => Some(b),
            None => {
                errors.push(self.type_error(key, "`true` or `false`", value));
                None
            }
        }
    }

    fn string_list(
        &self,
        key: &str,
        value: &Value,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Vec<String>> {
        let items = match value {
            Value::Sequence(items) => items.as_slice(),
            Value::String(_) => std::slice::from_ref(value),
            other => {
                errors.push(self.type_error(key, "a list like `[a, b]`", other));
                return None;
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::String(s) => {
                    self.check_controls(key, s, errors);
                    out.push(s.clone());
                }
                Value::Number(n) => out.push(n.to_string()),
                other => {
                    errors.push(self.type_error(key, "a list of text values", other));
                    return None;
                }
            }
        }
        Some(out)
    }

    fn check_allowed(
        &self,
        decl: &FieldDecl,
        values: &[String],
        errors: &mut Vec<Diagnostic>,
    ) -> bool {
        if decl.allowed.is_empty() {
            return true;
        }
        let mut ok = true;
        for v in values {
            if !decl.allowed.contains(v) {
                let mut d = self.file.error(
                    self.span(&decl.name),
                    format!("`{v}` is not an allowed value of `{}`", decl.name),
                );
                d = match did_you_mean(v, decl.allowed.iter().map(String::as_str)) {
                    Some(s) => d.with_help(format!(
                        "did you mean `{s}`? Allowed: {}",
                        decl.allowed.join(", ")
                    )),
                    None => d.with_help(format!("allowed values: {}", decl.allowed.join(", "))),
                };
                errors.push(d);
                ok = false;
            }
        }
        ok
    }

    pub(crate) fn field_value(
        &self,
        decl: &FieldDecl,
        value: &Value,
        fm: &mut FrontMatter,
        errors: &mut Vec<Diagnostic>,
    ) {
        let key = decl.name.as_str();
        let json = match decl.kind {
            FieldType::String => self.text(key, value, errors).and_then(|s| {
                self.check_allowed(decl, std::slice::from_ref(&s), errors)
                    .then_some(serde_json::Value::String(s))
            }),
            FieldType::Integer => self
                .integer(key, value, errors)
                .map(serde_json::Value::from),
            FieldType::Number => match value.as_f64() {
                Some(f) => serde_json::Number::from_f64(f).map(serde_json::Value::Number),
                None => {
                    errors.push(self.type_error(key, "a number", value));
                    None
                }
            },
            FieldType::Boolean => self
                .boolean(key, value, errors)
                .map(serde_json::Value::Bool),
            FieldType::Date => self
                .date(key, value, errors)
                .map(|d| serde_json::Value::String(d.iso())),
            FieldType::List => self.string_list(key, value, errors).and_then(|items| {
                self.check_allowed(decl, &items, errors).then(|| {
                    serde_json::Value::Array(
                        items.into_iter().map(serde_json::Value::String).collect(),
                    )
                })
            }),
            FieldType::Url => self.text(key, value, errors).and_then(|url| {
                let rest = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"));
                let valid = rest.is_some_and(|r| {
                    let host = r.split(['/', '?', '#']).next().unwrap_or("");
                    !host.is_empty() && !host.contains(char::is_whitespace)
                }) && !url.contains(char::is_whitespace);
                if valid {
                    Some(serde_json::Value::String(url))
                } else {
                    errors.push(
                        self.file
                            .error(
                                self.span(key),
                                format!("`{key}` is not a web address: `{url}`"),
                            )
                            .with_help("write the full address, e.g. https://example.org/page"),
                    );
                    None
                }
            }),
            FieldType::Pages => {
                if let Some(items) = self.string_list(key, value, errors) {
                    fm.page_refs
                        .push((decl.name.clone(), items, self.span(key)));
                }
                None
            }
        };
        match json {
            Some(json) => {
                fm.fields.insert(decl.name.clone(), json);
            }
            None if decl.kind != FieldType::Pages && !value.is_null() => {
                fm.invalid_fields.push(decl.name.clone());
            }
            None => {}
        }
    }

    /// Where the declaration of field `name` starts (its `name:` entry),
    /// so errors about it point at the right line.
    fn decl_span(&self, name: &str) -> Range<usize> {
        let fields = self.yaml.span_of("fields");
        let text = &self.file.text;
        let block_end = self.yaml.block.end.min(text.len());
        let from = fields.start.min(block_end);
        for pattern in [
            format!("name: {name}"),
            format!("name: \"{name}\""),
            format!("name: '{name}'"),
        ] {
            if let Some(at) = text[from..block_end].find(&pattern) {
                let start = from + at;
                return start..start + pattern.len();
            }
        }
        fields
    }

    fn field_decls(
        &self,
        value: &Value,
        lang: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<FieldDecl> {
        let span = self.yaml.span_of("fields");
        let Value::Sequence(items) = value else {
            errors.push(self.file.error(
                span,
                "`fields` must be a list of `{name, type, allowed, required}` entries",
            ));
            return Vec::new();
        };
        const PROPERTIES: [&str; 8] = [
            "name", "type", "allowed", "required", "facet", "label", "labels", "section",
        ];
        let mut decls: Vec<FieldDecl> = Vec::new();
        for item in items {
            let name = item.get("name").and_then(Value::as_str).unwrap_or("");
            let type_name = item.get("type").and_then(Value::as_str).unwrap_or("string");
            if name.is_empty() {
                errors.push(
                    self.file
                        .error(span.clone(), "a field declaration has no `name`")
                        .with_help("each entry of `fields` needs `name:`, e.g. `- {name: audience, type: list}`"),
                );
                continue;
            }
            let here = self.decl_span(name);
            if !is_field_name(name) {
                errors.push(
                    self.file
                        .error(
                            here,
                            format!("the field name `{name}` may only have lowercase letters a–z, digits and `_`, and must start with a letter"),
                        )
                        .with_help(format!(
                            "field names become parts of HTML attributes (`data-field-NAME`) and template variables; call it `{}`",
                            field_name_like(name)
                        )),
                );
                continue;
            }
            if BUILT_IN_KEYS.contains(&name) || SECTION_KEYS.contains(&name) {
                errors.push(
                    self.file
                        .error(
                            here,
                            format!("field `{name}` has the name of a built-in key"),
                        )
                        .with_help("choose another name"),
                );
                continue;
            }
            if decls.iter().any(|d| d.name == name) {
                errors.push(
                    self.file
                        .error(here, format!("field `{name}` is declared twice")),
                );
                continue;
            }
            let Some(kind) = FieldType::parse(type_name) else {
                let mut d = self.file.error(
                    here,
                    format!("field `{name}` has unknown type `{type_name}`"),
                );
                d = match did_you_mean(type_name, FieldType::NAMES) {
                    Some(t) => d.with_help(format!(
                        "did you mean `{t}`? Types: {}",
                        FieldType::NAMES.join(", ")
                    )),
                    None => d.with_help(format!("types: {}", FieldType::NAMES.join(", "))),
                };
                errors.push(d);
                continue;
            };
            if let Some(map) = item.as_mapping() {
                for (k, _) in map {
                    let k = key_text(k);
                    if !PROPERTIES.contains(&k.as_str()) {
                        let mut d = self.file.error(
                            here.clone(),
                            format!("field `{name}` has unknown property `{k}`"),
                        );
                        d = match did_you_mean(&k, PROPERTIES) {
                            Some(p) => d.with_help(format!("did you mean `{p}`?")),
                            None => d.with_help(format!("a field has {}", PROPERTIES.join(", "))),
                        };
                        errors.push(d);
                    }
                }
            }
            let allowed: Vec<String> = item
                .get("allowed")
                .and_then(Value::as_sequence)
                .map(|s| s.iter().map(key_text).collect())
                .unwrap_or_default();
            let required = item
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let facet = item.get("facet").and_then(Value::as_bool).unwrap_or(false);
            if facet && (allowed.is_empty() || !matches!(kind, FieldType::String | FieldType::List))
            {
                errors.push(
                    self.file
                        .error(here.clone(), format!("field `{name}` is a facet but has no `allowed` values"))
                        .with_help("facets need `type: string` or `type: list` with `allowed:` values, one listing page each"),
                );
            }
            let label = match item.get("label") {
                None | Some(Value::Null) => BTreeMap::new(),
                Some(value) => match per_language(value, lang) {
                    Some(map) => map,
                    None => {
                        errors.push(self.file.error(here.clone(), format!("the `label` of field `{name}` must be text or a map of language to text"))
                            .with_help("label: {de: Zielgruppe, en: Audience}, or plain text in each language's _index"));
                        BTreeMap::new()
                    }
                },
            };
            let mut labels = BTreeMap::new();
            match item.get("labels") {
                None | Some(Value::Null) => {}
                Some(Value::Mapping(map)) => {
                    for (value_key, text) in map {
                        let value_key = key_text(value_key);
                        if !allowed.is_empty() && !allowed.contains(&value_key) {
                            let mut d = self.file.error(here.clone(), format!("`labels` of field `{name}` names `{value_key}`, which is not an allowed value"));
                            if let Some(s) =
                                did_you_mean(&value_key, allowed.iter().map(String::as_str))
                            {
                                d = d.with_help(format!("did you mean `{s}`?"));
                            }
                            errors.push(d);
                            continue;
                        }
                        match per_language(text, lang) {
                            Some(map) => {
                                labels.insert(value_key, map);
                            }
                            None => errors.push(self.file.error(here.clone(), format!("the label of `{value_key}` in field `{name}` must be text or a map of language to text"))),
                        }
                    }
                }
                Some(_) => errors.push(
                    self.file
                        .error(
                            here.clone(),
                            format!("`labels` of field `{name}` must map values to labels"),
                        )
                        .with_help("labels: {heat: {de: Hitzevorsorge, en: Heat}}"),
                ),
            }
            let label_texts = label
                .values()
                .chain(labels.values().flat_map(|l| l.values()));
            if let Some(c) = label_texts.filter_map(|t| control_character(t)).next() {
                errors.push(control_character_error(self.file, here.clone(), "label", c));
            }
            let section = item
                .get("section")
                .and_then(Value::as_str)
                .map(|s| s.trim_matches('/').to_string());
            if section.is_some() && kind != FieldType::Pages {
                errors.push(self.file.error(
                    here.clone(),
                    format!("field `{name}` has `section`, which only `pages` fields take"),
                ));
            }
            decls.push(FieldDecl {
                name: name.to_string(),
                kind,
                allowed,
                required,
                facet,
                label,
                labels,
                section,
            });
        }
        decls
    }
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

/// Whether `name` can name a field: `[a-z][a-z0-9_]*`. Templates write
/// field names into attribute names (`data-field-NAME="…"` on card tiles)
/// and variable paths, where anything else would break out or not work.
pub(crate) fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A valid field name close to `name`, for the help line: lowercase, runs
/// of other characters as one `_`.
fn field_name_like(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_');
    match out.chars().next() {
        Some(c) if c.is_ascii_lowercase() => out.to_string(),
        _ => format!("field_{out}").trim_end_matches('_').to_string(),
    }
}

/// A per-language text: plain text (for `lang`) or a map of language to text.
fn per_language(value: &Value, lang: &str) -> Option<BTreeMap<String, String>> {
    match value {
        Value::String(s) => Some([(lang.to_string(), s.clone())].into()),
        Value::Mapping(map) => map
            .iter()
            .map(|(k, v)| Some((key_text(k), v.as_str()?.to_string())))
            .collect(),
        _ => None,
    }
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
        let errors = page("---\nweight: 1\n---\n", &category()).unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            ["missing `title`", "missing required field `category`"]
        );
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

    #[test]
    fn field_names_are_identifiers() {
        for good in ["audience", "a", "hot_days2"] {
            assert!(is_field_name(good), "{good}");
        }
        for bad in ["", "Audience", "2nd", "_x", "a-b", "a b", "x\"onclick", "ä"] {
            assert!(!is_field_name(bad), "{bad}");
        }
        assert_eq!(
            field_name_like("x onmouseover=alert(1) y"),
            "x_onmouseover_alert_1_y"
        );
        assert_eq!(field_name_like("Target-Group"), "target_group");
        assert_eq!(field_name_like("2nd"), "field_2nd");
        assert_eq!(field_name_like("--"), "field");
        for name in [
            "x onmouseover=alert(1) y",
            "Target-Group",
            "2nd",
            "--",
            "ä",
            "",
        ] {
            assert!(is_field_name(&field_name_like(name)), "{name}");
        }
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
    }
}
