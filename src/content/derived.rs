//! Pages derived from sections: one listing page per value of each facet
//! field (`/de/formate/kategorie/hitzevorsorge/`), and the print documents
//! that `site.yaml`'s `print` lists (`/de/print/`), each language's search
//! page (`/de/suche/`), and the Atom feeds. Their URLs are planned
//! here, before anything is rendered, so collisions with content pages are
//! found with file locations.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::Timestamp;

use super::front_matter::FieldDecl;
use super::sections::Listings;
use super::urls::section_url;
use super::{Content, PageId, PageKind};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Severity};
use crate::text::slugify;

/// The words readers of a language see for fields, their values and the
/// search page, which facet and search URLs are made from. The site's
/// labels and UI strings (`i18n::labels::Labels`) provide them; content
/// only asks, so it does not depend on the UI strings' module.
pub(crate) trait Labelling {
    /// The label of a field in `lang` (`Zielgruppe` for `audience`).
    fn field(&self, decl: &FieldDecl, lang: &str) -> String;
    /// The label of one value of a field in `lang`.
    fn value(&self, decl: &FieldDecl, value: &str, lang: &str) -> String;
    /// A UI string without placeholders that `lang` itself defines (in
    /// any layer), without falling back to another language.
    fn own_string(&self, lang: &str, key: &str) -> Option<String>;
}

/// What a derived page shows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DerivedKind {
    /// The pages of a section with one value of a facet field.
    Facet {
        /// Field name.
        field: String,
        /// Field value.
        value: String,
    },
    /// Every page of a section in one printable document.
    Print,
    /// The search page of a language (its `section` is the home page).
    Search,
}

/// One derived page in one language.
#[derive(Clone, Debug)]
pub struct DerivedPage {
    /// What it shows.
    pub kind: DerivedKind,
    /// The section page (in this language) it derives from.
    pub section: PageId,
    /// Site path.
    pub url: String,
}

/// Every derived page of the site, with each one's URLs in all languages.
#[derive(Debug, Default)]
pub struct Derived {
    /// All derived pages, in a stable order.
    pub pages: Vec<DerivedPage>,
    /// (section dir, kind) → language → site path, for alternates and the
    /// language switcher of each derived page.
    pub urls: BTreeMap<(String, DerivedKind), BTreeMap<String, String>>,
    /// Print documents: section dir → language → site path.
    pub print: BTreeMap<String, BTreeMap<String, String>>,
    /// Atom feeds: each language's, then each section's.
    pub feeds: Vec<Feed>,
    /// Languages whose pages are all stand-ins (nothing of their own to
    /// search) → the search page of the first language in their fallback
    /// chain that has one: where their readers find the text they read.
    pub search_elsewhere: BTreeMap<String, String>,
}

impl Feed {
    /// The feed's title: the site's title in its language, after the
    /// section's title for a section feed ("Formate – Drehbuch").
    pub fn title(&self, config: &SiteConfig, content: &Content) -> String {
        let site = config
            .title
            .get(&self.lang)
            .or_else(|| config.title.get(&config.default_language))
            .map(String::as_str)
            .unwrap_or("");
        match (&self.dir, self.page) {
            (Some(_), Some(page)) => format!("{} – {site}", content.pages[page].front.title),
            _ => site.to_string(),
        }
    }
}

/// An Atom feed: the newest pages of a language, or of a section (with
/// its subsections) in one language.
#[derive(Clone, Debug)]
pub struct Feed {
    /// The language of the feed and its entries.
    pub lang: String,
    /// The section folder it covers; `None` for the whole language.
    pub dir: Option<String>,
    /// The section page (or home page) the feed belongs to, if it exists.
    pub page: Option<PageId>,
    /// Site path of the feed file (`/de/atom.xml`, `/de/formate/atom.xml`).
    pub url: String,
    /// Entries, newest first, with when each page last changed.
    pub entries: Vec<(PageId, Timestamp)>,
}

