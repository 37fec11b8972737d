//! Rendering a loaded site into output files. Every output is a [`Job`]
//! with a path; the views it receives are made by
//! [`crate::templates::views`], which also choose its template. A job
//! renders to bytes and to what it read ([`Input`]s), so `serve` knows
//! which jobs an edit touches. Its *fingerprint* is a hash of exactly
//! what its template receives (the views, with page bodies standing in by
//! their hashes) plus the templates and UI strings it uses: the last
//! guard before a job is rendered again.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;

use tera::Context;

use super::{OutputSink, Site};
use crate::content::urls::output_path;
use crate::content::{PageId, PageKind};
use crate::diagnostics::{Diagnostic, sort_diagnostics};
use crate::output;
pub use crate::templates::views::Job;
use crate::templates::views::{Input, Parts, Prepared, Reads, ViewBuilder};

/// A rendered job: its bytes (or the problem that stopped it) and the
/// inputs its template read besides its views (UI strings of other
/// languages).
pub struct RenderedJob {
    /// The file, or why it could not be made.
    pub bytes: Result<Vec<u8>, Diagnostic>,
    /// What the template asked for beyond the views.
    pub template_reads: Vec<Input>,
}

impl Site {
    /// Renders every output file (pages, language chooser, 404 page, facet
    /// pages, print documents, sitemap, feeds) into `sink`, in parallel. Returns
    /// the problems found while rendering (template errors, UI strings).
    pub fn render(&self, sink: &dyn OutputSink) -> Vec<Diagnostic> {
        self.render_with(sink, true)
    }

    /// [`Site::render`] as the preview makes the site: without the print
    /// editions' PDFs (made when asked for), so their links show no size.
    pub fn render_as_preview(&self, sink: &dyn OutputSink) -> Vec<Diagnostic> {
        self.render_with(sink, false)
    }

    fn render_with(&self, sink: &dyn OutputSink, pdfs: bool) -> Vec<Diagnostic> {
        let Some(templates) = self.theme.templates.loaded() else {
            return Vec::new();
        };
        templates.string_log().clear();
        // The PDFs first: the pages that link them show their sizes.
        #[cfg(feature = "pdf")]
        let (pdf_problems, pdf_sizes) = if pdfs {
            self.put_pdfs(sink)
        } else {
            (Vec::new(), HashMap::new())
        };
        #[cfg(not(feature = "pdf"))]
        let (pdf_problems, pdf_sizes): (Vec<Diagnostic>, _) = {
            let _ = pdfs;
            (Vec::new(), HashMap::new())
        };
        let views = self.views(false).recording(false).pdf_sizes(pdf_sizes);
        let jobs = self.jobs();
        let mut problems: Vec<Diagnostic> = jobs
            .par_iter()
            .filter_map(|(path, job)| {
                self.render_job(&views, *job)
                    .and_then(|bytes| sink.put(path, bytes))
                    .err()
            })
            .collect();
        for file in self.sitemap().into_iter().chain(self.feeds()) {
            if let Err(d) = sink.put(&file.path, file.bytes) {
                problems.push(d);
            }
        }
        problems.extend(self.string_diagnostics());
        problems.extend(pdf_problems);
        sort_diagnostics(&mut problems);
        once_per_template_line(problems)
    }

    /// The sitemap file(s).
    pub fn sitemap(&self) -> Vec<output::OutputFile> {
        output::sitemap::files(&self.config, &self.model.content, &self.model.derived)
    }

    /// Output paths of the pages the search index holds: every content
    /// page in its own language. Stand-ins are copies of pages indexed in
    /// their own language; listings, print documents and the search page
    /// only repeat other pages.
    pub fn search_paths(&self) -> HashSet<String> {
        self.model
            .content
            .pages
            .iter()
            .filter(|p| p.stand_in_for.is_none())
            .map(|p| output_path(&p.url))
            .collect()
    }

    /// The Atom feeds.
    pub fn feeds(&self) -> Vec<output::OutputFile> {
        output::feeds::files(
            &self.config,
            &self.model.content,
            &self.model.rendered,
            &self.model.derived.feeds,
        )
    }

