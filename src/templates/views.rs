//! View structs: the only data templates see. They are built from the
//! checked content, the rendered Markdown and the listings, borrow where
//! they can, and are serialized per page. Head alternates, the language
//! switcher and the sitemap all come from the same translation graph
//! ([`crate::content::pairing`]), so they always agree. Field values reach
//! templates with their labels ([`FactView`]), so a theme shows any
//! declared field without knowing its name.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::derived::{Derived, DerivedKind, DerivedPage};
use crate::content::front_matter::{Date, FieldDecl, FieldType};
use crate::content::pairing::{self, best_in};
use crate::content::rendered::Rendered;
use crate::content::sections::Listings;
use crate::content::{Content, PageId, PageKind, files};
use crate::i18n::I18n;
use crate::i18n::labels::Labels;
use crate::markdown::{RenderedMarkdown, TocEntry};
use crate::templates::print::PrintPart;

/// A language as templates see it.
#[derive(Clone, Debug, Serialize)]
pub struct LanguageView {
    /// BCP 47 code.
    pub code: String,
    /// Its own name ("Deutsch").
    pub name: String,
    /// URL of its home page.
    pub home: String,
}

/// One value of a field with its label.
#[derive(Clone, Debug, Serialize)]
pub struct ValueView {
    /// The value as written in front matter (`schools`).
    pub value: String,
    /// Its label in the page's language (`Schulen`).
    pub label: String,
    /// The value's listing page, for facet fields.
    pub url: Option<String>,
    /// A colour tone 1–6 from the value's place among the allowed values,
    /// so themes can tell values apart without knowing them.
    pub tone: Option<usize>,
}

/// A declared field of a page with its label and its labelled values.
#[derive(Clone, Debug, Serialize)]
pub struct FactView {
    /// Field name (`audience`).
    pub name: String,
    /// Its label (`Zielgruppe`).
    pub label: String,
    /// The field's type (`string`, `list`, `integer`, …).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its values (one for single-valued fields).
    pub values: Vec<ValueView>,
    /// For fields with `allowed` values: the name the search index files
    /// its values under (the label, without the `:` Pagefind's filter
    /// syntax reserves), so readers can search within them.
    pub search_filter: Option<String>,
}

/// A link to another page, for navigation and listings.
#[derive(Clone, Debug, Serialize)]
pub struct LinkView {
    /// Title of the target.
    pub title: String,
    /// URL (with base path).
    pub url: String,
    /// Language of the target page.
    pub lang: String,
    /// Description of the target, if any.
    pub description: Option<String>,
    /// Set when the target is not available in the current language and
    /// links the original instead: the language it is written in.
    pub only_in: Option<LanguageView>,
    /// Whether this is the page being rendered (or one of its ancestors).
    pub current: bool,
    /// Position in its section (1-based), e.g. chapter numbers.
    pub number: Option<usize>,
    /// The target's typed section fields (raw values).
    pub fields: serde_json::Value,
    /// The target's fields with labels, in declaration order.
    pub facts: Vec<FactView>,
    /// Reading time of the target in minutes.
    pub reading_time: usize,
    /// Publication date of the target.
    pub date: Option<DateView>,
}

/// One entry of the language switcher.
#[derive(Clone, Debug, Serialize)]
pub struct SwitchView {
    /// Language code.
    pub code: String,
    /// Language name.
    pub name: String,
    /// The translation, or the language's home when there is none.
    pub url: String,
    /// Whether a translation of this page exists in that language.
    pub available: bool,
    /// Whether `url` is a copy of the original shown in that language
    /// (`untranslated: render`) rather than the language's home.
    pub stand_in: bool,
    /// Whether this is the page's own language.
    pub current: bool,
}

