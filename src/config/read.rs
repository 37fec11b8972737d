//! Reading each setting of site.yaml: one function per key (or group of
//! keys), each reporting its own errors at the value's line, so
//! [`SiteConfig::parse`](super::SiteConfig::parse) reads as the list of
//! settings in the order their errors come out.

use std::collections::BTreeMap;

use yaml_serde::Value;

use super::{
    BUILT_WITHOUT_PDF, BUILT_WITHOUT_SEARCH, BaseUrl, ContentScripts, EDIT_URL_PLACEHOLDERS,
    EditUrl, Feeds, IMPRINT_FIELDS, KNOWN_KEYS, Language, Paper, Untranslated, is_language_code,
};
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::yaml::{LocatedMapping, kind_of};

/// The section folders of `print: [cards, publication]`.
pub(super) fn read_print(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Diagnostic)> {
    let items = yaml
        .entry("print")
        .map(|e| e.node.items())
        .unwrap_or_default();
    let mut folders = Vec::new();
    for item in items {
        match item.value.as_str() {
            Some(folder) => folders.push((folder.to_string(), file.locate(item.span.clone()))),
            None => errors.push(file.error(
                item.span,
                format!(
                    "an entry of `print` must be a section folder, found {}",
                    kind_of(item.value)
                ),
            )),
        }
    }
    folders
}

/// `publish_hidden: [".htaccess", "docs/.nojekyll"]`: hidden paths of
/// `static/` to publish. Each must be a relative path inside `static/`
/// with a hidden part; `.git` and drehbuch's marker never are published.
pub(super) fn read_publish_hidden(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let help = "list hidden files or folders of static/ to publish, e.g. `publish_hidden: [\".htaccess\"]`";
    let Some(value) = yaml.entry("publish_hidden").map(|e| e.value(&file.text)) else {
        return Vec::new();
    };
    match value.value {
        Value::Null => return Vec::new(),
        Value::Sequence(_) => {}
        other => {
            errors.push(
                file.error(
                    value.span.clone(),
                    format!(
                        "`publish_hidden` must be a list of paths in static/, found {}",
                        kind_of(other)
                    ),
                )
                .with_help(help),
            );
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for item in value.items() {
        let span = || item.span.clone();
        let Some(entry) = item.value.as_str() else {
            errors.push(
                file.error(
                    span(),
                    format!(
                        "an entry of `publish_hidden` must be a path, found {}",
                        kind_of(item.value)
                    ),
                )
                .with_help(help),
            );
            continue;
        };
        let parts: Vec<&str> = entry.split('/').collect();
        let problem = if entry.starts_with('/') || entry.contains('\\') {
            Some(format!(
                "`{entry}` must be a path inside static/, like `.htaccess` or `docs/.nojekyll`"
            ))
        } else if parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == "..")
        {
            Some(format!(
                "`{entry}` must be a path inside static/, without `.`, `..` or empty parts"
            ))
        } else if parts.contains(&".git") || entry == crate::sources::OUTPUT_MARKER {
            Some(format!(
                "`{entry}` is never published: a repository holds your history, the marker drehbuch's list of what a build wrote"
            ))
        } else if !parts.iter().any(|p| p.starts_with('.')) {
            Some(format!(
                "`{entry}` is not hidden: files and folders whose names do not start with `.` are always published"
            ))
        } else {
            None
        };
        match problem {
            Some(message) => errors.push(file.error(span(), message).with_help(help)),
            None => out.push(entry.to_string()),
        }
    }
    out
}

/// `edit_url: "…{path}…"`: checked by [`EditUrl::parse`]; an unknown
/// placeholder is reported where it stands, with the known ones.
pub(super) fn read_edit_url(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Option<EditUrl> {
    let pattern = get_str(file, yaml, "edit_url", errors)?;
    let known: Vec<String> = EDIT_URL_PLACEHOLDERS
        .iter()
        .map(|(name, meaning)| format!("`{{{name}}}` ({meaning})"))
        .collect();
    match EditUrl::parse(&pattern) {
        Ok(edit_url) => Some(edit_url),
        Err((bad, message)) => {
            let span = yaml.value_span(file, "edit_url");
            // Point at the placeholder itself when the value stands in the
            // file as written (plain or between simple quotes).
            let raw = file.text.get(span.clone()).unwrap_or("");
            let start = if raw == pattern {
                Some(span.start)
            } else if raw.len() >= 2
                && raw.starts_with(['"', '\''])
                && raw.get(1..raw.len() - 1) == Some(pattern.as_str())
            {
                Some(span.start + 1)
            } else {
                None
            };
            let at = start.map_or(span, |s| s + bad.start..s + bad.end);
            errors.push(file.error(at, message).with_help(format!(
                "`edit_url` may use {}, e.g. `https://github.com/owner/repo/edit/main/{{path}}`",
                known.join(", ")
            )));
            None
        }
    }
}

/// Every top-level key of site.yaml must be a known one; an unknown key
/// is an error with a did-you-mean.
pub(super) fn check_keys(file: &SourceFile, yaml: &LocatedMapping, errors: &mut Vec<Diagnostic>) {
    for (key, _) in &yaml.mapping {
        let key = crate::yaml::key_text(key);
        if !KNOWN_KEYS.contains(&key.as_str()) {
            let mut d = file.error(
                yaml.span_of(&key),
                format!("unknown key `{key}` in site.yaml"),
            );
            d = match did_you_mean(&key, KNOWN_KEYS) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("known keys: {}", KNOWN_KEYS.join(", "))),
            };
            errors.push(d);
        }
    }
}

