//! Links in the generated HTML: every site-internal `href`/`src` must lead
//! to a generated page or static file, and its `#anchor` must exist there;
//! and the page's own markup (alt texts, ids, id references). Problems
//! point at the link in the page's source when it is written there.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use super::{FileFacts, has_scheme, resolve_relative, sources};
use crate::content::urls::output_path;
use crate::diagnostics::{Diagnostic, Severity};
use crate::site::Site;

/// Where the output link `target` stands in a page's source, with the
/// form it is written in there: as it is, or (under a sub-path base URL)
/// as the site path the editor wrote before the base path was put in front
/// (`/toolbox/img/x.svg` was written `/img/x.svg`).
fn written_link(
    text: Option<&crate::diagnostics::SourceFile>,
    target: &str,
    base: &str,
) -> Option<(Diagnostic, String)> {
    let file = text?;
    let unprefixed = target
        .strip_prefix(base)
        .filter(|_| base != "/")
        .map(|rest| format!("/{rest}"));
    std::iter::once(target.to_string())
        .chain(unprefixed)
        .find_map(|form| {
            let at = file.text.find(&form)?;
            Some((file.locate(at..at + form.len()), form))
        })
}

/// The output file nearest to the missing `wanted` (`img/senzor.svg`
/// → `img/sensor.svg`), written as a site path without the leading `/`
/// (`de/seite/` for `de/seite/index.html`), if one is a plausible typo.
fn near_match<'a>(wanted: &str, existing: impl Iterator<Item = &'a String>) -> Option<String> {
    fn short(file: &str) -> &str {
        file.strip_suffix("index.html").unwrap_or(file)
    }
    let candidates: Vec<&str> = existing.map(|f| short(f)).collect();
    crate::diagnostics::did_you_mean(short(wanted), candidates.iter().copied()).map(str::to_string)
}

/// Every site-internal `href`/`src` in the generated HTML must lead to a
/// generated page or static file, and its `#anchor` must exist there; every
/// id reference must name an id of its own page.
pub fn output_links(site: &Site, files: &BTreeMap<String, FileFacts>) -> Vec<Diagnostic> {
    output_links_among(site, files, &site.static_files().0, &|| false).unwrap_or_default()
}

/// [`output_links`] with the static files already listed (the preview
/// keeps them), by output path. `None` when `stop` said to stop (the
/// preview stops when a newer change arrives).
pub fn output_links_among<T>(
    site: &Site,
    files: &BTreeMap<String, FileFacts>,
    statics: &BTreeMap<String, T>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<Diagnostic>>
where
    T: Sync,
{
    let base = site.config.base_url.path.as_str();
    let origin = &site.config.base_url.origin;
    let sources = sources(site);
    let print_documents: HashSet<String> = site
        .model
        .derived
        .pages
        .iter()
        .filter(|p| matches!(p.kind, crate::content::derived::DerivedKind::Print))
        .map(|p| output_path(&p.url))
        .collect();
    let texts: HashMap<String, &crate::diagnostics::SourceFile> = site
        .model
        .content
        .pages
        .iter()
        .map(|p| (output_path(&p.url), p.file.as_ref()))
        .collect();
    let per_file: Vec<Vec<Diagnostic>> = files
        .par_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, facts)| {
            if stop() {
                return Vec::new();
            }
            let page = GeneratedPage {
                path,
                from: sources
                    .get(path)
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(format!("(generated) {path}"))),
                text: texts.get(path.as_str()).copied(),
                base,
            };
            // A print document repeats its pages' links, which are checked
            // (and reported at their lines) on the pages themselves.
            let print_document = print_documents.contains(path.as_str());
            let mut out = link_problems(&page, facts, files, statics, origin, print_document);
            out.extend(markup_problems(site, &page, facts));
            out
        })
        .collect();
    (!stop()).then(|| per_file.into_iter().flatten().collect())
}

/// One generated HTML file under check, and where its problems point.
struct GeneratedPage<'a> {
    /// Its output path (`de/seite/index.html`).
    path: &'a str,
    /// The source file it comes from, or `(generated) <path>`.
    from: PathBuf,
    /// The text of its source page, to find links as written there.
    text: Option<&'a crate::diagnostics::SourceFile>,
    /// The site's base path (`/` or `/toolbox/`).
    base: &'a str,
}

impl GeneratedPage<'_> {
    /// The link `target` located in the page's source, as written there.
    fn written(&self, target: &str) -> Option<(Diagnostic, String)> {
        written_link(self.text, target, self.base)
    }

    /// An error at the link in the page's source when it is written there
    /// as it appears in the output (plain links), or as it was before the
    /// base path was put in front, else at the file.
    fn at(&self, target: &str, message: String) -> Diagnostic {
        match self.written(target) {
            Some((located, _)) => located.saying(Severity::Error, message),
            None => Diagnostic::file_error(&self.from, message),
        }
    }
}