    /// The Atom feeds that list one of `pages` (after an edit of their
    /// texts, the only feeds that change).
    pub fn feeds_of(&self, pages: &[PageId]) -> Vec<output::OutputFile> {
        let feeds: Vec<_> = self
            .model
            .derived
            .feeds
            .iter()
            .filter(|f| f.entries.iter().any(|(id, _)| pages.contains(id)))
            .cloned()
            .collect();
        output::feeds::files(
            &self.config,
            &self.model.content,
            &self.model.rendered,
            &feeds,
        )
    }

    /// The inputs of views an edit of the texts of `pages` can change (see
    /// [`Index::text_inputs`]).
    pub fn text_inputs(&self, pages: &[PageId]) -> Vec<crate::templates::views::Input> {
        self.model.view_index.text_inputs(pages)
    }

    /// The inputs of single pages (summary, own view, anchors) an edit of
    /// the front matter of `pages` can change: those of the pages, of
    /// their translations and stand-ins (which inherit weight and shared
    /// fields, or copy the front matter), and of the pages whose position
    /// in their section's listing `moved` (chapter numbers, previous and
    /// next). Inputs not of single pages are few and cheap; `serve`
    /// compares them all.
    pub fn front_inputs(&self, pages: &[PageId], moved: &[PageId]) -> Vec<Input> {
        let content = &self.model.content;
        let mut touched: Vec<PageId> = pages.iter().chain(moved).copied().collect();
        for &id in pages {
            if let Some(members) = content
                .pages
                .get(id)
                .and_then(|p| content.groups.get(&p.group))
            {
                touched.extend(members.values().copied());
            }
        }
        touched.sort_unstable();
        touched.dedup();
        self.model.view_index.front_inputs(&touched)
    }

    /// UI strings the renders so far asked for and did not find.
    pub fn string_diagnostics(&self) -> Vec<Diagnostic> {
        let silent: Vec<&str> = self
            .theme
            .i18n
            .languages_without_strings()
            .into_iter()
            .map(|(lang, _)| lang)
            .collect();
        self.theme
            .templates
            .any()
            .string_diagnostics(&self.theme.i18n, &silent)
    }

