//! The `field_chart` shortcode: how many pages of a section have each value
//! of a field, split by the values of a second field, drawn at build time
//! as an accessible SVG bar chart with the numbers as a table, like the
//! sensor charts. `{{ field_chart(section="actors", field="clusters",
//! by="city") }}` draws the actor mapping: actors per cluster and city.
//! Each translation group counts once; labels come from the declarations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::figure::Figure;
use super::table::DataTable;
use super::text::{ChartText, LocalizedText, fill};
use crate::content::front_matter::{FieldDecl, FieldType};
use crate::content::{Content, PageKind};
use crate::i18n::I18n;
use crate::i18n::labels::Labels;
use crate::markdown::shortcodes::{ArgSpec, ArgType, ArgValue, ShortcodeCall, Signature};
use crate::text::escape_html;

/// Bar fills, by tone: the n-th allowed value of a field has tone n
/// (cycling after six), as in the theme's facet pills and group headings,
/// so a value has one colour everywhere. Each bar carries `class="tone-n"`
/// too, which the built-in theme colours with `--tone-n` (lighter in dark
/// mode); these light-mode Okabe–Ito hues are the fallback for themes
/// without it. Each bar also carries its number as text.
const FILLS: [&str; 6] = [
    "#8c3b6e", "#a13d00", "#00684b", "#005a8e", "#6b4c00", "#3d4a57",
];
/// Labels and numbers: the page's text colour, so the chart follows dark mode.
const INK: &str = "currentColor";

/// Width of the drawing (`viewBox`): narrow, as the labels stand above
/// the bars, so the chart fits a phone's column without scrolling.
const WIDTH: f64 = 400.0;
/// Where labels and bars start.
const LEFT: f64 = 4.0;
/// Height of a row value's label line above its bars.
const LABEL_H: f64 = 20.0;
/// Height of one bar.
const BAR: f64 = 16.0;
/// Space between two rows of bars.
const GAP: f64 = 10.0;

/// The shortcode's signature.
pub(crate) fn signature() -> Signature {
    let arg = |name: &str, required: bool| ArgSpec {
        name: name.into(),
        kind: Some(ArgType::String),
        required,
    };
    Signature {
        args: vec![
            arg("section", true),
            arg("field", true),
            arg("by", false),
            arg("title", false),
        ],
        open: false,
    }
}

fn text_arg<'a>(call: &'a ShortcodeCall, name: &str) -> Option<&'a str> {
    match call.arg(name) {
        Some(ArgValue::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// The order of a field's values: its allowed values, else first seen.
fn ordered(decl: &FieldDecl, seen: &[String]) -> Vec<String> {
    if decl.allowed.is_empty() {
        let mut out: Vec<String> = Vec::new();
        for v in seen {
            if !out.contains(v) {
                out.push(v.clone());
            }
        }
        out
    } else {
        decl.allowed.clone()
    }
}

/// The declarations of `field` and `by` in `section`, each a text or list
/// field.
fn declarations<'c>(
    content: &'c Content,
    section: &str,
    field: &str,
    by: Option<&str>,
) -> Result<(&'c FieldDecl, Option<&'c FieldDecl>), String> {
    let Some(section) = content.section_named(section) else {
        return Err(format!(
            "`field_chart`: there is no section `{section}` (sections: {})",
            content.section_names().join(", ")
        ));
    };
    let decls = content.fields_of(section);
    let find =
        |name: &str| {
            decls.iter().find(|d| d.name == name).ok_or_else(|| {
            format!(
                "`field_chart`: the section `{section}` declares no field `{name}` (fields: {})",
                decls.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", ")
            )
        })
        };
    let field_decl = find(field)?;
    let by_decl = by.map(find).transpose()?;
    for decl in std::iter::once(field_decl).chain(by_decl) {
        if !matches!(decl.kind, FieldType::String | FieldType::List) {
            return Err(format!(
                "`field_chart` counts the values of text and list fields; `{}` is not one",
                decl.name
            ));
        }
    }
    Ok((field_decl, by_decl))
}

/// What the pages of a section hold: pages per (row value, column value),
/// pages per row value, and the values in the order first seen.
#[derive(Default)]
struct Counts {
    cells: BTreeMap<(String, String), usize>,
    /// Entries per row value, each once, whatever (and however many) `by`
    /// values it has.
    totals: BTreeMap<String, usize>,
    seen_rows: Vec<String>,
    seen_columns: Vec<String>,
}