/// A `<link rel="alternate" hreflang>` entry.
#[derive(Clone, Debug, Serialize)]
pub struct AlternateView {
    /// Language code, or `x-default`.
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

/// A date with its ISO form and its localized display.
#[derive(Clone, Debug, Serialize)]
pub struct DateView {
    /// `2026-11-27`.
    pub iso: String,
    /// `27. November 2026`.
    pub display: String,
}

/// Notice data for a page shown in a language it is not written in.
#[derive(Clone, Debug, Serialize)]
pub struct StandInView {
    /// The page's own language, the one the content is missing in.
    pub missing: LanguageView,
    /// Language the content is written in.
    pub original: LanguageView,
    /// URL of the original page.
    pub original_url: String,
}

/// The value a facet listing page shows.
#[derive(Clone, Debug, Serialize)]
pub struct FacetView {
    /// Field name (`category`).
    pub field: String,
    /// The field's label (`Kategorie`).
    pub field_label: String,
    /// Field value (`heat`).
    pub value: String,
    /// The value's label (`Hitzevorsorge`).
    pub value_label: String,
    /// URL of the unfiltered section page.
    pub section_url: String,
    /// Title of the unfiltered section page.
    pub section_title: String,
}

/// One selectable value of a facet, for filter navigation.
#[derive(Clone, Debug, Serialize)]
pub struct FacetValueView {
    /// Field value.
    pub value: String,
    /// Its label.
    pub label: String,
    /// URL of its listing page.
    pub url: String,
    /// Pages with this value in the listing.
    pub count: usize,
    /// Whether this is the facet page being rendered.
    pub current: bool,
    /// Colour tone 1–6 (see [`ValueView::tone`]).
    pub tone: usize,
}

/// A facet field with all its values.
#[derive(Clone, Debug, Serialize)]
pub struct FacetFieldView {
    /// Field name.
    pub field: String,
    /// Its label.
    pub label: String,
    /// Its values with their listing pages.
    pub values: Vec<FacetValueView>,
}

/// A group of a section's listing: the pages with one value of the
/// section's `group_by` field.
#[derive(Clone, Debug, Serialize)]
pub struct GroupView {
    /// The value.
    pub value: String,
    /// Its label.
    pub label: String,
    /// Colour tone 1–6.
    pub tone: Option<usize>,
    /// The value's facet page, if the field is a facet.
    pub url: Option<String>,
    /// The pages, in listing order.
    pub pages: Vec<LinkView>,
    /// True for the last group, of the pages that have no value (or no
    /// value the listing knows) for the grouping field; its heading is the
    /// UI string `listing.ungrouped`. No page is ever left out of a listing.
    pub ungrouped: bool,
}

/// What a page's view shows of other pages (see [`ViewBuilder::inputs`]).
#[derive(Clone, Debug, Default)]
pub struct ViewInputs {
    /// Pages shown as links (their titles, URLs, facts, …).
    pub linked: Vec<PageId>,
    /// Listings shown as a whole: (section folder, language).
    pub listings: Vec<(String, String)>,
}

/// Pages of one section that link the page being rendered.
#[derive(Clone, Debug, Serialize)]
pub struct LinkedFromView {
    /// The linking section's folder.
    pub section_dir: String,
    /// A heading: the UI string `linked_from.<folder>` if the site has
    /// one, else the linking section's title.
    pub title: String,
    /// The linking pages, by title.
    pub pages: Vec<LinkView>,
}

/// Site-wide data, per language.
#[derive(Clone, Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title in this language.
    pub title: &'a str,
    /// Site description in this language.
    pub description: Option<&'a str>,
    /// Absolute base URL with path.
    pub base_url: String,
    /// URL of this language's home page.
    pub home: String,
    /// URL of the root language chooser (multilingual sites only).
    pub chooser: Option<String>,
    /// The language the interface texts are in (differs from the page's
    /// language when that language has no UI strings).
    pub ui_lang: String,
    /// Default language code.
    pub default_language: &'a str,
    /// All languages.
    pub languages: Vec<LanguageView>,
    /// Whether the site has more than one language.
    pub multilingual: bool,
    /// Top-level sections, for the main navigation.
    pub nav: Vec<LinkView>,
    /// `config.extra` of site.yaml.
    pub extra: &'a serde_json::Value,
    /// Print documents in this language: section folder → URL.
    pub print: BTreeMap<String, String>,
    /// Atom feeds for this page: the language's, then its section's
    /// (empty when feeds are off or no page has a date).
    pub feeds: Vec<FeedView>,
    /// URL of this language's search page (`none` with `search: false`).
    pub search: Option<String>,
}

/// An Atom feed a page links.
#[derive(Clone, Debug, Serialize)]
pub struct FeedView {
    /// "Formate – Drehbuch", or the site title for the language's feed.
    pub title: String,
    /// URL with base path.
    pub url: String,
    /// Language of the feed.
    pub lang: String,
}

/// Everything a page template gets as `page`.
#[derive(Clone, Debug, Serialize)]
pub struct PageView<'a> {
    /// `home`, `section` or `page`.
    pub kind: PageKind,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<&'a str>,
    /// URL with base path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Canonical absolute URL (the original's, for stand-ins).
    pub canonical: String,
    /// Language the page is published in.
    pub lang: &'a str,
    /// Language its text is written in.
    pub content_lang: &'a str,
    /// The rendered body HTML.
    pub content: Cow<'a, str>,
    /// Table of contents.
    pub toc: &'a [TocEntry],
    /// Publication date.
    pub date: Option<DateView>,
    /// Last update.
    pub updated: Option<DateView>,
    /// Words in the body.
    pub word_count: usize,
    /// Minutes to read (at 200 words a minute, at least 1).
    pub reading_time: usize,
    /// Typed section fields (raw values).
    pub fields: serde_json::Value,
    /// Declared fields with labels, in declaration order (those the page sets).
    pub facts: Vec<FactView>,
    /// `pages` fields resolved to links in this language.
    pub links: BTreeMap<String, Vec<LinkView>>,
    /// Labels of the `pages` fields, by field name.
    pub link_labels: BTreeMap<String, String>,
    /// Pages of other sections whose `pages` fields name this page (e.g.
    /// the actors that name a format card), one entry per section.
    pub linked_from: Vec<LinkedFromView>,
    /// Free front matter data.
    pub extra: &'a serde_json::Value,
    /// hreflang alternates (empty for stand-ins and single-language sites).
    pub alternates: Vec<AlternateView>,
    /// Language switcher entries (empty on a single-language site).
    pub switcher: Vec<SwitchView>,
    /// Set when the page shows an original under another language.
    pub stand_in: Option<StandInView>,
    /// Parent sections from the top, excluding home.
    pub ancestors: Vec<LinkView>,
    /// Previous page in its section.
    pub previous: Option<LinkView>,
    /// Next page in its section.
    pub next: Option<LinkView>,
    /// Position in its section (1-based).
    pub number: Option<usize>,
    /// For sections and home: the pages listed (with untranslated ones marked).
    pub pages: Vec<LinkView>,
    /// For sections: the pages grouped by the section's `group_by` field
    /// (or, for the `cards` layout, its first facet field).
    pub groups: Vec<GroupView>,
    /// For sections and home: child sections.
    pub subsections: Vec<LinkView>,
    /// Content folder of the page (`cards`).
    pub section_dir: &'a str,
    /// The layout of the page's section (`cards`, `book`), if any.
    pub layout: Option<&'a str>,
    /// File stem (language-independent), e.g. `heat-check`.
    pub stem: &'a str,
    /// For sections: facet fields with their listing pages.
    pub facets: Vec<FacetFieldView>,
    /// For sections: fields with allowed values other than the grouping
    /// field, for filtering the listing in place (script-enhanced).
    pub filters: Vec<FacetFieldView>,
    /// For pages: the page's value of its section's grouping field.
    pub group: Option<ValueView>,
    /// For facet listing pages: the value shown.
    pub facet: Option<FacetView>,
    /// For print pages: every page of the section with its content.
    pub print: Vec<PrintPart>,
}

