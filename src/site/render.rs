//! Rendering a loaded site into output files. Every output is a [`Job`]
//! (a content page, a facet page or print document, the root language
//! chooser, the 404 page) with a path; the sitemap is made from the content
//! directly. A job renders to bytes; its *fingerprint* is a hash of exactly
//! what its template receives (the serialized view, with page bodies
//! standing in by their hashes) plus the templates and UI strings it uses,
//! so `serve` re-renders a job only when its fingerprint changes.

use std::hash::{Hash, Hasher};
use std::path::Path;

use tera::Context;

use super::Site;
use crate::content::derived::{DerivedKind, DerivedPage};
use crate::content::urls::output_path;
use crate::content::{PageId, PageKind};
use crate::diagnostics::Diagnostic;
use crate::templates::print::{self, PrintPart};
use crate::templates::views::{PageView, ViewBuilder};

/// One output file to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    /// A content page (home, section or page).
    Page(PageId),
    /// A facet listing page or print document, by index in `derived.pages`.
    Derived(usize),
    /// The root language chooser of a multilingual site.
    Chooser,
    /// The 404 page.
    NotFound,
}

/// What a job renders: the template, the views it receives, and the file
/// its problems are reported at.
struct Prepared<'v> {
    template: String,
    page: PageView<'v>,
    titles: Option<Vec<(&'v str, &'v str)>>,
    source: std::path::PathBuf,
}

