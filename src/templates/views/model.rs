//! The loaded site as views see it. Views reach the model only through
//! the accessors here; each records the input it reads ([`Reads`]) and
//! returns plain data, and the input's value ([`Model::value`]) is a hash
//! of what the same accessor returns. So what a view may show and what
//! `serve` compares after an edit are one piece of code and cannot drift
//! apart. The view modules beside this one cannot see the model's fields.
//!
//! Only [`Model::summary`], [`Model::page`], [`Model::raw_body`] and
//! [`Model::anchors`] read rendered Markdown: an edit of a page's text
//! changes no other input ([`Index::text_inputs`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::reads::{Input, PageKey, Reads, hash_of, hash_serialized};
use crate::config::SiteConfig;
use crate::content::derived::{Derived, DerivedKind, DerivedPage, Feed};
use crate::content::front_matter::{Date, FieldDecl};
use crate::content::pairing;
use crate::content::rendered::Rendered;
use crate::content::sections::{Entry, Listings};
use crate::content::{Content, PageId, PageKind};
use crate::i18n::I18n;
use crate::i18n::labels::Labels;
use crate::markdown::links::ResolvedLink;
use crate::markdown::{LinkResolver as _, TocEntry};
use crate::templates::Templates;

/// Lookups over the site's structure that views need, made once per
/// structure (the content, URLs and listings), not per view: stable page
/// keys, stand-ins and backlinks.
#[derive(Debug, Default)]
pub struct Index {
    /// Page id → its key.
    keys: Vec<PageKey>,
    /// Key → page id.
    ids: HashMap<PageKey, PageId>,
    /// Original → its stand-ins (`untranslated: render`).
    stand_ins: HashMap<PageId, Vec<PageId>>,
    /// Target group → (section folder, group) of the pages whose
    /// cross-section `pages` fields name it, in content order.
    backlinks: BTreeMap<String, Vec<(String, String)>>,
}

impl Index {
    /// Indexes `content`.
    pub fn new(content: &Content) -> Index {
        let keys: Vec<PageKey> = content
            .pages
            .iter()
            .map(|p| PageKey::new(&p.path.link_key, &p.lang))
            .collect();
        let ids = keys.iter().enumerate().map(|(id, k)| (*k, id)).collect();
        let mut stand_ins: HashMap<PageId, Vec<PageId>> = HashMap::new();
        let mut backlinks: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (id, page) in content.pages.iter().enumerate() {
            if let Some(original) = page.stand_in_for {
                stand_ins.entry(original).or_default().push(id);
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
                    let entry = backlinks.entry(target.clone()).or_default();
                    let item = (page.path.dir.clone(), page.group.clone());
                    if !entry.contains(&item) {
                        entry.push(item);
                    }
                }
            }
        }
        Index {
            keys,
            ids,
            stand_ins,
            backlinks,
        }
    }

    /// The key of page `id`.
    pub fn key(&self, id: PageId) -> PageKey {
        self.keys[id]
    }

    /// The inputs an edit of the texts of `pages` can change (their
    /// front matter unchanged): what is made from their rendered Markdown,
    /// for them and for their stand-ins.
    pub fn text_inputs(&self, pages: &[PageId]) -> Vec<Input> {
        self.page_inputs(pages, false)
    }

    /// The inputs an edit of the front matter of `pages` can change: as
    /// [`Index::text_inputs`], and their field values.
    pub fn front_inputs(&self, pages: &[PageId]) -> Vec<Input> {
        self.page_inputs(pages, true)
    }

    fn page_inputs(&self, pages: &[PageId], fields: bool) -> Vec<Input> {
        let mut out = Vec::new();
        for &id in pages {
            let stand_ins = self.stand_ins.get(&id).into_iter().flatten();
            for &page in std::iter::once(&id).chain(stand_ins) {
                let Some(&key) = self.keys.get(page) else {
                    continue;
                };
                out.extend([Input::Summary(key), Input::Page(key), Input::Anchors(key)]);
                if fields {
                    out.push(Input::Fields(key));
                }
            }
        }
        out
    }
}

