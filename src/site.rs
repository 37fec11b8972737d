//! The build pipeline: config → content → markdown → templates → output.
//! Each stage returns plain data and diagnostics; the site is written only
//! when no stage reported an error, so a failed build changes nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::{BaseUrl, ContentScripts, SiteConfig};
use crate::content::pairing::original_of;
use crate::content::{self, Content, LoadOptions, PageKind};
use crate::diagnostics::{Diagnostic, DiagnosticSink, Severity, sort_diagnostics};
use crate::markdown::links::ResolvedLink;
use crate::markdown::shortcodes::{ArgSpec, ArgType, ArgValue, ShortcodeCall, Signature};
use crate::markdown::{
    self, Highlighter, LinkResolver, MarkdownEnv, RenderedMarkdown, ShortcodeHost,
};
use crate::output::{self, OutputFile, OutputWriter};
use crate::sensors::charts;
use crate::sensors::summary::Summary;
use crate::sources::SiteDir;
use crate::templates::Templates;
use crate::templates::i18n::I18n;
use crate::templates::i18n::{LocalizedText, Lookup};
use crate::templates::views::{LanguageView, PageView, SiteView, ViewBuilder};

/// What `drehbuch build` was asked to do.
#[derive(Clone, Debug)]
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

/// A fully rendered site in memory, before anything is written.
pub struct RenderedSite {
    /// The configuration used.
    pub config: SiteConfig,
    /// The content model.
    pub content: Content,
    /// Markdown output per page id (stand-ins have an empty entry).
    pub rendered: Vec<RenderedMarkdown>,
    /// Every output file.
    pub files: Vec<OutputFile>,
    /// All diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The UI strings, when they loaded.
    pub i18n: Option<Arc<I18n>>,
    /// UI string keys the templates name literally: (file, line, key).
    pub template_keys: Vec<(PathBuf, usize, String)>,
    /// Theme and site static folders, in override order.
    pub static_dirs: Vec<PathBuf>,
}

/// Builds the site in memory: every stage runs and every diagnostic is
/// collected. Returns `Err` only when there is nothing to render at all.
pub fn render_site(options: &BuildOptions) -> Result<RenderedSite, Vec<Diagnostic>> {
    let root = &options.root;
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
    let i18n = match I18n::load(root, &config) {
        Ok(i) => Some(Arc::new(i)),
        Err(mut e) => {
            diagnostics.append(&mut e);
            None
        }
    };
    let (content, mut content_diagnostics) = content::load(
        root,
        &config,
        LoadOptions {
            drafts: options.drafts,
        },
    );
    diagnostics.append(&mut content_diagnostics);

    let warnings = DiagnosticSink::default();
    let templates = match &i18n {
        Some(i18n) => match Templates::load(
            root,
            &config.theme,
            Arc::clone(i18n),
            &config.base_url.path,
            warnings.clone(),
        ) {
            Ok(t) => Some(t),
            Err(mut e) => {
                diagnostics.append(&mut e);
                None
            }
        },
        None => None,
    };

    let links = SiteLinks {
        content: &content,
        config: &config,
    };
    let shortcodes = SiteShortcodes {
        templates: templates.as_ref(),
        charts: ChartShortcodes::new(root, i18n.as_deref()),
    };
    let highlighter = Highlighter::new();
    let ui_string =
        |lang: &str, key: &str| match i18n.as_deref().map(|i| i.translate(lang, key, None, &[])) {
            Some(Ok(Lookup::Found(t) | Lookup::Fallback(t))) => t,
            _ => key.to_string(),
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
        diagnostics.append(&mut r.diagnostics);
    }
    diagnostics.extend(script_diagnostics(&config, &content, &rendered));
    check_anchors(&content, &rendered, &mut diagnostics);

    let mut files = Vec::new();
    if let (Some(templates), Some(i18n)) = (&templates, &i18n)
        && !diagnostics.iter().any(Diagnostic::is_error)
    {
        let views = ViewBuilder::new(&config, &content, &rendered, i18n);
        let results: Vec<Result<OutputFile, Diagnostic>> = (0..content.pages.len())
            .into_par_iter()
            .map(|id| render_page(templates, &views, &content, id))
            .collect();
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => diagnostics.push(d),
            }
        }
        match render_site_pages(templates, &views, &config, &content) {
            Ok(mut extra) => files.append(&mut extra),
            Err(mut e) => diagnostics.append(&mut e),
        }
        match render_derived_pages(templates, &views, &config, &content) {
            Ok(mut extra) => files.append(&mut extra),
            Err(mut e) => diagnostics.append(&mut e),
        }
        files.push(output::sitemap(&config, &content, &views));
        let mut seen = std::collections::HashSet::new();
        for f in &files {
            if !seen.insert(f.path.as_str()) {
                diagnostics.push(
                    Diagnostic::global(
                        Severity::Error,
                        format!("two pages would be written to {}", f.path),
                    )
                    .with_help(
                        "a page slug collides with a facet or print page: rename one of them",
                    ),
                );
            }
        }
    }
    diagnostics.extend(warnings.take_sorted());
    sort_diagnostics(&mut diagnostics);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let template_keys = templates
        .as_ref()
        .map(|t| t.literal_keys().to_vec())
        .unwrap_or_default();
    let static_dirs = vec![
        root.join("themes").join(&config.theme).join("static"),
        root.join("static"),
    ];
    Ok(RenderedSite {
        config,
        content,
        rendered,
        files,
        diagnostics,
        i18n,
        template_keys,
        static_dirs,
    })
}

