//! Print documents join every page of a section into one document for
//! paper: each page's ids (and every reference to them, including
//! `aria-labelledby` and SVG `url(#…)`) get a per-page prefix so they stay
//! unique, headings move one level down under the page's own heading, and
//! each link is followed by a note number whose absolute URL is listed
//! after the page, since paper readers cannot click.

use std::collections::HashMap;

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
pub(crate) fn prepare(body: &str, key: &str, base: &BaseUrl) -> (String, Vec<String>) {
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
    let mut numbers: HashMap<String, usize> = HashMap::new();
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
            // A map, not a search of the notes so far: a section with
            // 30,000 links took time with the square of the count.
            let next = numbers.len() + 1;
            let number = *numbers.entry(absolute.clone()).or_insert_with(|| {
                notes.push(absolute);
                next
            });
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
/// pages placed under their own heading in a joined document. One pass
/// over the text (not one per level).
fn demote_headings(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (lt, _) in html.match_indices('<') {
        let h = if bytes.get(lt + 1) == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        if bytes.get(h) != Some(&b'h') {
            continue;
        }
        let Some(&level @ b'2'..=b'5') = bytes.get(h + 1) else {
            continue;
        };
        if bytes.get(h + 2).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        out.push_str(&html[copied..h + 1]);
        out.push(char::from(level + 1));
        copied = h + 2;
    }
    out.push_str(&html[copied..]);
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

    #[test]
    fn headings_move_down_one_level_in_one_pass() {
        assert_eq!(
            demote_headings("<h1>a</h1><h2 id=\"x\">b</h2><h5>c</h5><h6>d</h6><hr><header><h2x>"),
            "<h1>a</h1><h3 id=\"x\">b</h3><h6>c</h6><h6>d</h6><hr><header><h2x>"
        );
    }

    #[test]
    fn thirty_thousand_links_get_their_notes_and_repeats_share_one() {
        let base = BaseUrl::parse("https://e.org/").unwrap();
        let mut body = String::new();
        for i in 0..30_000 {
            body.push_str(&format!("<a href=\"https://x.org/{i}\">l</a> "));
        }
        body.push_str("<a href=\"https://x.org/7\">again</a><a href=\"/de/y/\">y</a>");
        let (html, notes) = footnote_links(&body, "p1", &base);
        assert_eq!(notes.len(), 30_001);
        assert_eq!(notes[7], "https://x.org/7");
        assert_eq!(notes[30_000], "https://e.org/de/y/");
        assert!(
            html.contains(">again</a><sup class=\"link-ref\"><a href=\"#p1-link-8\">[8]</a></sup>")
        );
        assert!(html.ends_with(
            ">y</a><sup class=\"link-ref\"><a href=\"#p1-link-30001\">[30001]</a></sup>"
        ));
    }
}