/// `default_language`: required, and one of `languages`.
pub(super) fn read_default_language(
    file: &SourceFile,
    yaml: &LocatedMapping,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> String {
    match get_str(file, yaml, "default_language", errors) {
        Some(code) if codes.contains(&code.as_str()) => code,
        Some(code) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "default_language"),
                    format!("default language `{code}` is not in `languages`"),
                )
                .with_help(format!("use one of: {}", codes.join(", "))),
            );
            code
        }
        None => {
            if !yaml.key_spans.contains_key("default_language") {
                errors.push(
                    file.error(0..0, "missing `default_language`")
                        .with_help("add e.g. `default_language: de`"),
                );
            }
            String::new()
        }
    }
}

/// `base_url`: a full URL; `http://localhost/` when absent or wrong.
pub(super) fn read_base_url(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> BaseUrl {
    match get_str(file, yaml, "base_url", errors) {
        Some(url) => match BaseUrl::parse(&url) {
            Ok(b) => b,
            Err(message) => {
                errors.push(file.error(yaml.value_span(file, "base_url"), message));
                BaseUrl::parse("http://localhost/").expect("constant URL parses")
            }
        },
        None => BaseUrl::parse("http://localhost/").expect("constant URL parses"),
    }
}

/// `theme`: a folder name under themes/ (`default` when absent).
pub(super) fn read_theme(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let theme = get_str(file, yaml, "theme", errors).unwrap_or_else(|| "default".into());
    if theme.contains(['/', '\\']) || theme.starts_with('.') {
        errors.push(file.error(
            yaml.value_span(file, "theme"),
            "a theme is a folder name under themes/, not a path",
        ));
    }
    theme
}

/// `untranslated`: `link` (the default) or `render`.
pub(super) fn read_untranslated(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Untranslated {
    match get_str(file, yaml, "untranslated", errors).as_deref() {
        None | Some("link") => Untranslated::Link,
        Some("render") => Untranslated::Render,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "untranslated"),
                    format!("`untranslated` must be `link` or `render`, not `{other}`"),
                )
                .with_help("`link` lists the original with an \"only in …\" mark; `render` renders it under each language with a notice"),
            );
            Untranslated::Link
        }
    }
}

/// `content_scripts`: `warn` (the default), `error` or `allow`.
pub(super) fn read_content_scripts(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> ContentScripts {
    match get_str(file, yaml, "content_scripts", errors).as_deref() {
        None | Some("warn") => ContentScripts::Warn,
        Some("error") => ContentScripts::Error,
        Some("allow") => ContentScripts::Allow,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "content_scripts"),
                    format!("`content_scripts` must be `warn`, `error` or `allow`, not `{other}`"),
                )
                .with_help("`warn` reports <script>, on…= handlers and javascript: URLs in content; `error` fails the build; `allow` says nothing"),
            );
            ContentScripts::Warn
        }
    }
}

/// `slugs`: `unicode` (the default) or `ascii`.
pub(super) fn read_slugs(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> crate::text::SlugStyle {
    match get_str(file, yaml, "slugs", errors).as_deref() {
        None | Some("unicode") => crate::text::SlugStyle::Unicode,
        Some("ascii") => crate::text::SlugStyle::Ascii,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "slugs"),
                    format!("`slugs` must be `unicode` or `ascii`, not `{other}`"),
                )
                .with_help("`unicode` keeps letters of non-Latin scripts in URLs (`/bg/търсене/`); `ascii` transliterates Cyrillic and leaves other scripts out"),
            );
            crate::text::SlugStyle::Unicode
        }
    }
}

