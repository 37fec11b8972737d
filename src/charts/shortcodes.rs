//! The chart shortcodes (`hot_days`, `hot_days_calendar`,
//! `hot_days_by_year`): their names and signatures, and a chart drawn for a
//! checked call from the site's datasets in the page's language.

use super::{Datasets, LocalizedText, hot_days, hot_days_by_year, hot_days_calendar};
use crate::i18n::I18n;
use crate::markdown::shortcodes::{ArgSpec, ArgType, ArgValue, ShortcodeCall, Signature};

/// Names of the built-in chart shortcodes.
pub const NAMES: [&str; 3] = ["hot_days", "hot_days_calendar", "hot_days_by_year"];

/// The signature of a chart shortcode, or `None` for other names.
pub fn signature(name: &str) -> Option<Signature> {
    let arg = |name: &str, kind: ArgType, required: bool| ArgSpec {
        name: name.into(),
        kind: Some(kind),
        required,
    };
    let dataset = arg("dataset", ArgType::String, false);
    let args = match name {
        "hot_days" => vec![arg("year", ArgType::Integer, true), dataset],
        "hot_days_calendar" => vec![
            arg("sensor", ArgType::String, true),
            arg("year", ArgType::Integer, true),
            dataset,
        ],
        "hot_days_by_year" => vec![arg("sensor", ArgType::String, false), dataset],
        _ => return None,
    };
    Some(Signature { args, open: false })
}

/// A chart drawn for one call, with the UI strings it had to borrow from
/// another language.
pub struct Chart {
    /// The figure's HTML.
    pub html: String,
    /// `(key, language used)` of each string not found in the page's language.
    pub fallbacks: Vec<(String, String)>,
    /// Keys no language defines (the key itself was drawn).
    pub missing: Vec<String>,
}

/// Draws the chart of a checked call for a page in `lang`.
pub fn render(
    datasets: &Datasets,
    i18n: &I18n,
    call: &ShortcodeCall,
    lang: &str,
) -> Result<Chart, String> {
    let (_, summary) = datasets.for_call(call)?;
    let text = LocalizedText::new(i18n, lang);
    let year = match call.arg("year") {
        Some(ArgValue::Integer(y)) => {
            i32::try_from(*y).map_err(|_| format!("year {y} is out of range"))?
        }
        _ => 0,
    };
    let sensor = match call.arg("sensor") {
        Some(ArgValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let result = match call.name.as_str() {
        "hot_days" => hot_days(summary, year, &text),
        "hot_days_calendar" => hot_days_calendar(summary, sensor.unwrap_or(""), year, &text),
        _ => hot_days_by_year(summary, sensor, &text),
    };
    let html = result.map_err(|e| format!("`{}`: {e}", call.name))?;
    Ok(Chart {
        html,
        fallbacks: text.fallbacks.into_inner().unwrap_or_default(),
        missing: text.missing.into_inner().unwrap_or_default(),
    })
}
