//! Section listings: which pages a section shows to readers of each
//! language, in order, with untranslated originals marked (`untranslated:
//! link`), and each page's position (chapter numbers, previous/next).
//! Built once per build in O(pages · languages).

use std::collections::HashMap;

use super::pairing::fallback_for;
use super::{Content, PageId, PageKind};
use crate::config::{SiteConfig, Untranslated};

/// One entry of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The page shown.
    pub id: PageId,
    /// Set when the page is the original shown because the reader's
    /// language has no translation.
    pub only_in: bool,
}

/// The listings of every section in every language.
#[derive(Debug, Default)]
pub struct Listings {
    /// (section dir, lang) → entries in reading order.
    by_section: HashMap<(String, String), Vec<Entry>>,
    /// Page → its position in its own language's listing (0-based).
    positions: HashMap<PageId, usize>,
}

impl Listings {
    /// Orders every section's pages for every language.
    pub fn new(config: &SiteConfig, content: &Content) -> Listings {
        let mut by_dir: HashMap<&str, Vec<&str>> = HashMap::new();
        for (group, members) in &content.groups {
            if let Some(&any) = members.values().next()
                && content.pages[any].kind == PageKind::Page
            {
                by_dir
                    .entry(content.pages[any].path.dir.as_str())
                    .or_default()
                    .push(group.as_str());
            }
        }
        let mut by_section = HashMap::new();
        let mut positions = HashMap::new();
        for (dir, groups) in by_dir {
            for language in &config.languages {
                let lang = language.code.as_str();
                let mut entries: Vec<Entry> = Vec::new();
                for group in &groups {
                    let members = &content.groups[*group];
                    match members.get(lang) {
                        Some(&id) => entries.push(Entry { id, only_in: false }),
                        None if config.untranslated == Untranslated::Link => {
                            if let Some(original) = fallback_for(content, members, config, lang) {
                                entries.push(Entry {
                                    id: original,
                                    only_in: true,
                                });
                            }
                        }
                        None => {}
                    }
                }
                entries.sort_by_cached_key(|e| content.order_key(e.id));
                for (position, entry) in entries.iter().enumerate() {
                    if !entry.only_in {
                        positions.insert(entry.id, position);
                    }
                }
                by_section.insert((dir.to_string(), lang.to_string()), entries);
            }
        }
        Listings {
            by_section,
            positions,
        }
    }

    /// Orders the listings of the section folders `dirs` again, in every
    /// language, after front matter of their pages changed (title,
    /// weight) while the pages stayed the same. The order key is total
    /// (it ends with the file), so this gives what [`Listings::new`] would.
    /// Returns the pages whose position changed.
    pub fn reorder<'a>(
        &mut self,
        config: &SiteConfig,
        content: &Content,
        dirs: impl IntoIterator<Item = &'a str>,
    ) -> Vec<PageId> {
        let mut moved = Vec::new();
        for dir in dirs {
            for language in &config.languages {
                let key = (dir.to_string(), language.code.clone());
                let Some(entries) = self.by_section.get_mut(&key) else {
                    continue;
                };
                entries.sort_by_cached_key(|e| content.order_key(e.id));
                for (position, entry) in entries.iter().enumerate() {
                    if !entry.only_in && self.positions.insert(entry.id, position) != Some(position)
                    {
                        moved.push(entry.id);
                    }
                }
            }
        }
        moved
    }

    /// The pages whose position differs between `self` and `other`
    /// (listings of the same pages).
    pub fn moved(&self, other: &Listings) -> Vec<PageId> {
        let mut moved: Vec<PageId> = self
            .positions
            .iter()
            .filter(|(id, position)| other.positions.get(id) != Some(position))
            .map(|(id, _)| *id)
            .chain(
                other
                    .positions
                    .keys()
                    .filter(|id| !self.positions.contains_key(id))
                    .copied(),
            )
            .collect();
        moved.sort_unstable();
        moved
    }

    /// The pages of section `dir` for readers of `lang`.
    pub fn of(&self, dir: &str, lang: &str) -> &[Entry] {
        self.by_section
            .get(&(dir.to_string(), lang.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// A page's position in its section (0-based), if it is listed.
    pub fn position(&self, id: PageId) -> Option<usize> {
        self.positions.get(&id).copied()
    }
}
