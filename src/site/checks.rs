//! Checks that need the whole loaded site: two outputs on one path (a
//! static file replaced by a generated one among them), hidden static
//! files left out, scripts in content, and `@/` anchors that must exist
//! on the page linked.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use std::path::Path;

use super::{Job, Site};
use crate::config::{ContentScripts, SiteConfig};
use crate::content::derived::{Derived, DerivedKind};
use crate::content::urls::{describe_output, output_path};
use crate::content::{Content, PageId};
use crate::diagnostics::{Diagnostic, Severity, did_you_mean};
use crate::markdown::RenderedMarkdown;
use crate::output;
use crate::sources::layers::Origin;
use crate::templates::Templates;

/// Two outputs on one path: an error naming the files they come from.
/// Every page counts, stand-ins of untranslated pages included. (Two
/// pages, or stand-ins, on one URL are reported by the URL stage.)
pub(crate) fn output_collisions(content: &Content, derived: &Derived) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let generated = "(generated)".to_string();
    seen.insert("404.html".into(), generated.clone());
    seen.insert("sitemap.xml".into(), generated.clone());
    if !content.single_language {
        seen.insert("index.html".into(), generated);
    }
    let mut out = Vec::new();
    let mut claim = |seen: &mut HashMap<String, String>,
                     path: String,
                     source: &Path,
                     what: String,
                     owner: String| match seen.get(&path) {
        Some(first) => out.push(
            Diagnostic::file_error(
                source,
                format!("{what} would be written to {path}, which {first} already uses"),
            )
            .with_help("give the page another `slug:`, or change the label of the facet value")
            .with_kind("duplicate-url"),
        ),
        None => {
            seen.insert(path, owner);
        }
    };
    let mut page_paths = std::collections::HashSet::new();
    for (id, page) in content.pages.iter().enumerate() {
        let path = output_path(&page.url);
        if page_paths.insert(path.clone()) {
            let owner = describe_output(content, id);
            claim(
                &mut seen,
                path,
                &page.file.path,
                "this page".to_string(),
                owner,
            );
        }
    }
    for page in &derived.pages {
        let what = match &page.kind {
            DerivedKind::Facet { field, value } => format!("the facet page of `{field}: {value}`"),
            DerivedKind::Print => "the print document".to_string(),
            DerivedKind::Search => "the search page".to_string(),
        };
        let source = &content.pages[page.section].file.path;
        let owner = format!("{what} of {}", source.display());
        claim(&mut seen, output_path(&page.url), source, what, owner);
    }
    out
}