/// `search`: true or false; on by default in builds with the `search`
/// feature, and an error when asked for in a build without it.
pub(super) fn read_search(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    match yaml.mapping.get("search") {
        None | Some(Value::Null) => cfg!(feature = "search"),
        Some(Value::Bool(true)) if !cfg!(feature = "search") => {
            errors.push(
                file.error(yaml.value_span(file, "search"), BUILT_WITHOUT_SEARCH)
                    .with_help("set `search: false` or install a build with search (the release binaries have it)"),
            );
            false
        }
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "search"),
                    format!("`search` must be true or false, found {}", kind_of(other)),
                )
                .with_help("`search: false` builds the site without a search index"),
            );
            true
        }
    }
}

/// `pdf`: true or false; on by default in builds with the `pdf` feature,
/// and an error when asked for in a build without it.
pub(super) fn read_pdf(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    match yaml.mapping.get("pdf") {
        None | Some(Value::Null) => cfg!(feature = "pdf"),
        Some(Value::Bool(true)) if !cfg!(feature = "pdf") => {
            errors.push(
                file.error(yaml.value_span(file, "pdf"), BUILT_WITHOUT_PDF)
                    .with_help("set `pdf: false` or install a build with PDFs (the release binaries have them)"),
            );
            false
        }
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "pdf"),
                    format!("`pdf` must be true or false, found {}", kind_of(other)),
                )
                .with_help("`pdf: false` builds the print editions without their typeset PDFs"),
            );
            cfg!(feature = "pdf")
        }
    }
}

/// `paper`: `a4` (the default) or `a5`.
pub(super) fn read_paper(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Paper {
    match get_str(file, yaml, "paper", errors).as_deref() {
        None | Some("a4" | "A4") => Paper::A4,
        Some("a5" | "A5") => Paper::A5,
        Some(other) => {
            let suggestion = crate::diagnostics::did_you_mean(other, ["a4", "a5"].iter().copied())
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            errors.push(
                file.error(
                    yaml.value_span(file, "paper"),
                    format!("`paper` must be `a4` or `a5`, not `{other}`"),
                )
                .with_help(format!("{suggestion}`a4` (210 × 297 mm) is the default; `a5` (148 × 210 mm) makes a booklet")),
            );
            Paper::A4
        }
    }
}

/// `feeds: false`, `feeds: true`, or `feeds: {entries: 20, sections: true}`.
pub(super) fn read_feeds(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Feeds {
    let help = "write `feeds: false`, or `feeds: {entries: 20, sections: true}`";
    let mut feeds = Feeds::default();
    let Some(value) = yaml.entry("feeds").map(|e| e.value(&file.text)) else {
        return feeds;
    };
    match value.value {
        Value::Null | Value::Bool(true) => {}
        Value::Bool(false) => feeds.enabled = false,
        Value::Mapping(_) => {
            for entry in value.entries() {
                let span = entry.span(&file.text);
                match (entry.key.as_str(), entry.node.value) {
                    ("entries", Value::Number(n))
                        if n.as_u64().is_some_and(|n| (1..=10_000).contains(&n)) =>
                    {
                        feeds.entries = n.as_u64().unwrap_or(20) as usize;
                    }
                    ("entries", _) => errors.push(
                        file.error(
                            span,
                            "`feeds.entries` must be a whole number from 1 to 10000",
                        )
                        .with_help(help),
                    ),
                    ("sections", Value::Bool(b)) => feeds.sections = *b,
                    ("sections", _) => errors.push(
                        file.error(span, "`feeds.sections` must be true or false")
                            .with_help(help),
                    ),
                    (other, _) => {
                        let mut d = file.error(
                            entry.key_span.clone(),
                            format!("unknown key `{other}` in `feeds`"),
                        );
                        d = match did_you_mean(other, ["entries", "sections"]) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help(help),
                        };
                        errors.push(d);
                    }
                }
            }
        }
        other => errors.push(
            file.error(
                value.span.clone(),
                format!(
                    "`feeds` must be true, false or a map, found {}",
                    kind_of(other)
                ),
            )
            .with_help(help),
        ),
    }
    feeds
}

/// `imprint: {subtitle: …, publisher: {de: …, en: …}, …}`: each field one
/// text for every language or a map of language to text.
pub(super) fn read_imprint(
    file: &SourceFile,
    yaml: &LocatedMapping,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let help = "write e.g. `imprint: {subtitle: {de: …, en: …}, publisher: …, licence: CC BY 4.0}`";
    let mut imprint = BTreeMap::new();
    let Some(value) = yaml.entry("imprint").map(|e| e.value(&file.text)) else {
        return imprint;
    };
    match value.value {
        Value::Null => {}
        Value::Mapping(_) => {
            for entry in value.entries() {
                let field = entry.key.as_str();
                if !IMPRINT_FIELDS.contains(&field) {
                    let d = file.error(
                        entry.key_span.clone(),
                        format!("unknown key `{field}` in `imprint`"),
                    );
                    errors.push(match did_you_mean(field, IMPRINT_FIELDS) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(format!("known keys: {}", IMPRINT_FIELDS.join(", "))),
                    });
                    continue;
                }
                let mut texts = BTreeMap::new();
                match entry.node.value {
                    Value::String(text) => {
                        for code in codes {
                            texts.insert(code.to_string(), text.clone());
                        }
                    }
                    Value::Mapping(_) => {
                        for language in entry.node.entries() {
                            match language.node.value.as_str() {
                                _ if !codes.contains(&language.key.as_str()) => errors.push(
                                    file.error(
                                        language.key_span.clone(),
                                        format!("`imprint.{field}` has an entry for `{}`, which is not in `languages`", language.key),
                                    )
                                    .with_help(format!("use one of: {}", codes.join(", "))),
                                ),
                                Some(text) => {
                                    texts.insert(language.key.clone(), text.to_string());
                                }
                                None => errors.push(
                                    file.error(
                                        language.span(&file.text),
                                        format!("`imprint.{field}.{}` must be text", language.key),
                                    )
                                    .with_help(help),
                                ),
                            }
                        }
                    }
                    other => errors.push(
                        file.error(
                            entry.span(&file.text),
                            format!(
                                "`imprint.{field}` must be text or a map of language to text, found {}",
                                kind_of(other)
                            ),
                        )
                        .with_help(help),
                    ),
                }
                imprint.insert(field.to_string(), texts);
            }
        }
        other => errors.push(
            file.error(
                yaml.value_span(file, "imprint"),
                format!("`imprint` must be a map, found {}", kind_of(other)),
            )
            .with_help(help),
        ),
    }
    imprint
}