impl Derived {
    /// The URLs in every language of the derived page `page`.
    pub fn urls_of(&self, content: &Content, page: &DerivedPage) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        let dir = content.pages[page.section].path.dir.clone();
        self.urls.get(&(dir, page.kind.clone())).unwrap_or(&EMPTY)
    }

    /// The feeds a page in `lang` and folder `dir` links: the language's
    /// feed and the feed of the nearest section around `dir`.
    pub fn feeds_for(&self, lang: &str, dir: &str) -> Vec<&Feed> {
        let mut out: Vec<&Feed> = self
            .feeds
            .iter()
            .filter(|f| f.lang == lang && f.dir.is_none())
            .collect();
        let mut current = Some(dir).filter(|d| !d.is_empty());
        while let Some(d) = current {
            if let Some(feed) = self
                .feeds
                .iter()
                .find(|f| f.lang == lang && f.dir.as_deref() == Some(d))
            {
                out.push(feed);
                break;
            }
            current = d.rsplit_once('/').map(|(parent, _)| parent);
        }
        out
    }

    /// The URL of the search page that readers of `lang` use, if the site
    /// has search: the language's own, or one in its fallback chain when
    /// the language has no pages of its own.
    pub fn search_url(&self, lang: &str) -> Option<&str> {
        self.urls
            .get(&(String::new(), DerivedKind::Search))
            .and_then(|by_lang| by_lang.get(lang))
            .or_else(|| self.search_elsewhere.get(lang))
            .map(String::as_str)
    }

    /// The URL of a facet value's page in `lang`, if there is one.
    pub fn facet_url(&self, dir: &str, field: &str, value: &str, lang: &str) -> Option<&str> {
        self.urls
            .get(&(
                dir.to_string(),
                DerivedKind::Facet {
                    field: field.to_string(),
                    value: value.to_string(),
                },
            ))
            .and_then(|by_lang| by_lang.get(lang))
            .map(String::as_str)
    }
}

/// Plans every derived page. Problems (a `print` entry that names no
/// section) are returned as diagnostics.
pub(crate) fn plan(
    config: &SiteConfig,
    content: &Content,
    listings: &Listings,
    labels: &dyn Labelling,
) -> (Derived, Vec<Diagnostic>) {
    let mut derived = Derived::default();
    plan_facets(&mut derived, content, listings, labels);
    let errors = plan_print(&mut derived, config, content);
    if config.search {
        plan_search(&mut derived, config, content, labels);
    }
    derived.feeds = plan_feeds(config, content);
    (derived, errors)
}

impl Derived {
    /// Adds derived page `kind` of section `section` (folder `dir`) in
    /// `lang` at `url`.
    fn add(&mut self, dir: &str, kind: DerivedKind, section: PageId, lang: &str, url: String) {
        self.urls
            .entry((dir.to_string(), kind.clone()))
            .or_default()
            .insert(lang.to_string(), url.clone());
        self.pages.push(DerivedPage { kind, section, url });
    }
}

/// One listing page per used value of each facet field of each section
/// in each language.
fn plan_facets(
    derived: &mut Derived,
    content: &Content,
    listings: &Listings,
    labels: &dyn Labelling,
) {
    for (id, page) in content.pages.iter().enumerate() {
        if page.kind != PageKind::Section || page.stand_in_for.is_some() {
            continue;
        }
        let dir = page.path.dir.as_str();
        for decl in content.fields_of(dir).iter().filter(|d| d.facet) {
            let field_slug = content.slug(&labels.field(decl, &page.lang), &page.lang);
            // Only values some page of this language's listing has (its
            // own pages and the originals it lists for missing
            // translations): an empty listing would be a dead end.
            let members = listings.of(dir, &page.lang);
            let used: BTreeSet<String> = members
                .iter()
                .flat_map(|e| super::field_values(content.pages[e.id].front.fields.get(&decl.name)))
                .collect();
            for value in decl.allowed.iter().filter(|v| used.contains(*v)) {
                let value_slug = content.slug(&labels.value(decl, value, &page.lang), &page.lang);
                let url = format!(
                    "{}{}/{}/",
                    section_url(content, dir, &page.lang),
                    nonempty(field_slug.clone(), &decl.name),
                    nonempty(value_slug, value)
                );
                let kind = DerivedKind::Facet {
                    field: decl.name.clone(),
                    value: value.clone(),
                };
                derived.add(dir, kind, id, &page.lang, url);
            }
        }
    }
}

