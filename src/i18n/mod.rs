//! UI strings and locale formats per language.
//!
//! Strings come from `i18n/<lang>.yaml` of every layer (the built-in theme,
//! a theme folder, the site; see [`crate::sources::layers`]), merged key by
//! key, so a site's file holds only what it adds or changes. Month names,
//! date formats, number separators and plural rules come from CLDR
//! ([`locale`]) unless a file overrides them.
//!
//! A key missing in a language falls back along the chain: the language,
//! its `fallback` languages from `site.yaml`, the site's default language,
//! then English (the built-in theme's strings exist in English). A language without any UI strings uses the default
//! language's interface as a whole ([`I18n::ui_lang`]), so templates can
//! mark it with the right `lang`.

pub(crate) mod file;
pub(crate) mod labels;
pub(crate) mod locale;
pub(crate) mod names;

use std::collections::{BTreeMap, BTreeSet};

use crate::config::SiteConfig;
use crate::content::front_matter::Date;
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::sources::layers::{Kind, Layers};
pub use file::Message;
use file::StringsFile;
pub use locale::Locale;
pub use names::Direction;

/// The language every lookup falls back to last: the built-in theme's
/// strings are complete in it.
pub const LAST_RESORT: &str = "en";

/// One language's merged strings and formats.
#[derive(Debug)]
struct UiLanguage {
    strings: StringsFile,
    /// A hash of `strings`, for change detection.
    hash: u64,
    /// Whether any layer has a strings file for this language.
    has_file: bool,
    locale: Locale,
}

/// Where a looked-up text comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Found in the requested language.
    Found(String),
    /// Found only in another language of the fallback chain.
    Fallback {
        /// The text.
        text: String,
        /// The language it is written in.
        lang: String,
    },
}

impl Lookup {
    /// The text, wherever it comes from.
    pub fn text(self) -> String {
        match self {
            Lookup::Found(t) | Lookup::Fallback { text: t, .. } => t,
        }
    }
}

/// All languages' strings, with the fallback chain.
#[derive(Debug)]
pub struct I18n {
    languages: BTreeMap<String, UiLanguage>,
    default_language: String,
    site_languages: Vec<String>,
    /// Each site language's fallback chain ([`SiteConfig::fallback_chain`]).
    fallbacks: BTreeMap<String, Vec<String>>,
}

impl I18n {
    /// Loads and merges the strings of every site language (and of the
    /// fallback languages) from all layers. All problems are returned.
    pub fn load(layers: &Layers, config: &SiteConfig) -> Result<I18n, Vec<Diagnostic>> {
        let mut codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
        for extra in [config.default_language.as_str(), LAST_RESORT] {
            if !codes.iter().any(|c| c == extra) {
                codes.push(extra.to_string());
            }
        }
        let mut languages = BTreeMap::new();
        let mut errors = Vec::new();
        for code in &codes {
            let (origins, mut problems) = layers.versions(Kind::I18n, &format!("{code}.yaml"));
            errors.append(&mut problems);
            let mut merged = StringsFile::default();
            for origin in &origins {
                let bytes = match layers.read(origin) {
                    Ok(b) => b,
                    Err(d) => {
                        errors.push(d);
                        continue;
                    }
                };
                let shown = layers.shown(origin);
                let Ok(text) = String::from_utf8(bytes.into_owned()) else {
                    errors.push(Diagnostic::file_error(
                        &shown,
                        "the file is not valid UTF-8",
                    ));
                    continue;
                };
                match file::parse(&SourceFile::new(shown, text)) {
                    Ok(parsed) => merge(&mut merged, parsed),
                    Err(mut e) => errors.append(&mut e),
                }
            }
            languages.insert(
                code.clone(),
                UiLanguage {
                    hash: hash_strings(&merged),
                    strings: merged,
                    has_file: !origins.is_empty(),
                    locale: Locale::new(code),
                },
            );
        }
        if errors.is_empty() {
            Ok(I18n {
                languages,
                default_language: config.default_language.clone(),
                site_languages: config.languages.iter().map(|l| l.code.clone()).collect(),
                fallbacks: config
                    .languages
                    .iter()
                    .map(|l| {
                        let chain = config.fallback_chain(&l.code);
                        (
                            l.code.clone(),
                            chain.into_iter().map(String::from).collect(),
                        )
                    })
                    .collect(),
            })
        } else {
            Err(errors)
        }
    }

