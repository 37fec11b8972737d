//! `hot_days`: hot days per sensor in one year, as bars sorted by count;
//! the certain part (complete days) solid, the lower-bound part
//! (incomplete days) hatched; sensors with poor coverage marked.

use std::fmt::Write;

use drehbuch_sensors::{SensorSummary, Summary, YearSummary};

use super::figure::{SensorChart, fingerprint, sensor_figure};
use super::palette::{INK, MUTED, VERMILLION, WIDTH};
use super::scale::Ticks;
use super::table::{DataTable, td};
use super::text::{ChartText, hot_day_threshold, percent, phrase};
use super::{ChartError, axes, legend, low_coverage};
use crate::text::escape_html;

/// Room for the sensors' names left of the bars.
const LABEL_W: f64 = 210.0;
/// Where the first bar's row starts (below the legend).
const TOP: f64 = 56.0;
/// Height of one sensor's row.
const ROW_H: f64 = 26.0;
/// Length of the longest possible bar.
const PLOT_W: f64 = WIDTH - LABEL_W - 150.0;

/// One sensor's row: the sensor and its year, if it has data in it.
type Row<'a> = (&'a SensorSummary, Option<&'a YearSummary>);

/// Hot days per sensor in `year`.
pub fn hot_days(summary: &Summary, year: i32, text: &dyn ChartText) -> Result<String, ChartError> {
    if summary.sensors.is_empty() {
        return Err(ChartError::NoData);
    }
    let lang = text.lang().to_string();
    let rows = rows(summary, year, &lang);
    if rows.iter().all(|r| r.1.is_none()) {
        return Err(ChartError::UnknownYear {
            year,
            known: summary.years(),
        });
    }
    let id = format!("drehbuch-hot-days-{year}-{}", fingerprint(summary));
    let vars = [
        ("year", year.to_string()),
        ("threshold", hot_day_threshold(summary, text)),
    ];
    let title = phrase(text, "chart.hot_days.title", None, &vars);
    let any_partial = rows
        .iter()
        .filter_map(|r| r.1)
        .any(|y| y.hot_days_partial > 0);
    let max = rows
        .iter()
        .filter_map(|r| r.1)
        .map(|y| y.hot_days + y.hot_days_partial)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let ticks = Ticks::new(max);
    let bars = Bars {
        summary,
        text,
        lang: &lang,
        id: &id,
        vars: &vars,
        axis_max: ticks.max,
    };
    let bottom = TOP + rows.len() as f64 * ROW_H;
    let mut body = String::new();
    legend::certain_and_partial(&mut body, &id, LABEL_W, any_partial, text, &vars);
    axes::value_grid_across(&mut body, &ticks, |v| bars.x(v), (TOP - 6.0, bottom), text);
    axes::title(
        &mut body,
        LABEL_W + PLOT_W / 2.0,
        bottom + 32.0,
        &phrase(text, "chart.hot_days.axis", None, &vars),
    );
    let columns = [
        "chart.col.sensor",
        "chart.col.hot_days",
        "chart.col.hot_days_partial",
        "chart.col.complete_days",
        "chart.col.coverage",
    ]
    .map(|key| phrase(text, key, None, &vars));
    let mut table = DataTable::new(Some(&title), &columns);
    let mut desc_items = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        desc_items.push(bars.row(&mut body, &mut table, TOP + i as f64 * ROW_H, row));
    }
    let desc = format!(
        "{} {}",
        phrase(text, "chart.hot_days.desc", None, &vars),
        desc_items.join("; ")
    );
    Ok(sensor_figure(
        summary,
        text,
        SensorChart {
            kind: "hot-days",
            id: &id,
            height: bottom + 40.0,
            title: &title,
            desc: &desc,
            body: &body,
            table: &table.finish(None),
        },
    ))
}

/// Every sensor with its year, the most hot days first (certain, then
/// partial), then by name; sensors without data in the year last.
fn rows<'a>(summary: &'a Summary, year: i32, lang: &str) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = summary.sensors.iter().map(|x| (x, x.year(year))).collect();
    rows.sort_by(|a, b| {
        let ka = a.1.map_or((-1, -1), |y| {
            (i64::from(y.hot_days), i64::from(y.hot_days_partial))
        });
        let kb = b.1.map_or((-1, -1), |y| {
            (i64::from(y.hot_days), i64::from(y.hot_days_partial))
        });
        kb.cmp(&ka)
            .then_with(|| a.0.display_name(lang).cmp(b.0.display_name(lang)))
    });
    rows
}

