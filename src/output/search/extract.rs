//! What Pagefind reads of a rendered page: the language from `<html>`,
//! the `<main data-pagefind-body>` element, code blocks as plain text, and
//! nesting deeper than [`MAX_INDEXED_DEPTH`] flattened to its text.

use std::borrow::Cow;

/// The language of a page and the part of it Pagefind reads: the
/// `<html …>` start tag (for the language) and the
/// `<main data-pagefind-body>` element, when the page has them; else the
/// whole page. Inside `<pre>` blocks only the text is kept: highlighted
/// code is mostly `<span>` tags, which Pagefind would parse for nothing.
pub(super) fn essential(html: &str) -> (String, String) {
    let html_tag = html
        .find("<html")
        .and_then(|start| Some(&html[start..start + html[start..].find('>')? + 1]));
    let lang = html_tag
        .and_then(|tag| {
            let at = tag.find(" lang=\"")? + 7;
            Some(tag[at..at + tag[at..].find('"')?].to_ascii_lowercase())
        })
        .unwrap_or_default();
    let main = html.find("<main").and_then(|start| {
        let tag_end = start + html[start..].find('>')?;
        if !html[start..tag_end].contains("data-pagefind-body") {
            return None;
        }
        let end = html.rfind("</main>")?;
        (end > tag_end).then(|| &html[start..end + "</main>".len()])
    });
    let kept = match (html_tag, main) {
        (Some(tag), Some(main)) => {
            let main = flatten_deep_nesting(main);
            let mut kept = String::with_capacity(tag.len() + main.len() + 24);
            kept.push_str(tag);
            kept.push_str("<body>");
            push_without_code_markup(&mut kept, &main);
            kept.push_str("</body></html>");
            kept
        }
        _ => flatten_deep_nesting(html).into_owned(),
    };
    (lang, kept)
}

/// The deepest element nesting handed to Pagefind, counted from `<main>`.
/// Pagefind copies each element's text into its parent when the element
/// ends, so text nested n deep is copied n times: 100,000 nested list
/// markers (a 200 KB page) took 10 s to index. No page a person reads
/// nests this deep.
const MAX_INDEXED_DEPTH: usize = 48;

/// Elements that never have an end tag.
const VOID_ELEMENTS: [&str; 15] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag, never tags.
const RAW_TEXT_ELEMENTS: [&str; 4] = ["script", "style", "textarea", "title"];