/// Precomputed listings and lookups shared by all page views of a build.
pub struct ViewBuilder<'a> {
    config: &'a SiteConfig,
    content: &'a Content,
    rendered: &'a Rendered,
    i18n: &'a I18n,
    listings: &'a Listings,
    derived: &'a Derived,
    /// Target group → (section dir of the linking page, linking page group).
    backlinks: BTreeMap<&'a str, Vec<(&'a str, &'a str)>>,
    /// Page bodies stand in by their hashes (for fingerprints).
    fingerprint: bool,
    /// `site` as templates receive it, per (language, section folder):
    /// the same for every page there, so it is made once.
    site_values: std::sync::Mutex<std::collections::HashMap<(String, String), tera::Value>>,
    /// Facet navigation and in-place filters per (section folder,
    /// language): counted once, shared by the section and its facet pages.
    facet_views: SectionCache,
    filter_views: SectionCache,
}

/// Views computed once per (section folder, language).
type SectionCache =
    std::sync::Mutex<std::collections::HashMap<(String, String), Vec<FacetFieldView>>>;

/// The cached views of `key`, computed by `make` the first time.
fn cached(
    cache: &SectionCache,
    key: (&str, &str),
    make: impl FnOnce() -> Vec<FacetFieldView>,
) -> Vec<FacetFieldView> {
    let key = (key.0.to_string(), key.1.to_string());
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let made = make();
    if let Ok(mut c) = cache.lock() {
        c.insert(key, made.clone());
    }
    made
}

/// A colour tone 1–6 for the value at `index` of the allowed values.
fn tone(index: usize) -> usize {
    index % 6 + 1
}

impl<'a> ViewBuilder<'a> {
    /// Indexes what the views need from the whole site, once per build.
    pub fn new(
        config: &'a SiteConfig,
        content: &'a Content,
        rendered: &'a Rendered,
        i18n: &'a I18n,
        listings: &'a Listings,
        derived: &'a Derived,
    ) -> Self {
        let mut backlinks: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for page in &content.pages {
            if page.stand_in_for.is_some() {
                continue;
            }
            for (field, groups) in &page.page_fields {
                let cross = content
                    .fields_of(&page.path.dir)
                    .iter()
                    .any(|d| &d.name == field && d.section.is_some());
                if !cross {
                    continue;
                }
                for target in groups {
                    let entry = backlinks.entry(target.as_str()).or_default();
                    let item = (page.path.dir.as_str(), page.group.as_str());
                    if !entry.contains(&item) {
                        entry.push(item);
                    }
                }
            }
        }
        ViewBuilder {
            config,
            content,
            rendered,
            i18n,
            listings,
            derived,
            backlinks,
            fingerprint: false,
            site_values: Default::default(),
            facet_views: Default::default(),
            filter_views: Default::default(),
        }
    }

    /// Makes page bodies stand in by their hashes: views then fingerprint
    /// a render without copying every body.
    pub fn fingerprint(mut self, on: bool) -> Self {
        self.fingerprint = on;
        self
    }

    /// [`ViewBuilder::site`] as a template value, made once per language
    /// and section folder and shared (tera values are reference-counted).
    pub fn site_value(&self, lang: &str, current_dir: &str) -> tera::Value {
        let key = (lang.to_string(), current_dir.to_string());
        if let Some(value) = self
            .site_values
            .lock()
            .ok()
            .and_then(|values| values.get(&key).cloned())
        {
            return value;
        }
        let value = tera::Value::from_serializable(&self.site(lang, current_dir));
        if let Ok(mut values) = self.site_values.lock() {
            values.insert(key, value.clone());
        }
        value
    }

    /// Whether page bodies stand in by their hashes.
    pub fn is_fingerprint(&self) -> bool {
        self.fingerprint
    }

