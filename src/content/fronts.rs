//! Front-matter edits taken in place: an edit of existing pages' front
//! matter that keeps the site's structure (same translation groups, URLs
//! and stand-ins) changes only the pages of the edited pages' translation
//! groups. Sharing language-neutral values, stand-ins and `pages` fields
//! are worked out again for those groups alone, the way the whole
//! assembly ([`super::cache::ContentCache::load`]) works them out, so
//! the result is the content a full load would give.
//!
//! Only clean groups are taken: when the content stage reported a problem
//! in one of the groups' files, or working the groups out finds one,
//! [`Content::replace_fronts`] declines and the caller loads the whole
//! content, whose diagnostics are then complete.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::pairing::{self, PageRefs};
use super::{Content, Page, PageId};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

/// The pages of the groups a front-matter edit touched, as they were
/// before it ([`Content::replace_fronts`]).
pub(crate) struct Replaced {
    /// Every page of the touched groups (stand-ins too), by id.
    pub(crate) before: Vec<(PageId, Page)>,
}

impl Replaced {
    /// The ids of the touched pages.
    pub(crate) fn ids(&self) -> impl Iterator<Item = PageId> + '_ {
        self.before.iter().map(|(id, _)| *id)
    }
}

impl Content {
    /// Takes in `edited`, existing pages parsed again from their files
    /// (before pairing), in place. `parsed` gives the parsed page of any
    /// other file (see [`super::ContentCache::parsed_page`]); `problems`
    /// are the content stage's diagnostics so far. Returns the pages the
    /// edit touched as they were, or `None` when the edit needs the whole
    /// assembly: a page would change group, URL, draft state or stand-in
    /// source, or a touched group has or gets a diagnostic; the content is
    /// then as it was.
    pub(crate) fn replace_fronts(
        &mut self,
        config: &SiteConfig,
        edited: Vec<Page>,
        parsed: &dyn Fn(&Path) -> Option<Page>,
        problems: &[Diagnostic],
        drafts: bool,
    ) -> Option<Replaced> {
        // The edited pages and the groups they are in.
        let mut fresh: BTreeMap<PageId, Page> = BTreeMap::new();
        for page in edited {
            let id = self
                .pages
                .iter()
                .position(|p| p.stand_in_for.is_none() && p.file.path == page.file.path)?;
            let old = &self.pages[id];
            let same_place = old.data_file.is_none()
                && old.lang == page.lang
                && old.kind == page.kind
                && old.path.link_key == page.path.link_key
                && old.front.translation_key == page.front.translation_key
                && old.front.slug == page.front.slug
                && (drafts || !page.front.draft);
            if !same_place {
                return None;
            }
            fresh.insert(id, page);
        }
        let groups: BTreeSet<String> = fresh
            .keys()
            .map(|&id| self.pages[id].group.clone())
            .collect();
        let mut ids: Vec<PageId> = groups
            .iter()
            .flat_map(|g| self.groups[g].values().copied())
            .collect();
        ids.sort_unstable();
        let files: BTreeSet<&Path> = ids
            .iter()
            .map(|&id| self.pages[id].file.path.as_path())
            .collect();
        if problems
            .iter()
            .any(|d| d.path.as_deref().is_some_and(|p| files.contains(p)))
        {
            return None;
        }
        let before: Vec<(PageId, Page)> =
            ids.iter().map(|&id| (id, self.pages[id].clone())).collect();
        if self.rework_groups(config, &ids, &groups, fresh, parsed) {
            Some(Replaced { before })
        } else {
            for (id, page) in before {
                self.pages[id] = page;
            }
            None
        }
    }

    /// Puts the parsed pages of `ids` (the pages of `groups`) in place and
    /// works out what the assembly adds to them; `false` when the edit
    /// needs the whole assembly after all.
    fn rework_groups(
        &mut self,
        config: &SiteConfig,
        ids: &[PageId],
        groups: &BTreeSet<String>,
        mut fresh: BTreeMap<PageId, Page>,
        parsed: &dyn Fn(&Path) -> Option<Page>,
    ) -> bool {
        // Every real page of the groups as parsed, in the place the full
        // assembly gave it.
        for &id in ids {
            let old = &self.pages[id];
            if old.stand_in_for.is_some() {
                continue;
            }
            let Some(mut page) = fresh.remove(&id).or_else(|| parsed(&old.file.path)) else {
                return false;
            };
            page.url = old.url.clone();
            page.group = old.group.clone();
            page.stand_in_for = None;
            page.page_fields = BTreeMap::new();
            self.pages[id] = page;
        }

        let mut diagnostics = Vec::new();
        for group in groups {
            let real: BTreeMap<String, PageId> = self.groups[group]
                .iter()
                .filter(|(_, id)| self.pages[**id].stand_in_for.is_none())
                .map(|(lang, id)| (lang.clone(), *id))
                .collect();
            let shared = pairing::shared_values(self, &real, config, &mut diagnostics);
            pairing::apply_shared(self, shared);
            for &id in real.values() {
                pairing::missing_shared(&self.pages[id], &mut diagnostics);
            }
            // Stand-ins: copies of their source page as it is now.
            let stand_ins: Vec<(PageId, String)> = self.groups[group]
                .iter()
                .filter(|(_, id)| self.pages[**id].stand_in_for.is_some())
                .map(|(lang, id)| (*id, lang.clone()))
                .collect();
            for (id, lang) in stand_ins {
                let source = pairing::fallback_for(self, &real, config, &lang);
                let Some(source) = source.filter(|&s| self.pages[id].stand_in_for == Some(s))
                else {
                    return false;
                };
                let mut page = pairing::stand_in(self, source, &lang);
                page.url = std::mem::take(&mut self.pages[id].url);
                self.pages[id] = page;
            }
        }
        // `pages` fields, against the whole site.
        if ids
            .iter()
            .any(|&id| !self.pages[id].front.page_refs.is_empty())
        {
            let refs = PageRefs::new(self);
            let resolved: Vec<(PageId, BTreeMap<String, Vec<String>>)> = ids
                .iter()
                .filter(|&&id| self.pages[id].stand_in_for.is_none())
                .map(|&id| {
                    (
                        id,
                        refs.resolve(self, config, &self.pages[id], &mut diagnostics),
                    )
                })
                .collect();
            for (id, fields) in resolved {
                self.pages[id].page_fields = fields;
            }
            for &id in ids {
                if let Some(original) = self.pages[id].stand_in_for {
                    self.pages[id].page_fields = self.pages[original].page_fields.clone();
                }
            }
        }
        diagnostics.is_empty()
    }
}
