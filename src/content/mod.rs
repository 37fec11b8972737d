//! Content: walks `content/`, reads every Markdown file once, checks its
//! front matter and turns the tree into [`Content`]: pages and sections with
//! languages, URLs and translation groups. Later stages never reread files.
//!
//! Steps, each in its own module:
//! 1. [`files`]: file names → language, section folder, stem, order prefix;
//! 2. [`front_matter`]: YAML block → typed [`front_matter::FrontMatter`];
//! 3. [`urls`]: slugs and URLs, duplicate and escaping URLs;
//! 4. [`pairing`]: translation groups, including untranslated stand-ins.

pub mod files;
pub mod front_matter;
pub mod pairing;
pub mod urls;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, SourceFile};
use files::ContentPath;
use front_matter::{FieldDecl, FileKind, FrontMatter};

/// Index of a page in [`Content::pages`].
pub type PageId = usize;

/// Whether a page is a language's home, a section's own page, or a plain page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// `content/_index.<lang>.md`.
    Home,
    /// `content/<dir>/_index.<lang>.md`.
    Section,
    /// Any other Markdown file.
    Page,
}

/// One page in one language, with everything later stages need.
#[derive(Debug)]
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
}

impl Page {
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
}

impl Content {
    /// The page of a translation group in a language, if there is one.
    pub fn page_in(&self, group: &str, lang: &str) -> Option<PageId> {
        self.groups.get(group)?.get(lang).copied()
    }

    /// The page written in `lang` for the section folder `dir`.
    pub fn section_page(&self, dir: &str, lang: &str) -> Option<PageId> {
        self.page_in(&files::section_link_key(dir), lang)
    }

    /// Child section folders of `dir` that have a page in some language.
    pub fn subsections(&self, dir: &str) -> Vec<String> {
        self.section_dirs
            .iter()
            .filter(|d| files::parent_dir(d) == Some(dir))
            .cloned()
            .collect()
    }

    /// Sort key: explicit weight or numeric prefix, then title, then file.
    pub fn order_key(&self, id: PageId) -> (i64, String, PathBuf) {
        let p = &self.pages[id];
        let rank = p
            .front
            .weight
            .or(p.path.order.map(i64::from))
            .unwrap_or(i64::MAX);
        (rank, p.front.title.to_lowercase(), p.file.path.clone())
    }
}

/// Options that change which content is loaded.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// Include pages with `draft: true`.
    pub drafts: bool,
}

/// Reads and checks everything under `<root>/content`. Returns the content
/// and all diagnostics; the content is usable only when no error is among them.
pub fn load(root: &Path, config: &SiteConfig, options: LoadOptions) -> (Content, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let content_dir = root.join("content");
    let found = files::find(root, &content_dir, config, &mut diagnostics);

    // Section `_index` files first: their `fields` decide what pages may use.
    let parsed_sections: Vec<_> = found
        .par_iter()
        .filter(|f| f.path.is_index)
        .map(|f| parse_file(f, FileKind::Section, &[]))
        .collect();
    let mut section_fields: HashMap<String, (usize, Vec<FieldDecl>)> = HashMap::new();
    let mut parsed = Vec::new();
    for result in parsed_sections {
        match result {
            Ok(page) => {
                if !page.front.field_decls.is_empty() {
                    let rank = config.language_index(&page.lang);
                    let entry = section_fields
                        .entry(page.path.dir.clone())
                        .or_insert((usize::MAX, Vec::new()));
                    if rank < entry.0 {
                        *entry = (rank, page.front.field_decls.clone());
                    }
                }
                parsed.push(page);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let section_fields: HashMap<String, Vec<FieldDecl>> = section_fields
        .into_iter()
        .map(|(k, (_, v))| (k, v))
        .collect();

    let parsed_pages: Vec<_> = found
        .par_iter()
        .filter(|f| !f.path.is_index)
        .map(|f| {
            let fields = section_fields
                .get(&f.path.dir)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            parse_file(f, FileKind::Page, fields)
        })
        .collect();
    for result in parsed_pages {
        match result {
            Ok(page) => parsed.push(page),
            Err(errors) => diagnostics.extend(errors),
        }
    }

    let (parsed, drafts): (Vec<Page>, Vec<Page>) = parsed
        .into_iter()
        .partition(|p| options.drafts || !p.front.draft);
    let mut content = Content {
        pages: parsed,
        draft_link_keys: drafts.into_iter().map(|p| p.path.link_key).collect(),
        section_fields,
        ..Content::default()
    };
    content.pages.sort_by(|a, b| a.file.path.cmp(&b.file.path));

    content.section_dirs = content
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Section)
        .map(|p| p.path.dir.clone())
        .collect();
    pairing::build_groups(&mut content, config, &mut diagnostics);
    urls::assign(&mut content, &mut diagnostics);
    pairing::resolve_page_fields(&mut content, &mut diagnostics);
    (content, diagnostics)
}

/// A found content file: its parsed name and text.
#[derive(Debug)]
pub struct FoundFile {
    /// What the file name says.
    pub path: ContentPath,
    /// The file's text.
    pub file: Arc<SourceFile>,
}

fn parse_file(
    found: &FoundFile,
    kind: FileKind,
    fields: &[FieldDecl],
) -> Result<Page, Vec<Diagnostic>> {
    let file = &found.file;
    let split = front_matter::split(file).map_err(|d| vec![d.with_kind("front-matter")])?;
    let front = front_matter::parse(file, split.yaml.clone(), kind, fields).map_err(|errors| {
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
        page_fields: BTreeMap::new(),
    })
}
