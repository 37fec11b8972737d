//! The site: a value that owns everything a build needs, loaded once:
//! configuration, layered theme files, UI strings, templates, the
//! highlighter, sensor datasets, the content and its rendered Markdown,
//! listings and derived pages.
//!
//! [`Site::load`] runs the stages config → theme → content → markdown →
//! checks and collects every diagnostic. [`Site::apply`] brings a loaded
//! site up to date after files changed (for `serve`): it reloads only the
//! parts the changed files feed, re-reads only changed content files, and
//! renders again only the Markdown whose source or link targets changed.
//! Rendering ([`render`]) turns the site into output files, each handed to
//! an [`OutputSink`] as soon as it exists, so a build streams pages to disk.
//!
//! Stages never fail early: a bad page, template or strings file adds
//! diagnostics and the rest goes on (with the built-in theme standing in
//! for broken theme files), so one run reports every problem.

pub mod checks;
mod field_chart;
pub mod render;
mod shortcodes;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{BaseUrl, SiteConfig};
use crate::content::derived::{self, Derived};
use crate::content::links::SiteLinks;
use crate::content::rendered::Rendered;
use crate::content::sections::Listings;
use crate::content::spill::{Spill, Spilled};
use crate::content::urls::output_path;
use crate::content::{Content, ContentCache, LoadOptions, PageId};
use crate::diagnostics::{Diagnostic, Severity, SourceFile, sort_diagnostics};
use crate::i18n::I18n;
use crate::i18n::labels::Labels;
use crate::markdown::links::written_target;
use crate::markdown::{self, Highlighter, MarkdownEnv, RenderedMarkdown};
use crate::output::{self, OutputWriter};
use crate::sensors::shortcodes::Datasets;
use crate::sources::SiteDir;
use crate::sources::layers::{Layers, Origin};
use crate::templates::Templates;
use crate::templates::views::Index;
pub use render::Job;
use shortcodes::SiteShortcodes;

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
}

/// The outcome of a build that produced a site.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages written per language code, in site order.
    pub pages_per_language: Vec<(String, usize)>,
    /// Entries of a foreign output folder deleted because of `--force`.
    pub forced_entries: usize,
    /// Shards of the search index built anew and reused from the
    /// previous output, when the site has search.
    pub search_shards: Option<(usize, usize)>,
    /// Warnings (the build succeeded anyway).
    pub warnings: Vec<Diagnostic>,
    /// Wall-clock time.
    pub elapsed: std::time::Duration,
    /// Where the site went.
    pub output: PathBuf,
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

/// Rendered Markdown of a previous load, by (`@/` key, language), with the
/// file it was rendered from.
type Previous = HashMap<(String, String), (Arc<crate::diagnostics::SourceFile>, RenderedMarkdown)>;

