//! What each output job depends on, as cheap hashes, so `serve` can tell
//! which jobs an edit may have changed without building their views.
//!
//! Every page gets two hashes: a *summary* (what other pages show of it:
//! title, URL, description, fields, date, reading time, position, the
//! section's field declarations) and a *full* hash (the summary plus
//! everything its own page shows: body, updated date, free data, template,
//! translations, links). A job's *input key* combines the full hash of its
//! page, the summaries of every page its view shows ([`ViewInputs`]), the
//! listings it shows, the site-wide data of its language (title,
//! navigation, print documents, feeds, UI strings) and its template. When the
//! input key is unchanged, the job's fingerprint is too, and the job is
//! skipped without building its view.
//!
//! [`ViewInputs`]: crate::templates::views::ViewInputs

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use super::Site;
use super::render::Job;
use crate::content::derived::DerivedKind;
use crate::content::pairing::best_in;
use crate::content::{PageId, files};
use crate::templates::views::ViewBuilder;

fn finish(hasher: DefaultHasher) -> u64 {
    hasher.finish()
}

fn hash_json(value: &serde_json::Value, hasher: &mut DefaultHasher) {
    value.to_string().hash(hasher);
}

/// The hashes an edit is compared by.
#[derive(Clone, Debug, Default)]
pub struct DepHashes {
    summary: Vec<u64>,
    full: Vec<u64>,
    listings: HashMap<(String, String), u64>,
    site: HashMap<String, u64>,
    derived: u64,
    config: u64,
}

impl Site {
    fn decl_hashes(&self) -> HashMap<&str, u64> {
        self.content
            .section_fields
            .iter()
            .map(|(dir, d)| {
                let mut h = DefaultHasher::new();
                d.hash(&mut h);
                self.content.layout_of(dir).hash(&mut h);
                self.content.section_group_by.get(dir).hash(&mut h);
                (dir.as_str(), finish(h))
            })
            .collect()
    }

    /// A listing as other pages show it: its entries' summaries in order.
    fn listing_hash(&self, summary: &[u64], dir: &str, lang: &str) -> u64 {
        let mut h = DefaultHasher::new();
        for entry in self.listings.of(dir, lang) {
            summary[entry.id].hash(&mut h);
            entry.only_in.hash(&mut h);
        }
        finish(h)
    }

    /// Brings `hashes` up to date after the texts of `pages` changed (the
    /// structure stayed). `false` when that cannot be done page by page (a
    /// page the navigation shows changed): compute them all again then.
    pub fn update_dep_hashes(&self, hashes: &mut DepHashes, pages: &[PageId]) -> bool {
        if hashes.summary.len() != self.content.pages.len() {
            return false;
        }
        let decls = self.decl_hashes();
        for &id in pages {
            let page = &self.content.pages[id];
            if page.kind == crate::content::PageKind::Home
                || !page.path.dir.contains('/') && page.kind == crate::content::PageKind::Section
            {
                return false;
            }
            let (summary, full) = self.page_hashes(id, &decls);
            hashes.summary[id] = summary;
            hashes.full[id] = full;
        }
        for &id in pages {
            let dir = self.content.pages[id].path.dir.clone();
            for language in &self.config.languages {
                let value = self.listing_hash(&hashes.summary, &dir, &language.code);
                hashes
                    .listings
                    .insert((dir.clone(), language.code.clone()), value);
            }
        }
        true
    }

    /// Computes the hashes of every page, listing and language.
    pub fn dep_hashes(&self) -> DepHashes {
        let decls = self.decl_hashes();
        let pairs: Vec<(u64, u64)> = (0..self.content.pages.len())
            .into_par_iter()
            .map(|id| self.page_hashes(id, &decls))
            .collect();
        let (summary, full): (Vec<u64>, Vec<u64>) = pairs.into_iter().unzip();
        let mut listings = HashMap::new();
        for dir in self
            .content
            .section_dirs
            .iter()
            .chain(std::iter::once(&String::new()))
        {
            for language in &self.config.languages {
                let value = self.listing_hash(&summary, dir, &language.code);
                listings.insert((dir.clone(), language.code.clone()), value);
            }
        }
        let mut config = DefaultHasher::new();
        format!("{:?}", self.config).hash(&mut config);
        let config = finish(config);
        let mut derived = DefaultHasher::new();
        for (key, urls) in &self.derived.urls {
            format!("{key:?}").hash(&mut derived);
            urls.hash(&mut derived);
        }
        // Pages link their feeds by URL and title.
        for feed in &self.derived.feeds {
            (
                &feed.url,
                &feed.dir,
                feed.title(&self.config, &self.content),
            )
                .hash(&mut derived);
        }
        let derived = finish(derived);
        let site = self
            .config
            .languages
            .iter()
            .map(|l| {
                let mut h = DefaultHasher::new();
                config.hash(&mut h);
                self.i18n.strings_hash(&l.code).hash(&mut h);
                self.i18n.ui_lang(&l.code).hash(&mut h);
                derived.hash(&mut h);
                for dir in self.content.subsections("") {
                    if let Some(id) = best_in(
                        &self.content,
                        &self.config,
                        &files::section_link_key(&dir),
                        &l.code,
                    ) {
                        summary[id].hash(&mut h);
                    }
                }
                (l.code.clone(), finish(h))
            })
            .collect();
        DepHashes {
            summary,
            full,
            listings,
            site,
            derived,
            config,
        }
    }

