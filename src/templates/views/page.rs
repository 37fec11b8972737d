//! The view of one page ([`PageView`]): its own data, body and table of
//! contents, its translations (switcher, alternates, stand-in notice) and
//! what it lists. Head alternates, the language switcher and the sitemap
//! all come from the same translation graph
//! ([`crate::content::pairing`]), so they always agree.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::ViewBuilder;
use super::reads::Reads;
use super::types::{AlternateView, LinkView, PageView, SourceView, StandInView, SwitchView};
use crate::content::front_matter::{FieldDecl, FieldType};
use crate::content::{PageId, PageKind};

impl<'a> ViewBuilder<'a> {
    /// The view of one page whose listing shows only the pages with
    /// `filter` = (field, value), for facet pages.
    pub(super) fn page_view(
        &self,
        r: &Reads,
        id: PageId,
        filter: Option<(&str, &str)>,
    ) -> PageView<'a> {
        let summary = self.model.summary(r, id);
        let data = self.model.page(r, id);
        let lang = summary.lang;
        let dir = summary.dir;
        let config = self.model.config(r);
        let switcher = self.switcher(r, summary.group, lang);
        let stand_in = data.original.map(|original| {
            let original = self.model.summary(r, original);
            StandInView {
                missing: self.language_named(r, lang, lang, "stand_in.notice"),
                original: self.language_named(r, original.lang, lang, "stand_in.notice"),
                original_url: self.url(r, original.url),
            }
        });
        let canonical = match data.original {
            Some(original) => self.model.summary(r, original).url,
            None => summary.url,
        };
        let section = self.model.section(r, dir);
        let links = self.page_links(r, data.page_fields, section.fields, lang);
        let (previous, next, number) = match summary.kind {
            PageKind::Page => self.neighbours(r, id),
            _ => (None, None, None),
        };
        let (pages, subsections, groups) = match summary.kind {
            PageKind::Page => (Vec::new(), Vec::new(), Vec::new()),
            _ => {
                let pages = self.listing(r, dir, lang, id, filter);
                let groups = self.groups(r, dir, lang, &pages);
                (pages, self.child_sections(r, dir, lang), groups)
            }
        };
        let strings = self.model.strings(r, lang);
        let source = SourceView {
            path: data
                .file
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            line: data.line,
        };
        let edit_url = config
            .edit_url
            .as_ref()
            .map(|pattern| pattern.fill(&source.path, summary.content_lang, source.line));
        PageView {
            kind: summary.kind,
            title: summary.title.to_string(),
            description: summary.description,
            url: self.url(r, summary.url),
            permalink: config.base_url.absolute(summary.url),
            canonical: config.base_url.absolute(canonical),
            lang,
            content_lang: summary.content_lang,
            content: if self.fingerprint {
                Cow::Borrowed(data.html_hash)
            } else {
                self.body(r, id)
            },
            toc: data.toc,
            date: self.date(r, lang, summary.date),
            updated: self.date(r, lang, data.updated),
            word_count: data.word_count,
            reading_time: summary.reading_time,
            fields: self.fields(r, id),
            facts: self.facts(r, id, lang),
            link_labels: section
                .fields
                .iter()
                .filter(|d| d.kind == FieldType::Pages)
                .map(|d| (d.name.clone(), strings.field(d)))
                .collect(),
            links,
            linked_from: self.linked_from(r, id, lang),
            extra: data.extra,
            alternates: self.alternates(r, self.model.alternates(r, id)),
            switcher,
            stand_in,
            ancestors: self.ancestors(r, id),
            previous,
            next,
            number,
            pages,
            groups,
            subsections,
            section_dir: dir,
            layout: section.layout,
            stem: summary.stem,
            facets: match summary.kind {
                PageKind::Section => self.facets(r, dir, lang, None),
                _ => Vec::new(),
            },
            filters: match summary.kind {
                PageKind::Section => self.filters(r, dir, lang),
                _ => Vec::new(),
            },
            group: match summary.kind {
                PageKind::Page => self.group_of(r, id, lang),
                _ => None,
            },
            facet: None,
            print: Vec::new(),
            source: Some(source),
            edit_url,
        }
    }

    /// The language switcher of a page of translation group `group` in
    /// `lang` (empty on a single-language site).
    fn switcher(&self, r: &Reads, group: &str, lang: &str) -> Vec<SwitchView> {
        if self.model.single_language(r) {
            return Vec::new();
        }
        let members = self.model.members(r, group);
        self.model
            .config(r)
            .languages
            .iter()
            .map(|l| {
                let target = members.iter().find(|m| m.lang == l.code);
                let available = target.is_some_and(|t| !t.stand_in);
                SwitchView {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    url: match target {
                        Some(t) => self.url(r, t.url),
                        None => self.url(r, &self.model.home_path(r, &l.code)),
                    },
                    available,
                    stand_in: target.is_some() && !available,
                    current: l.code == lang,
                }
            })
            .collect()
    }

    /// A page's `pages` fields resolved to links in `lang`; every declared
    /// `pages` field is there, absent ones as empty lists, so templates
    /// need no `is defined` checks.
    fn page_links(
        &self,
        r: &Reads,
        page_fields: &BTreeMap<String, Vec<String>>,
        declared: &[FieldDecl],
        lang: &str,
    ) -> BTreeMap<String, Vec<LinkView>> {
        let mut links: BTreeMap<String, Vec<LinkView>> = page_fields
            .iter()
            .map(|(field, groups)| {
                let views = groups
                    .iter()
                    .filter_map(|g| self.model.best_in(r, g, lang))
                    .map(|t| self.link(r, t, lang, None))
                    .collect();
                (field.clone(), views)
            })
            .collect();
        for decl in declared {
            if decl.kind == FieldType::Pages {
                links.entry(decl.name.clone()).or_default();
            }
        }
        links
    }

    /// Absolute URLs of (hreflang, site path) pairs.
    pub(super) fn alternates(&self, r: &Reads, pairs: Vec<(String, String)>) -> Vec<AlternateView> {
        let base = &self.model.config(r).base_url;
        pairs
            .into_iter()
            .map(|(hreflang, path)| AlternateView {
                hreflang,
                href: base.absolute(&path),
            })
            .collect()
    }

    /// The body HTML of a page (its original's, for stand-ins, with its
    /// `@/` links leading where they lead from the stand-in's language).
    pub(super) fn body(&self, r: &Reads, id: PageId) -> Cow<'a, str> {
        let data = self.model.page(r, id);
        let html = self.model.raw_body(r, id);
        if data.original.is_none() {
            return html;
        }
        let lang = self.model.summary(r, id).lang;
        // The original's targets → the same links resolved for this
        // language, with the anchors that page has.
        let moved: Vec<(&str, String, &[String])> = data
            .link_targets
            .iter()
            .filter_map(|(key, target)| {
                let here = self.model.resolve(r, key, lang)?;
                let anchors = self
                    .model
                    .members(r, &here.group)
                    .iter()
                    .find(|m| m.lang == here.lang)
                    .map(|m| self.model.anchors(r, m.id))
                    .unwrap_or(&[]);
                (here.url != *target).then_some((target.as_str(), here.url, anchors))
            })
            .collect();
        if moved.is_empty() {
            return html;
        }
        let rewritten = crate::html::rewrite_links(&html, &|href| {
            moved.iter().find_map(|(from, to, anchors)| {
                let rest = href.strip_prefix(from)?;
                match rest.strip_prefix('#') {
                    None if rest.is_empty() => Some(to.clone()),
                    // An anchor of the original's language may not exist
                    // in this language's page: then the page itself.
                    Some(anchor) if anchors.iter().any(|a| a == anchor) => {
                        Some(format!("{to}{rest}"))
                    }
                    Some(_) => Some(to.clone()),
                    None => None,
                }
            })
        })
        .into_owned();
        Cow::Owned(rewritten)
    }
}
