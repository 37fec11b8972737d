//! The site: a value that owns everything a build needs, loaded once:
//! configuration, layered theme files, UI strings, templates, the
//! highlighter, sensor datasets, the content and its rendered Markdown,
//! listings and derived pages. [`Site::load`] runs the stages
//! config → content → markdown and collects every diagnostic;
//! [`Site::render`] turns the site into output files and hands each one to
//! an [`OutputSink`] as soon as it exists, so a build streams pages to disk
//! instead of holding the whole site in memory.
//!
//! Stages never fail early: a bad page, template or strings file adds
//! diagnostics and the rest goes on (with the built-in theme standing in
//! for broken theme files), so one run reports every problem.

pub mod derived;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use tera::Context;

use crate::config::{BaseUrl, ContentScripts, SiteConfig};
use crate::content::links::SiteLinks;
use crate::content::sections::Listings;
use crate::content::{self, Content, LoadOptions, PageId, PageKind};
use crate::diagnostics::{Diagnostic, Severity, sort_diagnostics};
use crate::i18n::I18n;
use crate::i18n::labels::Labels;
use crate::markdown::shortcodes::{ShortcodeCall, Signature};
use crate::markdown::{self, Highlighter, MarkdownEnv, RenderedMarkdown, ShortcodeHost};
use crate::output::{self, OutputWriter};
use crate::sensors::shortcodes::{self as charts, Datasets};
use crate::sources::SiteDir;
use crate::sources::layers::{Kind, Layers, Origin};
use crate::templates::Templates;
use crate::templates::print::{self, PrintPart};
use crate::templates::views::{PageView, ViewBuilder};
use derived::{Derived, DerivedKind};

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
}

/// The outcome of a build that produced a site.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages written per language code, in site order.
    pub pages_per_language: Vec<(String, usize)>,
    /// Entries of a foreign output folder deleted because of `--force`.
    pub forced_entries: usize,
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

