//! The sensor datasets of a site: every `data/sensors/<dataset>/summary.json`,
//! loaded (and checked) once when the site loads, so nothing reads files
//! while rendering; a summary that cannot be read is an error at its file,
//! a value out of range an error at its line.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use drehbuch_sensors::{MAX_INVALID_SHOWN, SensorError, Summary};

use crate::diagnostics::{Diagnostic, FOLD_AFTER, SourceFile};
use crate::markdown::shortcodes::{ArgValue, ShortcodeCall};
use crate::sources::SiteDir;

// A refused summary lists as many values as a build shows problems of a kind.
const _: () = assert!(MAX_INVALID_SHOWN == FOLD_AFTER);

/// The sensor summaries of a site, by dataset folder name.
#[derive(Debug, Default)]
pub struct Datasets {
    summaries: BTreeMap<String, Arc<Summary>>,
    /// Datasets whose summary exists but could not be read (reported at
    /// the file), so a chart of them does not claim it is missing.
    unreadable: Vec<String>,
}

impl Datasets {
    /// Loads every `data/sensors/<name>/summary.json`. A summary that
    /// cannot be read is a diagnostic at its path (and the dataset is
    /// noted, so charts of it say it could not be read).
    pub fn load(site: &SiteDir) -> (Datasets, Vec<Diagnostic>) {
        let mut summaries = BTreeMap::new();
        let mut unreadable = Vec::new();
        let mut problems = Vec::new();
        let folder = site.root.join("data/sensors");
        let (files, mut walk_problems) = site.walk(&folder, true);
        problems.append(&mut walk_problems);
        for file in files {
            let Some(name) = file.relative.strip_suffix("/summary.json") else {
                continue;
            };
            if name.contains('/') {
                continue;
            }
            match Summary::load(&file.path) {
                Ok(summary) => {
                    summaries.insert(name.to_string(), Arc::new(summary));
                }
                Err(SensorError::Invalid {
                    problems: invalid,
                    total,
                    ..
                }) => {
                    // Each value out of range at its line, with its JSON path.
                    unreadable.push(name.to_string());
                    let text = std::fs::read(&file.path)
                        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                        .unwrap_or_default();
                    let source = SourceFile::new(site.shown(&file.path), text);
                    let shown = MAX_INVALID_SHOWN;
                    for (i, value) in invalid.iter().enumerate() {
                        let mut d = source
                            .error(
                                value.offset..value.offset + 1,
                                format!("{}: {}", value.json_path, value.message),
                            )
                            .with_kind("dataset")
                            .with_help("a summary holds what `drehbuch sensors summarize` writes; regenerate it rather than editing it by hand");
                        if i == shown {
                            d.folded = total - shown;
                        }
                        problems.push(d);
                    }
                }
                Err(e) => {
                    unreadable.push(name.to_string());
                    if let Some(d) = located_problem(&site.shown(&file.path), &file.path, &e) {
                        problems.push(d);
                        continue;
                    }
                    // The message names the file; its own hint is the help.
                    let text = e.to_string();
                    let (message, hint) = match text.split_once("\n  hint: ") {
                        Some((m, h)) => (m.to_string(), h.to_string()),
                        None => (
                            text.clone(),
                            "regenerate it with `drehbuch sensors summarize … --out` (see docs/sensors.md)".to_string(),
                        ),
                    };
                    let shown = site.shown(&file.path);
                    let message = message
                        .strip_prefix(&format!("{}: ", file.path.display()))
                        .map(str::to_string)
                        .unwrap_or(message);
                    problems.push(
                        Diagnostic::file_error(&shown, message)
                            .with_kind("dataset")
                            .with_help(hint),
                    );
                }
            }
        }
        (
            Datasets {
                summaries,
                unreadable,
            },
            problems,
        )
    }

    /// Dataset names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.summaries.keys().map(String::as_str).collect()
    }

    /// Every dataset with its summary.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Summary)> {
        self.summaries.iter().map(|(k, v)| (k.as_str(), v.as_ref()))
    }

    /// The summary a call draws from: its `dataset`, or the only one.
    pub fn for_call(&self, call: &ShortcodeCall) -> Result<(&str, &Summary), String> {
        // Datasets whose summary could not be read count as there (their
        // file has its own error).
        let mut names = self.names();
        names.extend(self.unreadable.iter().map(String::as_str));
        names.sort_unstable();
        let name = match call.arg("dataset") {
            Some(ArgValue::String(d)) => d.as_str(),
            _ if names.len() == 1 => names[0],
            _ if names.is_empty() => {
                return Err(format!(
                    "`{}` needs a sensor summary, but data/sensors/ has none; create one with `drehbuch sensors summarize … --out data/sensors/<dataset>/summary.json`",
                    call.name
                ));
            }
            _ => {
                return Err(format!(
                    "`{}` needs `dataset=\"…\"`: there are several summaries ({})",
                    call.name,
                    names.join(", ")
                ));
            }
        };
        match self.summaries.get_key_value(name) {
            Some((k, v)) => Ok((k.as_str(), v.as_ref())),
            None if self.unreadable.iter().any(|u| u == name) => Err(format!(
                "the sensor summary data/sensors/{name}/summary.json could not be read (see the error at that file)"
            )),
            None => Err(format!(
                "there is no sensor summary data/sensors/{name}/summary.json (datasets: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            )),
        }
    }
}

/// A summary problem that has a line (bad JSON, a provenance URL that is
/// not a web address) as an error at that line, shown with the line.
fn located_problem(shown: &Path, path: &Path, e: &SensorError) -> Option<Diagnostic> {
    let SensorError::Input {
        line,
        message,
        hint,
        ..
    } = e
    else {
        return None;
    };
    let text = std::fs::read_to_string(path).ok()?;
    let start: usize = text
        .split_inclusive('\n')
        .take(usize::try_from(*line).ok()?.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line_text = text.get(start..)?.lines().next()?;
    let indent = line_text.len() - line_text.trim_start().len();
    let span = start + indent..start + line_text.trim_end().len().max(indent + 1);
    let file = SourceFile::new(shown.to_path_buf(), text);
    Some(
        file.error(span, message.clone())
            .with_kind("dataset")
            .with_help(hint.clone()),
    )
}
