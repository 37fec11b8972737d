//! Slugs and URLs: `/<lang>/<section slugs…>/<page slug>/` (without the
//! language segment on a single-language site). Section slugs are
//! localized through each language's `_index` `slug`. Two pages on one URL are
//! an error naming both files; URLs differing only in case are a warning
//! (they collide on case-insensitive hosting).

use std::collections::{HashMap, HashSet};

use super::front_matter::check_slug;
use super::{Content, PageId, PageKind, files};
use crate::diagnostics::{Diagnostic, Severity};

/// The file a site path is written to, relative to the output folder: a
/// folder URL gets its `index.html` (`/de/formate/` →
/// `de/formate/index.html`, `/` → `index.html`), any other URL names its
/// file (`/de/atom.xml` → `de/atom.xml`). Build, check and serve all map
/// URLs to files here, so they agree on where a page is.
pub(crate) fn output_path(url: &str) -> String {
    let path = url.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The URL segment of a section folder in a language: the `_index` slug of
/// that language if given, else the folder name without order prefix.
fn section_segment(content: &Content, dir: &str, lang: &str) -> String {
    if let Some(id) = content.section_page(dir, lang)
        && let Some(slug) = &content.pages[id].front.slug
    {
        return slug.clone();
    }
    let name = dir.rsplit('/').next().unwrap_or(dir);
    content.slug(files::split_order_prefix(name).1, lang)
}

/// The site path of section folder `dir` in `lang`: `/de/formate/`.
pub(crate) fn section_url(content: &Content, dir: &str, lang: &str) -> String {
    let mut url = content.home_path(lang);
    if dir.is_empty() {
        return url;
    }
    let mut prefix = String::new();
    for part in dir.split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        url.push_str(&section_segment(content, &prefix, lang));
        url.push('/');
    }
    url
}

/// Assigns every page its URL and reports collisions.
pub(crate) fn assign(content: &mut Content, diagnostics: &mut Vec<Diagnostic>) {
    let mut urls = Vec::with_capacity(content.pages.len());
    for page in &content.pages {
        let url = match page.kind {
            PageKind::Home => content.home_path(&page.lang),
            PageKind::Section => section_url(content, &page.path.dir, &page.lang),
            PageKind::Page => {
                let slug = match &page.front.slug {
                    Some(s) => s.clone(),
                    None => {
                        let s = content.slug(&page.path.stem, &page.lang);
                        if let Err(message) = check_slug(&s) {
                            diagnostics.push(
                                Diagnostic::file_error(
                                    &page.file.path,
                                    format!("the file name gives no usable URL: {message}"),
                                )
                                .with_help("rename the file or set `slug:` in its front matter"),
                            );
                        }
                        s
                    }
                };
                format!(
                    "{}{slug}/",
                    section_url(content, &page.path.dir, &page.lang)
                )
            }
        };
        urls.push(url);
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut seen_folded: HashMap<String, usize> = HashMap::new();
    // Pages (not stand-ins) already reported on a shared URL: their
    // stand-ins share URLs too, for the same reason.
    let mut collided: HashSet<PageId> = HashSet::new();
    for (id, url) in urls.iter().enumerate() {
        let page = &content.pages[id];
        if let Some(&other) = seen.get(url.as_str()) {
            let first = &content.pages[other];
            if page.stand_in_for.is_none() && first.stand_in_for.is_none() {
                collided.insert(id);
                collided.insert(other);
                let mut d = match &page.front.slug_at {
                    Some(at) => at.saying(Severity::Error, String::new()),
                    None => Diagnostic::file_error(&page.file.path, ""),
                };
                d.message = format!(
                    "this page and {} both map to the URL {url}",
                    describe_output(content, other)
                );
                diagnostics.push(
                    d.with_help("give one of them a different `slug:` (or rename the file)")
                        .with_kind("duplicate-url"),
                );
            } else {
                let originals = (
                    page.stand_in_for.unwrap_or(id),
                    first.stand_in_for.unwrap_or(other),
                );
                if !collided.contains(&originals.0) && !collided.contains(&originals.1) {
                    diagnostics.push(shared_url(content, id, other, url));
                }
            }
            continue;
        }
        seen.insert(url, id);
        let folded = url.to_lowercase();
        if let Some(&other) = seen_folded.get(&folded) {
            diagnostics.push(
                Diagnostic::file_error(
                    &page.file.path,
                    format!(
                        "the URL {url} differs only in letter case from {} ({})",
                        urls[other],
                        content.pages[other].file.path.display()
                    ),
                )
                .with_help("case-insensitive hosting serves only one of them: use lowercase slugs")
                .with_kind("case-url")
                .warning(),
            );
        } else {
            seen_folded.insert(folded, id);
        }
    }
    for (page, url) in content.pages.iter_mut().zip(urls) {
        page.url = url;
    }
}

/// How an output of page `id` is named in messages: its file (with where
/// its `slug:` stands), or "the `en` stand-in of" its original's file.
pub(crate) fn describe_output(content: &Content, id: PageId) -> String {
    let page = &content.pages[id];
    let file = match &page.front.slug_at {
        Some(at) => format!(
            "{} (`slug: {}` at {})",
            page.file.path.display(),
            page.front.slug.as_deref().unwrap_or_default(),
            at.location()
        ),
        None => page.file.path.display().to_string(),
    };
    match page.stand_in_for {
        Some(_) => format!(
            "the `{}` stand-in of {file} (`untranslated: render` shows it where no translation exists)",
            page.lang
        ),
        None => file,
    }
}

/// The error for a stand-in page (`untranslated: render`) on the URL of
/// another page or stand-in: at the later one's `slug:` line, naming the
/// other with its `slug:` line. Unreported, one would replace the other.
fn shared_url(content: &Content, id: PageId, other: PageId, url: &str) -> Diagnostic {
    let page = &content.pages[id];
    let mut d = match &page.front.slug_at {
        Some(at) => at.saying(Severity::Error, String::new()),
        None => Diagnostic::file_error(&page.file.path, ""),
    };
    let this = match page.stand_in_for {
        Some(_) => format!(
            "the `{}` stand-in of this page (`untranslated: render` shows it where no translation exists)",
            page.lang
        ),
        None => "this page".to_string(),
    };
    d.message = format!(
        "{this} and {} would both be published at {url}; one would replace the other",
        describe_output(content, other)
    );
    d.with_help("give one of the pages another `slug:` (a stand-in takes its original's slug)")
        .with_kind("duplicate-url")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_urls_map_to_index_files_and_file_urls_to_themselves() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/de/formate/"), "de/formate/index.html");
        assert_eq!(output_path("/de/atom.xml"), "de/atom.xml");
        assert_eq!(output_path("de/"), "de/index.html");
    }
}
