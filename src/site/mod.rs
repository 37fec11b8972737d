//! The site: a value that owns everything a build needs, loaded once, in
//! three parts that change at different times:
//!
//! - the [`Theme`] (layers, UI strings, templates), with sensor datasets;
//! - the content [`Model`] (pages and their rendered Markdown, listings,
//!   derived pages);
//! - the problems of each loading stage ([`Stages`]), gathered into
//!   [`Site::diagnostics`].
//!
//! [`Site::load`] runs the stages config → theme → data → content →
//! markdown ([`texts`]) → structure and collects every diagnostic.
//! [`Site::apply`] brings a loaded site up to date after files changed
//! (for `serve`): it reloads only the parts the changed files feed,
//! re-reads only changed content files, and renders again only the
//! Markdown whose source, link targets or shortcode inputs changed.
//! Rendering ([`render`]) turns the site into output files, each handed to
//! an [`OutputSink`] as soon as it exists, so a build ([`build`]) streams
//! pages to disk.
//!
//! Stages never fail early: a bad page, template or strings file adds
//! diagnostics and the rest goes on (with the built-in theme standing in
//! for broken theme files), so one run reports every problem.

pub(crate) mod build;
pub(crate) mod checks;
mod fronts;
pub mod pdf;
pub(crate) mod render;
mod shortcodes;
mod texts;
pub mod theme;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::charts::Datasets;
use crate::config::{BaseUrl, SiteConfig};
use crate::content::derived::{self, Derived};
use crate::content::rendered::Rendered;
use crate::content::sections::Listings;
use crate::content::spill::Spill;
use crate::content::{Content, ContentCache, LoadOptions, PageId};
use crate::diagnostics::{Diagnostic, Severity, sort_diagnostics};
use crate::i18n::labels::Labels;
use crate::markdown::Highlighter;
use crate::output;
use crate::sources::SiteDir;
use crate::sources::layers::Origin;
use crate::templates::views::Index;
pub use build::{BuildReport, build};
pub use render::Job;
pub use theme::{TemplateSet, Theme};

/// What `drehbuch build` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The site folder (holds site.yaml).
    pub root: PathBuf,
    /// Where the site is written; `<root>/public` by default.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Rewrite site links as relative paths (for file:// and intranets).
    pub relative: bool,
    /// Allow replacing a non-empty output folder outside the site that
    /// drehbuch did not write.
    pub force: bool,
    /// A one-off build: rendered bodies wait in a temporary file in this
    /// folder until their pages are written, and what only editing needs
    /// is let go, so memory does not grow with the site. `None` keeps
    /// everything in memory (preview, check).
    pub spill_dir: Option<PathBuf>,
    /// `--no-pdf`: no typeset PDFs of the print editions, whatever
    /// `pdf:` in site.yaml says.
    pub no_pdf: bool,
}

/// Receives the output files of a render, from several threads at once.
pub trait OutputSink: Sync {
    /// One finished file at `path` (relative to the output folder).
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic>;
}

/// What changed in a site folder, by kind of file (`serve` sorts the
/// paths its watcher reports into these).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.yaml`: everything is loaded again.
    pub config: bool,
    /// Templates, theme folders or UI strings.
    pub theme: bool,
    /// UI strings (`i18n/` of the site or a theme folder).
    pub strings: bool,
    /// Files under `data/` (sensor summaries).
    pub data: bool,
    /// Files under `static/` or a theme's `static/`, relative to the site.
    pub static_files: Vec<PathBuf>,
    /// Files under `content/`.
    pub content: Vec<PathBuf>,
}

impl Changes {
    /// Whether nothing the site reads changed.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

/// Pages whose front matter changed while the structure and the derived
/// pages stayed ([`Site::take_front_changes`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontChanges {
    /// The pages (and pages whose shortcodes show other pages, rendered
    /// again with them).
    pub pages: Vec<PageId>,
    /// Whether a page's `date` or `updated` changed (the sitemap shows
    /// them; nothing else of front matter).
    pub dates: bool,
    /// The pages whose position in their section's listing changed (a
    /// title or weight reordered it): what other pages show of them
    /// (chapter numbers, previous and next) changed too.
    pub moved: Vec<PageId>,
    /// Whether a page's `pages` fields changed, and with them the
    /// backlinks of the pages they name.
    pub links: bool,
}