impl Counts {
    /// Counts the pages of `section`, one per translation group (the original).
    fn of(content: &Content, section: &str, field: &str, by: Option<&str>) -> Counts {
        let mut counted = BTreeMap::new();
        for (id, page) in content.pages.iter().enumerate() {
            if page.kind == PageKind::Page
                && page.path.dir == section
                && page.stand_in_for.is_none()
            {
                counted.entry(page.group.as_str()).or_insert(id);
            }
        }
        let mut counts = Counts::default();
        for id in counted.values() {
            let page = &content.pages[*id];
            let rows = crate::content::field_values(page.front.fields.get(field));
            let columns = match by {
                Some(b) => crate::content::field_values(page.front.fields.get(b)),
                None => vec![String::new()],
            };
            for r in &rows {
                *counts.totals.entry(r.clone()).or_default() += 1;
                for c in &columns {
                    *counts.cells.entry((r.clone(), c.clone())).or_default() += 1;
                }
            }
            counts.seen_rows.extend(rows);
            counts.seen_columns.extend(columns);
        }
        counts
    }

    fn get(&self, row: &str, column: &str) -> usize {
        self.cells
            .get(&(row.to_string(), column.to_string()))
            .copied()
            .unwrap_or(0)
    }
}

/// Values with their labels in the page's language.
type Labelled = Vec<(String, String)>;

/// The colour tone 1–6 of the value at `index` of a field's values (its
/// `allowed` list): the same rule as the theme's facet pills.
fn tone(index: usize) -> usize {
    index % 6 + 1
}

/// Draws the chart for a page in `lang`. Like the sensor charts, a
/// language without the charts' strings gets the whole chart (labels too)
/// in the first language of its fallback chain that has them, marked with
/// that `lang`; `check` warns about the strings it borrowed.
pub(crate) fn render(
    content: &Content,
    i18n: &I18n,
    call: &ShortcodeCall,
    lang: &str,
) -> Result<String, String> {
    let section = text_arg(call, "section").unwrap_or("").trim_matches('/');
    let field = text_arg(call, "field").unwrap_or("");
    let by = text_arg(call, "by");
    let (field_decl, by_decl) = declarations(content, section, field, by)?;
    let counts = Counts::of(content, section, field, by);
    let page_lang = lang;
    let words = LocalizedText::new(i18n, lang);
    let lang = words.lang();
    let labels = Labels::new(i18n);
    let rows: Labelled = ordered(field_decl, &counts.seen_rows)
        .into_iter()
        .map(|v| {
            let label = labels.value(field_decl, &v, lang);
            (v, label)
        })
        .collect();
    // Each bar's tone: its column value's, or, when not split, its row
    // value's; from the value's place among all the field's values, not
    // among those this chart shows.
    let row_tones: Vec<usize> = (0..rows.len()).map(tone).collect();
    let (columns, column_tones): (Labelled, Vec<usize>) = match by_decl {
        Some(decl) => ordered(decl, &counts.seen_columns)
            .into_iter()
            .enumerate()
            .filter(|(_, c)| counts.seen_columns.contains(c))
            .map(|(i, v)| {
                let label = labels.value(decl, &v, lang);
                ((v, label), tone(i))
            })
            .unzip(),
        None => (vec![(String::new(), String::new())], Vec::new()),
    };
    let field_label = labels.field(field_decl, lang);
    let by_label = by_decl.map(|d| labels.field(d, lang)).unwrap_or_default();
    let text = |key: &str, vars: &[(&str, String)]| {
        let template = words.text(key, None);
        match words.missing.lock().ok().and_then(|m| m.first().cloned()) {
            Some(missing) => Err(format!(
                "`field_chart`: the chart needs the UI string `{missing}`, which no i18n file defines"
            )),
            None => Ok(fill(&template, vars)),
        }
    };
    let title = match text_arg(call, "title").filter(|t| !t.trim().is_empty()) {
        Some(t) => t.to_string(),
        None if by.is_some() => text(
            "chart.counts.title_by",
            &[("field", field_label.clone()), ("by", by_label.clone())],
        )?,
        None => text("chart.counts.title", &[("field", field_label.clone())])?,
    };
    let desc = if by.is_some() {
        text(
            "chart.counts.desc",
            &[("field", field_label.clone()), ("by", by_label.clone())],
        )?
    } else {
        text("chart.counts.desc_all", &[("field", field_label.clone())])?
    };
    let total_label = text("chart.counts.total", &[])?;
    let table_summary = text("chart.table_summary", &[])?;

    // A row of bars per value, one bar per column value.
    let id = format!(
        "drehbuch-field-chart-{section}-{field}-{}",
        by.unwrap_or("all")
    )
    .replace('/', "-");
    let tones = |ri: usize, ci: usize| match by {
        Some(_) => column_tones[ci],
        None => row_tones[ri],
    };
    let (svg, height) = bars(&counts, &rows, &columns, (by.is_some(), &tones));
    let table = table(
        &counts,
        &rows,
        &columns,
        by.is_some(),
        &field_label,
        &total_label,
    );
    Ok(Figure {
        kind: "counts",
        id: &id,
        // Only when it differs from the page's: the figure says so.
        lang: (lang != page_lang).then_some(lang),
        width: WIDTH,
        height,
        title: &title,
        desc: &desc,
        defs: "",
        body: &svg,
        table_summary: &table_summary,
        table: &table,
        caption: &format!("<figcaption>{}</figcaption>", escape_html(&title)),
    }
    .html())
}