/// Builds and writes the site. The output folder is checked first (it
/// must be drehbuch's own, empty or new, see [`output::target`]); on any
/// error nothing is written and every diagnostic is returned.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let target =
        output::target::check(&options.root, &output_dir, options.force).map_err(|e| vec![e])?;
    let site = render_site(options)?;
    if site.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(site.diagnostics);
    }
    let files = if options.relative {
        output::relativize(site.files, &site.config.base_url.path)
    } else {
        site.files
    };
    let writer = OutputWriter::begin(&target).map_err(|e| vec![e])?;
    let mut errors = copy_static(&site.static_dirs, &options.root, &writer);
    if errors.is_empty() {
        let failed: Vec<Diagnostic> = files
            .par_iter()
            .filter_map(|f| writer.write(&f.path, &f.bytes).err())
            .collect();
        errors.extend(failed);
    }
    if !errors.is_empty() {
        // Dropping the writer removes its temporary folder.
        return Err(errors);
    }
    writer.commit().map_err(|e| vec![e])?;
    let pages_per_language = site
        .config
        .languages
        .iter()
        .map(|l| {
            let n = site
                .content
                .pages
                .iter()
                .filter(|p| p.lang == l.code)
                .count();
            (l.code.clone(), n)
        })
        .collect();
    Ok(BuildReport {
        pages_per_language,
        forced_entries: target.forced_entries,
        warnings: site.diagnostics,
        elapsed: started.elapsed(),
        output: output_dir,
    })
}