    /// Builds an `I18n` from parsed files (tests and tools).
    pub fn from_files(files: Vec<(String, StringsFile)>, default_language: &str) -> I18n {
        let site_languages = files.iter().map(|(c, _)| c.clone()).collect();
        I18n {
            languages: files
                .into_iter()
                .map(|(code, strings)| {
                    let locale = Locale::new(&code);
                    (
                        code,
                        UiLanguage {
                            hash: hash_strings(&strings),
                            strings,
                            has_file: true,
                            locale,
                        },
                    )
                })
                .collect(),
            default_language: default_language.to_string(),
            site_languages,
            fallbacks: BTreeMap::new(),
        }
    }

    /// Gives `lang` a fallback chain (tests and tools; sites take it from
    /// `site.yaml`).
    pub fn with_fallback(mut self, lang: &str, chain: &[&str]) -> I18n {
        self.fallbacks.insert(
            lang.to_string(),
            chain.iter().map(|c| c.to_string()).collect(),
        );
        self
    }

    /// The languages a lookup for `lang` tries, in order.
    fn chain<'a>(&'a self, lang: &'a str) -> impl Iterator<Item = &'a str> {
        let mut seen: Vec<&str> = Vec::with_capacity(4);
        let configured: Vec<&str> = match self.fallbacks.get(lang) {
            Some(chain) => chain.iter().map(String::as_str).collect(),
            None => vec![self.default_language.as_str()],
        };
        std::iter::once(lang)
            .chain(configured)
            .chain([LAST_RESORT])
            .filter(move |c| {
                if seen.contains(c) {
                    false
                } else {
                    seen.push(c);
                    true
                }
            })
    }

    /// The language the interface of `lang` pages is written in: `lang`
    /// itself if any layer has strings for it, else the first language of
    /// its fallback chain that has.
    pub fn ui_lang<'a>(&'a self, lang: &'a str) -> &'a str {
        self.chain(lang)
            .find(|c| self.languages.get(*c).is_some_and(|l| l.has_file))
            .unwrap_or(lang)
    }

    /// The language a lookup of `key` for `lang` finds its text in (`lang`
    /// itself when no language defines it): names filled into the text
    /// must be in that language.
    pub fn source_lang<'a>(&'a self, lang: &'a str, key: &str) -> &'a str {
        self.chain(lang)
            .find(|c| {
                self.languages
                    .get(*c)
                    .is_some_and(|l| l.strings.messages.contains_key(key))
            })
            .unwrap_or(lang)
    }

