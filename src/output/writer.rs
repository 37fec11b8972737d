//! Writing a site so that the output folder is never half-written and
//! never missing. A build takes a lock beside the output folder, writes
//! into a fresh hidden temporary folder with a random name (created
//! exclusively, so builds in different processes or containers cannot
//! share it), and swaps it in at the end: on Linux with one atomic
//! `renameat2(RENAME_EXCHANGE)`, elsewhere with two renames. A writer that
//! is dropped without [`OutputWriter::commit`] removes its temporary
//! folder; leftovers of killed builds are removed by the next build.
//!
//! Files beside the output folder `public`:
//! - `.public.lock`: the lock file (kept; it is empty);
//! - `.public.tmp-<16 hex>`: the folder being written;
//! - `.public.old-<16 hex>`: holds the previous site during a two-rename swap.
//!
//! Each temporary folder gets drehbuch's marker the moment it is created,
//! and only folders with exactly these names *and* a marker inside are
//! ever removed as leftovers ([`super::target::is_leftover`]): a
//! `public.old-20240105` someone keeps beside the output is not ours.
//!
//! The marker a build leaves in the output lists every file it wrote
//! ([`Manifest`]), so the next build can tell them from files it must
//! not delete.
//!
//! An output folder that is a mount point (a container's bind mount)
//! cannot be renamed. It is replaced in place: the new site is written
//! into a temporary folder inside the mount, the previous site's entries
//! are moved into an `old` folder there, the new ones moved in (the
//! marker last), and the old folder deleted. That is not atomic: a build
//! killed in the middle leaves a mixed folder, which the next build
//! replaces (the markers of both temporary folders say what is whose).

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use super::target::{Known, MARKER, Manifest, OutputTarget, describe_entries, is_leftover};
use crate::diagnostics::{Diagnostic, Severity};

/// A site being written into a temporary folder beside its target (or
/// inside it, when the target is a mount point).
#[derive(Debug)]
pub struct OutputWriter {
    target: PathBuf,
    temp: PathBuf,
    parent: PathBuf,
    name: String,
    /// The target is a mount point: replaced entry by entry.
    in_place: bool,
    /// The target has an earlier version's marker that lists nothing.
    unlisted: bool,
    /// `--force` applies: files no build wrote may be deleted.
    force: bool,
    /// Every file written so far (output paths), for the manifest.
    written: Mutex<HashSet<String>>,
    /// Held for the writer's lifetime: a second build on the same output
    /// fails to take it. The OS releases it when the process dies.
    _lock: File,
    committed: bool,
}

fn io_error(path: &Path, action: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::global(
        Severity::Error,
        format!("cannot {action} {}: {e}", path.display()),
    )
    .with_kind("output")
    .with_help("check that the folder is writable and the disk is not full")
}

/// The error for a rename that the system refuses because the output is a
/// mount point or lies on another file system than its parent folder.
fn mount_error(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::global(
        Severity::Error,
        format!(
            "cannot replace {}: it is a mount point, or on another file system than the folder that holds it, so it cannot be renamed ({e})",
            path.display()
        ),
    )
    .with_kind("output")
    .with_help("drehbuch replaces a mount point in place when it can tell it is one; here it could not: build into a folder inside the mount (--output <mount>/site) and serve that")
}

/// Whether a rename failed because of a mount point or a file system border.
fn is_mount_error(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EBUSY | libc::EXDEV))
    }
    #[cfg(not(unix))]
    {
        e.kind() == io::ErrorKind::CrossesDevices || e.kind() == io::ErrorKind::ResourceBusy
    }
}

