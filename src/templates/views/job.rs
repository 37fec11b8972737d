//! Output jobs and what each renders: the template, chosen here once, and
//! the views it receives. Every output is a [`Job`]: a content page, a
//! facet page, print document or search page, the root language chooser,
//! the 404 page.

use std::path::PathBuf;

use super::ViewBuilder;
use super::reads::{Input, Reads};
use super::types::{FacetView, PageView, SwitchView};
use crate::content::derived::{DerivedKind, DerivedPage};
use crate::content::{PageId, PageKind};
use crate::templates::print::{self, PrintPart};

/// One output file to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Job {
    /// A content page (home, section or page).
    Page(PageId),
    /// A facet listing page, print document or search page, by index in
    /// `derived.pages`.
    Derived(usize),
    /// The root language chooser of a multilingual site.
    Chooser,
    /// The 404 page.
    NotFound,
}

/// What a job renders: the template, the views it receives, and the file
/// its problems are reported at.
pub struct Prepared<'a> {
    /// The template to render.
    pub template: String,
    /// The language of the page.
    pub lang: &'a str,
    /// `page`.
    pub page: PageView<'a>,
    /// `site`, as a template value, and a hash of it.
    pub site: (tera::Value, u64),
    /// `titles` (the site's title per language) for the chooser and 404 page.
    pub titles: Option<Vec<(&'a str, &'a str)>>,
    /// The file the job's problems are reported at.
    pub source: PathBuf,
}

