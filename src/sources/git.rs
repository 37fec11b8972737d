//! What git knows about the site's files: when each was first and last
//! committed. Feeds and the sitemap date pages that set neither `updated`
//! nor `date` by their file's last commit, and feeds take the first as
//! such a page's `published`; both are stable from build to build (a
//! file's modification time is not: a fresh clone resets it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jiff::Timestamp;

/// Runs `git <args>` in `root`; its output, or `None` when git is missing,
/// `root` is not in a repository, or the command fails.
pub(crate) fn run(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("--no-pager")
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// When a file was committed: its first and its last commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitDates {
    /// The commit that added the file (the oldest that touched it).
    pub first: Timestamp,
    /// The newest commit that changed it.
    pub last: Timestamp,
}

/// The last commit time of every committed file under `content/` and
/// `data/`, by path relative to `root` (`content/cards/x.de.md`). One
/// `git log` call; empty outside a repository. Uncommitted edits keep
/// their file's last commit time.
pub(crate) fn last_changes(root: &Path) -> HashMap<PathBuf, Timestamp> {
    commit_dates(root)
        .into_iter()
        .map(|(path, dates)| (path, dates.last))
        .collect()
}

/// The first and last commit time of every committed file under
/// `content/` and `data/`, as [`last_changes`]. A file that was deleted
/// and added again counts from its first addition.
pub(crate) fn commit_dates(root: &Path) -> HashMap<PathBuf, CommitDates> {
    let Some(log) = run(
        root,
        &[
            "-c",
            "core.quotePath=false",
            "log",
            "--relative",
            "--no-renames",
            "--name-only",
            "--format=%x01%cI",
            "--",
            "content",
            "data",
        ],
    ) else {
        return HashMap::new();
    };
    parse_log(&log)
}

/// Reads `git log --name-only --format=%x01%cI` output: newest commits
/// come first, so a file's first mention is its last change and its last
/// mention its first commit.
fn parse_log(log: &str) -> HashMap<PathBuf, CommitDates> {
    let mut dates: HashMap<PathBuf, CommitDates> = HashMap::new();
    let mut current: Option<Timestamp> = None;
    for line in log.lines() {
        if let Some(date) = line.strip_prefix('\u{1}') {
            current = date.trim().parse().ok();
        } else if let (Some(date), false) = (current, line.trim().is_empty()) {
            dates
                .entry(PathBuf::from(line))
                .and_modify(|d| d.first = date)
                .or_insert(CommitDates {
                    first: date,
                    last: date,
                });
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_is_the_last_and_the_oldest_the_first() {
        let log = "\u{1}2026-11-28T10:00:00+01:00\n\ncontent/a.md\n\u{1}2026-01-01T00:00:00Z\n\ncontent/a.md\ncontent/b.md\n\u{1}not a date\n\ncontent/c.md\n";
        let dates = parse_log(log);
        let a = dates[Path::new("content/a.md")];
        assert_eq!(a.last.to_string(), "2026-11-28T09:00:00Z");
        assert_eq!(a.first.to_string(), "2026-01-01T00:00:00Z");
        let b = dates[Path::new("content/b.md")];
        assert_eq!(b.last.to_string(), "2026-01-01T00:00:00Z");
        assert_eq!(b.first, b.last);
        assert!(!dates.contains_key(Path::new("content/c.md")));
    }
}