/// The print documents `site.yaml`'s `print` lists, in every language the
/// section has; an error for an entry that names no section.
fn plan_print(derived: &mut Derived, config: &SiteConfig, content: &Content) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (index, named) in config.print.iter().enumerate() {
        let dir = &content
            .section_named(named)
            .unwrap_or(named.as_str())
            .to_string();
        let languages: Vec<(String, PageId)> = config
            .languages
            .iter()
            .filter_map(|l| {
                content
                    .section_page(dir, &l.code)
                    .filter(|&id| content.pages[id].stand_in_for.is_none())
                    .map(|id| (l.code.clone(), id))
            })
            .collect();
        if languages.is_empty() {
            let message =
                format!("`print` names `{named}`, which is no section folder with an _index file");
            let d = match config.print_at.get(index) {
                Some(at) => at.saying(Severity::Error, message),
                None => Diagnostic::file_error(Path::new("site.yaml"), message),
            };
            let help = match crate::diagnostics::did_you_mean(
                named,
                content.section_names().iter().map(String::as_str),
            ) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "list sections (folders under content/ with an _index.<lang>.md): {}",
                    content.section_names().join(", ")
                ),
            };
            errors.push(d.with_help(help));
            continue;
        }
        for (lang, id) in languages {
            let url = print_url(content, index, dir, &lang);
            derived
                .print
                .entry(dir.clone())
                .or_default()
                .insert(lang.clone(), url.clone());
            derived.add(dir, DerivedKind::Print, id, &lang, url);
        }
    }
    errors
}

/// The search page of every language that has a home page of its own;
/// the other languages search in their fallback language's.
fn plan_search(
    derived: &mut Derived,
    config: &SiteConfig,
    content: &Content,
    labels: &dyn Labelling,
) {
    for lang in &config.languages {
        let Some(home) = content
            .section_page("", &lang.code)
            .filter(|&id| content.pages[id].stand_in_for.is_none())
        else {
            continue;
        };
        // Only the language's own `search.slug`, never another language's
        // through the fallback chain: the URL stays when strings are added.
        let slug = labels
            .own_string(&lang.code, "search.slug")
            .map(|s| content.slug(&s, &lang.code))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "search".into());
        let url = format!("{}{slug}/", content.home_path(&lang.code));
        derived.add("", DerivedKind::Search, home, &lang.code, url);
    }
    let own = derived
        .urls
        .get(&(String::new(), DerivedKind::Search))
        .cloned()
        .unwrap_or_default();
    for lang in &config.languages {
        if own.contains_key(&lang.code) {
            continue;
        }
        let fallback = config
            .fallback_chain(&lang.code)
            .into_iter()
            .find_map(|other| own.get(other));
        if let Some(url) = fallback {
            derived
                .search_elsewhere
                .insert(lang.code.clone(), url.clone());
        }
    }
}

