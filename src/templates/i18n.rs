//! UI strings and formats per language, from `i18n/<lang>.yaml`: messages
//! with plural forms, month names, date pattern and number separators.
//! A key missing in one language falls back to the default language (a
//! warning); a key missing everywhere is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use yaml_serde::Value;

use crate::config::SiteConfig;
use crate::content::front_matter::Date;
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::sensors::charts::ChartText;
use crate::sources::SiteDir;
use crate::yaml::{key_text, parse_mapping};

/// A UI message: plain text, or plural forms chosen by a count.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    /// The same text for every count.
    Text(String),
    /// CLDR plural categories (`zero`, `one`, `two`, `few`, `many`, `other`).
    Plural(BTreeMap<String, String>),
}

/// One language's strings and formats.
#[derive(Clone, Debug)]
pub struct LanguageStrings {
    /// Full month names, January first.
    pub months: Vec<String>,
    /// Date pattern with `{day}`, `{month}`, `{month_number}` and `{year}`.
    pub date_format: String,
    /// Decimal separator (`,` in German).
    pub decimal_separator: String,
    /// Thousands separator for numbers of five or more digits (may be empty).
    pub thousands_separator: String,
    /// Messages by dotted key.
    pub messages: BTreeMap<String, Message>,
}

/// All languages' strings, with fallback to the default language.
#[derive(Clone, Debug)]
pub struct I18n {
    languages: BTreeMap<String, LanguageStrings>,
    default_language: String,
}

/// Result of looking up a message.
#[derive(Debug, PartialEq)]
pub enum Lookup {
    /// Found in the requested language.
    Found(String),
    /// Found only in the default language.
    Fallback(String),
}