impl OutputWriter {
    /// Locks the output, removes leftovers of earlier killed builds and
    /// creates a fresh temporary folder. Fails if another build holds the lock.
    pub fn begin(target: &OutputTarget) -> Result<OutputWriter, Diagnostic> {
        let path = &target.path;
        let parent = path
            .parent()
            .ok_or_else(|| {
                Diagnostic::global(
                    Severity::Error,
                    format!("{} has no parent folder", path.display()),
                )
            })?
            .to_path_buf();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "create", &e))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error(&lock_path, "create the lock file", &e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Diagnostic::global(
                    Severity::Error,
                    format!(
                        "another drehbuch build is writing {} right now",
                        path.display()
                    ),
                )
                .with_kind("output")
                .with_help(format!(
                    "wait for it to finish, or build into another --output (the lock is {})",
                    lock_path.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(io_error(&lock_path, "lock", &e));
            }
        }
        remove_leftovers(&parent, &name, path);
        let in_place = is_mount_point(path);
        let temp = if in_place {
            // Leftovers of an interrupted in-place replacement (their
            // files were accepted by the target check).
            remove_leftovers(path, &name, path);
            create_unique(path, &format!(".{name}.tmp-"))
                .map_err(|e| io_error(path, "create a temporary folder in", &e))?
        } else {
            create_unique(&parent, &format!(".{name}.tmp-"))
                .map_err(|e| io_error(&parent, "create a temporary folder in", &e))?
        };
        Ok(OutputWriter {
            target: path.clone(),
            temp,
            parent,
            name,
            in_place,
            unlisted: target.unlisted,
            force: target.force,
            written: Mutex::new(HashSet::new()),
            _lock: lock,
            committed: false,
        })
    }

    /// The temporary folder being written (it becomes the output on commit).
    pub fn temp_dir(&self) -> &Path {
        &self.temp
    }

    /// The folder the site replaces on commit.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file at `relative` (`/`-separated, inside the site).
    /// Safe to call from several threads.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.claim(relative)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_error(&path, "write", &e))
    }

    /// Copies `from` to `relative` (a static file).
    pub fn copy(&self, from: &Path, relative: &str) -> Result<(), Diagnostic> {
        let path = self.claim(relative)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
        }
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| io_error(&path, "copy to", &e))
    }

    /// The path of `relative` in the temporary folder, recorded as
    /// written. A path outside the folder, the marker's, or one written
    /// before in this build is refused: two outputs never share a file.
    fn claim(&self, relative: &str) -> Result<PathBuf, Diagnostic> {
        let relative_path = Path::new(relative);
        let escapes = relative.is_empty()
            || relative_path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)));
        if escapes {
            return Err(Diagnostic::global(
                Severity::Error,
                format!("refusing to write `{relative}`: it would leave the output folder"),
            )
            .with_kind("output"));
        }
        if relative == MARKER {
            return Err(Diagnostic::global(
                Severity::Error,
                format!("refusing to write `{relative}`: that is the name of drehbuch's marker"),
            )
            .with_kind("output"));
        }
        let fresh = self
            .written
            .lock()
            .map(|mut w| w.insert(relative.to_string()))
            .unwrap_or(false);
        if !fresh {
            return Err(Diagnostic::global(
                Severity::Error,
                format!("two outputs of this build would be written to {relative}; one would silently replace the other"),
            )
            .with_kind("duplicate-url")
            .with_help("this should have been reported with the files involved; please report it as a bug of drehbuch"));
        }
        Ok(self.temp.join(relative_path))
    }

    /// Marks the folder as drehbuch's, with the list of what was written,
    /// and swaps it in for the target. The target path exists at every
    /// moment (Linux) or is restored if the second rename fails. Returns
    /// how many entries `--force` deleted that no build had listed (for an
    /// output with an earlier version's marker; else 0).
    pub fn commit(mut self) -> Result<usize, Diagnostic> {
        let files: BTreeSet<String> = match self.written.lock() {
            Ok(mut w) => std::mem::take(&mut *w).into_iter().collect(),
            Err(_) => BTreeSet::new(),
        };
        let mut forced = 0;
        if self.unlisted {
            let unknown =
                super::target::unknown_entries(&self.target, &Known::new(files.iter()), &self.name);
            if !unknown.is_empty() && !self.force {
                return Err(Diagnostic::global(
                    Severity::Error,
                    format!(
                        "refusing to replace {}: it holds files this build does not write: {}",
                        self.target.display(),
                        describe_entries(&unknown)
                    ),
                )
                .with_kind("output")
                .with_help("its .drehbuch-output marker comes from an earlier version of drehbuch, which did not list what it wrote, so only files this build writes again count as drehbuch's; move the others elsewhere (or, if they are only pages you removed from the site, delete the folder) and build again"));
            }
            forced = unknown.len();
        }
        let manifest = Manifest {
            folder: self.target.to_string_lossy().into_owned(),
            files,
        };
        let marker = self.temp.join(MARKER);
        fs::write(&marker, manifest.marker_text()).map_err(|e| io_error(&marker, "write", &e))?;
        if self.in_place {
            self.commit_in_place()?;
            return Ok(forced);
        }
        let exists = fs::symlink_metadata(&self.target).is_ok();
        if !exists {
            fs::rename(&self.temp, &self.target).map_err(|e| {
                if is_mount_error(&e) {
                    mount_error(&self.target, &e)
                } else {
                    io_error(&self.target, "create", &e)
                }
            })?;
            self.committed = true;
            return Ok(forced);
        }
        match exchange(&self.temp, &self.target) {
            Ok(()) => {
                // The temporary path now holds the previous site.
                self.committed = true;
                let _ = fs::remove_dir_all(&self.temp);
                return Ok(forced);
            }
            Err(e) if e.kind() == io::ErrorKind::Unsupported => {}
            Err(e) if is_mount_error(&e) => return Err(mount_error(&self.target, &e)),
            Err(e) => return Err(io_error(&self.target, "replace", &e)),
        }
        // The previous site goes into a marked folder beside it, so a
        // build killed between the two renames can put it back.
        let old = create_unique(&self.parent, &format!(".{}.old-", self.name))
            .map_err(|e| io_error(&self.parent, "create a temporary folder in", &e))?;
        let aside = old.join(&self.name);
        fs::rename(&self.target, &aside).map_err(|e| {
            let _ = fs::remove_dir_all(&old);
            if is_mount_error(&e) {
                mount_error(&self.target, &e)
            } else {
                io_error(&self.target, "move aside", &e)
            }
        })?;
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            let _ = fs::rename(&aside, &self.target);
            let _ = fs::remove_dir_all(&old);
            return Err(io_error(&self.target, "replace", &e));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&old);
        Ok(forced)
    }

    /// Replaces a mount point's contents: the previous entries into an
    /// `old` folder inside it, the new ones in (the marker last), then the
    /// old folder is deleted. On failure, what was moved is moved back.
    fn commit_in_place(&mut self) -> Result<(), Diagnostic> {
        let old = create_unique(&self.target, &format!(".{}.old-", self.name))
            .map_err(|e| io_error(&self.target, "create a temporary folder in", &e))?;
        let entries = |folder: &Path, skip: &[&Path]| -> io::Result<Vec<std::ffi::OsString>> {
            let mut names = Vec::new();
            for entry in fs::read_dir(folder)? {
                let entry = entry?;
                if !skip.contains(&entry.path().as_path()) {
                    names.push(entry.file_name());
                }
            }
            names.sort();
            Ok(names)
        };
        let previous = entries(&self.target, &[self.temp.as_path(), old.as_path()])
            .map_err(|e| io_error(&self.target, "read", &e))?;
        let moved_aside = move_all(&previous, &self.target, &old);
        if let Err((done, e)) = moved_aside {
            let _ = move_all(&done, &old, &self.target);
            let _ = fs::remove_dir_all(&old);
            return Err(io_error(
                &self.target,
                "move the previous site aside in",
                &e,
            ));
        }
        let mut fresh = entries(&self.temp, &[]).map_err(|e| io_error(&self.temp, "read", &e))?;
        // The marker last: until it is in, the folder is not a finished site.
        fresh.retain(|n| n != MARKER);
        fresh.push(MARKER.into());
        if let Err((done, e)) = move_all(&fresh, &self.temp, &self.target) {
            let _ = move_all(&done, &self.target, &self.temp);
            let _ = move_all(&previous, &old, &self.target);
            let _ = fs::remove_dir_all(&old);
            return Err(io_error(&self.target, "move the new site into", &e));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&old);
        let _ = fs::remove_dir_all(&self.temp);
        Ok(())
    }
}

