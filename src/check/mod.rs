//! `drehbuch check`: loads and renders the site without writing anything,
//! keeping of each generated file only what the checks need (its links,
//! ids and dangling id references), and runs checks over it, each a
//! function to diagnostics:
//!
//! - everything the build reports (front matter, links, anchors, drafts
//!   linked from published pages, duplicate and case-only URLs, charts,
//!   scripts in content, UI strings);
//! - [`output_links`]: every link in the generated HTML, including those the
//!   templates make, must lead to a generated or static file and anchor,
//!   and every id reference (`aria-labelledby`, `href="#…"`, SVG
//!   `url(#…)`) must name an id of its page;
//! - [`accessibility`]: images without alt text, empty link texts, headings
//!   that skip a level;
//! - [`templates`]: UI strings and fields the rendered templates name but
//!   no language or section defines;
//! - [`datasets`]: sensor summaries without source or licence;
//! - [`translations`]: present / missing / outdated translations;
//! - [`external`]: external links, only when asked (`--external`).

pub(crate) mod external;
mod output_links;
pub mod report;
pub mod translations;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::content::urls::output_path;
use crate::diagnostics::{Diagnostic, Severity, sort_diagnostics};
use crate::html;
use crate::site::{BuildOptions, OutputSink, Site};

pub use self::output_links::{output_links, output_links_among};

/// What `drehbuch check` was asked to do.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Site folder and build flags.
    pub build: BuildOptions,
    /// Also check external links (network; cached in `.drehbuch/`).
    pub external: bool,
}

/// Everything `check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// All problems, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The translation status table.
    pub translations: Vec<translations::Row>,
    /// HTML files checked.
    pub pages: usize,
}

/// What `check` keeps of one generated HTML file.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Every `href`/`src` value.
    pub links: Vec<String>,
    /// Every id the page defines.
    pub ids: HashSet<String>,
    /// Id references that name no id of the page: (attribute, id).
    pub dangling: Vec<(String, String)>,
    /// Ids defined more than once in the page, each once.
    pub duplicate_ids: Vec<String>,
    /// `src` of each `<img>` without any `alt` attribute.
    pub images_without_alt: Vec<String>,
    /// The first key of every object printed as text (`{"de": …}`
    /// escaped as `{&quot;de&quot;: …`): a map a template printed whole.
    pub printed_maps: Vec<String>,
}

/// The first keys of the JSON objects printed as text in `html` (escaped,
/// so never the inside of a script), each once.
fn printed_maps(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in html.match_indices("{&quot;") {
        let rest = &html[at + "{&quot;".len()..];
        let Some(end) = rest.find("&quot;:") else {
            continue;
        };
        let key = &rest[..end];
        if !key.is_empty()
            && key.len() <= 40
            && !key.contains(['<', '>', '&'])
            && !out.iter().any(|k| k == key)
        {
            out.push(key.to_string());
        }
    }
    out
}

/// An output sink that keeps [`FileFacts`] instead of the files.
#[derive(Debug, Default)]
pub struct FactSink {
    files: Mutex<BTreeMap<String, FileFacts>>,
}

impl FileFacts {
    /// What the checks need of the generated file at `path`: for an HTML
    /// file its links, ids and images without alt; nothing of other files.
    pub fn of(path: &str, bytes: &[u8]) -> FileFacts {
        if !path.ends_with(".html") {
            return FileFacts::default();
        }
        let text = String::from_utf8_lossy(bytes);
        let mut ids = HashSet::new();
        let mut duplicate_ids = Vec::new();
        for id in html::ids(&text) {
            if !ids.insert(id.to_string()) && !duplicate_ids.iter().any(|d| d == id) {
                duplicate_ids.push(id.to_string());
            }
        }
        FileFacts {
            links: html::link_targets(&text)
                .into_iter()
                .map(str::to_string)
                .collect(),
            ids,
            dangling: html::dangling_references(&text),
            duplicate_ids,
            images_without_alt: html::images_without_alt(&text)
                .into_iter()
                .map(str::to_string)
                .collect(),
            printed_maps: printed_maps(&text),
        }
    }
}

impl OutputSink for FactSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let facts = FileFacts::of(path, &bytes);
        if let Ok(mut files) = self.files.lock() {
            files.insert(path.to_string(), facts);
        }
        Ok(())
    }
}