/// The drawing and its height: the legend of the column values (when
/// split, wrapped into lines), then per row value its label on a line of
/// its own and under it a bar per column value, each with its number.
/// Labels above the bars keep the drawing narrow ([`WIDTH`]), so it fits a
/// phone's column at a legible size; `tones` gives the tone of the bar of
/// (row, column).
fn bars(
    counts: &Counts,
    rows: &Labelled,
    columns: &Labelled,
    (split, tones): (bool, &dyn Fn(usize, usize) -> usize),
) -> (String, f64) {
    let max = rows
        .iter()
        .flat_map(|(r, _)| columns.iter().map(move |(c, _)| (r, c)))
        .map(|(r, c)| counts.get(r, c))
        .max()
        .unwrap_or(0)
        .max(1);
    // Room for the longest bar's number after it.
    let scale = (WIDTH - LEFT - 36.0) / max as f64;
    let mut svg = String::new();
    let mut top = 4.0;
    if split {
        let (mut x, mut baseline) = (LEFT, 18.0);
        for (i, (_, label)) in columns.iter().enumerate() {
            let item = 19.0 + label.chars().count() as f64 * 7.0 + 18.0;
            if x > LEFT && x + item - 18.0 > WIDTH {
                x = LEFT;
                baseline += 20.0;
            }
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" class=\"tone-{t}\" fill=\"{fill}\"/><text x=\"{tx}\" y=\"{baseline}\" font-size=\"13\" fill=\"{INK}\">{label}</text>",
                y = baseline - 12.0,
                t = tones(0, i),
                fill = FILLS[tones(0, i) - 1],
                tx = x + 19.0,
                label = escape_html(label)
            );
            x += item;
        }
        top = baseline + 14.0;
    }
    for (ri, (row, row_label)) in rows.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{LEFT}\" y=\"{y}\" font-size=\"13\" fill=\"{INK}\">{label}</text>",
            y = top + 14.0,
            label = escape_html(row_label)
        );
        for (ci, (column, _)) in columns.iter().enumerate() {
            let n = counts.get(row, column);
            let y = top + LABEL_H + ci as f64 * BAR;
            let w = n as f64 * scale;
            let _ = write!(
                svg,
                "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\" class=\"tone-{t}\" fill=\"{fill}\"/><text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"12\" fill=\"{INK}\">{n}</text>",
                h = BAR - 2.0,
                t = tones(ri, ci),
                fill = FILLS[tones(ri, ci) - 1],
                tx = LEFT + w + 5.0,
                ty = y + BAR - 5.0,
            );
        }
        top += LABEL_H + columns.len() as f64 * BAR + GAP;
    }
    (svg, top)
}

/// The table: a row per value, a column per column value (or the total),
/// and the row's total when split.
fn table(
    counts: &Counts,
    rows: &Labelled,
    columns: &Labelled,
    split: bool,
    field_label: &str,
    total_label: &str,
) -> String {
    let mut headers = vec![field_label];
    headers.extend(columns.iter().map(|(_, label)| {
        if label.is_empty() {
            total_label
        } else {
            label.as_str()
        }
    }));
    if split {
        headers.push(total_label);
    }
    let mut table = DataTable::new(None, &headers);
    for (row, label) in rows {
        let mut cells: Vec<String> = columns
            .iter()
            .map(|(column, _)| format!("<td>{}</td>", counts.get(row, column)))
            .collect();
        if split {
            let total = counts.totals.get(row).copied().unwrap_or(0);
            cells.push(format!("<td>{total}</td>"));
        }
        table.row(label, cells);
    }
    table.finish(None)
}
