//! Content: walks `content/`, reads every Markdown file once, checks its
//! front matter and turns the tree into [`Content`]: pages and sections with
//! languages, URLs and translation groups. Later stages never reread files.
//!
//! Steps, each in its own module:
//! 1. [`files`]: file names → language, section folder, stem, order prefix;
//! 2. [`front_matter`]: YAML block → typed [`front_matter::FrontMatter`];
//! 3. [`urls`]: slugs and URLs, duplicate and escaping URLs;
//! 4. [`pairing`]: translation groups, including untranslated stand-ins.
//!
//! Built on the pages, and as plain data for templates and output alike:
//! [`sections`] (listings), [`derived`] (facet, print and search pages and
//! feeds, with their URLs) and [`rendered`] (every page's Markdown output,
//! whose bodies wait in a [`spill`] file during a build).

pub(crate) mod cache;
pub(crate) mod derived;
pub(crate) mod empty_translations;
pub(crate) mod files;
pub mod front_matter;
pub(crate) mod fronts;
pub mod links;
pub(crate) mod pairing;
pub(crate) mod rendered;
pub(crate) mod sections;
pub(crate) mod source;
pub(crate) mod spill;
pub(crate) mod urls;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, SourceFile};
pub use cache::ContentCache;
use files::ContentPath;
use front_matter::{FieldDecl, FileKind, FrontMatter};

/// Index of a page in [`Content::pages`].
pub type PageId = usize;

/// Whether a page is a language's home, a section's own page, or a plain page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// `content/_index.<lang>.md`.
    Home,
    /// `content/<dir>/_index.<lang>.md`.
    Section,
    /// Any other Markdown file.
    Page,
}

/// Whether a field value is `wanted` (text) or contains it (list).
pub fn field_has(field: Option<&serde_json::Value>, wanted: &str) -> bool {
    match field {
        Some(serde_json::Value::String(s)) => s == wanted,
        Some(serde_json::Value::Array(items)) => items.iter().any(|i| i.as_str() == Some(wanted)),
        _ => false,
    }
}