/// Moves the entries `names` from `from` into `to`. On failure, returns
/// the names already moved and the error.
fn move_all(
    names: &[std::ffi::OsString],
    from: &Path,
    to: &Path,
) -> Result<(), (Vec<std::ffi::OsString>, io::Error)> {
    for (i, name) in names.iter().enumerate() {
        if let Err(e) = fs::rename(from.join(name), to.join(name)) {
            return Err((names[..i].to_vec(), e));
        }
    }
    Ok(())
}

impl Drop for OutputWriter {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Creates `<parent>/<prefix><16 random hex digits>` exclusively and puts
/// drehbuch's marker into it, so a later build can tell it is a leftover.
fn create_unique(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    for _ in 0..100 {
        let candidate = parent.join(format!("{prefix}{:016x}", random_u64()));
        match fs::create_dir(&candidate) {
            Ok(()) => {
                let marked = File::options()
                    .write(true)
                    .create_new(true)
                    .open(candidate.join(MARKER))
                    .and_then(|mut f| f.write_all(super::target::in_progress_text().as_bytes()));
                if let Err(e) = marked {
                    let _ = fs::remove_dir_all(&candidate);
                    return Err(e);
                }
                return Ok(candidate);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name",
    ))
}

/// 64 random bits from the standard library's randomly keyed hasher, mixed
/// with the time and process id (uniqueness comes from exclusive creation).
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    hasher.finish()
}

/// Removes the temporary and old folders of earlier builds of the output
/// `target` found in `folder` (only called with the lock held, so none of
/// them is in use). Only provable leftovers go: the exact hidden name and
/// drehbuch's marker inside. If a build was killed between the two
/// renames of a non-atomic swap, the previous site is put back first.
fn remove_leftovers(folder: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let mut olds = Vec::new();
    let mut temps = Vec::new();
    for entry in entries.flatten() {
        match is_leftover(&entry.path(), name) {
            Some("old") => olds.push(entry.path()),
            Some(_) => temps.push(entry.path()),
            None => {}
        }
    }
    olds.sort();
    if fs::symlink_metadata(target).is_err() {
        for old in &olds {
            // The previous site inside the old folder, or (as earlier
            // versions left it) the old folder itself.
            let inner = old.join(name);
            let restored = if fs::symlink_metadata(&inner).is_ok_and(|m| m.is_dir()) {
                fs::rename(&inner, target).is_ok()
            } else {
                matches!(
                    super::target::Marker::read(old),
                    Some(super::target::Marker::Manifest(_) | super::target::Marker::Unlisted)
                ) && fs::rename(old, target).is_ok()
            };
            if restored {
                break;
            }
        }
    }
    for path in olds.iter().chain(&temps) {
        if fs::symlink_metadata(path).is_ok() {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// Whether `path` is a folder another file system is mounted on (or a
/// bind mount), which cannot be renamed.
fn is_mount_point(path: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_dir() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Some(parent) = path.parent()
            && let Ok(parent_meta) = fs::metadata(parent)
            && parent_meta.dev() != meta.dev()
        {
            return true;
        }
    }
    #[cfg(target_os = "linux")]
    {
        // A bind mount of a folder on the same file system has the same
        // device number: the mount table knows it.
        use std::os::unix::ffi::OsStrExt;
        if let Ok(table) = fs::read("/proc/self/mountinfo") {
            let wanted = path.as_os_str().as_bytes();
            return table.split(|b| *b == b'\n').any(|line| {
                line.split(|b| *b == b' ')
                    .nth(4)
                    .is_some_and(|field| unescape_mount_path(field) == wanted)
            });
        }
    }
    false
}

/// A mount point as /proc/self/mountinfo writes it: space, tab, newline
/// and backslash as three-digit octal escapes (`\040`).
#[cfg(target_os = "linux")]
fn unescape_mount_path(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'\\'
            && i + 3 < field.len()
            && field[i + 1..i + 4]
                .iter()
                .all(|b| (b'0'..=b'7').contains(b))
        {
            let value = field[i + 1..i + 4]
                .iter()
                .fold(0u32, |v, b| v * 8 + u32::from(b - b'0'));
            out.push(value as u8);
            i += 4;
        } else {
            out.push(field[i]);
            i += 1;
        }
    }
    out
}

/// `renameat2(from, to, flags)` (Linux): a rename with `RENAME_EXCHANGE`
/// or `RENAME_NOREPLACE`.
#[cfg(target_os = "linux")]
pub(crate) fn rename_with(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(from.as_os_str().as_bytes())?;
    let b = CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the
    // call; AT_FDCWD makes relative paths relative to the working folder.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            flags,
        )
    };
    if result == 0 {
        return Ok(());
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        // Kernel or file system without these flags.
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "renameat2 with these flags is not supported here",
        )),
        _ => Err(error),
    }
}