/// The content model: the pages with their rendered Markdown, and what is
/// made of them before anything is rendered.
#[derive(Debug, Default)]
pub struct Model {
    /// Pages, sections, languages, URLs and translation groups.
    pub content: Content,
    /// Markdown output per page id (stand-ins have an empty entry).
    pub rendered: Rendered,
    /// Section listings per language.
    pub listings: Listings,
    /// Facet, print and search pages, and feeds.
    pub derived: Derived,
    /// Lookups over the structure for views (page keys, backlinks).
    view_index: Index,
}

/// The problems found by each loading stage, so that an edit that redoes
/// one stage replaces that stage's problems and keeps the others'.
#[derive(Debug, Default)]
pub struct Stages {
    /// Theme folder, UI strings and templates.
    pub theme: Vec<Diagnostic>,
    /// Sensor datasets.
    pub data: Vec<Diagnostic>,
    /// Content files: front matter, URLs, translations, `pages` fields.
    pub content: Vec<Diagnostic>,
    /// Derived pages and output paths (unchanged by edits of page texts).
    pub structure: Vec<Diagnostic>,
    /// Anchors and scripts in the pages' texts, by page.
    pub texts: checks::TextChecks,
}

/// What makes later loads of a site quick: the parsed content files, the
/// count of structural changes, and the pages whose text alone changed.
#[derive(Default)]
struct Loading {
    cache: ContentCache,
    /// Counts loads and structural changes; equal generations mean the
    /// same pages, URLs and listings.
    generation: u64,
    /// Pages whose text changed since [`Site::take_text_changes`] was last
    /// called, while the structure stayed the same.
    text_changes: Vec<PageId>,
    /// Pages whose front matter (or whose rendering, for shortcodes that
    /// show other pages) changed since [`Site::take_front_changes`] was
    /// last called, while the structure and the derived pages stayed.
    front_changes: FrontChanges,
    /// First and last commit time per file, for pages without a date
    /// (feeds, sitemap).
    file_dates: Arc<HashMap<PathBuf, crate::sources::git::CommitDates>>,
    /// In a build: where rendered bodies wait until their pages are written.
    spill: Option<Arc<Spill>>,
}

/// A loaded site, ready to render.
pub struct Site {
    options: BuildOptions,
    /// The site folder.
    pub dir: SiteDir,
    /// `site.yaml`, validated.
    pub config: SiteConfig,
    /// Layers, UI strings and templates.
    pub theme: Theme,
    /// Sensor summaries for chart shortcodes.
    pub datasets: Datasets,
    /// The content model.
    pub model: Model,
    /// Problems by stage.
    pub stages: Stages,
    /// Every problem found while loading, sorted.
    pub diagnostics: Vec<Diagnostic>,
    highlighter: Highlighter,
    loading: Loading,
}

impl Site {
    /// Loads the site in `root` and renders its Markdown. `Err` only when
    /// there is nothing to work with (no usable site.yaml).
    pub fn load(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        let root = &options.root;
        if let Some(d) = output::target::not_a_folder(root) {
            return Err(vec![d]);
        }
        let dir = SiteDir::new(root).map_err(|e| {
            vec![
                Diagnostic::global(
                    Severity::Error,
                    format!("cannot open the site folder {}: {e}", root.display()),
                )
                .with_help("pass the folder that holds site.yaml with --root DIR"),
            ]
        })?;
        let config = load_config(options)?;
        // Asking git takes a process start: do it while the rest loads.
        let git_dates = config.feeds.enabled.then(|| {
            let root = root.clone();
            std::thread::spawn(move || crate::sources::git::commit_dates(&root))
        });
        let stage = crate::timing::stage("theme and data");
        let (theme, theme_problems) = Theme::load(&dir, &config)?;
        let (datasets, data_problems) = Datasets::load(&dir);
        drop(stage);
        let mut site = Site {
            options: options.clone(),
            dir,
            config,
            theme,
            datasets,
            model: Model::default(),
            stages: Stages {
                theme: theme_problems,
                data: data_problems,
                ..Stages::default()
            },
            diagnostics: Vec::new(),
            highlighter: Highlighter::new(),
            loading: Loading {
                spill: options
                    .spill_dir
                    .as_deref()
                    .and_then(|dir| Spill::create(dir).ok())
                    .map(Arc::new),
                ..Loading::default()
            },
        };
        if let Some(dates) = git_dates.and_then(|h| h.join().ok()) {
            site.loading.file_dates = Arc::new(dates);
        }
        {
            let _t = crate::timing::stage("content");
            site.load_content(None);
        }
        if site.loading.spill.is_some() {
            // A one-off build never reads the content again.
            site.loading.cache = ContentCache::default();
        }
        {
            let _t = crate::timing::stage("markdown");
            site.render_markdown(HashMap::new(), |_| true);
        }
        let _t = crate::timing::stage("finish");
        site.finish();
        Ok(site)
    }