/// The parts of a loaded site views are made from.
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    /// `site.yaml`.
    pub config: &'a SiteConfig,
    /// Pages, URLs, translations.
    pub content: &'a Content,
    /// Rendered Markdown by page.
    pub rendered: &'a Rendered,
    /// UI strings and formats.
    pub i18n: &'a I18n,
    /// Section listings.
    pub listings: &'a Listings,
    /// Derived pages and feeds.
    pub derived: &'a Derived,
    /// The templates (which exist, and what each pulls in).
    pub templates: &'a Templates,
    /// Lookups over the structure.
    pub index: &'a Index,
}

/// What views may read of the loaded site (see the module doc).
pub(super) struct Model<'a> {
    config: &'a SiteConfig,
    content: &'a Content,
    rendered: &'a Rendered,
    i18n: &'a I18n,
    listings: &'a Listings,
    derived: &'a Derived,
    templates: &'a Templates,
    index: &'a Index,
}

/// What other pages show of a page ([`Input::Summary`]).
#[derive(Clone, Debug, Serialize)]
pub(super) struct Summary<'a> {
    pub(super) kind: PageKind,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    /// Site path (without base path).
    pub(super) url: &'a str,
    /// The language it is published in.
    pub(super) lang: &'a str,
    /// The language its text is written in.
    pub(super) content_lang: &'a str,
    pub(super) stand_in: bool,
    pub(super) dir: &'a str,
    pub(super) stem: &'a str,
    pub(super) group: &'a str,
    /// Position in its section's listing (1-based).
    pub(super) number: Option<usize>,
    pub(super) fields: &'a BTreeMap<String, serde_json::Value>,
    pub(super) date: Option<Date>,
    pub(super) weight: Option<i64>,
    pub(super) order: Option<u32>,
    pub(super) file: &'a Path,
    /// Minutes to read (at 200 words a minute, at least 1).
    pub(super) reading_time: usize,
}

/// What a page's own view shows beyond its summary ([`Input::Page`]).
#[derive(Clone, Debug, Serialize)]
pub(super) struct PageData<'a> {
    /// Stands in for the body where only changes matter.
    pub(super) html_hash: &'a str,
    pub(super) toc: &'a [TocEntry],
    pub(super) word_count: usize,
    pub(super) updated: Option<Date>,
    pub(super) extra: &'a serde_json::Value,
    pub(super) template: Option<&'a str>,
    /// `pages` fields: field name → translation groups.
    pub(super) page_fields: &'a BTreeMap<String, Vec<String>>,
    /// `@/` keys of the body with the URLs they were written as.
    pub(super) link_targets: &'a [(String, String)],
    /// The file its problems are reported at.
    pub(super) file: &'a Path,
    /// The line of `file` where the page starts (a data row's line).
    pub(super) line: usize,
    /// For a stand-in: the page it shows (in the input's value by its key).
    #[serde(skip)]
    pub(super) original: Option<PageId>,
}

/// A section folder's declarations ([`Input::Section`]).
#[derive(Clone, Copy, Debug, Hash)]
pub(super) struct SectionData<'a> {
    pub(super) fields: &'a [FieldDecl],
    pub(super) layout: Option<&'a str>,
    pub(super) group_by: Option<&'a str>,
}

/// One page of a translation group ([`Input::Group`]).
#[derive(Clone, Copy, Debug)]
pub(super) struct Member<'a> {
    pub(super) lang: &'a str,
    pub(super) id: PageId,
    pub(super) url: &'a str,
    pub(super) stand_in: bool,
}

/// A feed as pages link it ([`Input::Feeds`]).
#[derive(Clone, Debug, Serialize)]
pub(super) struct FeedLink<'a> {
    pub(super) title: String,
    pub(super) url: &'a str,
    pub(super) lang: &'a str,
}

