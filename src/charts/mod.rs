//! Charts of a [`Summary`]: pure functions returning accessible HTML fragments.
//!
//! Each chart is a `<figure>` holding an inline SVG (no JavaScript, scaled by
//! its `viewBox` to the page width), with `role="img"`, `<title>` and `<desc>`
//! in the page's language, the same numbers as a `<table>` inside
//! `<details>`, and a `<figcaption>` with the dataset's provenance. Colours come
//! from the Okabe–Ito palette and are never the only cue: incomplete days are
//! hatched, hot days carry a dot, poor coverage is written out.
//!
//! Every UI string goes through [`ChartText::text`] with a key under `chart.`;
//! the keys and their English, German and Romanian texts are in the built-in
//! theme's UI strings (`themes/default/i18n/*.yaml`). Placeholders in braces (`{year}`, `{sensor}`,
//! `{threshold}`, `{percent}`, `{source}`, `{licence}`, `{count}`) are filled in
//! here after the lookup.
//!
//! Element ids are derived from the chart kind, sensor, year and a short
//! fingerprint of the dataset, so several charts can share a page.

use std::fmt::{self, Write};

use drehbuch_sensors::{SensorSummary, Summary, YearSummary};

mod field_counts;
mod shortcodes;

pub(crate) use field_counts::{render as render_field_counts, signature as field_counts_signature};
pub use shortcodes::{Chart, Datasets, LocalizedText, NAMES, folder, render, signature};

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

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    /// The sensor id is not in the summary.
    UnknownSensor {
        /// Requested id.
        sensor: String,
        /// Ids in the summary.
        known: Vec<String>,
    },
    /// No statistics for this year.
    UnknownYear {
        /// Requested year.
        year: i32,
        /// Years in the summary (for the sensor, if one was given).
        known: Vec<i32>,
    },
    /// The summary has no sensors with data at all.
    NoData,
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::UnknownSensor { sensor, known } => {
                write!(
                    f,
                    "unknown sensor {sensor:?}; the summary has: {}",
                    known.join(", ")
                )
            }
            ChartError::UnknownYear { year, known } => {
                let k: Vec<String> = known.iter().map(i32::to_string).collect();
                if k.is_empty() {
                    write!(f, "no data for {year}; the summary has no years with data")
                } else {
                    write!(f, "no data for {year}; years with data: {}", k.join(", "))
                }
            }
            ChartError::NoData => write!(f, "the summary holds no sensor data"),
        }
    }
}

impl std::error::Error for ChartError {}

// Okabe–Ito colours; all chart marks have ≥ 3:1 contrast to white, text ≥ 4.5:1.
const VERMILLION: &str = "#D55E00";
const INK: &str = "#1a1a1a";
const GREY_TEXT: &str = "#595959";
const GRID: &str = "#d0d0d0";

const W: f64 = 720.0;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in vars {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// Look up a key and fill placeholders.
fn t(text: &dyn ChartText, key: &str, count: Option<i64>, vars: &[(&str, String)]) -> String {
    let mut v: Vec<(&str, String)> = vars.to_vec();
    if let Some(c) = count {
        v.push(("count", c.to_string()));
    }
    fill(&text.text(key, count), &v)
}

fn slug(s: &str) -> String {
    let mut o: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while o.contains("--") {
        o = o.replace("--", "-");
    }
    o.trim_matches('-').to_string()
}

/// Short fingerprint of the dataset so ids differ between datasets on one page.
fn fingerprint(s: &Summary) -> String {
    let mut h: u32 = 2_166_136_261;
    for i in &s.inputs {
        for b in i.sha256.bytes().chain(i.file.bytes()) {
            h ^= u32::from(b);
            h = h.wrapping_mul(16_777_619);
        }
    }
    for x in &s.sensors {
        for b in x.id.bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(16_777_619);
        }
    }
    format!("{:06x}", h & 0xff_ffff)
}

fn threshold_text(s: &Summary, text: &dyn ChartText) -> String {
    let cmp = if s.thresholds.comparison == ">" {
        ">"
    } else {
        "≥"
    };
    format!("{cmp} {} °C", text.number(s.thresholds.hot_day_c, 1))
}

