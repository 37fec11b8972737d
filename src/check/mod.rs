//! `drehbuch check`: builds the site in memory (writes nothing) and runs
//! checks over it, each a function from the rendered site to diagnostics:
//!
//! - everything the build reports (front matter, links, anchors, drafts
//!   linked from published pages, duplicate and case-only URLs, charts);
//! - [`output_links`]: every link in the generated HTML, including those the
//!   templates make, must lead to a generated or static file and anchor;
//! - [`accessibility`]: images without alt text, empty link texts, headings
//!   that skip a level;
//! - [`ui_strings`]: keys missing per language, keys used but defined nowhere;
//! - [`datasets`]: sensor summaries without source or licence;
//! - [`translations`]: present / missing / outdated translations;
//! - [`external`]: external links, only when asked (`--external`).

pub mod external;
pub mod report;
pub mod translations;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity, sort_diagnostics};
use crate::site::{self, BuildOptions, RenderedSite};

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

/// Runs every check. `Err` only when the site cannot be rendered at all
/// (for example, no readable site.yaml).
pub fn run(options: &CheckOptions) -> Result<CheckReport, Vec<Diagnostic>> {
    let site = site::render_site(&options.build)?;
    let mut diagnostics = site.diagnostics.clone();
    diagnostics.extend(output_links(&site));
    diagnostics.extend(accessibility(&site));
    diagnostics.extend(ui_strings(&site));
    diagnostics.extend(datasets(&options.build.root));
    let (rows, translation_diagnostics) =
        translations::status(&options.build.root, &site.config, &site.content);
    diagnostics.extend(translation_diagnostics);
    if options.external {
        diagnostics.extend(external::check(&options.build.root, &site));
    }
    sort_diagnostics(&mut diagnostics);
    Ok(CheckReport {
        diagnostics,
        translations: rows,
        pages: site
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count(),
    })
}

/// The values of `href` and `src` attributes in an HTML text.
pub fn link_targets(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for attribute in [" href=\"", " src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            if let Some(end) = rest.find('"') {
                out.push(&rest[..end]);
            }
        }
    }
    out
}

fn ids(html: &str) -> HashSet<&str> {
    html.match_indices(" id=\"")
        .filter_map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Output path of the page whose URL is `site_path`, or the static file.
fn target_file(site_path: &str) -> String {
    let path = site_path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

fn static_files(dirs: &[PathBuf]) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if entry.file_type().is_file()
                && let Ok(relative) = entry.path().strip_prefix(dir)
            {
                files.insert(crate::content::files::display_path(Path::new(""), relative));
            }
        }
    }
    files
}

/// Every site-internal `href`/`src` in the generated HTML must lead to a
/// generated page or static file, and its `#anchor` must exist there.
pub fn output_links(site: &RenderedSite) -> Vec<Diagnostic> {
    let base = site.config.base_url.path.as_str();
    let files: HashMap<&str, &str> = site
        .files
        .iter()
        .map(|f| (f.path.as_str(), std::str::from_utf8(&f.bytes).unwrap_or("")))
        .collect();
    let statics = static_files(&site.static_dirs);
    let sources: HashMap<String, &Path> = site
        .content
        .pages
        .iter()
        .map(|p| (crate::output::path_for_url(&p.url), p.file.path.as_path()))
        .collect();
    let mut id_cache: HashMap<String, HashSet<&str>> = HashMap::new();
    let mut out = Vec::new();
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for file in &site.files {
        let Some(html) = files
            .get(file.path.as_str())
            .filter(|_| file.path.ends_with(".html"))
        else {
            continue;
        };
        let from: PathBuf = sources
            .get(&file.path)
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| PathBuf::from(format!("(generated) {}", file.path)));
        for target in link_targets(html) {
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target, None),
            };
            let path = path.split('?').next().unwrap_or(path);
            let site_path = if path.is_empty() {
                Some(format!("/{}", file.path))
            } else if let Some(rest) = path.strip_prefix(base) {
                Some(format!("/{rest}"))
            } else if path.starts_with('/') && !path.starts_with("//") {
                // Site-absolute, but outside the base path: cannot work.
                if reported.insert((file.path.clone(), target.to_string())) {
                    out.push(
                        Diagnostic::file_error(&from, format!("link {target} leaves the site's base path {base}"))
                            .with_help("link content with @/path.md, and static files with asset(path=…) in templates")
                            .with_kind("output-link"),
                    );
                }
                continue;
            } else {
                None
            };
            let Some(site_path) = site_path else { continue };
            let target_path = target_file(&site_path);
            let exists = files.contains_key(target_path.as_str()) || statics.contains(&target_path);
            if !exists {
                if reported.insert((file.path.clone(), target.to_string())) {
                    out.push(
                        Diagnostic::file_error(&from, format!("broken link in the generated page: {target} does not exist"))
                            .with_help("the link comes from a template or from a plain (not @/) link in the page; fix its target")
                            .with_kind("output-link"),
                    );
                }
                continue;
            }
            if let (Some(anchor), Some(target_html)) = (
                anchor.filter(|a| !a.is_empty()),
                files.get(target_path.as_str()),
            ) {
                let ids = id_cache
                    .entry(target_path.clone())
                    .or_insert_with(|| ids(target_html));
                if !ids.contains(anchor) && reported.insert((file.path.clone(), target.to_string()))
                {
                    out.push(
                        Diagnostic::file_error(
                            &from,
                            format!(
                                "broken anchor in the generated page: {target} has no id `{anchor}`"
                            ),
                        )
                        .with_kind("output-anchor"),
                    );
                }
            }
        }
    }
    out
}

