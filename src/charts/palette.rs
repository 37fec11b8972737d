//! Colours, the drawing's width and the hatch patterns of the sensor charts.
//!
//! Okabe–Ito colours; all chart marks have ≥ 3:1 contrast to white, text
//! ≥ 4.5:1. Colour is never the only cue: incomplete days are hatched, hot
//! days carry a dot, poor coverage is written out.

/// Hot days and their bars.
pub(crate) const VERMILLION: &str = "#D55E00";
/// Text and outlines.
pub(crate) const INK: &str = "#1a1a1a";
/// Axis labels and notes.
pub(crate) const GREY_TEXT: &str = "#595959";
/// Grid lines.
pub(crate) const GRID: &str = "#d0d0d0";

/// Width of every chart's drawing (`viewBox`), scaled to the page.
pub(crate) const WIDTH: f64 = 720.0;

/// The patterns a chart with element id `id` fills with: `{id}-hatch`
/// (vermillion stripes: hot days on incomplete days) and `{id}-thin`
/// (thin stripes over an incomplete day's cell).
pub(crate) fn patterns(id: &str) -> String {
    format!(
        "<defs><pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><rect width=\"3\" height=\"6\" fill=\"{VERMILLION}\"/></pattern>\
<pattern id=\"{id}-thin\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" patternTransform=\"rotate(45)\"><rect width=\"1.2\" height=\"5\" fill=\"{INK}\" fill-opacity=\"0.55\"/></pattern></defs>\n"
    )
}
