//! The frame every chart shares: a `<figure>` holding the inline SVG (no
//! JavaScript, scaled by its `viewBox` to the page width) with `role="img"`,
//! `<title>` and `<desc>`, the same numbers as a `<table>` inside
//! `<details>`, and a `<figcaption>`; for sensor charts, the caption names
//! the dataset's provenance, and element ids carry a fingerprint of the
//! dataset, so several charts can share a page.

use drehbuch_sensors::Summary;

use super::palette::{WIDTH, patterns};
use super::text::{ChartText, fill, phrase};
use crate::text::escape_html;

/// One chart, ready to be written as HTML.
pub(crate) struct Figure<'a> {
    /// `drehbuch-chart-{kind}`, the chart's class.
    pub(crate) kind: &'a str,
    /// The element id; `{id}-title` and `{id}-desc` label the drawing.
    pub(crate) id: &'a str,
    /// The `lang` of the figure, when it is given.
    pub(crate) lang: Option<&'a str>,
    /// Size of the drawing (its `viewBox`); the height is rounded up.
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// The drawing's title and description (text, escaped here).
    pub(crate) title: &'a str,
    pub(crate) desc: &'a str,
    /// `<defs>…</defs>\n` the drawing uses, or nothing.
    pub(crate) defs: &'a str,
    /// The drawing's elements (HTML).
    pub(crate) body: &'a str,
    /// The label of the data table's `<details>` (text).
    pub(crate) table_summary: &'a str,
    /// The data table (HTML).
    pub(crate) table: &'a str,
    /// The `<figcaption>` element (HTML).
    pub(crate) caption: &'a str,
}

impl Figure<'_> {
    /// The figure's HTML.
    pub(crate) fn html(&self) -> String {
        let Figure { kind, id, .. } = self;
        let lang = match self.lang {
            Some(lang) => format!(" lang=\"{}\"", escape_html(lang)),
            None => String::new(),
        };
        let (w, h) = (self.width, self.height.ceil());
        format!(
            "<figure class=\"drehbuch-chart drehbuch-chart-{kind}\" id=\"{id}\"{lang}>\n\
<div class=\"chart-scroll\" data-pagefind-ignore role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-title\">\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" style=\"max-width:100%;height:auto;font-family:system-ui,sans-serif\">\n\
<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n\
{defs}{body}</svg>\n</div>\n\
<details data-pagefind-ignore><summary>{summary}</summary>\n{table}</details>\n{caption}\n</figure>\n",
            title = escape_html(self.title),
            desc = escape_html(self.desc),
            defs = self.defs,
            body = self.body,
            summary = escape_html(self.table_summary),
            table = self.table,
            caption = self.caption,
        )
    }
}

/// The parts of a sensor chart that differ from chart to chart.
pub(crate) struct SensorChart<'a> {
    /// As in [`Figure`].
    pub(crate) kind: &'a str,
    pub(crate) id: &'a str,
    pub(crate) height: f64,
    pub(crate) title: &'a str,
    pub(crate) desc: &'a str,
    pub(crate) body: &'a str,
    pub(crate) table: &'a str,
}

/// A sensor chart in its figure: in the page's language, full width, with
/// the hatch patterns, and the title and provenance as its caption.
pub(crate) fn sensor_figure(s: &Summary, text: &dyn ChartText, chart: SensorChart<'_>) -> String {
    let table_summary = phrase(text, "chart.table_summary", None, &[]);
    let caption = provenance_caption(s, text, chart.title);
    Figure {
        kind: chart.kind,
        id: chart.id,
        lang: Some(text.lang()),
        width: WIDTH,
        height: chart.height,
        title: chart.title,
        desc: chart.desc,
        defs: &patterns(chart.id),
        body: chart.body,
        table_summary: &table_summary,
        table: chart.table,
        caption: &caption,
    }
    .html()
}

/// Short fingerprint of the dataset so ids differ between datasets on one page.
pub(crate) fn fingerprint(s: &Summary) -> String {
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

/// `lead` as a sentence (a full stop added when it has no end mark).
fn sentence(lead: &str) -> String {
    let lead = lead.trim_end();
    let end = if lead.ends_with(['.', '!', '?']) {
        ""
    } else {
        "."
    };
    format!("{lead}{end}")
}

/// Caption of a sensor chart: the chart's lead, the synthetic-data notice
/// when marked so, and the provenance. A dataset's own attribution text
/// (the wording its licence asks for) replaces the generic source line, so
/// nothing repeats. Without one, the source line names the dataset by its
/// title in the page's language (`provenance.title`), else by its
/// `source`: a synthetic dataset's `source` is the script that made it
/// (`scripts/gen-hafenquartier.py`), which tells a reader nothing.
fn provenance_caption(s: &Summary, text: &dyn ChartText, lead: &str) -> String {
    let p = &s.provenance;
    let linked = |label: &str, url: &Option<String>| match url {
        Some(u) => format!("<a href=\"{}\">{}</a>", escape_html(u), escape_html(label)),
        None => escape_html(label),
    };
    let mut parts: Vec<String> = Vec::new();
    if !lead.is_empty() {
        parts.push(escape_html(&sentence(lead)));
    }
    if p.synthetic {
        parts.push(format!(
            "<strong>{}</strong>",
            escape_html(&phrase(text, "chart.synthetic", None, &[]))
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
            let title = p
                .title
                .get(text.lang())
                .or_else(|| p.title.values().next())
                .filter(|t| !t.trim().is_empty());
            if let Some(src) = title.or(p.source.as_ref()) {
                parts.push(fill(
                    &escape_html(&text.text("chart.source", None)),
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
                &escape_html(&text.text("chart.licence", None)),
                &[("licence", linked(l, &p.licence_url))],
            ));
        }
    }
    format!("<figcaption>{}</figcaption>", parts.join(" "))
}
