//! Content files and what their names say: `cards/06-heat-check.de.md` is a
//! page in section `cards`, language `de`, stem `heat-check`, order 6.

use std::path::Path;
use std::sync::Arc;

use super::FoundFile;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::sources::SiteDir;

/// The facts a content file's path carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentPath {
    /// Section folder relative to `content/`, `/`-separated (`""` = root).
    pub dir: String,
    /// File name without order prefix, language suffix and `.md`.
    pub stem: String,
    /// Numeric file-name prefix (`06-…`), which sets the default order.
    pub order: Option<u32>,
    /// Language from the suffix, or the default language.
    pub lang: String,
    /// Whether this is a section's `_index` file.
    pub is_index: bool,
    /// Key that `@/` links use: the path without the language suffix,
    /// e.g. `cards/06-heat-check.md` or `cards/_index.md`.
    pub link_key: String,
}

/// The `@/` key of a section folder's `_index` file.
pub(crate) fn section_link_key(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    }
}

/// The parent folder of a section folder (`a/b` → `a`, `a` → ``).
pub(crate) fn parent_dir(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        None
    } else {
        Some(dir.rfind('/').map(|i| &dir[..i]).unwrap_or(""))
    }
}

/// Splits a numeric order prefix: `06-living-labs` → (Some(6), `living-labs`).
pub(crate) fn split_order_prefix(name: &str) -> (Option<u32>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 6 {
        let rest = &name[digits..];
        if let Some(stripped) = rest.strip_prefix(['-', '_'])
            && !stripped.is_empty()
        {
            return (name[..digits].parse().ok(), stripped);
        }
    }
    (None, name)
}

/// Parses a path relative to `content/`. `Err` carries the reason when the
/// name uses a language the site does not have.
pub(crate) fn parse_path(relative: &Path, config: &SiteConfig) -> Result<ContentPath, String> {
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let (file_name, dirs) = parts.split_last().ok_or("empty path")?;
    let dir = dirs.join("/");
    let without_md = file_name.strip_suffix(".md").ok_or("not a Markdown file")?;
    let (name, lang) = match without_md.rsplit_once('.') {
        Some((name, suffix)) if looks_like_language(suffix) => {
            if !config.has_language(suffix) {
                let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
                return Err(format!(
                    "the file name says language `{suffix}`, which is not in site.yaml (languages: {})",
                    codes.join(", ")
                ));
            }
            (name, suffix.to_string())
        }
        Some((_, suffix))
            if !looks_like_language(suffix)
                && config
                    .languages
                    .iter()
                    .any(|l| l.code.eq_ignore_ascii_case(suffix)) =>
        {
            let code = config
                .languages
                .iter()
                .find(|l| l.code.eq_ignore_ascii_case(suffix))
                .map(|l| l.code.as_str())
                .unwrap_or_default();
            return Err(format!(
                "the language suffix `.{suffix}` must be written as in site.yaml: `.{code}.md`"
            ));
        }
        _ => (without_md, config.default_language.clone()),
    };
    let is_index = name == "_index";
    let (order, stem) = if is_index {
        (None, name)
    } else {
        split_order_prefix(name)
    };
    let link_key = if dir.is_empty() {
        format!("{name}.md")
    } else {
        format!("{dir}/{name}.md")
    };
    Ok(ContentPath {
        dir,
        stem: stem.to_string(),
        order,
        lang,
        is_index,
        link_key,
    })
}

fn looks_like_language(suffix: &str) -> bool {
    let primary = suffix.split('-').next().unwrap_or("");
    (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase())
}

/// A content file found by [`list`]: where it is and what its name says
/// (or why the name is not usable).
#[derive(Debug)]
pub(crate) struct Listed {
    /// The path as walked (for reading).
    pub full: std::path::PathBuf,
    /// The path shown to users, relative to the site folder.
    pub shown: String,
    /// What the name says, or the diagnostic for a file that is no page.
    pub path: Result<ContentPath, Diagnostic>,
}

/// Lists every file under `content_dir`, in sorted order, without reading
/// them. Non-Markdown files and unusable names carry a diagnostic; links out
/// of the site folder are returned as problems.
pub(crate) fn list(
    site: &SiteDir,
    content_dir: &Path,
    config: &SiteConfig,
) -> (Vec<Listed>, Vec<Diagnostic>) {
    if !content_dir.is_dir() {
        return (
            Vec::new(),
            vec![
                Diagnostic::file_error(Path::new("content"), "the content folder is missing")
                    .with_help("create content/ with at least content/_index.md for the home page"),
            ],
        );
    }
    let (walked, problems) = site.walk(content_dir, true);
    let listed = walked
        .into_iter()
        .map(|file| {
            let shown = display_path(&site.root, &file.path);
            let path = describe(&shown, &file.relative, config);
            Listed {
                full: file.path,
                shown,
                path,
            }
        })
        .collect();
    (listed, problems)
}

