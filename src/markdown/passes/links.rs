//! Links and images: `@/path.md#anchor` resolved to the page's language
//! (a missing or draft target is an error here; anchors are checked once
//! every page is rendered), site-absolute paths (`/files/x.pdf`) given the
//! base path, and every other target recorded for the external check.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::Events;
use crate::diagnostics::SourceFile;
use crate::markdown::RenderedMarkdown;
use crate::markdown::links::{InternalLink, LinkResolver, written};

/// Rewrites link and image targets in place.
pub(crate) fn run(
    events: &mut Events<'_>,
    file: &SourceFile,
    lang: &str,
    resolver: &dyn LinkResolver,
    facts: &mut RenderedMarkdown,
) {
    for (event, range) in events.iter_mut() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let target = link_target(dest_url, range, file, lang, resolver, facts);
                *dest_url = CowStr::from(target);
            }
            Event::Start(Tag::Image { dest_url, .. })
                if dest_url.starts_with('/') && !dest_url.starts_with("//") =>
            {
                *dest_url = CowStr::from(resolver.site_path(dest_url));
            }
            _ => {}
        }
    }
}

/// Where a link written as `dest` leads.
fn link_target(
    dest: &str,
    range: &Range<usize>,
    file: &SourceFile,
    lang: &str,
    resolver: &dyn LinkResolver,
    facts: &mut RenderedMarkdown,
) -> String {
    let Some(target) = dest.strip_prefix("@/") else {
        if dest.starts_with('/') && !dest.starts_with("//") {
            return resolver.site_path(dest);
        }
        if !dest.starts_with('#') && !dest.is_empty() {
            facts.external_links.push(dest.to_string());
        }
        return dest.to_string();
    };
    let (key, anchor) = match target.split_once('#') {
        Some((key, anchor)) => (key, Some(anchor.to_string())),
        None => (target, None),
    };
    let resolved = resolver.resolve(key, lang);
    let written = written(resolved.as_ref(), key, resolver);
    facts.link_targets.push((key.to_string(), written));
    if let Some(link) = resolved {
        facts.internal_links.push(InternalLink {
            group: link.group,
            lang: link.lang,
            at: anchor.as_ref().map(|_| file.locate(range.clone())),
            anchor: anchor.clone(),
            range: range.clone(),
        });
        return match anchor {
            Some(anchor) => format!("{}#{anchor}", link.url),
            None => link.url,
        };
    }
    if resolver.is_failed(key) {
        // Reported where it failed to load.
    } else if resolver.is_draft(key) {
        facts.diagnostics.push(
            file.error(range.clone(), format!("link to a draft: `{key}` is not published"))
                .with_help("publish it (remove `draft: true`) or remove the link; `--drafts` builds drafts for previews")
                .with_kind("draft-link"),
        );
    } else {
        facts.diagnostics.push(
            file.error(range.clone(), format!("broken link: there is no content file `{key}`"))
                .with_help("`@/` links name a file under content/ without its language suffix, e.g. @/cards/heat-check.md")
                .with_kind("link"),
        );
    }
    "#".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::passes::test_support::{Links, events, file, html};

    #[test]
    fn targets_are_resolved_given_the_base_path_or_recorded() {
        let text = "[a](@/cards/heat.md#steps) [b](@/cards/heat.md) [c](/files/x.pdf)\n\
                    [d](https://example.org/) [e](#top) [f](//cdn.example.org/x) ![g](/img/g.png) ![h](h.png)\n";
        let mut events = events(text);
        let mut facts = RenderedMarkdown::default();
        run(&mut events, &file(text), "en", &Links, &mut facts);
        assert_eq!(
            html(events),
            "<p><a href=\"/en/cards/heat/#steps\">a</a> <a href=\"/en/cards/heat/\">b</a> \
             <a href=\"/base/files/x.pdf\">c</a>\n<a href=\"https://example.org/\">d</a> \
             <a href=\"#top\">e</a> <a href=\"//cdn.example.org/x\">f</a> \
             <img src=\"/base/img/g.png\" alt=\"g\" /> <img src=\"h.png\" alt=\"h\" /></p>\n"
        );
        let internal: Vec<String> = facts
            .internal_links
            .iter()
            .map(|l| {
                let at = l.at.as_ref().map(|at| (at.line, at.col));
                let link = &text[l.range.clone()];
                format!("{} {} {:?} {link} {at:?}", l.group, l.lang, l.anchor)
            })
            .collect();
        assert_eq!(
            internal,
            [
                "cards/heat.md en Some(\"steps\") [a](@/cards/heat.md#steps) Some((Some(1), Some(1)))",
                "cards/heat.md en None [b](@/cards/heat.md) None",
            ]
        );
        assert_eq!(
            facts.external_links,
            ["https://example.org/", "//cdn.example.org/x"]
        );
        let key = "cards/heat.md".to_string();
        let url = "/en/cards/heat/".to_string();
        assert_eq!(facts.link_targets, [(key.clone(), url.clone()), (key, url)]);
        assert!(facts.diagnostics.is_empty());
    }

    #[test]
    fn missing_and_draft_targets_are_errors_at_the_link() {
        let text = "See\n[gone](@/cards/gone.md) and [draft](@/cards/draft.md#x).\n";
        let mut events = events(text);
        let mut facts = RenderedMarkdown::default();
        run(&mut events, &file(text), "de", &Links, &mut facts);
        assert_eq!(
            html(events),
            "<p>See\n<a href=\"#\">gone</a> and <a href=\"#\">draft</a>.</p>\n"
        );
        let found: Vec<String> = facts
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {} {}",
                    d.line.unwrap(),
                    d.col.unwrap(),
                    d.kind,
                    d.message
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                "2:1 link broken link: there is no content file `cards/gone.md`",
                "2:29 draft-link link to a draft: `cards/draft.md` is not published",
            ]
        );
        let targets: Vec<(&str, &str)> = facts
            .link_targets
            .iter()
            .map(|(k, w)| (k.as_str(), w.as_str()))
            .collect();
        assert_eq!(
            targets,
            [("cards/gone.md", "#missing"), ("cards/draft.md", "#draft")]
        );
        assert!(facts.internal_links.is_empty());
    }
}
