//! The passes of [`render`](super::render), in the order it runs them over
//! a page's collected events. Each is one `run` over the events and the
//! page's facts ([`RenderedMarkdown`](super::RenderedMarkdown)); one that
//! only changes events in place does so without copying the event vector.

pub(crate) mod accessible_names;
pub(crate) mod code;
pub(crate) mod headings;
pub(crate) mod links;
pub(crate) mod placement;
pub(crate) mod shortcodes;
pub(crate) mod text_alternatives;
pub(crate) mod words;

use std::ops::Range;

use pulldown_cmark::Event;

/// A page's events, each with the byte range in the file it came from.
pub(crate) type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Fakes and helpers for the passes' tests: events of a text, and HTML of
/// events, as the page's own parser and writer make them.
#[cfg(test)]
pub(crate) mod test_support {
    use pulldown_cmark::Parser;

    use super::Events;
    use crate::diagnostics::SourceFile;
    use crate::markdown::links::{LinkResolver, ResolvedLink};
    use crate::markdown::shortcodes::{ShortcodeCall, Signature};
    use crate::markdown::{ShortcodeHost, options};

    /// `text` as the file `p.md`.
    pub(crate) fn file(text: &str) -> SourceFile {
        SourceFile::new("p.md".into(), text.into())
    }

    /// The events of `text`, with their ranges.
    pub(crate) fn events(text: &str) -> Events<'_> {
        Parser::new_ext(text, options())
            .into_offset_iter()
            .collect()
    }

    /// The HTML of `events`, as the page writes it.
    pub(crate) fn html(events: Events<'_>) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    /// Knows one page, `cards/heat.md`, in every language.
    pub(crate) struct Links;

    impl LinkResolver for Links {
        fn resolve(&self, key: &str, lang: &str) -> Option<ResolvedLink> {
            (key == "cards/heat.md").then(|| ResolvedLink {
                url: format!("/{lang}/cards/heat/"),
                group: "cards/heat.md".into(),
                lang: lang.into(),
            })
        }
        fn site_path(&self, path: &str) -> String {
            format!("/base{path}")
        }
        fn is_draft(&self, key: &str) -> bool {
            key == "cards/draft.md"
        }
    }

    /// `box()` gives an aside, `year()` the text `2024`.
    pub(crate) struct Shortcodes;

    impl ShortcodeHost for Shortcodes {
        fn signature(&self, name: &str) -> Option<Signature> {
            matches!(name, "box" | "year").then(Signature::default)
        }
        fn names(&self) -> Vec<String> {
            vec!["box".into(), "year".into()]
        }
        fn render(&self, call: &ShortcodeCall, lang: &str, _: usize) -> Result<String, String> {
            Ok(match call.name.as_str() {
                "box" => format!("<aside lang=\"{lang}\">box</aside>"),
                _ => "2024".to_string(),
            })
        }
    }
}
