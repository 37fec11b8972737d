//! Which folder a build may replace. A build replaces its output folder
//! as a whole, so pointing `--output` at the wrong folder must never cost
//! a user their files. drehbuch replaces a folder only when it is missing,
//! empty, or holds nothing but what the last build of this very folder
//! wrote: every build leaves a [`MARKER`] file that names the folder it was
//! written as and lists every file it wrote (a [`Manifest`]). A copy of an
//! output (`cp -r public/. web/`) carries the marker, but it names the
//! folder it came from, and the files the copy was added to are not in
//! its list: both are refused.
//!
//! `--force` allows replacing an unmarked, foreign or copied folder outside
//! the site and says what it deletes. Never allowed, even with `--force`:
//! the site folder, its ancestors and source folders, `/`, the home folder
//! and its ancestors, system folders, the system's temporary folder, the
//! working folder and its ancestors, and any folder holding a git
//! repository ([`protected`]).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};

/// Name of the marker file every build writes into its output folder.
pub(crate) const MARKER: &str = crate::sources::OUTPUT_MARKER;

/// What the marker file says first, for anyone who wonders what it is
/// (earlier versions wrote only this).
pub(crate) const MARKER_TEXT: &str = "This folder was written by `drehbuch build`.\nEach build replaces it as a whole; do not keep your own files here.\n";

/// The line that starts the machine-readable part of a marker.
const MANIFEST_HEADER: &str = "drehbuch-output: 1";

/// Files that file managers leave in folders they show (view settings and
/// thumbnails): a build may delete them although it did not write them.
const FILE_MANAGER_FILES: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

/// How many unknown entries an error names before "and N more".
const SHOWN_ENTRIES: usize = 5;

/// Folders (and files) of a site that an output folder may never be or lie in.
pub(crate) const SOURCE_FOLDERS: [&str; 8] = [
    "content",
    "templates",
    "themes",
    "static",
    "data",
    "i18n",
    ".git",
    "site.yaml",
];

/// What a build wrote into an output folder: the folder's absolute path
/// (as the build saw it) and every file, `/`-separated, relative to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    /// The output folder the build wrote (resolved, absolute).
    pub folder: String,
    /// Every file written, without the marker itself.
    pub files: BTreeSet<String>,
}

/// What a marker file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    /// Written by this version at the end of a build.
    Manifest(Manifest),
    /// Written into a temporary folder when a build creates it.
    InProgress,
    /// Written by an earlier version: it lists nothing.
    Unlisted,
}

impl Marker {
    /// Reads the marker of `folder`; `None` when there is none (or it is
    /// not a regular file).
    pub(crate) fn read(folder: &Path) -> Option<Marker> {
        let path = folder.join(MARKER);
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let text = fs::read_to_string(&path).unwrap_or_default();
        Some(Marker::parse(&text))
    }

    /// Parses a marker's text (anything unrecognised is an earlier
    /// version's marker, which lists nothing).
    pub(crate) fn parse(text: &str) -> Marker {
        let mut lines = text.lines().skip_while(|l| *l != MANIFEST_HEADER);
        if lines.next().is_none() {
            return Marker::Unlisted;
        }
        let mut manifest = Manifest::default();
        let mut folder_seen = false;
        for line in lines {
            if line == "state: in progress" {
                return Marker::InProgress;
            }
            let quoted = |prefix: &str| {
                line.strip_prefix(prefix)
                    .and_then(|q| serde_json::from_str::<String>(q).ok())
            };
            if let Some(folder) = quoted("folder: ") {
                manifest.folder = folder;
                folder_seen = true;
            } else if let Some(file) = quoted("file: ") {
                manifest.files.insert(file);
            }
        }
        if folder_seen {
            Marker::Manifest(manifest)
        } else {
            Marker::Unlisted
        }
    }
}

impl Manifest {
    /// The marker text that records this manifest.
    pub(crate) fn marker_text(&self) -> String {
        let mut text = format!(
            "{MARKER_TEXT}A build refuses to replace it when it holds anything not listed below,\nor when it was copied here from the folder named below.\n\n{MANIFEST_HEADER}\nfolder: {}\n",
            quoted(&self.folder)
        );
        for file in &self.files {
            text.push_str("file: ");
            text.push_str(&quoted(file));
            text.push('\n');
        }
        text
    }
}

/// The marker text of a temporary folder while a build writes it.
pub(crate) fn in_progress_text() -> String {
    format!(
        "This folder is being written by `drehbuch build`; a build removes it when it ends,\nor the next build does if this one was stopped.\n\n{MANIFEST_HEADER}\nstate: in progress\n"
    )
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The files a folder may hold because a build wrote them, and the
/// folders that hold them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Known {
    files: HashSet<String>,
    folders: HashSet<String>,
}

