//! The site folder on disk, read without ever leaving it. Symbolic links
//! that point inside the site folder are followed; a link that points
//! outside is an error naming the link and its target, and the file is not
//! read, so `ln -s /etc static` cannot publish `/etc`. Nothing is skipped
//! silently: broken links and link loops are errors too.

use std::cell::RefCell;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// The site folder, with its canonical path for containment checks.
#[derive(Clone, Debug)]
pub struct SiteDir {
    /// The folder as the user gave it (paths shown in messages are relative to it).
    pub root: PathBuf,
    canonical: PathBuf,
}

/// A file found by [`SiteDir::walk`].
#[derive(Clone, Debug)]
pub struct WalkedFile {
    /// The path as walked (through links, not resolved), for reading.
    pub path: PathBuf,
    /// The path relative to the walked folder, `/`-separated.
    pub relative: String,
}

impl SiteDir {
    /// Opens the site folder (it must exist).
    pub fn new(root: &Path) -> io::Result<SiteDir> {
        Ok(SiteDir {
            root: root.to_path_buf(),
            canonical: fs::canonicalize(root)?,
        })
    }

    /// `path` as shown to users: relative to the site folder, `/`-separated.
    pub fn shown(&self, path: &Path) -> PathBuf {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        PathBuf::from(
            relative
                .iter()
                .map(|p| p.to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    fn outside(&self, path: &Path, target: &Path) -> Diagnostic {
        Diagnostic::file_error(
            &self.shown(path),
            format!(
                "this is a symbolic link to {}, outside the site folder",
                target.display()
            ),
        )
        .with_kind("symlink")
        .with_help("drehbuch reads nothing outside the site folder: copy the file or folder into the site, or make the link point inside it")
    }

    /// Checks that `path` (under the site folder) does not lead outside it
    /// through a symbolic link. `Ok(false)` if it does not exist.
    pub fn check(&self, path: &Path) -> Result<bool, Diagnostic> {
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // A missing file, or a component of the path missing.
                Ok(false)
            }
            Err(e) => Err(Diagnostic::file_error(
                &self.shown(path),
                format!("cannot read: {e}"),
            )),
            Ok(_) => match fs::canonicalize(path) {
                Ok(real) if real.starts_with(&self.canonical) => Ok(true),
                Ok(real) => Err(self.outside(path, &real)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Err(broken_link(self, path)),
                Err(e) => Err(Diagnostic::file_error(
                    &self.shown(path),
                    format!("cannot read: {e}"),
                )),
            },
        }
    }

    /// Reads a file of the site. `Ok(None)` if it does not exist.
    pub fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, Diagnostic> {
        if !self.check(path)? {
            return Ok(None);
        }
        match fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Diagnostic::file_error(
                &self.shown(path),
                format!("cannot read: {e}"),
            )),
        }
    }

    /// Every file under `dir`, sorted by path, following links that stay
    /// inside the site. Names starting with `.` are skipped when
    /// `skip_hidden` is set. Problems come back as diagnostics; the files
    /// they concern are left out. A missing `dir` gives no files.
    pub fn walk(&self, dir: &Path, skip_hidden: bool) -> (Vec<WalkedFile>, Vec<Diagnostic>) {
        let (files, _, problems) = self.walk_hidden(dir, &|_| !skip_hidden);
        (files, problems)
    }

    /// Like [`SiteDir::walk`], but a hidden file or folder (its name
    /// starts with `.`) is kept only if `keep` says so for its path
    /// relative to `dir`; the skipped ones are returned too (a folder with
    /// a trailing `/`, its contents not looked at).
    pub fn walk_hidden(
        &self,
        dir: &Path,
        keep: &dyn Fn(&str) -> bool,
    ) -> (Vec<WalkedFile>, Vec<String>, Vec<Diagnostic>) {
        match self.check(dir) {
            Ok(true) => {}
            Ok(false) => return (Vec::new(), Vec::new(), Vec::new()),
            Err(d) => return (Vec::new(), Vec::new(), vec![d]),
        }
        let skipped = RefCell::new(Vec::new());
        let problems = RefCell::new(Vec::new());
        let mut files = Vec::new();
        let walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                if e.file_name().to_string_lossy().starts_with('.') {
                    let relative = slash_relative(dir, e.path());
                    if !keep(&relative) {
                        let folder = if e.file_type().is_dir() { "/" } else { "" };
                        skipped.borrow_mut().push(format!("{relative}{folder}"));
                        return false;
                    }
                }
                if e.path_is_symlink() {
                    match fs::canonicalize(e.path()) {
                        Ok(real) if real.starts_with(&self.canonical) => true,
                        Ok(real) => {
                            problems.borrow_mut().push(self.outside(e.path(), &real));
                            false
                        }
                        Err(_) => {
                            problems.borrow_mut().push(broken_link(self, e.path()));
                            false
                        }
                    }
                } else {
                    true
                }
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let inside = e.path().strip_prefix(dir).unwrap_or(e.path());
                    if inside.iter().any(|p| p.to_str().is_none()) {
                        // Two such names could map to one URL, and no
                        // URL can carry the bytes as they are.
                        problems.borrow_mut().push(
                            Diagnostic::file_error(
                                e.path(),
                                "this file name is not valid UTF-8, so it cannot be published under its own name",
                            )
                            .with_help("rename the file (for example with `convmv`, or by hand)")
                            .with_kind("files"),
                        );
                        continue;
                    }
                    let relative = slash_relative(dir, e.path());
                    files.push(WalkedFile {
                        path: e.path().to_path_buf(),
                        relative,
                    });
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| dir.into());
                    let message = if e.loop_ancestor().is_some() {
                        "this symbolic link leads back to a folder that contains it (a loop)"
                            .to_string()
                    } else {
                        format!("cannot read: {e}")
                    };
                    problems.borrow_mut().push(
                        Diagnostic::file_error(&self.shown(&path), message).with_kind("symlink"),
                    );
                }
            }
        }
        (files, skipped.into_inner(), problems.into_inner())
    }
}

/// `path` relative to `base`, `/`-separated (as output paths are written).
pub(crate) fn slash_relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn broken_link(site: &SiteDir, path: &Path) -> Diagnostic {
    let target = fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    Diagnostic::file_error(
        &site.shown(path),
        format!("this symbolic link points to {target}, which does not exist"),
    )
    .with_kind("symlink")
    .with_help("fix or remove the link")
}
