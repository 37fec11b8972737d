//! Heading ids and the table of contents: each heading gets a stable id,
//! its explicit `{#id}` or its slugified text, unique on the page and
//! never one the theme gives its own elements ([`RESERVED_IDS`]) or a
//! footnote's. Records the page's anchors (headings and footnotes, in
//! order), its headings and its nested toc.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Events;
use crate::diagnostics::SourceFile;
use crate::markdown::{RESERVED_IDS, RenderedMarkdown, TocEntry};
use crate::text::{SlugStyle, slugify_in};

/// Gives every heading its id, in place.
pub(crate) fn run(
    events: &mut Events<'_>,
    file: &SourceFile,
    lang: &str,
    facts: &mut RenderedMarkdown,
) {
    let mut ids = HeadingIds::default();
    for id in RESERVED_IDS {
        ids.take(id.to_string());
    }
    // pulldown-cmark names a footnote by its label.
    for (event, _) in events.iter() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = event {
            ids.take(label.to_string());
        }
    }
    let mut flat_toc = Vec::new();
    for i in 0..events.len() {
        let (event, range) = &events[i];
        let (explicit, level) = match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                facts.anchors.push(label.to_string());
                continue;
            }
            Event::Start(Tag::Heading { id, level, .. }) => {
                (id.as_deref().map(str::to_string), *level as u8)
            }
            _ => continue,
        };
        let text = heading_text(&events[i + 1..]);
        let id = match explicit {
            Some(id) if RESERVED_IDS.contains(&id.as_str()) => {
                facts.diagnostics.push(
                    file.error(
                        range.clone(),
                        format!("the anchor id `{id}` is taken by the theme's page layout"),
                    )
                    .with_help("choose another `{#id}` for this heading"),
                );
                id
            }
            Some(id) if !ids.take(id.clone()) => {
                facts.diagnostics.push(
                    file.error(
                        range.clone(),
                        format!("the anchor id `{id}` is used twice on this page"),
                    )
                    .with_help("give each heading its own `{#id}`"),
                );
                id
            }
            Some(id) => id,
            // Anchors keep the letters of every script (valid in ids and
            // IRI fragments), with the language's Latin transliteration.
            None => ids.unique(&slugify_in(&text, lang, SlugStyle::Unicode)),
        };
        let title = text.trim().to_string();
        facts
            .headings
            .push((level, id.clone(), title.clone(), range.clone()));
        flat_toc.push(TocEntry {
            level,
            id: id.clone(),
            title,
            children: Vec::new(),
        });
        facts.anchors.push(id.clone());
        if let (Event::Start(Tag::Heading { id: slot, .. }), _) = &mut events[i] {
            *slot = Some(CowStr::from(id));
        }
    }
    facts.toc = nest_toc(flat_toc);
}

/// The text of a heading whose events (after its start) are `inner`.
fn heading_text(inner: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in inner {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    text
}

/// The ids a page's headings and footnotes have taken, and for each
/// readable id the next number to try when another heading wants it, so
/// that `n` headings with the same text cost O(n) tries, not O(n²).
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    /// How many candidates were tried, for the test that keeps it linear.
    #[cfg(test)]
    tries: usize,
}

impl HeadingIds {
    /// Marks `id` as taken (an explicit `{#id}`, a footnote, the theme's);
    /// false if it already was.
    fn take(&mut self, id: String) -> bool {
        self.used.insert(id)
    }

