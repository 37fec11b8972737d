//! Print documents join every page of a section into one document for
//! paper: each page's ids (and every reference to them, including
//! `aria-labelledby` and SVG `url(#…)`) get a per-page prefix so they stay
//! unique, headings move one level down under the page's own heading, and
//! each link is followed by a note number whose absolute URL is listed
//! after the page, since paper readers cannot click.

use serde::Serialize;

use crate::config::BaseUrl;
use crate::html;
use crate::templates::views::{FactView, LinkView};

/// One page of a print document.
#[derive(Clone, Debug, Serialize)]
pub struct PrintPart {
    /// Id of the page's element in the document (`card-heat-check`), the
    /// target of a page's "print this card" link.
    pub id: String,
    /// Prefix of every other id of the part (`p3`): its title `p3-title`,
    /// its link notes `p3-link-1`, its content's ids `p3-c-steps`. Ids
    /// made from positions cannot collide with headings or page names.
    pub key: String,
    /// The page as listings show it (title, facts, number, …).
    pub page: LinkView,
    /// Absolute URL of the page on the web.
    pub permalink: String,
    /// Body HTML prepared for the document.
    pub content: String,
    /// Absolute URLs of the page's links, in note order.
    pub link_notes: Vec<String>,
    /// Labelled fields (also in `page.facts`; here for convenience).
    pub facts: Vec<FactView>,
}

/// Prepares one page's body for the part `key` of a print document: ids
/// prefixed (`{key}-c-…`), headings demoted, links numbered (notes
/// `{key}-link-N`).
pub fn prepare(body: &str, key: &str, base: &BaseUrl) -> (String, Vec<String>) {
    let renamed = html::rename_ids(body, &|id| Some(format!("{key}-c-{id}")));
    let demoted = demote_headings(&renamed);
    footnote_links(&demoted, key, base)
}

/// Numbers the links of `html`: each `<a href>` that leads elsewhere gets a
/// `<sup>` reference to a note listing its absolute URL. In-page links
/// (`#…`) need no note. Returns the HTML and the URLs.
fn footnote_links(html: &str, prefix: &str, base: &BaseUrl) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len() + 256);
    let mut notes: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a href=\"") {
        let value = &rest[start + 9..];
        let Some(end) = value.find('"') else { break };
        let href = &value[..end];
        let Some(close) = rest[start..].find("</a>").map(|c| start + c + 4) else {
            break;
        };
        out.push_str(&rest[..close]);
        if !href.starts_with('#') && !href.is_empty() {
            let absolute = if href.starts_with('/') {
                format!("{}{href}", base.origin)
            } else {
                href.replace("&amp;", "&")
            };
            let number = match notes.iter().position(|n| *n == absolute) {
                Some(i) => i + 1,
                None => {
                    notes.push(absolute);
                    notes.len()
                }
            };
            out.push_str(&format!(
                "<sup class=\"link-ref\"><a href=\"#{prefix}-link-{number}\">[{number}]</a></sup>"
            ));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    (out, notes)
}

/// Moves every heading one level down (`h2` → `h3` … `h5` → `h6`), for
/// pages placed under their own heading in a joined document.
fn demote_headings(html: &str) -> String {
    let mut out = html.to_string();
    for level in (2..=5).rev() {
        out = out
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_references_headings_and_links() {
        let base = BaseUrl::parse("https://e.org/t/").unwrap();
        let body = "<h2 id=\"steps\">S</h2><a href=\"#steps\">x</a><a href=\"/t/de/y/\">y</a><svg aria-labelledby=\"c-t\"><title id=\"c-t\">T</title><rect fill=\"url(#c-p)\"/><pattern id=\"c-p\"/></svg>";
        let (html, notes) = prepare(body, "p1", &base);
        assert_eq!(
            html,
            "<h3 id=\"p1-c-steps\">S</h3><a href=\"#p1-c-steps\">x</a><a href=\"/t/de/y/\">y</a><sup class=\"link-ref\"><a href=\"#p1-link-1\">[1]</a></sup><svg aria-labelledby=\"p1-c-c-t\"><title id=\"p1-c-c-t\">T</title><rect fill=\"url(#p1-c-c-p)\"/><pattern id=\"p1-c-c-p\"/></svg>"
        );
        assert_eq!(notes, ["https://e.org/t/de/y/"]);
    }
}