impl FactSink {
    /// The facts of every file, by output path.
    pub fn into_files(self) -> BTreeMap<String, FileFacts> {
        self.files.into_inner().unwrap_or_default()
    }
}

/// Runs every check. `Err` only when the site cannot be loaded at all
/// (for example, no readable site.yaml).
pub fn run(options: &CheckOptions) -> Result<CheckReport, Vec<Diagnostic>> {
    let site = Site::load(&options.build)?;
    let mut diagnostics = site.diagnostics.clone();
    let sink = FactSink::default();
    if !site.has_errors() {
        let _t = crate::timing::stage("render and read facts");
        diagnostics.extend(site.render(&sink));
    }
    let files = sink.into_files();
    let checks = crate::timing::stage("checks");
    diagnostics.extend(placeholder_base_url(&site, options));
    // Static files a build could not copy (names, links out of the site).
    diagnostics.extend(site.static_files().1);
    diagnostics.extend(output_links(&site, &files));
    diagnostics.extend(unreachable_pages(&site, &files));
    diagnostics.extend(accessibility(&site));
    diagnostics.extend(templates(&site));
    diagnostics.extend(chart_strings(&site));
    diagnostics.extend(datasets(&site));
    // The CMS configuration (`drehbuch cms init`) against the sections.
    diagnostics.extend(crate::cms::drift(&site));
    drop(checks);
    let _t = crate::timing::stage("translations");
    let (rows, translation_diagnostics) =
        translations::status(&options.build.root, &site.config, &site.model.content);
    diagnostics.extend(translation_diagnostics);
    if options.external {
        diagnostics.extend(external::check(&options.build.root, &site, &files));
    }
    sort_diagnostics(&mut diagnostics);
    Ok(CheckReport {
        diagnostics,
        translations: rows,
        pages: files.keys().filter(|p| p.ends_with(".html")).count(),
    })
}

/// The source file a generated file comes from, for messages.
fn sources(site: &Site) -> HashMap<String, PathBuf> {
    let mut out: HashMap<String, PathBuf> = site
        .model
        .content
        .pages
        .iter()
        .map(|p| (output_path(&p.url), p.file.path.clone()))
        .collect();
    for page in &site.model.derived.pages {
        out.insert(
            output_path(&page.url),
            site.model.content.pages[page.section].file.path.clone(),
        );
    }
    out
}

