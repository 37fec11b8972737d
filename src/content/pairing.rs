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

/// The page of a group that readers of `lang` see when it has no
/// translation in `lang`: the first language of `lang`'s fallback chain
/// with a real translation (not a stand-in), else the original.
pub fn fallback_for(
    content: &Content,
    members: &BTreeMap<String, PageId>,
    config: &SiteConfig,
    lang: &str,
) -> Option<PageId> {
    config
        .fallback_chain(lang)
        .into_iter()
        .filter_map(|code| members.get(code).copied())
        .find(|&id| content.pages[id].stand_in_for.is_none())
        .or_else(|| original_of(members, config))
}

fn add_stand_ins(content: &mut Content, config: &SiteConfig) {
    let mut new_pages = Vec::new();
    for members in content.groups.values() {
        for language in &config.languages {
            if members.contains_key(&language.code) {
                continue;
            }
            let Some(original) = fallback_for(content, members, config, &language.code) else {
                continue;
            };
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
                data_file: source.data_file.clone(),
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
    let failed: std::collections::HashSet<(&str, &str)> = content
        .failed_link_keys
        .iter()
        .filter_map(|key| {
            let file = key.strip_suffix(".md")?;
            let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
            Some((dir, super::files::split_order_prefix(name).1))
        })
        .collect();
    let mut resolved: Vec<(PageId, String, Vec<String>)> = Vec::new();
    for (id, page) in content.pages.iter().enumerate() {
        if page.stand_in_for.is_some() {
            continue;
        }
        for (field, stems, span) in &page.front.page_refs {
            // A `pages` field names pages of its own section, or of the
            // section its declaration gives.
            let target_dir = content
                .fields_of(&page.path.dir)
                .iter()
                .find(|d| &d.name == field)
                .and_then(|d| d.section.clone())
                .unwrap_or_else(|| page.path.dir.clone());
            let mut groups = Vec::new();
            for stem in stems {
                let (_, bare) = super::files::split_order_prefix(stem);
                match by_stem.get(&(target_dir.as_str(), bare)) {
                    Some(group) => groups.push(group.to_string()),
                    // The page exists but failed to load: already reported.
                    None if failed.contains(&(target_dir.as_str(), bare)) => {}
                    None => {
                        let stems_here: Vec<&str> = by_stem
                            .keys()
                            .filter(|(dir, _)| *dir == target_dir)
                            .map(|(_, s)| *s)
                            .collect();
                        let mut d = page.front_file().error(
                            span.clone(),
                            format!(
                                "`{field}` names `{stem}`, but there is no such page in {target_dir}/"
                            ),
                        );
                        d = match did_you_mean(stem, stems_here.iter().copied()) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help(format!("list file names (without language suffix and .md) of pages in {target_dir}/")),
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

/// The best page of a group for readers of `lang`: the translation, or
/// the page of its fallback chain when there is none ([`fallback_for`]).
pub fn best_in(content: &Content, config: &SiteConfig, group: &str, lang: &str) -> Option<PageId> {
    let members = content.groups.get(group)?;
    members
        .get(lang)
        .copied()
        .or_else(|| fallback_for(content, members, config, lang))
}

/// The real (non-stand-in) translations of a page's group, in site order.
pub fn translations(content: &Content, config: &SiteConfig, id: PageId) -> Vec<PageId> {
    let page = &content.pages[id];
    let mut ids: Vec<PageId> = content.groups[&page.group]
        .values()
        .copied()
        .filter(|&t| content.pages[t].stand_in_for.is_none())
        .collect();
    ids.sort_by_key(|&t| config.language_index(&content.pages[t].lang));
    ids
}

/// hreflang alternates of a page as (hreflang, site path): every real
/// translation plus `x-default` (the root language chooser for home pages
/// of a multilingual site; else the default-language page or the
/// original). Empty for stand-ins, which are no translation, and on a
/// single-language site.
pub fn alternates(content: &Content, config: &SiteConfig, id: PageId) -> Vec<(String, String)> {
    let page = &content.pages[id];
    if page.stand_in_for.is_some() || content.single_language {
        return Vec::new();
    }
    let mut out: Vec<(String, String)> = translations(content, config, id)
        .iter()
        .map(|&t| {
            let p = &content.pages[t];
            (p.lang.clone(), p.url.clone())
        })
        .collect();
    if page.kind == PageKind::Home {
        out.push(("x-default".into(), "/".into()));
    } else if let Some(default) = original_of(&content.groups[&page.group], config)
        .filter(|d| content.pages[*d].stand_in_for.is_none())
    {
        out.push(("x-default".into(), content.pages[default].url.clone()));
    }
    out
}
