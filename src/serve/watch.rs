//! Watching the site folder: `notify` events become batches of changed
//! paths. A burst of events (an editor writing a temporary file and renaming
//! it, several files saved at once, a `git checkout`) becomes one batch:
//! a batch ends after a short quiet spell. Editor swap and backup files
//! and everything outside the site's inputs are ignored. The watcher knows
//! nothing about HTTP; it only hands over paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How long the folder must be quiet before a batch is handed over.
const QUIET: Duration = Duration::from_millis(30);
/// How long it must be quiet after a file was saved (written and closed,
/// or renamed into place), while the batch holds only one or two files:
/// an editor's save is then complete, and a bulk change (a `git
/// checkout`, a copy) soon has more files and waits for [`QUIET`].
const SAVED: Duration = Duration::from_millis(4);
/// The most files a batch may hold for [`SAVED`] to apply.
const FEW: usize = 2;
/// The longest a batch waits while events keep coming.
const MAX_WAIT: Duration = Duration::from_millis(600);

/// The top-level entries of a site that are inputs.
const INPUTS: [&str; 7] = [
    "site.yaml",
    "content",
    "templates",
    "themes",
    "i18n",
    "static",
    "data",
];

/// A running watcher; dropping it stops watching.
pub(crate) struct FolderWatcher {
    _watcher: RecommendedWatcher,
}

/// Starts watching `root`; batches of changed paths (absolute) arrive on
/// the returned channel.
pub(crate) fn watch(root: &Path) -> Result<(FolderWatcher, Receiver<Vec<PathBuf>>), String> {
    let root =
        std::fs::canonicalize(root).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let (raw_tx, raw_rx) = mpsc::channel::<(PathBuf, bool)>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let saved = is_save(&event.kind);
        if matches!(event.kind, notify::EventKind::Access(_)) && !saved {
            return;
        }
        // A rename names the old path, then the new one: the save is
        // complete at the new one.
        let last = event.paths.len().saturating_sub(1);
        for (i, path) in event.paths.into_iter().enumerate() {
            let _ = raw_tx.send((path, saved && i == last));
        }
    })
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    watcher
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let (batch_tx, batch_rx) = mpsc::channel::<Vec<PathBuf>>();
    std::thread::Builder::new()
        .name("drehbuch-watch".into())
        .spawn(move || {
            while let Ok((first, saved)) = raw_rx.recv() {
                let mut batch = BTreeSet::new();
                if is_input(&root, &first) {
                    batch.insert(first);
                }
                let mut quiet = quiet_after(saved, batch.len());
                let started = Instant::now();
                loop {
                    let left = MAX_WAIT.saturating_sub(started.elapsed());
                    match raw_rx.recv_timeout(quiet.min(left)) {
                        Ok((path, saved)) => {
                            if is_input(&root, &path) {
                                batch.insert(path);
                            }
                            quiet = quiet_after(saved, batch.len());
                            if started.elapsed() >= MAX_WAIT {
                                break;
                            }
                        }
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if !batch.is_empty() && batch_tx.send(batch.into_iter().collect()).is_err() {
                    return;
                }
            }
        })
        .map_err(|e| format!("cannot start the watcher: {e}"))?;
    Ok((FolderWatcher { _watcher: watcher }, batch_rx))
}

/// Whether an event ends the save of a file: written and closed, or
/// renamed into place.
fn is_save(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
    matches!(
        kind,
        notify::EventKind::Access(AccessKind::Close(AccessMode::Write))
            | notify::EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    )
}

/// How long to wait for more events after one (`saved`: it ended the
/// save of a file) while the batch holds `files` paths.
fn quiet_after(saved: bool, files: usize) -> Duration {
    if saved && files <= FEW { SAVED } else { QUIET }
}

/// Whether a changed path is an input of the site and not an editor's
/// scratch file.
pub(crate) fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let Some(first) = relative.iter().next().and_then(|p| p.to_str()) else {
        return false;
    };
    if !INPUTS.contains(&first) {
        return false;
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !is_scratch(name)
}

/// Editor swap, backup and lock files: `.x.swp`, `x~`, `.#x`, `#x#`,
/// Vim's write test `4913`, `x.tmp`.
pub(crate) fn is_scratch(name: &str) -> bool {
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.ends_with(".tmp")
        || name.ends_with(".crswap")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_save_of_one_file_is_taken_soon_and_a_bulk_change_waits() {
        use notify::EventKind;
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RenameMode,
        };
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let created = EventKind::Create(CreateKind::File);
        assert!(is_save(&closed) && is_save(&renamed));
        assert!(!is_save(&written) && !is_save(&created));
        assert!(!is_save(&EventKind::Access(AccessKind::Read)));
        // One file written and closed, or a temporary file renamed over it.
        assert_eq!(quiet_after(true, 1), SAVED);
        assert_eq!(quiet_after(true, 2), SAVED);
        // Still being written.
        assert_eq!(quiet_after(false, 1), QUIET);
        // Many files: a checkout or a copy, which may pause between files.
        assert_eq!(quiet_after(true, 3), QUIET);
        assert!(SAVED < QUIET);
    }

    #[test]
    fn scratch_files_and_other_folders_are_ignored() {
        let root = Path::new("/site");
        assert!(is_input(root, Path::new("/site/content/a.de.md")));
        assert!(is_input(root, Path::new("/site/site.yaml")));
        assert!(!is_input(root, Path::new("/site/content/.a.de.md.swp")));
        assert!(!is_input(root, Path::new("/site/content/a.de.md~")));
        assert!(!is_input(root, Path::new("/site/content/.#a.de.md")));
        assert!(!is_input(root, Path::new("/site/content/4913")));
        assert!(!is_input(root, Path::new("/site/public/index.html")));
        assert!(!is_input(root, Path::new("/site/.git/index")));
        assert!(!is_input(root, Path::new("/elsewhere/content/a.md")));
    }
}
