//! The words of a chart: UI strings looked up by key (under `chart.`) and
//! filled in, numbers and dates in the page's language.
//!
//! The keys and their English, German and Romanian texts are in the
//! built-in theme's UI strings (`themes/default/i18n/*.yaml`). Placeholders
//! in braces (`{year}`, `{sensor}`, `{threshold}`, `{percent}`, `{source}`,
//! `{licence}`, `{count}`) are filled in after the lookup.

use std::sync::Mutex;

use drehbuch_sensors::Summary;

use crate::content::front_matter::Date;
use crate::i18n::{I18n, Lookup};

/// UI text provider, implemented by the site generator from its i18n files.
pub trait ChartText {
    /// BCP 47 code of the page language: "de", "en", "ro".
    fn lang(&self) -> &str;
    /// UI string for `key`, plural-aware when `count` is given.
    fn text(&self, key: &str, count: Option<i64>) -> String;
    /// A number with a fixed number of decimals: "30,5" in de, "30.5" in en.
    fn number(&self, value: f64, decimals: usize) -> String;
    /// Full month name, 1..=12.
    fn month_name(&self, month: u32) -> String;
    /// A date: "27. November 2026".
    fn date(&self, year: i32, month: u32, day: u32) -> String;
}

/// `template` with each `{name}` replaced by its value.
pub(crate) fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in vars {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// The UI string `key` (for `count`, which also fills `{count}`) with its
/// placeholders filled from `vars`.
pub(crate) fn phrase(
    text: &dyn ChartText,
    key: &str,
    count: Option<i64>,
    vars: &[(&str, String)],
) -> String {
    let mut v: Vec<(&str, String)> = vars.to_vec();
    if let Some(c) = count {
        v.push(("count", c.to_string()));
    }
    fill(&text.text(key, count), &v)
}

/// `≥ 30,0 °C` (or `>` with `--above`): a threshold as the charts say it.
pub(crate) fn threshold(s: &Summary, celsius: f64, text: &dyn ChartText) -> String {
    let cmp = if s.thresholds.comparison == ">" {
        ">"
    } else {
        "≥"
    };
    format!("{cmp} {} °C", text.number(celsius, 1))
}

/// The summary's hot-day threshold, [`threshold`].
pub(crate) fn hot_day_threshold(s: &Summary, text: &dyn ChartText) -> String {
    threshold(s, s.thresholds.hot_day_c, text)
}

/// A share (0…1) as whole percent: `83 %`.
pub(crate) fn percent(text: &dyn ChartText, frac: f64) -> String {
    format!("{} %", text.number(frac * 100.0, 0))
}

/// UI text in one language, as the charts ask for it; remembers strings
/// that had to come from another language or were missing.
pub struct LocalizedText<'a> {
    i18n: &'a I18n,
    lang: &'a str,
    pub(crate) fallbacks: Mutex<Vec<(String, String)>>,
    pub(crate) missing: Mutex<Vec<String>>,
}

impl<'a> LocalizedText<'a> {
    /// The charts' text in `lang` from the site's UI strings. A language
    /// without the charts' strings shows them in the first language of its
    /// fallback chain that has them, as a whole (numbers and dates too),
    /// and the figure says so with that `lang`.
    pub fn new(i18n: &'a I18n, lang: &'a str) -> LocalizedText<'a> {
        let lang = i18n.source_lang(lang, "chart.table_summary");
        LocalizedText {
            i18n,
            lang,
            fallbacks: Mutex::default(),
            missing: Mutex::default(),
        }
    }
}

impl ChartText for LocalizedText<'_> {
    fn lang(&self) -> &str {
        self.lang
    }

    fn text(&self, key: &str, count: Option<i64>) -> String {
        match self
            .i18n
            .translate(self.lang, key, count.map(|c| c as f64), &[])
        {
            Ok(Lookup::Found(t)) => t,
            Ok(Lookup::Fallback { text, lang }) => {
                if let Ok(mut f) = self.fallbacks.lock() {
                    f.push((key.to_string(), lang));
                }
                text
            }
            Err(_) => {
                if let Ok(mut m) = self.missing.lock() {
                    m.push(key.to_string());
                }
                key.to_string()
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Message;
    use crate::i18n::file::StringsFile;

    #[test]
    fn a_language_without_chart_strings_shows_charts_in_its_fallback_language_marked_as_such() {
        let ro = StringsFile {
            messages: [(
                "chart.table_summary".to_string(),
                Message::Text("Afișează cifrele ca tabel".into()),
            )]
            .into(),
            ..StringsFile::default()
        };
        let i18n = I18n::from_files(
            vec![("ro".into(), ro), ("sv".into(), StringsFile::default())],
            "ro",
        );
        let text = LocalizedText::new(&i18n, "sv");
        assert_eq!(text.lang(), "ro");
        assert_eq!(
            text.text("chart.table_summary", None),
            "Afișează cifrele ca tabel"
        );
        assert_eq!(text.number(1.5, 1), "1,5");
        let own = LocalizedText::new(&i18n, "ro");
        assert_eq!(own.lang(), "ro");
    }
}
