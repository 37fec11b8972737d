//! View structs: the only data templates see. They are built from the
//! checked content and the rendered Markdown, borrow where they can, and are
//! serialized per page. Head alternates, the language switcher and the
//! sitemap all come from the same translation graph, so they always agree.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::config::{SiteConfig, Untranslated};
use crate::content::front_matter::{Date, FieldType};
use crate::content::pairing::original_of;
use crate::content::urls::{section_url, slugify};
use crate::content::{Content, PageId, PageKind, files};
use crate::markdown::{RenderedMarkdown, TocEntry};
use crate::templates::i18n::{I18n, Lookup};

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
    /// The target's typed section fields.
    pub fields: serde_json::Value,
    /// Reading time of the target in minutes.
    pub reading_time: usize,
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
    /// Field value (`heat`).
    pub value: String,
    /// URL of the unfiltered section page.
    pub section_url: String,
}

/// One selectable value of a facet, for filter navigation.
#[derive(Clone, Debug, Serialize)]
pub struct FacetValueView {
    /// Field value.
    pub value: String,
    /// URL of its listing page.
    pub url: String,
    /// Pages with this value in the listing.
    pub count: usize,
    /// Whether this is the facet page being rendered.
    pub current: bool,
}

/// A facet field with all its values.
#[derive(Clone, Debug, Serialize)]
pub struct FacetFieldView {
    /// Field name.
    pub field: String,
    /// Its values with their listing pages.
    pub values: Vec<FacetValueView>,
}

/// One page's full content, for print documents.
#[derive(Clone, Debug, Serialize)]
pub struct PrintView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Absolute URL of the page on the web.
    pub permalink: String,
    /// Language the text is written in.
    pub lang: &'a str,
    /// Body HTML, with ids and `#` links prefixed by the stem so that
    /// several pages can share one document, and each link followed by a
    /// footnote number.
    pub content: String,
    /// Absolute URLs of the page's links, in footnote order (paper readers
    /// cannot click).
    pub link_notes: Vec<String>,
    /// Typed fields.
    pub fields: serde_json::Value,
    /// Position in its section.
    pub number: Option<usize>,
    /// File stem, for ids.
    pub stem: &'a str,
}

/// Whether a field value is `wanted` (text) or contains it (list).
fn field_has(field: Option<&serde_json::Value>, wanted: &str) -> bool {
    match field {
        Some(serde_json::Value::String(s)) => s == wanted,
        Some(serde_json::Value::Array(items)) => items.iter().any(|i| i.as_str() == Some(wanted)),
        _ => false,
    }
}