fn percent(text: &dyn ChartText, frac: f64) -> String {
    format!("{} %", text.number(frac * 100.0, 0))
}

fn known_sensors(s: &Summary) -> Vec<String> {
    s.sensors.iter().map(|x| x.id.clone()).collect()
}

fn sensor<'a>(s: &'a Summary, id: &str) -> Result<&'a SensorSummary, ChartError> {
    s.sensor(id).ok_or_else(|| ChartError::UnknownSensor {
        sensor: id.to_string(),
        known: known_sensors(s),
    })
}

/// Caption: the chart's lead, the synthetic-data notice when marked so,
/// and the provenance. A dataset's own attribution text (the wording its
/// licence asks for) replaces the generic source line, so nothing repeats.
fn caption(s: &Summary, text: &dyn ChartText, lead: &str) -> String {
    let p = &s.provenance;
    let linked = |label: &str, url: &Option<String>| match url {
        Some(u) => format!("<a href=\"{}\">{}</a>", esc(u), esc(label)),
        None => esc(label),
    };
    let mut parts: Vec<String> = Vec::new();
    if !lead.is_empty() {
        let lead = lead.trim_end();
        let end = if lead.ends_with(['.', '!', '?']) {
            ""
        } else {
            "."
        };
        parts.push(format!("{}{end}", esc(lead)));
    }
    if p.synthetic {
        parts.push(format!(
            "<strong>{}</strong>",
            esc(&t(text, "chart.synthetic", None, &[]))
        ));
    }
    match &p.attribution {
        Some(a) => {
            let end = if a.trim_end().ends_with(['.', '!', '?']) {
                ""
            } else {
                "."
            };
            parts.push(format!("{}{end}", linked(a.trim_end(), &p.source_url)));
        }
        None => {
            if let Some(src) = &p.source {
                parts.push(fill(
                    &esc(&text.text("chart.source", None)),
                    &[("source", linked(src, &p.source_url))],
                ));
            }
        }
    }
    if let Some(l) = &p.licence {
        let named = p
            .attribution
            .as_deref()
            .is_some_and(|a| a.contains(l.as_str()));
        if !named || p.licence_url.is_some() {
            parts.push(fill(
                &esc(&text.text("chart.licence", None)),
                &[("licence", linked(l, &p.licence_url))],
            ));
        }
    }
    format!("<figcaption>{}</figcaption>", parts.join(" "))
}

struct Frame {
    id: String,
    kind: &'static str,
    height: f64,
    title: String,
    desc: String,
    body: String,
    table: String,
    caption_lead: String,
}

fn figure(s: &Summary, text: &dyn ChartText, f: Frame) -> String {
    let id = &f.id;
    let mut o = String::with_capacity(f.body.len() + f.table.len() + 2048);
    let _ = write!(
        o,
        "<figure class=\"drehbuch-chart drehbuch-chart-{kind}\" id=\"{id}\" lang=\"{lang}\">\n\
<div class=\"chart-scroll\" data-pagefind-ignore role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-title\">\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" style=\"max-width:100%;height:auto;font-family:system-ui,sans-serif\">\n\
<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n\
<defs><pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><rect width=\"3\" height=\"6\" fill=\"{verm}\"/></pattern>\
<pattern id=\"{id}-thin\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" patternTransform=\"rotate(45)\"><rect width=\"1.2\" height=\"5\" fill=\"{INK}\" fill-opacity=\"0.55\"/></pattern></defs>\n\
<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{body}</svg>\n</div>\n\
<details data-pagefind-ignore><summary>{summary}</summary>\n{table}</details>\n{caption}\n</figure>\n",
        kind = f.kind,
        lang = esc(text.lang()),
        w = W,
        h = f.height.ceil(),
        title = esc(&f.title),
        desc = esc(&f.desc),
        verm = VERMILLION,
        body = f.body,
        summary = esc(&t(text, "chart.table_summary", None, &[])),
        table = f.table,
        caption = caption(s, text, &f.caption_lead),
    );
    o
}

