//! Shortcode placement: a paragraph holding nothing but one shortcode
//! becomes that shortcode's HTML as a block (a chart or an aside is not
//! wrapped in `<p>`); block output inside a sentence splits the paragraph
//! around it, since a `<p>` cannot hold it; elsewhere the output stays
//! inline. Takes the [`MARK`] off every shortcode's HTML.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Events;
use super::shortcodes::MARK;

/// Places each marked shortcode output; copies the events only on a page
/// with a shortcode in its text.
pub(crate) fn run(events: &mut Events<'_>) {
    let marked = |event: &Event<'_>| matches!(event, Event::InlineHtml(h) if h.starts_with(MARK));
    if !events.iter().any(|(event, _)| marked(event)) {
        return;
    }
    let mut before = std::mem::take(events).into_iter().peekable();
    // Open tags, innermost last: whether each is a paragraph.
    let mut open: Vec<bool> = Vec::new();
    // A paragraph opened again after block output: a shortcode next in it
    // is not alone in a paragraph of the text.
    let mut reopened = None;
    while let Some((event, range)) = before.next() {
        let html = match event {
            Event::InlineHtml(html) if html.starts_with(MARK) => {
                CowStr::from(html.trim_start_matches(MARK).to_string())
            }
            event => {
                match &event {
                    Event::Start(tag) => open.push(matches!(tag, Tag::Paragraph)),
                    Event::End(_) => {
                        open.pop();
                    }
                    _ => {}
                }
                events.push((event, range));
                continue;
            }
        };
        let after_start = matches!(events.last(), Some((Event::Start(Tag::Paragraph), _)));
        let before_end = matches!(before.peek(), Some((Event::End(TagEnd::Paragraph), _)));
        let alone = after_start && before_end && reopened != Some(events.len() - 1);
        let splits_paragraph = is_block(&html) && open.last() == Some(&true);
        if !alone && !splits_paragraph {
            events.push((Event::InlineHtml(html), range));
            continue;
        }
        if after_start {
            events.pop();
        } else {
            events.push((Event::End(TagEnd::Paragraph), range.clone()));
        }
        events.push((Event::Html(html), range.clone()));
        if before_end {
            before.next();
            open.pop();
        } else {
            events.push((Event::Start(Tag::Paragraph), range));
            reopened = Some(events.len() - 1);
        }
    }
}

/// Whether `html` starts with an element a paragraph cannot hold: one
/// whose start tag closes an open `<p>` (the HTML standard's list, in
/// "Optional tags": a `p` element's end tag may be omitted before these).
/// A custom element (`<details-list>`) is none of them.
fn is_block(html: &str) -> bool {
    let Some(rest) = html.trim_start().strip_prefix('<') else {
        return false;
    };
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .unwrap_or(rest.len());
    matches!(
        rest[..end].to_ascii_lowercase().as_str(),
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "search"
            | "section"
            | "table"
            | "ul"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::RenderedMarkdown;
    use crate::markdown::passes::shortcodes;
    use crate::markdown::passes::test_support::{Shortcodes, events, file, html};
    use crate::markdown::placeholders::substitute;

    /// The HTML of `text` after shortcodes are expanded and placed.
    fn placed(text: &str) -> String {
        let file = file(text);
        let mut facts = RenderedMarkdown::default();
        let substituted = substitute(&file, 0..text.len(), "de", &Shortcodes, &mut facts);
        let mut events = events(&substituted.text);
        shortcodes::run(&mut events, &substituted.expansions, &file, &mut facts);
        run(&mut events);
        html(events)
    }

    #[test]
    fn a_shortcode_alone_in_its_paragraph_is_a_block() {
        assert_eq!(
            placed("Text\n\n{{ box() }}\n\n{{ year() }}\n"),
            "<p>Text</p>\n<aside lang=\"de\">box</aside>2024"
        );
    }

    #[test]
    fn block_output_inside_a_sentence_splits_the_paragraph() {
        assert_eq!(
            placed("Text {{ box() }} more.\n\nStart {{ box() }}\n\n{{ box() }} end\n"),
            "<p>Text </p>\n<aside lang=\"de\">box</aside>\n<p> more.</p>\n\
             <p>Start </p>\n<aside lang=\"de\">box</aside>\
             <aside lang=\"de\">box</aside>\n<p> end</p>\n"
        );
    }

    #[test]
    fn inline_output_and_output_outside_paragraphs_stay_where_they_are() {
        assert_eq!(
            placed("Im Jahr {{ year() }}.\n\n*{{ box() }}*\n\n# {{ box() }}\n\n- {{ box() }}\n"),
            "<p>Im Jahr 2024.</p>\n<p><em><aside lang=\"de\">box</aside></em></p>\n\
             <h1><aside lang=\"de\">box</aside></h1>\n\
             <ul>\n<li><aside lang=\"de\">box</aside></li>\n</ul>\n"
        );
    }

    #[test]
    fn after_block_output_an_inline_shortcode_stays_in_the_reopened_paragraph() {
        assert_eq!(
            placed("A {{ box() }}{{ year() }}\n"),
            "<p>A </p>\n<aside lang=\"de\">box</aside>\n<p>2024</p>\n"
        );
    }

    #[test]
    fn block_elements_are_the_ones_that_close_a_paragraph() {
        for block in [
            "<aside>",
            "<ARTICLE class=x>",
            " <main>",
            "<figcaption>",
            "<search>",
            "<h6>",
        ] {
            assert!(is_block(block), "{block}");
        }
        for inline in [
            "<span>",
            "<svg>",
            "<a href=x>",
            "<details-x>",
            "text <div>",
            "<!-- x -->",
        ] {
            assert!(!is_block(inline), "{inline}");
        }
    }
}
