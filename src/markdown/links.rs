//! Links: `@/cards/heat-check.md#steps` points at a content file and is
//! resolved to the same language's translation of it. Missing files are
//! errors here; anchors are checked once every page is rendered.

use std::ops::Range;

use super::RenderedMarkdown;
use crate::diagnostics::{Diagnostic, SourceFile};

/// Where an `@/` link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedLink {
    /// The URL to write into the page (with base path).
    pub url: String,
    /// The target's translation group.
    pub group: String,
    /// The language of the page linked to.
    pub lang: String,
}

/// Resolves `@/` keys; implemented by the site over its content.
pub trait LinkResolver: Sync {
    /// The target of `key` (`cards/heat.md` or `cards/heat.en.md`) for a page in `lang`.
    fn resolve(&self, key: &str, lang: &str) -> Option<ResolvedLink>;
    /// A site-absolute path (`/en/…`) with the base path in front.
    fn site_path(&self, path: &str) -> String;
    /// Whether `key` names a draft that this build leaves out.
    fn is_draft(&self, _key: &str) -> bool {
        false
    }
    /// Whether `key` names a file that failed to load (already reported,
    /// so a link to it is not reported again).
    fn is_failed(&self, _key: &str) -> bool {
        false
    }
}

/// An `@/` link found in a page, kept for the anchor check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternalLink {
    /// Target translation group.
    pub group: String,
    /// Target language.
    pub lang: String,
    /// `#anchor`, if any.
    pub anchor: Option<String>,
    /// Where the link stands in the source file.
    pub range: Range<usize>,
    /// The same place, located for the anchor check, which runs after
    /// every page is rendered (set when there is an anchor).
    pub at: Option<Diagnostic>,
}

/// Rewrites a link destination; `@/` links are resolved (or reported).
pub(crate) fn rewrite(
    file: &SourceFile,
    range: &Range<usize>,
    dest: &str,
    lang: &str,
    resolver: &dyn LinkResolver,
    out: &mut RenderedMarkdown,
) -> String {
    if let Some(target) = dest.strip_prefix("@/") {
        let (key, anchor) = match target.split_once('#') {
            Some((k, a)) => (k, Some(a.to_string())),
            None => (target, None),
        };
        return resolve_key(key, lang, resolver, file, range, anchor, out);
    }
    if dest.starts_with('/') && !dest.starts_with("//") {
        return resolver.site_path(dest);
    }
    if !dest.starts_with('#') && !dest.is_empty() {
        out.external_links.push(dest.to_string());
    }
    dest.to_string()
}

/// What an `@/` link resolves to now: the URL without anchor, or why it
/// leads nowhere (`#failed`, `#draft`, `#missing`). Incremental rebuilds
/// compare it with the value recorded at render time to know whether a
/// page must be rendered again.
pub fn written_target(key: &str, lang: &str, resolver: &dyn LinkResolver) -> String {
    match resolver.resolve(key, lang) {
        Some(link) => link.url,
        None if resolver.is_failed(key) => "#failed".to_string(),
        None if resolver.is_draft(key) => "#draft".to_string(),
        None => "#missing".to_string(),
    }
}

fn resolve_key(
    key: &str,
    lang: &str,
    resolver: &dyn LinkResolver,
    file: &SourceFile,
    range: &Range<usize>,
    anchor: Option<String>,
    out: &mut RenderedMarkdown,
) -> String {
    let resolved = resolver.resolve(key, lang);
    // What the link leads to now, as [`written_target`] tells it.
    let written = match &resolved {
        Some(link) => link.url.clone(),
        None if resolver.is_failed(key) => "#failed".to_string(),
        None if resolver.is_draft(key) => "#draft".to_string(),
        None => "#missing".to_string(),
    };
    out.link_targets.push((key.to_string(), written));
    match resolved {
        Some(link) => {
            out.internal_links.push(InternalLink {
                group: link.group,
                lang: link.lang,
                at: anchor.as_ref().map(|_| file.locate(range.clone())),
                anchor: anchor.clone(),
                range: range.clone(),
            });
            match anchor {
                Some(a) => format!("{}#{a}", link.url),
                None => link.url,
            }
        }
        None if resolver.is_failed(key) => "#".to_string(),
        None if resolver.is_draft(key) => {
            out.diagnostics.push(
                file.error(range.clone(), format!("link to a draft: `{key}` is not published"))
                    .with_help("publish it (remove `draft: true`) or remove the link; `--drafts` builds drafts for previews")
                    .with_kind("draft-link"),
            );
            "#".to_string()
        }
        None => {
            out.diagnostics.push(
                file.error(range.clone(), format!("broken link: there is no content file `{key}`"))
                    .with_help("`@/` links name a file under content/ without its language suffix, e.g. @/cards/heat-check.md")
                    .with_kind("link"),
            );
            "#".to_string()
        }
    }
}

/// Image sources: site-absolute paths get the base path.
pub(crate) fn rewrite_image(dest: &str, resolver: &dyn LinkResolver) -> String {
    if dest.starts_with('/') && !dest.starts_with("//") {
        resolver.site_path(dest)
    } else {
        dest.to_string()
    }
}
