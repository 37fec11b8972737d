//! `hot_days_by_year`: hot days per year, one sensor as bars over the
//! years, or all sensors as small multiples sharing the year axis. Years
//! with low coverage, and years without data inside a sensor's range, get
//! an open marker under the axis.

use std::fmt::Write;

use drehbuch_sensors::{SensorSummary, Summary, YearSummary};

use super::figure::{SensorChart, fingerprint, sensor_figure};
use super::palette::{INK, MUTED, VERMILLION, WIDTH};
use super::scale::Ticks;
use super::table::{DataTable, td};
use super::text::{ChartText, hot_day_threshold, phrase};
use super::{ChartError, axes, legend, low_coverage, sensor};
use crate::text::escape_html;
use crate::text::slugify;

/// Where the first panel starts (below the legend).
const TOP: f64 = 50.0;

/// Hot days per year of `sensor_id`, or of every sensor with data.
pub fn hot_days_by_year(
    summary: &Summary,
    sensor_id: Option<&str>,
    text: &dyn ChartText,
) -> Result<String, ChartError> {
    let sensors = sensors(summary, sensor_id)?;
    let lang = text.lang().to_string();
    let first = sensors
        .iter()
        .filter_map(|x| x.years.first().map(|y| y.year));
    let last = sensors
        .iter()
        .filter_map(|x| x.years.last().map(|y| y.year));
    let (y0, y1) = (first.min().unwrap_or(0), last.max().unwrap_or(0));
    let single = sensors.len() == 1;
    let vars = [
        ("threshold", hot_day_threshold(summary, text)),
        ("sensor", sensors[0].display_name(&lang).to_string()),
        ("from", y0.to_string()),
        ("to", y1.to_string()),
    ];
    let key = if single {
        "chart.by_year.title"
    } else {
        "chart.by_year.title_all"
    };
    let title = phrase(text, key, None, &vars);
    let id = match sensor_id {
        Some(s) => format!("drehbuch-by-year-{}-{}", slugify(s), fingerprint(summary)),
        None => format!("drehbuch-by-year-all-{}", fingerprint(summary)),
    };
    let years = || sensors.iter().flat_map(|x| x.years.iter());
    let any_partial = years().any(|y| y.hot_days_partial > 0);
    let any_low = years().any(|y| low_coverage(summary, y))
        || sensors.iter().any(|x| !gap_years(x).is_empty());
    let max = years()
        .map(|y| y.hot_days + y.hot_days_partial)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let panels = Panels::new(summary, text, &id, &vars, single, (y0, y1), max);
    let mut body = String::new();
    legend::certain_and_partial(&mut body, &id, panels.label_w, any_partial, text, &vars);
    let mut desc_items = Vec::new();
    for (k, x) in sensors.iter().enumerate() {
        desc_items.extend(panels.panel(&mut body, k, x));
    }
    let axis_y = TOP + sensors.len() as f64 * (panels.panel_h + panels.gap) + 16.0;
    panels.year_axis(&mut body, axis_y, any_low);
    let desc = format!(
        "{} {}",
        phrase(text, "chart.by_year.desc", None, &vars),
        desc_items.join(" ")
    );
    let table = table(&sensors, (y0, y1), summary, &title, &lang, &vars, text);
    Ok(sensor_figure(
        summary,
        text,
        SensorChart {
            kind: "by-year",
            id: &id,
            height: TOP + sensors.len() as f64 * (panels.panel_h + panels.gap) + 34.0 + 6.0,
            title: &title,
            desc: &desc,
            body: &body,
            table: &table,
        },
    ))
}

/// The sensors drawn: the one asked for, or all with data.
fn sensors<'a>(
    summary: &'a Summary,
    sensor_id: Option<&str>,
) -> Result<Vec<&'a SensorSummary>, ChartError> {
    let sensors: Vec<&SensorSummary> = match sensor_id {
        Some(id) => vec![sensor(summary, id)?],
        None => summary
            .sensors
            .iter()
            .filter(|x| !x.years.is_empty())
            .collect(),
    };
    if sensors.is_empty() || sensors.iter().all(|x| x.years.is_empty()) {
        return match sensor_id {
            Some(_) => Err(ChartError::UnknownYear {
                year: 0,
                known: Vec::new(),
            }),
            None => Err(ChartError::NoData),
        };
    }
    Ok(sensors)
}