    /// Every output job with its output path, in a stable order.
    pub fn jobs(&self) -> Vec<(String, Job)> {
        let mut jobs: Vec<(String, Job)> = self
            .model
            .content
            .pages
            .iter()
            .enumerate()
            .map(|(id, p)| (output_path(&p.url), Job::Page(id)))
            .collect();
        jobs.extend(
            self.model
                .derived
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (output_path(&p.url), Job::Derived(i))),
        );
        let has_home = self
            .model
            .content
            .pages
            .iter()
            .any(|p| p.kind == PageKind::Home);
        if has_home {
            jobs.push(("404.html".into(), Job::NotFound));
            if self.config.languages.len() > 1 {
                jobs.push(("index.html".into(), Job::Chooser));
            }
        }
        jobs
    }

    /// What a job shows, independent of page ids (which shift when pages
    /// come and go): equal identities on one path mean the same page.
    pub fn job_identity(&self, job: Job) -> u64 {
        let mut hasher = DefaultHasher::new();
        match job {
            Job::Page(id) => (0u8, self.model.view_index.key(id)).hash(&mut hasher),
            Job::Derived(index) => match self.model.derived.pages.get(index) {
                Some(page) => {
                    (1u8, self.model.view_index.key(page.section), &page.kind).hash(&mut hasher)
                }
                None => 2u8.hash(&mut hasher),
            },
            Job::Chooser => 3u8.hash(&mut hasher),
            Job::NotFound => 4u8.hash(&mut hasher),
        }
        hasher.finish()
    }

    /// The view builder for this site; `fingerprint` makes page bodies
    /// stand in by their hashes (for [`Site::fingerprint`]).
    pub fn views(&self, fingerprint: bool) -> ViewBuilder<'_> {
        let model = &self.model;
        ViewBuilder::new(Parts {
            config: &self.config,
            content: &model.content,
            rendered: &model.rendered,
            i18n: &self.theme.i18n,
            listings: &model.listings,
            derived: &model.derived,
            templates: self.theme.templates.any(),
            index: &model.view_index,
        })
        .fingerprint(fingerprint)
    }

    /// Renders one job into bytes (a build: nothing is recorded).
    pub fn render_job(&self, views: &ViewBuilder<'_>, job: Job) -> Result<Vec<u8>, Diagnostic> {
        match views.prepare(job, &Reads::off()) {
            Some(prepared) => self.render_prepared(prepared).bytes,
            None => Ok(Vec::new()),
        }
    }

    /// Renders one job into bytes, with what its template read.
    pub fn render_reading(&self, views: &ViewBuilder<'_>, job: Job) -> RenderedJob {
        match views.prepare(job, &views.reads()) {
            Some(prepared) => self.render_prepared(prepared),
            None => RenderedJob {
                bytes: Ok(Vec::new()),
                template_reads: Vec::new(),
            },
        }
    }

    fn render_prepared(&self, prepared: Prepared<'_>) -> RenderedJob {
        let templates = self.theme.templates.any();
        if !templates.has(&prepared.template) {
            // A `template:` naming no template is reported at its line
            // (`missing_templates`); the build fails on it.
            return RenderedJob {
                bytes: Ok(Vec::new()),
                template_reads: Vec::new(),
            };
        }
        let mut context = Context::new();
        context.insert("lang", prepared.lang);
        context.insert_value("site", prepared.site.0);
        context.insert("page", &prepared.page);
        if let Some(titles) = &prepared.titles {
            context.insert("titles", titles);
        }
        let template = &prepared.template;
        let source = &prepared.source;
        let (html, languages) = templates.render_reading(template, prepared.lang, &mut context);
        let bytes = html.map(String::into_bytes).map_err(|mut diagnostic| {
            let help = if diagnostic.path.is_some() {
                format!(
                    "met while rendering {} with {template}; fix the template or the page's data",
                    source.display()
                )
            } else {
                diagnostic.path = Some(source.clone());
                format!("the page is rendered with {template}; fix the template or the page's data")
            };
            diagnostic.with_help(help)
        });
        RenderedJob {
            bytes,
            template_reads: languages
                .into_iter()
                .map(|lang| Input::Strings(lang.into()))
                .collect(),
        }
    }

    /// A hash of everything a job renders from: its template (and what the
    /// template includes), the UI strings of its language and of
    /// `template_reads` (what its last render asked for besides), and its
    /// views; with what building the views read. `views` must be in
    /// fingerprint mode.
    pub fn fingerprint(
        &self,
        views: &ViewBuilder<'_>,
        job: Job,
        template_reads: &[Input],
    ) -> (u64, Vec<Input>) {
        let reads = views.reads();
        let mut hasher = DefaultHasher::new();
        if let Some(prepared) = views.prepare(job, &reads) {
            prepared.template.hash(&mut hasher);
            self.theme
                .templates
                .any()
                .closure_hash(&prepared.template)
                .hash(&mut hasher);
            self.theme
                .i18n
                .strings_hash(prepared.lang)
                .hash(&mut hasher);
            for input in template_reads {
                views.value(input).0.hash(&mut hasher);
            }
            prepared.site.1.hash(&mut hasher);
            let mut writer = crate::templates::views::HashWriter(hasher);
            let _ = serde_json::to_writer(&mut writer, &prepared.page);
            let _ = serde_json::to_writer(&mut writer, &prepared.titles);
            hasher = writer.0;
        }
        (hasher.finish(), reads.into_inputs())
    }
}

/// A template error at one template line is reported once, not once per
/// page that met it; its help says how many more pages did.
fn once_per_template_line(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(problems.len());
    // (file, line, column, message) → (index in `out`, further pages)
    type Key = (Option<PathBuf>, Option<usize>, Option<usize>, String);
    let mut first: HashMap<Key, (usize, usize)> = HashMap::new();
    for d in problems {
        if d.kind == "template" && d.line.is_some() {
            let key = (d.path.clone(), d.line, d.col, d.message.clone());
            if let Some((_, more)) = first.get_mut(&key) {
                *more += 1;
                continue;
            }
            first.insert(key, (out.len(), 0));
        }
        out.push(d);
    }
    for (index, more) in first.into_values() {
        if more > 0 {
            let d = &mut out[index];
            let help = d.help.take().unwrap_or_default();
            d.help = Some(format!(
                "{help} (and on {more} more page{})",
                if more == 1 { "" } else { "s" }
            ));
        }
    }
    out
}