    fn labels(&self) -> Labels<'a> {
        Labels::new(self.i18n)
    }

    /// A URL with the base path.
    pub fn url(&self, site_path: &str) -> String {
        self.config.base_url.prefixed(site_path)
    }

    fn language(&self, code: &str) -> LanguageView {
        LanguageView {
            code: code.to_string(),
            name: self.config.language_name(code).to_string(),
            home: self.url(&self.content.home_path(code)),
        }
    }

    fn rendered_of(&self, id: PageId) -> &'a RenderedMarkdown {
        let source = self.content.pages[id].stand_in_for.unwrap_or(id);
        &self.rendered[source]
    }

    fn reading_time(&self, id: PageId) -> usize {
        self.rendered_of(id).word_count.div_ceil(200).max(1)
    }

    /// A link to page `id` as seen from a page in `lang`.
    pub fn link(&self, id: PageId, lang: &str, current: Option<PageId>) -> LinkView {
        let page = &self.content.pages[id];
        let content_lang = page.content_lang(&self.content.pages);
        let only_in =
            (page.lang != lang || page.stand_in_for.is_some()).then(|| self.language(content_lang));
        LinkView {
            title: page.front.title.clone(),
            url: self.url(&page.url),
            lang: content_lang.to_string(),
            description: page.front.description.clone(),
            only_in,
            current: Some(id) == current,
            number: self.listings.position(id).map(|p| p + 1),
            fields: self.fields(id),
            facts: self.facts(id, lang),
            reading_time: self.reading_time(id),
            date: self.date(lang, page.front.date),
        }
    }

    /// Top-level sections for the main navigation in `lang`.
    pub fn nav(&self, lang: &str, current_dir: &str) -> Vec<LinkView> {
        let mut dirs = self.content.subsections("");
        dirs.sort_by_cached_key(|d| {
            best_in(self.content, self.config, &files::section_link_key(d), lang)
                .map(|id| self.content.order_key(id))
        });
        dirs.iter()
            .filter_map(|dir| {
                let id = best_in(
                    self.content,
                    self.config,
                    &files::section_link_key(dir),
                    lang,
                )?;
                let mut link = self.link(id, lang, None);
                link.current = current_dir == dir || current_dir.starts_with(&format!("{dir}/"));
                Some(link)
            })
            .collect()
    }

    /// Site data for pages in `lang`; `current_dir` marks the navigation.
    pub fn site(&self, lang: &str, current_dir: &str) -> SiteView<'a> {
        let multilingual = self.config.languages.len() > 1;
        SiteView {
            title: self
                .config
                .title
                .get(lang)
                .or_else(|| self.config.title.get(&self.config.default_language))
                .map(String::as_str)
                .unwrap_or(""),
            description: self.config.description.get(lang).map(String::as_str),
            base_url: self.config.base_url.absolute("/"),
            home: self.url(&self.content.home_path(lang)),
            chooser: multilingual.then(|| self.url("/")),
            ui_lang: self.i18n.ui_lang(lang).to_string(),
            default_language: &self.config.default_language,
            languages: self
                .config
                .languages
                .iter()
                .map(|l| self.language(&l.code))
                .collect(),
            multilingual,
            nav: self.nav(lang, current_dir),
            extra: &self.config.extra,
            print: self
                .derived
                .print
                .iter()
                .filter_map(|(dir, by_lang)| Some((dir.clone(), self.url(by_lang.get(lang)?))))
                .collect(),
            search: self.derived.search_url(lang).map(|u| self.url(u)),
            feeds: self
                .derived
                .feeds_for(lang, current_dir)
                .into_iter()
                .map(|f| FeedView {
                    title: f.title(self.config, self.content),
                    url: self.url(&f.url),
                    lang: f.lang.clone(),
                })
                .collect(),
        }
    }

    fn date(&self, lang: &str, date: Option<Date>) -> Option<DateView> {
        date.map(|d| DateView {
            iso: d.iso(),
            display: self.i18n.date(lang, d),
        })
    }

    fn alternates(&self, pairs: Vec<(String, String)>) -> Vec<AlternateView> {
        pairs
            .into_iter()
            .map(|(hreflang, path)| AlternateView {
                hreflang,
                href: self.config.base_url.absolute(&path),
            })
            .collect()
    }

    /// The full view of one page.
    pub fn page(&self, id: PageId) -> PageView<'a> {
        self.page_filtered(id, None)
    }

    /// The view of one page whose listing shows only the pages with
    /// `filter` = (field, value), for facet pages.
    fn page_filtered(&self, id: PageId, filter: Option<(&str, &str)>) -> PageView<'a> {
        let page = &self.content.pages[id];
        let lang = page.lang.as_str();
        let rendered = self.rendered_of(id);
        let members = &self.content.groups[&page.group];
        let switcher = if self.content.single_language {
            Vec::new()
        } else {
            self.config
                .languages
                .iter()
                .map(|l| {
                    let target = members.get(&l.code).copied();
                    let available =
                        target.is_some_and(|t| self.content.pages[t].stand_in_for.is_none());
                    SwitchView {
                        code: l.code.clone(),
                        name: l.name.clone(),
                        url: match target {
                            Some(t) => self.url(&self.content.pages[t].url),
                            None => self.url(&self.content.home_path(&l.code)),
                        },
                        available,
                        stand_in: target.is_some() && !available,
                        current: l.code == lang,
                    }
                })
                .collect()
        };
        let stand_in = page.stand_in_for.map(|original| StandInView {
            missing: self.language(lang),
            original: self.language(&self.content.pages[original].lang),
            original_url: self.url(&self.content.pages[original].url),
        });
        let canonical_id = page.stand_in_for.unwrap_or(id);
        let mut links: BTreeMap<String, Vec<LinkView>> = page
            .page_fields
            .iter()
            .map(|(field, groups)| {
                let views = groups
                    .iter()
                    .filter_map(|g| best_in(self.content, self.config, g, lang))
                    .map(|t| self.link(t, lang, None))
                    .collect();
                (field.clone(), views)
            })
            .collect();
        // Every declared `pages` field reaches templates, absent ones as
        // empty lists, so templates need no `is defined` checks.
        for decl in self.content.fields_of(&page.path.dir) {
            if decl.kind == FieldType::Pages {
                links.entry(decl.name.clone()).or_default();
            }
        }
        let (previous, next, number) = match page.kind {
            PageKind::Page => self.neighbours(id),
            _ => (None, None, None),
        };
        let (pages, subsections, groups) = match page.kind {
            PageKind::Page => (Vec::new(), Vec::new(), Vec::new()),
            _ => {
                let pages = self.listing_filtered(&page.path.dir, lang, id, filter);
                let groups = self.groups(&page.path.dir, lang, &pages);
                (pages, self.child_sections(&page.path.dir, lang), groups)
            }
        };
        PageView {
            kind: page.kind,
            title: page.front.title.clone(),
            description: page.front.description.as_deref(),
            url: self.url(&page.url),
            permalink: self.config.base_url.absolute(&page.url),
            canonical: self
                .config
                .base_url
                .absolute(&self.content.pages[canonical_id].url),
            lang,
            content_lang: page.content_lang(&self.content.pages),
            content: if self.fingerprint {
                Cow::Borrowed(&rendered.html_hash)
            } else {
                self.body(id)
            },
            toc: &rendered.toc,
            date: self.date(lang, page.front.date),
            updated: self.date(lang, page.front.updated),
            word_count: rendered.word_count,
            reading_time: self.reading_time(id),
            fields: self.fields(id),
            facts: self.facts(id, lang),
            link_labels: self
                .content
                .fields_of(&page.path.dir)
                .iter()
                .filter(|d| d.kind == FieldType::Pages)
                .map(|d| (d.name.clone(), self.labels().field(d, lang)))
                .collect(),
            links,
            linked_from: self.linked_from(id, lang),
            extra: &page.front.extra,
            alternates: self.alternates(pairing::alternates(self.content, self.config, id)),
            switcher,
            stand_in,
            ancestors: self.ancestors(id),
            previous,
            next,
            number,
            pages,
            groups,
            subsections,
            section_dir: &page.path.dir,
            layout: self.content.layout_of(&page.path.dir),
            stem: &page.path.stem,
            facets: match page.kind {
                PageKind::Section => self.facets(&page.path.dir, lang, None),
                _ => Vec::new(),
            },
            filters: match page.kind {
                PageKind::Section => self.filters(&page.path.dir, lang),
                _ => Vec::new(),
            },
            group: match page.kind {
                PageKind::Page => self.group_of(id, lang),
                _ => None,
            },
            facet: None,
            print: Vec::new(),
        }
    }

    /// Pages of other sections whose cross-section `pages` fields name
    /// this page, as seen by readers of `lang`, by section folder.
    fn linked_from(&self, id: PageId, lang: &str) -> Vec<LinkedFromView> {
        let page = &self.content.pages[id];
        let mut by_dir: BTreeMap<&str, Vec<LinkView>> = BTreeMap::new();
        let Some(sources) = self.backlinks.get(page.group.as_str()) else {
            return Vec::new();
        };
        for (dir, group) in sources {
            if let Some(source) = best_in(self.content, self.config, group, lang) {
                by_dir
                    .entry(dir)
                    .or_default()
                    .push(self.link(source, lang, None));
            }
        }
        by_dir
            .into_iter()
            .map(|(dir, mut pages)| {
                pages.sort_by_key(|a| a.title.to_lowercase());
                let title = match self
                    .i18n
                    .get(lang, &format!("linked_from.{dir}"), None, &[])
                {
                    Some(found) => found.text(),
                    None => best_in(
                        self.content,
                        self.config,
                        &files::section_link_key(dir),
                        lang,
                    )
                    .map(|s| self.content.pages[s].front.title.clone())
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

    /// The page's declared fields that it sets, with labels, in
    /// declaration order (`pages` fields are links, not facts).
    fn facts(&self, id: PageId, lang: &str) -> Vec<FactView> {
        let page = &self.content.pages[id];
        let dir = page.path.dir.as_str();
        let labels = self.labels();
        self.content
            .fields_of(dir)
            .iter()
            .filter(|d| d.kind != FieldType::Pages)
            .filter_map(|decl| {
                let value = page.front.fields.get(&decl.name)?;
                let values: Vec<String> = match value {
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect(),
                    serde_json::Value::String(s) => vec![s.clone()],
                    serde_json::Value::Null => return None,
                    other => vec![other.to_string()],
                };
                let label = labels.field(decl, lang);
                Some(FactView {
                    name: decl.name.clone(),
                    search_filter: (!decl.allowed.is_empty())
                        .then(|| label.replace([':', '[', ']'], " ").trim().to_string()),
                    label,
                    kind: decl.kind.name(),
                    values: values
                        .into_iter()
                        .map(|v| self.value_view(dir, decl, &v, lang))
                        .collect(),
                })
            })
            .collect()
    }

    fn value_view(&self, dir: &str, decl: &FieldDecl, value: &str, lang: &str) -> ValueView {
        let display = match decl.kind {
            FieldType::Date => Date::parse(value)
                .map(|d| self.i18n.date(lang, d))
                .unwrap_or_else(|| value.to_string()),
            FieldType::Number | FieldType::Integer => value
                .parse::<f64>()
                .map(|n| {
                    let decimals = if n.fract() == 0.0 { 0 } else { 2 };
                    self.i18n.number(lang, n, decimals)
                })
                .unwrap_or_else(|_| value.to_string()),
            _ => self.labels().value(decl, value, lang),
        };
        let url = if decl.kind == FieldType::Url {
            Some(value.to_string())
        } else {
            decl.facet
                .then(|| self.derived.facet_url(dir, &decl.name, value, lang))
                .flatten()
                .map(|u| self.url(u))
        };
        ValueView {
            value: value.to_string(),
            label: display,
            url,
            tone: decl.allowed.iter().position(|a| a == value).map(tone),
        }
    }

    /// The facet fields of a section with their values and listing pages.
    pub fn facets(
        &self,
        dir: &str,
        lang: &str,
        current: Option<(&str, &str)>,
    ) -> Vec<FacetFieldView> {
        let mut facets = cached(&self.facet_views, (dir, lang), || {
            self.count_facets(dir, lang)
        });
        for field in &mut facets {
            for value in &mut field.values {
                value.current = current == Some((field.field.as_str(), value.value.as_str()));
            }
        }
        facets
    }

    fn count_facets(&self, dir: &str, lang: &str) -> Vec<FacetFieldView> {
        let listing = self.listings.of(dir, lang);
        let labels = self.labels();
        self.content
            .fields_of(dir)
            .iter()
            .filter(|d| d.facet)
            .map(|d| FacetFieldView {
                field: d.name.clone(),
                label: labels.field(d, lang),
                values: d
                    .allowed
                    .iter()
                    .enumerate()
                    .map(|(index, v)| FacetValueView {
                        value: v.clone(),
                        label: labels.value(d, v, lang),
                        url: self
                            .derived
                            .facet_url(dir, &d.name, v, lang)
                            .map(|u| self.url(u))
                            .unwrap_or_default(),
                        count: listing
                            .iter()
                            .filter(|e| self.has_value(e.id, &d.name, v))
                            .count(),
                        current: false,
                        tone: tone(index),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The field that groups the listing of section `dir`: its `group_by`,
    /// or for the `cards` layout its first facet field.
    fn group_field(&self, dir: &str) -> Option<&'a FieldDecl> {
        let decls = self.content.fields_of(dir);
        match self.content.section_group_by.get(dir) {
            Some(name) => decls.iter().find(|d| &d.name == name),
            None if self.content.layout_of(dir) == Some("cards") => decls.iter().find(|d| d.facet),
            None => None,
        }
    }

    fn group_of(&self, id: PageId, lang: &str) -> Option<ValueView> {
        let page = &self.content.pages[id];
        let dir = page.path.dir.as_str();
        let decl = self.group_field(dir)?;
        let value = values_of(page.front.fields.get(&decl.name))
            .into_iter()
            .next()?;
        Some(self.value_view(dir, decl, &value, lang))
    }

    /// Fields with allowed values, other than the grouping field, with
    /// their values and counts, for filtering a listing in place.
    fn filters(&self, dir: &str, lang: &str) -> Vec<FacetFieldView> {
        cached(&self.filter_views, (dir, lang), || {
            self.count_filters(dir, lang)
        })
    }

    fn count_filters(&self, dir: &str, lang: &str) -> Vec<FacetFieldView> {
        let group = self.group_field(dir).map(|d| d.name.as_str());
        let listing = self.listings.of(dir, lang);
        let labels = self.labels();
        self.content
            .fields_of(dir)
            .iter()
            .filter(|d| {
                !d.allowed.is_empty()
                    && matches!(d.kind, FieldType::String | FieldType::List)
                    && Some(d.name.as_str()) != group
            })
            .map(|d| FacetFieldView {
                field: d.name.clone(),
                label: labels.field(d, lang),
                values: d
                    .allowed
                    .iter()
                    .enumerate()
                    .map(|(index, v)| FacetValueView {
                        value: v.clone(),
                        label: labels.value(d, v, lang),
                        url: String::new(),
                        count: listing
                            .iter()
                            .filter(|e| self.has_value(e.id, &d.name, v))
                            .count(),
                        current: false,
                        tone: tone(index),
                    })
                    .filter(|v| v.count > 0)
                    .collect(),
            })
            .filter(|f| f.values.len() > 1)
            .collect()
    }

    fn has_value(&self, id: PageId, field: &str, value: &str) -> bool {
        self.content.pages[id].has_value(field, value)
    }

    /// The section's listing grouped by its `group_by` field (for the
    /// `cards` layout, its first facet field by default).
    fn groups(&self, dir: &str, lang: &str, pages: &[LinkView]) -> Vec<GroupView> {
        let Some(decl) = self.group_field(dir) else {
            return Vec::new();
        };
        let labels = self.labels();
        // Allowed values in their declared order; else values in order of
        // first appearance.
        let mut values: Vec<String> = decl.allowed.clone();
        if values.is_empty() {
            for page in pages {
                for v in values_of(page.fields.get(&decl.name)) {
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
                    label: labels.value(decl, &value, lang),
                    tone: (!decl.allowed.is_empty()).then(|| tone(index)),
                    url: decl
                        .facet
                        .then(|| self.derived.facet_url(dir, &decl.name, &value, lang))
                        .flatten()
                        .map(|u| self.url(u)),
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

    /// The view of a derived page (facet listing, print document): the
    /// section's data, its own URL per language, and alternates, switcher
    /// and canonical built from those URLs.
    pub fn derived(&self, page: &DerivedPage, print: Vec<PrintPart>) -> PageView<'a> {
        let section = page.section;
        let urls = self.derived.urls_of(self.content, page);
        let filter = match &page.kind {
            DerivedKind::Facet { field, value } => Some((field.as_str(), value.as_str())),
            DerivedKind::Print | DerivedKind::Search => None,
        };
        let mut view = self.page_filtered(section, filter);
        let lang = self.content.pages[section].lang.as_str();
        let dir = self.content.pages[section].path.dir.as_str();
        view.url = self.url(&page.url);
        view.permalink = self.config.base_url.absolute(&page.url);
        view.canonical = view.permalink.clone();
        view.stand_in = None;
        if !self.content.single_language {
            let mut pairs: Vec<(String, String)> = self
                .config
                .languages
                .iter()
                .filter_map(|l| urls.get(&l.code).map(|u| (l.code.clone(), u.clone())))
                .collect();
            if let Some(default) = urls.get(&self.config.default_language) {
                pairs.push(("x-default".into(), default.clone()));
            }
            view.alternates = self.alternates(pairs);
            view.switcher = self
                .config
                .languages
                .iter()
                .map(|l| SwitchView {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    url: self.url(
                        urls.get(&l.code)
                            .cloned()
                            .unwrap_or_else(|| self.content.home_path(&l.code))
                            .as_str(),
                    ),
                    available: urls.contains_key(&l.code),
                    stand_in: false,
                    current: l.code == lang,
                })
                .collect();
        }
        match &page.kind {
            DerivedKind::Facet { field, value } => {
                let labels = self.labels();
                let decl = self
                    .content
                    .fields_of(dir)
                    .iter()
                    .find(|d| &d.name == field);
                let field_label = decl.map(|d| labels.field(d, lang)).unwrap_or_default();
                let value_label = decl
                    .map(|d| labels.value(d, value, lang))
                    .unwrap_or_default();
                view.groups = self.groups(dir, lang, &view.pages);
                view.facets = self.facets(dir, lang, Some((field, value)));
                view.facet = Some(FacetView {
                    field: field.clone(),
                    field_label: field_label.clone(),
                    value: value.clone(),
                    value_label: value_label.clone(),
                    section_url: self.url(&self.content.pages[section].url),
                    section_title: self.content.pages[section].front.title.clone(),
                });
                // The page's own title, e.g. "Kategorie: Hitzevorsorge".
                view.title = format!("{field_label}: {value_label}");
                // The section itself becomes the last breadcrumb.
                view.ancestors.push(self.link(section, lang, None));
                view.description = None;
            }
            DerivedKind::Print => {
                view.print = print;
                view.ancestors.push(self.link(section, lang, None));
            }
            DerivedKind::Search => {
                view.title = self
                    .labels()
                    .ui_string(lang, "search.title")
                    .unwrap_or_else(|| "Search".into());
                view.description = None;
            }
        }
        view
    }

    /// The pages a print document of section `section` shows, in order.
    pub fn print_pages(&self, section: PageId) -> Vec<PageId> {
        let page = &self.content.pages[section];
        self.listings
            .of(&page.path.dir, &page.lang)
            .iter()
            .map(|e| e.id)
            .collect()
    }

    /// Rendered Markdown of a page (its original's, for stand-ins).
    pub fn rendered(&self, id: PageId) -> &'a RenderedMarkdown {
        self.rendered_of(id)
    }

    /// The body HTML of a page (its original's, for stand-ins, with its
    /// `@/` links leading where they lead from the stand-in's language).
    pub fn body(&self, id: PageId) -> Cow<'a, str> {
        let page = &self.content.pages[id];
        let Some(original) = page.stand_in_for else {
            return self.rendered.body(id);
        };
        let html = self.rendered.body(original);
        let links = crate::content::links::SiteLinks {
            content: self.content,
            config: self.config,
        };
        // The original's targets → the same links resolved for this
        // language, with the anchors that page has.
        use crate::markdown::LinkResolver as _;
        let moved: Vec<(&str, String, &[String])> = self.rendered[original]
            .link_targets
            .iter()
            .filter_map(|(key, target)| {
                let here = links.resolve(key, &page.lang)?;
                let anchors = self
                    .content
                    .groups
                    .get(&here.group)
                    .and_then(|members| members.get(&here.lang))
                    .map(|&id| self.rendered_of(id).anchors.as_slice())
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

    /// The page's typed fields, with every declared non-`pages` field present.
    pub fn fields(&self, id: PageId) -> serde_json::Value {
        let page = &self.content.pages[id];
        let mut map = serde_json::Map::new();
        for decl in self
            .content
            .fields_of(&page.path.dir)
            .iter()
            .filter(|d| d.kind != FieldType::Pages)
        {
            map.insert(decl.name.clone(), serde_json::Value::Null);
        }
        for (name, value) in &page.front.fields {
            map.insert(name.clone(), value.clone());
        }
        serde_json::Value::Object(map)
    }

    /// What the view of page `id` shows of other pages, for incremental
    /// rebuilds: every page it shows as a link (ancestors, neighbours,
    /// `pages` fields, pages that link it, child sections) and the listings
    /// it shows as a whole. Kept next to the code that builds the views, so
    /// the two stay in step; `serve`'s tests check it against full
    /// fingerprints.
    pub fn inputs(&self, id: PageId) -> ViewInputs {
        let page = &self.content.pages[id];
        let lang = page.lang.as_str();
        let mut linked: Vec<PageId> = self.ancestor_ids(id);
        if page.kind == PageKind::Page
            && let Some(position) = self.listings.position(id)
        {
            let entries = self.listings.of(&page.path.dir, lang);
            if let Some(p) = position.checked_sub(1).and_then(|p| entries.get(p)) {
                linked.push(p.id);
            }
            if let Some(n) = entries.get(position + 1) {
                linked.push(n.id);
            }
        }
        for groups in page.page_fields.values() {
            linked.extend(
                groups
                    .iter()
                    .filter_map(|g| best_in(self.content, self.config, g, lang)),
            );
        }
        if let Some(sources) = self.backlinks.get(page.group.as_str()) {
            for (dir, group) in sources {
                linked.extend(best_in(self.content, self.config, group, lang));
                // The heading of the linking pages is their section's title.
                linked.extend(best_in(
                    self.content,
                    self.config,
                    &files::section_link_key(dir),
                    lang,
                ));
            }
        }
        let mut listings = Vec::new();
        if page.kind != PageKind::Page {
            listings.push((page.path.dir.clone(), lang.to_string()));
            for dir in self.content.subsections(&page.path.dir) {
                if let Some(child) = best_in(
                    self.content,
                    self.config,
                    &files::section_link_key(&dir),
                    lang,
                ) {
                    linked.push(child);
                }
            }
        }
        ViewInputs { linked, listings }
    }

    fn ancestor_ids(&self, id: PageId) -> Vec<PageId> {
        let page = &self.content.pages[id];
        let mut dirs = Vec::new();
        let mut dir = match page.kind {
            PageKind::Page => Some(page.path.dir.as_str()),
            _ => files::parent_dir(&page.path.dir),
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
                best_in(
                    self.content,
                    self.config,
                    &files::section_link_key(d),
                    &page.lang,
                )
            })
            .collect()
    }

    fn ancestors(&self, id: PageId) -> Vec<LinkView> {
        let lang = self.content.pages[id].lang.as_str();
        self.ancestor_ids(id)
            .into_iter()
            .map(|s| self.link(s, lang, None))
            .collect()
    }

    fn neighbours(&self, id: PageId) -> (Option<LinkView>, Option<LinkView>, Option<usize>) {
        let page = &self.content.pages[id];
        let entries = self.listings.of(&page.path.dir, &page.lang);
        let Some(position) = self.listings.position(id) else {
            return (None, None, None);
        };
        let previous = position
            .checked_sub(1)
            .and_then(|p| entries.get(p))
            .map(|e| self.link(e.id, &page.lang, None));
        let next = entries
            .get(position + 1)
            .map(|e| self.link(e.id, &page.lang, None));
        (previous, next, Some(position + 1))
    }

    /// The pages of section `dir` for readers of `lang`, with untranslated
    /// ones marked (`untranslated: link`).
    pub fn listing(&self, dir: &str, lang: &str, current: PageId) -> Vec<LinkView> {
        self.listing_filtered(dir, lang, current, None)
    }

    fn listing_filtered(
        &self,
        dir: &str,
        lang: &str,
        current: PageId,
        filter: Option<(&str, &str)>,
    ) -> Vec<LinkView> {
        self.listings
            .of(dir, lang)
            .iter()
            .filter(|e| filter.is_none_or(|(field, value)| self.has_value(e.id, field, value)))
            .map(|e| self.link(e.id, lang, Some(current)))
            .collect()
    }

    fn child_sections(&self, dir: &str, lang: &str) -> Vec<LinkView> {
        let mut ids: Vec<PageId> = self
            .content
            .subsections(dir)
            .iter()
            .filter_map(|d| best_in(self.content, self.config, &files::section_link_key(d), lang))
            .collect();
        ids.sort_by_cached_key(|&id| self.content.order_key(id));
        ids.into_iter()
            .map(|id| self.link(id, lang, None))
            .collect()
    }
}

/// The values of a field as text (one for single values, all for lists).
fn values_of(field: Option<&serde_json::Value>) -> Vec<String> {
    match field {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}