/// A loaded site, ready to render.
pub struct Site {
    options: BuildOptions,
    /// The site folder.
    pub dir: SiteDir,
    /// Built-in theme, theme folder and site, in override order.
    pub layers: Layers,
    /// `site.yaml`, validated.
    pub config: SiteConfig,
    /// UI strings and locale formats.
    pub i18n: Arc<I18n>,
    /// Templates and shortcode components.
    pub templates: Templates,
    /// Whether the site's templates loaded (else the built-in ones stand
    /// in, and nothing is rendered: the errors say why).
    pub templates_ok: bool,
    /// Sensor summaries for chart shortcodes.
    pub datasets: Datasets,
    /// The content model.
    pub content: Content,
    /// Markdown output per page id (stand-ins have an empty entry).
    pub rendered: Rendered,
    /// Section listings per language.
    pub listings: Listings,
    /// Facet and print pages.
    pub derived: Derived,
    /// Lookups over the structure for views (page keys, backlinks).
    view_index: Index,
    /// Every problem found while loading, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Problems of the theme stage (kept between content updates).
    theme_diagnostics: Vec<Diagnostic>,
    /// Problems of the data stage.
    data_diagnostics: Vec<Diagnostic>,
    /// Problems of the content stage.
    content_diagnostics: Vec<Diagnostic>,
    /// Problems found when planning derived pages and output paths
    /// (unchanged by edits to page text).
    structure_diagnostics: Vec<Diagnostic>,
    /// Counts loads and structural changes; equal generations mean the
    /// same pages, URLs and listings.
    generation: u64,
    /// Pages whose text changed since [`Site::take_text_changes`] was last
    /// called, while the structure stayed the same.
    text_changes: Vec<PageId>,
    cache: ContentCache,
    highlighter: Highlighter,
    /// Last commit time per file, for pages without a date (feeds, sitemap).
    file_dates: Arc<HashMap<PathBuf, jiff::Timestamp>>,
    /// In a build: where rendered bodies wait until their pages are written.
    spill: Option<Arc<Spill>>,
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
            std::thread::spawn(move || crate::sources::git::last_changes(&root))
        });
        let layers = Layers::builtin_only(&dir);
        let i18n = Arc::new(I18n::load(&layers, &config)?);
        let templates = Templates::load(&layers, Arc::clone(&i18n), &config.base_url.path)?;
        let mut site = Site {
            options: options.clone(),
            dir,
            layers,
            config,
            i18n,
            templates,
            templates_ok: true,
            datasets: Datasets::default(),
            content: Content::default(),
            rendered: Rendered::default(),
            listings: Listings::default(),
            derived: Derived::default(),
            view_index: Index::default(),
            diagnostics: Vec::new(),
            theme_diagnostics: Vec::new(),
            data_diagnostics: Vec::new(),
            content_diagnostics: Vec::new(),
            structure_diagnostics: Vec::new(),
            generation: 0,
            text_changes: Vec::new(),
            cache: ContentCache::default(),
            highlighter: Highlighter::new(),
            file_dates: Arc::default(),
            spill: options
                .spill_dir
                .as_deref()
                .and_then(|dir| Spill::create(dir).ok())
                .map(Arc::new),
        };
        {
            let _t = crate::timing::stage("theme and data");
            site.load_theme()?;
            site.load_data();
        }
        if let Some(dates) = git_dates.and_then(|h| h.join().ok()) {
            site.file_dates = Arc::new(dates);
        }
        {
            let _t = crate::timing::stage("content");
            site.load_content(None);
        }
        if site.spill.is_some() {
            // A one-off build never reads the content again.
            site.cache = ContentCache::default();
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
            let generation = self.generation;
            let fresh = Site::load(&self.options)?;
            let pages = fresh.content.pages.len();
            *self = fresh;
            self.generation = generation + 1;
            return Ok(pages);
        }
        let text_only = !changes.theme && !changes.strings && !changes.data;
        if text_only
            && !changes.content.is_empty()
            && let Some(pages) = self
                .cache
                .body_changes(&self.options.root, &changes.content)
        {
            return Ok(self.apply_text_changes(pages));
        }
        self.generation += 1;
        self.text_changes.clear();
        let old_content = std::mem::take(&mut self.content);
        let old_rendered = std::mem::take(&mut self.rendered).into_pages();
        let old_shortcodes: BTreeMap<String, u64> = self.shortcode_hashes();
        if changes.theme {
            self.load_theme()?;
        }
        if changes.data {
            self.load_data();
        }
        let strings_changed = changes.strings;
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
        // An empty list re-reads nothing: the cached pages are assembled
        // again (URLs may depend on labels, which the theme may change).
        {
            let _t = crate::timing::stage("content");
            self.load_content(Some(&changes.content));
        }
        let _t = crate::timing::stage("markdown");
        let previous: Previous = old_content
            .pages
            .into_iter()
            .zip(old_rendered)
            .filter(|(p, _)| p.stand_in_for.is_none())
            .map(|(p, r)| ((p.path.link_key.clone(), p.lang.clone()), (p.file, r)))
            .collect();
        let datasets_changed = changes.data;
        let rendered = self.render_markdown(previous, |r| {
            // The field chart counts other pages' fields.
            r.shortcodes.iter().any(|s| s == "field_chart")
                || strings_changed
                || (datasets_changed
                    && r.shortcodes
                        .iter()
                        .any(|s| crate::sensors::shortcodes::NAMES.contains(&s.as_str())))
                || r.shortcodes.iter().any(|s| changed_shortcodes.contains(s))
        });
        drop(_t);
        let _t = crate::timing::stage("finish");
        self.finish();
        Ok(rendered)
    }

    /// Takes in new texts of pages whose front matter did not change:
    /// renders their Markdown again and checks anchors and scripts; the
    /// structure (URLs, listings, derived pages) stays.
    fn apply_text_changes(&mut self, pages: Vec<crate::content::Page>) -> usize {
        let _t = crate::timing::stage("text");
        let mut changed: Vec<PageId> = Vec::new();
        for new in &pages {
            for (id, page) in self.content.pages.iter_mut().enumerate() {
                if page.file.path == new.file.path {
                    page.file = Arc::clone(&new.file);
                    page.body = new.body.clone();
                    changed.push(id);
                }
            }
        }
        let fresh: Vec<(PageId, RenderedMarkdown)> = {
            let links = SiteLinks {
                content: &self.content,
                config: &self.config,
            };
            let shortcodes = SiteShortcodes {
                templates: &self.templates,
                templates_ok: self.templates_ok,
                datasets: &self.datasets,
                i18n: &self.i18n,
                content: &self.content,
            };
            let i18n = &self.i18n;
            let ui_string = |lang: &str, key: &str| {
                i18n.get(lang, key, None, &[])
                    .map(|l| l.text())
                    .unwrap_or_else(|| key.to_string())
            };
            let env = MarkdownEnv {
                links: &links,
                shortcodes: &shortcodes,
                highlighter: &self.highlighter,
                ui_string: &ui_string,
            };
            changed
                .par_iter()
                .filter(|id| self.content.pages[**id].stand_in_for.is_none())
                .map(|&id| {
                    let page = &self.content.pages[id];
                    (
                        id,
                        markdown::render(&page.file, page.body.clone(), &page.lang, &env),
                    )
                })
                .collect()
        };
        let rendered = fresh.len();
        for (id, markdown) in fresh {
            self.rendered.set(id, markdown);
        }
        self.text_changes.extend(changed);
        self.collect_diagnostics();
        rendered
    }

    /// The pages whose text changed (with the structure unchanged) since
    /// the last call, and the structure's generation.
    pub fn take_text_changes(&mut self) -> (u64, Vec<PageId>) {
        (self.generation, std::mem::take(&mut self.text_changes))
    }

    /// Counts loads and structural changes (see [`Site::take_text_changes`]).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn shortcode_hashes(&self) -> BTreeMap<String, u64> {
        self.templates
            .shortcodes()
            .keys()
            .map(|name| {
                (
                    name.clone(),
                    self.templates
                        .closure_hash(&format!("shortcodes/{name}.html")),
                )
            })
            .collect()
    }

    /// Loads layers, UI strings and templates; broken site files get the
    /// built-in ones standing in, with their errors in the diagnostics.
    fn load_theme(&mut self) -> Result<(), Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let config = &self.config;
        self.layers = match Layers::new(&self.dir, &config.theme) {
            Ok(l) => l,
            Err(d) => {
                diagnostics.push(d);
                Layers::without_theme(&self.dir)
            }
        };
        let mut strings_failed = false;
        self.i18n = Arc::new(match I18n::load(&self.layers, config) {
            Ok(i) => i,
            Err(mut e) => {
                diagnostics.append(&mut e);
                strings_failed = true;
                I18n::load(&Layers::builtin_only(&self.dir), config)?
            }
        });
        // With the site's strings failed (reported above), the stand-in
        // has none of them: no language is really without strings.
        let without = if strings_failed {
            Vec::new()
        } else {
            self.i18n.languages_without_strings()
        };
        for (lang, used) in without {
            diagnostics.push(
                Diagnostic::file_error(
                    Path::new(&format!("i18n/{lang}.yaml")),
                    format!(
                        "there are no UI strings for `{lang}`; pages in `{lang}` show the interface in `{used}`"
                    ),
                )
                .with_help(format!(
                    "create i18n/{lang}.yaml with the strings under `strings:` (`drehbuch theme eject` shows every key in i18n/en.yaml)"
                ))
                .warning()
                .with_kind("i18n"),
            );
        }
        let base_path = config.base_url.path.clone();
        match Templates::load(&self.layers, Arc::clone(&self.i18n), &base_path) {
            Ok(t) => {
                self.templates = t;
                self.templates_ok = true;
            }
            Err(mut e) => {
                diagnostics.append(&mut e);
                self.templates = Templates::load(
                    &Layers::builtin_only(&self.dir),
                    Arc::clone(&self.i18n),
                    &base_path,
                )?;
                self.templates_ok = false;
            }
        }
        self.theme_diagnostics = diagnostics;
        Ok(())
    }

    fn load_data(&mut self) {
        let (datasets, problems) = Datasets::load(&self.dir);
        self.datasets = datasets;
        self.data_diagnostics = problems;
    }

    fn load_content(&mut self, changed: Option<&[PathBuf]>) {
        let (content, diagnostics) = self.cache.load(
            &self.options.root,
            &self.config,
            LoadOptions {
                drafts: self.options.drafts,
                once: self.spill.is_some(),
            },
            changed,
        );
        self.content = content;
        self.content.file_dates = Arc::clone(&self.file_dates);
        self.content_diagnostics = diagnostics;
    }

    /// Renders every page's Markdown in parallel, reusing the previous
    /// result of a page whose file is unchanged, whose `@/` links resolve
    /// as before, and for which `render_again` does not hold.
    fn render_markdown(
        &mut self,
        mut previous: Previous,
        render_again: impl Fn(&RenderedMarkdown) -> bool + Sync,
    ) -> usize {
        let spill = self.spill.clone();
        // A one-off build hands each page's text to its rendering and lets
        // go of it right after, so texts and renderings never all sit in
        // memory together (later checks use locations taken while
        // rendering).
        let texts: Vec<Option<Arc<SourceFile>>> = match &spill {
            Some(_) => self
                .content
                .pages
                .iter()
                .map(|p| Some(Arc::clone(&p.file)))
                .collect(),
            None => vec![None; self.content.pages.len()],
        };
        if spill.is_some() {
            self.release_sources();
        }
        let links = SiteLinks {
            content: &self.content,
            config: &self.config,
        };
        let shortcodes = SiteShortcodes {
            templates: &self.templates,
            templates_ok: self.templates_ok,
            datasets: &self.datasets,
            i18n: &self.i18n,
            content: &self.content,
        };
        let i18n = &self.i18n;
        let ui_string = |lang: &str, key: &str| {
            i18n.get(lang, key, None, &[])
                .map(|l| l.text())
                .unwrap_or_else(|| key.to_string())
        };
        let env = MarkdownEnv {
            links: &links,
            shortcodes: &shortcodes,
            highlighter: &self.highlighter,
            ui_string: &ui_string,
        };
        let reusable: Vec<Option<RenderedMarkdown>> = self
            .content
            .pages
            .iter()
            .map(|page| {
                let key = (page.path.link_key.clone(), page.lang.clone());
                let (file, old) = previous.remove(&key)?;
                let same_source = Arc::ptr_eq(&file, &page.file) || file.text == page.file.text;
                let same_links = old
                    .link_targets
                    .iter()
                    .all(|(k, target)| written_target(k, &page.lang, &links) == *target);
                (same_source && same_links && !render_again(&old)).then_some(old)
            })
            .collect();
        let fresh = reusable.iter().filter(|r| r.is_none()).count();
        let (rendered, spilled): (Vec<RenderedMarkdown>, Vec<Option<Spilled>>) = self
            .content
            .pages
            .par_iter()
            .zip(reusable.into_par_iter())
            .zip(texts.into_par_iter())
            .map(|((page, reused), text)| {
                let file = text.as_ref().unwrap_or(&page.file);
                let mut r = match (page.stand_in_for, reused) {
                    (Some(_), _) => RenderedMarkdown::default(),
                    (None, Some(old)) => old,
                    (None, None) => markdown::render(file, page.body.clone(), &page.lang, &env),
                };
                drop(text);
                // A build sets the body aside until its page is written.
                let at = spill.as_ref().and_then(|s| s.put(&r.html));
                if at.is_some() {
                    r.html = String::new();
                }
                (r, at)
            })
            .unzip();
        self.rendered = match spill {
            Some(spill) => Rendered::spilled(rendered, spill, spilled),
            None => Rendered::new(rendered),
        };
        fresh
    }

    /// For a one-off build: replaces the pages' texts by empty ones with
    /// the same paths (a page's body range stays, for its rendering).
    fn release_sources(&mut self) {
        for page in &mut self.content.pages {
            page.file = Arc::new(SourceFile::new(page.file.path.clone(), String::new()));
            page.data_file = None;
        }
    }

    /// Cross-page checks, listings and derived pages; gathers diagnostics.
    fn finish(&mut self) {
        self.listings = Listings::new(&self.config, &self.content);
        let (derived, mut structure) = derived::plan(
            &self.config,
            &self.content,
            &self.listings,
            &Labels::new(&self.i18n),
        );
        self.derived = derived;
        self.view_index = Index::new(&self.content);
        structure.extend(checks::output_collisions(&self.content, &self.derived));
        self.structure_diagnostics = structure;
        self.collect_diagnostics();
    }

    /// Gathers the diagnostics of every stage, with the checks that depend
    /// on page texts (anchors, scripts) done again.
    fn collect_diagnostics(&mut self) {
        let mut diagnostics = self.theme_diagnostics.clone();
        diagnostics.extend(self.data_diagnostics.iter().cloned());
        diagnostics.extend(self.content_diagnostics.iter().cloned());
        for r in self.rendered.iter() {
            diagnostics.extend(r.diagnostics.iter().cloned());
        }
        checks::check_anchors(&self.content, &self.rendered, &mut diagnostics);
        diagnostics.extend(checks::script_diagnostics(&self.config, &self.rendered));
        diagnostics.extend(self.structure_diagnostics.iter().cloned());
        if self.templates_ok {
            diagnostics.extend(self.missing_templates());
        }
        sort_diagnostics(&mut diagnostics);
        self.diagnostics = diagnostics;
    }

    /// Pages whose front matter names a `template:` that does not exist,
    /// each an error at that line (rather than a render error per page).
    fn missing_templates(&self) -> Vec<Diagnostic> {
        self.content
            .pages
            .iter()
            .filter(|p| p.stand_in_for.is_none())
            .filter_map(|page| {
                let name = page.front.template.as_deref()?;
                if self.templates.has(name) {
                    return None;
                }
                let message = format!("the template `{name}` does not exist");
                let help = "name a file under templates/ (or the theme's), e.g. `template: page.html`, or remove `template:`";
                Some(
                    match &page.front.template_at {
                        Some(at) => at.saying(Severity::Error, message),
                        None => Diagnostic::file_error(&page.file.path, message),
                    }
                    .with_help(help)
                    .with_kind("template"),
                )
            })
            .collect()
    }

    /// Whether loading found an error (rendering would not give a correct site).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Renders every output file (pages, language chooser, 404 page, facet
    /// pages, print documents, sitemap, feeds) into `sink`, in parallel. Returns
    /// the problems found while rendering (template errors, UI strings).
    pub fn render(&self, sink: &dyn OutputSink) -> Vec<Diagnostic> {
        if !self.templates_ok {
            return Vec::new();
        }
        self.templates.string_log().clear();
        let views = self.views(false).recording(false);
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
        sort_diagnostics(&mut problems);
        once_per_template_line(problems)
    }

    /// The sitemap file(s).
    pub fn sitemap(&self) -> Vec<output::OutputFile> {
        output::sitemap::files(&self.config, &self.content, &self.derived)
    }

    /// Output paths of the pages the search index holds: every content
    /// page in its own language. Stand-ins are copies of pages indexed in
    /// their own language; listings, print documents and the search page
    /// only repeat other pages.
    pub fn search_paths(&self) -> HashSet<String> {
        self.content
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
            &self.content,
            &self.rendered,
            &self.derived.feeds,
        )
    }

    /// The Atom feeds that list one of `pages` (after an edit of their
    /// texts, the only feeds that change).
    pub fn feeds_of(&self, pages: &[PageId]) -> Vec<output::OutputFile> {
        let feeds: Vec<_> = self
            .derived
            .feeds
            .iter()
            .filter(|f| f.entries.iter().any(|(id, _)| pages.contains(id)))
            .cloned()
            .collect();
        output::feeds::files(&self.config, &self.content, &self.rendered, &feeds)
    }

    /// The inputs of views an edit of the texts of `pages` can change (see
    /// [`Index::text_inputs`]).
    pub fn text_inputs(&self, pages: &[PageId]) -> Vec<crate::templates::views::Input> {
        self.view_index.text_inputs(pages)
    }

    /// UI strings the renders so far asked for and did not find.
    pub fn string_diagnostics(&self) -> Vec<Diagnostic> {
        let silent: Vec<&str> = self
            .i18n
            .languages_without_strings()
            .into_iter()
            .map(|(lang, _)| lang)
            .collect();
        self.templates.string_diagnostics(&self.i18n, &silent)
    }

    /// The static files of every layer (higher layers win), by output
    /// path, with their problems: files that cannot be read, one warning
    /// naming the hidden files left out, and an error for each static file
    /// a generated file would replace. Build, check and serve all list
    /// static files here, so they agree.
    pub fn static_files(&self) -> (BTreeMap<String, Origin>, Vec<Diagnostic>) {
        let (files, skipped, mut problems) = self.layers.static_files(&self.config.publish_hidden);
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
        for page in &self.content.pages {
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

fn load_config(options: &BuildOptions) -> Result<SiteConfig, Vec<Diagnostic>> {
    let mut config = SiteConfig::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|m| {
            vec![
                Diagnostic::global(Severity::Error, format!("--base-url: {m}")).with_kind("config"),
            ]
        })?;
    }
    Ok(config)
}