/// Numbers the links of `html` for print: each `<a href>` that leads
/// elsewhere gets a `<sup>` reference to a footnote listing its absolute
/// URL. In-page links (`#…`) need no note. Returns the HTML and the URLs.
pub fn footnote_links(
    html: &str,
    prefix: &str,
    base: &crate::config::BaseUrl,
) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len() + 256);
    let mut notes: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a href=\"") {
        let value = &rest[start + 9..];
        let Some(end) = value.find('"') else { break };
        let href = &value[..end];
        let Some(close) = rest[start..].find("</a>").map(|c| start + c + 4) else {
            break;
        };
        out.push_str(&rest[..close]);
        if !href.starts_with('#') && !href.is_empty() {
            let absolute = if href.starts_with('/') {
                format!("{}{href}", base.origin)
            } else {
                href.replace("&amp;", "&")
            };
            let number = match notes.iter().position(|n| *n == absolute) {
                Some(i) => i + 1,
                None => {
                    notes.push(absolute);
                    notes.len()
                }
            };
            out.push_str(&format!(
                "<sup class=\"link-ref\"><a href=\"#{prefix}-link-{number}\">[{number}]</a></sup>"
            ));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    (out, notes)
}

/// Moves every heading one level down (`h2` → `h3` … `h5` → `h6`), for
/// pages placed under a section heading in a joined document.
pub fn demote_headings(html: &str) -> String {
    let mut out = html.to_string();
    for level in (2..=5).rev() {
        out = out
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    out
}

/// Prefixes every `id="…"` and in-page `href="#…"` of `html` with
/// `prefix-`, keeping ids unique when pages are joined in one document.
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    loop {
        let next_id = rest.find(" id=\"");
        let next_href = rest.find(" href=\"#");
        let (at, len) = match (next_id, next_href) {
            (Some(i), Some(h)) if h < i => (h, " href=\"#".len()),
            (Some(i), _) => (i, " id=\"".len()),
            (None, Some(h)) => (h, " href=\"#".len()),
            (None, None) => break,
        };
        out.push_str(&rest[..at + len]);
        out.push_str(prefix);
        out.push('-');
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
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
    /// Default language code.
    pub default_language: &'a str,
    /// All languages.
    pub languages: Vec<LanguageView>,
    /// Top-level sections, for the main navigation.
    pub nav: Vec<LinkView>,
    /// `config.extra` of site.yaml.
    pub extra: &'a serde_json::Value,
    /// Print documents in this language: section folder → URL.
    pub print: BTreeMap<&'a str, String>,
}

/// Everything a page template gets as `page`.
#[derive(Clone, Debug, Serialize)]
pub struct PageView<'a> {
    /// `home`, `section` or `page`.
    pub kind: PageKind,
    /// Title.
    pub title: &'a str,
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
    pub content: &'a str,
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
    /// Typed section fields.
    pub fields: serde_json::Value,
    /// `pages` fields resolved to links in this language.
    pub links: BTreeMap<String, Vec<LinkView>>,
    /// Free front matter data.
    pub extra: &'a serde_json::Value,
    /// hreflang alternates (empty for stand-ins).
    pub alternates: Vec<AlternateView>,
    /// Language switcher entries.
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
    /// For sections and home: child sections.
    pub subsections: Vec<LinkView>,
    /// Content folder of the page (`cards`), for templates that group by it.
    pub section_dir: &'a str,
    /// File stem (language-independent), e.g. `heat-check`.
    pub stem: &'a str,
    /// For sections: facet fields with their listing pages.
    pub facets: Vec<FacetFieldView>,
    /// For facet listing pages: the value shown.
    pub facet: Option<FacetView>,
    /// For print pages: every page of the section with its content.
    pub print: Vec<PrintView<'a>>,
}

/// Precomputed listings and lookups shared by all page views of a build.
pub struct ViewBuilder<'a> {
    config: &'a SiteConfig,
    content: &'a Content,
    rendered: &'a [RenderedMarkdown],
    i18n: &'a I18n,
    /// (section dir, lang) → listing entries in order: (page id, only_in).
    listings: HashMap<(&'a str, &'a str), Vec<(PageId, bool)>>,
    /// page id → (position in its listing, section dir).
    positions: HashMap<PageId, usize>,
}

impl<'a> ViewBuilder<'a> {
    /// Indexes the content once: O(pages · languages).
    pub fn new(
        config: &'a SiteConfig,
        content: &'a Content,
        rendered: &'a [RenderedMarkdown],
        i18n: &'a I18n,
    ) -> Self {
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
        let mut listings: HashMap<(&str, &str), Vec<(PageId, bool)>> = HashMap::new();
        let mut positions = HashMap::new();
        for (dir, groups) in by_dir {
            for language in &config.languages {
                let lang = language.code.as_str();
                let mut entries: Vec<(PageId, bool)> = Vec::new();
                for group in &groups {
                    let members = &content.groups[*group];
                    match members.get(lang) {
                        Some(&id) => entries.push((id, false)),
                        None if config.untranslated == Untranslated::Link => {
                            if let Some(original) = original_of(members, config) {
                                entries.push((original, true));
                            }
                        }
                        None => {}
                    }
                }
                entries.sort_by_cached_key(|(id, _)| content.order_key(*id));
                for (position, (id, only_in)) in entries.iter().enumerate() {
                    if !only_in {
                        positions.insert(*id, position);
                    }
                }
                listings.insert((dir, lang), entries);
            }
        }
        ViewBuilder {
            config,
            content,
            rendered,
            i18n,
            listings,
            positions,
        }
    }

