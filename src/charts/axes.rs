//! Axes: grid lines with their numbers, tick labels and axis titles.

use std::fmt::Write;

use super::palette::{GRID, MUTED};
use super::scale::Ticks;
use super::text::ChartText;
use crate::text::escape_html;

/// A vertical grid line per tick of a horizontal value axis, from `top`
/// to `bottom`, each numbered below; `x_of` places a value.
pub(crate) fn value_grid_across(
    o: &mut String,
    ticks: &Ticks,
    x_of: impl Fn(f64) -> f64,
    (top, bottom): (f64, f64),
    text: &dyn ChartText,
) {
    for v in ticks.values(ticks.step) {
        let x = x_of(v);
        let _ = write!(
            o,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{bottom}\" {GRID} stroke-width=\"1\"/><text x=\"{x:.1}\" y=\"{ty}\" font-size=\"11\" text-anchor=\"middle\" {MUTED}>{label}</text>",
            ty = bottom + 16.0,
            label = escape_html(&text.number(v, 0))
        );
    }
}

/// A horizontal grid line from `left` to `right` per value of a vertical
/// axis (every `every`), each numbered on the left; `y_of` places a value.
pub(crate) fn value_grid_up(
    o: &mut String,
    ticks: &Ticks,
    every: f64,
    y_of: impl Fn(f64) -> f64,
    (left, right): (f64, f64),
    text: &dyn ChartText,
) {
    for v in ticks.values(every) {
        let yy = y_of(v);
        let _ = write!(
            o,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{right}\" y2=\"{yy:.1}\" {GRID} stroke-width=\"1\"/><text x=\"{tx}\" y=\"{ty:.1}\" font-size=\"10\" text-anchor=\"end\" {MUTED}>{l}</text>",
            tx = left - 4.0,
            ty = yy + 3.5,
            l = escape_html(&text.number(v, 0))
        );
    }
}

/// The numbers of a vertical axis again, right of the plot from `x` on
/// (every `every`), for a chart that opens scrolled to its right end.
pub(crate) fn value_labels_right(
    o: &mut String,
    ticks: &Ticks,
    every: f64,
    y_of: impl Fn(f64) -> f64,
    x: f64,
    text: &dyn ChartText,
) {
    for v in ticks.values(every) {
        let _ = write!(
            o,
            "<text x=\"{x}\" y=\"{ty:.1}\" font-size=\"10\" text-anchor=\"start\" {MUTED}>{l}</text>",
            ty = y_of(v) + 3.5,
            l = escape_html(&text.number(v, 0))
        );
    }
}

/// An axis title centred on `x`.
pub(crate) fn title(o: &mut String, x: f64, y: f64, label: &str) {
    let _ = write!(
        o,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"11\" text-anchor=\"middle\" {MUTED}>{}</text>",
        escape_html(label)
    );
}

/// A small label centred on `x` (a day of the month, a year).
pub(crate) fn tick_label(o: &mut String, x: f64, y: f64, label: impl std::fmt::Display) {
    let _ = write!(
        o,
        "<text x=\"{x:.1}\" y=\"{y}\" font-size=\"10\" text-anchor=\"middle\" {MUTED}>{label}</text>"
    );
}