    /// Brings the site up to date after `changes`. A changed `site.yaml`
    /// loads everything again; `Err` (the site is unchanged) when it is
    /// unusable. Returns the number of pages whose Markdown was rendered.
    pub fn apply(&mut self, changes: &Changes) -> Result<usize, Vec<Diagnostic>> {
        if changes.config {
            let generation = self.loading.generation;
            let fresh = Site::load(&self.options)?;
            let pages = fresh.model.content.pages.len();
            *self = fresh;
            self.loading.generation = generation + 1;
            return Ok(pages);
        }
        let text_only = !changes.theme && !changes.strings && !changes.data;
        if text_only
            && !changes.content.is_empty()
            && let Some(pages) = self
                .loading
                .cache
                .body_changes(&self.options.root, &changes.content)
        {
            return Ok(self.apply_text_changes(pages));
        }
        if text_only
            && !changes.content.is_empty()
            && self
                .loading
                .cache
                .known_pages(&self.options.root, &changes.content)
        {
            return Ok(self.apply_front_changes(&changes.content));
        }
        crate::timing::note("full reload");
        self.loading.generation += 1;
        self.forget_changes();
        let old_shortcodes = self.shortcode_hashes();
        if changes.theme {
            let (theme, problems) = Theme::load(&self.dir, &self.config)?;
            self.theme = theme;
            self.stages.theme = problems;
        }
        if changes.data {
            let (datasets, problems) = Datasets::load(&self.dir);
            self.datasets = datasets;
            self.stages.data = problems;
        }
        let new_shortcodes = self.shortcode_hashes();
        let changed_shortcodes: Vec<String> = old_shortcodes
            .iter()
            .filter(|(k, v)| new_shortcodes.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .chain(
                new_shortcodes
                    .keys()
                    .filter(|k| !old_shortcodes.contains_key(*k))
                    .cloned(),
            )
            .collect();
        let old = std::mem::take(&mut self.model);
        // An empty list re-reads nothing: the cached pages are assembled
        // again (URLs may depend on labels, which the theme may change).
        {
            let _t = crate::timing::stage("content");
            self.load_content(Some(&changes.content));
        }
        let _t = crate::timing::stage("markdown");
        let rendered = self.render_markdown(texts::previous(old), |r| {
            changes.strings
                || r.shortcodes.iter().any(|name| {
                    shortcodes::reads_other_pages(name)
                        || (changes.data && shortcodes::reads_datasets(name))
                        || changed_shortcodes.contains(name)
                })
        });
        drop(_t);
        let _t = crate::timing::stage("finish");
        self.finish();
        Ok(rendered)
    }

    /// Leaves out of `changes` the content paths that came and went since
    /// the last load ([`ContentCache::is_transient`]): a file saved by
    /// writing a temporary file and renaming it over the old one is then
    /// the edit of one page, not a change of the site's files.
    pub fn drop_transient(&self, changes: &mut Changes) {
        let root = &self.options.root;
        changes
            .content
            .retain(|path| !self.loading.cache.is_transient(root, path));
    }

    /// The pages whose text changed (with the structure unchanged) since
    /// the last call, and the structure's generation.
    pub fn take_text_changes(&mut self) -> (u64, Vec<PageId>) {
        (
            self.loading.generation,
            std::mem::take(&mut self.loading.text_changes),
        )
    }

    /// The pages whose front matter changed (with the structure and the
    /// derived pages unchanged) since the last call; their listings,
    /// neighbours and feeds may show them differently.
    pub fn take_front_changes(&mut self) -> FrontChanges {
        std::mem::take(&mut self.loading.front_changes)
    }

    /// Forgets the pages changed since the last refresh (after a change of
    /// structure, which makes `serve` compare everything).
    fn forget_changes(&mut self) {
        self.loading.text_changes.clear();
        self.loading.front_changes = FrontChanges::default();
    }

    /// Counts loads and structural changes (see [`Site::take_text_changes`]).
    pub fn generation(&self) -> u64 {
        self.loading.generation
    }

    /// Each site shortcode with a hash of its template and what it pulls in.
    fn shortcode_hashes(&self) -> BTreeMap<String, u64> {
        let templates = self.theme.templates.any();
        templates
            .shortcodes()
            .keys()
            .map(|name| {
                (
                    name.clone(),
                    templates.closure_hash(&format!("shortcodes/{name}.html")),
                )
            })
            .collect()
    }

    fn load_content(&mut self, changed: Option<&[PathBuf]>) {
        let (content, diagnostics) = self.loading.cache.load(
            &self.options.root,
            &self.config,
            LoadOptions {
                drafts: self.options.drafts,
                once: self.loading.spill.is_some(),
            },
            changed,
        );
        self.model.content = content;
        self.model.content.file_dates = Arc::clone(&self.loading.file_dates);
        self.stages.content = diagnostics;
    }

    /// Listings, derived pages and the checks over the whole structure;
    /// gathers diagnostics.
    fn finish(&mut self) {
        self.finish_structure();
        let model = &self.model;
        self.stages.texts = checks::TextChecks::new(&self.config, &model.content, &model.rendered);
        self.collect_diagnostics();
    }

    /// Listings, derived pages, the view index and the checks over the
    /// whole structure (not the texts').
    fn finish_structure(&mut self) {
        let model = &mut self.model;
        model.listings = Listings::new(&self.config, &model.content);
        let (derived, mut structure) = derived::plan(
            &self.config,
            &model.content,
            &model.listings,
            &Labels::new(&self.theme.i18n),
        );
        model.derived = derived;
        model.view_index = Index::new(&model.content);
        structure.extend(checks::output_collisions(&model.content, &model.derived));
        self.stages.structure = structure;
    }

    /// Gathers the diagnostics of every stage and page.
    fn collect_diagnostics(&mut self) {
        let stages = &self.stages;
        let rendered = &self.model.rendered;
        let mut diagnostics = stages.theme.clone();
        diagnostics.extend(stages.data.iter().cloned());
        diagnostics.extend(stages.content.iter().cloned());
        for r in rendered.iter() {
            diagnostics.extend(r.diagnostics.iter().cloned());
        }
        diagnostics.extend(stages.texts.diagnostics().cloned());
        diagnostics.extend(stages.structure.iter().cloned());
        if let Some(templates) = self.theme.templates.loaded() {
            diagnostics.extend(checks::missing_templates(&self.model.content, templates));
        }
        sort_diagnostics(&mut diagnostics);
        self.diagnostics = diagnostics;
    }

    /// Whether loading found an error (rendering would not give a correct site).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The static files of every layer (higher layers win), by output
    /// path, with their problems: files that cannot be read, one warning
    /// naming the hidden files left out, and an error for each static file
    /// a generated file would replace. Build, check and serve all list
    /// static files here, so they agree.
    pub fn static_files(&self) -> (BTreeMap<String, Origin>, Vec<Diagnostic>) {
        let (files, skipped, mut problems) =
            self.theme.layers.static_files(&self.config.publish_hidden);
        problems.extend(checks::hidden_static(&self.config, &files, &skipped));
        problems.extend(checks::static_collisions(self, &files));
        (files, problems)
    }

    /// The options the site was loaded with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Pages per language, in site order.
    pub fn pages_per_language(&self) -> Vec<(String, usize)> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for page in &self.model.content.pages {
            *counts.entry(page.lang.as_str()).or_default() += 1;
        }
        self.config
            .languages
            .iter()
            .map(|l| {
                (
                    l.code.clone(),
                    counts.get(l.code.as_str()).copied().unwrap_or(0),
                )
            })
            .collect()
    }
}

fn load_config(options: &BuildOptions) -> Result<SiteConfig, Vec<Diagnostic>> {
    let mut config = SiteConfig::load(&options.root)?;
    config.pdf &= !options.no_pdf;
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|m| {
            vec![
                Diagnostic::global(Severity::Error, format!("--base-url: {m}")).with_kind("config"),
            ]
        })?;
    }
    Ok(config)
}