/// The text values of a field: a text is one value, a list its texts,
/// anything else none. Facets, listings and the field chart all count
/// values this way, so they agree on what a page has.
pub fn field_values(field: Option<&serde_json::Value>) -> Vec<String> {
    match field {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// One page in one language, with everything later stages need.
#[derive(Clone, Debug)]
pub struct Page {
    /// The file it comes from (shared with stand-ins rendered from it).
    pub file: Arc<SourceFile>,
    /// Where the file sits in `content/` and what its name says.
    pub path: ContentPath,
    /// The language this page is published in.
    pub lang: String,
    /// Home, section or page.
    pub kind: PageKind,
    /// Checked front matter.
    pub front: FrontMatter,
    /// Byte range of the Markdown body in `file.text`.
    pub body: std::ops::Range<usize>,
    /// Site path such as `/de/formate/hitze-check/` (without base path).
    pub url: String,
    /// Translation group key (the `translation_key` or the file's path key).
    pub group: String,
    /// Set when this page is a stand-in: the original rendered under another
    /// language because no translation exists (`untranslated: render`).
    pub stand_in_for: Option<PageId>,
    /// Resolved `pages` fields: field name → page ids in the same language
    /// group order (resolved against translation groups).
    pub page_fields: BTreeMap<String, Vec<String>>,
    /// For a row of a data-driven section: the data file, which the spans
    /// in `front` point into (`file` holds only the row's Markdown body).
    pub data_file: Option<Arc<SourceFile>>,
    /// The line of `file.path` where the page starts: 1, or a data row's
    /// first line (for edit links, which must outlive the file's text).
    pub line: usize,
}

impl Page {
    /// Whether the page's `field` is `value` (text) or contains it (list).
    pub fn has_value(&self, field: &str, value: &str) -> bool {
        field_has(self.front.fields.get(field), value)
    }

    /// The file the spans of `front` point into: the page's own file, or
    /// the data file of a row page.
    pub fn front_file(&self) -> &SourceFile {
        self.data_file.as_deref().unwrap_or(&self.file)
    }

    /// The Markdown body.
    pub fn body_text(&self) -> &str {
        &self.file.text[self.body.clone()]
    }

    /// The language the page's text is written in (differs for stand-ins).
    pub fn content_lang<'a>(&'a self, pages: &'a [Page]) -> &'a str {
        match self.stand_in_for {
            Some(original) => &pages[original].lang,
            None => &self.lang,
        }
    }
}

/// The whole checked content of the site.
#[derive(Debug, Default)]
pub struct Content {
    /// Every page, section and home page in every language (drafts excluded
    /// unless requested), stand-ins last.
    pub pages: Vec<Page>,
    /// Translation group key → language → page.
    pub groups: BTreeMap<String, BTreeMap<String, PageId>>,
    /// `@/` link key (`cards/heat-check.md`) → translation group key.
    pub link_keys: HashMap<String, String>,
    /// Section folder (`cards`, `""` for the root) → declared fields.
    pub section_fields: HashMap<String, Vec<FieldDecl>>,
    /// Every folder that has an `_index` file in some language.
    pub section_dirs: BTreeSet<String>,
    /// `@/` keys of drafts left out of this build, so links to them can
    /// say so instead of "no such file".
    pub draft_link_keys: BTreeSet<String>,
    /// `@/` keys of files that failed to load (already reported), so links
    /// to them are not reported again as broken.
    pub failed_link_keys: BTreeSet<String>,
    /// (`@/` key, language) of each file that failed to load, so a link
    /// into that language's version is not reported a second time as a
    /// broken anchor of another language's version.
    pub failed_pages: BTreeSet<(String, String)>,
    /// Section folder → layout (`cards`, `book`), inherited by subsections.
    pub section_layouts: HashMap<String, String>,
    /// Section folder → the field that groups its listing.
    pub section_group_by: HashMap<String, String>,
    /// Whether the site has one language: its URLs then have no language
    /// segment (`/cards/x/` instead of `/en/cards/x/`).
    pub single_language: bool,
    /// How URL segments spell non-Latin letters (`slugs:` in site.yaml).
    pub slugs: crate::text::SlugStyle,
    /// First and last commit time of each file (by its path relative to
    /// the site folder), for pages that set no date. Empty outside a git
    /// repository.
    pub file_dates: Arc<HashMap<PathBuf, crate::sources::git::CommitDates>>,
}

impl Content {
    /// `text` as a URL segment of a page in `lang`: that language's
    /// transliteration, non-Latin scripts as `slugs:` says.
    pub fn slug(&self, text: &str, lang: &str) -> String {
        crate::text::slugify_in(text, lang, self.slugs)
    }

    /// When a page last changed: its `updated`, else its `date` (at
    /// midnight UTC), else its file's last commit. `None` when nothing
    /// says: such a page is never given a made-up date.
    pub fn last_change(&self, id: PageId) -> Option<jiff::Timestamp> {
        let page = &self.pages[self.pages[id].stand_in_for.unwrap_or(id)];
        match page.front.updated.or(page.front.date) {
            Some(date) => date.midnight_utc(),
            None => self.file_dates.get(&page.file.path).map(|d| d.last),
        }
    }

    /// When a page was first published: its `date` (at midnight UTC), else,
    /// when nothing in its front matter dates it, its file's first commit.
    /// Rows of a data section only have their `date`: the data file's
    /// first commit says nothing about when a row was added.
    pub fn published(&self, id: PageId) -> Option<jiff::Timestamp> {
        let page = &self.pages[self.pages[id].stand_in_for.unwrap_or(id)];
        match (page.front.date, page.front.updated) {
            (Some(date), _) => date.midnight_utc(),
            (None, Some(_)) => None,
            (None, None) if page.data_file.is_some() => None,
            (None, None) => self.file_dates.get(&page.file.path).map(|d| d.first),
        }
    }

    /// The site path of a language's home page: `/de/`, or `/` on a
    /// single-language site.
    pub fn home_path(&self, lang: &str) -> String {
        if self.single_language {
            "/".to_string()
        } else {
            format!("/{lang}/")
        }
    }

    /// The declared fields of a section folder.
    pub fn fields_of(&self, dir: &str) -> &[FieldDecl] {
        self.section_fields
            .get(dir)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The layout of a section folder (`cards`, `book`), if it declares one.
    pub fn layout_of(&self, dir: &str) -> Option<&str> {
        self.section_layouts.get(dir).map(String::as_str)
    }

    /// The page of a translation group in a language, if there is one.
    pub fn page_in(&self, group: &str, lang: &str) -> Option<PageId> {
        self.groups.get(group)?.get(lang).copied()
    }

    /// The page written in `lang` for the section folder `dir`.
    pub fn section_page(&self, dir: &str, lang: &str) -> Option<PageId> {
        self.page_in(&files::section_link_key(dir), lang)
    }

    /// The section folder a reference names (`print:`, a `pages` field's
    /// `section:`, `field_chart`): the folder itself (`01-metode`) or its
    /// name without numeric prefixes (`metode`), as in URLs and `@/` links
    /// to pages. `None` when no section has that name.
    pub fn section_named(&self, name: &str) -> Option<&str> {
        let name = name.trim_matches('/');
        if let Some(dir) = self.section_dirs.get(name) {
            return Some(dir);
        }
        let wanted = section_name(name);
        self.section_dirs
            .iter()
            .find(|dir| section_name(dir) == wanted)
            .map(String::as_str)
    }

    /// Every section's name without numeric prefixes (`metode`,
    /// `metode/teren`), the way references name them, sorted.
    pub fn section_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .section_dirs
            .iter()
            .filter(|d| !d.is_empty())
            .map(|d| section_name(d))
            .collect();
        names.sort();
        names
    }

    /// Child section folders of `dir` that have a page in some language.
    pub fn subsections(&self, dir: &str) -> Vec<String> {
        self.section_dirs
            .iter()
            .filter(|d| files::parent_dir(d) == Some(dir))
            .cloned()
            .collect()
    }

    /// Sort key: explicit weight (shared by all languages of a page), or
    /// the numeric prefix of the file name (of the folder, for a
    /// section), then for pages the title and for sections the folder
    /// name, then the file. Sections thus keep one order in every
    /// language, whatever their titles are in it.
    pub fn order_key(&self, id: PageId) -> (i64, String, PathBuf) {
        let p = &self.pages[id];
        let folder = p.path.dir.rsplit('/').next().unwrap_or_default();
        let (folder_order, folder_name) = files::split_order_prefix(folder);
        let (prefix, name) = match p.kind {
            PageKind::Section => (folder_order, folder_name.to_string()),
            _ => (p.path.order, p.front.title.to_lowercase()),
        };
        let rank = p.front.weight.or(prefix.map(i64::from)).unwrap_or(i64::MAX);
        (rank, name, p.file.path.clone())
    }
}

/// A section folder without the numeric prefixes of its parts:
/// `01-metode/02-teren` → `metode/teren`.
fn section_name(dir: &str) -> String {
    dir.split('/')
        .map(|part| files::split_order_prefix(part).1)
        .collect::<Vec<_>>()
        .join("/")
}

/// Options that change which content is loaded.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// Include pages with `draft: true`.
    pub drafts: bool,
    /// A one-off load: the cache hands its parsed pages over instead of
    /// keeping copies for the next incremental load.
    pub once: bool,
}

/// Reads and checks everything under `<root>/content`. Returns the content
/// and all diagnostics; the content is usable only when no error is among them.
pub fn load(root: &Path, config: &SiteConfig, options: LoadOptions) -> (Content, Vec<Diagnostic>) {
    ContentCache::default().load(root, config, options, None)
}

/// Orders the pages and derives what depends on all of them: translation
/// groups (and stand-ins), URLs, and `pages` fields.
fn finish(
    mut content: Content,
    config: &SiteConfig,
    mut diagnostics: Vec<Diagnostic>,
) -> (Content, Vec<Diagnostic>) {
    content.pages.sort_by(|a, b| a.file.path.cmp(&b.file.path));
    content.section_dirs = content
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Section)
        .map(|p| p.path.dir.clone())
        .collect();
    pairing::build_groups(&mut content, config, &mut diagnostics);
    urls::assign(&mut content, &mut diagnostics);
    pairing::resolve_page_fields(&mut content, config, &mut diagnostics);
    (content, diagnostics)
}