/// Pages whose front matter names a `template:` that does not exist,
/// each an error at that line (rather than a render error per page).
pub(crate) fn missing_templates(content: &Content, templates: &Templates) -> Vec<Diagnostic> {
    content
        .pages
        .iter()
        .filter(|p| p.stand_in_for.is_none())
        .filter_map(|page| {
            let name = page.front.template.as_deref()?;
            if templates.has(name) {
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

/// How many hidden static files a warning names before "and N more".
const SHOWN_HIDDEN: usize = 10;

/// One warning naming the hidden files and folders of `static/` that were
/// not published, and a warning for each `publish_hidden` entry of
/// site.yaml that names no static file (with a did-you-mean).
pub(crate) fn hidden_static(
    config: &SiteConfig,
    statics: &BTreeMap<String, Origin>,
    skipped: &[String],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !skipped.is_empty() {
        let mut shown: Vec<&str> = skipped
            .iter()
            .take(SHOWN_HIDDEN)
            .map(String::as_str)
            .collect();
        let more = format!("and {} more", skipped.len().saturating_sub(SHOWN_HIDDEN));
        if skipped.len() > SHOWN_HIDDEN {
            shown.push(&more);
        }
        out.push(
            Diagnostic::file_error(
                Path::new("static"),
                format!(
                    "{} hidden {} not published: {}",
                    skipped.len(),
                    if skipped.len() == 1 { "file or folder is" } else { "files and folders are" },
                    shown.join(", ")
                ),
            )
            .warning()
            .with_help("hidden files often hold secrets (.env, .git/); to publish one on purpose, list it in site.yaml, e.g. `publish_hidden: [\".htaccess\"]`")
            .with_kind("static"),
        );
    }
    for entry in &config.publish_hidden {
        let used = statics.keys().any(|path| {
            if entry.contains('/') {
                path == entry || path.starts_with(&format!("{entry}/"))
            } else {
                path.split('/').any(|part| part == entry)
            }
        });
        if used {
            continue;
        }
        let message =
            format!("`publish_hidden` lists `{entry}`, but static/ has no such file or folder");
        let mut d = match &config.publish_hidden_at {
            Some(at) => at.saying(Severity::Warning, message),
            None => Diagnostic::file_error(Path::new("site.yaml"), message).warning(),
        };
        let candidates = skipped
            .iter()
            .map(|s| s.trim_end_matches('/'))
            .flat_map(|s| [s, s.rsplit('/').next().unwrap_or(s)]);
        d = match did_you_mean(entry, candidates) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help("name a hidden file or folder of static/, like `.htaccess` (any folder) or `docs/.nojekyll` (that path)"),
        };
        out.push(d.with_kind("static"));
    }
    out
}

/// Static files that a generated file would replace: an error for each,
/// naming what generates that path.
pub(crate) fn static_collisions(
    site: &Site,
    statics: &BTreeMap<String, Origin>,
) -> Vec<Diagnostic> {
    let content = &site.model.content;
    let derived = &site.model.derived;
    let mut generated: HashMap<String, String> = HashMap::new();
    for (path, job) in site.jobs() {
        let what = match job {
            Job::Page(id) => format!("the page {}", describe_output(content, id)),
            Job::Derived(i) => {
                let page = &derived.pages[i];
                let source = content.pages[page.section].file.path.display();
                match &page.kind {
                    DerivedKind::Facet { field, value } => {
                        format!("the facet page of `{field}: {value}` of {source}")
                    }
                    DerivedKind::Print => format!("the print document of {source}"),
                    DerivedKind::Search => "the search page".to_string(),
                }
            }
            Job::Chooser => "the generated language chooser".to_string(),
            Job::NotFound => "the generated 404 page".to_string(),
        };
        generated.entry(path).or_insert(what);
    }
    generated.insert("sitemap.xml".into(), "the generated sitemap".into());
    let urls = content
        .pages
        .iter()
        .filter(|p| p.stand_in_for.is_none())
        .count()
        + derived
            .pages
            .iter()
            .filter(|p| matches!(p.kind, DerivedKind::Facet { .. }))
            .count();
    if urls > output::sitemap::MAX_URLS {
        for n in 1..=urls.div_ceil(output::sitemap::MAX_URLS) {
            generated.insert(format!("sitemap-{n}.xml"), "the generated sitemap".into());
        }
    }
    for feed in &derived.feeds {
        generated.insert(
            feed.url.trim_start_matches('/').to_string(),
            format!("the Atom feed {}", feed.url),
        );
    }
    let search_prefix = format!("{}/", output::search::BUNDLE_DIR);
    statics
        .iter()
        .filter_map(|(path, origin)| {
            let what = match generated.get(path) {
                Some(what) => what.clone(),
                None if site.config.search && path.starts_with(&search_prefix) => {
                    format!("the search index, which owns {search_prefix}")
                }
                None => return None,
            };
            Some(
                Diagnostic::file_error(
                    &site.theme.layers.shown(origin),
                    format!("{what} is written to {path}, which would silently replace this static file"),
                )
                .with_help("rename or move the static file; a generated file cannot be replaced from static/")
                .with_kind("duplicate-url"),
            )
        })
        .collect()
}

/// Problems in the pages' rendered texts that other pages can change:
/// `@/` links to anchors that do not exist, and scripts, by page. Kept, so
/// that an edit of some texts checks only those pages and the pages that
/// link to an anchor of them.
#[derive(Debug, Default)]
pub struct TextChecks {
    anchors: Vec<Vec<Diagnostic>>,
    scripts: Vec<Vec<Diagnostic>>,
    /// Page → the pages its `@/` links to anchors lead to.
    targets: Vec<Vec<PageId>>,
    /// Page → the pages whose `@/` links to anchors lead to it.
    sources: HashMap<PageId, Vec<PageId>>,
}

impl TextChecks {
    /// Checks every page.
    pub fn new(config: &SiteConfig, content: &Content, rendered: &[RenderedMarkdown]) -> Self {
        let (anchors, targets): (Vec<_>, Vec<_>) = (0..rendered.len())
            .into_par_iter()
            .map(|id| anchor_problems(content, rendered, id))
            .unzip();
        let mut checks = TextChecks {
            anchors,
            scripts: rendered
                .iter()
                .map(|r| script_problems(config, r))
                .collect(),
            targets,
            sources: HashMap::new(),
        };
        for (id, targets) in checks.targets.iter().enumerate() {
            for &target in targets {
                checks.sources.entry(target).or_default().push(id);
            }
        }
        checks
    }

    /// Checks again the pages whose texts changed, and the pages that
    /// link to an anchor of them.
    pub fn update(
        &mut self,
        config: &SiteConfig,
        content: &Content,
        rendered: &[RenderedMarkdown],
        changed: &[PageId],
    ) {
        let mut again: Vec<PageId> = changed.to_vec();
        for &id in changed {
            again.extend(self.sources.get(&id).into_iter().flatten().copied());
        }
        again.sort_unstable();
        again.dedup();
        for &id in changed {
            let Some(old) = self.targets.get(id) else {
                continue;
            };
            for target in old {
                if let Some(sources) = self.sources.get_mut(target) {
                    sources.retain(|s| *s != id);
                }
            }
            self.scripts[id] = script_problems(config, &rendered[id]);
        }
        for id in again {
            let (anchors, targets) = anchor_problems(content, rendered, id);
            self.anchors[id] = anchors;
            if changed.contains(&id) {
                for &target in &targets {
                    self.sources.entry(target).or_default().push(id);
                }
                self.targets[id] = targets;
            }
        }
    }

    /// The problems found: those of anchors, then those of scripts.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.anchors.iter().chain(&self.scripts).flatten()
    }
}

/// Scripts in a page's rendered body, as `content_scripts` judges them.
fn script_problems(config: &SiteConfig, rendered: &RenderedMarkdown) -> Vec<Diagnostic> {
    let severity = match config.content_scripts {
        ContentScripts::Allow => return Vec::new(),
        ContentScripts::Warn => Severity::Warning,
        ContentScripts::Error => Severity::Error,
    };
    rendered
        .scripts
        .iter()
        .map(|(at, script)| {
            at.saying(severity, script.message())
                .with_help(script.help())
                .with_kind("script")
        })
        .collect()
}

/// The `@/` links of page `id` to anchors that do not exist on the page
/// linked, and the pages its links to anchors lead to.
fn anchor_problems(
    content: &Content,
    rendered: &[RenderedMarkdown],
    id: PageId,
) -> (Vec<Diagnostic>, Vec<PageId>) {
    let mut problems = Vec::new();
    let mut targets = Vec::new();
    for link in &rendered[id].internal_links {
        let (Some(anchor), Some(at)) = (&link.anchor, &link.at) else {
            continue;
        };
        let Some(target) = content.page_in(&link.group, &link.lang) else {
            continue;
        };
        let target_source = content.pages[target].stand_in_for.unwrap_or(target);
        if !targets.contains(&target_source) {
            targets.push(target_source);
        }
        let anchors = &rendered[target_source].anchors;
        if !anchors.contains(anchor) {
            let mut d = at.saying(
                Severity::Error,
                format!(
                    "broken anchor: {} has no heading `#{anchor}`",
                    content.pages[target_source].file.path.display()
                ),
            );
            d = match crate::diagnostics::did_you_mean(anchor, anchors.iter().map(String::as_str)) {
                Some(s) => d.with_help(format!("did you mean `#{s}`?")),
                None if anchors.is_empty() => d.with_help("that page has no headings to link to"),
                None => d.with_help(format!("anchors there: {}", anchors.join(", "))),
            };
            problems.push(d.with_kind("anchor"));
        }
    }
    (problems, targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_site_has_no_collisions() {
        let content = Content::default();
        let derived = Derived::default();
        assert!(output_collisions(&content, &derived).is_empty());
    }
}