/// What a file's path under `content/` says, or why it is no page.
pub(crate) fn describe(
    shown: &str,
    relative: &str,
    config: &SiteConfig,
) -> Result<ContentPath, Diagnostic> {
    if !relative.ends_with(".md") {
        return Err(Diagnostic::file_error(
            Path::new(shown),
            "not a Markdown file, so it is not published",
        )
        .with_help("put images and other files in static/; content/ holds .md files")
        .warning());
    }
    parse_path(Path::new(relative), config).map_err(|message| {
        Diagnostic::file_error(Path::new(shown), message).with_help(
            "name translations like `page.de.md`, `page.en.md`, or add the language to site.yaml",
        )
    })
}

/// The largest Markdown file a site may have. A page costs time and
/// memory in proportion to its size (up to about 190 MB per MB of
/// Markdown, see docs/performance.md), so a page many times longer than
/// any chapter a reader would scroll through is refused, not built for
/// minutes with gigabytes.
pub(crate) const MAX_PAGE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a content file. NUL characters become U+FFFD, as CommonMark
/// requires, before anything else sees the text. A file over
/// [`MAX_PAGE_BYTES`] is an error.
pub(crate) fn read_file(
    full: &Path,
    shown: String,
    path: ContentPath,
) -> Result<FoundFile, Diagnostic> {
    if let Ok(meta) = std::fs::metadata(full)
        && meta.len() > MAX_PAGE_BYTES
    {
        return Err(Diagnostic::file_error(
            Path::new(&shown),
            format!(
                "the page is {:.1} MiB; a Markdown file may be at most {} MiB",
                meta.len() as f64 / (1024.0 * 1024.0),
                MAX_PAGE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("split it into several pages (a section of its own, one file per chapter)"));
    }
    let bytes = std::fs::read(full)
        .map_err(|e| Diagnostic::file_error(Path::new(&shown), format!("cannot read: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = if text.contains('\0') {
                text.replace('\0', "\u{FFFD}")
            } else {
                text
            };
            Ok(FoundFile {
                path,
                file: Arc::new(SourceFile::new(shown.into(), text)),
            })
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let file = SourceFile::new(shown.into(), lossy);
            Err(file
                .error(prefix.len()..prefix.len() + 1, "the file is not valid UTF-8")
                .with_help("save the file as UTF-8 (files from old Windows editors are often Latin-1 or Windows-1252)"))
        }
    }
}

/// A path shown to users: relative to the site root, `/`-separated.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;

    fn config() -> SiteConfig {
        SiteConfig::parse(&SourceFile::new(
            "site.yaml".into(),
            "title: T\nbase_url: https://e.org/\ndefault_language: de\nlanguages: [{code: de, name: D}, {code: en, name: E}]\n".into(),
        ))
        .unwrap()
    }

    #[test]
    fn names_give_language_order_and_stem() {
        let p = parse_path(Path::new("publication/06-living-labs.en.md"), &config()).unwrap();
        assert_eq!(
            (p.dir.as_str(), p.stem.as_str(), p.order, p.lang.as_str()),
            ("publication", "living-labs", Some(6), "en")
        );
        assert_eq!(p.link_key, "publication/06-living-labs.md");
        let p = parse_path(Path::new("cards/heat.md"), &config()).unwrap();
        assert_eq!(p.lang, "de");
        let p = parse_path(Path::new("_index.en.md"), &config()).unwrap();
        assert!(p.is_index);
        assert_eq!(p.link_key, "_index.md");
    }

    #[test]
    fn unknown_language_suffix_is_an_error() {
        let err = parse_path(Path::new("cards/heat.fr.md"), &config()).unwrap_err();
        assert!(err.contains("`fr`"));
        // A dot that is not a language stays part of the name.
        let p = parse_path(Path::new("cards/v1.2.md"), &config()).unwrap();
        assert_eq!(p.stem, "v1.2");
    }

    #[test]
    fn order_prefix_needs_a_separator() {
        assert_eq!(split_order_prefix("06-a"), (Some(6), "a"));
        assert_eq!(split_order_prefix("2024"), (None, "2024"));
        assert_eq!(split_order_prefix("3d-printing"), (None, "3d-printing"));
    }
}