/// The UI strings and formats of one language ([`Input::Strings`]).
#[derive(Clone, Copy)]
pub(super) struct Strings<'s> {
    i18n: &'s I18n,
    lang: &'s str,
}

impl<'s> Strings<'s> {
    /// The language the interface texts are in.
    pub(super) fn ui_lang(&self) -> &'s str {
        self.i18n.ui_lang(self.lang)
    }

    /// The name of language `code` as it reads inside the UI string `key`
    /// of this language: in the language the key's text is found in
    /// (CLDR's display name), `None` where CLDR has none.
    pub(super) fn language_name(&self, code: &str, key: &str) -> Option<&'static str> {
        let source = self.i18n.source_lang(self.lang, key);
        self.i18n.language_name(code, source)
    }

    /// A date in this language.
    pub(super) fn date(&self, date: Date) -> String {
        self.i18n.date(self.lang, date)
    }

    /// A number in this language.
    pub(super) fn number(&self, value: f64, decimals: usize) -> String {
        self.i18n.number(self.lang, value, decimals)
    }

    /// A UI string without placeholders, if the site or theme has it.
    pub(super) fn ui_string(&self, key: &str) -> Option<String> {
        self.i18n.get(self.lang, key, None, &[]).map(|l| l.text())
    }

    /// The label of a field.
    pub(super) fn field(&self, decl: &FieldDecl) -> String {
        Labels::new(self.i18n).field(decl, self.lang)
    }

    /// The label of one value of a field.
    pub(super) fn value(&self, decl: &FieldDecl, value: &str) -> String {
        Labels::new(self.i18n).value(decl, value, self.lang)
    }
}

/// What an input has when what it names does not exist.
const ABSENT: u64 = 0x5eed_ab5e_47ab_5e47;

impl<'a> Model<'a> {
    /// The model over a loaded site's parts.
    pub(super) fn new(parts: Parts<'a>) -> Model<'a> {
        Model {
            config: parts.config,
            content: parts.content,
            rendered: parts.rendered,
            i18n: parts.i18n,
            listings: parts.listings,
            derived: parts.derived,
            templates: parts.templates,
            index: parts.index,
        }
    }

    /// `site.yaml`.
    pub(super) fn config(&self, reads: &Reads) -> &'a SiteConfig {
        reads.add(|| Input::Config);
        self.config
    }

    /// Whether the site has one language (its URLs have no language
    /// segment then).
    pub(super) fn single_language(&self, reads: &Reads) -> bool {
        reads.add(|| Input::Config);
        self.content.single_language
    }

    /// The site path of a language's home page.
    pub(super) fn home_path(&self, reads: &Reads, lang: &str) -> String {
        reads.add(|| Input::Config);
        self.content.home_path(lang)
    }

