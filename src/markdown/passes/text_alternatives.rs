//! Accessibility facts: images without alt text and links without any
//! text, where they stand in the file, for `check` (WCAG 1.1.1, 2.4.4).
//! Runs before shortcodes are expanded, so a shortcode in a link's text
//! counts as text.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Events;
use crate::markdown::RenderedMarkdown;

/// Records images whose alt text is blank and links with no text.
pub(crate) fn run(events: &Events<'_>, facts: &mut RenderedMarkdown) {
    // The open image and its alt text so far; the open link and whether
    // it has text yet.
    let mut image: Option<(Range<usize>, String)> = None;
    let mut link: Option<(Range<usize>, bool)> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Image { .. }) => {
                image = Some((range.clone(), String::new()));
                // An image is a link's text (its alt text names the target).
                if let Some((_, has_text)) = &mut link {
                    *has_text = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, alt)) = image.take()
                    && alt.trim().is_empty()
                {
                    facts.images_without_alt.push(at);
                }
            }
            Event::Start(Tag::Link { .. }) => link = Some((range.clone(), false)),
            Event::End(TagEnd::Link) => {
                if let Some((at, false)) = link.take() {
                    facts.empty_links.push(at);
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, alt)) = &mut image {
                    alt.push_str(text);
                }
                if let Some((_, has_text)) = &mut link
                    && !text.trim().is_empty()
                {
                    *has_text = true;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::passes::test_support::events;

    #[test]
    fn blank_alt_text_and_links_without_text_are_recorded_where_they_stand() {
        let text = "![](a.png) ![ ](b.png) ![Map](c.png) ![`x`](d.png)\n\n\
                    [](/e) [ ](/f) [![](g.png)](/h) [`i`](/i) [j](/j)\n";
        let events = events(text);
        let mut facts = RenderedMarkdown::default();
        run(&events, &mut facts);
        let at = |ranges: &[Range<usize>]| -> Vec<&str> {
            ranges.iter().map(|r| &text[r.clone()]).collect()
        };
        assert_eq!(
            at(&facts.images_without_alt),
            ["![](a.png)", "![ ](b.png)", "![](g.png)"]
        );
        assert_eq!(at(&facts.empty_links), ["[](/e)", "[ ](/f)"]);
    }
}