/// Builds and writes the site. The output folder is checked first (it
/// must be drehbuch's own, empty or new, see [`output::target`]); pages
/// stream into a temporary folder that replaces the output only when the
/// whole build succeeded. On any error the previous output stays.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let target = {
        let _t = crate::timing::stage("output folder check");
        output::target::check(&options.root, &output_dir, options.force).map_err(|e| vec![e])?
    };
    output::search::shard_pages().map_err(|message| {
        vec![Diagnostic::global(Severity::Error, message).with_kind("config")]
    })?;
    // Bodies wait beside the output (on the same disk), else in the
    // system's temporary folder.
    let spill_dir = target
        .path
        .parent()
        .filter(|p| p.is_dir())
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    let options = &BuildOptions {
        spill_dir: Some(spill_dir),
        ..options.clone()
    };
    // Whether the output holds files no build wrote takes a walk of it:
    // done while the site loads.
    let (verified, site) = std::thread::scope(|scope| {
        let verify = scope.spawn(|| {
            let _t = crate::timing::stage("output folder walk");
            target.verify()
        });
        let site = Site::load(options);
        (verify.join(), site)
    });
    let verified = verified.unwrap_or(Ok(0));
    let (mut site, forced_in_output) = match (site, verified) {
        (Ok(site), Ok(_)) if site.has_errors() => return Err(site.diagnostics),
        (Ok(site), Ok(forced)) => (site, forced),
        (Ok(site), Err(d)) => {
            let mut all = site.diagnostics;
            all.push(d);
            sort_diagnostics(&mut all);
            return Err(all);
        }
        (Err(mut problems), verified) => {
            problems.extend(verified.err());
            return Err(problems);
        }
    };
    let writer = OutputWriter::begin(&target).map_err(|e| vec![e])?;
    let statics = crate::timing::stage("static files");
    let (mut errors, static_warnings) = copy_static(&site, &writer);
    drop(statics);
    let indexer = site.config.search.then(|| {
        output::search::Indexer::start(
            output::search::Previous::output(&target.path),
            site.spill.clone(),
        )
    });
    let indexed = site.search_paths();
    let sink = WriterSink {
        writer: &writer,
        relative_base: options
            .relative
            .then_some(site.config.base_url.path.as_str()),
        search: indexer.as_ref().map(|i| (i, &indexed)),
    };
    let rendering = crate::timing::stage("render and write");
    let mut problems = site.render(&sink);
    problems.extend(static_warnings);
    drop(rendering);
    let mut search_shards = None;
    if let Some(indexer) = indexer {
        let _t = crate::timing::stage("search index");
        match indexer.finish(&|f| writer.write(&f.path, &f.bytes)) {
            Ok(bundle) => {
                search_shards = Some((bundle.indexed_shards, bundle.reused_shards));
                errors.extend(
                    bundle
                        .copies
                        .par_iter()
                        .filter_map(|(from, path)| writer.copy(from, path).err())
                        .collect::<Vec<_>>(),
                );
                problems.extend(bundle.shortened.into_iter().map(|(path, message)| {
                    let source = site
                        .content
                        .pages
                        .iter()
                        .find(|p| output_path(&p.url) == path)
                        .map(|p| p.file.path.clone())
                        .unwrap_or_else(|| path.into());
                    Diagnostic::file_error(&source, message)
                        .warning()
                        .with_help("split the page, or mark long parts that need not be found with data-pagefind-ignore")
                        .with_kind("search")
                }));
            }
            Err(d) => errors.push(d),
        }
    }
    errors.extend(problems.iter().filter(|d| d.is_error()).cloned());
    if !errors.is_empty() {
        let mut all = site.diagnostics;
        all.append(&mut problems);
        all.extend(errors);
        sort_diagnostics(&mut all);
        // Dropping the writer removes its temporary folder.
        return Err(all);
    }
    let forced_at_commit = {
        let _t = crate::timing::stage("commit");
        writer.commit().map_err(|e| vec![e])?
    };
    let mut warnings = std::mem::take(&mut site.diagnostics);
    warnings.append(&mut problems);
    sort_diagnostics(&mut warnings);
    let pages_per_language = site.pages_per_language();
    // Freeing a large site takes a moment the caller need not wait for.
    std::thread::spawn(move || drop(site));
    Ok(BuildReport {
        pages_per_language,
        forced_entries: target.forced_entries + forced_in_output + forced_at_commit,
        search_shards,
        warnings,
        elapsed: started.elapsed(),
        output: output_dir,
    })
}

