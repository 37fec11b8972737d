//! One `i18n/<lang>.yaml` file: UI messages (plain or with plural forms)
//! under `strings:`, and optional overrides of the locale's formats
//! (`months`, `date_format`, `decimal_separator`, `thousands_separator`),
//! which otherwise come from CLDR. Errors point at the key's line.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use yaml_serde::Value;

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::yaml::{key_text, parse_mapping};

/// A UI message: plain text, or plural forms chosen by a count.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    /// The same text for every count.
    Text(String),
    /// CLDR plural categories (`zero`, `one`, `two`, `few`, `many`, `other`).
    Plural(BTreeMap<String, String>),
}

/// What one file says; every part is optional, so a site's file may hold
/// only the strings it adds or changes.
#[derive(Clone, Debug, Default)]
pub struct StringsFile {
    /// Full month names, January first.
    pub months: Option<Vec<String>>,
    /// Date pattern with `{day}`, `{month}`, `{month_number}` and `{year}`.
    pub date_format: Option<String>,
    /// Decimal separator.
    pub decimal_separator: Option<String>,
    /// Grouping separator (used from five digits on).
    pub thousands_separator: Option<String>,
    /// Messages by dotted key (`nav.home`).
    pub messages: BTreeMap<String, Message>,
}

/// Plural categories CLDR defines.
pub(crate) const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

const KNOWN_KEYS: [&str; 5] = [
    "months",
    "date_format",
    "decimal_separator",
    "thousands_separator",
    "strings",
];

/// Parses one strings file; all problems are returned together.
pub(crate) fn parse(file: &SourceFile) -> Result<StringsFile, Vec<Diagnostic>> {
    let yaml = parse_mapping(file, 0..file.text.len()).map_err(|d| vec![d])?;
    let spans = nested_key_spans(&file.text);
    let span = |key: &str| {
        spans
            .get(key)
            .cloned()
            .unwrap_or_else(|| yaml.span_of(key.split('.').next().unwrap_or(key)))
    };
    let mut errors = Vec::new();
    for (key, _) in &yaml.mapping {
        let key = key_text(key);
        if !KNOWN_KEYS.contains(&key.as_str()) {
            let mut d = file.error(yaml.span_of(&key), format!("unknown key `{key}`"));
            d = match did_you_mean(&key, KNOWN_KEYS) {
                Some(s) => d.with_help(format!(
                    "did you mean `{s}`? UI strings go under `strings:`"
                )),
                None => d.with_help("UI strings go under `strings:`"),
            };
            errors.push(d.with_kind("i18n"));
        }
    }
    let months = match yaml.mapping.get("months") {
        None | Some(Value::Null) => None,
        Some(value) => {
            let months: Vec<String> = value
                .as_sequence()
                .map(|s| {
                    s.iter()
                        .map(|v| v.as_str().unwrap_or("").to_string())
                        .collect()
                })
                .unwrap_or_default();
            if months.len() != 12 || months.iter().any(String::is_empty) {
                errors.push(
                    file.error(span("months"), "`months` must list the twelve month names")
                        .with_help("months: [January, February, …, December], or leave `months` out to use CLDR's")
                        .with_kind("i18n"),
                );
            }
            Some(months)
        }
    };
    let text = |key: &str, errors: &mut Vec<Diagnostic>| match yaml.mapping.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(
                file.error(span(key), format!("`{key}` must be text"))
                    .with_kind("i18n"),
            );
            None
        }
    };
    let date_format = text("date_format", &mut errors);
    let decimal_separator = text("decimal_separator", &mut errors);
    let thousands_separator = text("thousands_separator", &mut errors);
    let mut messages = BTreeMap::new();
    match yaml.mapping.get("strings") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(map)) => {
            flatten(file, &span, "", map, &mut messages, &mut errors);
        }
        Some(_) => errors.push(
            file.error(span("strings"), "`strings` must map keys to texts")
                .with_help("strings:\n    nav:\n      home: Home")
                .with_kind("i18n"),
        ),
    }
    if errors.is_empty() {
        Ok(StringsFile {
            months,
            date_format,
            decimal_separator,
            thousands_separator,
            messages,
        })
    } else {
        Err(errors)
    }
}

fn flatten(
    file: &SourceFile,
    span: &dyn Fn(&str) -> Range<usize>,
    prefix: &str,
    map: &yaml_serde::Mapping,
    out: &mut BTreeMap<String, Message>,
    errors: &mut Vec<Diagnostic>,
) {
    for (key, value) in map {
        let key = format!("{prefix}{}", key_text(key));
        match value {
            Value::String(s) => {
                out.insert(key, Message::Text(s.clone()));
            }
            Value::Number(n) => {
                out.insert(key, Message::Text(n.to_string()));
            }
            Value::Mapping(inner) => {
                let is_plural = !inner.is_empty()
                    && inner.iter().all(|(k, v)| {
                        PLURAL_CATEGORIES.contains(&key_text(k).as_str()) && v.is_string()
                    });
                if is_plural {
                    let forms = inner
                        .iter()
                        .map(|(k, v)| (key_text(k), v.as_str().unwrap_or("").to_string()))
                        .collect::<BTreeMap<_, _>>();
                    if !forms.contains_key("other") {
                        errors.push(
                            file.error(
                                span(&format!("strings.{key}")),
                                format!("the plural message `{key}` has no `other` form"),
                            )
                            .with_help("every plural message needs `other:`")
                            .with_kind("i18n"),
                        );
                    }
                    out.insert(key, Message::Plural(forms));
                } else {
                    flatten(file, span, &format!("{key}."), inner, out, errors);
                }
            }
            _ => errors.push(
                file.error(
                    span(&format!("strings.{key}")),
                    format!("the UI string `{key}` must be text or plural forms"),
                )
                .with_kind("i18n"),
            ),
        }
    }
}

/// Byte ranges of block-style keys by their dotted path (`strings.nav.home`),
/// found by indentation, so errors can point at the right line.
fn nested_key_spans(text: &str) -> HashMap<String, Range<usize>> {
    let mut spans = HashMap::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.trim().is_empty() || rest.starts_with('#') || rest.starts_with('-') {
            continue;
        }
        let Some(colon) = rest.find(':') else {
            continue;
        };
        let key = rest[..colon].trim().trim_matches(['"', '\'']);
        if key.is_empty() || key.contains(['{', '[', ' ']) {
            continue;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let path = match stack.last() {
            Some((_, parent)) => format!("{parent}.{key}"),
            None => key.to_string(),
        };
        spans
            .entry(path.clone())
            .or_insert(start + indent..start + indent + key.len());
        stack.push((indent, path));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_may_hold_only_some_strings() {
        let file = SourceFile::new(
            "i18n/fr.yaml".into(),
            "strings:\n  nav:\n    home: Accueil\n".into(),
        );
        let parsed = parse(&file).unwrap();
        assert_eq!(parsed.months, None);
        assert_eq!(
            parsed.messages.get("nav.home"),
            Some(&Message::Text("Accueil".into()))
        );
    }

    #[test]
    fn errors_point_at_the_nested_key() {
        let file = SourceFile::new(
            "i18n/de.yaml".into(),
            "strings:\n  nav:\n    home: Start\n  minutes:\n    one: \"{count} Minute\"\n".into(),
        );
        let errors = parse(&file).unwrap_err();
        assert_eq!(errors[0].line, Some(4), "{errors:?}");
        assert!(errors[0].message.contains("`minutes` has no `other`"));
    }
}
