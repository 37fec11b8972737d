//! Links to pages and the lists made of them: section listings, child
//! sections, previous and next, ancestors, groups, and the pages of other
//! sections that name a page.

use std::collections::BTreeMap;

use super::ViewBuilder;
use super::facets::tone;
use super::reads::Reads;
use super::types::{GroupView, LinkView, LinkedFromView};
use crate::content::files;
use crate::content::front_matter::{FieldDecl, FieldType};
use crate::content::{PageId, PageKind};

impl<'a> ViewBuilder<'a> {
    /// A link to page `id` as seen from a page in `lang`.
    pub(super) fn link(
        &self,
        r: &Reads,
        id: PageId,
        lang: &str,
        current: Option<PageId>,
    ) -> LinkView {
        let page = self.model.summary(r, id);
        let only_in = (page.lang != lang || page.stand_in)
            .then(|| self.language_named(r, page.content_lang, lang, "only_in"));
        LinkView {
            title: page.title.to_string(),
            url: self.url(r, page.url),
            lang: page.content_lang.to_string(),
            description: page.description.map(str::to_string),
            only_in,
            current: Some(id) == current,
            number: page.number,
            fields: self.fields(r, id),
            facts: self.facts(r, id, lang),
            reading_time: page.reading_time,
            date: self.date(r, lang, page.date),
        }
    }

    /// The page's typed fields, with every declared non-`pages` field present.
    pub(super) fn fields(&self, r: &Reads, id: PageId) -> serde_json::Value {
        let page = self.model.summary(r, id);
        let mut map = serde_json::Map::new();
        for decl in self
            .model
            .section(r, page.dir)
            .fields
            .iter()
            .filter(|d| d.kind != FieldType::Pages)
        {
            map.insert(decl.name.clone(), serde_json::Value::Null);
        }
        for (name, value) in page.fields {
            map.insert(name.clone(), value.clone());
        }
        serde_json::Value::Object(map)
    }

    /// The pages of section `dir` for readers of `lang` (untranslated ones
    /// marked), only those with `filter` = (field, value) if given.
    pub(super) fn listing(
        &self,
        r: &Reads,
        dir: &str,
        lang: &str,
        current: PageId,
        filter: Option<(&str, &str)>,
    ) -> Vec<LinkView> {
        self.model
            .listing(r, dir, lang)
            .iter()
            .filter(|e| filter.is_none_or(|(field, value)| self.has_value(r, e.id, field, value)))
            .map(|e| self.link(r, e.id, lang, Some(current)))
            .collect()
    }

    /// The child sections of `dir` for readers of `lang`, in order.
    pub(super) fn child_sections(&self, r: &Reads, dir: &str, lang: &str) -> Vec<LinkView> {
        let mut ids: Vec<PageId> = self
            .model
            .subsections(r, dir)
            .iter()
            .filter_map(|d| self.model.best_in(r, &files::section_link_key(d), lang))
            .collect();
        ids.sort_by_cached_key(|&id| self.model.order_key(r, id));
        ids.into_iter()
            .map(|id| self.link(r, id, lang, None))
            .collect()
    }

    /// Previous and next page in the section of page `id`, and its number.
    pub(super) fn neighbours(
        &self,
        r: &Reads,
        id: PageId,
    ) -> (Option<LinkView>, Option<LinkView>, Option<usize>) {
        let page = self.model.summary(r, id);
        let entries = self.model.listing(r, page.dir, page.lang);
        let Some(number) = page.number else {
            return (None, None, None);
        };
        let position = number - 1;
        let previous = position
            .checked_sub(1)
            .and_then(|p| entries.get(p))
            .map(|e| self.link(r, e.id, page.lang, None));
        let next = entries
            .get(position + 1)
            .map(|e| self.link(r, e.id, page.lang, None));
        (previous, next, Some(number))
    }

