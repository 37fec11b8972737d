//! The `field_chart` shortcode: how many pages of a section have each value
//! of a field, split by the values of a second field, drawn at build time
//! as an accessible SVG bar chart with the numbers as a table, like the
//! sensor charts. `{{ field_chart(section="actors", field="clusters",
//! by="city") }}` draws the actor mapping: actors per cluster and city.
//! Each translation group counts once; labels come from the declarations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::content::front_matter::{FieldDecl, FieldType};
use crate::content::{Content, PageKind};
use crate::i18n::I18n;
use crate::i18n::labels::Labels;
use crate::markdown::escape_html;
use crate::markdown::shortcodes::{ArgSpec, ArgType, ArgValue, ShortcodeCall, Signature};

/// Bar fills for the values of `by`: Okabe–Ito hues dark enough for white
/// text around them; each bar also carries its number as text.
const FILLS: [&str; 6] = [
    "#005a8e", "#a13d00", "#00684b", "#8c3b6e", "#6b4c00", "#3d4a57",
];
const INK: &str = "#1c2b27";

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

fn values(page_value: Option<&serde_json::Value>) -> Vec<String> {
    match page_value {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
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

/// Draws the chart for a page in `lang`.
pub(crate) fn render(
    content: &Content,
    i18n: &I18n,
    call: &ShortcodeCall,
    lang: &str,
) -> Result<String, String> {
    let section = text_arg(call, "section").unwrap_or("").trim_matches('/');
    let field = text_arg(call, "field").unwrap_or("");
    let by = text_arg(call, "by");
    if !content.section_dirs.contains(section) {
        let known: Vec<&str> = content.section_dirs.iter().map(String::as_str).collect();
        return Err(format!(
            "`field_chart`: there is no section `{section}` (sections: {})",
            known.join(", ")
        ));
    }
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
    // One page per translation group: the original.
    let mut counted = BTreeMap::new();
    for (id, page) in content.pages.iter().enumerate() {
        if page.kind == PageKind::Page && page.path.dir == section && page.stand_in_for.is_none() {
            counted.entry(page.group.as_str()).or_insert(id);
        }
    }
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    // Entries per row value, each once, whatever (and however many) `by`
    // values it has.
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_rows = Vec::new();
    let mut seen_columns = Vec::new();
    for id in counted.values() {
        let page = &content.pages[*id];
        let rows = values(page.front.fields.get(field));
        let columns = match by {
            Some(b) => values(page.front.fields.get(b)),
            None => vec![String::new()],
        };
        for r in &rows {
            *totals.entry(r.clone()).or_default() += 1;
            for c in &columns {
                *counts.entry((r.clone(), c.clone())).or_default() += 1;
            }
        }
        seen_rows.extend(rows);
        seen_columns.extend(columns);
    }
    let labels = Labels::new(i18n);
    let rows: Vec<(String, String)> = ordered(field_decl, &seen_rows)
        .into_iter()
        .map(|v| {
            let label = labels.value(field_decl, &v, lang);
            (v, label)
        })
        .collect();
    let columns: Vec<(String, String)> = match by_decl {
        Some(decl) => ordered(decl, &seen_columns)
            .into_iter()
            .filter(|c| seen_columns.contains(c))
            .map(|v| {
                let label = labels.value(decl, &v, lang);
                (v, label)
            })
            .collect(),
        None => vec![(String::new(), String::new())],
    };
    let field_label = labels.field(field_decl, lang);
    let by_label = by_decl.map(|d| labels.field(d, lang)).unwrap_or_default();
    let text = |key: &str, vars: &[(&str, String)]| {
        i18n.translate(lang, key, None, vars)
            .map(|l| l.text())
            .map_err(|e| format!("`field_chart`: {e}"))
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
    let count = |r: &str, c: &str| {
        counts
            .get(&(r.to_string(), c.to_string()))
            .copied()
            .unwrap_or(0)
    };
    let max = rows
        .iter()
        .flat_map(|(r, _)| columns.iter().map(move |(c, _)| (r, c)))
        .map(|(r, c)| count(r, c))
        .max()
        .unwrap_or(0)
        .max(1);

    // Layout: a row of bars per value, one bar per column value.
    let id = format!(
        "drehbuch-field-chart-{section}-{field}-{}",
        by.unwrap_or("all")
    )
    .replace('/', "-");
    let width = 720.0;
    let label_width = 230.0;
    let bar = 16.0;
    let gap = 10.0;
    let legend = if by.is_some() { 34.0 } else { 8.0 };
    let group = columns.len() as f64 * bar + gap;
    let height = legend + rows.len() as f64 * group + 10.0;
    let scale = (width - label_width - 50.0) / max as f64;
    let mut svg = String::new();
    if by.is_some() {
        let mut x = label_width;
        for (i, (_, label)) in columns.iter().enumerate() {
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"8\" width=\"14\" height=\"14\" fill=\"{fill}\"/><text x=\"{tx}\" y=\"20\" font-size=\"13\" fill=\"{INK}\">{label}</text>",
                fill = FILLS[i % FILLS.len()],
                tx = x + 19.0,
                label = escape_html(label)
            );
            x += 19.0 + label.chars().count() as f64 * 7.0 + 18.0;
        }
    }
    for (ri, (row, row_label)) in rows.iter().enumerate() {
        let top = legend + ri as f64 * group;
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{y}\" font-size=\"13\" text-anchor=\"end\" fill=\"{INK}\">{label}</text>",
            x = label_width - 8.0,
            y = top + columns.len() as f64 * bar / 2.0 + 4.5,
            label = escape_html(row_label)
        );
        for (ci, (column, _)) in columns.iter().enumerate() {
            let n = count(row, column);
            let y = top + ci as f64 * bar;
            let w = n as f64 * scale;
            let _ = write!(
                svg,
                "<rect x=\"{label_width}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\" fill=\"{fill}\"/><text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"12\" fill=\"{INK}\">{n}</text>",
                h = bar - 2.0,
                fill = FILLS[ci % FILLS.len()],
                tx = label_width + w + 5.0,
                ty = y + bar - 5.0,
            );
        }
    }
    let mut table = String::from("<table>\n<thead><tr>");
    let _ = write!(
        table,
        "<th scope=\"col\">{}</th>",
        escape_html(&field_label)
    );
    for (_, label) in &columns {
        let header = if label.is_empty() {
            &total_label
        } else {
            label
        };
        let _ = write!(table, "<th scope=\"col\">{}</th>", escape_html(header));
    }
    if by.is_some() {
        let _ = write!(
            table,
            "<th scope=\"col\">{}</th>",
            escape_html(&total_label)
        );
    }
    table.push_str("</tr></thead>\n<tbody>\n");
    for (row, label) in &rows {
        let _ = write!(table, "<tr><th scope=\"row\">{}</th>", escape_html(label));
        for (column, _) in &columns {
            let n = count(row, column);
            let _ = write!(table, "<td>{n}</td>");
        }
        if by.is_some() {
            let total = totals.get(row).copied().unwrap_or(0);
            let _ = write!(table, "<td>{total}</td>");
        }
        table.push_str("</tr>\n");
    }
    table.push_str("</tbody>\n</table>\n");
    Ok(format!(
        "<figure class=\"drehbuch-chart drehbuch-chart-counts\" id=\"{id}\">\n\
<div class=\"chart-scroll\" data-pagefind-ignore role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}-title\">\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" style=\"max-width:100%;height:auto;font-family:system-ui,sans-serif\">\n\
<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>\n\
<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n{svg}</svg>\n</div>\n\
<details data-pagefind-ignore><summary>{summary}</summary>\n{table}</details>\n\
<figcaption>{title}</figcaption>\n</figure>\n",
        height = height.ceil(),
        title = escape_html(&title),
        desc = escape_html(&desc),
        summary = escape_html(&table_summary),
    ))
}