/// A found content file: its parsed name and text.
#[derive(Clone, Debug)]
pub struct FoundFile {
    /// What the file name says.
    pub path: ContentPath,
    /// The file's text.
    pub file: Arc<SourceFile>,
}

fn parse_file(
    found: &FoundFile,
    kind: FileKind,
    fields: Option<&[FieldDecl]>,
) -> Result<Page, Vec<Diagnostic>> {
    let file = &found.file;
    let split = front_matter::split(file).map_err(|d| vec![d.with_kind("front-matter")])?;
    let front = front_matter::parse(file, split.yaml.clone(), kind, fields, &found.path.lang)
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|d| {
                    if d.kind == "content" {
                        d.with_kind("front-matter")
                    } else {
                        d
                    }
                })
                .collect::<Vec<_>>()
        })?;
    let page_kind = match (found.path.is_index, found.path.dir.is_empty()) {
        (true, true) => PageKind::Home,
        (true, false) => PageKind::Section,
        (false, _) => PageKind::Page,
    };
    Ok(Page {
        file: Arc::clone(file),
        path: found.path.clone(),
        lang: found.path.lang.clone(),
        kind: page_kind,
        front,
        body: split.body,
        url: String::new(),
        group: String::new(),
        stand_in_for: None,
        data_file: None,
        page_fields: BTreeMap::new(),
        line: 1,
    })
}