    /// The UI strings and formats of `lang`.
    pub(super) fn strings<'s>(&self, reads: &Reads, lang: &'s str) -> Strings<'s>
    where
        'a: 's,
    {
        reads.add(|| Input::Strings(lang.into()));
        Strings {
            i18n: self.i18n,
            lang,
        }
    }

    /// What other pages show of page `id`.
    pub(super) fn summary(&self, reads: &Reads, id: PageId) -> Summary<'a> {
        reads.add(|| Input::Summary(self.index.key(id)));
        let page = &self.content.pages[id];
        Summary {
            kind: page.kind,
            title: &page.front.title,
            description: page.front.description.as_deref(),
            url: &page.url,
            lang: &page.lang,
            content_lang: page.content_lang(&self.content.pages),
            stand_in: page.stand_in_for.is_some(),
            dir: &page.path.dir,
            stem: &page.path.stem,
            group: &page.group,
            number: self.listings.position(id).map(|p| p + 1),
            fields: &page.front.fields,
            date: page.front.date,
            weight: page.front.weight,
            order: page.path.order,
            file: &page.file.path,
            reading_time: self.rendered_of(id).word_count.div_ceil(200).max(1),
        }
    }

    /// The field values of page `id` (what facets and filters test).
    pub(super) fn fields(
        &self,
        reads: &Reads,
        id: PageId,
    ) -> &'a BTreeMap<String, serde_json::Value> {
        reads.add(|| Input::Fields(self.index.key(id)));
        &self.content.pages[id].front.fields
    }

    /// Sort key of page `id` (see [`Content::order_key`]), read through
    /// its summary, which holds everything the key is made of.
    pub(super) fn order_key(&self, reads: &Reads, id: PageId) -> (i64, String, std::path::PathBuf) {
        self.summary(reads, id);
        self.content.order_key(id)
    }

    /// What page `id`'s own view shows beyond its summary.
    pub(super) fn page(&self, reads: &Reads, id: PageId) -> PageData<'a> {
        reads.add(|| Input::Page(self.index.key(id)));
        let page = &self.content.pages[id];
        let rendered = self.rendered_of(id);
        PageData {
            html_hash: &rendered.html_hash,
            toc: &rendered.toc,
            word_count: rendered.word_count,
            updated: page.front.updated,
            extra: &page.front.extra,
            template: page.front.template.as_deref(),
            page_fields: &page.page_fields,
            link_targets: &rendered.link_targets,
            file: &page.file.path,
            line: page.line,
            original: page.stand_in_for,
        }
    }

    /// The body HTML of page `id` as rendered (its original's, for a
    /// stand-in, with links as the original wrote them).
    pub(super) fn raw_body(&self, reads: &Reads, id: PageId) -> Cow<'a, str> {
        reads.add(|| Input::Page(self.index.key(id)));
        let source = self.content.pages[id].stand_in_for.unwrap_or(id);
        self.rendered.body(source)
    }

    /// The anchors page `id` defines.
    pub(super) fn anchors(&self, reads: &Reads, id: PageId) -> &'a [String] {
        reads.add(|| Input::Anchors(self.index.key(id)));
        &self.rendered_of(id).anchors
    }

    /// Where `@/` key `key` leads for readers of `lang`.
    pub(super) fn resolve(&self, reads: &Reads, key: &str, lang: &str) -> Option<ResolvedLink> {
        reads.add(|| Input::Resolve(key.into(), lang.into()));
        self.links().resolve(key, lang)
    }

    /// The page of translation group `group` for readers of `lang`: its
    /// translation, else the original.
    pub(super) fn best_in(&self, reads: &Reads, group: &str, lang: &str) -> Option<PageId> {
        reads.add(|| Input::Group(group.into()));
        reads.add(|| Input::Config);
        pairing::best_in(self.content, self.config, group, lang)
    }

    /// The pages of translation group `group`, by language.
    pub(super) fn members(&self, reads: &Reads, group: &str) -> Vec<Member<'a>> {
        reads.add(|| Input::Group(group.into()));
        self.content
            .groups
            .get(group)
            .into_iter()
            .flatten()
            .map(|(lang, &id)| {
                let page = &self.content.pages[id];
                Member {
                    lang,
                    id,
                    url: &page.url,
                    stand_in: page.stand_in_for.is_some(),
                }
            })
            .collect()
    }

    /// hreflang alternates of page `id` as (hreflang, site path).
    pub(super) fn alternates(&self, reads: &Reads, id: PageId) -> Vec<(String, String)> {
        let summary = self.summary(reads, id);
        self.members(reads, summary.group);
        reads.add(|| Input::Config);
        pairing::alternates(self.content, self.config, id)
    }

    /// The (section folder, group) of the pages whose cross-section
    /// `pages` fields name group `group`.
    pub(super) fn backlinks(&self, reads: &Reads, group: &str) -> &'a [(String, String)] {
        reads.add(|| Input::Backlinks(group.into()));
        self.index
            .backlinks
            .get(group)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The pages of section `dir` for readers of `lang`, in order.
    pub(super) fn listing(&self, reads: &Reads, dir: &str, lang: &str) -> &'a [Entry] {
        reads.add(|| Input::Listing(dir.into(), lang.into()));
        self.listings.of(dir, lang)
    }

    /// The declarations of section folder `dir`.
    pub(super) fn section(&self, reads: &Reads, dir: &str) -> SectionData<'a> {
        reads.add(|| Input::Section(dir.into()));
        SectionData {
            fields: self.content.fields_of(dir),
            layout: self.content.layout_of(dir),
            group_by: self.content.section_group_by.get(dir).map(String::as_str),
        }
    }

    /// The child section folders of `dir`.
    pub(super) fn subsections(&self, reads: &Reads, dir: &str) -> Vec<String> {
        reads.add(|| Input::Subsections(dir.into()));
        self.content.subsections(dir)
    }

    /// The URLs in every language of the derived page of folder `dir`
    /// showing `kind`.
    pub(super) fn derived_urls(
        &self,
        reads: &Reads,
        dir: &str,
        kind: &DerivedKind,
    ) -> Option<&'a BTreeMap<String, String>> {
        reads.add(|| Input::Derived(dir.into()));
        self.derived.urls.get(&(dir.to_string(), kind.clone()))
    }

    /// The derived page at `index` of the plan, if there is one.
    pub(super) fn derived_page(&self, reads: &Reads, index: usize) -> Option<&'a DerivedPage> {
        let page = self.derived.pages.get(index)?;
        reads.add(|| Input::Derived(self.content.pages[page.section].path.dir.as_str().into()));
        Some(page)
    }

    /// The URL of a facet value's page in `lang`, if there is one.
    pub(super) fn facet_url(
        &self,
        reads: &Reads,
        dir: &str,
        field: &str,
        value: &str,
        lang: &str,
    ) -> Option<&'a str> {
        reads.add(|| Input::Derived(dir.into()));
        self.derived.facet_url(dir, field, value, lang)
    }

    /// The URL of the search page in `lang`, if the site has search.
    pub(super) fn search_url(&self, reads: &Reads, lang: &str) -> Option<&'a str> {
        reads.add(|| Input::Derived("".into()));
        self.derived.search_url(lang)
    }

    /// The print documents in `lang`: section folder → site path.
    pub(super) fn print_urls(&self, reads: &Reads, lang: &str) -> BTreeMap<&'a str, &'a str> {
        reads.add(|| Input::Print);
        self.derived
            .print
            .iter()
            .filter_map(|(dir, by_lang)| Some((dir.as_str(), by_lang.get(lang)?.as_str())))
            .collect()
    }

    /// The title of the section whose print document is at `url`.
    pub(super) fn print_title(&self, reads: &Reads, url: &str) -> Option<&'a str> {
        let page = self
            .derived
            .pages
            .iter()
            .find(|p| p.kind == crate::content::derived::DerivedKind::Print && p.url == url)?;
        Some(self.summary(reads, page.section).title)
    }

    /// The feeds a page in `lang` and folder `dir` links.
    pub(super) fn feeds_for(&self, reads: &Reads, lang: &str, dir: &str) -> Vec<FeedLink<'a>> {
        reads.add(|| Input::Feeds);
        self.derived
            .feeds_for(lang, dir)
            .into_iter()
            .map(|f| self.feed_link(f))
            .collect()
    }

    fn feed_link(&self, feed: &'a Feed) -> FeedLink<'a> {
        FeedLink {
            title: feed.title(self.config, self.content),
            url: &feed.url,
            lang: &feed.lang,
        }
    }

    /// Whether the template `name` exists.
    pub(super) fn has_template(&self, reads: &Reads, name: &str) -> bool {
        reads.add(|| Input::Template(name.into()));
        self.templates.has(name)
    }

    /// The page the site-wide pages (chooser, 404) are made from: the
    /// default language's home page, else any home page.
    pub(super) fn site_home(&self, reads: &Reads) -> Option<PageId> {
        let lang = &self.config(reads).default_language;
        let home = crate::content::files::section_link_key("");
        self.members(reads, &home);
        self.content.section_page("", lang).or_else(|| {
            self.content
                .pages
                .iter()
                .position(|p| p.kind == PageKind::Home)
        })
    }

    fn rendered_of(&self, id: PageId) -> &'a crate::markdown::RenderedMarkdown {
        let source = self.content.pages[id].stand_in_for.unwrap_or(id);
        &self.rendered[source]
    }

    fn links(&self) -> crate::content::links::SiteLinks<'a> {
        crate::content::links::SiteLinks {
            content: self.content,
            config: self.config,
        }
    }

    /// The value of a base input: a hash of what its accessor returns
    /// now. (Shared views are worked out by the view builder.)
    pub(super) fn value(&self, input: &Input) -> u64 {
        let off = Reads::off();
        let reads = &off;
        let page = |key: &PageKey| self.index.ids.get(key).copied();
        match input {
            Input::Config => hash_of(&(format!("{:?}", self.config), self.content.single_language)),
            Input::Strings(lang) => {
                hash_of(&(self.i18n.strings_hash(lang), self.i18n.ui_lang(lang)))
            }
            Input::Template(name) => hash_of(
                &self
                    .templates
                    .has(name)
                    .then(|| self.templates.closure_hash(name)),
            ),
            Input::Summary(key) => match page(key) {
                Some(id) => hash_serialized(&self.summary(reads, id)),
                None => ABSENT,
            },
            Input::Page(key) => match page(key) {
                Some(id) => {
                    let data = self.page(reads, id);
                    hash_serialized(&(&data, data.original.map(|o| self.index.key(o).0)))
                }
                None => ABSENT,
            },
            Input::Anchors(key) => match page(key) {
                Some(id) => hash_of(&self.anchors(reads, id)),
                None => ABSENT,
            },
            Input::Fields(key) => match page(key) {
                Some(id) => hash_serialized(self.fields(reads, id)),
                None => ABSENT,
            },
            Input::Group(group) => hash_of(
                &self
                    .members(reads, group)
                    .iter()
                    .map(|m| (m.lang, self.index.key(m.id), m.url, m.stand_in))
                    .collect::<Vec<_>>(),
            ),
            Input::Backlinks(group) => hash_of(&self.backlinks(reads, group)),
            Input::Resolve(key, lang) => hash_of(
                &self
                    .resolve(reads, key, lang)
                    .map(|r| (r.url, r.group, r.lang)),
            ),
            Input::Listing(dir, lang) => hash_of(
                &self
                    .listing(reads, dir, lang)
                    .iter()
                    .map(|e| (self.index.key(e.id), e.only_in))
                    .collect::<Vec<_>>(),
            ),
            Input::Section(dir) => hash_of(&self.section(reads, dir)),
            Input::Subsections(dir) => hash_of(&self.subsections(reads, dir)),
            Input::Derived(dir) => hash_of(
                &self
                    .derived
                    .urls
                    .iter()
                    .filter(|((d, _), _)| d.as_str() == &**dir)
                    .collect::<Vec<_>>(),
            ),
            Input::Print => hash_of(&self.derived.print),
            Input::Feeds => hash_serialized(
                &self
                    .derived
                    .feeds
                    .iter()
                    .map(|f| (self.feed_link(f), &f.dir))
                    .collect::<Vec<_>>(),
            ),
            // Worked out by the view builder; never asked here.
            Input::SiteView(..) | Input::Facets(..) | Input::Filters(..) => ABSENT,
        }
    }
}