const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl I18n {
    /// Reads `i18n/<lang>.yaml` for every site language.
    pub fn load(root: &Path, config: &SiteConfig) -> Result<I18n, Vec<Diagnostic>> {
        let mut languages = BTreeMap::new();
        let mut errors = Vec::new();
        let site = SiteDir::new(root).map_err(|e| {
            vec![Diagnostic::file_error(
                Path::new("i18n"),
                format!("cannot open the site folder: {e}"),
            )]
        })?;
        for language in &config.languages {
            let shown = format!("i18n/{}.yaml", language.code);
            let path = root.join(&shown);
            let text = match site.read(&path) {
                Ok(Some(bytes)) => match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(_) => {
                        errors.push(Diagnostic::file_error(
                            Path::new(&shown),
                            "the file is not valid UTF-8",
                        ));
                        continue;
                    }
                },
                Ok(None) => {
                    errors.push(
                        Diagnostic::file_error(
                            Path::new(&shown),
                            format!(
                                "cannot read the UI strings of `{}`: the file does not exist",
                                language.code
                            ),
                        )
                        .with_help(format!(
                            "create {shown} (copy another language's file and translate it)"
                        )),
                    );
                    continue;
                }
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            let file = SourceFile::new(shown.clone().into(), text);
            match parse_language(&file) {
                Ok(strings) => {
                    languages.insert(language.code.clone(), strings);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(I18n {
                languages,
                default_language: config.default_language.clone(),
            })
        } else {
            Err(errors)
        }
    }

    /// Builds an `I18n` from already parsed languages (tests, tools).
    pub fn from_languages(
        languages: BTreeMap<String, LanguageStrings>,
        default_language: &str,
    ) -> I18n {
        I18n {
            languages,
            default_language: default_language.to_string(),
        }
    }

    /// The strings of a language (the default language's if unknown).
    pub fn strings(&self, lang: &str) -> Option<&LanguageStrings> {
        self.languages
            .get(lang)
            .or_else(|| self.languages.get(&self.default_language))
    }

    /// Looks up `key` in `lang`, then in the default language, and fills in
    /// `{count}` (formatted for the language) and other `{name}` values.
    pub fn translate(
        &self,
        lang: &str,
        key: &str,
        count: Option<f64>,
        vars: &[(&str, String)],
    ) -> Result<Lookup, String> {
        let found = self
            .languages
            .get(lang)
            .and_then(|l| l.messages.get(key))
            .map(|m| (m, lang, false))
            .or_else(|| {
                self.languages
                    .get(&self.default_language)
                    .and_then(|l| l.messages.get(key))
                    .map(|m| (m, self.default_language.as_str(), true))
            });
        let Some((message, used_lang, fallback)) = found else {
            let all_keys = self
                .languages
                .values()
                .flat_map(|l| l.messages.keys().map(String::as_str));
            let hint = did_you_mean(key, all_keys)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "the UI string `{key}` is defined in no i18n file{hint}; add it to i18n/{}.yaml",
                self.default_language
            ));
        };
        let text = match message {
            Message::Text(t) => t.clone(),
            Message::Plural(forms) => {
                let n = count.unwrap_or(0.0);
                let category = plural_category(used_lang, n);
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .cloned()
                    .unwrap_or_default()
            }
        };
        let mut text = match count {
            Some(n) => text.replace(
                "{count}",
                &self.number(used_lang, n, if n.fract() == 0.0 { 0 } else { 1 }),
            ),
            None => text,
        };
        for (name, value) in vars {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        Ok(if fallback {
            Lookup::Fallback(text)
        } else {
            Lookup::Found(text)
        })
    }

    /// A date in the language's style: `27. November 2026`, `November 27, 2026`.
    pub fn date(&self, lang: &str, date: Date) -> String {
        let Some(strings) = self.strings(lang) else {
            return date.iso();
        };
        let month = strings
            .months
            .get(date.month as usize - 1)
            .cloned()
            .unwrap_or_else(|| date.month.to_string());
        strings
            .date_format
            .replace("{day}", &date.day.to_string())
            .replace("{month_number}", &format!("{:02}", date.month))
            .replace("{month}", &month)
            .replace("{year}", &date.year.to_string())
    }

    /// A number with the language's separators: `30,5` in German.
    pub fn number(&self, lang: &str, value: f64, decimals: usize) -> String {
        let (decimal, thousands) = match self.strings(lang) {
            Some(s) => (s.decimal_separator.as_str(), s.thousands_separator.as_str()),
            None => (".", ""),
        };
        format_number(value, decimals, decimal, thousands)
    }

    /// The keys defined for `lang`.
    pub fn keys(&self, lang: &str) -> BTreeSet<&str> {
        self.languages
            .get(lang)
            .map(|l| l.messages.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Whether any language defines `key`.
    pub fn defines(&self, key: &str) -> bool {
        self.languages
            .values()
            .any(|l| l.messages.contains_key(key))
    }

    /// A month's full name.
    pub fn month(&self, lang: &str, month: u32) -> String {
        self.strings(lang)
            .and_then(|s| s.months.get(month.saturating_sub(1) as usize))
            .cloned()
            .unwrap_or_else(|| month.to_string())
    }
}

/// UI text in one language, as the sensor charts ask for it.
pub struct LocalizedText<'a> {
    /// The site's strings.
    pub i18n: &'a I18n,
    /// The page's language.
    pub lang: &'a str,
}

impl ChartText for LocalizedText<'_> {
    fn lang(&self) -> &str {
        self.lang
    }

    /// A missing key shows as the key itself (templates report missing
    /// keys; a chart should still render).
    fn text(&self, key: &str, count: Option<i64>) -> String {
        match self
            .i18n
            .translate(self.lang, key, count.map(|c| c as f64), &[])
        {
            Ok(Lookup::Found(t) | Lookup::Fallback(t)) => t,
            Err(_) => key.to_string(),
        }
    }

    fn number(&self, value: f64, decimals: usize) -> String {
        self.i18n.number(self.lang, value, decimals)
    }

    fn month_name(&self, month: u32) -> String {
        self.i18n.month(self.lang, month)
    }

    fn date(&self, year: i32, month: u32, day: u32) -> String {
        self.i18n.date(self.lang, Date { year, month, day })
    }
}

/// Formats a number with fixed decimals and the given separators. The
/// thousands separator is used from five digits on (`10.000`, but `2024`).
pub fn format_number(value: f64, decimals: usize, decimal: &str, thousands: &str) -> String {
    let formatted = format!("{:.*}", decimals, value);
    let (sign, digits) = match formatted.strip_prefix('-') {
        Some(rest) => ("−", rest),
        None => ("", formatted.as_str()),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut int_out = String::new();
    if int_part.len() >= 5 && !thousands.is_empty() {
        for (i, c) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i) % 3 == 0 {
                int_out.push_str(thousands);
            }
            int_out.push(c);
        }
    } else {
        int_out.push_str(int_part);
    }
    let sign = if int_part.chars().all(|c| c == '0')
        && frac_part.is_none_or(|f| f.chars().all(|c| c == '0'))
    {
        ""
    } else {
        sign
    };
    match frac_part {
        Some(f) => format!("{sign}{int_out}{decimal}{f}"),
        None => format!("{sign}{int_out}"),
    }
}

/// The CLDR plural category of `n` for a language (cardinal numbers). Covers
/// the rules of the toolbox's languages and their common neighbours; other
/// languages use the one/other rule of English and German.
pub fn plural_category(lang: &str, n: f64) -> &'static str {
    let primary = lang.split('-').next().unwrap_or(lang);
    let integer = n.fract() == 0.0;
    let i = n.abs() as u64;
    match primary {
        "ro" => {
            if integer && i == 1 {
                "one"
            } else if !integer || i == 0 || (2..=19).contains(&(i % 100)) {
                "few"
            } else {
                "other"
            }
        }
        "fr" | "pt" => {
            if i <= 1 {
                "one"
            } else {
                "other"
            }
        }
        "pl" => {
            if !integer {
                "other"
            } else if i == 1 {
                "one"
            } else if (2..=4).contains(&(i % 10)) && !(12..=14).contains(&(i % 100)) {
                "few"
            } else {
                "many"
            }
        }
        "ja" | "zh" | "ko" | "tr" => "other",
        _ => {
            if integer && i == 1 {
                "one"
            } else {
                "other"
            }
        }
    }
}

