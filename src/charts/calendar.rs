//! `hot_days_calendar`: the daily maxima of one sensor over one year as a
//! month × day grid of the months that have data; hot days highlighted
//! (colour and a dot), incomplete days hatched, months labelled.

use std::fmt::Write;

use drehbuch_sensors::{SensorSummary, Summary, Thresholds, YearSummary, days_in_month};

use super::figure::{SensorChart, fingerprint, sensor_figure};
use super::palette::{CELL_INK, INK, VERMILLION, WIDTH};
use super::table::DataTable;
use super::text::{ChartText, hot_day_threshold, phrase, threshold};
use super::{ChartError, axes, legend, sensor};
use crate::text::escape_html;
use crate::text::slugify;

/// Room for the month names left of the grid.
const LABEL_W: f64 = 92.0;
/// Where January's row starts (below the legend and the day numbers).
const TOP: f64 = 78.0;

/// Colours of the daily maximum, coolest first, and their legend keys; the
/// last is a day without data.
const BINS: [(&str, &str); 6] = [
    ("#E8F1F8", "chart.calendar.legend.below_10"),
    ("#9ECAE9", "chart.calendar.legend.10_20"),
    ("#FFE9A8", "chart.calendar.legend.20_summer"),
    ("#F5A623", "chart.calendar.legend.summer"),
    (VERMILLION, "chart.calendar.legend.hot"),
    ("none", "chart.calendar.legend.missing"),
];
/// The bin of a hot day.
const HOT: usize = 4;

/// The daily maximum and whether the day is complete, by month and day.
type Days = [[Option<(f64, bool)>; 31]; 12];

/// Daily maxima of `sensor_id` in `year`.
pub fn hot_days_calendar(
    summary: &Summary,
    sensor_id: &str,
    year: i32,
    text: &dyn ChartText,
) -> Result<String, ChartError> {
    let x = sensor(summary, sensor_id)?;
    let Some(ys) = x.year(year) else {
        return Err(ChartError::UnknownYear {
            year,
            known: x.years.iter().map(|y| y.year).collect(),
        });
    };
    let lang = text.lang().to_string();
    let id = format!(
        "drehbuch-calendar-{}-{year}-{}",
        slugify(&x.id),
        fingerprint(summary)
    );
    let thr = hot_day_threshold(summary, text);
    let vars = [
        ("year", year.to_string()),
        ("sensor", x.display_name(&lang).to_string()),
        ("threshold", thr.clone()),
    ];
    let title = phrase(text, "chart.calendar.title", None, &vars);
    let grid = Grid {
        th: &summary.thresholds,
        text,
        id: &id,
        year,
        days: days_of(x, year),
        cell: ((WIDTH - LABEL_W - 12.0) / 31.0).floor(),
    };
    // Only the months with data: a sensor measured for three weeks is not
    // shown as eleven empty months around one.
    let mut months: Vec<u32> = (1..=12u32)
        .filter(|m| grid.days[(m - 1) as usize].iter().any(Option::is_some))
        .collect();
    if months.is_empty() {
        months = (1..=12).collect();
    }
    let mut body = String::new();
    grid.legend(&mut body, &summary_vars(summary, &thr, text));
    let mut hot_list = Vec::new();
    for (row, &m) in months.iter().enumerate() {
        grid.month(&mut body, m, row, &mut hot_list);
    }
    let desc = description(ys, &hot_list, &vars, text);
    let table = grid.table(&title, &months, &vars);
    Ok(sensor_figure(
        summary,
        text,
        SensorChart {
            kind: "calendar",
            id: &id,
            height: TOP + months.len() as f64 * grid.cell + 30.0,
            title: &title,
            desc: &desc,
            body: &body,
            table: &table,
        },
    ))
}

/// The legend's words: the hot-day and the summer-day threshold.
fn summary_vars(summary: &Summary, hot: &str, text: &dyn ChartText) -> [(&'static str, String); 2] {
    [
        ("threshold", hot.to_string()),
        (
            "summer",
            threshold(summary, summary.thresholds.summer_day_c, text),
        ),
    ]
}

/// The sensor's days of `year`.
fn days_of(x: &SensorSummary, year: i32) -> Days {
    let mut days: Days = [[None; 31]; 12];
    let prefix = format!("{year:04}-");
    for d in x.days.iter().filter(|d| d.date().starts_with(&prefix)) {
        if let Some((_, m, dd)) = d.ymd() {
            days[(m - 1) as usize][(dd - 1) as usize] = Some((d.max(), d.complete()));
        }
    }
    days
}

/// The description: hot days (certain and partial), their dates, the
/// year's maximum.
fn description(
    ys: &YearSummary,
    hot_list: &[String],
    vars: &[(&str, String)],
    text: &dyn ChartText,
) -> String {
    let max_txt = ys.max.as_ref().map(|m| {
        let (y, mo, d) = m.ymd().unwrap_or((1970, 1, 1));
        format!("{} °C ({})", text.number(m.value, 1), text.date(y, mo, d))
    });
    let mut desc = phrase(
        text,
        "chart.calendar.desc",
        Some(i64::from(ys.hot_days)),
        vars,
    );
    if ys.hot_days_partial > 0 {
        desc += &format!(
            " {}",
            phrase(
                text,
                "chart.hot_days.desc_partial",
                Some(i64::from(ys.hot_days_partial)),
                vars
            )
        );
    }
    if !hot_list.is_empty() {
        desc += &format!(" {}", hot_list.join(", "));
        // Dates that end with a period (CLDR hu: "2024. augusztus 29.")
        // end the sentence with it.
        if !desc.ends_with('.') {
            desc.push('.');
        }
    }
    if let Some(m) = &max_txt {
        desc += &format!(
            " {}",
            phrase(text, "chart.calendar.desc_max", None, &[("max", m.clone())])
        );
    }
    desc
}

/// The month × day grid of one sensor's year.
struct Grid<'a> {
    th: &'a Thresholds,
    text: &'a dyn ChartText,
    id: &'a str,
    year: i32,
    days: Days,
    /// Side of a day's square, with its gap.
    cell: f64,
}