    /// `base` if free, else the first free `base-N`. Numbers once taken
    /// stay taken (ids are never released), so the search for the next
    /// one resumes where the last one stopped.
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        #[cfg(test)]
        {
            self.tries += 1;
        }
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            #[cfg(test)]
            {
                self.tries += 1;
            }
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Nests a flat heading list: each heading owns the deeper ones after it.
fn nest_toc(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    fn take(
        level: u8,
        items: &mut std::iter::Peekable<std::vec::IntoIter<TocEntry>>,
    ) -> Vec<TocEntry> {
        let mut out: Vec<TocEntry> = Vec::new();
        while let Some(next) = items.peek() {
            if next.level < level {
                break;
            }
            let Some(mut entry) = items.next() else { break };
            entry.children = take(entry.level + 1, items);
            out.push(entry);
        }
        out
    }
    let top = flat.iter().map(|e| e.level).min().unwrap_or(1);
    take(top, &mut flat.into_iter().peekable())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::passes::test_support::{events, file, html};

    fn headings(text: &str) -> (String, RenderedMarkdown) {
        let mut events = events(text);
        let mut facts = RenderedMarkdown::default();
        run(&mut events, &file(text), "de", &mut facts);
        (html(events), facts)
    }

    fn entry(level: u8, id: &str, title: &str, children: Vec<TocEntry>) -> TocEntry {
        TocEntry {
            level,
            id: id.into(),
            title: title.into(),
            children,
        }
    }

    #[test]
    fn ids_are_readable_unique_and_nested_into_the_toc() {
        let (html, facts) = headings(
            "## Größe\n\n## Größe\n\n### Schritt *für* `Schritt` {#steps .x}\n\n# Ende [^n]\n\n[^n]: Note.\n",
        );
        assert_eq!(
            html,
            "<h2 id=\"groesse\">Größe</h2>\n<h2 id=\"groesse-1\">Größe</h2>\n\
             <h3 id=\"steps\" class=\"x\">Schritt <em>für</em> <code>Schritt</code></h3>\n\
             <h1 id=\"ende\">Ende <sup class=\"footnote-reference\"><a href=\"#n\">1</a></sup></h1>\n\
             <div class=\"footnote-definition\" id=\"n\"><sup class=\"footnote-definition-label\">1</sup>\n\
             <p>Note.</p>\n</div>\n"
        );
        assert_eq!(
            facts.anchors,
            ["groesse", "groesse-1", "steps", "ende", "n"]
        );
        let headings: Vec<(u8, &str, &str)> = facts
            .headings
            .iter()
            .map(|(level, id, title, _)| (*level, id.as_str(), title.as_str()))
            .collect();
        assert_eq!(
            headings,
            [
                (2, "groesse", "Größe"),
                (2, "groesse-1", "Größe"),
                (3, "steps", "Schritt für Schritt"),
                (1, "ende", "Ende"),
            ]
        );
        assert_eq!(
            facts.toc,
            [
                entry(2, "groesse", "Größe", vec![]),
                entry(
                    2,
                    "groesse-1",
                    "Größe",
                    vec![entry(3, "steps", "Schritt für Schritt", vec![])]
                ),
                entry(1, "ende", "Ende", vec![]),
            ]
        );
    }

    #[test]
    fn ids_avoid_the_themes_ids_and_footnotes_anywhere_on_the_page() {
        let (html, facts) = headings(
            "## Main\n\n## 1\n\n## Note\n\nText.[^1][^note]\n\n> [^note]: In a quote.\n\n[^1]: Note.\n",
        );
        assert!(
            html.starts_with(
                "<h2 id=\"main-1\">Main</h2>\n<h2 id=\"1-1\">1</h2>\n<h2 id=\"note-1\">Note</h2>\n"
            ),
            "{html}"
        );
        assert_eq!(facts.anchors, ["main-1", "1-1", "note-1", "note", "1"]);
    }

    #[test]
    fn an_explicit_id_taken_twice_or_by_the_theme_is_an_error_at_the_heading() {
        let (html, facts) = headings("# A {#main}\n\n## B {#b}\n\n## C {#b}\n");
        assert_eq!(
            html,
            "<h1 id=\"main\">A</h1>\n<h2 id=\"b\">B</h2>\n<h2 id=\"b\">C</h2>\n"
        );
        let found: Vec<String> = facts
            .diagnostics
            .iter()
            .map(|d| format!("{}:{} {}", d.line.unwrap(), d.col.unwrap(), d.message))
            .collect();
        assert_eq!(
            found,
            [
                "1:1 the anchor id `main` is taken by the theme's page layout",
                "5:1 the anchor id `b` is used twice on this page",
            ]
        );
    }

    #[test]
    fn equal_headings_get_distinct_ids_in_linear_tries() {
        let mut ids = HeadingIds::default();
        ids.take("same-3".to_string());
        let got: Vec<String> = (0..20_000).map(|_| ids.unique("same")).collect();
        assert_eq!(got[..4], ["same", "same-1", "same-2", "same-4"]);
        assert_eq!(got[19_999], "same-20000");
        let distinct: HashSet<&String> = got.iter().collect();
        assert_eq!(distinct.len(), 20_000);
        assert!(!got.contains(&"same-3".to_string()));
        // One try per heading, plus one for the number taken by `{#same-3}`
        // and one for each heading after the first (the bare id is taken).
        assert_eq!(ids.tries, 20_000 + 19_999 + 1);
    }
}