/// Plans the Atom feeds: per language, the newest pages that have a date
/// ([`Content::last_change`]); per section, the newest of its folder and
/// subfolders. Rows of a data section are in their section's feed, and in
/// the language's (and the enclosing sections') only when the section's
/// `_index` says `feed: true`: a table of actors is reference, not news,
/// and its rows would crowd out the written pages. Pages without any date
/// are left out; a feed without entries is not written. Stand-ins are
/// copies, not new pages.
fn plan_feeds(config: &SiteConfig, content: &Content) -> Vec<Feed> {
    let settings = &config.feeds;
    if !settings.enabled {
        return Vec::new();
    }
    // Sections whose `_index` (in any language) says `feed: false`.
    let off: BTreeSet<&str> = content
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Section && p.front.feed == Some(false))
        .map(|p| p.path.dir.as_str())
        .collect();
    // Data sections whose `_index` (in any language) says `feed: true`.
    let rows_in_all_feeds: BTreeSet<&str> = content
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Section && p.front.feed == Some(true))
        .map(|p| p.path.dir.as_str())
        .collect();
    let is_row = |page: &super::Page| page.data_file.is_some();
    let in_feeds = |dir: &str| {
        !off.iter()
            .any(|o| dir == *o || (dir.starts_with(o) && dir[o.len()..].starts_with('/')))
    };
    let mut dated: Vec<(PageId, Timestamp)> = content
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.kind == PageKind::Page && p.stand_in_for.is_none() && in_feeds(&p.path.dir)
        })
        .filter_map(|(id, _)| Some((id, content.last_change(id)?)))
        .collect();
    // Newest first; equal times in URL order, so builds are reproducible.
    dated.sort_by(|(a, ta), (b, tb)| {
        tb.cmp(ta)
            .then_with(|| content.pages[*a].url.cmp(&content.pages[*b].url))
    });
    // (language, section folder or None for the whole language) → entries.
    type Scope = (String, Option<String>);
    let mut by_scope: BTreeMap<Scope, Vec<(PageId, Timestamp)>> = BTreeMap::new();
    for &(id, time) in &dated {
        let page = &content.pages[id];
        // A row stays in its own section's feed unless its section opts in.
        let row_only = is_row(page) && !rows_in_all_feeds.contains(page.path.dir.as_str());
        let mut scopes = Vec::new();
        if !row_only {
            scopes.push(None);
        }
        if settings.sections {
            let mut dir = Some(page.path.dir.as_str()).filter(|d| !d.is_empty());
            while let Some(d) = dir {
                scopes.push(Some(d.to_string()));
                dir = d.rsplit_once('/').map(|(parent, _)| parent);
                if row_only {
                    break;
                }
            }
        }
        for scope in scopes {
            let entries = by_scope.entry((page.lang.clone(), scope)).or_default();
            if entries.len() < settings.entries {
                entries.push((id, time));
            }
        }
    }
    let mut feeds: Vec<Feed> = by_scope
        .into_iter()
        .filter_map(|((lang, dir), entries)| {
            let (page, url) = match &dir {
                None => (
                    content.section_page("", &lang),
                    format!("{}atom.xml", content.home_path(&lang)),
                ),
                Some(d) => {
                    let page = content
                        .section_page(d, &lang)
                        .filter(|&id| content.pages[id].stand_in_for.is_none())?;
                    (Some(page), format!("{}atom.xml", content.pages[page].url))
                }
            };
            Some(Feed {
                lang,
                dir,
                page,
                url,
                entries,
            })
        })
        .collect();
    // Each language's own feed first, in the site's language order.
    feeds.sort_by(|a, b| {
        (config.language_index(&a.lang), a.dir.is_some(), &a.url).cmp(&(
            config.language_index(&b.lang),
            b.dir.is_some(),
            &b.url,
        ))
    });
    feeds
}

fn nonempty(slug: String, fallback: &str) -> String {
    if slug.is_empty() {
        slugify(fallback)
    } else {
        slug
    }
}

/// Site path of a print document: the first of `site.yaml`'s `print`
/// sections at `/<lang>/print/`, the others at `/<lang>/print/<slug>/`.
fn print_url(content: &Content, index: usize, dir: &str, lang: &str) -> String {
    let home = content.home_path(lang);
    if index == 0 {
        return format!("{home}print/");
    }
    let section = section_url(content, dir, lang);
    let last = section
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(dir);
    format!("{home}print/{last}/")
}