/// `favicon:` or `logo:`: an absolute http(s) URL, or a file of the site
/// (`img/logo.svg` or `/img/logo.svg`, from `static/`), returned as a site
/// path with a leading slash.
pub(super) fn read_image(
    file: &SourceFile,
    yaml: &LocatedMapping,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = get_str(file, yaml, key, errors)?;
    let value = value.trim();
    if value.starts_with("https://") || value.starts_with("http://") {
        return Some(value.to_string());
    }
    let path = value.trim_start_matches('/');
    let bad = path.is_empty()
        || path.contains("://")
        || path.contains(['"', '<', '>', '\\', ' ', '?', '#'])
        || path
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty());
    if bad {
        errors.push(
            file.error(
                yaml.value_span(file, key),
                format!("`{key}` must be a file of the site like `img/{key}.svg` or an http(s) URL, not `{value}`"),
            )
            .with_help(format!("put the image under static/ and write its path, e.g. `{key}: img/{key}.svg`")),
        );
        return None;
    }
    Some(format!("/{path}"))
}

fn get_str(
    file: &SourceFile,
    yaml: &LocatedMapping,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    match yaml.mapping.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => {
            errors.push(file.error(
                yaml.value_span(file, key),
                format!("`{key}` must be text, found {}", kind_of(other)),
            ));
            None
        }
    }
}