    /// The name of language `code` as a reader of `in_lang` calls it, from
    /// CLDR ("engleză" for `en` in `ro`); `None` where CLDR has none.
    pub fn language_name(&self, code: &str, in_lang: &str) -> Option<&'static str> {
        names::display_name(code, in_lang)
    }

    /// The writing direction of `lang`, from CLDR.
    pub fn direction(&self, lang: &str) -> Direction {
        names::direction(lang)
    }

    /// A hash of every string and format a lookup for `lang` may use (its
    /// fallback chain): it changes exactly when text in `lang` may change.
    pub fn strings_hash(&self, lang: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        for code in self.chain(lang) {
            code.hash(&mut hasher);
            self.languages.get(code).map(|l| l.hash).hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Site languages without any UI strings, each with the language its
    /// interface falls back to.
    pub fn languages_without_strings(&self) -> Vec<(&str, &str)> {
        self.site_languages
            .iter()
            .filter(|c| self.languages.get(*c).is_some_and(|l| !l.has_file))
            .map(|c| (c.as_str(), self.ui_lang(c)))
            .collect()
    }

    /// Looks up `key` for `lang` along the fallback chain and fills in
    /// `{count}` (formatted for the text's language) and other `{name}`
    /// values. `Err` holds a message (with a did-you-mean) when no language
    /// defines the key.
    pub fn translate(
        &self,
        lang: &str,
        key: &str,
        count: Option<f64>,
        vars: &[(&str, String)],
    ) -> Result<Lookup, String> {
        self.get(lang, key, count, vars).ok_or_else(|| {
            let all_keys = self
                .languages
                .values()
                .flat_map(|l| l.strings.messages.keys().map(String::as_str));
            let hint = did_you_mean(key, all_keys)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            format!("the UI string `{key}` is defined in no i18n file{hint}")
        })
    }

    /// Like [`I18n::translate`], but `None` for an undefined key (cheap:
    /// for optional strings such as labels).
    pub fn get(
        &self,
        lang: &str,
        key: &str,
        count: Option<f64>,
        vars: &[(&str, String)],
    ) -> Option<Lookup> {
        let (message, used) = self.chain(lang).find_map(|code| {
            self.languages
                .get(code)
                .and_then(|l| l.strings.messages.get(key))
                .map(|m| (m, code))
        })?;
        let mut text = match message {
            Message::Text(t) => t.clone(),
            Message::Plural(forms) => {
                let category = self.locale(used).plural_category(count.unwrap_or(0.0));
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .cloned()
                    .unwrap_or_default()
            }
        };
        if let Some(n) = count {
            let decimals = if n.fract() == 0.0 { 0 } else { 1 };
            text = text.replace("{count}", &self.number(used, n, decimals));
        }
        for (name, value) in vars {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        Some(if used == lang {
            Lookup::Found(text)
        } else {
            Lookup::Fallback {
                text,
                lang: used.to_string(),
            }
        })
    }

    fn language(&self, lang: &str) -> Option<&UiLanguage> {
        self.languages
            .get(lang)
            .or_else(|| self.languages.get(&self.default_language))
    }

    fn locale(&self, lang: &str) -> &Locale {
        match self.languages.get(lang) {
            Some(l) => &l.locale,
            None => {
                &self
                    .language(lang)
                    .expect("the default language is loaded")
                    .locale
            }
        }
    }

    /// A date in the language's style (`27. November 2026`), from CLDR or
    /// the i18n file's `date_format` and `months`.
    pub fn date(&self, lang: &str, date: Date) -> String {
        let Some(language) = self.language(lang) else {
            return date.iso();
        };
        match &language.strings.date_format {
            Some(pattern) => pattern
                .replace("{day}", &date.day.to_string())
                .replace("{month_number}", &format!("{:02}", date.month))
                .replace("{month}", &self.month(lang, date.month))
                .replace("{year}", &date.year.to_string()),
            None => language.locale.date(date),
        }
    }

    /// A month's full name.
    pub fn month(&self, lang: &str, month: u32) -> String {
        let Some(language) = self.language(lang) else {
            return month.to_string();
        };
        match &language.strings.months {
            Some(names) => names
                .get(month.saturating_sub(1) as usize)
                .cloned()
                .unwrap_or_else(|| month.to_string()),
            None => language.locale.month(month),
        }
    }

    /// A number in the language's style (`30,5` in German); separators
    /// from the i18n file override CLDR's.
    pub fn number(&self, lang: &str, value: f64, decimals: usize) -> String {
        let Some(language) = self.language(lang) else {
            return format!("{value:.decimals$}");
        };
        let strings = &language.strings;
        if strings.decimal_separator.is_none() && strings.thousands_separator.is_none() {
            return language.locale.number(value, decimals);
        }
        // Format in English, then swap in the separators: the file's where
        // given, the locale's otherwise.
        let between = |text: String, before: &str, after: &str| {
            text.strip_prefix(before)
                .and_then(|t| t.strip_suffix(after))
                .map(str::to_string)
                .unwrap_or_default()
        };
        let decimal = strings
            .decimal_separator
            .clone()
            .unwrap_or_else(|| between(language.locale.number(1.5, 1), "1", "5"));
        let grouping = strings
            .thousands_separator
            .clone()
            .unwrap_or_else(|| between(language.locale.number(12345.0, 0), "12", "345"));
        let english = match self.languages.get(LAST_RESORT) {
            Some(l) => l.locale.number(value, decimals),
            None => Locale::new(LAST_RESORT).number(value, decimals),
        };
        english
            .chars()
            .map(|c| match c {
                '.' => decimal.clone(),
                ',' => grouping.clone(),
                other => other.to_string(),
            })
            .collect()
    }

    /// The keys defined for `lang` (in any layer).
    pub fn keys(&self, lang: &str) -> BTreeSet<&str> {
        self.languages
            .get(lang)
            .map(|l| l.strings.messages.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Whether any language defines `key`.
    pub fn defines(&self, key: &str) -> bool {
        self.languages
            .values()
            .any(|l| l.strings.messages.contains_key(key))
    }
}

fn hash_strings(strings: &StringsFile) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    format!("{strings:?}").hash(&mut hasher);
    hasher.finish()
}

fn merge(into: &mut StringsFile, from: StringsFile) {
    if from.months.is_some() {
        into.months = from.months;
    }
    if from.date_format.is_some() {
        into.date_format = from.date_format;
    }
    if from.decimal_separator.is_some() {
        into.decimal_separator = from.decimal_separator;
    }
    if from.thousands_separator.is_some() {
        into.thousands_separator = from.thousands_separator;
    }
    into.messages.extend(from.messages);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(pairs: &[(&str, Message)]) -> StringsFile {
        StringsFile {
            messages: pairs
                .iter()
                .map(|(k, m)| (k.to_string(), m.clone()))
                .collect(),
            ..StringsFile::default()
        }
    }

    fn i18n() -> I18n {
        let plural = |one: &str, other: &str| {
            Message::Plural([("one".into(), one.into()), ("other".into(), other.into())].into())
        };
        I18n::from_files(
            vec![
                (
                    "de".into(),
                    strings(&[
                        ("nav.home", Message::Text("Start".into())),
                        ("minutes", plural("{count} Minute", "{count} Minuten")),
                    ]),
                ),
                (
                    "en".into(),
                    strings(&[("minutes", plural("{count} minute", "{count} minutes"))]),
                ),
            ],
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
            i.translate("en", "minutes", Some(12345.0), &[]),
            Ok(Lookup::Found("12,345 minutes".into()))
        );
        assert_eq!(
            i.translate("en", "nav.home", None, &[]),
            Ok(Lookup::Fallback {
                text: "Start".into(),
                lang: "de".into()
            })
        );
        let err = i.translate("en", "nav.hoem", None, &[]).unwrap_err();
        assert!(err.contains("did you mean `nav.home`?"), "{err}");
    }

    #[test]
    fn the_sites_fallback_chain_comes_before_the_default_language() {
        let text = |t: &str| Message::Text(t.into());
        let i = I18n::from_files(
            vec![
                (
                    "de".into(),
                    strings(&[("a", text("A de")), ("b", text("B de"))]),
                ),
                ("en".into(), strings(&[("a", text("A en"))])),
                ("ro".into(), strings(&[])),
            ],
            "de",
        )
        .with_fallback("ro", &["en", "de"]);
        let fallback = |text: &str, lang: &str| {
            Ok(Lookup::Fallback {
                text: text.into(),
                lang: lang.into(),
            })
        };
        assert_eq!(i.translate("ro", "a", None, &[]), fallback("A en", "en"));
        assert_eq!(i.translate("ro", "b", None, &[]), fallback("B de", "de"));
        assert_eq!(i.source_lang("ro", "a"), "en");
        assert_eq!(
            i.language_name("en", i.source_lang("ro", "a")),
            Some("English")
        );
    }

    /// The built-in theme's strings files, parsed: (language, strings).
    fn builtin_files() -> Vec<(String, StringsFile)> {
        crate::sources::theme::files()
            .iter()
            .filter_map(|(path, bytes)| {
                let lang = path.strip_prefix("i18n/")?.strip_suffix(".yaml")?;
                let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
                let parsed = file::parse(&SourceFile::new(path.into(), text))
                    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
                Some((lang.to_string(), parsed))
            })
            .collect()
    }

    #[test]
    fn every_builtin_language_has_every_key_and_every_plural_form_it_needs() {
        let files = builtin_files();
        let languages: Vec<&str> = files.iter().map(|(l, _)| l.as_str()).collect();
        for wanted in [
            "de", "en", "ro", "tr", "ar", "pl", "bg", "uk", "hu", "fr", "es", "it", "nl",
        ] {
            assert!(
                languages.contains(&wanted),
                "no built-in strings for {wanted}"
            );
        }
        let english = &files.iter().find(|(l, _)| l == "en").expect("en").1;
        // Numbers that reach every plural category CLDR defines for these
        // languages (Arabic's `other` from 100, French `many` at a million,
        // Polish `other` for fractions).
        let mut samples: Vec<f64> = (0..=1000).map(f64::from).collect();
        samples.extend([1_000_000.0, 0.5, 1.5, 2.5, 5.5]);
        for (lang, strings) in &files {
            let keys: Vec<&String> = strings.messages.keys().collect();
            let english_keys: Vec<&String> = english.messages.keys().collect();
            assert_eq!(
                keys, english_keys,
                "i18n/{lang}.yaml has other keys than en"
            );
            let locale = Locale::new(lang);
            let needed: BTreeSet<&str> =
                samples.iter().map(|n| locale.plural_category(*n)).collect();
            for (key, message) in &strings.messages {
                let english_plural = matches!(english.messages[key], Message::Plural(_));
                match message {
                    Message::Plural(forms) => {
                        for category in &needed {
                            assert!(
                                forms.contains_key(*category),
                                "i18n/{lang}.yaml: `{key}` lacks the `{category}` form"
                            );
                        }
                    }
                    Message::Text(_) => {
                        assert!(
                            !english_plural,
                            "i18n/{lang}.yaml: `{key}` has no plural forms"
                        )
                    }
                }
                let text = match message {
                    Message::Text(t) => vec![t.clone()],
                    Message::Plural(forms) => forms.values().cloned().collect(),
                };
                let english_text = match &english.messages[key] {
                    Message::Text(t) => t.clone(),
                    Message::Plural(forms) => forms["other"].clone(),
                };
                // Every placeholder of the English text is kept (`{count}`
                // may be spelled out in a form for one or two).
                for placeholder in english_text
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(name, _)| name))
                    .filter(|p| *p != "count")
                {
                    for t in &text {
                        assert!(
                            t.contains(&format!("{{{placeholder}}}")),
                            "i18n/{lang}.yaml: `{key}` lacks {{{placeholder}}}: {t}"
                        );
                    }
                }
            }
            assert!(
                names::display_name("en", lang).is_some(),
                "no CLDR language names in {lang}"
            );
        }
    }

    #[test]
    fn file_formats_override_cldr() {
        let mut de = strings(&[]);
        de.date_format = Some("{day}.{month_number}.{year}".into());
        de.thousands_separator = Some("\u{202f}".into());
        let i = I18n::from_files(vec![("de".into(), de)], "de");
        let d = Date {
            year: 2026,
            month: 3,
            day: 5,
        };
        assert_eq!(i.date("de", d), "5.03.2026");
        assert_eq!(i.number("de", 12345.5, 1), "12\u{202f}345,5");
    }
}
