//! Shortcodes expanded: each placeholder left by
//! [`placeholders`](crate::markdown::placeholders) becomes its call's HTML
//! wherever text or HTML can stand: in text, in raw HTML blocks and in
//! inline HTML (a call inside `<div>…</div>` or in a tag's attribute is
//! expanded too). In text the output is marked with [`MARK`] for
//! [`placement`](super::placement). Where no HTML can stand, in a link's
//! or image's target or title and in a heading's `{#id .class key=value}`,
//! the call is an error at its line and the value is dropped.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::Events;
use crate::diagnostics::SourceFile;
use crate::markdown::RenderedMarkdown;
use crate::markdown::placeholders::{Expansion, PLACEHOLDER_PREFIX, Piece, split};

/// Starts the HTML of a shortcode that stood in text, until
/// [`placement`](super::placement) runs; content cannot hold a NUL (the
/// parser makes it U+FFFD).
pub(crate) const MARK: char = '\0';

/// Replaces placeholders by their HTML; reports those where none can stand.
pub(crate) fn run(
    events: &mut Events<'_>,
    expansions: &[Expansion],
    file: &SourceFile,
    facts: &mut RenderedMarkdown,
) {
    if expansions.is_empty() {
        return;
    }
    let before = std::mem::take(events);
    events.reserve(before.len() + 2 * expansions.len());
    for (mut event, range) in before {
        match &event {
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text)
                if text.contains(PLACEHOLDER_PREFIX) =>
            {
                expand(&event, text, range, expansions, events);
            }
            _ => {
                refuse_in_attributes(&mut event, expansions, file, facts);
                events.push((event, range));
            }
        }
    }
}

/// Pushes the pieces of `text` (of `event`, at `range`): the text around
/// the placeholders as events of the same kind, and the shortcodes' HTML.
fn expand(
    event: &Event<'_>,
    text: &str,
    range: Range<usize>,
    expansions: &[Expansion],
    out: &mut Events<'_>,
) {
    let in_text = matches!(event, Event::Text(_));
    // Raw HTML as long as its range stands there in the file, so the
    // pieces around a call keep their columns (for the script check).
    let verbatim = !in_text && text.len() == range.len();
    for piece in split(text, expansions) {
        let (part, at) = match piece {
            Piece::Text(part) if verbatim => (
                text[part.clone()].to_string(),
                range.start + part.start..range.start + part.end,
            ),
            Piece::Text(part) => (text[part].to_string(), range.clone()),
            Piece::Shortcode(index) => {
                let expansion = &expansions[index];
                if in_text {
                    let marked = format!("{MARK}{}", expansion.html);
                    out.push((Event::InlineHtml(marked.into()), expansion.call.clone()));
                    continue;
                }
                (expansion.html.clone(), expansion.call.clone())
            }
        };
        let part = CowStr::from(part);
        out.push(match event {
            Event::Html(_) => (Event::Html(part), at),
            Event::InlineHtml(_) => (Event::InlineHtml(part), at),
            _ => (Event::Text(part), at),
        });
    }
}

/// A place where no shortcode can stand, and what to do instead.
struct Place {
    what: &'static str,
    help: &'static str,
}

const LINK_TARGET: Place = Place {
    what: "a link target",
    help: "a shortcode's output is HTML, not an address: write the target out (`[text](https://…)`, `[text](@/cards/page.md)`); a shortcode may stand in the link text",
};
const IMAGE_SOURCE: Place = Place {
    what: "an image source",
    help: "a shortcode's output is HTML, not an address: write the image's path out (`![description](/images/map.png)`)",
};
const TITLE: Place = Place {
    what: "a link or image title",
    help: "write the title out; a shortcode may stand in the link text or the image description",
};
const HEADING_ATTRIBUTES: Place = Place {
    what: "a heading's `{#id .class key=value}`",
    help: "write the id, classes and attributes out; a shortcode may stand in the heading's text",
};

