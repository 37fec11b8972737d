//! The preview's output, kept in memory: every rendered file with the
//! fingerprint it was rendered from. [`Store::refresh`] renders again only
//! the jobs whose fingerprint changed, and keeps the bytes of the others,
//! so the result is byte for byte what a full build of the same input (with
//! the preview's base URL) writes.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::sources::layers::Origin;

/// Rendered files and static files of the preview.
#[derive(Default)]
pub struct Store {
    /// Output path → bytes.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    fingerprints: HashMap<String, u64>,
    /// Static files of every layer, by output path (read when requested).
    pub statics: BTreeMap<String, Origin>,
}

/// One job after a refresh: its path, fingerprint, and new bytes (`None`
/// when the old ones still hold).
type Rendered = (String, u64, Option<Result<Vec<u8>, Diagnostic>>);

/// What a refresh did.
#[derive(Debug, Default)]
pub struct Refresh {
    /// Files rendered again (pages, facet pages, print documents, …).
    pub rendered: usize,
    /// Files that no longer exist.
    pub removed: usize,
    /// Problems of the render (template errors, UI strings).
    pub diagnostics: Vec<Diagnostic>,
}

impl Store {
    /// Brings the rendered files up to date with `site`.
    pub fn refresh(&mut self, site: &Site) -> Refresh {
        let mut refresh = Refresh::default();
        if !site.templates_ok {
            return refresh;
        }
        let fingerprint_views = site.views(true);
        let views = site.views(false);
        let jobs = site.jobs();
        let results: Vec<Rendered> = jobs
            .par_iter()
            .map(|(path, job)| {
                let fingerprint = site.fingerprint(&fingerprint_views, *job);
                let fresh = self.fingerprints.get(path) == Some(&fingerprint)
                    && self.files.contains_key(path);
                let bytes = (!fresh).then(|| site.render_job(&views, *job));
                (path.clone(), fingerprint, bytes)
            })
            .collect();
        let mut live: std::collections::HashSet<String> = std::collections::HashSet::new();
        for (path, fingerprint, bytes) in results {
            live.insert(path.clone());
            match bytes {
                None => {}
                Some(Ok(bytes)) => {
                    refresh.rendered += 1;
                    self.files.insert(path.clone(), Arc::new(bytes));
                    self.fingerprints.insert(path, fingerprint);
                }
                Some(Err(d)) => {
                    // Rendered again next time.
                    self.fingerprints.remove(&path);
                    refresh.diagnostics.push(d);
                }
            }
        }
        for file in site.sitemap() {
            live.insert(file.path.clone());
            let changed = self
                .files
                .get(&file.path)
                .is_none_or(|old| old.as_slice() != file.bytes.as_slice());
            if changed {
                self.files.insert(file.path, Arc::new(file.bytes));
            }
        }
        let before = self.files.len();
        self.files.retain(|path, _| live.contains(path));
        self.fingerprints.retain(|path, _| live.contains(path));
        refresh.removed = before - self.files.len();
        refresh.diagnostics.extend(site.string_diagnostics());
        self.refresh_statics(site, &mut refresh.diagnostics);
        refresh
    }

    /// Lists the static files again (after a change under `static/`).
    pub fn refresh_statics(&mut self, site: &Site, diagnostics: &mut Vec<Diagnostic>) {
        let (statics, problems) = site.static_files();
        self.statics = statics;
        diagnostics.extend(problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::BuildOptions;

    #[test]
    fn a_second_refresh_renders_nothing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic");
        let site = Site::load(&BuildOptions {
            root,
            ..BuildOptions::default()
        })
        .unwrap();
        let mut store = Store::default();
        let first = store.refresh(&site);
        assert!(first.rendered > 0);
        let second = store.refresh(&site);
        assert_eq!(second.rendered, 0);
    }
}
