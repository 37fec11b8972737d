//! Colours, the drawing's width and the hatch patterns of the sensor charts.
//!
//! Text, axes and grid lines are drawn in `currentColor` (the page's text
//! colour) and the drawing has no background of its own, so a chart
//! follows the page into dark mode (`prefers-color-scheme: dark`) instead
//! of staying a white panel. Data colours are Okabe–Ito hues with ≥ 3:1
//! contrast to the light and the dark background of the built-in theme.
//! Colour is never the only cue: incomplete days are hatched, hot days
//! carry a dot, poor coverage is written out.

/// Hot days and their bars.
pub(crate) const VERMILLION: &str = "#D55E00";
/// Text and outlines: the page's text colour.
pub(crate) const INK: &str = "currentColor";
/// Marks drawn on a coloured cell of fixed colour (the calendar's hot-day
/// dots), which keep their contrast in dark mode.
pub(crate) const CELL_INK: &str = "#1a1a1a";
/// The fill of axis labels and notes: the text colour, muted (about 5.8:1
/// on the theme's light background, 8:1 on its dark one).
pub(crate) const MUTED: &str = "fill=\"currentColor\" fill-opacity=\"0.72\"";
/// The stroke of grid lines: the text colour, faint.
pub(crate) const GRID: &str = "stroke=\"currentColor\" stroke-opacity=\"0.22\"";

/// Width of every chart's drawing (`viewBox`), scaled to the page.
pub(crate) const WIDTH: f64 = 720.0;

/// The patterns a chart with element id `id` fills with: `{id}-hatch`
/// (vermillion stripes: hot days on incomplete days) and `{id}-thin`
/// (thin stripes over an incomplete day's cell).
pub(crate) fn patterns(id: &str) -> String {
    format!(
        "<defs><pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"{VERMILLION}\"/></pattern>\
<pattern id=\"{id}-thin\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" patternTransform=\"rotate(45)\"><rect width=\"1.2\" height=\"5\" fill=\"{CELL_INK}\" fill-opacity=\"0.55\"/></pattern></defs>\n"
    )
}