/// Atomically exchanges two existing paths (Linux `renameat2`); without
/// support, [`OutputWriter::commit`] uses two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    rename_with(a, b, libc::RENAME_EXCHANGE)
}

/// Without an atomic exchange, [`OutputWriter::commit`] uses two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange on this system",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn mount_table_paths_are_unescaped() {
        assert_eq!(unescape_mount_path(b"/srv/my\\040site"), b"/srv/my site");
        assert_eq!(unescape_mount_path(b"/a\\134b"), b"/a\\b");
        assert_eq!(unescape_mount_path(b"/plain"), b"/plain");
    }

    #[test]
    fn only_exact_hidden_names_with_a_marker_are_leftovers() {
        let dir = std::env::temp_dir().join(format!("drehbuch-leftovers-{}", random_u64()));
        fs::create_dir_all(&dir).unwrap();
        let made = create_unique(&dir, ".public.tmp-").unwrap();
        assert_eq!(is_leftover(&made, "public"), Some("tmp"));
        for name in [
            ".public.tmp-0123456789abcdef",
            "public.tmp-4711",
            "public.old-20240105",
            ".public.tmp-xyz",
        ] {
            fs::create_dir_all(dir.join(name)).unwrap();
            assert_eq!(is_leftover(&dir.join(name), "public"), None, "{name}");
        }
        // A marker makes only the exact pattern a leftover.
        fs::write(dir.join("public.old-20240105").join(MARKER), "").unwrap();
        assert_eq!(
            is_leftover(&dir.join("public.old-20240105"), "public"),
            None
        );
        fs::write(dir.join(".public.tmp-0123456789abcdef").join(MARKER), "").unwrap();
        assert_eq!(
            is_leftover(&dir.join(".public.tmp-0123456789abcdef"), "public"),
            Some("tmp")
        );
        assert_eq!(
            is_leftover(&dir.join(".public.tmp-0123456789abcdef"), "other"),
            None
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