pub(super) fn read_languages(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let span = yaml.span_of("languages");
    let Some(entry) = yaml.entry("languages") else {
        errors.push(
            file.error(0..0, "missing `languages`")
                .with_help("list the site's languages, e.g. `languages: [{code: de, name: Deutsch}, {code: en, name: English}]`"),
        );
        return Vec::new();
    };
    if !matches!(entry.node.value, Value::Sequence(_)) {
        errors.push(file.error(
            entry.span(&file.text),
            "`languages` must be a list of `{code, name}` entries",
        ));
        return Vec::new();
    }
    let mut languages: Vec<Language> = Vec::new();
    let mut fallback_spans = Vec::new();
    for item in entry.node.items() {
        let code_entry = item.get("code");
        // Errors about the entry point at its code, or at the entry.
        let at = code_entry
            .as_ref()
            .map_or(item.span.clone(), |e| e.span(&file.text));
        let code = code_entry
            .as_ref()
            .and_then(|e| e.node.value.as_str())
            .unwrap_or("");
        let name = item
            .get("name")
            .and_then(|e| e.node.value.as_str())
            .unwrap_or(code);
        if !is_language_code(code) {
            errors.push(
                file.error(at, format!("`{code}` is not a language code"))
                    .with_help(
                        "each entry needs `code` (like `de`, `en`, `ro`, `pt-BR`) and `name`",
                    ),
            );
            continue;
        }
        if languages.iter().any(|l| l.code == code) {
            errors.push(file.error(at, format!("language `{code}` is listed twice")));
            continue;
        }
        let fallback = read_fallback(file, &item, code, errors);
        if let Some(e) = item.get("fallback") {
            fallback_spans.push((code.to_string(), e.span(&file.text)));
        }
        languages.push(Language {
            code: code.to_string(),
            name: name.to_string(),
            fallback,
        });
    }
    if languages.is_empty() && errors.is_empty() {
        errors.push(
            file.error(span.clone(), "`languages` is empty")
                .with_help("list at least one language"),
        );
    }
    for language in &languages {
        for code in &language.fallback {
            if !languages.iter().any(|l| &l.code == code) {
                let at = fallback_spans
                    .iter()
                    .find(|(c, _)| *c == language.code)
                    .map_or(span.clone(), |(_, at)| at.clone());
                errors.push(
                    file.error(
                        at,
                        format!(
                            "the fallback `{code}` of `{}` is not in `languages`",
                            language.code
                        ),
                    )
                    .with_help(format!(
                        "fall back to languages of the site: {}",
                        languages
                            .iter()
                            .map(|l| l.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
        }
    }
    languages
}

/// The `fallback: [en, de]` list of one `languages` entry: language codes,
/// not the language itself, none twice.
fn read_fallback(
    file: &SourceFile,
    item: &crate::yaml::Node,
    code: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let Some(entry) = item.get("fallback") else {
        return Vec::new();
    };
    let at = entry.span(&file.text);
    let help = "list the languages to show instead, best first, e.g. `fallback: [en, de]`";
    let values: Vec<Option<&str>> = match &entry.node.value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![Some(s.as_str())],
        Value::Sequence(items) => items.iter().map(Value::as_str).collect(),
        other => {
            errors.push(
                file.error(
                    at,
                    format!(
                        "`fallback` must be a list of language codes, found {}",
                        kind_of(other)
                    ),
                )
                .with_help(help),
            );
            return Vec::new();
        }
    };
    let mut out: Vec<String> = Vec::new();
    for value in values {
        match value {
            Some(c) if c == code => errors.push(
                file.error(at.clone(), format!("`{code}` cannot fall back to itself"))
                    .with_help(help),
            ),
            Some(c) if is_language_code(c) => {
                if !out.iter().any(|o| o == c) {
                    out.push(c.to_string());
                }
            }
            other => errors.push(
                file.error(
                    at.clone(),
                    format!("`{}` is not a language code", other.unwrap_or("")),
                )
                .with_help(help),
            ),
        }
    }
    out
}

pub(super) fn read_language_map(
    file: &SourceFile,
    yaml: &LocatedMapping,
    key: &str,
    codes: &[&str],
    required: bool,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let entry = yaml.entry(key);
    match entry.as_ref().map(|e| e.node.value) {
        None | Some(Value::Null) => {
            if required {
                errors.push(
                    file.error(0..0, format!("missing `{key}`"))
                        .with_help(format!("add `{key}:` with one entry per language, e.g. `{key}: {{de: …, en: …}}`")),
                );
            }
        }
        Some(Value::String(s)) => {
            for code in codes {
                map.insert(code.to_string(), s.clone());
            }
        }
        Some(Value::Mapping(_)) => {
            for language in entry.iter().flat_map(|e| e.node.entries()) {
                let k = language.key;
                if !codes.contains(&k.as_str()) {
                    errors.push(file.error(
                        language.key_span,
                        format!("`{key}` has an entry for `{k}`, which is not in `languages`"),
                    ));
                }
                if let Some(s) = language.node.value.as_str() {
                    map.insert(k, s.to_string());
                }
            }
            if required {
                for code in codes {
                    if !map.contains_key(*code) {
                        errors.push(
                            file.error(
                                yaml.span_of(key),
                                format!("`{key}` has no entry for language `{code}`"),
                            )
                            .with_help(format!("add `{code}: …` under `{key}`")),
                        );
                    }
                }
            }
        }
        Some(other) => errors.push(file.error(
            yaml.value_span(file, key),
            format!(
                "`{key}` must be text or a map of language to text, found {}",
                kind_of(other)
            ),
        )),
    }
    map
}