/// Reports each placeholder in a link's or image's target or title or a
/// heading's attributes, and drops the value it stands in.
fn refuse_in_attributes(
    event: &mut Event<'_>,
    expansions: &[Expansion],
    file: &SourceFile,
    facts: &mut RenderedMarkdown,
) {
    let mut refuse = |value: &str, place: &Place| -> bool {
        if !value.contains(PLACEHOLDER_PREFIX) {
            return false;
        }
        let mut found = false;
        for piece in split(value, expansions) {
            if let Piece::Shortcode(index) = piece {
                found = true;
                let at = expansions[index].call.clone();
                let message = format!("a shortcode cannot stand in {}", place.what);
                facts.diagnostics.push(
                    file.error(at, message)
                        .with_help(place.help)
                        .with_kind("shortcode"),
                );
            }
        }
        found
    };
    match event {
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => {
            if refuse(dest_url, &LINK_TARGET) {
                *dest_url = CowStr::from("#");
            }
            if refuse(title, &TITLE) {
                *title = CowStr::from("");
            }
        }
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            if refuse(dest_url, &IMAGE_SOURCE) {
                *dest_url = CowStr::from("#");
            }
            if refuse(title, &TITLE) {
                *title = CowStr::from("");
            }
        }
        Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) => {
            if id
                .as_deref()
                .is_some_and(|id| refuse(id, &HEADING_ATTRIBUTES))
            {
                *id = None;
            }
            classes.retain(|class| !refuse(class, &HEADING_ATTRIBUTES));
            attrs.retain(|(key, value)| {
                let in_value = value
                    .as_deref()
                    .is_some_and(|value| refuse(value, &HEADING_ATTRIBUTES));
                !(refuse(key, &HEADING_ATTRIBUTES) || in_value)
            });
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::passes::test_support::{Shortcodes, events, file, html};
    use crate::markdown::placeholders::substitute;

    /// The HTML after this pass (marks shown as `¦`) and the diagnostics
    /// as `line:col message`.
    fn expanded(text: &str) -> (String, Vec<String>) {
        let file = file(text);
        let mut facts = RenderedMarkdown::default();
        let substituted = substitute(&file, 0..text.len(), "de", &Shortcodes, &mut facts);
        let mut events = events(&substituted.text);
        run(&mut events, &substituted.expansions, &file, &mut facts);
        let diagnostics = facts
            .diagnostics
            .iter()
            .map(|d| format!("{}:{} {}", d.line.unwrap(), d.col.unwrap(), d.message))
            .collect();
        (html(events).replace(MARK, "¦"), diagnostics)
    }

    #[test]
    fn calls_expand_in_text_html_blocks_and_inline_html_but_not_in_code() {
        let (html, diagnostics) = expanded(
            "Jahr {{ year() }}: `{{ year() }}`\n\n\
             <div class=\"box\">\n{{ box() }}\n</div>\n\n\
             Stand <abbr title=\"{{ year() }}\">J</abbr>.\n",
        );
        assert_eq!(
            html,
            "<p>Jahr ¦2024: <code>{{ year() }}</code></p>\n\
             <div class=\"box\">\n<aside lang=\"de\">box</aside>\n</div>\n\
             <p>Stand <abbr title=\"2024\">J</abbr>.</p>\n"
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn pieces_of_raw_html_keep_their_place_in_the_file() {
        let text = "<p>a {{ box() }} b</p>\n";
        let file = file(text);
        let mut facts = RenderedMarkdown::default();
        let substituted = substitute(&file, 0..text.len(), "de", &Shortcodes, &mut facts);
        let mut events = events(&substituted.text);
        run(&mut events, &substituted.expansions, &file, &mut facts);
        let places: Vec<(String, &str)> = events
            .iter()
            .filter_map(|(event, range)| match event {
                Event::Html(html) => Some((html.to_string(), &text[range.clone()])),
                _ => None,
            })
            .collect();
        assert_eq!(
            places,
            [
                ("<p>a ".to_string(), "<p>a "),
                ("<aside lang=\"de\">box</aside>".to_string(), "{{ box() }}"),
                (" b</p>\n".to_string(), " b</p>\n"),
            ]
        );
    }

    #[test]
    fn a_call_in_a_link_or_image_target_or_title_is_an_error_at_its_place() {
        let (html, diagnostics) = expanded(
            "[a]({{year()}}) [b](/x \"{{ year() }}\")\n\n![c]({{year()}}) [{{ year() }}](/d)\n",
        );
        assert_eq!(
            html,
            "<p><a href=\"#\">a</a> <a href=\"/x\">b</a></p>\n\
             <p><img src=\"#\" alt=\"c\" /> <a href=\"/d\">¦2024</a></p>\n"
        );
        assert_eq!(
            diagnostics,
            [
                "1:5 a shortcode cannot stand in a link target",
                "1:25 a shortcode cannot stand in a link or image title",
                "3:6 a shortcode cannot stand in an image source",
            ]
        );
    }

    #[test]
    fn a_call_in_a_heading_attribute_is_an_error_and_the_heading_keeps_its_text() {
        let (html, diagnostics) = expanded(
            "## Jahr {{ year() }} {#{{year()}} .wide .{{year()}} data-y={{year()}} lang=de}\n",
        );
        assert_eq!(html, "<h2 class=\"wide\" lang=\"de\">Jahr ¦2024</h2>\n");
        assert_eq!(
            diagnostics,
            [
                "1:24 a shortcode cannot stand in a heading's `{#id .class key=value}`",
                "1:42 a shortcode cannot stand in a heading's `{#id .class key=value}`",
                "1:60 a shortcode cannot stand in a heading's `{#id .class key=value}`",
            ]
        );
    }
}