/// Copies the static folders (theme first, then the site's, which wins)
/// into the output; generated pages written later win over both. Links
/// out of the site folder are errors, never followed.
fn copy_static(dirs: &[PathBuf], root: &Path, writer: &OutputWriter) -> Vec<Diagnostic> {
    let site_dir = match SiteDir::new(root) {
        Ok(s) => s,
        Err(e) => {
            return vec![Diagnostic::global(
                Severity::Error,
                format!("cannot open the site folder {}: {e}", root.display()),
            )];
        }
    };
    let mut errors = Vec::new();
    let mut latest: std::collections::BTreeMap<String, PathBuf> = Default::default();
    for dir in dirs {
        let (files, mut problems) = site_dir.walk(dir, false);
        errors.append(&mut problems);
        for file in files {
            latest.insert(file.relative, file.path);
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    latest
        .par_iter()
        .filter_map(|(relative, path)| writer.copy(path, relative).err())
        .collect()
}

/// Renders one page with its template.
fn render_page(
    templates: &Templates,
    views: &ViewBuilder<'_>,
    content: &Content,
    id: usize,
) -> Result<OutputFile, Diagnostic> {
    let page = &content.pages[id];
    let template = template_for(templates, content, id);
    render_view(
        templates,
        views,
        content,
        id,
        &template,
        &views.page(id),
        &page.url,
    )
}

/// Renders `view` (of page `id`, or derived from it) with `template` into
/// the file for `site_path`; errors name the page's source file.
fn render_view(
    templates: &Templates,
    views: &ViewBuilder<'_>,
    content: &Content,
    id: usize,
    template: &str,
    view: &PageView<'_>,
    site_path: &str,
) -> Result<OutputFile, Diagnostic> {
    let page = &content.pages[id];
    let mut context = Context::new();
    context.insert("lang", &page.lang);
    context.insert("site", &views.site(&page.lang, id));
    context.insert("page", view);
    let html = templates.render(template, &context).map_err(|message| {
        Diagnostic::file_error(&page.file.path, message)
            .with_help(format!(
                "the page is rendered with {template}; fix the template or the page's data"
            ))
            .with_kind("template")
    })?;
    Ok(OutputFile {
        path: output::path_for_url(site_path),
        bytes: html.into_bytes(),
    })
}

/// Template lookup: front matter `template`, then `<section>/page.html`
/// (or `section.html`) of the top section folder, then the theme default.
fn template_for(templates: &Templates, content: &Content, id: usize) -> String {
    let page = &content.pages[id];
    if let Some(t) = &page.front.template {
        return t.clone();
    }
    let default = match page.kind {
        PageKind::Home => return "home.html".into(),
        PageKind::Section => "section.html",
        PageKind::Page => "page.html",
    };
    find_template(templates, &page.path.dir, &[default])
}

/// The first template that exists among `<top section folder>/<name>` for
/// each of `names`, then the plain `names`; the last name if none exists.
fn find_template(templates: &Templates, dir: &str, names: &[&str]) -> String {
    let top = dir.split('/').next().unwrap_or("");
    let specific = names
        .iter()
        .filter(|_| !top.is_empty())
        .map(|name| format!("{top}/{name}"));
    specific
        .chain(names.iter().map(|name| name.to_string()))
        .find(|t| templates.has(t))
        .unwrap_or_else(|| names.last().copied().unwrap_or_default().to_string())
}

#[derive(Serialize)]
struct ChooserView<'a> {
    languages: Vec<LanguageView>,
    titles: Vec<(&'a str, &'a str)>,
}

/// The root language chooser and the root 404 page.
fn render_site_pages(
    templates: &Templates,
    views: &ViewBuilder<'_>,
    config: &SiteConfig,
    content: &Content,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let lang = config.default_language.as_str();
    let home = content
        .section_page("", lang)
        .or_else(|| content.pages.iter().position(|p| p.kind == PageKind::Home))
        .unwrap_or(0);
    if content.pages.is_empty() {
        return Ok(out);
    }
    let site: SiteView<'_> = views.site(lang, home);
    let chooser = ChooserView {
        languages: site.languages.clone(),
        titles: config
            .languages
            .iter()
            .map(|l| {
                (
                    l.code.as_str(),
                    config.title.get(&l.code).map(String::as_str).unwrap_or(""),
                )
            })
            .collect(),
    };
    let mut context = Context::new();
    context.insert("lang", lang);
    context.insert("site", &site);
    context.insert("chooser", &chooser);
    let home_view: PageView<'_> = views.page(home);
    context.insert("page", &home_view);
    let chooser_template = if templates.has("languages.html") {
        "languages.html"
    } else {
        "home.html"
    };
    for (template, path) in [(chooser_template, "index.html"), ("404.html", "404.html")] {
        match templates.render(template, &context) {
            Ok(html) => out.push(OutputFile {
                path: path.to_string(),
                bytes: html.into_bytes(),
            }),
            Err(message) => errors.push(Diagnostic::file_error(Path::new(template), message)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Facet listing pages of every section and the print documents listed in
/// `site.yaml`'s `print`.
fn render_derived_pages(
    templates: &Templates,
    views: &ViewBuilder<'_>,
    config: &SiteConfig,
    content: &Content,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    // (page the view derives from, template, view, site path)
    let mut jobs: Vec<(usize, String, PageView<'_>, String)> = Vec::new();
    for (id, page) in content.pages.iter().enumerate() {
        if page.kind != PageKind::Section || page.stand_in_for.is_some() {
            continue;
        }
        let decls = content
            .section_fields
            .get(&page.path.dir)
            .into_iter()
            .flatten();
        for decl in decls.filter(|d| d.facet) {
            let template =
                find_template(templates, &page.path.dir, &["facet.html", "section.html"]);
            for value in &decl.allowed {
                let site_path = views.facet_url(&page.path.dir, &page.lang, &decl.name, value);
                let view = views.facet_page(id, &decl.name, value);
                jobs.push((id, template.clone(), view, site_path));
            }
        }
    }
    let mut errors = Vec::new();
    for (index, dir) in config.print.iter().enumerate() {
        let languages = views.section_languages(dir);
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
        let urls: std::collections::BTreeMap<String, String> = languages
            .iter()
            .map(|(lang, _)| (lang.clone(), views.print_url(index, dir, lang)))
            .collect();
        for (lang, id) in &languages {
            let view = views.print_page(*id, &urls);
            jobs.push((*id, "print.html".into(), view, urls[lang].clone()));
        }
    }
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|(id, template, view, site_path)| {
            render_view(templates, views, content, *id, template, view, site_path)
        })
        .collect();
    let mut files = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
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

/// Resolves `@/` links over the loaded content.
struct SiteLinks<'a> {
    content: &'a Content,
    config: &'a SiteConfig,
}

impl LinkResolver for SiteLinks<'_> {
    fn resolve(&self, key: &str, lang: &str) -> Option<ResolvedLink> {
        let (group, lang) = match self.content.link_keys.get(key) {
            Some(g) => (g, lang),
            None => {
                // `@/cards/heat.en.md` pins a language.
                let stem = key.strip_suffix(".md")?;
                let (name, pinned) = stem.rsplit_once('.')?;
                let pinned = self.config.languages.iter().find(|l| l.code == pinned)?;
                let g = self.content.link_keys.get(&format!("{name}.md"))?;
                self.content.page_in(g, &pinned.code)?;
                (g, pinned.code.as_str())
            }
        };
        let members = self.content.groups.get(group)?;
        let target = match members.get(lang) {
            Some(&id) => id,
            // No translation (not even a stand-in): link the original.
            None => original_of(members, self.config)?,
        };
        let page = &self.content.pages[target];
        Some(ResolvedLink {
            url: self.config.base_url.prefixed(&page.url),
            group: group.clone(),
            lang: page.lang.clone(),
        })
    }

    fn site_path(&self, path: &str) -> String {
        self.config.base_url.prefixed(path)
    }

    fn is_draft(&self, key: &str) -> bool {
        self.content.draft_link_keys.contains(key)
    }
}

/// Shortcodes available to pages: the built-in sensor charts and the
/// site's and theme's component templates.
struct SiteShortcodes<'a> {
    templates: Option<&'a Templates>,
    charts: ChartShortcodes<'a>,
}

impl ShortcodeHost for SiteShortcodes<'_> {
    fn signature(&self, name: &str) -> Option<Signature> {
        ChartShortcodes::signature(name).or_else(|| self.templates?.shortcodes().get(name).cloned())
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = CHART_SHORTCODES.iter().map(|s| s.to_string()).collect();
        if let Some(t) = self.templates {
            names.extend(t.shortcodes().keys().cloned());
        }
        names
    }

    fn render(
        &self,
        call: &ShortcodeCall,
        lang: &str,
        _call_index: usize,
    ) -> Result<String, String> {
        if CHART_SHORTCODES.contains(&call.name.as_str()) {
            return self.charts.render(call, lang);
        }
        match self.templates {
            Some(t) => t.render_shortcode(call, lang),
            None => Err("templates failed to load".into()),
        }
    }
}

/// Names of the built-in chart shortcodes.
const CHART_SHORTCODES: [&str; 3] = ["hot_days", "hot_days_calendar", "hot_days_by_year"];

/// The chart shortcodes: load `data/sensors/<dataset>/summary.json` once per
/// build and draw SVG charts with the page's language.
struct ChartShortcodes<'a> {
    root: &'a Path,
    i18n: Option<&'a I18n>,
    /// Dataset folders under `data/sensors/` that hold a summary, read once.
    datasets: Vec<String>,
    summaries: std::sync::Mutex<std::collections::HashMap<String, Result<Arc<Summary>, String>>>,
}

impl ChartShortcodes<'_> {
    fn signature(name: &str) -> Option<Signature> {
        let arg = |name: &str, kind: ArgType, required: bool| ArgSpec {
            name: name.into(),
            kind: Some(kind),
            required,
        };
        let dataset = arg("dataset", ArgType::String, false);
        let args = match name {
            "hot_days" => vec![arg("year", ArgType::Integer, true), dataset],
            "hot_days_calendar" => vec![
                arg("sensor", ArgType::String, true),
                arg("year", ArgType::Integer, true),
                dataset,
            ],
            "hot_days_by_year" => vec![arg("sensor", ArgType::String, false), dataset],
            _ => return None,
        };
        Some(Signature { args, open: false })
    }

    fn new<'a>(root: &'a Path, i18n: Option<&'a I18n>) -> ChartShortcodes<'a> {
        ChartShortcodes {
            root,
            i18n,
            datasets: Self::find_datasets(root),
            summaries: Default::default(),
        }
    }

    /// The dataset folders under `data/sensors/` that hold a summary.
    fn find_datasets(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join("data/sensors"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.path().join("summary.json").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn summary(&self, call: &ShortcodeCall) -> Result<Arc<Summary>, String> {
        let datasets = &self.datasets;
        let name = match call.arg("dataset") {
            Some(ArgValue::String(d)) => d.clone(),
            _ if datasets.len() == 1 => datasets[0].clone(),
            _ if datasets.is_empty() => {
                return Err(format!(
                    "`{}` needs a sensor summary, but data/sensors/ has none; create one with `drehbuch sensors summarize … --out data/sensors/<dataset>/summary.json`",
                    call.name
                ));
            }
            _ => {
                return Err(format!(
                    "`{}` needs `dataset=\"…\"`: there are several summaries ({})",
                    call.name,
                    datasets.join(", ")
                ));
            }
        };
        if !datasets.contains(&name) {
            return Err(format!(
                "there is no sensor summary data/sensors/{name}/summary.json (datasets: {})",
                if datasets.is_empty() {
                    "none".to_string()
                } else {
                    datasets.join(", ")
                }
            ));
        }
        let mut cache = self
            .summaries
            .lock()
            .map_err(|_| "summary cache poisoned".to_string())?;
        cache
            .entry(name.clone())
            .or_insert_with(|| {
                Summary::load(
                    self.root
                        .join("data/sensors")
                        .join(&name)
                        .join("summary.json"),
                )
                .map(Arc::new)
                .map_err(|e| format!("cannot read data/sensors/{name}/summary.json: {e}"))
            })
            .clone()
    }

    fn render(&self, call: &ShortcodeCall, lang: &str) -> Result<String, String> {
        let summary = self.summary(call)?;
        let Some(i18n) = self.i18n else {
            return Err("the UI strings failed to load".into());
        };
        let text = LocalizedText { i18n, lang };
        let year = match call.arg("year") {
            Some(ArgValue::Integer(y)) => {
                i32::try_from(*y).map_err(|_| format!("year {y} is out of range"))?
            }
            _ => 0,
        };
        let sensor = match call.arg("sensor") {
            Some(ArgValue::String(s)) => Some(s.as_str()),
            _ => None,
        };
        let result = match call.name.as_str() {
            "hot_days" => charts::hot_days(&summary, year, &text),
            "hot_days_calendar" => {
                charts::hot_days_calendar(&summary, sensor.unwrap_or(""), year, &text)
            }
            _ => charts::hot_days_by_year(&summary, sensor, &text),
        };
        result.map_err(|e| format!("`{}`: {e}", call.name))
    }
}
