//! Small readers and rewriters for the HTML drehbuch generates itself
//! (pulldown-cmark, the chart code, the theme): tags with double-quoted
//! attributes. One scanner serves every place that reads generated HTML:
//! ids and their references (for print documents, repeated charts and
//! `check`), and link targets (for `check` and `--relative`).
//!
//! An *id reference* is any attribute that names an id of the same page:
//! `href="#x"`, `xlink:href="#x"`, `aria-labelledby`/`aria-describedby`/
//! `aria-controls`/`aria-owns`/`headers`/`for` (space-separated lists), and
//! `url(#x)` inside any attribute value (SVG fills, patterns, masks).

use std::borrow::Cow;
use std::ops::Range;

/// One attribute of a tag, with where its value stands in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// Attribute name, as written.
    pub name: &'a str,
    /// The raw (not unescaped) value.
    pub value: &'a str,
    /// Byte range of the value in the scanned text.
    pub range: Range<usize>,
}

/// Every double- or single-quoted attribute of every tag in `html`, in order.
/// Text outside tags, comments and the content of `<script>`/`<style>` is
/// skipped.
pub fn attributes(html: &str) -> Vec<Attribute<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(open) = memchr(b'<', &bytes[i..]).map(|o| i + o) {
        if html[open..].starts_with("<!--") {
            i = html[open..]
                .find("-->")
                .map(|e| open + e + 3)
                .unwrap_or(bytes.len());
            continue;
        }
        let mut j = open + 1;
        if j < bytes.len() && (bytes[j] == b'/' || bytes[j] == b'!') {
            i = html[j..]
                .find('>')
                .map(|e| j + e + 1)
                .unwrap_or(bytes.len());
            continue;
        }
        let name_start = j;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        if j == name_start {
            i = j;
            continue;
        }
        let tag_name = &html[name_start..j];
        // Attributes until `>`.
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < bytes.len()
                && !bytes[j].is_ascii_whitespace()
                && !matches!(bytes[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let name = &html[attr_start..j];
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                let quote = bytes.get(j).copied();
                if matches!(quote, Some(b'"' | b'\'')) {
                    let q = quote.unwrap_or(b'"');
                    let value_start = j + 1;
                    let value_end = memchr(q, &bytes[value_start..])
                        .map(|e| value_start + e)
                        .unwrap_or(bytes.len());
                    out.push(Attribute {
                        name,
                        value: &html[value_start..value_end],
                        range: value_start..value_end,
                    });
                    j = (value_end + 1).min(bytes.len());
                } else {
                    let value_start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    out.push(Attribute {
                        name,
                        value: &html[value_start..j],
                        range: value_start..j,
                    });
                }
            } else if name.is_empty() {
                j += 1;
            }
        }
        i = (j + 1).min(bytes.len());
        if tag_name.eq_ignore_ascii_case("script") || tag_name.eq_ignore_ascii_case("style") {
            let close = format!("</{tag_name}");
            i = find_ignore_case(html, i, &close).unwrap_or(bytes.len());
        }
    }
    out
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find_ignore_case(html: &str, from: usize, needle: &str) -> Option<usize> {
    html[from..]
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
        .map(|i| from + i)
}

const ID_LIST_ATTRIBUTES: [&str; 6] = [
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "headers",
    "for",
];

/// The ids an attribute refers to: `(range in the text, id)` for each.
fn references<'a>(attribute: &Attribute<'a>) -> Vec<(Range<usize>, &'a str)> {
    let name = attribute.name.to_ascii_lowercase();
    let value = attribute.value;
    let start = attribute.range.start;
    let mut out = Vec::new();
    if name == "href" || name == "xlink:href" {
        if let Some(id) = value.strip_prefix('#')
            && !id.is_empty()
        {
            out.push((start + 1..start + value.len(), id));
        }
        return out;
    }
    if ID_LIST_ATTRIBUTES.contains(&name.as_str()) {
        let mut offset = 0;
        for part in value.split(' ') {
            if !part.is_empty() {
                out.push((start + offset..start + offset + part.len(), part));
            }
            offset += part.len() + 1;
        }
        return out;
    }
    let mut rest = value;
    let mut offset = 0;
    while let Some(at) = rest.find("url(#") {
        let id_start = at + "url(#".len();
        let Some(end) = rest[id_start..].find(')') else {
            break;
        };
        let id = &rest[id_start..id_start + end];
        out.push((
            start + offset + id_start..start + offset + id_start + end,
            id,
        ));
        offset += id_start + end;
        rest = &rest[id_start + end..];
    }
    out
}