    /// A URL with the base path.
    pub fn url(&self, site_path: &str) -> String {
        self.config.base_url.prefixed(site_path)
    }

    fn language(&self, code: &str) -> LanguageView {
        LanguageView {
            code: code.to_string(),
            name: self.config.language_name(code).to_string(),
            home: self.url(&format!("/{code}/")),
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
        let only_in = (page.lang != lang || page.stand_in_for.is_some())
            .then(|| self.language(page.content_lang(&self.content.pages)));
        LinkView {
            title: page.front.title.clone(),
            url: self.url(&page.url),
            lang: page.content_lang(&self.content.pages).to_string(),
            description: page.front.description.clone(),
            only_in,
            current: Some(id) == current,
            number: self.positions.get(&id).map(|p| p + 1),
            fields: self.fields(id),
            reading_time: self.reading_time(id),
        }
    }

    /// The best page of a group for readers of `lang`: the translation, or
    /// the original when there is none.
    pub fn best_in(&self, group: &str, lang: &str) -> Option<PageId> {
        let members = self.content.groups.get(group)?;
        members
            .get(lang)
            .copied()
            .or_else(|| original_of(members, self.config))
    }

    /// Top-level sections for the main navigation in `lang`.
    pub fn nav(&self, lang: &str, current: PageId) -> Vec<LinkView> {
        let current_dir = &self.content.pages[current].path.dir;
        let mut dirs = self.content.subsections("");
        dirs.sort_by_cached_key(|d| {
            self.best_in(&files::section_link_key(d), lang)
                .map(|id| self.content.order_key(id))
        });
        dirs.iter()
            .filter_map(|dir| {
                let id = self.best_in(&files::section_link_key(dir), lang)?;
                let mut link = self.link(id, lang, None);
                link.current = current_dir == dir || current_dir.starts_with(&format!("{dir}/"));
                Some(link)
            })
            .collect()
    }

    /// Site data for pages in `lang`.
    pub fn site(&self, lang: &str, current: PageId) -> SiteView<'a> {
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
            home: self.url(&format!("/{lang}/")),
            default_language: &self.config.default_language,
            languages: self
                .config
                .languages
                .iter()
                .map(|l| self.language(&l.code))
                .collect(),
            nav: self.nav(lang, current),
            extra: &self.config.extra,
            print: self
                .config
                .print
                .iter()
                .enumerate()
                .filter(|(_, dir)| self.content.section_page(dir, lang).is_some())
                .map(|(index, dir)| (dir.as_str(), self.url(&self.print_url(index, dir, lang))))
                .collect(),
        }
    }

    /// Site path of a print document: the first of `site.yaml`'s `print`
    /// sections at `/<lang>/print/`, the others at `/<lang>/print/<slug>/`.
    pub fn print_url(&self, index: usize, dir: &str, lang: &str) -> String {
        if index == 0 {
            return format!("/{lang}/print/");
        }
        let section = section_url(self.content, dir, lang);
        let last = section
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(dir);
        format!("/{lang}/print/{last}/")
    }

    /// The real (non-stand-in) translations of a page's group, in site order.
    pub fn translations(&self, id: PageId) -> Vec<PageId> {
        let page = &self.content.pages[id];
        let mut ids: Vec<PageId> = self.content.groups[&page.group]
            .values()
            .copied()
            .filter(|&t| self.content.pages[t].stand_in_for.is_none())
            .collect();
        ids.sort_by_key(|&t| self.config.language_index(&self.content.pages[t].lang));
        ids
    }

    /// hreflang alternates of a page: every real translation plus
    /// `x-default` (the default-language page or the original). Empty for
    /// stand-ins, which are no translation.
    pub fn alternates(&self, id: PageId) -> Vec<AlternateView> {
        let page = &self.content.pages[id];
        if page.stand_in_for.is_some() {
            return Vec::new();
        }
        let translations = self.translations(id);
        let mut out: Vec<AlternateView> = translations
            .iter()
            .map(|&t| {
                let p = &self.content.pages[t];
                AlternateView {
                    hreflang: p.lang.clone(),
                    href: self.config.base_url.absolute(&p.url),
                }
            })
            .collect();
        if let Some(default) = original_of(&self.content.groups[&page.group], self.config)
            .filter(|d| self.content.pages[*d].stand_in_for.is_none())
        {
            out.push(AlternateView {
                hreflang: "x-default".into(),
                href: self
                    .config
                    .base_url
                    .absolute(&self.content.pages[default].url),
            });
        }
        out
    }

    fn date(&self, lang: &str, date: Option<Date>) -> Option<DateView> {
        date.map(|d| DateView {
            iso: d.iso(),
            display: self.i18n.date(lang, d),
        })
    }

    /// The full view of one page.
    pub fn page(&self, id: PageId) -> PageView<'a> {
        let page = &self.content.pages[id];
        let lang = page.lang.as_str();
        let rendered = self.rendered_of(id);
        let members = &self.content.groups[&page.group];
        let switcher = self
            .config
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
                        None => self.url(&format!("/{}/", l.code)),
                    },
                    available,
                    current: l.code == lang,
                }
            })
            .collect();
        let stand_in = page.stand_in_for.map(|original| StandInView {
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
                    .filter_map(|g| self.best_in(g, lang))
                    .map(|t| self.link(t, lang, None))
                    .collect();
                (field.clone(), views)
            })
            .collect();
        // Every declared field reaches templates, absent ones as empty
        // lists (`pages`) or none, so templates need no `is defined` checks.
        let declared = self.content.section_fields.get(&page.path.dir);
        for decl in declared.into_iter().flatten() {
            if decl.kind == FieldType::Pages {
                links.entry(decl.name.clone()).or_default();
            }
        }

        let ancestors = self.ancestors(id);
        let (previous, next, number) = match page.kind {
            PageKind::Page => self.neighbours(id),
            _ => (None, None, None),
        };
        let (pages, subsections) = match page.kind {
            PageKind::Page => (Vec::new(), Vec::new()),
            _ => (
                self.listing(&page.path.dir, lang, id),
                self.child_sections(&page.path.dir, lang),
            ),
        };
        PageView {
            kind: page.kind,
            title: &page.front.title,
            description: page.front.description.as_deref(),
            url: self.url(&page.url),
            permalink: self.config.base_url.absolute(&page.url),
            canonical: self
                .config
                .base_url
                .absolute(&self.content.pages[canonical_id].url),
            lang,
            content_lang: page.content_lang(&self.content.pages),
            content: &rendered.html,
            toc: &rendered.toc,
            date: self.date(lang, page.front.date),
            updated: self.date(lang, page.front.updated),
            word_count: rendered.word_count,
            reading_time: self.reading_time(id),
            fields: self.fields(id),
            links,
            extra: &page.front.extra,
            alternates: self.alternates(id),
            switcher,
            stand_in,
            ancestors,
            previous,
            next,
            number,
            pages,
            subsections,
            section_dir: &page.path.dir,
            stem: &page.path.stem,
            facets: match page.kind {
                PageKind::Section => self.facets(&page.path.dir, lang, None),
                _ => Vec::new(),
            },
            facet: None,
            print: Vec::new(),
        }
    }

    /// A label from the i18n strings, or the code itself when none exists.
    fn label(&self, lang: &str, key: &str, code: &str) -> String {
        match self.i18n.translate(lang, key, None, &[]) {
            Ok(Lookup::Found(t) | Lookup::Fallback(t)) => t,
            Err(_) => code.to_string(),
        }
    }

    /// Site path of a facet listing page:
    /// `/<lang>/<section>/<slug of field label>/<slug of value label>/`.
    pub fn facet_url(&self, dir: &str, lang: &str, field: &str, value: &str) -> String {
        let field_slug = slugify(&self.label(lang, &format!("field.{field}.label"), field));
        let value_slug = slugify(&self.label(lang, &format!("field.{field}.{value}"), value));
        format!(
            "{}{field_slug}/{value_slug}/",
            section_url(self.content, dir, lang)
        )
    }

    /// The facet fields of a section with their values and listing pages.
    pub fn facets(
        &self,
        dir: &str,
        lang: &str,
        current: Option<(&str, &str)>,
    ) -> Vec<FacetFieldView> {
        let Some(declared) = self.content.section_fields.get(dir) else {
            return Vec::new();
        };
        let listing = self.listings.get(&(dir, lang));
        declared
            .iter()
            .filter(|d| d.facet)
            .map(|d| FacetFieldView {
                field: d.name.clone(),
                values: d
                    .allowed
                    .iter()
                    .map(|v| FacetValueView {
                        value: v.clone(),
                        url: self.url(&self.facet_url(dir, lang, &d.name, v)),
                        count: listing
                            .map(|l| {
                                l.iter()
                                    .filter(|(id, _)| self.has_value(*id, &d.name, v))
                                    .count()
                            })
                            .unwrap_or(0),
                        current: current == Some((d.name.as_str(), v.as_str())),
                    })
                    .collect(),
            })
            .collect()
    }

    fn has_value(&self, id: PageId, field: &str, value: &str) -> bool {
        field_has(self.content.pages[id].front.fields.get(field), value)
    }

    /// A page derived from a section page (facet listing, print document):
    /// same data, its own URL per language, and alternates, switcher and
    /// canonical built from those URLs.
    fn derived(&self, section: PageId, urls: &BTreeMap<String, String>) -> PageView<'a> {
        let mut view = self.page(section);
        let lang = self.content.pages[section].lang.as_str();
        let own = urls.get(lang).cloned().unwrap_or_default();
        view.url = self.url(&own);
        view.permalink = self.config.base_url.absolute(&own);
        view.canonical = view.permalink.clone();
        view.stand_in = None;
        view.alternates = self
            .config
            .languages
            .iter()
            .filter_map(|l| {
                urls.get(&l.code).map(|u| AlternateView {
                    hreflang: l.code.clone(),
                    href: self.config.base_url.absolute(u),
                })
            })
            .collect();
        if let Some(default) = urls.get(&self.config.default_language) {
            view.alternates.push(AlternateView {
                hreflang: "x-default".into(),
                href: self.config.base_url.absolute(default),
            });
        }
        view.switcher = self
            .config
            .languages
            .iter()
            .map(|l| SwitchView {
                code: l.code.clone(),
                name: l.name.clone(),
                url: self.url(
                    urls.get(&l.code)
                        .map(String::as_str)
                        .unwrap_or(&format!("/{}/", l.code)),
                ),
                available: urls.contains_key(&l.code),
                current: l.code == lang,
            })
            .collect();
        view
    }

    /// Languages in which section `dir` has its own page, with that page.
    pub fn section_languages(&self, dir: &str) -> Vec<(String, PageId)> {
        self.config
            .languages
            .iter()
            .filter_map(|l| {
                self.content
                    .section_page(dir, &l.code)
                    .filter(|&id| self.content.pages[id].stand_in_for.is_none())
                    .map(|id| (l.code.clone(), id))
            })
            .collect()
    }

    /// The listing page of one facet value, in the section page's language.
    pub fn facet_page(&self, section: PageId, field: &str, value: &str) -> PageView<'a> {
        let dir = self.content.pages[section].path.dir.as_str();
        let lang = self.content.pages[section].lang.as_str();
        let urls: BTreeMap<String, String> = self
            .section_languages(dir)
            .into_iter()
            .map(|(l, _)| {
                let url = self.facet_url(dir, &l, field, value);
                (l, url)
            })
            .collect();
        let mut view = self.derived(section, &urls);
        view.pages.retain(|p| field_has(p.fields.get(field), value));
        view.facets = self.facets(dir, lang, Some((field, value)));
        view.facet = Some(FacetView {
            field: field.to_string(),
            value: value.to_string(),
            section_url: self.url(&self.content.pages[section].url),
        });
        view
    }

    /// A print document of every page of a section, at `urls` per language.
    pub fn print_page(&self, section: PageId, urls: &BTreeMap<String, String>) -> PageView<'a> {
        let dir = self.content.pages[section].path.dir.as_str();
        let lang = self.content.pages[section].lang.as_str();
        let mut view = self.derived(section, urls);
        view.print = self
            .listings
            .get(&(dir, lang))
            .into_iter()
            .flatten()
            .map(|(id, _)| {
                let page = &self.content.pages[*id];
                let prefix = format!("card-{}", page.path.stem);
                let html = demote_headings(&prefix_ids(&self.rendered_of(*id).html, &prefix));
                let (content, link_notes) = footnote_links(&html, &prefix, &self.config.base_url);
                PrintView {
                    title: &page.front.title,
                    description: page.front.description.as_deref(),
                    permalink: self.config.base_url.absolute(&page.url),
                    lang: page.content_lang(&self.content.pages),
                    content,
                    link_notes,
                    fields: self.fields(*id),
                    number: self.positions.get(id).map(|p| p + 1),
                    stem: &page.path.stem,
                }
            })
            .collect();
        view
    }

    /// The page's typed fields, with every declared non-`pages` field present.
    fn fields(&self, id: PageId) -> serde_json::Value {
        let page = &self.content.pages[id];
        let mut map = serde_json::Map::new();
        if let Some(declared) = self.content.section_fields.get(&page.path.dir) {
            for decl in declared.iter().filter(|d| d.kind != FieldType::Pages) {
                map.insert(decl.name.clone(), serde_json::Value::Null);
            }
        }
        for (name, value) in &page.front.fields {
            map.insert(name.clone(), value.clone());
        }
        serde_json::Value::Object(map)
    }

    fn ancestors(&self, id: PageId) -> Vec<LinkView> {
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
            .filter_map(|d| self.best_in(&files::section_link_key(d), &page.lang))
            .map(|s| self.link(s, &page.lang, None))
            .collect()
    }

    fn neighbours(&self, id: PageId) -> (Option<LinkView>, Option<LinkView>, Option<usize>) {
        let page = &self.content.pages[id];
        let Some(entries) = self
            .listings
            .get(&(page.path.dir.as_str(), page.lang.as_str()))
        else {
            return (None, None, None);
        };
        let Some(&position) = self.positions.get(&id) else {
            return (None, None, None);
        };
        let previous = position
            .checked_sub(1)
            .and_then(|p| entries.get(p))
            .map(|(t, _)| self.link(*t, &page.lang, None));
        let next = entries
            .get(position + 1)
            .map(|(t, _)| self.link(*t, &page.lang, None));
        (previous, next, Some(position + 1))
    }

    /// The pages of section `dir` for readers of `lang`, with untranslated
    /// ones marked (`untranslated: link`).
    pub fn listing(&self, dir: &str, lang: &str, current: PageId) -> Vec<LinkView> {
        self.listings
            .get(&(dir, lang))
            .map(|entries| {
                entries
                    .iter()
                    .map(|(id, _)| self.link(*id, lang, Some(current)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn child_sections(&self, dir: &str, lang: &str) -> Vec<LinkView> {
        let mut ids: Vec<PageId> = self
            .content
            .subsections(dir)
            .iter()
            .filter_map(|d| self.best_in(&files::section_link_key(d), lang))
            .collect();
        ids.sort_by_cached_key(|&id| self.content.order_key(id));
        ids.into_iter()
            .map(|id| self.link(id, lang, None))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_ids;

    #[test]
    fn headings_move_one_level_down() {
        assert_eq!(
            super::demote_headings("<h2 id=\"a\">A</h2><h3>B</h3><h6>C</h6>"),
            "<h3 id=\"a\">A</h3><h4>B</h4><h6>C</h6>"
        );
    }

    #[test]
    fn ids_and_in_page_links_are_prefixed() {
        let html = "<h2 id=\"steps\">S</h2><a href=\"#steps\">x</a><a href=\"/other/\">y</a>";
        assert_eq!(
            prefix_ids(html, "card-a"),
            "<h2 id=\"card-a-steps\">S</h2><a href=\"#card-a-steps\">x</a><a href=\"/other/\">y</a>"
        );
    }
}
