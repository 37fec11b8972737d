//! Rendering a loaded site into output files. Every output is a [`Job`]
//! with a path; the views it receives are made by
//! [`crate::templates::views`], which also choose its template. A job
//! renders to bytes and to what it read ([`Input`]s), so `serve` knows
//! which jobs an edit touches. Its *fingerprint* is a hash of exactly
//! what its template receives (the views, with page bodies standing in by
//! their hashes) plus the templates and UI strings it uses: the last
//! guard before a job is rendered again.

use std::hash::{DefaultHasher, Hash, Hasher};

use tera::Context;

use super::Site;
use crate::content::PageKind;
use crate::content::urls::output_path;
use crate::diagnostics::Diagnostic;
pub use crate::templates::views::Job;
use crate::templates::views::{Input, Prepared, Reads, ViewBuilder};

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
        let has_home = self.content.pages.iter().any(|p| p.kind == PageKind::Home);
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
            Job::Page(id) => (0u8, self.view_index.key(id)).hash(&mut hasher),
            Job::Derived(index) => match self.derived.pages.get(index) {
                Some(page) => {
                    (1u8, self.view_index.key(page.section), &page.kind).hash(&mut hasher)
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
        ViewBuilder::new(
            &self.config,
            &self.content,
            &self.rendered,
            &self.i18n,
            &self.listings,
            &self.derived,
            &self.templates,
            &self.view_index,
        )
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
        if !self.templates.has(&prepared.template) {
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
        let (html, languages) =
            self.templates
                .render_reading(template, prepared.lang, &mut context);
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
            self.templates
                .closure_hash(&prepared.template)
                .hash(&mut hasher);
            self.i18n.strings_hash(prepared.lang).hash(&mut hasher);
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