/// Every `id` defined in `html`.
pub fn ids(html: &str) -> Vec<&str> {
    attributes(html)
        .into_iter()
        .filter(|a| a.name.eq_ignore_ascii_case("id"))
        .map(|a| a.value)
        .collect()
}

/// Every id reference in `html` that names no id of `html`: `(attribute
/// name, id)`, in order.
pub fn dangling_references(html: &str) -> Vec<(String, String)> {
    let all = attributes(html);
    let defined: std::collections::HashSet<&str> = all
        .iter()
        .filter(|a| a.name.eq_ignore_ascii_case("id"))
        .map(|a| a.value)
        .collect();
    let mut out = Vec::new();
    for attribute in &all {
        for (_, id) in references(attribute) {
            if !defined.contains(id) {
                out.push((attribute.name.to_string(), id.to_string()));
            }
        }
    }
    out
}

/// Renames ids: every `id` for which `rename` gives a new name, and every
/// reference to it, so the fragment stays consistent.
pub fn rename_ids<'a>(html: &'a str, rename: &dyn Fn(&str) -> Option<String>) -> Cow<'a, str> {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for attribute in attributes(html) {
        if attribute.name.eq_ignore_ascii_case("id") {
            if let Some(new) = rename(attribute.value) {
                edits.push((attribute.range.clone(), new));
            }
            continue;
        }
        for (range, id) in references(&attribute) {
            if let Some(new) = rename(id) {
                edits.push((range, new));
            }
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(html);
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(html.len() + edits.len() * 8);
    let mut last = 0;
    for (range, new) in edits {
        if range.start < last {
            continue;
        }
        out.push_str(&html[last..range.start]);
        out.push_str(&new);
        last = range.end;
    }
    out.push_str(&html[last..]);
    Cow::Owned(out)
}

/// The `src` of every `<img>` in `html` that has no `alt` attribute at all
/// (raw HTML in content, a template or a shortcode; Markdown images always
/// get one, checked where they are written). An empty `alt=""` counts as
/// present: it marks a decorative image.
pub fn images_without_alt(html: &str) -> Vec<&str> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img").map(|i| from + i) {
        from = at + 4;
        if !lower[from..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>') {
            continue;
        }
        // The tag's text up to its `>`, with quoted values kept apart.
        let mut names = Vec::new();
        let mut src = "";
        let mut quote: Option<char> = None;
        let mut token_start = from;
        let mut last_name = "";
        let mut end = html.len();
        for (i, c) in html[from..].char_indices() {
            let i = from + i;
            match quote {
                Some(q) if c == q => {
                    if last_name.eq_ignore_ascii_case("src") {
                        src = &html[token_start..i];
                    }
                    quote = None;
                    token_start = i + 1;
                }
                Some(_) => {}
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    token_start = i + 1;
                }
                None if c == '>' || c.is_ascii_whitespace() || c == '=' || c == '/' => {
                    let token = html[token_start..i].trim();
                    if !token.is_empty() {
                        names.push(token);
                        last_name = token;
                    }
                    token_start = i + 1;
                    if c == '>' {
                        end = i;
                        break;
                    }
                }
                None => {}
            }
        }
        if !names.iter().any(|n| n.eq_ignore_ascii_case("alt")) {
            out.push(src);
        }
        from = end.min(html.len());
    }
    out
}