fn nice_step(max: f64) -> f64 {
    let raw = (max / 5.0).max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let m = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

fn legend_swatches(o: &mut String, id: &str, x0: f64, y: f64, items: &[(String, String)]) {
    let mut x = x0;
    for (fill, label) in items {
        let _ = write!(
            o,
            "<rect x=\"{x}\" y=\"{y0}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"0.6\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"12\" fill=\"{INK}\">{label}</text>",
            y0 = y - 11.0,
            tx = x + 19.0,
            ty = y,
            fill = fill.replace("{id}", id),
            label = esc(label)
        );
        x += 19.0 + label.chars().count() as f64 * 6.6 + 18.0;
    }
}

/// The legend of the hot-day charts: solid for complete days, hatched for
/// the lower bound from incomplete days.
/// The hatched entry appears only when some bar has a hatched part.
fn certain_and_partial_legend(
    o: &mut String,
    id: &str,
    x0: f64,
    any_partial: bool,
    text: &dyn ChartText,
    vars: &[(&str, String)],
) {
    let mut items = vec![(
        VERMILLION.to_string(),
        t(text, "chart.hot_days.legend_certain", None, vars),
    )];
    if any_partial {
        items.push((
            "url(#{id}-hatch)".to_string(),
            t(text, "chart.hot_days.legend_partial", None, vars),
        ));
    }
    legend_swatches(o, id, x0, 22.0, &items);
}

fn low_coverage(s: &Summary, y: &YearSummary) -> bool {
    y.coverage * 100.0 < s.thresholds.min_coverage_pct
}

/// Hot days per sensor in one year: bars sorted by count; certain part solid,
/// lower-bound part (incomplete days) hatched; sensors with poor coverage marked.
pub fn hot_days(summary: &Summary, year: i32, text: &dyn ChartText) -> Result<String, ChartError> {
    if summary.sensors.is_empty() {
        return Err(ChartError::NoData);
    }
    let mut rows: Vec<(&SensorSummary, Option<&YearSummary>)> =
        summary.sensors.iter().map(|x| (x, x.year(year))).collect();
    if rows.iter().all(|r| r.1.is_none()) {
        return Err(ChartError::UnknownYear {
            year,
            known: summary.years(),
        });
    }
    let lang = text.lang().to_string();
    rows.sort_by(|a, b| {
        let ka = a.1.map_or((-1, -1), |y| {
            (i64::from(y.hot_days), i64::from(y.hot_days_partial))
        });
        let kb = b.1.map_or((-1, -1), |y| {
            (i64::from(y.hot_days), i64::from(y.hot_days_partial))
        });
        kb.cmp(&ka)
            .then_with(|| a.0.display_name(&lang).cmp(b.0.display_name(&lang)))
    });
    let id = format!("drehbuch-hot-days-{year}-{}", fingerprint(summary));
    let thr = threshold_text(summary, text);
    let vars = [("year", year.to_string()), ("threshold", thr.clone())];
    let title = t(text, "chart.hot_days.title", None, &vars);

    let any_partial = rows
        .iter()
        .filter_map(|r| r.1)
        .any(|y| y.hot_days_partial > 0);
    let label_w = 210.0;
    let top = 56.0;
    let row_h = 26.0;
    let plot_w = W - label_w - 150.0;
    let max = rows
        .iter()
        .filter_map(|r| r.1)
        .map(|y| y.hot_days + y.hot_days_partial)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = nice_step(max);
    let axis_max = (max / step).ceil() * step;
    let sx = |v: f64| label_w + v / axis_max * plot_w;
    let height = top + rows.len() as f64 * row_h + 40.0;

    let mut body = String::new();
    certain_and_partial_legend(&mut body, &id, label_w, any_partial, text, &vars);
    // grid and axis
    let mut v = 0.0;
    while v <= axis_max + 1e-9 {
        let x = sx(v);
        let _ = write!(
            body,
            "<line x1=\"{x:.1}\" y1=\"{y1}\" x2=\"{x:.1}\" y2=\"{y2}\" stroke=\"{GRID}\" stroke-width=\"1\"/><text x=\"{x:.1}\" y=\"{ty}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{GREY_TEXT}\">{label}</text>",
            y1 = top - 6.0,
            y2 = top + rows.len() as f64 * row_h,
            ty = top + rows.len() as f64 * row_h + 16.0,
            label = esc(&text.number(v, 0))
        );
        v += step;
    }
    let _ = write!(
        body,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{GREY_TEXT}\">{label}</text>",
        x = label_w + plot_w / 2.0,
        y = top + rows.len() as f64 * row_h + 32.0,
        label = esc(&t(text, "chart.hot_days.axis", None, &vars))
    );
    let mut desc_items = Vec::new();
    let mut table = String::new();
    let _ = write!(
        table,
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        esc(&title),
        esc(&t(text, "chart.col.sensor", None, &vars)),
        esc(&t(text, "chart.col.hot_days", None, &vars)),
        esc(&t(text, "chart.col.hot_days_partial", None, &vars)),
        esc(&t(text, "chart.col.complete_days", None, &vars)),
        esc(&t(text, "chart.col.coverage", None, &vars)),
    );
    for (i, (x, y)) in rows.iter().enumerate() {
        let name = x.display_name(&lang);
        let yy = top + i as f64 * row_h;
        let _ = write!(
            body,
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\" fill=\"{INK}\">{n}</text>",
            lx = label_w - 8.0,
            ty = yy + 15.0,
            n = esc(&truncate(name, 30))
        );
        match y {
            None => {
                let nd = t(text, "chart.no_data", None, &vars);
                let _ = write!(
                    body,
                    "<text x=\"{x0}\" y=\"{ty}\" font-size=\"12\" fill=\"{GREY_TEXT}\">{n}</text>",
                    x0 = label_w + 4.0,
                    ty = yy + 15.0,
                    n = esc(&nd)
                );
                desc_items.push(format!("{name}: {nd}"));
                let _ = writeln!(
                    table,
                    "<tr><th scope=\"row\">{}</th><td colspan=\"4\">{}</td></tr>",
                    esc(name),
                    esc(&nd)
                );
            }
            Some(y) => {
                let c = f64::from(y.hot_days);
                let p = f64::from(y.hot_days_partial);
                let (x0, x1, x2) = (sx(0.0), sx(c), sx(c + p));
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
                let low = low_coverage(summary, y);
                let cov = percent(text, y.coverage);
                let mut full = label.clone();
                if low {
                    full = format!(
                        "{label} · {}",
                        t(
                            text,
                            "chart.low_coverage",
                            None,
                            &[("percent", cov.clone())]
                        )
                    );
                }
                let _ = write!(
                    body,
                    "<text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"12\" fill=\"{fillc}\"{fw}>{full}</text>",
                    tx = x2 + 6.0,
                    ty = yy + 15.0,
                    fillc = if low { GREY_TEXT } else { INK },
                    fw = if low { " font-style=\"italic\"" } else { "" },
                    full = esc(&full)
                );
                let mut d = format!(
                    "{name}: {}",
                    t(text, "chart.days", Some(i64::from(y.hot_days)), &vars)
                );
                if y.hot_days_partial > 0 {
                    d += &format!(
                        " ({})",
                        t(
                            text,
                            "chart.hot_days.desc_partial",
                            Some(i64::from(y.hot_days_partial)),
                            &vars
                        )
                    );
                }
                if low {
                    d += &format!(
                        " ({})",
                        t(
                            text,
                            "chart.low_coverage",
                            None,
                            &[("percent", cov.clone())]
                        )
                    );
                }
                desc_items.push(d);
                let _ = writeln!(
                    table,
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{} / {}</td><td>{}</td></tr>",
                    esc(name),
                    y.hot_days,
                    y.hot_days_partial,
                    y.complete_days,
                    y.days_in_period,
                    esc(&cov)
                );
            }
        }
    }
    table.push_str("</tbody>\n</table>\n");
    let desc = format!(
        "{} {}",
        t(text, "chart.hot_days.desc", None, &vars),
        desc_items.join("; ")
    );
    Ok(figure(
        summary,
        text,
        Frame {
            id,
            kind: "hot-days",
            height,
            title: title.clone(),
            desc,
            body,
            table,
            caption_lead: title,
        },
    ))
}

/// Daily maxima of one sensor over one year as a month × day grid; hot days
/// highlighted (colour and a dot), incomplete days hatched, months labelled.
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
    let name = x.display_name(&lang).to_string();
    let th = &summary.thresholds;
    let id = format!(
        "drehbuch-calendar-{}-{year}-{}",
        slug(&x.id),
        fingerprint(summary)
    );
    let thr = threshold_text(summary, text);
    let vars = [
        ("year", year.to_string()),
        ("sensor", name.clone()),
        ("threshold", thr.clone()),
    ];
    let title = t(text, "chart.calendar.title", None, &vars);

    // day lookup
    let mut grid: [[Option<(f64, bool)>; 31]; 12] = [[None; 31]; 12];
    let prefix = format!("{year:04}-");
    for d in x.days.iter().filter(|d| d.date().starts_with(&prefix)) {
        if let Some((_, m, dd)) = d.ymd() {
            grid[(m - 1) as usize][(dd - 1) as usize] = Some((d.max(), d.complete()));
        }
    }
    let bins: [(&str, &str); 6] = [
        ("#E8F1F8", "chart.calendar.legend.below_10"),
        ("#9ECAE9", "chart.calendar.legend.10_20"),
        ("#FFE9A8", "chart.calendar.legend.20_summer"),
        ("#F5A623", "chart.calendar.legend.summer"),
        (VERMILLION, "chart.calendar.legend.hot"),
        ("#ffffff", "chart.calendar.legend.missing"),
    ];
    let bin = |v: f64| -> usize {
        if th.reached(v, th.hot_day_c) {
            4
        } else if th.reached(v, th.summer_day_c) {
            3
        } else if v >= 20.0 {
            2
        } else if v >= 10.0 {
            1
        } else {
            0
        }
    };
    let label_w = 92.0;
    let top = 78.0;
    let cell = ((W - label_w - 12.0) / 31.0).floor();
    let row_h = cell;
    let height = top + 12.0 * row_h + 30.0;
    let mut body = String::new();
    let sv = [
        ("threshold", thr.clone()),
        (
            "summer",
            format!(
                "{} {} °C",
                if th.comparison == ">" { ">" } else { "≥" },
                text.number(th.summer_day_c, 1)
            ),
        ),
    ];
    let mut legend: Vec<(String, String)> = bins
        .iter()
        .map(|(c, k)| (c.to_string(), t(text, k, None, &sv)))
        .collect();
    legend.push((
        "url(#{id}-thin)".to_string(),
        t(text, "chart.calendar.legend.partial", None, &sv),
    ));
    // legend in two rows
    legend_swatches(&mut body, &id, 8.0, 18.0, &legend[..4]);
    legend_swatches(&mut body, &id, 8.0, 40.0, &legend[4..]);
    // hot-day dot in the legend
    let _ = write!(body, "<circle cx=\"15\" cy=\"33\" r=\"3\" fill=\"{INK}\"/>");
    for dcol in [1u32, 5, 10, 15, 20, 25, 31] {
        let _ = write!(
            body,
            "<text x=\"{x:.1}\" y=\"{y}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{GREY_TEXT}\">{dcol}</text>",
            x = label_w + (f64::from(dcol) - 0.5) * cell,
            y = top - 6.0
        );
    }
    let mut hot_list = Vec::new();
    for m in 1..=12u32 {
        let yy = top + f64::from(m - 1) * row_h;
        let _ = write!(
            body,
            "<text x=\"{lx}\" y=\"{ty:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"{INK}\">{mn}</text>",
            lx = label_w - 6.0,
            ty = yy + row_h * 0.7,
            mn = esc(&text.month_name(m))
        );
        for d in 1..=drehbuch_sensors::days_in_month(year, m) {
            let xx = label_w + f64::from(d - 1) * cell;
            let date = text.date(year, m, d);
            match grid[(m - 1) as usize][(d - 1) as usize] {
                None => {
                    let _ = write!(
                        body,
                        "<rect x=\"{xx:.1}\" y=\"{yy:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"#ffffff\" stroke=\"#949494\" stroke-width=\"0.6\" stroke-dasharray=\"2 1.5\"><title>{t}</title></rect>",
                        w = cell - 2.0,
                        t = esc(&format!("{date}: {}", t(text, "chart.no_data", None, &[])))
                    );
                }
                Some((v, complete)) => {
                    let b = bin(v);
                    let tip = format!(
                        "{date}: {} °C{}",
                        text.number(v, 1),
                        if complete {
                            String::new()
                        } else {
                            format!(" ({})", t(text, "chart.calendar.incomplete", None, &[]))
                        }
                    );
                    let _ = write!(
                        body,
                        "<g><title>{tip}</title><rect x=\"{xx:.1}\" y=\"{yy:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"{c}\" stroke=\"{INK}\" stroke-width=\"0.3\"/>",
                        w = cell - 2.0,
                        c = bins[b].0,
                        tip = esc(&tip)
                    );
                    if !complete {
                        let _ = write!(
                            body,
                            "<rect x=\"{xx:.1}\" y=\"{yy:.1}\" width=\"{w:.1}\" height=\"{w:.1}\" fill=\"url(#{id}-thin)\"/>",
                            w = cell - 2.0
                        );
                    }
                    if b == 4 {
                        let _ = write!(
                            body,
                            "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"3\" fill=\"{INK}\"/>",
                            cx = xx + (cell - 2.0) / 2.0,
                            cy = yy + (cell - 2.0) / 2.0
                        );
                        hot_list.push(date.clone());
                    }
                    body.push_str("</g>");
                }
            }
        }
    }
    let max_txt = ys.max.as_ref().map(|m| {
        let (y, mo, d) = m.ymd().unwrap_or((1970, 1, 1));
        format!("{} °C ({})", text.number(m.value, 1), text.date(y, mo, d))
    });
    let mut desc = t(
        text,
        "chart.calendar.desc",
        Some(i64::from(ys.hot_days)),
        &vars,
    );
    if ys.hot_days_partial > 0 {
        desc += &format!(
            " {}",
            t(
                text,
                "chart.hot_days.desc_partial",
                Some(i64::from(ys.hot_days_partial)),
                &vars
            )
        );
    }
    if !hot_list.is_empty() {
        desc += &format!(" {}", hot_list.join(", "));
        desc.push('.');
    }
    if let Some(m) = &max_txt {
        desc += &format!(
            " {}",
            t(text, "chart.calendar.desc_max", None, &[("max", m.clone())])
        );
    }
    // table: months × days
    let mut table = String::new();
    let _ = write!(
        table,
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        esc(&title),
        esc(&t(text, "chart.col.month", None, &[]))
    );
    for d in 1..=31 {
        let _ = write!(table, "<th scope=\"col\">{d}</th>");
    }
    table.push_str("</tr></thead>\n<tbody>\n");
    for m in 1..=12u32 {
        let _ = write!(
            table,
            "<tr><th scope=\"row\">{}</th>",
            esc(&text.month_name(m))
        );
        for d in 1..=31u32 {
            if d > drehbuch_sensors::days_in_month(year, m) {
                table.push_str("<td></td>");
                continue;
            }
            match grid[(m - 1) as usize][(d - 1) as usize] {
                None => table.push_str("<td>–</td>"),
                Some((v, complete)) => {
                    let mark = if bin(v) == 4 { "<strong>" } else { "" };
                    let unmark = if bin(v) == 4 { "</strong>" } else { "" };
                    let _ = write!(
                        table,
                        "<td>{mark}{}{}{unmark}</td>",
                        esc(&text.number(v, 1)),
                        if complete { "" } else { "*" }
                    );
                }
            }
        }
        table.push_str("</tr>\n");
    }
    let _ = write!(
        table,
        "</tbody>\n</table>\n<p>{}</p>\n",
        esc(&t(text, "chart.calendar.table_note", None, &vars))
    );
    Ok(figure(
        summary,
        text,
        Frame {
            id,
            kind: "calendar",
            height,
            title: title.clone(),
            desc,
            body,
            table,
            caption_lead: title,
        },
    ))
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

/// Hot days per year: one sensor as bars over the years, or all sensors as
/// small multiples sharing the year axis. Years without data inside a
/// sensor's range get the open low-coverage marker.
pub fn hot_days_by_year(
    summary: &Summary,
    sensor_id: Option<&str>,
    text: &dyn ChartText,
) -> Result<String, ChartError> {
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
    let lang = text.lang().to_string();
    let y0 = sensors
        .iter()
        .filter_map(|x| x.years.first().map(|y| y.year))
        .min()
        .unwrap_or(0);
    let y1 = sensors
        .iter()
        .filter_map(|x| x.years.last().map(|y| y.year))
        .max()
        .unwrap_or(0);
    let n_years = (y1 - y0 + 1) as f64;
    let thr = threshold_text(summary, text);
    let single = sensors.len() == 1;
    let name0 = sensors[0].display_name(&lang).to_string();
    let vars = [
        ("threshold", thr.clone()),
        ("sensor", name0.clone()),
        ("from", y0.to_string()),
        ("to", y1.to_string()),
    ];
    let title = if single {
        t(text, "chart.by_year.title", None, &vars)
    } else {
        t(text, "chart.by_year.title_all", None, &vars)
    };
    let id = match sensor_id {
        Some(s) => format!("drehbuch-by-year-{}-{}", slug(s), fingerprint(summary)),
        None => format!("drehbuch-by-year-all-{}", fingerprint(summary)),
    };
    let any_partial = sensors
        .iter()
        .flat_map(|x| x.years.iter())
        .any(|y| y.hot_days_partial > 0);
    let any_low = sensors
        .iter()
        .flat_map(|x| x.years.iter())
        .any(|y| low_coverage(summary, y))
        || sensors.iter().any(|x| !gap_years(x).is_empty());
    let label_w = if single { 44.0 } else { 170.0 };
    let plot_w = W - label_w - 16.0;
    let panel_h = if single { 220.0 } else { 64.0 };
    let gap = if single { 0.0 } else { 10.0 };
    let top = 50.0;
    let max = sensors
        .iter()
        .flat_map(|x| x.years.iter())
        .map(|y| y.hot_days + y.hot_days_partial)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = nice_step(max);
    let axis_max = (max / step).ceil() * step;
    let bw = plot_w / n_years;
    let height = top + sensors.len() as f64 * (panel_h + gap) + 34.0;
    let mut body = String::new();
    certain_and_partial_legend(&mut body, &id, label_w, any_partial, text, &vars);
    let mut desc_items = Vec::new();
    for (k, x) in sensors.iter().enumerate() {
        let py = top + k as f64 * (panel_h + gap);
        let base = py + panel_h;
        let sy = |v: f64| base - v / axis_max * (panel_h - 6.0);
        if !single {
            let _ = write!(
                body,
                "<text x=\"{lx}\" y=\"{ty:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"{INK}\">{n}</text>",
                lx = label_w - 30.0,
                ty = py + panel_h / 2.0 + 4.0,
                n = esc(&truncate(x.display_name(&lang), 22))
            );
        }
        // y grid
        let mut v = 0.0;
        let ystep = if single { step } else { axis_max };
        while v <= axis_max + 1e-9 {
            let yy = sy(v);
            let _ = write!(
                body,
                "<line x1=\"{label_w}\" y1=\"{yy:.1}\" x2=\"{x2}\" y2=\"{yy:.1}\" stroke=\"{GRID}\" stroke-width=\"1\"/><text x=\"{tx}\" y=\"{ty:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"{GREY_TEXT}\">{l}</text>",
                x2 = label_w + plot_w,
                tx = label_w - 4.0,
                ty = yy + 3.5,
                l = esc(&text.number(v, 0))
            );
            v += ystep;
        }
        let mut total = 0u32;
        let mut best: Option<(i32, u32)> = None;
        for y in &x.years {
            let xx = label_w + f64::from(y.year - y0) * bw;
            let c = f64::from(y.hot_days);
            let p = f64::from(y.hot_days_partial);
            let w = (bw - 1.0).max(1.0);
            let tip = format!(
                "{}: {}{}",
                y.year,
                t(text, "chart.days", Some(i64::from(y.hot_days)), &vars),
                if y.hot_days_partial > 0 {
                    format!(" (+{})", y.hot_days_partial)
                } else {
                    String::new()
                }
            );
            let _ = write!(body, "<g><title>{}</title>", esc(&tip));
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
            if low_coverage(summary, y) {
                // small open marker under the axis: this year's coverage is low
                let _ = write!(
                    body,
                    "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2.2\" fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"0.8\"/>",
                    cx = xx + w / 2.0,
                    cy = base + 5.0
                );
            }
            body.push_str("</g>");
            total += y.hot_days;
            if best.is_none_or(|b| y.hot_days > b.1) {
                best = Some((y.year, y.hot_days));
            }
        }
        // Years without any data between the sensor's first and last year:
        // coverage 0, so the same open marker as for low coverage.
        for year in gap_years(x) {
            let xx = label_w + f64::from(year - y0) * bw;
            let w = (bw - 1.0).max(1.0);
            let _ = write!(
                body,
                "<g><title>{}</title><circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2.2\" fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"0.8\"/></g>",
                esc(&format!(
                    "{year}: {}",
                    t(text, "chart.no_data", None, &vars)
                )),
                cx = xx + w / 2.0,
                cy = base + 5.0
            );
        }
        if let Some((by, bn)) = best {
            desc_items.push(t(
                text,
                "chart.by_year.desc_sensor",
                Some(i64::from(total)),
                &[
                    ("sensor", x.display_name(&lang).to_string()),
                    ("year", by.to_string()),
                    ("max", bn.to_string()),
                ],
            ));
        }
    }
    // year axis labels
    let label_every = [1, 2, 5, 10, 20]
        .into_iter()
        .find(|e| n_years / f64::from(*e) <= 16.0)
        .unwrap_or(25);
    let axis_y = top + sensors.len() as f64 * (panel_h + gap) + 16.0;
    for y in y0..=y1 {
        if y % label_every == 0 || y0 == y1 {
            let _ = write!(
                body,
                "<text x=\"{x:.1}\" y=\"{axis_y}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{GREY_TEXT}\">{y}</text>",
                x = label_w + (f64::from(y - y0) + 0.5) * bw
            );
        }
    }
    let low_note = t(
        text,
        "chart.by_year.low_coverage_marker",
        None,
        &[(
            "percent",
            format!("{} %", text.number(summary.thresholds.min_coverage_pct, 0)),
        )],
    );
    if any_low {
        let _ = write!(
            body,
            "<text x=\"{label_w}\" y=\"{y}\" font-size=\"10\" fill=\"{GREY_TEXT}\">{n}</text>",
            y = axis_y + 14.0,
            n = esc(&format!("○ {low_note}"))
        );
    }
    let height = height + 6.0;

    let desc = format!(
        "{} {}",
        t(text, "chart.by_year.desc", None, &vars),
        desc_items.join(" ")
    );
    // table: years × sensors
    let mut table = String::new();
    let _ = write!(
        table,
        "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        esc(&title),
        esc(&t(text, "chart.col.year", None, &vars))
    );
    for x in &sensors {
        let _ = write!(
            table,
            "<th scope=\"col\">{}</th>",
            esc(x.display_name(&lang))
        );
    }
    table.push_str("</tr></thead>\n<tbody>\n");
    for y in y0..=y1 {
        let _ = write!(table, "<tr><th scope=\"row\">{y}</th>");
        for x in &sensors {
            match x.year(y) {
                None => table.push_str("<td>–</td>"),
                Some(ys) => {
                    let mut c = ys.hot_days.to_string();
                    if ys.hot_days_partial > 0 {
                        c += &format!(" (+{})", ys.hot_days_partial);
                    }
                    if low_coverage(summary, ys) {
                        c += " ○";
                    }
                    let _ = write!(table, "<td>{}</td>", esc(&c));
                }
            }
        }
        table.push_str("</tr>\n");
    }
    let _ = write!(
        table,
        "</tbody>\n</table>\n<p>{}</p>\n",
        esc(&t(text, "chart.by_year.table_note", None, &vars))
    );
    Ok(figure(
        summary,
        text,
        Frame {
            id,
            kind: "by-year",
            height,
            title: title.clone(),
            desc,
            body,
            table,
            caption_lead: title,
        },
    ))
}
