//! Legends: a row of colour swatches, each with its label.

use std::fmt::Write;

use super::palette::{INK, VERMILLION};
use super::text::{ChartText, phrase};
use crate::text::escape_html;

/// Swatches from `x0` along the baseline `y`: `(fill, label)` each, where
/// `{id}` in a fill names the chart's patterns (`url(#{id}-hatch)`).
pub(crate) fn swatches(o: &mut String, id: &str, x0: f64, y: f64, items: &[(String, String)]) {
    let mut x = x0;
    for (fill, label) in items {
        let _ = write!(
            o,
            "<rect x=\"{x}\" y=\"{y0}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"0.6\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"12\" fill=\"{INK}\">{label}</text>",
            y0 = y - 11.0,
            tx = x + 19.0,
            ty = y,
            fill = fill.replace("{id}", id),
            label = escape_html(label)
        );
        x += 19.0 + label.chars().count() as f64 * 6.6 + 18.0;
    }
}

/// The legend of the hot-day charts: solid for complete days, hatched for
/// the lower bound from incomplete days.
/// The hatched entry appears only when some bar has a hatched part.
pub(crate) fn certain_and_partial(
    o: &mut String,
    id: &str,
    x0: f64,
    any_partial: bool,
    text: &dyn ChartText,
    vars: &[(&str, String)],
) {
    let mut items = vec![(
        VERMILLION.to_string(),
        phrase(text, "chart.hot_days.legend_certain", None, vars),
    )];
    if any_partial {
        items.push((
            "url(#{id}-hatch)".to_string(),
            phrase(text, "chart.hot_days.legend_partial", None, vars),
        ));
    }
    swatches(o, id, x0, 22.0, &items);
}