/// What every row of the chart shares.
struct Bars<'a> {
    summary: &'a Summary,
    text: &'a dyn ChartText,
    lang: &'a str,
    id: &'a str,
    vars: &'a [(&'a str, String)],
    axis_max: f64,
}

impl Bars<'_> {
    /// Where a number of days ends on the bar axis.
    fn x(&self, v: f64) -> f64 {
        LABEL_W + v / self.axis_max * PLOT_W
    }

    /// Draws the row of one sensor at `yy`, adds it to the table and
    /// returns its words for the description.
    fn row(&self, body: &mut String, table: &mut DataTable, yy: f64, row: &Row<'_>) -> String {
        let (x, y) = *row;
        let name = x.display_name(self.lang);
        let _ = write!(
            body,
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\" fill=\"{INK}\">{n}</text>",
            lx = LABEL_W - 8.0,
            ty = yy + 15.0,
            n = escape_html(&x.short_name(self.lang, 30))
        );
        match y {
            None => self.no_data(body, yy, name),
            Some(y) => self.bar(body, table, yy, name, y),
        }
    }

    /// A sensor without data in the year: said in the drawing, left out
    /// of the table (which holds only rows with data).
    fn no_data(&self, body: &mut String, yy: f64, name: &str) -> String {
        let nd = phrase(self.text, "chart.no_data", None, self.vars);
        let _ = write!(
            body,
            "<text x=\"{x0}\" y=\"{ty}\" font-size=\"12\" {MUTED}>{n}</text>",
            x0 = LABEL_W + 4.0,
            ty = yy + 15.0,
            n = escape_html(&nd)
        );
        format!("{name}: {nd}")
    }

    fn bar(
        &self,
        body: &mut String,
        table: &mut DataTable,
        yy: f64,
        name: &str,
        y: &YearSummary,
    ) -> String {
        let (text, vars, id) = (self.text, self.vars, self.id);
        let c = f64::from(y.hot_days);
        let p = f64::from(y.hot_days_partial);
        let (x0, x1, x2) = (self.x(0.0), self.x(c), self.x(c + p));
        if c > 0.0 {
            let _ = write!(
                body,
                "<rect x=\"{x0:.1}\" y=\"{y0}\" width=\"{w:.1}\" height=\"16\" fill=\"{VERMILLION}\"/>",
                y0 = yy + 3.0,
                w = x1 - x0
            );
        }
        if p > 0.0 {
            let _ = write!(
                body,
                "<rect x=\"{x1:.1}\" y=\"{y0}\" width=\"{w:.1}\" height=\"16\" fill=\"url(#{id}-hatch)\" stroke=\"{VERMILLION}\" stroke-width=\"1\"/>",
                y0 = yy + 3.0,
                w = x2 - x1
            );
        }
        let mut label = y.hot_days.to_string();
        if y.hot_days_partial > 0 {
            label = format!("{} + {}", y.hot_days, y.hot_days_partial);
        }
        let low = low_coverage(self.summary, y);
        let cov = percent(text, y.coverage);
        let low_note = || {
            phrase(
                text,
                "chart.low_coverage",
                None,
                &[("percent", cov.clone())],
            )
        };
        let mut full = label.clone();
        if low {
            full = format!("{label} · {}", low_note());
        }
        let _ = write!(
            body,
            "<text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"12\" {fillc}{fw}>{full}</text>",
            tx = x2 + 6.0,
            ty = yy + 15.0,
            fillc = if low {
                MUTED.to_string()
            } else {
                format!("fill=\"{INK}\"")
            },
            fw = if low { " font-style=\"italic\"" } else { "" },
            full = escape_html(&full)
        );
        let mut d = format!(
            "{name}: {}",
            phrase(text, "chart.days", Some(i64::from(y.hot_days)), vars)
        );
        if y.hot_days_partial > 0 {
            d += &format!(
                " ({})",
                phrase(
                    text,
                    "chart.hot_days.desc_partial",
                    Some(i64::from(y.hot_days_partial)),
                    vars
                )
            );
        }
        if low {
            d += &format!(" ({})", low_note());
        }
        table.row(
            name,
            [
                td(&y.hot_days.to_string()),
                td(&y.hot_days_partial.to_string()),
                td(&format!("{} / {}", y.complete_days, y.days_in_period)),
                td(&cov),
            ],
        );
        d
    }
}