impl Grid<'_> {
    /// The colour bin of a daily maximum (see [`BINS`]).
    fn bin(&self, v: f64) -> usize {
        let th = self.th;
        if th.reached(v, th.hot_day_c) {
            HOT
        } else if th.reached(v, th.summer_day_c) {
            3
        } else if v >= 20.0 {
            2
        } else if v >= 10.0 {
            1
        } else {
            0
        }
    }

    /// The legend in two rows (with the hot-day dot) and the day numbers
    /// above the grid.
    fn legend(&self, body: &mut String, vars: &[(&str, String)]) {
        let text = self.text;
        let mut items: Vec<(String, String)> = BINS
            .iter()
            .map(|(c, k)| (c.to_string(), phrase(text, k, None, vars)))
            .collect();
        items.push((
            "url(#{id}-thin)".to_string(),
            phrase(text, "chart.calendar.legend.partial", None, vars),
        ));
        legend::swatches(body, self.id, 8.0, 18.0, &items[..4]);
        legend::swatches(body, self.id, 8.0, 40.0, &items[4..]);
        let _ = write!(
            body,
            "<circle cx=\"15\" cy=\"33\" r=\"3\" fill=\"{CELL_INK}\"/>"
        );
        for day in [1u32, 5, 10, 15, 20, 25, 31] {
            let x = LABEL_W + (f64::from(day) - 0.5) * self.cell;
            axes::tick_label(body, x, TOP - 6.0, day);
        }
    }

    /// Month `m`'s row (the `row`-th drawn): its name and a square per
    /// day; the dates of hot days go to `hot_list`.
    fn month(&self, body: &mut String, m: u32, row: usize, hot_list: &mut Vec<String>) {
        let (text, id, cell) = (self.text, self.id, self.cell);
        let yy = TOP + row as f64 * cell;
        let _ = write!(
            body,
            "<text x=\"{lx}\" y=\"{ty:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"{INK}\">{mn}</text>",
            lx = LABEL_W - 6.0,
            ty = yy + cell * 0.7,
            mn = escape_html(&text.month_name(m))
        );
        let w = cell - 2.0;
        for d in 1..=days_in_month(self.year, m) {
            let xx = LABEL_W + f64::from(d - 1) * cell;
            let date = text.date(self.year, m, d);
            let Some((v, complete)) = self.days[(m - 1) as usize][(d - 1) as usize] else {
                let _ = write!(
                    body,
                    "<rect x=\"{xx:.1}\" y=\"{yy:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.5\" stroke-width=\"0.6\" stroke-dasharray=\"2 1.5\"><title>{t}</title></rect>",
                    t = escape_html(&format!(
                        "{date}: {}",
                        phrase(text, "chart.no_data", None, &[])
                    ))
                );
                continue;
            };
            let b = self.bin(v);
            let tip = format!(
                "{date}: {} °C{}",
                text.number(v, 1),
                if complete {
                    String::new()
                } else {
                    format!(
                        " ({})",
                        phrase(text, "chart.calendar.incomplete", None, &[])
                    )
                }
            );
            let _ = write!(
                body,
                "<g><title>{tip}</title><rect x=\"{xx:.1}\" y=\"{yy:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"{c}\" stroke=\"{INK}\" stroke-width=\"0.3\"/>",
                c = BINS[b].0,
                tip = escape_html(&tip)
            );
            if !complete {
                let _ = write!(
                    body,
                    "<rect x=\"{xx:.1}\" y=\"{yy:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"url(#{id}-thin)\"/>"
                );
            }
            if b == HOT {
                let _ = write!(
                    body,
                    "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"3\" fill=\"{CELL_INK}\"/>",
                    cx = xx + w / 2.0,
                    cy = yy + w / 2.0
                );
                hot_list.push(date.clone());
            }
            body.push_str("</g>");
        }
    }

    /// The table: the drawn months × days, hot days in bold, incomplete
    /// days starred.
    fn table(&self, title: &str, months: &[u32], vars: &[(&str, String)]) -> String {
        let text = self.text;
        let mut columns = vec![phrase(text, "chart.col.month", None, &[])];
        columns.extend((1..=31).map(|d: u32| d.to_string()));
        let mut table = DataTable::new(Some(title), &columns);
        for &m in months {
            let cells = (1..=31u32).map(|d| {
                if d > days_in_month(self.year, m) {
                    return "<td></td>".to_string();
                }
                match self.days[(m - 1) as usize][(d - 1) as usize] {
                    None => "<td>–</td>".to_string(),
                    Some((v, complete)) => {
                        let hot = self.bin(v) == HOT;
                        format!(
                            "<td>{}{}{}{}</td>",
                            if hot { "<strong>" } else { "" },
                            escape_html(&text.number(v, 1)),
                            if complete { "" } else { "*" },
                            if hot { "</strong>" } else { "" },
                        )
                    }
                }
            });
            table.row(&text.month_name(m), cells.collect::<Vec<_>>());
        }
        let note = phrase(text, "chart.calendar.table_note", None, vars);
        table.finish(Some(&note))
    }
}
