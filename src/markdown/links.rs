//! Links: `@/cards/heat-check.md#steps` points at a content file and is
//! resolved to the same language's translation of it, through the site's
//! [`LinkResolver`]. The [`passes::links`](super::passes::links) pass
//! rewrites them; anchors are checked once every page is rendered.

use std::ops::Range;

use crate::diagnostics::Diagnostic;

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

/// What an `@/` link resolves to now: the URL without anchor, or why it
/// leads nowhere (`#failed`, `#draft`, `#missing`). Incremental rebuilds
/// compare it with the value recorded at render time to know whether a
/// page must be rendered again.
pub fn written_target(key: &str, lang: &str, resolver: &dyn LinkResolver) -> String {
    written(resolver.resolve(key, lang).as_ref(), key, resolver)
}

/// [`written_target`] for a link already resolved.
pub(crate) fn written(
    resolved: Option<&ResolvedLink>,
    key: &str,
    resolver: &dyn LinkResolver,
) -> String {
    match resolved {
        Some(link) => link.url.clone(),
        None if resolver.is_failed(key) => "#failed".to_string(),
        None if resolver.is_draft(key) => "#draft".to_string(),
        None => "#missing".to_string(),
    }
}