impl Known {
    /// The files in `files` and every folder above them.
    pub(crate) fn new<'a>(files: impl IntoIterator<Item = &'a String>) -> Known {
        let mut known = Known::default();
        for file in files {
            known.add(file);
        }
        known
    }

    fn add(&mut self, file: &str) {
        let mut at = file;
        while let Some((folder, _)) = at.rsplit_once('/') {
            if !self.folders.insert(folder.to_string()) {
                break;
            }
            at = folder;
        }
        self.files.insert(file.to_string());
    }
}

/// The entries of `folder` (relative, `/`-separated, a folder with a
/// trailing `/`) that are not in `known`, sorted: what a build did not
/// write. A whole unknown folder is one entry. drehbuch's own marker,
/// its provable leftovers and file managers' files do not count.
pub(crate) fn unknown_entries(folder: &Path, known: &Known, name: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut walker = walkdir::WalkDir::new(folder).min_depth(1).into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                // What cannot be read cannot be told apart: it counts as
                // foreign, so it is never deleted unseen.
                if let Some(path) = e.path() {
                    let relative = path.strip_prefix(folder).unwrap_or(path);
                    unknown.push(format!("{} (unreadable)", relative.display()));
                }
                continue;
            }
        };
        let relative = crate::sources::disk::slash_relative(folder, entry.path());
        let is_dir = entry.file_type().is_dir();
        if entry.depth() == 1
            && (relative == MARKER || (is_dir && is_leftover(entry.path(), name).is_some()))
        {
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        if is_dir {
            if !known.folders.contains(&relative) {
                unknown.push(format!("{relative}/"));
                walker.skip_current_dir();
            }
        } else if !known.files.contains(&relative)
            && !FILE_MANAGER_FILES.contains(&entry.file_name().to_string_lossy().as_ref())
        {
            unknown.push(relative);
        }
    }
    unknown.sort();
    unknown
}

/// Whether `path` is a leftover of a build of the output called `name`:
/// its name is exactly `.<name>.tmp-<16 hex digits>` or
/// `.<name>.old-<16 hex digits>`, and it holds drehbuch's marker (which a
/// build writes into such a folder as soon as it creates it). Returns
/// `tmp` or `old`. Folders that only look similar are someone else's.
pub(crate) fn is_leftover(path: &Path, name: &str) -> Option<&'static str> {
    let file_name = path.file_name()?.to_str()?;
    let kind = ["tmp", "old"].into_iter().find(|kind| {
        file_name
            .strip_prefix(&format!(".{name}.{kind}-"))
            .is_some_and(|s| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    })?;
    let is_dir = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    (is_dir && Marker::read(path).is_some()).then_some(kind)
}