/// Whether `link` starts with a URL scheme (`https:`, `mailto:`, `data:`).
fn has_scheme(link: &str) -> bool {
    let Some(colon) = link.find(':') else {
        return false;
    };
    let scheme = &link[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The path under the output folder (`/en/x/`) that a relative link in
/// the output file `file` (`en/cards/index.html`) leads to, with `.` and
/// `..` resolved (never above the output's root).
fn resolve_relative(file: &str, link: &str) -> String {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop(); // the file name
    for segment in link.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if link.ends_with('/') && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Pages in a folder without `_index` (which no menu or listing shows)
/// that no generated page links to: readers cannot reach them, although
/// they are built and in the sitemap. A warning at the file.
fn unreachable_pages(site: &Site, files: &BTreeMap<String, FileFacts>) -> Vec<Diagnostic> {
    let content = &site.model.content;
    let base = site.config.base_url.path.as_str();
    let origin = site.config.base_url.origin.as_str();
    let linked: HashSet<String> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .flat_map(|(path, facts)| {
            facts.links.iter().filter_map(move |target| {
                let link = target.split(['#', '?']).next().unwrap_or_default();
                let link = link
                    .strip_prefix(origin)
                    .filter(|_| !origin.is_empty())
                    .unwrap_or(link);
                if link.is_empty() || link.starts_with("//") || has_scheme(link) {
                    return None;
                }
                let absolute = if link.starts_with('/') {
                    link.to_string()
                } else {
                    format!(
                        "{base}{}",
                        resolve_relative(path, link).trim_start_matches('/')
                    )
                };
                let site_path = absolute.strip_prefix(base)?;
                // A page does not reach itself.
                let target = output_path(&format!("/{site_path}"));
                (target != *path).then_some(target)
            })
        })
        .collect();
    content
        .pages
        .iter()
        .filter(|p| {
            p.kind == crate::content::PageKind::Page
                && p.stand_in_for.is_none()
                && !p.path.dir.is_empty()
                && !content.section_dirs.contains(&p.path.dir)
                // An _index file that failed to load was reported already;
                // the folder has one, it is only broken.
                && !content
                    .failed_link_keys
                    .contains(&crate::content::files::section_link_key(&p.path.dir))
                && !linked.contains(&output_path(&p.url))
        })
        .map(|p| {
            Diagnostic::file_error(
                &p.file.path,
                format!(
                    "nothing links to this page, and its folder content/{}/ has no _index file, so no menu or listing shows it",
                    p.path.dir
                ),
            )
            .with_help(format!(
                "add content/{}/_index.{}.md to make the folder a section, or link the page from another page",
                p.path.dir, p.lang
            ))
            .with_kind("orphan-page")
            .warning()
        })
        .collect()
}

/// A warning when the site would be published at an example address
/// (`init` writes `https://example.org/`), so `check --deny warnings`
/// stops a site that was never given its real address. `build` stays
/// quiet: previews and tests build with such an address.
fn placeholder_base_url(site: &Site, options: &CheckOptions) -> Option<Diagnostic> {
    let url = &site.config.base_url;
    if !url.is_placeholder() {
        return None;
    }
    let shown = url.absolute("/");
    let message = format!(
        "`base_url` is {shown}, a placeholder: feeds, the sitemap and links between languages would point to a site that does not exist"
    );
    let d = match (&options.build.base_url, &site.config.base_url_at) {
        (None, Some(at)) => at.saying(Severity::Warning, message),
        _ => Diagnostic::global(Severity::Warning, format!("--base-url: {message}")),
    };
    Some(
        d.with_help("set `base_url` in site.yaml to the address the site will be published at (CI may pass it with --base-url)")
            .with_kind("config"),
    )
}

/// Images without alt text and empty link texts are errors (readers of
/// screen readers get nothing); headings that skip a level are warnings.
pub fn accessibility(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, rendered) in site.model.rendered.iter().enumerate() {
        let page = &site.model.content.pages[id];
        if page.stand_in_for.is_some() {
            continue;
        }
        for range in &rendered.images_without_alt {
            out.push(
                page.file
                    .error(range.clone(), "image without alt text")
                    .with_help("describe the image: ![what it shows](path); a purely decorative image belongs in the theme")
                    .with_kind("image-alt"),
            );
        }
        for range in &rendered.empty_links {
            out.push(
                page.file
                    .error(range.clone(), "link without text")
                    .with_help("write what the link leads to between the brackets: [text](target)")
                    .with_kind("empty-link"),
            );
        }
        // The template renders the title as h1, so the body starts at h2.
        let mut previous: usize = 1;
        for (level, _, text, range) in &rendered.headings {
            if usize::from(*level) > previous + 1 {
                out.push(
                    page.file
                        .diagnostic(
                            Severity::Warning,
                            range.clone(),
                            format!("heading level {level} follows level {previous}: “{text}” skips a level"),
                        )
                        .with_help(format!("use a level {} heading (`{} …`) here", previous + 1, "#".repeat(previous + 1)))
                        .with_kind("heading-level"),
                );
            }
            previous = *level as usize;
        }
    }
    out
}

/// Chart strings (`chart.*`) a language takes from another language of its
/// fallback chain, for every language with a chart on some page: warnings
/// like those of template strings, at the first page of that language
/// with a chart. Languages without any UI strings are reported once as a
/// whole elsewhere.
pub fn chart_strings(site: &Site) -> Vec<Diagnostic> {
    let i18n = &site.theme.i18n;
    let silent: Vec<&str> = i18n
        .languages_without_strings()
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    let chart_keys: Vec<&str> = i18n
        .keys(crate::i18n::LAST_RESORT)
        .into_iter()
        .filter(|k| k.starts_with("chart."))
        .collect();
    let mut out = Vec::new();
    for language in &site.config.languages {
        let lang = language.code.as_str();
        if silent.contains(&lang) {
            continue;
        }
        let pages = &site.model.content.pages;
        let Some(id) = (0..site.model.rendered.len()).find(|&id| {
            pages[id].lang == lang
                && pages[id].stand_in_for.is_none()
                && site.model.rendered.body(id).contains("drehbuch-chart")
        }) else {
            continue;
        };
        for key in &chart_keys {
            if let Ok(crate::i18n::Lookup::Fallback { lang: used, .. }) =
                i18n.translate(lang, key, None, &[])
            {
                out.push(
                    Diagnostic::file_error(
                        &pages[id].file.path,
                        format!("the UI string `{key}` has no `{lang}` text; charts in `{lang}` show the `{used}` text"),
                    )
                    .warning()
                    .with_help(format!("add `{key}: …` under `strings:` in i18n/{lang}.yaml"))
                    .with_kind("i18n"),
                );
            }
        }
    }
    out
}

/// UI strings and fields named by the templates the site renders: a key
/// no language defines is an error, a key missing in a language a warning
/// (the render reports the ones it met; this adds branches it did not
/// take), and a field no section declares a warning, each at the template
/// line.
pub fn templates(site: &Site) -> Vec<Diagnostic> {
    // (template, language) for every template a page of that language
    // used, with everything it pulls in.
    let rendered: BTreeSet<(String, String)> = site
        .theme
        .templates
        .any()
        .rendered_names()
        .iter()
        .flat_map(|(name, lang)| {
            site.theme
                .templates
                .any()
                .closure(name)
                .into_iter()
                .map(move |t| (t, lang.clone()))
        })
        .collect();
    let rendered_names: BTreeSet<&String> = rendered.iter().map(|(name, _)| name).collect();
    let met: HashSet<(String, String)> = site
        .theme
        .templates
        .any()
        .string_log()
        .problems()
        .into_iter()
        .map(|p| (p.key, p.lang))
        .collect();
    let silent: Vec<&str> = site
        .theme
        .i18n
        .languages_without_strings()
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    let declared: HashSet<&str> = site
        .model
        .content
        .section_fields
        .values()
        .flatten()
        .map(|d| d.name.as_str())
        .collect();
    let mut out = Vec::new();
    let mut undefined_reported = HashSet::new();
    for name in rendered_names {
        let Some(source) = site.theme.templates.any().sources().get(name) else {
            continue;
        };
        for (line, key) in &source.facts.keys {
            for language in &site.config.languages {
                let lang = language.code.as_str();
                if met.contains(&(key.clone(), lang.to_string()))
                    || silent.contains(&lang)
                    || !rendered.contains(&(name.clone(), lang.to_string()))
                {
                    continue;
                }
                let mut d = match site.theme.i18n.translate(lang, key, None, &[]) {
                    Ok(crate::i18n::Lookup::Found(_)) => continue,
                    Ok(crate::i18n::Lookup::Fallback { lang: used, .. }) => Diagnostic::file_error(
                        &source.shown,
                        format!("the UI string `{key}` has no `{lang}` text; pages in `{lang}` show the `{used}` text"),
                    )
                    .warning(),
                    Err(message) => {
                        if !undefined_reported.insert(key.clone()) {
                            continue;
                        }
                        Diagnostic::file_error(&source.shown, message)
                    }
                };
                d.line = Some(*line);
                out.push(
                    d.with_help(format!(
                        "add `{key}: …` under `strings:` in i18n/{lang}.yaml"
                    ))
                    .with_kind("i18n"),
                );
            }
        }
        for (line, field) in &source.facts.fields {
            if declared.contains(field.as_str()) {
                continue;
            }
            let mut d = Diagnostic::file_error(
                &source.shown,
                format!("the template reads the field `{field}`, which no section declares"),
            )
            .warning()
            .with_kind("template-field");
            d = match crate::diagnostics::did_you_mean(field, declared.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => {
                    d.with_help("declare it under `fields:` in a section's _index, or fix the name")
                }
            };
            d.line = Some(*line);
            out.push(d);
        }
    }
    out
}

/// Every sensor summary must say where its data comes from and under
/// which licence, since every chart prints it.
pub fn datasets(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, summary) in site.datasets.iter() {
        let shown = Path::new("data/sensors").join(name).join("summary.json");
        let p = &summary.provenance;
        for (what, value) in [("source", &p.source), ("licence", &p.licence)] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                out.push(
                    Diagnostic::file_error(&shown, format!("the dataset has no {what}"))
                        .with_help(format!("add `{what}:` under `provenance:` in the dataset's sensors.yaml and summarize again; charts print it"))
                        .with_kind("dataset")
                        .warning(),
                );
            }
        }
    }
    out
}
