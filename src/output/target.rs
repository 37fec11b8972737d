//! Which folder a build may replace. A build replaces its output folder
//! as a whole, so pointing `--output` at the wrong folder must never cost
//! a user their files: drehbuch only replaces a folder that is missing,
//! empty, or marked as its own output by an earlier build
//! ([`MARKER`]). The site folder, its ancestors and its source folders are
//! refused even with `--force`; `--force` allows only an unmarked folder
//! outside the site, and says what it will delete.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};

/// Name of the marker file every build writes into its output folder.
pub const MARKER: &str = ".drehbuch-output";

/// What the marker file says, for anyone who wonders what it is.
pub const MARKER_TEXT: &str = "This folder was written by `drehbuch build`.\nEach build replaces it as a whole; do not keep your own files here.\n";

/// Folders (and files) of a site that an output folder may never be or lie in.
pub const SOURCE_FOLDERS: [&str; 8] = [
    "content",
    "templates",
    "themes",
    "static",
    "data",
    "i18n",
    ".git",
    "site.yaml",
];

/// An output folder that passed the checks.
#[derive(Clone, Debug)]
pub struct OutputTarget {
    /// The absolute path of the folder to replace (need not exist yet).
    pub path: PathBuf,
    /// Entries of an unmarked folder that `--force` allows to be deleted
    /// (zero when the folder is missing, empty or drehbuch's own).
    pub forced_entries: usize,
}

fn refuse(output: &Path, message: String, help: &str) -> Diagnostic {
    Diagnostic::global(
        Severity::Error,
        format!(
            "refusing to use {} as the output folder: {message}",
            output.display()
        ),
    )
    .with_kind("output")
    .with_help(help)
}

/// The error for a `--root` that names a file instead of a site folder.
pub fn not_a_folder(root: &Path) -> Option<Diagnostic> {
    (root.exists() && !root.is_dir()).then(|| {
        Diagnostic::global(
            Severity::Error,
            format!("{} is a file, not a site folder", root.display()),
        )
        .with_help("pass the folder that holds site.yaml with --root DIR")
        .with_kind("config")
    })
}

/// Checks that `output` may be replaced by a build of the site in `root`.
/// Nothing is touched; the error says why not and what to do instead.
pub fn check(root: &Path, output: &Path, force: bool) -> Result<OutputTarget, Diagnostic> {
    if let Some(d) = not_a_folder(root) {
        return Err(d);
    }
    let root = fs::canonicalize(root).map_err(|e| {
        Diagnostic::global(
            Severity::Error,
            format!("cannot open the site folder {}: {e}", root.display()),
        )
        .with_help("pass the folder that holds site.yaml with --root DIR")
    })?;
    let path = resolve(output).map_err(|e| {
        refuse(
            output,
            format!("the path cannot be resolved ({e})"),
            "give a folder path such as ./public or /tmp/site",
        )
    })?;
    let choose_other = "choose another --output, for example the default <site>/public";
    if root.starts_with(&path) {
        let what = if root == path {
            "it is the site folder itself"
        } else {
            "it contains the site folder"
        };
        return Err(refuse(
            output,
            format!("{what}, so the build would replace your sources"),
            choose_other,
        ));
    }
    for name in SOURCE_FOLDERS {
        if path.starts_with(root.join(name)) {
            return Err(refuse(
                output,
                format!("it is inside the site's `{name}`, which holds sources"),
                choose_other,
            ));
        }
    }
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(OutputTarget {
                path,
                forced_entries: 0,
            });
        }
        Err(e) => {
            return Err(refuse(
                output,
                format!("it cannot be read ({e})"),
                choose_other,
            ));
        }
    };
    if !meta.is_dir() {
        let what = if meta.file_type().is_symlink() {
            "it is a symbolic link"
        } else {
            "it is a file, not a folder"
        };
        return Err(refuse(output, what.to_string(), choose_other));
    }
    if is_marked(&path) {
        return Ok(OutputTarget {
            path,
            forced_entries: 0,
        });
    }
    let entries = fs::read_dir(&path)
        .map_err(|e| refuse(output, format!("it cannot be read ({e})"), choose_other))?
        .count();
    if entries == 0 {
        return Ok(OutputTarget {
            path,
            forced_entries: 0,
        });
    }
    let inside_site = path.starts_with(&root);
    if force && !inside_site {
        return Ok(OutputTarget {
            path,
            forced_entries: entries,
        });
    }
    let help = if inside_site {
        "it was not written by drehbuch (it has no .drehbuch-output marker); if it only holds an earlier build, delete it yourself, or choose another --output"
    } else {
        "it was not written by drehbuch (it has no .drehbuch-output marker); choose an empty or new folder, or pass --force to delete its contents"
    };
    Err(refuse(
        output,
        format!(
            "it is not empty ({entries} {}) and not a drehbuch output folder",
            if entries == 1 { "entry" } else { "entries" }
        ),
        help,
    ))
}

/// Whether `folder` holds drehbuch's marker file (a regular file, not a link).
pub fn is_marked(folder: &Path) -> bool {
    fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// The absolute form of `path` with symbolic links of its existing part
/// resolved and `.`/`..` of the rest applied, so two spellings of one folder
/// compare equal. The last component itself is not followed if it is a link.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut clean = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve links in the longest existing ancestor (not the folder itself,
    // which must not be followed if it is a link).
    let name = clean.file_name().map(|n| n.to_os_string());
    let Some(name) = name else {
        return Ok(clean);
    };
    let parent = clean.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut existing = parent.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(n) => rest.push(n.to_os_string()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for part in rest.into_iter().rev() {
        resolved.push(part);
    }
    resolved.push(name);
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_applies_dots_without_touching_the_disk() {
        let r = resolve(Path::new("/nonexistent-x/a/../b/./c")).unwrap();
        assert_eq!(r, PathBuf::from("/nonexistent-x/b/c"));
    }
}