/// A loaded site, ready to render.
pub struct Site {
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
    pub rendered: Vec<RenderedMarkdown>,
    /// Section listings per language.
    pub listings: Listings,
    /// Facet and print pages.
    pub derived: Derived,
    /// Every problem found while loading, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl Site {
    /// Loads the site in `root` and renders its Markdown. `Err` only when
    /// there is nothing to work with (no usable site.yaml).
    pub fn load(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
        let root = &options.root;
        let dir = SiteDir::new(root).map_err(|e| {
            vec![
                Diagnostic::global(
                    Severity::Error,
                    format!("cannot open the site folder {}: {e}", root.display()),
                )
                .with_help("pass the folder that holds site.yaml with --root DIR"),
            ]
        })?;
        let mut config = SiteConfig::load(root)?;
        if let Some(url) = &options.base_url {
            config.base_url = BaseUrl::parse(url).map_err(|m| {
                vec![Diagnostic::global(
                    Severity::Error,
                    format!("--base-url: {m}"),
                )]
            })?;
        }
        let mut diagnostics = Vec::new();
        let layers = match Layers::new(&dir, &config.theme) {
            Ok(l) => l,
            Err(d) => {
                diagnostics.push(d);
                Layers::new(&dir, crate::sources::theme::BUILTIN_NAME).map_err(|d| vec![d])?
            }
        };
        let i18n = Arc::new(match I18n::load(&layers, &config) {
            Ok(i) => i,
            Err(mut e) => {
                diagnostics.append(&mut e);
                I18n::load(&Layers::builtin_only(&dir), &config).map_err(|e| e.clone())?
            }
        });
        for (lang, used) in i18n.languages_without_strings() {
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
        let (templates, templates_ok) =
            match Templates::load(&layers, Arc::clone(&i18n), &config.base_url.path) {
                Ok(t) => (t, true),
                Err(mut e) => {
                    diagnostics.append(&mut e);
                    let builtin = Templates::load(
                        &Layers::builtin_only(&dir),
                        Arc::clone(&i18n),
                        &config.base_url.path,
                    )?;
                    (builtin, false)
                }
            };
        let (datasets, mut dataset_problems) = Datasets::load(&dir);
        diagnostics.append(&mut dataset_problems);
        let (content, mut content_diagnostics) = content::load(
            root,
            &config,
            LoadOptions {
                drafts: options.drafts,
            },
        );
        diagnostics.append(&mut content_diagnostics);

        let rendered = render_markdown(
            &config,
            &content,
            &i18n,
            &templates,
            templates_ok,
            &datasets,
            &mut diagnostics,
        );
        check_anchors(&content, &rendered, &mut diagnostics);
        diagnostics.extend(script_diagnostics(&config, &content, &rendered));
        let listings = Listings::new(&config, &content);
        let (derived, mut derived_errors) = derived::plan(&config, &content, Labels::new(&i18n));
        diagnostics.append(&mut derived_errors);
        diagnostics.extend(output_collisions(&content, &derived));
        sort_diagnostics(&mut diagnostics);
        Ok(Site {
            dir,
            layers,
            config,
            i18n,
            templates,
            templates_ok,
            datasets,
            content,
            rendered,
            listings,
            derived,
            diagnostics,
        })
    }

    /// Whether loading found an error (rendering would not give a correct site).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Renders every output file (pages, language chooser, 404 page, facet
    /// pages, print documents, sitemap) into `sink`, in parallel. Returns
    /// the problems found while rendering (template errors, UI strings).
    pub fn render(&self, sink: &dyn OutputSink) -> Vec<Diagnostic> {
        if !self.templates_ok {
            return Vec::new();
        }
        self.templates.string_log().clear();
        let views = ViewBuilder::new(
            &self.config,
            &self.content,
            &self.rendered,
            &self.i18n,
            &self.listings,
            &self.derived,
        );
        let mut problems: Vec<Diagnostic> = (0..self.content.pages.len())
            .into_par_iter()
            .filter_map(|id| self.render_page(&views, id, sink).err())
            .collect();
        problems.extend(self.render_site_pages(&views, sink));
        problems.extend(
            self.derived
                .pages
                .par_iter()
                .filter_map(|page| self.render_derived(&views, page, sink).err())
                .collect::<Vec<_>>(),
        );
        for file in output::sitemap::files(&self.config, &self.content, &self.derived) {
            if let Err(d) = sink.put(&file.path, file.bytes) {
                problems.push(d);
            }
        }
        let silent: Vec<&str> = self
            .i18n
            .languages_without_strings()
            .into_iter()
            .map(|(lang, _)| lang)
            .collect();
        problems.extend(self.templates.string_diagnostics(&self.i18n, &silent));
        sort_diagnostics(&mut problems);
        problems
    }

    fn context(&self, views: &ViewBuilder<'_>, lang: &str, dir: &str) -> Context {
        let mut context = Context::new();
        context.insert("lang", lang);
        context.insert("site", &views.site(lang, dir));
        context
    }

    fn render_page(
        &self,
        views: &ViewBuilder<'_>,
        id: PageId,
        sink: &dyn OutputSink,
    ) -> Result<(), Diagnostic> {
        let page = &self.content.pages[id];
        let template = self.template_for(id);
        let view = views.page(id);
        self.render_view(views, &page.file.path, &template, &view, &page.url, sink)
    }

    /// Renders `view` with `template` into the file for `site_path`;
    /// errors name `source` (the page's file).
    fn render_view(
        &self,
        views: &ViewBuilder<'_>,
        source: &Path,
        template: &str,
        view: &PageView<'_>,
        site_path: &str,
        sink: &dyn OutputSink,
    ) -> Result<(), Diagnostic> {
        let mut context = self.context(views, view.lang, view.section_dir);
        context.insert("page", view);
        let html = self
            .templates
            .render(template, &mut context)
            .map_err(|message| {
                Diagnostic::file_error(source, message)
                    .with_help(format!(
                        "the page is rendered with {template}; fix the template or the page's data"
                    ))
                    .with_kind("template")
            })?;
        sink.put(&output::path_for_url(site_path), html.into_bytes())
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

    /// The root language chooser (multilingual sites) and the 404 page.
    fn render_site_pages(&self, views: &ViewBuilder<'_>, sink: &dyn OutputSink) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let lang = self.config.default_language.as_str();
        let Some(home) = self.content.section_page("", lang).or_else(|| {
            self.content
                .pages
                .iter()
                .position(|p| p.kind == PageKind::Home)
        }) else {
            return errors;
        };
        let mut jobs: Vec<(&str, &str)> = vec![("404.html", "404.html")];
        if self.config.languages.len() > 1 {
            let chooser = if self.templates.has("languages.html") {
                "languages.html"
            } else {
                "home.html"
            };
            jobs.push((chooser, "index.html"));
        }
        let home_view = views.page(home);
        for (template, path) in jobs {
            let mut context = self.context(views, lang, "");
            context.insert("page", &home_view);
            context.insert(
                "titles",
                &self
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
                    .collect::<Vec<_>>(),
            );
            let result = self
                .templates
                .render(template, &mut context)
                .map_err(|m| Diagnostic::file_error(Path::new(template), m).with_kind("template"))
                .and_then(|html| sink.put(path, html.into_bytes()));
            if let Err(d) = result {
                errors.push(d);
            }
        }
        errors
    }

    fn render_derived(
        &self,
        views: &ViewBuilder<'_>,
        page: &derived::DerivedPage,
        sink: &dyn OutputSink,
    ) -> Result<(), Diagnostic> {
        let section = &self.content.pages[page.section];
        let dir = section.path.dir.as_str();
        let (template, parts) = match &page.kind {
            DerivedKind::Facet { .. } => (
                self.find_template(dir, &["facet.html", "section.html"]),
                Vec::new(),
            ),
            DerivedKind::Print => (
                "print.html".to_string(),
                self.print_parts(views, page.section),
            ),
        };
        let view = views.derived(page, parts);
        self.render_view(views, &section.file.path, &template, &view, &page.url, sink)
    }

    /// The parts of a print document of section page `section`.
    fn print_parts(&self, views: &ViewBuilder<'_>, section: PageId) -> Vec<PrintPart> {
        let lang = self.content.pages[section].lang.as_str();
        views
            .print_pages(section)
            .into_iter()
            .map(|id| {
                let page = &self.content.pages[id];
                let prefix = format!("card-{}", page.path.stem);
                let (content, link_notes) =
                    print::prepare(&views.rendered(id).html, &prefix, &self.config.base_url);
                let link = views.link(id, lang, None);
                PrintPart {
                    id: prefix,
                    facts: link.facts.clone(),
                    page: link,
                    permalink: self.config.base_url.absolute(&page.url),
                    content,
                    link_notes,
                }
            })
            .collect()
    }

    /// The static files of every layer (higher layers win), by output path.
    pub fn static_files(&self) -> (BTreeMap<String, Origin>, Vec<Diagnostic>) {
        self.layers.files(Kind::Static)
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

/// Renders every page's Markdown in parallel; diagnostics go to `out`.
fn render_markdown(
    config: &SiteConfig,
    content: &Content,
    i18n: &I18n,
    templates: &Templates,
    templates_ok: bool,
    datasets: &Datasets,
    out: &mut Vec<Diagnostic>,
) -> Vec<RenderedMarkdown> {
    let links = SiteLinks { content, config };
    let shortcodes = SiteShortcodes {
        templates,
        templates_ok,
        datasets,
        i18n,
    };
    let highlighter = Highlighter::new();
    let ui_string = |lang: &str, key: &str| {
        i18n.translate(lang, key, None, &[])
            .map(|l| l.text())
            .unwrap_or_else(|_| key.to_string())
    };
    let env = MarkdownEnv {
        links: &links,
        shortcodes: &shortcodes,
        highlighter: &highlighter,
        ui_string: &ui_string,
    };
    let mut rendered: Vec<RenderedMarkdown> = content
        .pages
        .par_iter()
        .map(|page| match page.stand_in_for {
            Some(_) => RenderedMarkdown::default(),
            None => markdown::render(&page.file, page.body.clone(), &page.lang, &env),
        })
        .collect();
    for r in &mut rendered {
        out.append(&mut r.diagnostics);
    }
    rendered
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
    let target =
        output::target::check(&options.root, &output_dir, options.force).map_err(|e| vec![e])?;
    let site = Site::load(options)?;
    if site.has_errors() {
        return Err(site.diagnostics);
    }
    let writer = OutputWriter::begin(&target).map_err(|e| vec![e])?;
    let mut errors = copy_static(&site, &writer);
    let sink = WriterSink {
        writer: &writer,
        relative_base: options
            .relative
            .then_some(site.config.base_url.path.as_str()),
    };
    let mut problems = site.render(&sink);
    errors.extend(problems.iter().filter(|d| d.is_error()).cloned());
    if !errors.is_empty() {
        sort_diagnostics(&mut errors);
        let mut all = site.diagnostics;
        all.append(&mut problems);
        all.extend(errors);
        sort_diagnostics(&mut all);
        // Dropping the writer removes its temporary folder.
        return Err(all);
    }
    writer.commit().map_err(|e| vec![e])?;
    let mut warnings = site.diagnostics.clone();
    warnings.append(&mut problems);
    sort_diagnostics(&mut warnings);
    Ok(BuildReport {
        pages_per_language: site.pages_per_language(),
        forced_entries: target.forced_entries,
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
}

impl OutputSink for WriterSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        match self.relative_base {
            Some(base) if path.ends_with(".html") => {
                let relative = output::relative::relativize_file(path, &bytes, base);
                self.writer.write(path, &relative)
            }
            _ => self.writer.write(path, &bytes),
        }
    }
}

/// Copies the static files of every layer into the output (rendered pages
/// written later win over them).
fn copy_static(site: &Site, writer: &OutputWriter) -> Vec<Diagnostic> {
    let (files, problems) = site.static_files();
    if !problems.is_empty() {
        return problems;
    }
    files
        .par_iter()
        .filter_map(|(relative, origin)| match origin {
            Origin::Disk(path) => writer.copy(path, relative).err(),
            Origin::Builtin(_) => match site.layers.read(origin) {
                Ok(bytes) => writer.write(relative, &bytes).err(),
                Err(d) => Some(d),
            },
        })
        .collect()
}

/// Two outputs on one path: an error naming the files they come from.
/// (Two content pages on one URL are reported by the URL stage.)
fn output_collisions(content: &Content, derived: &Derived) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let generated = PathBuf::from("(generated)");
    seen.insert("404.html".into(), generated.clone());
    seen.insert("sitemap.xml".into(), generated.clone());
    if !content.single_language {
        seen.insert("index.html".into(), generated);
    }
    let mut out = Vec::new();
    let mut claim = |seen: &mut HashMap<String, PathBuf>,
                     path: String,
                     source: &Path,
                     what: String| match seen.get(&path) {
        Some(first) => out.push(
            Diagnostic::file_error(
                source,
                format!(
                    "{what} would be written to {path}, which {} already uses",
                    first.display()
                ),
            )
            .with_help("give the page another `slug:`, or change the label of the facet value")
            .with_kind("duplicate-url"),
        ),
        None => {
            seen.insert(path, source.to_path_buf());
        }
    };
    let mut page_paths = std::collections::HashSet::new();
    for page in content.pages.iter().filter(|p| p.stand_in_for.is_none()) {
        let path = output::path_for_url(&page.url);
        if page_paths.insert(path.clone()) {
            claim(&mut seen, path, &page.file.path, "this page".to_string());
        }
    }
    for page in &derived.pages {
        let what = match &page.kind {
            DerivedKind::Facet { field, value } => format!("the facet page of `{field}: {value}`"),
            DerivedKind::Print => "the print document".to_string(),
        };
        claim(
            &mut seen,
            output::path_for_url(&page.url),
            &content.pages[page.section].file.path,
            what,
        );
    }
    out
}

/// Scripts in content, reported as `content_scripts` in site.yaml says.
fn script_diagnostics(
    config: &SiteConfig,
    content: &Content,
    rendered: &[RenderedMarkdown],
) -> Vec<Diagnostic> {
    let severity = match config.content_scripts {
        ContentScripts::Allow => return Vec::new(),
        ContentScripts::Warn => Severity::Warning,
        ContentScripts::Error => Severity::Error,
    };
    let mut out = Vec::new();
    for (page, r) in content.pages.iter().zip(rendered) {
        for (range, kind) in &r.scripts {
            out.push(
                page.file
                    .diagnostic(
                        severity,
                        range.clone(),
                        format!("{} in content runs code in every reader's browser", kind.describe()),
                    )
                    .with_help("move scripts into the theme or templates/; if this is intended, set `content_scripts: allow` in site.yaml")
                    .with_kind("script"),
            );
        }
    }
    out
}

/// `@/` anchors must exist on the page linked to.
fn check_anchors(
    content: &Content,
    rendered: &[RenderedMarkdown],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (id, r) in rendered.iter().enumerate() {
        let page = &content.pages[id];
        for link in &r.internal_links {
            let Some(anchor) = &link.anchor else { continue };
            let Some(target) = content.page_in(&link.group, &link.lang) else {
                continue;
            };
            let target_source = content.pages[target].stand_in_for.unwrap_or(target);
            let anchors = &rendered[target_source].anchors;
            if !anchors.contains(anchor) {
                let mut d = page.file.error(
                    link.range.clone(),
                    format!(
                        "broken anchor: {} has no heading `#{anchor}`",
                        content.pages[target_source].file.path.display()
                    ),
                );
                d = match crate::diagnostics::did_you_mean(
                    anchor,
                    anchors.iter().map(String::as_str),
                ) {
                    Some(s) => d.with_help(format!("did you mean `#{s}`?")),
                    None if anchors.is_empty() => {
                        d.with_help("that page has no headings to link to")
                    }
                    None => d.with_help(format!("anchors there: {}", anchors.join(", "))),
                };
                diagnostics.push(d.with_kind("anchor"));
            }
        }
    }
}

/// Shortcodes available to pages: the built-in sensor charts and the
/// site's and theme's component templates.
struct SiteShortcodes<'a> {
    templates: &'a Templates,
    templates_ok: bool,
    datasets: &'a Datasets,
    i18n: &'a I18n,
}

impl ShortcodeHost for SiteShortcodes<'_> {
    fn signature(&self, name: &str) -> Option<Signature> {
        if let Some(s) = charts::signature(name) {
            return Some(s);
        }
        match self.templates.shortcodes().get(name) {
            Some(s) => Some(s.clone()),
            // The site's templates failed to load (already reported):
            // accept any call rather than report it as unknown.
            None if !self.templates_ok => Some(Signature {
                args: Vec::new(),
                open: true,
            }),
            None => None,
        }
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = charts::NAMES.iter().map(|s| s.to_string()).collect();
        names.extend(self.templates.shortcodes().keys().cloned());
        names
    }

    fn render(&self, call: &ShortcodeCall, lang: &str, _index: usize) -> Result<String, String> {
        if charts::NAMES.contains(&call.name.as_str()) {
            let chart = charts::render(self.datasets, self.i18n, call, lang)?;
            if let Some(key) = chart.missing.first() {
                return Err(format!(
                    "the chart needs the UI string `{key}`, which no i18n file defines"
                ));
            }
            return Ok(chart.html);
        }
        if !self.templates_ok {
            return Ok(String::new());
        }
        self.templates.render_shortcode(call, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_of_derived_pages_collide_with_files() {
        let content = Content::default();
        let derived = Derived::default();
        assert!(output_collisions(&content, &derived).is_empty());
    }
}
