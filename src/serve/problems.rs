//! The preview's problem panel: after every good rebuild the preview runs
//! the checks `drehbuch check` runs on the generated pages — links and
//! anchors that lead nowhere, missing images, images without alt text,
//! headings that skip a level — so that an editor sees them while
//! writing, not when CI fails. They do not stop the page from showing:
//! the live-reload script lists them in a small panel at the page's
//! corner, each at `path:line:col`, and they are gone at the first
//! rebuild without them.
//!
//! What a check needs of a generated file ([`FileFacts`]) is kept by
//! path with the bytes it was read from, so a rebuild reads again only
//! the files it rendered again.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::{self, FileFacts};
use crate::diagnostics::{Diagnostic, Severity};
use crate::site::Site;

/// Path of the endpoint the panel reads its problems from.
pub(crate) const PROBLEMS_PATH: &str = "/__drehbuch/problems";

/// The facts of every rendered file, with the bytes they come from.
#[derive(Default)]
pub(crate) struct OutputFacts {
    read_from: HashMap<String, Arc<Vec<u8>>>,
    facts: BTreeMap<String, FileFacts>,
}

impl OutputFacts {
    /// Whether the checks ran at all.
    pub(crate) fn ran(&self) -> bool {
        !self.read_from.is_empty()
    }

    /// Brings the facts up to date with `files`: files whose bytes are
    /// new are read again, files that are gone forgotten. When `stop`
    /// says so, the files not read yet are left for the next time.
    fn update(&mut self, files: &HashMap<String, Arc<Vec<u8>>>, stop: &(dyn Fn() -> bool + Sync)) {
        self.facts.retain(|path, _| files.contains_key(path));
        self.read_from.retain(|path, _| files.contains_key(path));
        let fresh: Vec<(String, Arc<Vec<u8>>, FileFacts)> = files
            .par_iter()
            .filter(|(path, bytes)| {
                self.read_from
                    .get(*path)
                    .is_none_or(|old| !Arc::ptr_eq(old, bytes))
            })
            .filter(|_| !stop())
            .map(|(path, bytes)| (path.clone(), Arc::clone(bytes), FileFacts::of(path, bytes)))
            .collect();
        for (path, bytes, facts) in fresh {
            self.read_from.insert(path.clone(), bytes);
            self.facts.insert(path, facts);
        }
    }

    /// The problems the output checks find in the files the preview
    /// serves (`files`, with the static files `statics`); `None` when
    /// `stop` said to stop first.
    pub(crate) fn check<T: Sync>(
        &mut self,
        site: &Site,
        files: &HashMap<String, Arc<Vec<u8>>>,
        statics: &BTreeMap<String, T>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Diagnostic>> {
        let _t = crate::timing::stage("serve: output checks");
        self.update(files, stop);
        if stop() {
            return None;
        }
        let mut out = check::output_links_among(site, &self.facts, statics, stop)?;
        out.extend(check::accessibility(site));
        Some(out)
    }
}

/// The panel's data: how many errors and warnings, and each problem with
/// its location, severity, message, help and the whole report (with the
/// source line and caret) as the terminal shows it: the build's, then the
/// output checks'. `checking`: the output checks of the latest files are
/// still running (the panel asks again shortly).
pub(crate) fn panel_json(build: &[Diagnostic], output: &[Diagnostic], checking: bool) -> String {
    let problems: Vec<&Diagnostic> = build.iter().chain(output).collect();
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let listed: Vec<serde_json::Value> = problems
        .iter()
        .map(|d| {
            serde_json::json!({
                "location": d.location(),
                "severity": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "message": d.message,
                "help": d.help,
                "kind": d.kind,
                "text": d.to_string(),
            })
        })
        .collect();
    serde_json::json!({
        "errors": errors,
        "warnings": problems.len() - errors,
        "checking": checking,
        "problems": listed,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::store::Store;
    use crate::site::BuildOptions;

    #[test]
    fn checks_told_to_stop_give_nothing_and_are_finished_next_time() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic");
        let mut site = Site::load(&BuildOptions {
            root,
            ..BuildOptions::default()
        })
        .unwrap();
        let mut store = Store::default();
        let changes = site.take_text_changes();
        store.refresh(&site, changes, crate::site::FrontChanges::default(), true);
        let mut facts = OutputFacts::default();
        let stopped = facts.check(&site, &store.files, &store.statics, &|| true);
        assert!(stopped.is_none());
        assert!(!facts.ran(), "nothing was read");
        let found = facts.check(&site, &store.files, &store.statics, &|| false);
        let expected = check::output_links(&site, &facts.facts);
        let found = found.expect("checks that were not stopped give their problems");
        assert_eq!(facts.facts.len(), store.files.len());
        for d in &expected {
            assert!(found.contains(d), "{d}");
        }
    }

    #[test]
    fn the_panel_counts_errors_and_warnings_and_keeps_locations() {
        let error = Diagnostic::file_error(std::path::Path::new("content/a.md"), "broken");
        let warning =
            Diagnostic::file_error(std::path::Path::new("content/b.md"), "skips").warning();
        let json: serde_json::Value =
            serde_json::from_str(&panel_json(&[error], &[warning], true)).unwrap();
        assert_eq!(json["errors"], 1);
        assert_eq!(json["warnings"], 1);
        assert_eq!(json["problems"][0]["location"], "content/a.md");
        assert_eq!(json["problems"][1]["severity"], "warning");
        assert_eq!(json["checking"], true);
    }
}