/// `html` with the start and end tags of elements nested deeper than
/// [`MAX_INDEXED_DEPTH`] replaced by a space (their text stays, so it is
/// still found). Unchanged (and not copied) when nothing is that deep.
/// End tags close up to the matching open element, as browsers do; a
/// stray end tag is ignored.
fn flatten_deep_nesting(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Open elements, innermost last, by lower-case name, and how many of
    // each name are open.
    let mut open: Vec<Cow<'_, str>> = Vec::new();
    let mut open_by_name: std::collections::HashMap<Cow<'_, str>, usize> = Default::default();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let drop_tag = |out: &mut Option<String>, copied: &mut usize, tag: std::ops::Range<usize>| {
        let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
        out.push_str(&html[*copied..tag.start]);
        out.push(' ');
        *copied = tag.end;
    };
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_from = start + if closing { 2 } else { 1 };
        if !bytes.get(name_from).is_some_and(u8::is_ascii_alphabetic) {
            // `<!doctype>`, `<?…>` or a lone `<` in text.
            at = if rest.starts_with("<!") || rest.starts_with("<?") {
                rest.find('>').map_or(html.len(), |end| start + end + 1)
            } else {
                start + 1
            };
            continue;
        }
        let name_end = bytes[name_from..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .map_or(html.len(), |i| name_from + i);
        let name = &html[name_from..name_end];
        // The tag's end, past quoted attribute values.
        let mut end = name_end;
        let mut quote = None;
        while end < bytes.len() {
            match (quote, bytes[end]) {
                (None, b'"' | b'\'') => quote = Some(bytes[end]),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            end += 1;
        }
        let tag_end = (end + 1).min(html.len());
        let key: Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        if closing {
            // Pops up to the matching open element, if there is one (each
            // element is popped once: linear in all).
            let emitted = if open_by_name.get(&key).is_some_and(|&n| n > 0) {
                while let Some(top) = open.pop() {
                    if let Some(n) = open_by_name.get_mut(&top) {
                        *n -= 1;
                    }
                    if top == key {
                        break;
                    }
                }
                open.len() < MAX_INDEXED_DEPTH
            } else {
                open.len() <= MAX_INDEXED_DEPTH
            };
            if !emitted {
                drop_tag(&mut out, &mut copied, start..tag_end);
            }
            at = tag_end;
            continue;
        }
        let self_closing = end > name_end && bytes[end - 1] == b'/';
        let void = VOID_ELEMENTS.contains(&&*key);
        if open.len() >= MAX_INDEXED_DEPTH {
            drop_tag(&mut out, &mut copied, start..tag_end);
        }
        at = tag_end;
        if self_closing || void {
            continue;
        }
        let raw_text = RAW_TEXT_ELEMENTS.contains(&&*key);
        *open_by_name.entry(key.clone()).or_default() += 1;
        open.push(key);
        if raw_text {
            // Its text may hold `<`; skip to its end tag.
            at = find_end_tag(html, at, name).unwrap_or(html.len());
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

/// Where the next `</name` (any case) starts in `html` from `from`.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    while let Some(i) = html[at..].find("</") {
        let start = at + i;
        let candidate = html.get(start + 2..start + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// Appends `html` to `out`, dropping the tags between each `<pre…>` and
/// its `</pre>` (the text, with its character references, stays). The
/// text Pagefind indexes is the same; its HTML parser has half as much to
/// read on a page with a highlighted code block.
fn push_without_code_markup(out: &mut String, html: &str) {
    let mut rest = html;
    while let Some(start) = find_pre(rest) {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</pre>").map(|i| open_end + i) else {
            break;
        };
        out.push_str(&rest[..open_end]);
        let mut inner = &rest[open_end..close];
        while let Some(lt) = inner.find('<') {
            out.push_str(&inner[..lt]);
            match inner[lt..].find('>') {
                Some(gt) => inner = &inner[lt + gt + 1..],
                None => inner = "",
            }
        }
        out.push_str(inner);
        rest = &rest[close..];
        out.push_str("</pre>");
        rest = &rest["</pre>".len()..];
    }
    out.push_str(rest);
}

/// The position of the next `<pre>` or `<pre …>` start tag in `html`.
fn find_pre(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<pre") {
        let at = from + i;
        match html.as_bytes().get(at + 4) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/') => return Some(at),
            _ => from = at + 4,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_language_and_the_main_element_are_kept() {
        let page = "<!DOCTYPE html><html lang=\"RO\"><head><title>T</title></head><body><nav>N</nav><main id=\"m\" data-pagefind-body><h1>H</h1><main-ish></main></body></html>";
        let (lang, kept) = essential(page);
        assert_eq!(lang, "ro");
        assert_eq!(
            kept,
            "<html lang=\"RO\"><body><main id=\"m\" data-pagefind-body><h1>H</h1><main-ish></main></body></html>"
        );
        let plain = "<html><body><main><p>x</p></main></body></html>";
        assert_eq!(essential(plain), (String::new(), plain.to_string()));
        assert_eq!(
            essential("<main data-pagefind-body").1,
            "<main data-pagefind-body"
        );
    }

    #[test]
    fn code_blocks_keep_their_text_without_markup() {
        let page = "<html lang=\"en\"><main data-pagefind-body><h2 id=\"c\">Code</h2><pre class=\"hl\"><code><span class=\"k\">fn</span> a&lt;T&gt;() {}\n</code></pre><preface>x</preface><p>after <b>bold</b></p><pre>plain</pre></main>";
        let (_, kept) = essential(page);
        assert_eq!(
            kept,
            "<html lang=\"en\"><body><main data-pagefind-body><h2 id=\"c\">Code</h2><pre class=\"hl\">fn a&lt;T&gt;() {}\n</pre><preface>x</preface><p>after <b>bold</b></p><pre>plain</pre></main></body></html>"
        );
        // Unterminated blocks and stray tags are kept as they are.
        let mut out = String::new();
        push_without_code_markup(&mut out, "<p>a</p><pre><span>b");
        assert_eq!(out, "<p>a</p><pre><span>b");
        let mut out = String::new();
        push_without_code_markup(&mut out, "<pre>a<span</pre>z");
        assert_eq!(out, "<pre>a</pre>z");
    }

    /// The deepest nesting of `html`, which tests write balanced.
    fn depth(html: &str) -> usize {
        let (mut depth, mut deepest) = (0usize, 0);
        for (i, _) in html.match_indices('<') {
            match html.as_bytes()[i + 1] {
                b'/' => depth -= 1,
                b if b.is_ascii_alphabetic() => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                _ => {}
            }
        }
        deepest
    }

    #[test]
    fn deep_nesting_is_flattened_for_pagefind_and_its_text_kept() {
        // What Markdown makes of 100,000 nested list markers `- - - … x`.
        let levels = 100_000;
        let mut main = String::from("<main data-pagefind-body>");
        for i in 0..levels {
            main.push_str(&format!("<ul><li>w{i}"));
        }
        main.push_str(&"</li></ul>".repeat(levels));
        main.push_str("<p>after</p></main>");
        let page = format!("<html lang=\"en\"><body>{main}</body></html>");
        let (_, kept) = essential(&page);
        assert!(depth(&kept) <= MAX_INDEXED_DEPTH + 2, "{}", depth(&kept));
        // Every word is still there, in order.
        let mut text = String::new();
        let mut rest = kept.as_str();
        while let Some(lt) = rest.find('<') {
            text.push_str(&rest[..lt]);
            text.push(' ');
            rest = &rest[lt + rest[lt..].find('>').unwrap() + 1..];
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let expected: Vec<String> = (0..levels)
            .map(|i| format!("w{i}"))
            .chain(["after".to_string()])
            .collect();
        assert_eq!(words, expected);
        assert!(
            kept.ends_with("</ul><p>after</p></main></body></html>"),
            "{}",
            &kept[kept.len() - 200..]
        );
        let main = &kept[kept.find("<main").unwrap()..kept.find("</main>").unwrap() + 7];
        assert_eq!(depth(main), MAX_INDEXED_DEPTH);
    }

    #[test]
    fn nesting_is_read_as_browsers_read_it() {
        let shallow = "<div><p title=\"a>b\">x<br>y<img src=\"z\"/><!-- <div><div> --></p><script>if (a<b) { \"<div>\" }</script></div>";
        assert!(matches!(flatten_deep_nesting(shallow), Cow::Borrowed(_)));
        // Void elements, self-closing tags, comments, quoted `>` and
        // script text never count as open elements.
        let filler = "<br><img src=x/><hr/><!-- <b> --><i title='>'></i><script><b></script><STYLE>x</style>";
        let deep = format!(
            "{}{filler}<b>x</b>{}",
            "<div>".repeat(MAX_INDEXED_DEPTH - 1),
            "</div>".repeat(MAX_INDEXED_DEPTH - 1)
        );
        assert_eq!(flatten_deep_nesting(&deep), deep);
        // One level more: only that element's tags go.
        let deeper = format!(
            "{}<b>x</b>{}",
            "<div>".repeat(MAX_INDEXED_DEPTH),
            "</div>".repeat(MAX_INDEXED_DEPTH)
        );
        assert_eq!(
            flatten_deep_nesting(&deeper),
            format!(
                "{} x {}",
                "<div>".repeat(MAX_INDEXED_DEPTH),
                "</div>".repeat(MAX_INDEXED_DEPTH)
            )
        );
        // Unclosed elements are closed by an end tag further out, and a
        // stray end tag changes nothing.
        let unclosed = format!("<section>{}</section></nope><p>y</p>", "<b>".repeat(100));
        let flat = flatten_deep_nesting(&unclosed);
        assert!(flat.ends_with("</section></nope><p>y</p>"), "{flat}");
        assert_eq!(flat.matches("<b>").count(), MAX_INDEXED_DEPTH - 1);
    }
}
