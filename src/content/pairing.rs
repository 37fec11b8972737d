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
pub(crate) fn build_groups(
    content: &mut Content,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) {
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
    share_fields(content, config, diagnostics);

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

/// Gives every translation the language-neutral values of its original
/// (`weight`, and declared fields that [`FieldDecl::is_shared`]) that it
/// leaves out, warns at a translation that sets another value (naming
/// both places), and reports required neutral fields that neither has.
/// Runs before stand-ins are made, so they copy the shared values too.
///
/// [`FieldDecl::is_shared`]: super::front_matter::FieldDecl::is_shared
pub(crate) fn share_fields(
    content: &mut Content,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut updates: Vec<(PageId, Option<i64>, SharedValues)> = Vec::new();
    for members in content.groups.values() {
        updates.extend(shared_values(content, members, config, diagnostics));
    }
    apply_shared(content, updates);
    for page in &content.pages {
        missing_shared(page, diagnostics);
    }
}

/// What the translations of one group take from its original (see
/// [`share_fields`]): (page, weight, field values), with the warnings.
/// Stand-ins take nothing: they are made from the shared pages.
pub(crate) fn shared_values(
    content: &Content,
    members: &BTreeMap<String, PageId>,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(PageId, Option<i64>, SharedValues)> {
    let mut updates = Vec::new();
    let Some(original) = original_of(members, config) else {
        return updates;
    };
    let from = &content.pages[original];
    for &id in members.values().filter(|&&id| id != original) {
        let page = &content.pages[id];
        if page.stand_in_for.is_some() {
            continue;
        }
        let mut weight = None;
        match (page.front.weight, from.front.weight) {
            (None, Some(w)) => weight = Some(w),
            (Some(_), None) => diagnostics.push(only_here(page, from, "weight")),
            (Some(here), Some(there)) if here != there => diagnostics.push(disagreement(
                page,
                from,
                "weight",
                &here.to_string(),
                &there.to_string(),
                "`weight` orders the page in every language: remove it here to take the original's value, or change both",
            )),
            _ => {}
        }
        let mut fields = Vec::new();
        if page.kind == PageKind::Page {
            let decls = content.fields_of(&page.path.dir);
            for decl in decls.iter().filter(|d| d.is_shared()) {
                let name = decl.name.as_str();
                match (page.front.fields.get(name), from.front.fields.get(name)) {
                    (None, Some(value)) if !page.front.invalid_fields.contains(&decl.name) => {
                        fields.push((decl.name.clone(), value.clone()));
                    }
                    (Some(_), None) => diagnostics.push(only_here(page, from, name)),
                    (Some(here), Some(there)) if here != there => {
                        diagnostics.push(disagreement(
                            page,
                            from,
                            name,
                            &shown_value(here),
                            &shown_value(there),
                            &format!("`{name}` is the same in every language: remove it here to take the original's value, or change both; if it really differs by language, declare it with `translate: true`"),
                        ));
                    }
                    _ => {}
                }
            }
        }
        if weight.is_some() || !fields.is_empty() {
            updates.push((id, weight, fields));
        }
    }
    updates
}

/// Gives translations the values [`shared_values`] found.
pub(crate) fn apply_shared(
    content: &mut Content,
    updates: Vec<(PageId, Option<i64>, SharedValues)>,
) {
    for (id, weight, fields) in updates {
        let front = &mut content.pages[id].front;
        if weight.is_some() {
            front.weight = weight;
        }
        front.fields.extend(fields);
    }
}

/// The errors for required language-neutral fields that neither a page
/// nor its original has.
pub(crate) fn missing_shared(page: &Page, diagnostics: &mut Vec<Diagnostic>) {
    for (name, missing) in &page.front.missing_shared {
        if !page.front.fields.contains_key(name) {
            diagnostics.push(missing.clone());
        }
    }
}

/// Field values a translation takes from its original.
type SharedValues = Vec<(String, serde_json::Value)>;

/// The warning for a translation whose language-neutral `name` is `here`
/// while its original says `there`, at the translation's value.
fn disagreement(
    page: &Page,
    original: &Page,
    name: &str,
    here: &str,
    there: &str,
    help: &str,
) -> Diagnostic {
    let file = page.front_file();
    let span = page.front.spans.get(name).cloned().unwrap_or(0..0);
    let original_place = match original.front.spans.get(name) {
        Some(at) => original.front_file().locate(at.clone()).location(),
        None => original.front_file().path.display().to_string(),
    };
    file.error(
        span,
        format!("`{name}` is `{here}` here, but `{there}` in the original {original_place}"),
    )
    .with_help(help)
    .with_kind("shared-field")
    .warning()
}

/// The warning for a translation that sets the language-neutral `name`
/// while its original does not: the other languages go without it.
fn only_here(page: &Page, original: &Page, name: &str) -> Diagnostic {
    let span = page.front.spans.get(name).cloned().unwrap_or(0..0);
    page.front_file()
        .error(
            span,
            format!(
                "`{name}` is set here but not in the original {}, so the other languages go without it",
                original.front_file().path.display()
            ),
        )
        .with_help("set it in the original, which every language takes it from (and remove it here)")
        .with_kind("shared-field")
        .warning()
}

/// A field value as an editor wrote it: text without quotes, lists joined.
fn shown_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().map(shown_value).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// The page a group is originally written in: the default language if it
/// exists, else the first language in site order.
pub(crate) fn original_of(group: &BTreeMap<String, PageId>, config: &SiteConfig) -> Option<PageId> {
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
pub(crate) fn fallback_for(
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
            new_pages.push(stand_in(content, original, &language.code));
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

/// The stand-in of page `original` for readers of `lang`: a copy shown
/// under that language, without URL and `pages` fields yet.
pub(crate) fn stand_in(content: &Content, original: PageId, lang: &str) -> Page {
    let source = &content.pages[original];
    Page {
        file: Arc::clone(&source.file),
        path: source.path.clone(),
        lang: lang.to_string(),
        kind: source.kind,
        front: source.front.clone(),
        body: source.body.clone(),
        url: String::new(),
        group: source.group.clone(),
        stand_in_for: Some(original),
        page_fields: BTreeMap::new(),
        data_file: source.data_file.clone(),
        line: source.line,
    }
}

/// Resolves `pages` fields to translation groups, reporting names of no
/// page. A value names a page the way an `@/` link does
/// (`@/metode/02-gradina.md`, also with a language: `….ro.md`, and
/// without `@/`), or by its file name in the field's section, with or
/// without number, language and `.md` (`02-gradina.md`, `gradina`).
pub(crate) fn resolve_page_fields(
    content: &mut Content,
    config: &SiteConfig,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let refs = PageRefs::new(content);
    let mut resolved: Vec<(PageId, BTreeMap<String, Vec<String>>)> = Vec::new();
    for (id, page) in content.pages.iter().enumerate() {
        if page.stand_in_for.is_none() && !page.front.page_refs.is_empty() {
            resolved.push((id, refs.resolve(content, config, page, diagnostics)));
        }
    }
    for (id, fields) in resolved {
        content.pages[id].page_fields.extend(fields);
    }
    // Stand-ins share their original's references.
    for id in 0..content.pages.len() {
        if let Some(original) = content.pages[id].stand_in_for {
            content.pages[id].page_fields = content.pages[original].page_fields.clone();
        }
    }
}

/// What `pages` values are resolved against: every page by (section
/// folder, stem), and the files that failed to load.
pub(crate) struct PageRefs<'a> {
    /// (section folder, stem) → (group, file name), built once so
    /// resolving stays linear.
    by_stem: HashMap<(&'a str, &'a str), (&'a str, &'a str)>,
    failed: std::collections::HashSet<(&'a str, &'a str)>,
}

impl<'a> PageRefs<'a> {
    /// Indexes the pages of `content`.
    pub(crate) fn new(content: &'a Content) -> PageRefs<'a> {
        let mut by_stem: HashMap<(&str, &str), (&str, &str)> = HashMap::new();
        for p in content.pages.iter().filter(|p| p.kind == PageKind::Page) {
            let file_name = p.path.link_key.rsplit('/').next().unwrap_or_default();
            by_stem
                .entry((p.path.dir.as_str(), p.path.stem.as_str()))
                .or_insert((p.group.as_str(), file_name));
        }
        let failed = content
            .failed_link_keys
            .iter()
            .filter_map(|key| {
                let file = key.strip_suffix(".md")?;
                let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
                Some((dir, super::files::split_order_prefix(name).1))
            })
            .collect();
        PageRefs { by_stem, failed }
    }

    /// The groups each `pages` field of `page` names, reporting names of
    /// no page.
    pub(crate) fn resolve(
        &self,
        content: &Content,
        config: &SiteConfig,
        page: &Page,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> BTreeMap<String, Vec<String>> {
        let mut resolved = BTreeMap::new();
        for (field, stems, span) in &page.front.page_refs {
            // A `pages` field names pages of its own section, or of the
            // section its declaration gives.
            let target_dir = content
                .fields_of(&page.path.dir)
                .iter()
                .find(|d| &d.name == field)
                .and_then(|d| d.section.as_deref())
                .map(|named| content.section_named(named).unwrap_or(named).to_string())
                .unwrap_or_else(|| page.path.dir.clone());
            let mut groups = Vec::new();
            for stem in stems {
                let (dir, bare) = page_ref_name(stem, &target_dir, config);
                let dir = content.section_named(&dir).unwrap_or(&dir).to_string();
                let key = match dir.as_str() {
                    "" => format!("{bare}.md"),
                    dir => format!("{dir}/{bare}.md"),
                };
                let group = match content.link_keys.get(&key) {
                    Some(group) if bare != "_index" => Some(group.as_str()),
                    _ => self
                        .by_stem
                        .get(&(dir.as_str(), super::files::split_order_prefix(&bare).1))
                        .map(|(group, _)| *group),
                };
                let (_, short) = super::files::split_order_prefix(&bare);
                match group {
                    Some(group) => groups.push(group.to_string()),
                    // The page exists but failed to load: already reported.
                    None if self.failed.contains(&(dir.as_str(), short)) => {}
                    None => {
                        diagnostics.push(self.no_such_page(page, field, stem, span, &dir, short))
                    }
                }
            }
            resolved.insert(field.clone(), groups);
        }
        resolved
    }

    /// The error for a `pages` value `stem` that names no page of `dir`,
    /// with the nearest name there.
    fn no_such_page(
        &self,
        page: &Page,
        field: &str,
        stem: &str,
        span: &std::ops::Range<usize>,
        dir: &str,
        short: &str,
    ) -> Diagnostic {
        let here: Vec<(&str, &str)> = self
            .by_stem
            .iter()
            .filter(|((d, _), _)| *d == dir)
            .map(|((_, stem), (_, file))| (*stem, *file))
            .collect();
        let d = page.front_file().error(
            span.clone(),
            format!("`{field}` names `{stem}`, but there is no such page in {dir}/"),
        );
        let near = did_you_mean(short, here.iter().map(|(stem, _)| *stem))
            .and_then(|near| here.iter().find(|(stem, _)| *stem == near));
        match near {
            Some((stem, file)) => d.with_help(format!(
                "did you mean `{file}`? (a file name as in @/ links, or without number and .md: `{stem}`)"
            )),
            None => d.with_help(format!(
                "name pages of {dir}/ by their file name as in @/ links, or without number and .md{}",
                here.iter().min().map(|(stem, file)| format!(": `{file}` or `{stem}`")).unwrap_or_default()
            )),
        }
    }
}

/// The section folder and file name (without language and `.md`) a
/// `pages` value names: `@/metode/02-gradina.ro.md` and
/// `metode/02-gradina.md` → (`metode`, `02-gradina`); `02-gradina.md` and
/// `gradina` → (`target_dir`, …).
fn page_ref_name(value: &str, target_dir: &str, config: &SiteConfig) -> (String, String) {
    let value = value.trim();
    let value = value.strip_prefix("@/").unwrap_or(value);
    let name = value.strip_suffix(".md").unwrap_or(value);
    let name = match name.rsplit_once('.') {
        Some((name, lang)) if config.has_language(lang) => name,
        _ => name,
    };
    match name.rsplit_once('/') {
        Some((dir, file)) => (dir.trim_start_matches('/').to_string(), file.to_string()),
        None => (target_dir.to_string(), name.to_string()),
    }
}

/// The best page of a group for readers of `lang`: the translation, or
/// the page of its fallback chain when there is none ([`fallback_for`]).
pub(crate) fn best_in(
    content: &Content,
    config: &SiteConfig,
    group: &str,
    lang: &str,
) -> Option<PageId> {
    let members = content.groups.get(group)?;
    members
        .get(lang)
        .copied()
        .or_else(|| fallback_for(content, members, config, lang))
}

/// The real (non-stand-in) translations of a page's group, in site order.
pub(crate) fn translations(content: &Content, config: &SiteConfig, id: PageId) -> Vec<PageId> {
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
pub(crate) fn alternates(
    content: &Content,
    config: &SiteConfig,
    id: PageId,
) -> Vec<(String, String)> {
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
