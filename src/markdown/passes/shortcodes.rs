//! Shortcodes expanded: each placeholder left by
//! [`placeholders`](crate::markdown::placeholders) in text becomes its
//! call's HTML, marked with [`MARK`] for [`placement`](super::placement).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::Events;
use crate::markdown::placeholders::{Expansion, PLACEHOLDER_PREFIX, Piece, split};

/// Starts the HTML of a shortcode that stood in text, until
/// [`placement`](super::placement) runs; content cannot hold a NUL (the
/// parser makes it U+FFFD).
pub(crate) const MARK: char = '\0';

/// Replaces placeholders in text by their HTML.
pub(crate) fn run(events: &mut Events<'_>, expansions: &[Expansion]) {
    if expansions.is_empty() {
        return;
    }
    let before = std::mem::take(events);
    events.reserve(before.len() + 2 * expansions.len());
    for (event, range) in before {
        match &event {
            Event::Text(text) if text.contains(PLACEHOLDER_PREFIX) => {
                expand(text, range, expansions, events);
            }
            _ => events.push((event, range)),
        }
    }
}

/// Pushes the pieces of `text` (at `range`): the text around the
/// placeholders, and the shortcodes' marked HTML.
fn expand(text: &str, range: Range<usize>, expansions: &[Expansion], out: &mut Events<'_>) {
    for piece in split(text, expansions) {
        out.push(match piece {
            Piece::Text(part) => (Event::Text(text[part].to_string().into()), range.clone()),
            Piece::Shortcode(index) => {
                let expansion = &expansions[index];
                let marked = format!("{MARK}{}", expansion.html);
                (
                    Event::InlineHtml(CowStr::from(marked)),
                    expansion.call.clone(),
                )
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::RenderedMarkdown;
    use crate::markdown::passes::test_support::{Shortcodes, events, file, html};
    use crate::markdown::placeholders::substitute;

    /// The HTML after this pass (marks shown as `¦`).
    fn expanded(text: &str) -> String {
        let file = file(text);
        let mut facts = RenderedMarkdown::default();
        let substituted = substitute(&file, 0..text.len(), "de", &Shortcodes, &mut facts);
        let mut events = events(&substituted.text);
        run(&mut events, &substituted.expansions);
        html(events).replace(MARK, "¦")
    }

    #[test]
    fn calls_in_text_expand_and_calls_in_code_do_not() {
        assert_eq!(
            expanded("Jahr {{ year() }}: `{{ year() }}` [{{ box() }}](/d)\n"),
            "<p>Jahr ¦2024: <code>{{ year() }}</code> <a href=\"/d\">¦<aside lang=\"de\">box</aside></a></p>\n"
        );
    }
}