impl<'a> ViewBuilder<'a> {
    /// The template and views of `job`, recording what they read into
    /// `reads`. `None` for a job whose page no longer exists.
    pub fn prepare(&self, job: Job, reads: &Reads) -> Option<Prepared<'a>> {
        let r = reads;
        let (template, page, titles, source) = match job {
            Job::Page(id) => (
                self.template_for(r, id),
                self.page_view(r, id, None),
                None,
                self.model.page(r, id).file.to_path_buf(),
            ),
            Job::Derived(index) => {
                let derived = self.model.derived_page(r, index)?;
                let section = self.model.summary(r, derived.section);
                let template = match &derived.kind {
                    DerivedKind::Facet { .. } => {
                        self.find_template(r, section.dir, &["facet.html", "section.html"])
                    }
                    DerivedKind::Print => "print.html".to_string(),
                    DerivedKind::Search => "search.html".to_string(),
                };
                (
                    template,
                    self.derived_view(r, derived),
                    None,
                    section.file.to_path_buf(),
                )
            }
            Job::Chooser | Job::NotFound => {
                let home = self.model.site_home(r)?;
                let config = self.model.config(r);
                let mut titles: Vec<(&str, &str)> = config
                    .languages
                    .iter()
                    .map(|l| {
                        (
                            l.code.as_str(),
                            config.title.get(&l.code).map(String::as_str).unwrap_or(""),
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
                    _ if self.model.has_template(r, "languages.html") => "languages.html",
                    _ => "home.html",
                };
                // The chooser and the 404 page borrow the home page's
                // view, but no file makes them: no edit link.
                let mut view = self.page_view(r, home, None);
                view.source = None;
                view.edit_url = None;
                (
                    template.to_string(),
                    view,
                    Some(titles),
                    PathBuf::from(template),
                )
            }
        };
        // Whether it exists, and what it and its parts say.
        self.model.has_template(r, &template);
        let lang = page.lang;
        self.model.strings(r, lang);
        let site = self.site_value(r, lang, page.section_dir);
        Some(Prepared {
            template,
            lang,
            page,
            site,
            titles,
            source,
        })
    }

    /// Template lookup: front matter `template`, then `<layout>/page.html`
    /// (or `section.html`) of the section's layout, then the same under the
    /// section's top folder name (`templates/notes/page.html`), then the
    /// default.
    fn template_for(&self, r: &Reads, id: PageId) -> String {
        if let Some(t) = self.model.page(r, id).template {
            return t.to_string();
        }
        let page = self.model.summary(r, id);
        let name = match page.kind {
            PageKind::Home => return "home.html".into(),
            PageKind::Section => "section.html",
            PageKind::Page => "page.html",
        };
        self.find_template(r, page.dir, &[name])
    }

    /// The first of `<layout>/<name>`, `<top folder>/<name>` for each of
    /// `names`, then the plain `names`; the last name if none exists.
    fn find_template(&self, r: &Reads, dir: &str, names: &[&str]) -> String {
        let layout = self.model.section(r, dir).layout;
        let top = dir.split('/').next().filter(|t| !t.is_empty());
        layout
            .into_iter()
            .chain(top)
            .flat_map(|prefix| names.iter().map(move |n| format!("{prefix}/{n}")))
            .chain(names.iter().map(|n| n.to_string()))
            .find(|t| self.model.has_template(r, t))
            .unwrap_or_else(|| names.last().copied().unwrap_or_default().to_string())
    }

    /// The view of a derived page (facet listing, print document, search
    /// page): the section's data, its own URL per language, and
    /// alternates, switcher and canonical built from those URLs.
    fn derived_view(&self, r: &Reads, page: &DerivedPage) -> PageView<'a> {
        let section = page.section;
        let summary = self.model.summary(r, section);
        let urls = self
            .model
            .derived_urls(r, summary.dir, &page.kind)
            .cloned()
            .unwrap_or_default();
        let filter = match &page.kind {
            DerivedKind::Facet { field, value } => Some((field.as_str(), value.as_str())),
            DerivedKind::Print | DerivedKind::Search => None,
        };
        let mut view = self.page_view(r, section, filter);
        let lang = summary.lang;
        let dir = summary.dir;
        let config = self.model.config(r);
        view.url = self.url(r, &page.url);
        view.permalink = config.base_url.absolute(&page.url);
        view.canonical = view.permalink.clone();
        view.stand_in = None;
        if !matches!(page.kind, DerivedKind::Facet { .. }) {
            // A facet page is its section's page filtered; print documents
            // and the search page are made of many files or none.
            view.source = None;
            view.edit_url = None;
        }
        if !self.model.single_language(r) {
            let mut pairs: Vec<(String, String)> = config
                .languages
                .iter()
                .filter_map(|l| urls.get(&l.code).map(|u| (l.code.clone(), u.clone())))
                .collect();
            if let Some(default) = urls.get(&config.default_language) {
                pairs.push(("x-default".into(), default.clone()));
            }
            view.alternates = self.alternates(r, pairs);
            view.switcher = config
                .languages
                .iter()
                .map(|l| SwitchView {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    url: self.url(
                        r,
                        urls.get(&l.code)
                            .cloned()
                            .unwrap_or_else(|| self.model.home_path(r, &l.code))
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
                let strings = self.model.strings(r, lang);
                let decl = self
                    .model
                    .section(r, dir)
                    .fields
                    .iter()
                    .find(|d| &d.name == field);
                let field_label = decl.map(|d| strings.field(d)).unwrap_or_default();
                let value_label = decl.map(|d| strings.value(d, value)).unwrap_or_default();
                view.groups = self.groups(r, dir, lang, &view.pages);
                view.facets = self.facets(r, dir, lang, Some((field, value)));
                view.facet = Some(FacetView {
                    field: field.clone(),
                    field_label: field_label.clone(),
                    value: value.clone(),
                    value_label: value_label.clone(),
                    section_url: self.url(r, summary.url),
                    section_title: summary.title.to_string(),
                });
                // The page's own title, e.g. "Kategorie: Hitzevorsorge".
                view.title = format!("{field_label}: {value_label}");
                // The section itself becomes the last breadcrumb.
                view.ancestors.push(self.link(r, section, lang, None));
                view.description = None;
            }
            DerivedKind::Print => {
                view.print = self.print_parts(r, section);
                view.ancestors.push(self.link(r, section, lang, None));
            }
            DerivedKind::Search => {
                view.title = self
                    .model
                    .strings(r, lang)
                    .ui_string("search.title")
                    .unwrap_or_else(|| "Search".into());
                view.description = None;
            }
        }
        view
    }

    /// The parts of the print document of section `section`: every page
    /// of its listing with its content prepared for paper.
    fn print_parts(&self, r: &Reads, section: PageId) -> Vec<PrintPart> {
        let summary = self.model.summary(r, section);
        let lang = summary.lang;
        let base = &self.model.config(r).base_url;
        self.model
            .listing(r, summary.dir, lang)
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let id = entry.id;
                let page = self.model.summary(r, id);
                let key = format!("p{}", index + 1);
                let (content, link_notes) = if self.fingerprint {
                    (self.model.page(r, id).html_hash.to_string(), Vec::new())
                } else {
                    print::prepare(&self.body(r, id), &key, base)
                };
                let link = self.link(r, id, lang, None);
                PrintPart {
                    id: format!("card-{}", page.stem),
                    key,
                    facts: link.facts.clone(),
                    page: link,
                    permalink: base.absolute(page.url),
                    content,
                    link_notes,
                }
            })
            .collect()
    }

    /// [`ViewBuilder::site`] as a template value, shared by every page in
    /// `lang` and folder `current_dir`, with a hash of it.
    fn site_value(&self, r: &Reads, lang: &str, current_dir: &str) -> (tera::Value, u64) {
        let input = Input::SiteView(lang.into(), current_dir.into());
        self.shared_site(r, input, |r| self.site(r, lang, current_dir))
    }
}