/// Writes rendered files into an [`OutputWriter`], made relative for
/// `--relative` builds.
struct WriterSink<'a> {
    writer: &'a OutputWriter,
    relative_base: Option<&'a str>,
    /// The search indexer and the paths of the pages it takes.
    search: Option<(&'a output::search::Indexer, &'a HashSet<String>)>,
}

impl OutputSink for WriterSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        match self.relative_base {
            Some(base) if path.ends_with(".html") => {
                let relative = output::relative::relativize_file(path, &bytes, base);
                self.writer.write(path, &relative)?;
            }
            _ => self.writer.write(path, &bytes)?,
        }
        if let Some((indexer, paths)) = self.search
            && paths.contains(path)
        {
            indexer.add(path, bytes);
        }
        Ok(())
    }
}

/// Copies the static files of every layer into the output. Returns the
/// errors (with any, nothing is copied) and the warnings.
fn copy_static(site: &Site, writer: &OutputWriter) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (files, problems) = site.static_files();
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        problems.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return (errors, warnings);
    }
    let errors = files
        .par_iter()
        .filter_map(|(relative, origin)| match origin {
            Origin::Disk(path) => writer.copy(path, relative).err(),
            Origin::Builtin(_) => match site.layers.read(origin) {
                Ok(bytes) => writer.write(relative, &bytes).err(),
                Err(d) => Some(d),
            },
        })
        .collect();
    (errors, warnings)
}