/// Years between a sensor's first and last year with data that have none
/// (the summary lists only years with data).
fn gap_years(x: &SensorSummary) -> Vec<i32> {
    let (Some(first), Some(last)) = (x.years.first(), x.years.last()) else {
        return Vec::new();
    };
    (first.year..=last.year)
        .filter(|&y| x.year(y).is_none())
        .collect()
}

/// The layout all panels share.
struct Panels<'a> {
    summary: &'a Summary,
    text: &'a dyn ChartText,
    id: &'a str,
    vars: &'a [(&'a str, String)],
    single: bool,
    /// First and last year on the axis.
    years: (i32, i32),
    ticks: Ticks,
    /// Room for the sensors' names (small multiples) or the numbers.
    label_w: f64,
    plot_w: f64,
    panel_h: f64,
    gap: f64,
    /// Width of one year's bar, with its gap.
    bw: f64,
}

impl<'a> Panels<'a> {
    fn new(
        summary: &'a Summary,
        text: &'a dyn ChartText,
        id: &'a str,
        vars: &'a [(&'a str, String)],
        single: bool,
        years: (i32, i32),
        max: f64,
    ) -> Self {
        let label_w = if single { 44.0 } else { 170.0 };
        // Room right of the plot for the value axis's numbers again: on a
        // phone the chart opens at its recent (right) end.
        let plot_w = WIDTH - label_w - 30.0;
        Panels {
            summary,
            text,
            id,
            vars,
            single,
            years,
            ticks: Ticks::new(max),
            label_w,
            plot_w,
            panel_h: if single { 220.0 } else { 64.0 },
            gap: if single { 0.0 } else { 10.0 },
            bw: plot_w / (years.1 - years.0 + 1) as f64,
        }
    }

    /// Panel `k`, of sensor `x`: its name (small multiples), grid, a bar
    /// per year with data, a marker per year without; returns the
    /// sensor's sentence for the description, if it has years.
    fn panel(&self, body: &mut String, k: usize, x: &SensorSummary) -> Option<String> {
        let (text, lang) = (self.text, self.text.lang());
        let py = TOP + k as f64 * (self.panel_h + self.gap);
        let base = py + self.panel_h;
        let axis_max = self.ticks.max;
        let sy = |v: f64| base - v / axis_max * (self.panel_h - 6.0);
        if !self.single {
            let _ = write!(
                body,
                "<text x=\"{lx}\" y=\"{ty:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"{INK}\">{n}</text>",
                lx = self.label_w - 30.0,
                ty = py + self.panel_h / 2.0 + 4.0,
                n = escape_html(&x.short_name(lang, 22))
            );
        }
        let every = if self.single {
            self.ticks.step
        } else {
            axis_max
        };
        let across = (self.label_w, self.label_w + self.plot_w);
        axes::value_grid_up(body, &self.ticks, every, sy, across, text);
        axes::value_labels_right(body, &self.ticks, every, sy, across.1 + 4.0, text);
        let mut total = 0u32;
        let mut best: Option<(i32, u32)> = None;
        for y in &x.years {
            self.bar(body, y, base, &sy);
            total += y.hot_days;
            if best.is_none_or(|b| y.hot_days > b.1) {
                best = Some((y.year, y.hot_days));
            }
        }
        // Years without any data between the sensor's first and last year:
        // coverage 0, so the same open marker as for low coverage.
        for year in gap_years(x) {
            let (cx, cy) = self.marker_at(year, base);
            let _ = write!(
                body,
                "<g><title>{}</title><circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2.2\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"0.8\"/></g>",
                escape_html(&format!(
                    "{year}: {}",
                    phrase(text, "chart.no_data", None, self.vars)
                )),
            );
        }
        let (by, bn) = best?;
        Some(phrase(
            text,
            "chart.by_year.desc_sensor",
            Some(i64::from(total)),
            &[
                ("sensor", x.display_name(lang).to_string()),
                ("year", by.to_string()),
                ("max", bn.to_string()),
            ],
        ))
    }

    /// Where a year's bar starts, and its width.
    fn column(&self, year: i32) -> (f64, f64) {
        let xx = self.label_w + f64::from(year - self.years.0) * self.bw;
        (xx, (self.bw - 1.0).max(1.0))
    }

    /// The centre of the open marker under year `year`'s bar.
    fn marker_at(&self, year: i32, base: f64) -> (f64, f64) {
        let (xx, w) = self.column(year);
        (xx + w / 2.0, base + 5.0)
    }

    /// One year's bar (solid for complete days, hatched above for partial
    /// ones) with its tooltip, and the marker of low coverage.
    fn bar(&self, body: &mut String, y: &YearSummary, base: f64, sy: &dyn Fn(f64) -> f64) {
        let (xx, w) = self.column(y.year);
        let id = self.id;
        let c = f64::from(y.hot_days);
        let p = f64::from(y.hot_days_partial);
        let tip = format!(
            "{}: {}{}",
            y.year,
            phrase(
                self.text,
                "chart.days",
                Some(i64::from(y.hot_days)),
                self.vars
            ),
            if y.hot_days_partial > 0 {
                format!(" (+{})", y.hot_days_partial)
            } else {
                String::new()
            }
        );
        let _ = write!(body, "<g><title>{}</title>", escape_html(&tip));
        if c > 0.0 {
            let _ = write!(
                body,
                "<rect x=\"{xx:.1}\" y=\"{yt:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{VERMILLION}\"/>",
                yt = sy(c),
                h = base - sy(c)
            );
        }
        if p > 0.0 {
            let _ = write!(
                body,
                "<rect x=\"{xx:.1}\" y=\"{yt:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"url(#{id}-hatch)\" stroke=\"{VERMILLION}\" stroke-width=\"0.8\"/>",
                yt = sy(c + p),
                h = sy(c) - sy(c + p)
            );
        }
        if low_coverage(self.summary, y) {
            // small open marker under the axis: this year's coverage is low
            let (cx, cy) = self.marker_at(y.year, base);
            let _ = write!(
                body,
                "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2.2\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"0.8\"/>"
            );
        }
        body.push_str("</g>");
    }

    /// The year labels under the last panel (every 1, 2, 5, … years, at
    /// most 16), and the note on the open marker when one is drawn.
    fn year_axis(&self, body: &mut String, axis_y: f64, any_low: bool) {
        let (y0, y1) = self.years;
        let n_years = (y1 - y0 + 1) as f64;
        let label_every = [1, 2, 5, 10, 20]
            .into_iter()
            .find(|e| n_years / f64::from(*e) <= 16.0)
            .unwrap_or(25);
        for y in y0..=y1 {
            if y % label_every == 0 || y0 == y1 {
                let x = self.label_w + (f64::from(y - y0) + 0.5) * self.bw;
                axes::tick_label(body, x, axis_y, y);
            }
        }
        let low_note = phrase(
            self.text,
            "chart.by_year.low_coverage_marker",
            None,
            &[(
                "percent",
                format!(
                    "{} %",
                    self.text
                        .number(self.summary.thresholds.min_coverage_pct, 0)
                ),
            )],
        );
        if any_low {
            let _ = write!(
                body,
                "<text x=\"{x}\" y=\"{y}\" font-size=\"10\" {MUTED}>{n}</text>",
                x = self.label_w,
                y = axis_y + 14.0,
                n = escape_html(&format!("○ {low_note}"))
            );
        }
    }
}

/// The table: years × sensors; partial days as `(+n)`, low coverage `○`.
/// Only years some sensor has data for: the drawing marks the gaps.
fn table(
    sensors: &[&SensorSummary],
    (y0, y1): (i32, i32),
    summary: &Summary,
    title: &str,
    lang: &str,
    vars: &[(&str, String)],
    text: &dyn ChartText,
) -> String {
    let mut columns = vec![phrase(text, "chart.col.year", None, vars)];
    columns.extend(sensors.iter().map(|x| x.display_name(lang).to_string()));
    let mut table = DataTable::new(Some(title), &columns);
    for y in (y0..=y1).filter(|&y| sensors.iter().any(|x| x.year(y).is_some())) {
        let cells = sensors.iter().map(|x| match x.year(y) {
            None => "<td>–</td>".to_string(),
            Some(ys) => {
                let mut c = ys.hot_days.to_string();
                if ys.hot_days_partial > 0 {
                    c += &format!(" (+{})", ys.hot_days_partial);
                }
                if low_coverage(summary, ys) {
                    c += " ○";
                }
                td(&c)
            }
        });
        table.row(&y.to_string(), cells);
    }
    let note = phrase(text, "chart.by_year.table_note", None, vars);
    table.finish(Some(&note))
}
