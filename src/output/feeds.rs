//! Atom 1.0 feeds (RFC 4287), one per language and one per section, as
//! planned by [`crate::content::derived`]. Each entry carries the page's full
//! content with absolute links, so feed readers show it as on the site.
//! Nothing depends on the time of the build: ids are the pages' absolute
//! URLs and `updated` is the newest entry's, so builds are byte-identical.
//! Entries never carry scripts (`scripts::without_scripts`), whatever the site's
//! `content_scripts` allows its pages.

use std::borrow::Cow;
use std::cell::RefCell;

use jiff::Timestamp;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str, text};

use super::OutputFile;
use crate::config::SiteConfig;
use crate::content::Content;
use crate::content::derived::Feed;
use crate::content::rendered::Rendered;
use crate::content::urls::output_path;
use crate::html::rewrite_links;
use crate::markdown::scripts::without_scripts;
use crate::text::escape_html;

/// The feed files of the site.
pub(crate) fn files(
    config: &SiteConfig,
    content: &Content,
    rendered: &Rendered,
    feeds: &[Feed],
) -> Vec<OutputFile> {
    feeds
        .iter()
        .map(|feed| OutputFile {
            path: output_path(&feed.url),
            bytes: document(config, content, rendered, feed).into_bytes(),
        })
        .collect()
}

fn document(config: &SiteConfig, content: &Content, rendered: &Rendered, feed: &Feed) -> String {
    let base = &config.base_url;
    let self_url = base.absolute(&feed.url);
    let home = match feed.page {
        Some(page) => content.pages[page].url.clone(),
        None => content.home_path(&feed.lang),
    };
    let title = feed.title(config, content);
    let author = config
        .title
        .get(&feed.lang)
        .or_else(|| config.title.get(&config.default_language))
        .map(String::as_str)
        .unwrap_or("");
    let newest = feed
        .entries
        .first()
        .map(|(_, t)| *t)
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let mut xml = String::with_capacity(4096 + feed.entries.len() * 4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        text(&feed.lang)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", text(&title)));
    if let Some(description) = config.description.get(&feed.lang) {
        xml.push_str(&format!("  <subtitle>{}</subtitle>\n", text(description)));
    }
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        text(&self_url)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        text(&base.absolute(&home))
    ));
    xml.push_str(&format!("  <id>{}</id>\n", text(&self_url)));
    xml.push_str(&format!("  <updated>{}</updated>\n", time(newest)));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        text(author)
    ));
    xml.push_str(&format!(
        "  <generator version=\"{}\">drehbuch</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    for &(id, updated) in &feed.entries {
        let page = &content.pages[id];
        let url = base.absolute(&page.url);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", text(&page.front.title)));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            text(&url)
        ));
        xml.push_str(&format!("    <id>{}</id>\n", text(&url)));
        xml.push_str(&format!("    <updated>{}</updated>\n", time(updated)));
        if let Some(published) = content.published(id) {
            xml.push_str(&format!("    <published>{}</published>\n", time(published)));
        }
        if let Some(summary) = &page.front.description {
            xml.push_str(&format!("    <summary>{}</summary>\n", text(summary)));
        }
        let body = rendered.body(id);
        // Feed readers get no scripts, whatever `content_scripts` lets the
        // site keep; a body that cannot be read unambiguously is left out.
        if let Some(body) = without_scripts(&body).filter(|b| !b.trim().is_empty()) {
            let tables = charts_as_tables(&body);
            let absolute = absolute_links(&tables, &url, &base.origin);
            xml.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                text(&absolute)
            ));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Turns every chart of a page's HTML into what feed readers show well:
/// its data table (out of its `<details>`) and caption, after a link to the
/// chart on the page named by the chart's title. The inline SVG goes:
/// most readers drop or mangle it, and it made a feed of cards 243 KB.
fn charts_as_tables(html: &str) -> Cow<'_, str> {
    if !html.contains("drehbuch-chart") {
        return Cow::Borrowed(html);
    }
    // The current chart's id and the text of its drawing's title.
    let id = RefCell::new(String::new());
    let title = RefCell::new(String::new());
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("figure.drehbuch-chart", |el| {
            *id.borrow_mut() = el.get_attribute("id").unwrap_or_default();
            title.borrow_mut().clear();
            Ok(())
        }))
        .append_element_content_handler(text!(
            "figure.drehbuch-chart > .chart-scroll > svg > title",
            |t| {
                title.borrow_mut().push_str(t.as_str());
                Ok(())
            }
        ))
        .append_element_content_handler(element!("figure.drehbuch-chart > .chart-scroll", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("figure.drehbuch-chart > details", |el| {
            let id = id.borrow();
            let title = title.borrow();
            if !id.is_empty() && !title.trim().is_empty() {
                let link = format!(
                    "<p><a href=\"#{}\">{}</a></p>\n",
                    escape_html(&id),
                    title.trim()
                );
                el.before(&link, ContentType::Html);
            }
            el.remove_and_keep_content();
            Ok(())
        }))
        .append_element_content_handler(element!(
            "figure.drehbuch-chart > details > summary",
            |el| {
                el.remove();
                Ok(())
            }
        ));
    // The body was read unambiguously before (`without_scripts`); should
    // the rewriter still fail, the chart's SVG is better than no entry.
    match rewrite_str(html, settings) {
        Ok(out) => Cow::Owned(out),
        Err(_) => Cow::Borrowed(html),
    }
}

/// Makes every `href` and `src` of a page's HTML absolute: `/x/` gets the
/// site's origin, `#a` and relative paths the page's URL.
fn absolute_links<'a>(html: &'a str, page_url: &str, origin: &str) -> Cow<'a, str> {
    rewrite_links(html, &|value| {
        let lower = value.to_ascii_lowercase();
        if value.starts_with("//")
            || lower.contains("://")
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
            || lower.starts_with("data:")
        {
            None
        } else if value.starts_with('/') {
            Some(format!("{origin}{value}"))
        } else if lower.starts_with("javascript:") {
            // Never carry a script into a feed reader.
            Some("#".to_string())
        } else {
            Some(format!("{page_url}{value}"))
        }
    })
}

/// RFC 3339 in UTC, as Atom requires.
fn time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Text for XML: markup characters escaped, and characters XML 1.0 does
/// not allow (control characters, U+FFFE, U+FFFF) left out, so a stray
/// byte in one page never makes the whole feed unreadable.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_absolute() {
        let html = "<a href=\"/t/de/x/\">a</a><a href=\"#s\">b</a><img src=\"p.png\"><a href=\"https://o.org/\">c</a><a href=\"javascript:alert(1)\">d</a><a href=\"mailto:a@b.c\">e</a>";
        assert_eq!(
            absolute_links(html, "https://e.org/t/de/y/", "https://e.org"),
            "<a href=\"https://e.org/t/de/x/\">a</a><a href=\"https://e.org/t/de/y/#s\">b</a><img src=\"https://e.org/t/de/y/p.png\"><a href=\"https://o.org/\">c</a><a href=\"#\">d</a><a href=\"mailto:a@b.c\">e</a>"
        );
    }

    #[test]
    fn text_is_escaped_and_made_valid_xml() {
        assert_eq!(
            text("a<b & \"c\"\u{1}\u{ffff}é"),
            "a&lt;b &amp; &quot;c&quot;é"
        );
    }
}
