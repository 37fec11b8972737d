//! Pages derived from sections: one listing page per value of each facet
//! field (`/de/formate/kategorie/hitzevorsorge/`), and the print documents
//! that `site.yaml`'s `print` lists (`/de/print/`). Their URLs are planned
//! here, before anything is rendered, so collisions with content pages are
//! found with file locations.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::config::SiteConfig;
use crate::content::urls::{section_url, slugify};
use crate::content::{Content, Page, PageId, PageKind};
use crate::diagnostics::Diagnostic;
use crate::i18n::labels::Labels;

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
}

impl Derived {
    /// The URLs in every language of the derived page `page`.
    pub fn urls_of(&self, content: &Content, page: &DerivedPage) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        let dir = content.pages[page.section].path.dir.clone();
        self.urls.get(&(dir, page.kind.clone())).unwrap_or(&EMPTY)
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
pub fn plan(
    config: &SiteConfig,
    content: &Content,
    labels: Labels<'_>,
) -> (Derived, Vec<Diagnostic>) {
    let mut derived = Derived::default();
    let mut errors = Vec::new();
    let mut by_section: HashMap<(&str, &str), Vec<&Page>> = HashMap::new();
    for p in content.pages.iter().filter(|p| p.kind == PageKind::Page) {
        by_section
            .entry((p.path.dir.as_str(), p.lang.as_str()))
            .or_default()
            .push(p);
    }
    for (id, page) in content.pages.iter().enumerate() {
        if page.kind != PageKind::Section || page.stand_in_for.is_some() {
            continue;
        }
        let dir = page.path.dir.as_str();
        for decl in content.fields_of(dir).iter().filter(|d| d.facet) {
            let field_slug = slugify(&labels.field(decl, &page.lang));
            // Only values some page of this language has: an empty listing
            // would be a dead end in the sitemap.
            let members = by_section
                .get(&(dir, page.lang.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let used = |value: &str| members.iter().any(|p| p.has_value(&decl.name, value));
            for value in decl.allowed.iter().filter(|v| used(v)) {
                let value_slug = slugify(&labels.value(decl, value, &page.lang));
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
                derived
                    .urls
                    .entry((dir.to_string(), kind.clone()))
                    .or_default()
                    .insert(page.lang.clone(), url.clone());
                derived.pages.push(DerivedPage {
                    kind,
                    section: id,
                    url,
                });
            }
        }
    }
    for (index, dir) in config.print.iter().enumerate() {
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
            errors.push(
                Diagnostic::file_error(
                    Path::new("site.yaml"),
                    format!(
                        "`print` names `{dir}`, which is no section folder with an _index file"
                    ),
                )
                .with_help("list folders under content/ that have an _index.<lang>.md"),
            );
            continue;
        }
        for (lang, id) in languages {
            let url = print_url(content, index, dir, &lang);
            derived
                .urls
                .entry((dir.clone(), DerivedKind::Print))
                .or_default()
                .insert(lang.clone(), url.clone());
            derived
                .print
                .entry(dir.clone())
                .or_default()
                .insert(lang, url.clone());
            derived.pages.push(DerivedPage {
                kind: DerivedKind::Print,
                section: id,
                url,
            });
        }
    }
    (derived, errors)
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