/// An output folder that passed the checks.
#[derive(Clone, Debug)]
pub struct OutputTarget {
    /// The absolute path of the folder to replace (need not exist yet).
    pub path: PathBuf,
    /// Entries that `--force` allows to be deleted although no build of
    /// this folder wrote them (zero when nothing foreign is deleted).
    pub forced_entries: usize,
    /// The folder has an earlier version's marker, which does not list
    /// what was written: only files this build writes again may be
    /// replaced, which the writer checks before it swaps.
    pub unlisted: bool,
    /// `--force` was given for a folder outside the site: files no build
    /// listed may be deleted (the writer counts them for an unlisted one).
    pub force: bool,
    /// What is left to check ([`OutputTarget::verify`]).
    pending: Option<Box<Pending>>,
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
pub(crate) fn not_a_folder(root: &Path) -> Option<Diagnostic> {
    (root.exists() && !root.is_dir()).then(|| {
        Diagnostic::global(
            Severity::Error,
            format!("{} is a file, not a site folder", root.display()),
        )
        .with_help("pass the folder that holds site.yaml with --root DIR")
        .with_kind("config")
    })
}

/// "3 entries (a, b, c)", "1 entry (a)", "7 entries (a, b, c, d, e, and 2 more)".
pub(crate) fn describe_entries(entries: &[String]) -> String {
    let count = entries.len();
    let mut shown: Vec<String> = entries.iter().take(SHOWN_ENTRIES).cloned().collect();
    if count > SHOWN_ENTRIES {
        shown.push(format!("and {} more", count - SHOWN_ENTRIES));
    }
    format!(
        "{count} {} ({})",
        if count == 1 { "entry" } else { "entries" },
        shown.join(", ")
    )
}

/// The top-level entries of `folder`, sorted (folders with a trailing `/`).
fn top_level(folder: &Path) -> io::Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(folder)?
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Checks that `output` may be replaced by a build of the site in `root`.
/// Nothing is touched; the error says why not and what to do instead. For
/// a folder the last build of this output wrote, [`OutputTarget::verify`]
/// must follow (it walks the folder).
pub(crate) fn check(root: &Path, output: &Path, force: bool) -> Result<OutputTarget, Diagnostic> {
    let (root, path) = placed(root, output)?;
    let choose_other = CHOOSE_OTHER;
    let inside_site = path.starts_with(&root);
    let found = |forced_entries, unlisted| OutputTarget {
        path: path.clone(),
        forced_entries,
        unlisted,
        force: force && !inside_site,
        pending: None,
    };
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(reason) = protected(&path) {
                return Err(guarded(output, &reason, &[]));
            }
            return Ok(found(0, false));
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
    let entries = top_level(&path)
        .map_err(|e| refuse(output, format!("it cannot be read ({e})"), choose_other))?;
    if let Some(reason) = protected(&path) {
        return Err(guarded(output, &reason, &entries));
    }
    if entries.is_empty() {
        return Ok(found(0, false));
    }
    match ownership(output, &path, entries, inside_site) {
        Ownership::Ours(pending) => {
            let mut target = found(0, false);
            target.pending = pending;
            Ok(target)
        }
        Ownership::Unlisted => Ok(found(0, true)),
        Ownership::Problem(problem) => {
            let entries = problem.2.clone();
            let forced = decide(output, &path, &entries, problem, force, inside_site)?;
            Ok(found(forced, false))
        }
    }
}

/// The help of refusals whose fix is another output folder.
const CHOOSE_OTHER: &str = "choose another --output, for example the default <site>/public";

/// The site folder and the output folder, both resolved, when the output
/// is not the site, does not contain it and is not inside one of its
/// source folders.
fn placed(root: &Path, output: &Path) -> Result<(PathBuf, PathBuf), Diagnostic> {
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
    if root.starts_with(&path) {
        let what = if root == path {
            "it is the site folder itself"
        } else {
            "it contains the site folder"
        };
        return Err(refuse(
            output,
            format!("{what}, so the build would replace your sources"),
            CHOOSE_OTHER,
        ));
    }
    for name in SOURCE_FOLDERS {
        if path.starts_with(root.join(name)) {
            return Err(refuse(
                output,
                format!("it is inside the site's `{name}`, which holds sources"),
                CHOOSE_OTHER,
            ));
        }
    }
    Ok((root, path))
}

/// Whose a non-empty output folder is, by its marker.
enum Ownership {
    /// The folder this build wrote last; whether anything was added since
    /// is checked by [`OutputTarget::verify`] while the site loads.
    Ours(Option<Box<Pending>>),
    /// Marked by a drehbuch that did not list what it wrote.
    Unlisted,
    /// Why it may not be replaced without --force (what, why, and the
    /// entries that would be lost).
    Problem((String, String, Vec<String>)),
}

/// Reads the marker of the non-empty folder `path` (top-level `entries`)
/// and says whose it is.
fn ownership(output: &Path, path: &Path, entries: Vec<String>, inside_site: bool) -> Ownership {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match own_manifests(path, &name) {
        Owned::Unmarked => Ownership::Problem((
            format!(
                "it is not empty ({} {}) and not a drehbuch output folder",
                entries.len(),
                if entries.len() == 1 {
                    "entry"
                } else {
                    "entries"
                }
            ),
            "it was not written by drehbuch (it has no .drehbuch-output marker)".to_string(),
            entries,
        )),
        Owned::Unlisted => Ownership::Unlisted,
        Owned::Listed(manifests) => {
            let here = path.to_string_lossy();
            let Some(other) = manifests.iter().find(|m| m.folder != here) else {
                return Ownership::Ours(Some(Box::new(Pending {
                    output: output.to_path_buf(),
                    manifests,
                    name,
                    entries,
                    inside_site,
                })));
            };
            let known = Known::new(manifests.iter().flat_map(|m| m.files.iter()));
            let unknown = unknown_entries(path, &known, &name);
            let foreign = if unknown.is_empty() {
                String::new()
            } else {
                format!(", and {}", foreign_files(&unknown))
            };
            Ownership::Problem((
                format!(
                    "its .drehbuch-output marker was written for {}, so it was copied here from there{foreign}",
                    other.folder,
                ),
                "a build replaces only the folder it wrote itself; if this one holds nothing but a copy of a build, delete it and build again".to_string(),
                entries,
            ))
        }
    }
}

/// "it holds files the last build did not write: 2 entries (a, b/)".
fn foreign_files(unknown: &[String]) -> String {
    format!(
        "it holds files the last build did not write: {}",
        describe_entries(unknown)
    )
}

/// Whether a folder with a `problem` (the message, why, and the entries
/// that would be lost) may be replaced: only with `--force`, outside the
/// site, and not when it holds a repository. Returns how many entries
/// `--force` deletes.
fn decide(
    output: &Path,
    path: &Path,
    entries: &[String],
    (message, why, lost): (String, String, Vec<String>),
    force: bool,
    inside_site: bool,
) -> Result<usize, Diagnostic> {
    if force && !inside_site {
        if let Some(repository) = nested_repository(path) {
            return Err(guarded(
                output,
                &format!("it holds a git repository ({repository})"),
                entries,
            ));
        }
        return Ok(lost.len());
    }
    let help = if inside_site {
        format!(
            "{why}; if it only holds an earlier build, delete it yourself, or choose another --output"
        )
    } else {
        format!("{why}; else choose an empty or new folder, or pass --force to delete its contents")
    };
    Err(refuse(output, message, &help))
}

/// The rest of the check of a folder marked as this output's own: that it
/// holds nothing else (a walk of the whole folder, so it runs while the
/// site loads).
#[derive(Clone, Debug)]
struct Pending {
    output: PathBuf,
    manifests: Vec<Manifest>,
    name: String,
    entries: Vec<String>,
    inside_site: bool,
}

impl OutputTarget {
    /// Finishes [`check`]: for a folder the last build of this output
    /// wrote, whether anything was added since, which only `--force` (for
    /// a folder outside the site) may delete. Returns how many entries
    /// `--force` allows to be deleted this way.
    pub fn verify(&self) -> Result<usize, Diagnostic> {
        let Some(pending) = &self.pending else {
            return Ok(0);
        };
        let known = Known::new(pending.manifests.iter().flat_map(|m| m.files.iter()));
        let unknown = unknown_entries(&self.path, &known, &pending.name);
        if unknown.is_empty() {
            return Ok(0);
        }
        let problem = (
            foreign_files(&unknown),
            "a build deletes only what an earlier build of this folder wrote; move these files elsewhere".to_string(),
            unknown,
        );
        decide(
            &pending.output,
            &self.path,
            &pending.entries,
            problem,
            self.force,
            pending.inside_site,
        )
    }
}

/// The error for a folder that no build may replace, naming what it holds.
fn guarded(output: &Path, reason: &str, entries: &[String]) -> Diagnostic {
    let deleted = if entries.is_empty() {
        String::new()
    } else {
        format!("; the build would delete its {}", describe_entries(entries))
    };
    Diagnostic::global(
        Severity::Error,
        format!(
            "refusing to use {} as the output folder, even with --force: {reason}{deleted}",
            output.display()
        ),
    )
    .with_kind("output")
    .with_help("build into a new or empty folder of its own, such as ./public or ~/sites/handbook")
}

/// What the markers in and beside an output folder say about who owns it.
enum Owned {
    /// No marker: not drehbuch's.
    Unmarked,
    /// An earlier version's marker, listing nothing.
    Unlisted,
    /// The manifests of the output and of leftovers of an interrupted
    /// in-place replacement inside it (whose files may be in the folder
    /// now), at least one.
    Listed(Vec<Manifest>),
}

fn own_manifests(folder: &Path, name: &str) -> Owned {
    let own = Marker::read(folder);
    if matches!(own, Some(Marker::Unlisted | Marker::InProgress)) {
        return Owned::Unlisted;
    }
    let mut manifests: Vec<Manifest> = match own {
        Some(Marker::Manifest(m)) => vec![m],
        _ => Vec::new(),
    };
    if let Ok(entries) = fs::read_dir(folder) {
        for entry in entries.flatten() {
            if is_leftover(&entry.path(), name).is_some()
                && let Some(Marker::Manifest(m)) = Marker::read(&entry.path())
            {
                manifests.push(m);
            }
        }
    }
    if manifests.is_empty() {
        Owned::Unmarked
    } else {
        Owned::Listed(manifests)
    }
}

/// The first `.git` inside `folder` (relative), not following links.
fn nested_repository(folder: &Path) -> Option<String> {
    walkdir::WalkDir::new(folder)
        .min_depth(1)
        .into_iter()
        .flatten()
        .find(|e| e.file_name() == ".git")
        .map(|e| {
            e.path()
                .strip_prefix(folder)
                .unwrap_or(e.path())
                .to_string_lossy()
                .into_owned()
        })
}

/// Why `path` (resolved) may never be an output folder, not even with
/// `--force`: it is the root, a system folder, the home folder or one
/// above it, the temporary folder, the working folder or one above it, or
/// it holds a git repository.
pub(crate) fn protected(path: &Path) -> Option<String> {
    if path.parent().is_none() {
        return Some("it is the root of a file system".into());
    }
    let same = |a: &Path, b: &Path| {
        if cfg!(windows) || cfg!(target_os = "macos") {
            a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
        } else {
            a == b
        }
    };
    let real = |p: PathBuf| fs::canonicalize(&p).unwrap_or(p);
    if let Some(home) = std::env::home_dir().filter(|h| !h.as_os_str().is_empty()) {
        let home = real(home);
        if same(&home, path) {
            return Some("it is your home folder".into());
        }
        if home.starts_with(path) {
            return Some("it contains your home folder".into());
        }
    }
    if SYSTEM_FOLDERS.iter().any(|s| {
        let folder = system_path(s);
        same(&folder, path) || same(&real(folder), path)
    }) {
        return Some("it is a system folder".into());
    }
    if same(&real(std::env::temp_dir()), path) {
        return Some("it is the system's temporary folder".into());
    }
    if let Ok(cwd) = std::env::current_dir() {
        let cwd = real(cwd);
        if same(&cwd, path) {
            return Some("it is the working folder".into());
        }
        if cwd.starts_with(path) {
            return Some("it contains the working folder".into());
        }
    }
    if fs::symlink_metadata(path.join(".git")).is_ok() {
        return Some("it holds a git repository (.git)".into());
    }
    None
}

/// Folders of the operating system that hold programs, settings or
/// other people's files.
#[cfg(not(windows))]
const SYSTEM_FOLDERS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/media",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/snap",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/lib",
    "/var/log",
    "/var/tmp",
    // macOS
    "/Applications",
    "/Library",
    "/System",
    "/Users",
    "/Volumes",
    "/cores",
    "/private",
    "/private/etc",
    "/private/tmp",
    "/private/var",
    "/opt/homebrew",
];