/// What section `_index` files declare, merged over their languages: the
/// fields of the first language (in site order) that declares them, with
/// labels from every language; layouts, inherited by subsections.
#[derive(Default)]
struct SectionInfo {
    fields: HashMap<String, Vec<FieldDecl>>,
    /// Rank (language position) of the declaration in `fields`.
    rank: HashMap<String, usize>,
    /// Labels seen in all languages: dir → field → (label, value labels).
    labels: Vec<(String, FieldDecl)>,
    layouts: HashMap<String, String>,
    group_by: HashMap<String, String>,
    dirs: BTreeSet<String>,
}

impl SectionInfo {
    fn add(&mut self, page: &Page, config: &SiteConfig) {
        let dir = page.path.dir.clone();
        self.dirs.insert(dir.clone());
        let rank = config.language_index(&page.lang);
        let better = self.rank.get(&dir).is_none_or(|r| rank < *r);
        if !page.front.field_decls.is_empty() {
            if better {
                self.fields
                    .insert(dir.clone(), page.front.field_decls.clone());
                self.rank.insert(dir.clone(), rank);
            }
            for decl in &page.front.field_decls {
                self.labels.push((dir.clone(), decl.clone()));
            }
        }
        if let Some(layout) = &page.front.layout
            && (better || !self.layouts.contains_key(&dir))
        {
            self.layouts.insert(dir.clone(), layout.clone());
        }
        if let Some(group) = &page.front.group_by
            && (better || !self.group_by.contains_key(&dir))
        {
            self.group_by.insert(dir.clone(), group.clone());
        }
        self.merge_labels();
    }

    /// Copies labels of every language's declarations into the canonical ones.
    fn merge_labels(&mut self) {
        for (dir, decl) in &self.labels {
            let Some(canonical) = self
                .fields
                .get_mut(dir)
                .and_then(|decls| decls.iter_mut().find(|d| d.name == decl.name))
            else {
                continue;
            };
            for (lang, text) in &decl.label {
                canonical
                    .label
                    .entry(lang.clone())
                    .or_insert_with(|| text.clone());
            }
            for (value, by_lang) in &decl.labels {
                let entry = canonical.labels.entry(value.clone()).or_default();
                for (lang, text) in by_lang {
                    entry.entry(lang.clone()).or_insert_with(|| text.clone());
                }
            }
        }
    }

    /// Subsections without their own layout take their parent's.
    fn inherit_layouts(&mut self) {
        for dir in self.dirs.clone() {
            if self.layouts.contains_key(&dir) {
                continue;
            }
            let mut parent = files::parent_dir(&dir);
            while let Some(p) = parent {
                if let Some(layout) = self.layouts.get(p).cloned() {
                    self.layouts.insert(dir.clone(), layout);
                    break;
                }
                parent = files::parent_dir(p);
            }
        }
    }
}