/// The page's internal links that lead nowhere: a path that leaves the
/// base path, a missing page or file, a missing `#anchor`. Each target is
/// reported once; links to other hosts are left to `--external`.
fn link_problems<T>(
    page: &GeneratedPage,
    facts: &FileFacts,
    files: &BTreeMap<String, FileFacts>,
    statics: &BTreeMap<String, T>,
    origin: &str,
    print_document: bool,
) -> Vec<Diagnostic> {
    let (path, base) = (page.path, page.base);
    let written = |target: &str| page.written(target);
    let at = |target: &str, message: String| page.at(target, message);
    let mut out = Vec::new();
    let mut reported: HashSet<&str> = HashSet::new();
    for target in &facts.links {
        if print_document && !target.starts_with('#') {
            continue;
        }
        let (link_path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target.as_str(), None),
        };
        let link_path = link_path.split('?').next().unwrap_or(link_path);
        // The site's own absolute URLs (under its base path) are
        // internal links too; the rest of its host is not the site.
        let link_path = match link_path.strip_prefix(origin) {
            Some(rest) if !origin.is_empty() && rest.starts_with(base) => rest,
            _ => link_path,
        };
        let resolved;
        let link_path = if link_path.starts_with("//") || has_scheme(link_path) {
            // Another host (`//cdn.example/x`, `https://…`,
            // `mailto:`): external, checked with --external.
            continue;
        } else if !link_path.is_empty() && !link_path.starts_with('/') {
            resolved = format!(
                "{base}{}",
                resolve_relative(path, link_path).trim_start_matches('/')
            );
            resolved.as_str()
        } else {
            link_path
        };
        let site_path = if link_path.is_empty() {
            format!("/{path}")
        } else if let Some(rest) = link_path.strip_prefix(base) {
            format!("/{rest}")
        } else if link_path.starts_with('/') && !link_path.starts_with("//") {
            if reported.insert(target) {
                out.push(
                    at(target, format!("link {target} leaves the site's base path {base}"))
                        .with_help("link content with @/path.md, and static files with asset(path=…) in templates")
                        .with_kind("output-link"),
                );
            }
            continue;
        } else {
            continue;
        };
        let target_path = output_path(&site_path);
        let target_facts = files.get(&target_path);
        if target_facts.is_none() && !statics.contains_key(&target_path) {
            if reported.insert(target) {
                let (d, as_written) = match written(target) {
                    Some((located, as_written)) if as_written != *target => {
                        let message = format!(
                            "broken link in the generated page: {as_written} does not exist (published as {target})"
                        );
                        (located.saying(Severity::Error, message), as_written)
                    }
                    _ => (
                        at(
                            target,
                            format!("broken link in the generated page: {target} does not exist"),
                        ),
                        target.clone(),
                    ),
                };
                let prefix = if as_written.starts_with(base) {
                    base
                } else {
                    "/"
                };
                let help = match near_match(&target_path, files.keys().chain(statics.keys())) {
                    Some(near) => format!("did you mean `{prefix}{near}`?"),
                    None => "the link comes from a template or from a plain (not @/) link in the page; fix its target".to_string(),
                };
                out.push(d.with_help(help).with_kind("output-link"));
            }
            continue;
        }
        if let (Some(anchor), Some(target_facts)) = (anchor.filter(|a| !a.is_empty()), target_facts)
            && !target_facts.ids.contains(anchor)
            && reported.insert(target)
        {
            out.push(
                at(
                    target,
                    format!("broken anchor in the generated page: {target} has no id `{anchor}`"),
                )
                .with_kind("output-anchor"),
            );
        }
    }
    out
}

/// Problems in the page's markup: images without alt text, a map of
/// languages printed as text, duplicate ids and id references (`for`,
/// `aria-*`) to ids the page does not have.
fn markup_problems(site: &Site, page: &GeneratedPage, facts: &FileFacts) -> Vec<Diagnostic> {
    let path = page.path;
    let mut out = Vec::new();
    for src in &facts.images_without_alt {
        let d = if src.is_empty() {
            Diagnostic::file_error(&page.from, "image without alt text in the generated page")
        } else {
            // At the `<img>` written in the page when there is one
            // (the same file may also be a Markdown image).
            let quoted = format!("src=\"{src}\"");
            match page.text.and_then(|f| {
                let i = f.text.find(&quoted)? + 5;
                Some(f.locate(i..i + src.len()))
            }) {
                Some(located) => {
                    located.saying(Severity::Error, format!("image without alt text: {src}"))
                }
                None => page.at(src, format!("image without alt text: {src}")),
            }
        };
        out.push(
            d.with_help("give the <img> an alt attribute that says what the image shows (alt=\"\" for a decorative one)")
                .with_kind("image-alt"),
        );
    }
    if let Some(code) = facts
        .printed_maps
        .iter()
        .find(|key| site.config.languages.iter().any(|l| &l.code == *key))
    {
        out.push(
            Diagnostic::file_error(
                &page.from,
                format!("the generated page {path} shows a map of languages as text ({{\"{code}\": …}})"),
            )
            .warning()
            .with_help("a map of languages under `extra` in site.yaml shows the page's language, or else the default language's: give it a value in one of them; elsewhere a template prints one language, e.g. `page.extra.note[lang]`")
            .with_kind("language-map"),
        );
    }
    for id in &facts.duplicate_ids {
        out.push(
            Diagnostic::file_error(
                &page.from,
                format!("the id `{id}` appears more than once in the generated page {path}"),
            )
            .with_help("links to it reach only the first; the ids come from headings (`{#id}`), a template, a shortcode or raw HTML")
            .with_kind("duplicate-id"),
        );
    }
    let mut seen = HashSet::new();
    for (attribute, id) in &facts.dangling {
        if attribute == "href" || !seen.insert(id) {
            // In-page `#x` links are covered by the anchor check above.
            continue;
        }
        out.push(
            Diagnostic::file_error(
                &page.from,
                format!("`{attribute}` in the generated page {path} names the id `{id}`, which the page does not have"),
            )
            .with_help("the reference comes from a template, a shortcode or raw HTML; give the element that id or fix the reference")
            .with_kind("id-reference"),
        );
    }
    out
}