const KNOWN_KEYS: [&str; 5] = [
    "months",
    "date_format",
    "decimal_separator",
    "thousands_separator",
    "strings",
];

fn parse_language(file: &SourceFile) -> Result<LanguageStrings, Vec<Diagnostic>> {
    let yaml = parse_mapping(file, 0..file.text.len()).map_err(|d| vec![d])?;
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
            errors.push(d);
        }
    }
    let months: Vec<String> = yaml
        .mapping
        .get("months")
        .and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .map(|v| v.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    if months.len() != 12 || months.iter().any(String::is_empty) {
        errors.push(
            file.error(
                yaml.span_of("months"),
                "`months` must list the twelve month names",
            )
            .with_help("months: [January, February, …, December]"),
        );
    }
    let text_of = |key: &str, default: &str| {
        yaml.mapping
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let mut messages = BTreeMap::new();
    match yaml.mapping.get("strings") {
        Some(Value::Mapping(map)) => flatten(file, &yaml, "", map, &mut messages, &mut errors),
        _ => errors.push(
            file.error(
                yaml.span_of("strings"),
                "missing `strings:` with the UI messages",
            )
            .with_help("strings:\n    nav.home: Home"),
        ),
    }
    if errors.is_empty() {
        Ok(LanguageStrings {
            months,
            date_format: text_of("date_format", "{year}-{month_number}-{day}"),
            decimal_separator: text_of("decimal_separator", "."),
            thousands_separator: text_of("thousands_separator", ""),
            messages,
        })
    } else {
        Err(errors)
    }
}

fn flatten(
    file: &SourceFile,
    yaml: &crate::yaml::LocatedMapping,
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
                                yaml.span_of("strings"),
                                format!("the plural message `{key}` has no `other` form"),
                            )
                            .with_help("every plural message needs `other:`"),
                        );
                    }
                    out.insert(key, Message::Plural(forms));
                } else {
                    flatten(file, yaml, &format!("{key}."), inner, out, errors);
                }
            }
            _ => errors.push(file.error(
                yaml.span_of("strings"),
                format!("the UI string `{key}` must be text or plural forms"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n() -> I18n {
        let de = parse_language(&SourceFile::new(
            "i18n/de.yaml".into(),
            "months: [Januar, Februar, März, April, Mai, Juni, Juli, August, September, Oktober, November, Dezember]\ndate_format: \"{day}. {month} {year}\"\ndecimal_separator: \",\"\nthousands_separator: \".\"\nstrings:\n  nav:\n    home: Start\n  minutes: {one: \"{count} Minute\", other: \"{count} Minuten\"}\n".into(),
        ))
        .unwrap();
        let en = parse_language(&SourceFile::new(
            "i18n/en.yaml".into(),
            "months: [January, February, March, April, May, June, July, August, September, October, November, December]\ndate_format: \"{month} {day}, {year}\"\nstrings:\n  minutes: {one: \"{count} minute\", other: \"{count} minutes\"}\n".into(),
        ))
        .unwrap();
        I18n::from_languages(
            [("de".to_string(), de), ("en".to_string(), en)].into(),
            "de",
        )
    }

    #[test]
    fn plurals_fallback_and_missing_keys() {
        let i = i18n();
        assert_eq!(
            i.translate("de", "minutes", Some(1.0), &[]),
            Ok(Lookup::Found("1 Minute".into()))
        );
        assert_eq!(
            i.translate("en", "minutes", Some(5.0), &[]),
            Ok(Lookup::Found("5 minutes".into()))
        );
        assert_eq!(
            i.translate("en", "nav.home", None, &[]),
            Ok(Lookup::Fallback("Start".into()))
        );
        let err = i.translate("en", "nav.hoem", None, &[]).unwrap_err();
        assert!(err.contains("did you mean `nav.home`?"), "{err}");
    }

    #[test]
    fn dates_and_numbers_are_localized() {
        let i = i18n();
        let d = Date {
            year: 2026,
            month: 11,
            day: 27,
        };
        assert_eq!(i.date("de", d), "27. November 2026");
        assert_eq!(i.date("en", d), "November 27, 2026");
        assert_eq!(i.number("de", 30.5, 1), "30,5");
        assert_eq!(i.number("en", 30.5, 1), "30.5");
        assert_eq!(i.number("de", 12345.0, 0), "12.345");
        assert_eq!(i.number("de", 2024.0, 0), "2024");
        assert_eq!(i.number("de", -0.04, 1), "0,0");
        assert_eq!(i.number("de", -1.5, 1), "−1,5");
    }

    #[test]
    fn romanian_has_a_few_form() {
        assert_eq!(plural_category("ro", 1.0), "one");
        assert_eq!(plural_category("ro", 5.0), "few");
        assert_eq!(plural_category("ro", 20.0), "other");
        assert_eq!(plural_category("ro", 102.0), "few");
        assert_eq!(plural_category("de", 1.0), "one");
        assert_eq!(plural_category("de", 0.0), "other");
    }
}
