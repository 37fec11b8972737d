//! What a batch of changed files means for the preview: which parts of
//! the site they feed ([`classify`]), and whether the browser can swap
//! stylesheets in place instead of reloading ([`only_css`]).

use std::path::{Path, PathBuf};

use crate::site::Changes;

/// Sorts changed paths (absolute, or relative to the working folder) by
/// what they feed. Paths outside the site's inputs are ignored.
pub(crate) fn classify(root: &Path, paths: &[PathBuf]) -> Changes {
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut changes = Changes::default();
    for path in paths {
        let relative = path
            .strip_prefix(root)
            .or_else(|_| path.strip_prefix(&real_root))
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.clone());
        let mut parts = relative.iter().map(|p| p.to_string_lossy().into_owned());
        let first = parts.next().unwrap_or_default();
        let second = parts.next().unwrap_or_default();
        match first.as_str() {
            "site.yaml" => changes.config = true,
            "content" => changes.content.push(root.join(&relative)),
            "templates" => changes.theme = true,
            "i18n" => {
                changes.theme = true;
                changes.strings = true;
            }
            "themes" if second.is_empty() => {
                changes.theme = true;
                changes.strings = true;
            }
            "themes" => {
                let third = parts.next().unwrap_or_default();
                match third.as_str() {
                    "static" => changes.static_files.push(relative),
                    "templates" => changes.theme = true,
                    _ => {
                        changes.theme = true;
                        changes.strings = true;
                    }
                }
            }
            "static" => changes.static_files.push(relative),
            "data" => changes.data = true,
            _ => {}
        }
    }
    changes
}

/// Whether only stylesheets changed (the browser can swap them in place,
/// keeping the reading position).
pub(crate) fn only_css(changes: &Changes) -> bool {
    !changes.static_files.is_empty()
        && !changes.config
        && !changes.theme
        && !changes.strings
        && !changes.data
        && changes.content.is_empty()
        && changes
            .static_files
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
        classify(root, &paths)
    }

    #[test]
    fn paths_are_sorted_by_what_they_feed() {
        let changes = sorted(&[
            "content/notes/a.de.md",
            "themes/plain/static/site.css",
            "themes/plain/templates/page.html",
            "static/img/logo.png",
            "data/sensors/x/summary.json",
            "public/index.html",
        ]);
        assert_eq!(
            changes,
            Changes {
                config: false,
                theme: true,
                strings: false,
                data: true,
                static_files: vec![
                    PathBuf::from("themes/plain/static/site.css"),
                    PathBuf::from("static/img/logo.png"),
                ],
                content: vec![PathBuf::from("/site/content/notes/a.de.md")],
            }
        );
        let strings = sorted(&["i18n/de.yaml"]);
        assert!(strings.theme && strings.strings);
        let theme_strings = sorted(&["themes/plain/i18n/de.yaml"]);
        assert!(theme_strings.theme && theme_strings.strings);
        assert!(sorted(&["site.yaml"]).config);
        assert!(sorted(&["README.md", "public/x.html"]).is_empty());
    }

    #[test]
    fn only_stylesheets_are_swapped_in_place() {
        assert!(only_css(&sorted(&[
            "static/a.css",
            "themes/t/static/b.css"
        ])));
        assert!(!only_css(&sorted(&["static/a.css", "static/b.js"])));
        assert!(!only_css(&sorted(&["static/a.css", "content/x.de.md"])));
        assert!(!only_css(&sorted(&[])));
    }
}