/// Images without alt text and empty link texts are errors (readers of
/// screen readers get nothing); headings that skip a level are warnings.
pub fn accessibility(site: &RenderedSite) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, rendered) in site.rendered.iter().enumerate() {
        let page = &site.content.pages[id];
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

/// Keys missing in a language (they fall back to the default language) are
/// warnings; keys the templates use but no language defines are errors.
pub fn ui_strings(site: &RenderedSite) -> Vec<Diagnostic> {
    let Some(i18n) = &site.i18n else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let all: BTreeSet<&str> = site
        .config
        .languages
        .iter()
        .flat_map(|l| i18n.keys(&l.code))
        .collect();
    for language in &site.config.languages {
        let have = i18n.keys(&language.code);
        let missing: Vec<&str> = all.iter().copied().filter(|k| !have.contains(k)).collect();
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().copied().take(10).collect();
            let mut d = Diagnostic::file_error(
                Path::new(&format!("i18n/{}.yaml", language.code)),
                format!(
                    "{} UI string(s) missing: {}{}",
                    missing.len(),
                    shown.join(", "),
                    if missing.len() > 10 { ", …" } else { "" }
                ),
            )
            .with_help("readers of this language see the default language's text there; translate them under `strings:`")
            .with_kind("i18n");
            d.severity = Severity::Warning;
            out.push(d);
        }
    }
    for (file, line, key) in &site.template_keys {
        if !i18n.defines(key) {
            let mut d = Diagnostic::file_error(
                file,
                format!("template uses the UI string `{key}`, which no i18n file defines"),
            )
            .with_help(format!(
                "add `{key}` to i18n/{}.yaml",
                site.config.default_language
            ))
            .with_kind("i18n");
            d.line = Some(*line);
            out.push(d);
        }
    }
    out
}

/// Every sensor summary must say where its data comes from and under
/// which licence, since every chart prints it.
pub fn datasets(root: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join("data/sensors")) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path().join("summary.json"))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    for path in paths {
        let shown = PathBuf::from(crate::content::files::display_path(root, &path));
        match crate::sensors::Summary::load(&path) {
            Ok(summary) => {
                let p = &summary.provenance;
                for (name, value) in [("source", &p.source), ("licence", &p.licence)] {
                    if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                        let mut d = Diagnostic::file_error(&shown, format!("the dataset has no {name}"))
                            .with_help(format!("add `{name}:` under `provenance:` in the dataset's sensors.yaml and summarize again; charts print it"))
                            .with_kind("dataset");
                        d.severity = Severity::Warning;
                        out.push(d);
                    }
                }
            }
            Err(e) => out.push(Diagnostic::file_error(&shown, e.to_string()).with_kind("dataset")),
        }
    }
    out
}
