//! Checks that need the whole loaded site: two outputs on one path,
//! scripts in content, and `@/` anchors that must exist on the page linked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::derived::{Derived, DerivedKind};
use crate::config::{ContentScripts, SiteConfig};
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::RenderedMarkdown;
use crate::output;

/// Two outputs on one path: an error naming the files they come from.
/// (Two content pages on one URL are reported by the URL stage.)
pub(crate) fn output_collisions(content: &Content, derived: &Derived) -> Vec<Diagnostic> {
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
            DerivedKind::Search => "the search page".to_string(),
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
pub(crate) fn script_diagnostics(
    config: &SiteConfig,
    rendered: &[RenderedMarkdown],
) -> Vec<Diagnostic> {
    let severity = match config.content_scripts {
        ContentScripts::Allow => return Vec::new(),
        ContentScripts::Warn => Severity::Warning,
        ContentScripts::Error => Severity::Error,
    };
    let mut out = Vec::new();
    for r in rendered {
        for (at, script) in &r.scripts {
            out.push(
                at.saying(severity, script.message())
                    .with_help(script.help())
                    .with_kind("script"),
            );
        }
    }
    out
}

/// `@/` anchors must exist on the page linked to.
pub(crate) fn check_anchors(
    content: &Content,
    rendered: &[RenderedMarkdown],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for r in rendered {
        for link in &r.internal_links {
            let (Some(anchor), Some(at)) = (&link.anchor, &link.at) else {
                continue;
            };
            let Some(target) = content.page_in(&link.group, &link.lang) else {
                continue;
            };
            let target_source = content.pages[target].stand_in_for.unwrap_or(target);
            let anchors = &rendered[target_source].anchors;
            if !anchors.contains(anchor) {
                let mut d = at.saying(
                    Severity::Error,
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