    /// Parent sections of page `id` from the top, excluding home.
    pub(super) fn ancestors(&self, r: &Reads, id: PageId) -> Vec<LinkView> {
        let page = self.model.summary(r, id);
        let mut dirs = Vec::new();
        let mut dir = match page.kind {
            PageKind::Page => Some(page.dir),
            _ => files::parent_dir(page.dir),
        };
        while let Some(d) = dir {
            if d.is_empty() {
                break;
            }
            dirs.push(d);
            dir = files::parent_dir(d);
        }
        dirs.reverse();
        dirs.iter()
            .filter_map(|d| {
                self.model
                    .best_in(r, &files::section_link_key(d), page.lang)
            })
            .map(|s| self.link(r, s, page.lang, None))
            .collect()
    }

    /// The field that groups the listing of section `dir`: its `group_by`,
    /// or for the `cards` layout its first facet field.
    pub(super) fn group_field(&self, r: &Reads, dir: &str) -> Option<&'a FieldDecl> {
        let section = self.model.section(r, dir);
        match section.group_by {
            Some(name) => section.fields.iter().find(|d| d.name == name),
            None if section.layout == Some("cards") => section.fields.iter().find(|d| d.facet),
            None => None,
        }
    }

    /// The section's listing grouped by its `group_by` field (for the
    /// `cards` layout, its first facet field by default).
    pub(super) fn groups(
        &self,
        r: &Reads,
        dir: &str,
        lang: &str,
        pages: &[LinkView],
    ) -> Vec<GroupView> {
        let Some(decl) = self.group_field(r, dir) else {
            return Vec::new();
        };
        let strings = self.model.strings(r, lang);
        // Allowed values in their declared order; else values in order of
        // first appearance.
        let mut values: Vec<String> = decl.allowed.clone();
        if values.is_empty() {
            for page in pages {
                for v in crate::content::field_values(page.fields.get(&decl.name)) {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
        }
        let ungrouped: Vec<LinkView> = pages
            .iter()
            .filter(|p| {
                !values
                    .iter()
                    .any(|v| crate::content::field_has(p.fields.get(&decl.name), v))
            })
            .cloned()
            .collect();
        let mut groups: Vec<GroupView> = values
            .into_iter()
            .enumerate()
            .filter_map(|(index, value)| {
                let members: Vec<LinkView> = pages
                    .iter()
                    .filter(|p| crate::content::field_has(p.fields.get(&decl.name), &value))
                    .cloned()
                    .collect();
                if members.is_empty() {
                    return None;
                }
                Some(GroupView {
                    label: strings.value(decl, &value),
                    tone: (!decl.allowed.is_empty()).then(|| tone(index)),
                    url: decl
                        .facet
                        .then(|| self.model.facet_url(r, dir, &decl.name, &value, lang))
                        .flatten()
                        .map(|u| self.url(r, u)),
                    value,
                    pages: members,
                    ungrouped: false,
                })
            })
            .collect();
        if !ungrouped.is_empty() {
            groups.push(GroupView {
                value: String::new(),
                label: String::new(),
                tone: None,
                url: None,
                pages: ungrouped,
                ungrouped: true,
            });
        }
        groups
    }

    /// Pages of other sections whose cross-section `pages` fields name
    /// page `id`, as seen by readers of `lang`, by section folder.
    pub(super) fn linked_from(&self, r: &Reads, id: PageId, lang: &str) -> Vec<LinkedFromView> {
        let page = self.model.summary(r, id);
        let mut by_dir: BTreeMap<&str, Vec<LinkView>> = BTreeMap::new();
        let sources = self.model.backlinks(r, page.group);
        if sources.is_empty() {
            return Vec::new();
        }
        for (dir, group) in sources {
            if let Some(source) = self.model.best_in(r, group, lang) {
                by_dir
                    .entry(dir)
                    .or_default()
                    .push(self.link(r, source, lang, None));
            }
        }
        let strings = self.model.strings(r, lang);
        by_dir
            .into_iter()
            .map(|(dir, mut pages)| {
                pages.sort_by_key(|a| a.title.to_lowercase());
                let title = match strings.ui_string(&format!("linked_from.{dir}")) {
                    Some(found) => found,
                    None => self
                        .model
                        .best_in(r, &files::section_link_key(dir), lang)
                        .map(|s| self.model.summary(r, s).title.to_string())
                        .unwrap_or_else(|| dir.to_string()),
                };
                LinkedFromView {
                    section_dir: dir.to_string(),
                    title,
                    pages,
                }
            })
            .collect()
    }
}
