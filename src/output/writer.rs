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
//! - `.public.tmp-<random>`: the folder being written;
//! - `.public.old-<random>`: the previous site during a two-rename swap.

use std::fs::{self, File};
use std::io;
use std::path::{Component, Path, PathBuf};

use super::target::{MARKER, MARKER_TEXT, OutputTarget};
use crate::diagnostics::{Diagnostic, Severity};

/// A site being written into a temporary folder beside its target.
#[derive(Debug)]
pub struct OutputWriter {
    target: PathBuf,
    temp: PathBuf,
    parent: PathBuf,
    name: String,
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
        let temp = create_unique(&parent, &format!(".{name}.tmp-"))
            .map_err(|e| io_error(&parent, "create a temporary folder in", &e))?;
        Ok(OutputWriter {
            target: path.clone(),
            temp,
            parent,
            name,
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
        let path = self.inside(relative)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_error(&path, "write", &e))
    }

    /// Copies `from` to `relative` (a static file).
    pub fn copy(&self, from: &Path, relative: &str) -> Result<(), Diagnostic> {
        let path = self.inside(relative)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", &e))?;
        }
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| io_error(&path, "copy to", &e))
    }

    fn inside(&self, relative: &str) -> Result<PathBuf, Diagnostic> {
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
        Ok(self.temp.join(relative_path))
    }

    /// Marks the folder as drehbuch's and swaps it in for the target. The
    /// target path exists at every moment (Linux) or is restored if the
    /// second rename fails.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let marker = self.temp.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(|e| io_error(&marker, "write", &e))?;
        let exists = fs::symlink_metadata(&self.target).is_ok();
        if !exists {
            fs::rename(&self.temp, &self.target)
                .map_err(|e| io_error(&self.target, "create", &e))?;
            self.committed = true;
            return Ok(());
        }
        match exchange(&self.temp, &self.target) {
            Ok(()) => {
                // The temporary path now holds the previous site.
                self.committed = true;
                let _ = fs::remove_dir_all(&self.temp);
                return Ok(());
            }
            Err(e) if e.kind() == io::ErrorKind::Unsupported => {}
            Err(e) => return Err(io_error(&self.target, "replace", &e)),
        }
        let old = create_unique(&self.parent, &format!(".{}.old-", self.name))
            .map_err(|e| io_error(&self.parent, "create a temporary folder in", &e))?;
        // `rename` onto an existing empty folder replaces it.
        fs::rename(&self.target, &old).map_err(|e| io_error(&self.target, "move aside", &e))?;
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            let _ = fs::rename(&old, &self.target);
            return Err(io_error(&self.target, "replace", &e));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for OutputWriter {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Creates `<parent>/<prefix><16 random hex digits>` exclusively.
fn create_unique(parent: &Path, prefix: &str) -> io::Result<PathBuf> {
    for _ in 0..100 {
        let candidate = parent.join(format!("{prefix}{:016x}", random_u64()));
        match fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
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
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    if let Ok(now) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(now.as_nanos());
    }
    hasher.finish()
}

/// Removes temporary and old folders of earlier builds of this output
/// (only called with the lock held, so none of them is in use). If a build
/// was killed between the two renames of a non-atomic swap, the previous
/// site is put back first.
fn remove_leftovers(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut olds = Vec::new();
    let mut temps = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir {
            continue;
        }
        if is_leftover(&file_name, name, "old") {
            olds.push(entry.path());
        } else if is_leftover(&file_name, name, "tmp") {
            temps.push(entry.path());
        }
    }
    olds.sort();
    if fs::symlink_metadata(target).is_err()
        && let Some(previous) = olds.first().cloned()
        && fs::rename(&previous, target).is_ok()
    {
        olds.retain(|p| *p != previous);
    }
    for path in olds.iter().chain(&temps) {
        let _ = fs::remove_dir_all(path);
    }
}

/// `.public.tmp-<16 hex>` (this version) or `public.tmp-<pid>` (earlier
/// versions), likewise with `old`.
fn is_leftover(file_name: &str, name: &str, kind: &str) -> bool {
    if let Some(suffix) = file_name.strip_prefix(&format!(".{name}.{kind}-")) {
        return suffix.len() == 16 && suffix.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(suffix) = file_name.strip_prefix(&format!("{name}.{kind}-")) {
        return !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit());
    }
    false
}

/// Atomically exchanges two existing paths (Linux `renameat2`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the
    // call; AT_FDCWD makes relative paths relative to the working folder.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        return Ok(());
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        // Kernel or file system without RENAME_EXCHANGE: use two renames.
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "RENAME_EXCHANGE is not supported here",
        )),
        _ => Err(error),
    }
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
    use super::is_leftover;

    #[test]
    fn only_our_own_leftover_names_are_recognised() {
        assert!(is_leftover(".public.tmp-0123456789abcdef", "public", "tmp"));
        assert!(is_leftover("public.old-4711", "public", "old"));
        assert!(!is_leftover(".public.tmp-xyz", "public", "tmp"));
        assert!(!is_leftover("public.tmp-", "public", "tmp"));
        assert!(!is_leftover("public-notes", "public", "tmp"));
        assert!(!is_leftover(".other.tmp-0123456789abcdef", "public", "tmp"));
    }
}