/// Folders of the operating system that hold programs, settings or
/// other people's files (on the system drive).
#[cfg(windows)]
const SYSTEM_FOLDERS: &[&str] = &[
    "Windows",
    "Program Files",
    "Program Files (x86)",
    "ProgramData",
    "Users",
    "Users\\Public",
];

#[cfg(not(windows))]
fn system_path(folder: &str) -> PathBuf {
    PathBuf::from(folder)
}

#[cfg(windows)]
fn system_path(folder: &str) -> PathBuf {
    let drive = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".into());
    PathBuf::from(format!("{drive}\\{folder}"))
}

/// Whether `folder` holds drehbuch's marker file (a regular file, not a link).
pub(crate) fn is_marked(folder: &Path) -> bool {
    fs::symlink_metadata(folder.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// The absolute form of `path` with symbolic links of its existing part
/// resolved and `.`/`..` of the rest applied, so two spellings of one folder
/// compare equal. The last component itself is not followed if it is a link.
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
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

    #[cfg(unix)]
    #[test]
    fn the_root_and_system_folders_are_protected() {
        // Only the pure check: a build is never pointed at these, even in a test.
        for folder in ["/", "/usr", "/etc", "/var", "/bin", "/home", "/tmp"] {
            assert!(
                protected(&resolve(Path::new(folder)).unwrap()).is_some(),
                "{folder}"
            );
        }
        assert!(protected(Path::new("/usr/share/nonexistent-drehbuch-site")).is_none());
    }

    #[test]
    fn markers_round_trip_and_old_ones_list_nothing() {
        let manifest = Manifest {
            folder: "/srv/site \"x\"".into(),
            files: ["de/index.html".to_string(), "a\nb.txt".to_string()]
                .into_iter()
                .collect(),
        };
        assert_eq!(
            Marker::parse(&manifest.marker_text()),
            Marker::Manifest(manifest)
        );
        assert_eq!(Marker::parse(MARKER_TEXT), Marker::Unlisted);
        assert_eq!(Marker::parse(&in_progress_text()), Marker::InProgress);
    }

    #[test]
    fn entries_are_described_with_a_count_and_the_first_names() {
        let names: Vec<String> = (1..=7).map(|i| format!("f{i}")).collect();
        assert_eq!(
            describe_entries(&names),
            "7 entries (f1, f2, f3, f4, f5, and 2 more)"
        );
        assert_eq!(describe_entries(&names[..1]), "1 entry (f1)");
    }
}
