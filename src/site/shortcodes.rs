//! The shortcodes pages can call: the built-in sensor charts and the
//! site's and theme's component templates (`templates/shortcodes/`).

use super::TemplateSet;
use crate::charts::{self, Datasets};
use crate::content::Content;
use crate::i18n::I18n;
use crate::markdown::ShortcodeHost;
use crate::markdown::shortcodes::{ShortcodeCall, Signature};

/// Whether the output of shortcode `name` depends on other pages (the
/// field chart counts their fields): its pages render again after any
/// change of the structure.
pub(crate) fn reads_other_pages(name: &str) -> bool {
    name == "field_chart"
}

/// Whether the output of shortcode `name` depends on the sensor datasets.
pub(crate) fn reads_datasets(name: &str) -> bool {
    charts::NAMES.contains(&name)
}

/// Shortcodes available to pages: the built-in sensor charts and the
/// site's and theme's component templates.
pub(crate) struct SiteShortcodes<'a> {
    pub(crate) templates: &'a TemplateSet,
    pub(crate) datasets: &'a Datasets,
    pub(crate) i18n: &'a I18n,
    pub(crate) content: &'a Content,
}

impl ShortcodeHost for SiteShortcodes<'_> {
    fn signature(&self, name: &str) -> Option<Signature> {
        if let Some(s) = charts::signature(name) {
            return Some(s);
        }
        if name == "field_chart" {
            return Some(charts::field_counts_signature());
        }
        match self.templates.any().shortcodes().get(name) {
            Some(s) => Some(s.clone()),
            // The site's templates failed to load (already reported):
            // accept any call rather than report it as unknown.
            None if self.templates.loaded().is_none() => Some(Signature {
                args: Vec::new(),
                open: true,
            }),
            None => None,
        }
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = charts::NAMES.iter().map(|s| s.to_string()).collect();
        names.push("field_chart".into());
        names.extend(self.templates.any().shortcodes().keys().cloned());
        names
    }

    fn render(&self, call: &ShortcodeCall, lang: &str, _index: usize) -> Result<String, String> {
        if charts::NAMES.contains(&call.name.as_str()) {
            let chart = charts::render(self.datasets, self.i18n, call, lang)?;
            if let Some(key) = chart.missing.first() {
                return Err(format!(
                    "the chart needs the UI string `{key}`, which no i18n file defines"
                ));
            }
            return Ok(chart.html);
        }
        if call.name == "field_chart" {
            return charts::render_field_counts(self.content, self.i18n, call, lang);
        }
        match self.templates.loaded() {
            Some(templates) => templates.render_shortcode(call, lang),
            None => Ok(String::new()),
        }
    }
}