/// A writer that hashes what is written, for fingerprints.
struct HashWriter(std::hash::DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Site {
    /// Every output job with its output path, in a stable order.
    pub fn jobs(&self) -> Vec<(String, Job)> {
        let mut jobs: Vec<(String, Job)> = self
            .content
            .pages
            .iter()
            .enumerate()
            .map(|(id, p)| (output_path(&p.url), Job::Page(id)))
            .collect();
        jobs.extend(
            self.derived
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (output_path(&p.url), Job::Derived(i))),
        );
        if self.home_for_site_pages().is_some() {
            jobs.push(("404.html".into(), Job::NotFound));
            if self.config.languages.len() > 1 {
                jobs.push(("index.html".into(), Job::Chooser));
            }
        }
        jobs
    }

    fn home_for_site_pages(&self) -> Option<PageId> {
        let lang = self.config.default_language.as_str();
        self.content.section_page("", lang).or_else(|| {
            self.content
                .pages
                .iter()
                .position(|p| p.kind == PageKind::Home)
        })
    }

    /// The view builder for this site; `fingerprint` makes page bodies
    /// stand in by their hashes (for [`Site::fingerprint`]).
    pub fn views(&self, fingerprint: bool) -> ViewBuilder<'_> {
        ViewBuilder::new(
            &self.config,
            &self.content,
            &self.rendered,
            &self.i18n,
            &self.listings,
            &self.derived,
        )
        .fingerprint(fingerprint)
    }

    /// The template a job renders with.
    pub fn template_of(&self, job: Job) -> Option<String> {
        Some(match job {
            Job::Page(id) => self.template_for(id),
            Job::Derived(index) => {
                let derived = self.derived.pages.get(index)?;
                let dir = &self.content.pages[derived.section].path.dir;
                match &derived.kind {
                    DerivedKind::Facet { .. } => {
                        self.find_template(dir, &["facet.html", "section.html"])
                    }
                    DerivedKind::Print => "print.html".to_string(),
                    DerivedKind::Search => "search.html".to_string(),
                }
            }
            Job::NotFound => "404.html".to_string(),
            Job::Chooser if self.templates.has("languages.html") => "languages.html".to_string(),
            Job::Chooser => "home.html".to_string(),
        })
    }

    /// The template and the views a job renders with, and the file its
    /// problems are reported at.
    fn prepare<'v>(&'v self, views: &ViewBuilder<'v>, job: Job) -> Option<Prepared<'v>> {
        let (template, page, titles, source) = match job {
            Job::Page(id) => (
                self.template_for(id),
                views.page(id),
                None,
                self.content.pages[id].file.path.clone(),
            ),
            Job::Derived(index) => {
                let derived = self.derived.pages.get(index)?;
                let section = &self.content.pages[derived.section];
                let (template, parts) = match &derived.kind {
                    DerivedKind::Facet { .. } => (
                        self.find_template(&section.path.dir, &["facet.html", "section.html"]),
                        Vec::new(),
                    ),
                    DerivedKind::Print => {
                        ("print.html".to_string(), self.print_parts(views, derived))
                    }
                    DerivedKind::Search => ("search.html".to_string(), Vec::new()),
                };
                (
                    template,
                    views.derived(derived, parts),
                    None,
                    section.file.path.clone(),
                )
            }
            Job::Chooser | Job::NotFound => {
                let home = self.home_for_site_pages()?;
                let mut titles: Vec<(&str, &str)> = self
                    .config
                    .languages
                    .iter()
                    .map(|l| {
                        (
                            l.code.as_str(),
                            self.config
                                .title
                                .get(&l.code)
                                .map(String::as_str)
                                .unwrap_or(""),
                        )
                    })
                    .collect();
                if matches!(job, Job::Chooser) {
                    // The chooser shows each distinct title once (a site
                    // titled the same in every language says it once).
                    let mut seen = Vec::new();
                    titles.retain(|(_, title)| {
                        let new = !seen.contains(title);
                        seen.push(*title);
                        new
                    });
                }
                let template = match job {
                    Job::NotFound => "404.html",
                    _ if self.templates.has("languages.html") => "languages.html",
                    _ => "home.html",
                };
                (
                    template.to_string(),
                    views.page(home),
                    Some(titles),
                    Path::new(template).to_path_buf(),
                )
            }
        };
        Some(Prepared {
            template,
            page,
            titles,
            source,
        })
    }

    /// Renders one job into bytes.
    pub fn render_job(&self, views: &ViewBuilder<'_>, job: Job) -> Result<Vec<u8>, Diagnostic> {
        let Some(prepared) = self.prepare(views, job) else {
            return Ok(Vec::new());
        };
        if !self.templates.has(&prepared.template) {
            // A `template:` naming no template is reported at its line
            // (`missing_templates`); the build fails on it.
            return Ok(Vec::new());
        }
        let mut context = Context::new();
        context.insert("lang", prepared.page.lang);
        context.insert_value(
            "site",
            views.site_value(prepared.page.lang, prepared.page.section_dir),
        );
        context.insert("page", &prepared.page);
        if let Some(titles) = &prepared.titles {
            context.insert("titles", titles);
        }
        let template = &prepared.template;
        let html = self
            .templates
            .render(template, prepared.page.lang, &mut context)
            .map_err(|mut diagnostic| {
                let help = if diagnostic.path.is_some() {
                    format!(
                        "met while rendering {} with {template}; fix the template or the page's data",
                        prepared.source.display()
                    )
                } else {
                    diagnostic.path = Some(prepared.source.clone());
                    format!("the page is rendered with {template}; fix the template or the page's data")
                };
                diagnostic.with_help(help)
            })?;
        Ok(html.into_bytes())
    }

    /// A hash of everything a job renders from: its template (and what the
    /// template includes), the UI strings of its language, and its views.
    /// `views` must be in fingerprint mode.
    pub fn fingerprint(&self, views: &ViewBuilder<'_>, job: Job) -> u64 {
        let mut hasher = HashWriter(std::hash::DefaultHasher::new());
        if let Some(prepared) = self.prepare(views, job) {
            prepared.template.hash(&mut hasher.0);
            self.templates
                .closure_hash(&prepared.template)
                .hash(&mut hasher.0);
            self.i18n
                .strings_hash(prepared.page.lang)
                .hash(&mut hasher.0);
            let site = views.site(prepared.page.lang, prepared.page.section_dir);
            let _ = serde_json::to_writer(&mut hasher, &site);
            let _ = serde_json::to_writer(&mut hasher, &prepared.page);
            let _ = serde_json::to_writer(&mut hasher, &prepared.titles);
        }
        hasher.0.finish()
    }

    /// Template lookup: front matter `template`, then `<layout>/page.html`
    /// (or `section.html`) of the section's layout, then the same under the
    /// section's top folder name (`templates/notes/page.html`), then the
    /// default.
    pub fn template_for(&self, id: PageId) -> String {
        let page = &self.content.pages[id];
        if let Some(t) = &page.front.template {
            return t.clone();
        }
        let name = match page.kind {
            PageKind::Home => return "home.html".into(),
            PageKind::Section => "section.html",
            PageKind::Page => "page.html",
        };
        self.find_template(&page.path.dir, &[name])
    }

    /// The first of `<layout>/<name>`, `<top folder>/<name>` for each of
    /// `names`, then the plain `names`; the last name if none exists.
    fn find_template(&self, dir: &str, names: &[&str]) -> String {
        let layout = self.content.layout_of(dir);
        let top = dir.split('/').next().filter(|t| !t.is_empty());
        layout
            .into_iter()
            .chain(top)
            .flat_map(|prefix| names.iter().map(move |n| format!("{prefix}/{n}")))
            .chain(names.iter().map(|n| n.to_string()))
            .find(|t| self.templates.has(t))
            .unwrap_or_else(|| names.last().copied().unwrap_or_default().to_string())
    }

    /// The parts of a print document.
    fn print_parts(&self, views: &ViewBuilder<'_>, page: &DerivedPage) -> Vec<PrintPart> {
        let section = page.section;
        let lang = self.content.pages[section].lang.as_str();
        views
            .print_pages(section)
            .into_iter()
            .enumerate()
            .map(|(index, id)| {
                let page = &self.content.pages[id];
                let key = format!("p{}", index + 1);
                let (content, link_notes) = if views.is_fingerprint() {
                    (views.rendered(id).html_hash.clone(), Vec::new())
                } else {
                    print::prepare(&views.body(id), &key, &self.config.base_url)
                };
                let link = views.link(id, lang, None);
                PrintPart {
                    id: format!("card-{}", page.path.stem),
                    key,
                    facts: link.facts.clone(),
                    page: link,
                    permalink: self.config.base_url.absolute(&page.url),
                    content,
                    link_notes,
                }
            })
            .collect()
    }
}