/// Whether an attribute holds a URL the page links or loads: `href`,
/// `src` and a form's `action`.
fn is_link_attribute(name: &str) -> bool {
    ["href", "src", "action"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

/// Every `href`, `src` and `action` value of `html`, in order.
pub fn link_targets(html: &str) -> Vec<&str> {
    attributes(html)
        .into_iter()
        .filter(|a| is_link_attribute(a.name))
        .map(|a| a.value)
        .collect()
}

/// Rewrites every `href`, `src` and `action` value for which `rewrite`
/// gives a new value.
pub fn rewrite_links<'a>(html: &'a str, rewrite: &dyn Fn(&str) -> Option<String>) -> Cow<'a, str> {
    let mut out = String::new();
    let mut last = 0;
    for attribute in attributes(html) {
        if !is_link_attribute(attribute.name) {
            continue;
        }
        if let Some(new) = rewrite(attribute.value) {
            out.push_str(&html[last..attribute.range.start]);
            out.push_str(&new);
            last = attribute.range.end;
        }
    }
    if last == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = "<figure id=\"c\"><div aria-labelledby=\"c-title\"><svg aria-labelledby=\"c-title c-desc\"><title id=\"c-title\">T</title><desc id=\"c-desc\">D</desc><pattern id=\"c-hatch\"/><rect fill=\"url(#c-hatch)\"/></svg></div><a href=\"#c\">x</a><a href=\"/other/#c\">y</a></figure>";

    #[test]
    fn renaming_updates_every_reference() {
        let renamed = rename_ids(CHART, &|id| Some(format!("p-{id}")));
        assert_eq!(
            renamed,
            "<figure id=\"p-c\"><div aria-labelledby=\"p-c-title\"><svg aria-labelledby=\"p-c-title p-c-desc\"><title id=\"p-c-title\">T</title><desc id=\"p-c-desc\">D</desc><pattern id=\"p-c-hatch\"/><rect fill=\"url(#p-c-hatch)\"/></svg></div><a href=\"#p-c\">x</a><a href=\"/other/#c\">y</a></figure>"
        );
        assert!(dangling_references(&renamed).is_empty());
    }

    #[test]
    fn finds_dangling_references() {
        let html = "<h2 id=\"a\">A</h2><a href=\"#a\">ok</a><a href=\"#b\">no</a><svg aria-labelledby=\"a t\"></svg><!-- <a href=\"#c\"> --><script>x = '<a href=\"#d\">'</script>";
        assert_eq!(
            dangling_references(html),
            [
                ("href".to_string(), "b".to_string()),
                ("aria-labelledby".to_string(), "t".to_string())
            ]
        );
    }

    #[test]
    fn images_without_any_alt_are_found() {
        let html = "<img src=\"/a.png\"><img alt=\"\" src=\"/b.png\"><IMG SRC='/c.png' ALT=x><img src=\"/d.png\" data-alt=\"no\"/><imgx src=\"e\"><img src=\"/f.png\" title=\"alt\">";
        assert_eq!(images_without_alt(html), ["/a.png", "/d.png", "/f.png"]);
        assert!(images_without_alt("<img").len() <= 1);
    }

    #[test]
    fn links_are_read_and_rewritten() {
        let html =
            "<a href=\"/x/\">a</a><img src='/i.png' alt=\"\"><link rel=stylesheet href=/s.css>";
        assert_eq!(link_targets(html), ["/x/", "/i.png", "/s.css"]);
        let out = rewrite_links(html, &|t| Some(format!("..{t}")));
        assert_eq!(
            out,
            "<a href=\"../x/\">a</a><img src='../i.png' alt=\"\"><link rel=stylesheet href=../s.css>"
        );
    }

    #[test]
    fn never_panics_on_fragments() {
        for text in [
            "<",
            "<a",
            "<a href=",
            "<a href=\"",
            "<!--",
            "<a b c=d",
            "<script>",
            "</",
            "<a href=#>",
        ] {
            let _ = attributes(text);
            let _ = rename_ids(text, &|id| Some(id.to_string()));
            let _ = dangling_references(text);
        }
    }
}
