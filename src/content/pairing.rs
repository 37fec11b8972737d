//! Translation groups: which files are the same page in different languages.
//! Files pair by path (`cards/heat.de.md` ↔ `cards/heat.en.md`) or by an
//! explicit `translation_key`. With `untranslated: render`, a missing
//! translation gets a stand-in page that renders the original.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{Content, Page, PageId, PageKind};
use crate::config::{SiteConfig, Untranslated};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// Fills `content.groups` and `content.link_keys`, reports two files that
/// claim the same language of one group, and adds stand-ins when the site
/// renders untranslated pages.
pub fn build_groups(content: &mut Content, config: &SiteConfig, diagnostics: &mut Vec<Diagnostic>) {
    for page in content.pages.iter_mut() {
        page.group = match &page.front.translation_key {
            Some(key) if page.kind == PageKind::Page => format!("key:{}/{key}", page.path.dir),
            _ => page.path.link_key.clone(),
        };
    }
    let mut groups: BTreeMap<String, BTreeMap<String, PageId>> = BTreeMap::new();
    let mut duplicates = Vec::new();
    for (id, page) in content.pages.iter().enumerate() {
        content
            .link_keys
            .insert(page.path.link_key.clone(), page.group.clone());
        let members = groups.entry(page.group.clone()).or_default();
        match members.get(&page.lang) {
            Some(&first) => {
                diagnostics.push(duplicate_translation(&content.pages[first], page));
                duplicates.push(id);
            }
            None => {
                members.insert(page.lang.clone(), id);
            }
        }
    }
    if !duplicates.is_empty() {
        // Drop the second file of a duplicate pair; the build fails anyway,
        // but later stages can still report everything else.
        let mut id = 0;
        content.pages.retain(|_| {
            id += 1;
            !duplicates.contains(&(id - 1))
        });
        groups.clear();
        for (id, page) in content.pages.iter().enumerate() {
            groups
                .entry(page.group.clone())
                .or_default()
                .insert(page.lang.clone(), id);
        }
    }
    content.groups = groups;

    if config.untranslated == Untranslated::Render {
        add_stand_ins(content, config);
    }
}

fn duplicate_translation(first: &Page, second: &Page) -> Diagnostic {
    Diagnostic::file_error(
        &second.file.path,
        format!(
            "this file and {} are both the `{}` version of the same page",
            first.file.path.display(),
            second.lang
        ),
    )
    .with_help("give one of them another language suffix, or a different `translation_key`")
}

/// The page a group is originally written in: the default language if it
/// exists, else the first language in site order.
pub fn original_of(group: &BTreeMap<String, PageId>, config: &SiteConfig) -> Option<PageId> {
    group
        .iter()
        .min_by_key(|(lang, _)| {
            if **lang == config.default_language {
                0
            } else {
                1 + config.language_index(lang)
            }
        })
        .map(|(_, &id)| id)
}

fn add_stand_ins(content: &mut Content, config: &SiteConfig) {
    let mut new_pages = Vec::new();
    for members in content.groups.values() {
        let Some(original) = original_of(members, config) else {
            continue;
        };
        for language in &config.languages {
            if members.contains_key(&language.code) {
                continue;
            }
            let source = &content.pages[original];
            new_pages.push(Page {
                file: Arc::clone(&source.file),
                path: source.path.clone(),
                lang: language.code.clone(),
                kind: source.kind,
                front: source.front.clone(),
                body: source.body.clone(),
                url: String::new(),
                group: source.group.clone(),
                stand_in_for: Some(original),
                page_fields: BTreeMap::new(),
            });
        }
    }
    for page in new_pages {
        let id = content.pages.len();
        content
            .groups
            .entry(page.group.clone())
            .or_default()
            .insert(page.lang.clone(), id);
        content.pages.push(page);
    }
}

/// Resolves `pages` fields (file stems of the same section) to translation
/// groups, reporting stems that name no page.
pub fn resolve_page_fields(content: &mut Content, diagnostics: &mut Vec<Diagnostic>) {
    // (section folder, stem) → group, built once so resolving stays linear.
    let mut by_stem: HashMap<(&str, &str), &str> = HashMap::new();
    for p in content.pages.iter().filter(|p| p.kind == PageKind::Page) {
        by_stem
            .entry((p.path.dir.as_str(), p.path.stem.as_str()))
            .or_insert(p.group.as_str());
    }
    let mut resolved: Vec<(PageId, String, Vec<String>)> = Vec::new();
    for (id, page) in content.pages.iter().enumerate() {
        if page.stand_in_for.is_some() {
            continue;
        }
        for (field, stems, span) in &page.front.page_refs {
            let mut groups = Vec::new();
            for stem in stems {
                let (_, bare) = super::files::split_order_prefix(stem);
                match by_stem.get(&(page.path.dir.as_str(), bare)) {
                    Some(group) => groups.push(group.to_string()),
                    None => {
                        let stems_here: Vec<&str> = by_stem
                            .keys()
                            .filter(|(dir, _)| *dir == page.path.dir)
                            .map(|(_, s)| *s)
                            .collect();
                        let mut d = page.file.error(
                            span.clone(),
                            format!(
                                "`{field}` names `{stem}`, but there is no such page in {}/",
                                page.path.dir
                            ),
                        );
                        d = match did_you_mean(stem, stems_here.iter().copied()) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help("list file names (without language suffix and .md) of pages in the same section"),
                        };
                        diagnostics.push(d);
                    }
                }
            }
            resolved.push((id, field.clone(), groups));
        }
    }
    for (id, field, groups) in resolved {
        content.pages[id].page_fields.insert(field, groups);
    }
    // Stand-ins share their original's references.
    for id in 0..content.pages.len() {
        if let Some(original) = content.pages[id].stand_in_for {
            content.pages[id].page_fields = content.pages[original].page_fields.clone();
        }
    }
}
