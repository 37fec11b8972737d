//! `@/` links resolved over the loaded content: `@/cards/heat.md` leads to
//! the reader's language's translation of that file (or the original when
//! there is none); `@/cards/heat.en.md` pins a language.

use super::Content;
use super::pairing::fallback_for;
use crate::config::SiteConfig;
use crate::markdown::LinkResolver;
use crate::markdown::links::ResolvedLink;

/// Resolves `@/` links for the Markdown pass.
pub struct SiteLinks<'a> {
    /// The loaded content.
    pub content: &'a Content,
    /// The site configuration (languages, base URL).
    pub config: &'a SiteConfig,
}

impl LinkResolver for SiteLinks<'_> {
    fn resolve(&self, key: &str, lang: &str) -> Option<ResolvedLink> {
        let (group, lang) = match self.content.link_keys.get(key) {
            Some(g) => (g, lang),
            None => {
                let stem = key.strip_suffix(".md")?;
                let (name, pinned) = stem.rsplit_once('.')?;
                let pinned = self.config.languages.iter().find(|l| l.code == pinned)?;
                let g = self.content.link_keys.get(&format!("{name}.md"))?;
                self.content.page_in(g, &pinned.code)?;
                (g, pinned.code.as_str())
            }
        };
        let members = self.content.groups.get(group)?;
        let target = match members.get(lang) {
            Some(&id) => id,
            // That language's file failed to load (reported there): any
            // other version would give a second, misleading error.
            None if self.failed_in(key, lang) => return None,
            // No translation (not even a stand-in): link the page of the
            // language's fallback chain.
            None => fallback_for(self.content, members, self.config, lang)?,
        };
        let page = &self.content.pages[target];
        Some(ResolvedLink {
            url: self.config.base_url.prefixed(&page.url),
            group: group.clone(),
            lang: page.lang.clone(),
        })
    }

    fn site_path(&self, path: &str) -> String {
        self.config.base_url.prefixed(path)
    }

    fn is_draft(&self, key: &str) -> bool {
        self.content.draft_link_keys.contains(key)
            || self
                .unpinned(key)
                .is_some_and(|k| self.content.draft_link_keys.contains(&k))
    }

    fn is_failed(&self, key: &str) -> bool {
        self.content.failed_link_keys.contains(key)
            || self
                .unpinned(key)
                .is_some_and(|k| self.content.failed_link_keys.contains(&k))
    }
}

impl SiteLinks<'_> {
    /// Whether the `lang` version of the file `key` names (pinned or not)
    /// failed to load.
    fn failed_in(&self, key: &str, lang: &str) -> bool {
        let key = self.unpinned(key).unwrap_or_else(|| key.to_string());
        self.content.failed_pages.contains(&(key, lang.to_string()))
    }

    /// `notes/heat.md` for a key pinned to a language (`notes/heat.de.md`).
    fn unpinned(&self, key: &str) -> Option<String> {
        key.strip_suffix(".md")
            .and_then(|stem| stem.rsplit_once('.'))
            .filter(|(_, lang)| self.config.has_language(lang))
            .map(|(name, _)| format!("{name}.md"))
    }
}
