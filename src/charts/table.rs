//! The data table of a chart: the same numbers as the drawing, for screen
//! readers and for reading exact values.

use crate::text::escape_html;

/// A `<table>` written row by row.
pub(crate) struct DataTable(String);

impl DataTable {
    /// A table with an optional `<caption>` and a header row of `columns`
    /// (all text, escaped here).
    pub(crate) fn new<S: AsRef<str>>(caption: Option<&str>, columns: &[S]) -> DataTable {
        let mut html = String::from("<table>\n");
        if let Some(caption) = caption {
            html += &format!("<caption>{}</caption>\n", escape_html(caption));
        }
        html.push_str("<thead><tr>");
        for c in columns {
            html += &format!("<th scope=\"col\">{}</th>", escape_html(c.as_ref()));
        }
        html.push_str("</tr></thead>\n<tbody>\n");
        DataTable(html)
    }

    /// A row headed by `header` (text) with `cells` (each a `<td>`, HTML).
    pub(crate) fn row(&mut self, header: &str, cells: impl IntoIterator<Item = String>) {
        self.0 += &format!("<tr><th scope=\"row\">{}</th>", escape_html(header));
        for cell in cells {
            self.0.push_str(&cell);
        }
        self.0.push_str("</tr>\n");
    }

    /// The table's HTML, followed by `note` as a paragraph if there is one.
    pub(crate) fn finish(mut self, note: Option<&str>) -> String {
        self.0.push_str("</tbody>\n</table>\n");
        if let Some(note) = note {
            self.0 += &format!("<p>{}</p>\n", escape_html(note));
        }
        self.0
    }
}

/// A cell holding `text`.
pub(crate) fn td(text: &str) -> String {
    format!("<td>{}</td>", escape_html(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_has_its_caption_headers_rows_and_note_escaped() {
        let mut t = DataTable::new(Some("A & B"), &["x", "<y>"]);
        t.row("r1", [td("1 < 2"), "<td colspan=\"2\">–</td>".to_string()]);
        assert_eq!(
            t.finish(Some("n")),
            "<table>\n<caption>A &amp; B</caption>\n<thead><tr><th scope=\"col\">x</th><th scope=\"col\">&lt;y&gt;</th></tr></thead>\n<tbody>\n\
<tr><th scope=\"row\">r1</th><td>1 &lt; 2</td><td colspan=\"2\">–</td></tr>\n</tbody>\n</table>\n<p>n</p>\n"
        );
        assert_eq!(
            DataTable::new::<&str>(None, &[]).finish(None),
            "<table>\n<thead><tr></tr></thead>\n<tbody>\n</tbody>\n</table>\n"
        );
    }
}
