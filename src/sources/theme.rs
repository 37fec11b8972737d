//! The built-in theme: `themes/default/` of drehbuch's repository (its
//! templates, static files and UI strings for de, en, ro, tr, ar, pl, bg, uk, hu,
//! fr, es, it and nl), compiled into
//! the binary by `build.rs`. A site needs no theme folder; it overrides the
//! built-in files one by one, and `drehbuch theme eject` writes them out
//! for those who want to change everything.

use std::fs;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

/// The name under which `site.yaml` selects the built-in theme.
pub const BUILTIN_NAME: &str = "default";

/// Every file of the built-in theme: (path inside the theme, bytes).
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    FILES
}

/// One file of the built-in theme, by its path inside the theme
/// (`templates/base.html`).
pub fn file(path: &str) -> Option<&'static [u8]> {
    FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| FILES[i].1)
}

/// Writes the built-in theme into `to`. Refuses, writing nothing, if any
/// file already exists there; returns the number of files written.
pub fn eject(to: &Path) -> Result<usize, String> {
    let existing: Vec<PathBuf> = FILES
        .iter()
        .map(|(p, _)| to.join(p))
        .filter(|p| fs::symlink_metadata(p).is_ok())
        .collect();
    if !existing.is_empty() {
        let shown: Vec<String> = existing
            .iter()
            .take(5)
            .map(|p| p.display().to_string())
            .collect();
        return Err(format!(
            "{} file(s) already exist, for example {}; nothing was written (move them away or choose another --to)",
            existing.len(),
            shown.join(", ")
        ));
    }
    for (path, bytes) in FILES {
        let target = to.join(path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&target, bytes).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(FILES.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_is_embedded_and_sorted() {
        assert!(file("templates/base.html").is_some());
        assert!(file("static/css/site.css").is_some());
        assert!(file("i18n/de.yaml").is_some());
        assert!(FILES.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