    /// (summary, full) of one page.
    fn page_hashes(&self, id: PageId, decls: &HashMap<&str, u64>) -> (u64, u64) {
        let page = &self.content.pages[id];
        let front = &page.front;
        let source = page.stand_in_for.unwrap_or(id);
        let rendered = &self.rendered[source];
        let mut h = DefaultHasher::new();
        front.title.hash(&mut h);
        front.description.hash(&mut h);
        page.url.hash(&mut h);
        page.lang.hash(&mut h);
        self.content.pages[source].lang.hash(&mut h);
        page.stand_in_for.is_some().hash(&mut h);
        page.kind.hash(&mut h);
        for (name, value) in &front.fields {
            name.hash(&mut h);
            hash_json(value, &mut h);
        }
        decls.get(page.path.dir.as_str()).hash(&mut h);
        self.listings.position(id).hash(&mut h);
        // Listings show the reading time, not the word count.
        rendered.word_count.div_ceil(200).max(1).hash(&mut h);
        front.date.hash(&mut h);
        let summary = finish(h.clone());
        rendered.html_hash.hash(&mut h);
        rendered.word_count.hash(&mut h);
        front.updated.hash(&mut h);
        hash_json(&front.extra, &mut h);
        front.template.hash(&mut h);
        page.path.stem.hash(&mut h);
        page.page_fields.hash(&mut h);
        page.stand_in_for
            .map(|o| &self.content.pages[o].url)
            .hash(&mut h);
        // The translations: language switcher and alternates.
        if let Some(members) = self.content.groups.get(&page.group) {
            for (lang, member) in members {
                lang.hash(&mut h);
                self.content.pages[*member].url.hash(&mut h);
                self.content.pages[*member]
                    .stand_in_for
                    .is_some()
                    .hash(&mut h);
            }
        }
        (summary, finish(h))
    }

    /// A hash of everything job reads, from `hashes` and the job's inputs:
    /// equal keys mean equal fingerprints.
    pub fn input_key(&self, views: &ViewBuilder<'_>, hashes: &DepHashes, job: Job) -> u64 {
        let mut h = DefaultHasher::new();
        hashes.config.hash(&mut h);
        let (id, lang) = match job {
            Job::Page(id) => (Some(id), self.content.pages[id].lang.clone()),
            Job::Derived(index) => match self.derived.pages.get(index) {
                Some(d) => {
                    let section = &self.content.pages[d.section];
                    format!("{:?}", d.kind).hash(&mut h);
                    d.url.hash(&mut h);
                    hashes.derived.hash(&mut h);
                    hashes
                        .listings
                        .get(&(section.path.dir.clone(), section.lang.clone()))
                        .hash(&mut h);
                    if d.kind == DerivedKind::Print {
                        // Print documents show every page's body and facts.
                        for entry in self.listings.of(&section.path.dir, &section.lang) {
                            hashes.full[entry.id].hash(&mut h);
                        }
                    }
                    (Some(d.section), section.lang.clone())
                }
                None => (None, String::new()),
            },
            Job::Chooser | Job::NotFound => {
                let lang = self.config.default_language.clone();
                let home = self.content.section_page("", &lang);
                (home, lang)
            }
        };
        format!("{job:?}").hash(&mut h);
        hashes.site.get(&lang).hash(&mut h);
        hashes.derived.hash(&mut h);
        if let Some(template) = self.template_of(job) {
            self.templates.closure_hash(&template).hash(&mut h);
            template.hash(&mut h);
        }
        if let Some(id) = id {
            hashes.full[id].hash(&mut h);
            let inputs = views.inputs(id);
            for linked in inputs.linked {
                hashes.summary[linked].hash(&mut h);
            }
            for listing in &inputs.listings {
                hashes.listings.get(listing).hash(&mut h);
            }
        }
        finish(h)
    }
}
