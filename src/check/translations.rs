//! Translation status: for every page and language, whether a translation
//! is present, missing or outdated. A translation records the version of
//! its original it was made from (`translated_from:`, a short hash of the
//! original's body, written by `drehbuch translations confirm`). Without
//! that record, git history decides (original committed after its
//! translation); a shallow clone is detected and said plainly.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config::SiteConfig;
use crate::content::pairing::original_of;
use crate::content::{Content, front_matter};
use crate::diagnostics::{Diagnostic, Severity, SourceFile};

/// The state of one page in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Status {
    /// The original itself.
    Original,
    /// A translation made from the current original.
    Current,
    /// A translation made from an older original.
    Outdated {
        /// How this was decided: `translated_from` or `git`.
        by: String,
        /// Lines of the original changed since (line number, text).
        changed_lines: Vec<(usize, String)>,
    },
    /// No translation in this language.
    Missing,
    /// Cannot tell (no record and no usable git history).
    Unknown {
        /// Why not.
        reason: String,
        /// The translation, for the command that records its state.
        file: PathBuf,
    },
}

/// One page (translation group) across all languages.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The original's file.
    pub original: PathBuf,
    /// Status per language, in site order.
    pub languages: Vec<(String, Status)>,
}

/// A short, stable hash of a Markdown body: line endings and trailing
/// spaces do not count.
pub fn body_hash(body: &str) -> String {
    let mut hasher = Sha256::new();
    for line in body.lines() {
        hasher.update(line.trim_end().as_bytes());
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Where git stands for the site folder.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Git {
    Available,
    Shallow,
    Missing,
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    crate::sources::git::run(root, args)
}

fn git_state(root: &Path) -> Git {
    match git(root, &["rev-parse", "--is-shallow-repository"])
        .as_deref()
        .map(str::trim)
    {
        Some("true") => Git::Shallow,
        Some(_) => Git::Available,
        None => Git::Missing,
    }
}

/// The status table and a warning per outdated translation.
pub fn status(root: &Path, config: &SiteConfig, content: &Content) -> (Vec<Row>, Vec<Diagnostic>) {
    let git_state = git_state(root);
    // When each file was last committed: one `git log` for all of them.
    let commits = match git_state {
        Git::Available => crate::sources::git::last_changes(root),
        _ => HashMap::new(),
    };
    let mut rows = Vec::new();
    let mut diagnostics = Vec::new();
    for members in content.groups.values() {
        let real: std::collections::BTreeMap<&String, &usize> = members
            .iter()
            .filter(|(_, id)| content.pages[**id].stand_in_for.is_none())
            .collect();
        let Some(original_id) = original_of(members, config) else {
            continue;
        };
        let original = &content.pages[original_id];
        // Rows of a data file keep their languages side by side in one row;
        // there is no separate translation to fall behind.
        if original.stand_in_for.is_some() || original.file.is_embedded() {
            continue;
        }
        let current_hash = body_hash(original.body_text());
        let mut languages = Vec::new();
        for language in &config.languages {
            let status = match real.get(&language.code) {
                None => Status::Missing,
                Some(&&id) if id == original_id => Status::Original,
                Some(&&id) => {
                    let page = &content.pages[id];
                    let status = translation_status(
                        root,
                        &git_state,
                        &commits,
                        original,
                        page,
                        &current_hash,
                    );
                    if let Status::Outdated { by, changed_lines } = &status {
                        let mut d = Diagnostic::file_error(
                            &page.file.path,
                            format!("translation is outdated: {} changed since it was translated ({by})", original.file.path.display()),
                        )
                        .with_kind("outdated-translation");
                        d.severity = Severity::Warning;
                        let shown: Vec<String> = changed_lines
                            .iter()
                            .take(5)
                            .map(|(n, text)| format!("line {n}: {text}"))
                            .collect();
                        d = d.with_help(if shown.is_empty() {
                            "update the translation, then run `drehbuch translations confirm` on it".to_string()
                        } else {
                            format!(
                                "changed in the original: {}{}; update the translation, then run `drehbuch translations confirm {}`",
                                shown.join(" | "),
                                if changed_lines.len() > 5 { " | …" } else { "" },
                                page.file.path.display()
                            )
                        });
                        diagnostics.push(d);
                    }
                    status
                }
            };
            languages.push((language.code.clone(), status));
        }
        rows.push(Row {
            original: original.file.path.clone(),
            languages,
        });
    }
    rows.sort_by(|a, b| a.original.cmp(&b.original));
    if git_state == Git::Shallow
        && rows.iter().any(|r| {
            r.languages
                .iter()
                .any(|(_, s)| matches!(s, Status::Unknown { .. }))
        })
    {
        diagnostics.push(
            Diagnostic::global(
                Severity::Warning,
                "this is a shallow git clone: translations without `translated_from` cannot be compared with their originals",
            )
            .with_help("fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` in CI), or record versions with `drehbuch translations confirm`")
            .with_kind("translation-history"),
        );
    }
    (rows, diagnostics)
}

fn translation_status(
    root: &Path,
    git_state: &Git,
    commits: &HashMap<PathBuf, jiff::Timestamp>,
    original: &crate::content::Page,
    translation: &crate::content::Page,
    current_hash: &str,
) -> Status {
    let original_path = root.join(&original.file.path);
    if let Some(recorded) = &translation.front.translated_from {
        if recorded == current_hash {
            return Status::Current;
        }
        let changed_lines = match git_state {
            Git::Available => old_body(root, &original_path, recorded)
                .map(|old| {
                    let first_line = original.file.line_col(original.body.start).0;
                    changed_lines(&old, original.body_text(), first_line)
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        return Status::Outdated {
            by: "translated_from".into(),
            changed_lines,
        };
    }
    match git_state {
        Git::Missing => Status::Unknown {
            reason: "no `translated_from` and no git history (the site folder is not in a git repository)".into(),
            file: translation.file.path.clone(),
        },
        Git::Shallow => Status::Unknown {
            reason: "no `translated_from`, and the git clone is shallow".into(),
            file: translation.file.path.clone(),
        },
        Git::Available => {
            match (
                commits.get(&original.file.path),
                commits.get(&translation.file.path),
            ) {
                (Some(o), Some(t)) if o > t => Status::Outdated {
                    by: "git: the original was committed after the translation".into(),
                    changed_lines: Vec::new(),
                },
                (Some(_), Some(_)) => Status::Current,
                _ => Status::Unknown {
                    reason: "not committed yet, and no `translated_from`".into(),
                    file: translation.file.path.clone(),
                },
            }
        }
    }
}

/// The body of the committed version of `path` whose hash is `hash`.
fn old_body(root: &Path, path: &Path, hash: &str) -> Option<String> {
    let relative = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    let commits = git(root, &["log", "--format=%H", "--", &relative])?;
    commits.lines().take(200).find_map(|commit| {
        let text = git(root, &["show", &format!("{commit}:{relative}")])?;
        let file = SourceFile::new(path.to_path_buf(), text);
        let split = front_matter::split(&file).ok()?;
        let body = &file.text[split.body];
        (body_hash(body) == hash).then(|| body.to_string())
    })
}

/// Lines of the current original's body `new` (with file line numbers,
/// its first line being `first_line`) that are not in the old body, by
/// similar's Myers diff of lines, which bounds its search on long, very
/// different bodies instead of giving up.
fn changed_lines(old: &str, new: &str, first_line: usize) -> Vec<(usize, String)> {
    let old: Vec<&str> = old.lines().map(str::trim_end).collect();
    let new: Vec<&str> = new.lines().map(str::trim_end).collect();
    similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new)
        .iter()
        .flat_map(|op| match *op {
            similar::DiffOp::Insert {
                new_index, new_len, ..
            }
            | similar::DiffOp::Replace {
                new_index, new_len, ..
            } => new_index..new_index + new_len,
            similar::DiffOp::Equal { .. } | similar::DiffOp::Delete { .. } => 0..0,
        })
        .filter(|&j| !new[j].trim().is_empty())
        .map(|j| (first_line + j, new[j].to_string()))
        .collect()
}

/// Writes `translated_from: <hash of the original's body>` into the front
/// matter of each translation file (atomically). Returns what was done.
pub fn confirm(
    root: &Path,
    config: &SiteConfig,
    content: &Content,
    files: &[PathBuf],
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut done = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let wanted = std::fs::canonicalize(file).ok();
        let Some(page) = content.pages.iter().find(|p| {
            p.stand_in_for.is_none()
                && wanted.is_some()
                && std::fs::canonicalize(root.join(&p.file.path)).ok() == wanted
        }) else {
            errors.push(
                Diagnostic::file_error(file, "not a content file of this site")
                    .with_help("name a translation under content/, e.g. content/cards/heat.en.md"),
            );
            continue;
        };
        let Some(original_id) = original_of(&content.groups[&page.group], config) else {
            continue;
        };
        let original = &content.pages[original_id];
        if std::ptr::eq(original, page) {
            errors.push(
                Diagnostic::file_error(&page.file.path, "this file is the original, not a translation")
                    .with_help(format!("confirm its translations instead (the original is in the default language, {})", config.default_language)),
            );
            continue;
        }
        let hash = body_hash(original.body_text());
        let target = root.join(&page.file.path);
        if let Err(e) = set_translated_from(&target, &hash) {
            errors.push(Diagnostic::file_error(
                &page.file.path,
                format!("cannot write: {e}"),
            ));
            continue;
        }
        done.push(format!(
            "{}: translated_from: {hash} (from {})",
            page.file.path.display(),
            original.file.path.display()
        ));
    }
    if errors.is_empty() {
        Ok(done)
    } else {
        Err(errors)
    }
}

/// Writes `translated_from: <hash>` into the front matter of the file at
/// `path` (through a link inside the site, to the file it names), keeping
/// every other byte (BOM, line endings, NUL bytes) and the file's mode.
/// The new text goes into a temporary file that tempfile creates
/// exclusively beside it (`.<name>.<random>.tmp`, readable only by its
/// owner, never through a link, removed if anything fails), synced, then
/// renamed over the file.
fn set_translated_from(path: &Path, hash: &str) -> std::io::Result<()> {
    use std::io::Write;
    let real = std::fs::canonicalize(path)?;
    let bytes = std::fs::read(&real)?;
    let permissions = std::fs::metadata(&real)?.permissions();
    let edited = with_front_matter_line(
        &bytes,
        b"translated_from:",
        format!("translated_from: {hash}").as_bytes(),
    )
    .ok_or_else(|| std::io::Error::other("the file has no front matter block"))?;
    let dir = real.parent().unwrap_or(Path::new("."));
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(&edited)?;
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(&real).map_err(|e| e.error)?;
    // The rename itself survives a crash once the folder is synced.
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// `bytes` with the front matter line that starts with `key` replaced by
/// `line`, or `line` added as the block's last line (with the line ending
/// of the line before it). Every other byte stays. `None` when the file
/// does not start with a front matter block (after an optional BOM).
fn with_front_matter_line(bytes: &[u8], key: &[u8], line: &[u8]) -> Option<Vec<u8>> {
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut lines = Vec::new();
    let mut at = start;
    while at < bytes.len() {
        let end = bytes[at..]
            .iter()
            .position(|b| *b == b'\n')
            .map(|i| at + i + 1)
            .unwrap_or(bytes.len());
        lines.push(at..end);
        at = end;
    }
    let content = |range: &std::ops::Range<usize>| {
        let line = &bytes[range.clone()];
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        line.strip_suffix(b"\r").unwrap_or(line)
    };
    let is_fence = |range: &std::ops::Range<usize>| content(range).trim_ascii_end() == b"---";
    if !lines.first().is_some_and(is_fence) {
        return None;
    }
    let closing = lines.iter().skip(1).position(is_fence)? + 1;
    let mut out = Vec::with_capacity(bytes.len() + line.len() + 2);
    match lines[1..closing]
        .iter()
        .find(|l| content(l).starts_with(key))
    {
        Some(existing) => {
            let end = existing.start + content(existing).len();
            out.extend_from_slice(&bytes[..existing.start]);
            out.extend_from_slice(line);
            out.extend_from_slice(&bytes[end..]);
        }
        None => {
            let before = &lines[closing - 1];
            let ending = &bytes[before.start + content(before).len()..before.end];
            let ending: &[u8] = if ending.is_empty() { b"\n" } else { ending };
            let insert_at = lines[closing].start;
            out.extend_from_slice(&bytes[..insert_at]);
            out.extend_from_slice(line);
            out.extend_from_slice(ending);
            out.extend_from_slice(&bytes[insert_at..]);
        }
    }
    Some(out)
}

/// The status table as text, one column per language.
pub fn table(rows: &[Row], config: &SiteConfig, only: Option<&str>) -> String {
    let codes: Vec<&str> = config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .filter(|c| only.is_none_or(|o| o == *c))
        .collect();
    let width = rows
        .iter()
        .map(|r| r.original.display().to_string().chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!("{:width$}", "page");
    for code in &codes {
        out.push_str(&format!("  {code:10}"));
    }
    out.push('\n');
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for row in rows {
        out.push_str(&format!("{:width$}", row.original.display().to_string()));
        for (code, status) in row
            .languages
            .iter()
            .filter(|(c, _)| codes.contains(&c.as_str()))
        {
            let word = match status {
                Status::Original => "original",
                Status::Current => "ok",
                Status::Outdated { .. } => "OUTDATED",
                Status::Missing => "missing",
                Status::Unknown { .. } => "unknown",
            };
            if !matches!(status, Status::Original) {
                *counts.entry(word).or_default() += 1;
            }
            let _ = code;
            out.push_str(&format!("  {word:10}"));
        }
        out.push('\n');
    }
    let summary: Vec<String> = counts.iter().map(|(w, n)| format!("{n} {w}")).collect();
    out.push_str(&format!(
        "translations: {}\n",
        if summary.is_empty() {
            "none".into()
        } else {
            summary.join(", ")
        }
    ));
    out.push_str(&unknown_notes(rows, &codes));
    out
}

/// Why the table says `unknown`, once per reason, with the command that
/// records a checked translation (for the first such file).
fn unknown_notes(rows: &[Row], codes: &[&str]) -> String {
    let mut reasons: Vec<(&str, &Path)> = Vec::new();
    for row in rows {
        for (code, status) in &row.languages {
            if let Status::Unknown { reason, file } = status
                && codes.contains(&code.as_str())
                && !reasons.iter().any(|(r, _)| r == reason)
            {
                reasons.push((reason, file));
            }
        }
    }
    let mut out = String::new();
    for (reason, file) in reasons {
        out.push_str(&format!(
            "unknown: {reason}\n  help: check a translation against its original, then record it with `drehbuch translations confirm {}`; in a git repository, commit history decides too\n",
            file.display()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_front_matter_line_changes() {
        let key = b"translated_from:";
        let line = b"translated_from: abc";
        assert_eq!(
            with_front_matter_line(b"---\ntitle: T\n---\nBody\0\n", key, line).unwrap(),
            b"---\ntitle: T\ntranslated_from: abc\n---\nBody\0\n"
        );
        assert_eq!(
            with_front_matter_line(
                b"\xEF\xBB\xBF---\r\ntranslated_from: old\r\ntitle: T\r\n---\r\n",
                key,
                line
            )
            .unwrap(),
            b"\xEF\xBB\xBF---\r\ntranslated_from: abc\r\ntitle: T\r\n---\r\n"
        );
        // A `translated_from:` in the body is not touched.
        assert_eq!(
            with_front_matter_line(b"---\ntitle: T\n---\ntranslated_from: x\n", key, line).unwrap(),
            b"---\ntitle: T\ntranslated_from: abc\n---\ntranslated_from: x\n"
        );
        assert!(with_front_matter_line(b"no front matter\n", key, line).is_none());
        assert!(with_front_matter_line(b"---\ntitle: T\n", key, line).is_none());
    }

    #[test]
    fn changed_lines_are_the_new_ones_with_their_line_numbers() {
        let old = "# Hitze\n\nTrinken.\nSchatten.\n";
        let new = "# Hitze\n\nViel trinken.\nSchatten.  \n\nNeu.\n";
        assert_eq!(
            changed_lines(old, new, 5),
            [(7, "Viel trinken.".to_string()), (10, "Neu.".to_string())]
        );
        assert_eq!(changed_lines(old, old, 5), []);
    }

    #[test]
    fn changed_lines_are_found_in_long_bodies_too() {
        // 3,000 lines each: nine million cells for a table of all pairs.
        let old: String = (0..3000).map(|i| format!("Zeile {i}\n")).collect();
        let new = old.replace("Zeile 1500\n", "Zeile 1500, neu\n");
        assert_eq!(
            changed_lines(&old, &new, 1),
            [(1501, "Zeile 1500, neu".to_string())]
        );
    }

    #[test]
    fn every_line_of_a_rewritten_long_body_is_changed() {
        let old: String = (0..20_000).map(|i| format!("alt {i}\n")).collect();
        let new: String = (0..20_000).map(|i| format!("neu {i}\n")).collect();
        let changed = changed_lines(&old, &new, 1);
        assert_eq!(changed.len(), 20_000);
        assert_eq!(changed[19_999], (20_000, "neu 19999".to_string()));
    }

    #[test]
    fn hash_ignores_line_endings_and_trailing_spaces() {
        assert_eq!(body_hash("a\nb\n"), body_hash("a  \r\nb\r\n"));
        assert_ne!(body_hash("a\nb\n"), body_hash("a\nc\n"));
        assert_eq!(body_hash("x").len(), 12);
    }
}
