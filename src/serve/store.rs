//! The preview's output, kept in memory: every rendered file with the
//! fingerprint it was rendered from and the input key of its job (see
//! [`crate::site::deps`]). A refresh renders again only the jobs whose
//! fingerprint changed and keeps the bytes of the others, so the result is
//! byte for byte what a full build of the same input (with the preview's
//! base URL) writes.
//!
//! After an edit that changed only the text of some pages, a refresh looks
//! only at the jobs that read those pages, found through an index of who
//! reads what, built at the last full refresh.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::OutputFile;
use crate::site::deps::DepHashes;
use crate::site::{Job, Site};
use crate::sources::layers::Origin;
use crate::templates::views::ViewBuilder;

/// Jobs rendered before their results replace the old files.
const CHUNK: usize = 256;

/// Rendered files and static files of the preview.
#[derive(Default)]
pub struct Store {
    /// Output path → bytes.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    fingerprints: HashMap<String, u64>,
    /// Input key of each file.
    keys: HashMap<String, u64>,
    /// Static files of every layer, by output path (read when requested).
    pub statics: BTreeMap<String, Origin>,
    /// The jobs, hashes and readers of the last full refresh.
    index: Option<Index>,
}

/// Who reads what, for one structure of the site.
struct Index {
    generation: u64,
    jobs: Vec<(String, Job)>,
    hashes: DepHashes,
    /// Page → jobs that show it (its own page, links, listings).
    readers: HashMap<PageId, Vec<usize>>,
}

/// What a refresh did.
#[derive(Debug, Default)]
pub struct Refresh {
    /// Files rendered again (pages, facet pages, print documents, …).
    pub rendered: usize,
    /// Files that no longer exist.
    pub removed: usize,
    /// Jobs looked at (all of them after a structural change).
    pub considered: usize,
    /// Problems of the render (template errors, UI strings).
    pub diagnostics: Vec<Diagnostic>,
}

/// One job after a refresh: its new bytes are `None` when the old ones
/// still hold.
struct Rendered {
    path: String,
    key: u64,
    fingerprint: u64,
    bytes: Option<Result<Vec<u8>, Diagnostic>>,
}

impl Store {
    /// Brings the rendered files up to date with `site`. `text_changes`
    /// are the pages whose text alone changed since the last refresh, with
    /// the site's generation ([`Site::take_text_changes`]).
    pub fn refresh(&mut self, site: &Site, text_changes: (u64, Vec<PageId>)) -> Refresh {
        let _t = crate::timing::stage("refresh");
        let mut refresh = Refresh::default();
        if !site.templates_ok {
            return refresh;
        }
        let (generation, changed) = text_changes;
        let fingerprint_views = site.views(true);
        let views = site.views(false);
        if let Some(index) = &mut self.index
            && index.generation == generation
            && site.update_dep_hashes(&mut index.hashes, &changed)
        {
            // Only the jobs that read a changed page.
            let mut chosen: HashSet<usize> = HashSet::new();
            for id in &changed {
                chosen.extend(index.readers.get(id).into_iter().flatten().copied());
            }
            let jobs: Vec<(String, Job)> = chosen
                .into_iter()
                .filter_map(|i| index.jobs.get(i).cloned())
                .collect();
            let hashes = index.hashes.clone();
            refresh.considered = jobs.len();
            if std::env::var_os("DREHBUCH_SERVE_VERIFY").is_some() {
                // Every job not chosen must still have its fingerprint.
                let chosen: HashSet<&String> = jobs.iter().map(|(p, _)| p).collect();
                for (path, job) in &index.jobs {
                    if !chosen.contains(path)
                        && self.fingerprints.get(path)
                            != Some(&site.fingerprint(&fingerprint_views, *job))
                    {
                        refresh.diagnostics.push(Diagnostic::global(
                            Severity::Error,
                            format!("serve missed a change of {path}: it does not read the pages whose text changed, but its fingerprint changed"),
                        ));
                    }
                }
            }
            let results = self.run(site, &fingerprint_views, &views, &hashes, &jobs);
            self.apply(results, &mut refresh);
            // Feeds carry the pages' text.
            self.put_generated(site.feeds(), &mut refresh);
            refresh.diagnostics.extend(site.string_diagnostics());
            // A batch may also have added or removed static files.
            self.refresh_statics(site, &mut refresh.diagnostics);
            return refresh;
        }
        let hashes = site.dep_hashes();
        let jobs = site.jobs();
        refresh.considered = jobs.len();
        // In chunks, so old and new bytes of every page are never all in
        // memory at once.
        for chunk in jobs.chunks(CHUNK) {
            let results = self.run(site, &fingerprint_views, &views, &hashes, chunk);
            self.apply(results, &mut refresh);
        }
        let generated = site.sitemap().into_iter().chain(site.feeds()).collect();
        let live: HashSet<String> = jobs
            .iter()
            .map(|(p, _)| p.clone())
            .chain(self.put_generated(generated, &mut refresh))
            .collect();
        let before = self.files.len();
        self.files.retain(|path, _| live.contains(path));
        self.fingerprints.retain(|path, _| live.contains(path));
        self.keys.retain(|path, _| live.contains(path));
        refresh.removed = before - self.files.len();
        self.index = Some(Index {
            generation,
            readers: readers(site, &fingerprint_views, &jobs),
            jobs,
            hashes,
        });
        refresh.diagnostics.extend(site.string_diagnostics());
        self.refresh_statics(site, &mut refresh.diagnostics);
        refresh
    }

    /// Looks at `jobs`: skips those whose input key is unchanged, renders
    /// those whose fingerprint changed.
    fn run(
        &self,
        site: &Site,
        fingerprint_views: &ViewBuilder<'_>,
        views: &ViewBuilder<'_>,
        hashes: &DepHashes,
        jobs: &[(String, Job)],
    ) -> Vec<Rendered> {
        // With DREHBUCH_SERVE_VERIFY set, jobs skipped by their input key
        // are fingerprinted anyway, and a changed one is reported: the
        // tests use it to check the dependency rules.
        let verify = std::env::var_os("DREHBUCH_SERVE_VERIFY").is_some();
        jobs.par_iter()
            .map(|(path, job)| {
                let key = site.input_key(fingerprint_views, hashes, *job);
                let present = self.files.contains_key(path);
                if present && self.keys.get(path) == Some(&key) {
                    let stored = self.fingerprints.get(path).copied().unwrap_or_default();
                    if verify && site.fingerprint(fingerprint_views, *job) != stored {
                        return Rendered {
                            path: path.clone(),
                            key,
                            fingerprint: stored,
                            bytes: Some(Err(Diagnostic::global(
                                Severity::Error,
                                format!("serve missed a change of {path}: its input key did not change, but its fingerprint did"),
                            ))),
                        };
                    }
                    return Rendered {
                        path: path.clone(),
                        key,
                        fingerprint: stored,
                        bytes: None,
                    };
                }
                let fingerprint = site.fingerprint(fingerprint_views, *job);
                let fresh = present && self.fingerprints.get(path) == Some(&fingerprint);
                Rendered {
                    path: path.clone(),
                    key,
                    fingerprint,
                    bytes: (!fresh).then(|| site.render_job(views, *job)),
                }
            })
            .collect()
    }

    /// Takes in files made outside the jobs (sitemap, feeds), keeping the
    /// old bytes of unchanged ones; returns their paths.
    fn put_generated(&mut self, files: Vec<OutputFile>, refresh: &mut Refresh) -> Vec<String> {
        files
            .into_iter()
            .map(|f| {
                let changed = self
                    .files
                    .get(&f.path)
                    .is_none_or(|old| old.as_slice() != f.bytes.as_slice());
                if changed {
                    refresh.rendered += 1;
                    self.files.insert(f.path.clone(), Arc::new(f.bytes));
                }
                f.path
            })
            .collect()
    }

    fn apply(&mut self, results: Vec<Rendered>, refresh: &mut Refresh) {
        for result in results {
            let Rendered {
                path,
                key,
                fingerprint,
                bytes,
            } = result;
            match bytes {
                None => {
                    self.keys.insert(path, key);
                }
                Some(Ok(bytes)) => {
                    refresh.rendered += 1;
                    self.files.insert(path.clone(), Arc::new(bytes));
                    self.fingerprints.insert(path.clone(), fingerprint);
                    self.keys.insert(path, key);
                }
                Some(Err(d)) => {
                    // Looked at again next time.
                    self.fingerprints.remove(&path);
                    self.keys.remove(&path);
                    refresh.diagnostics.push(d);
                }
            }
        }
    }

    /// Lists the static files again (after a change under `static/`).
    pub fn refresh_statics(&mut self, site: &Site, diagnostics: &mut Vec<Diagnostic>) {
        let (statics, problems) = site.static_files();
        self.statics = statics;
        diagnostics.extend(problems);
    }
}

/// For every page, the jobs that show it: its own page, pages that show it
/// as a link, and pages that show its listing (section pages, facet pages,
/// print documents).
fn readers(
    site: &Site,
    views: &ViewBuilder<'_>,
    jobs: &[(String, Job)],
) -> HashMap<PageId, Vec<usize>> {
    let mut readers: HashMap<PageId, Vec<usize>> = HashMap::new();
    let mut add = |id: PageId, job: usize| readers.entry(id).or_default().push(job);
    for (index, (_, job)) in jobs.iter().enumerate() {
        let (own, listings) = match job {
            Job::Page(id) => {
                let inputs = views.inputs(*id);
                for linked in &inputs.linked {
                    add(*linked, index);
                }
                (Some(*id), inputs.listings)
            }
            Job::Derived(i) => match site.derived.pages.get(*i) {
                Some(d) => {
                    let section = &site.content.pages[d.section];
                    (
                        Some(d.section),
                        vec![(section.path.dir.clone(), section.lang.clone())],
                    )
                }
                None => (None, Vec::new()),
            },
            Job::Chooser | Job::NotFound => {
                let lang = &site.config.default_language;
                (site.content.section_page("", lang), Vec::new())
            }
        };
        if let Some(id) = own {
            add(id, index);
            // A stand-in shows its original's text.
            if let Some(original) = site.content.pages[id].stand_in_for {
                add(original, index);
            }
        }
        for (dir, lang) in listings {
            for entry in site.listings.of(&dir, &lang) {
                add(entry.id, index);
            }
        }
    }
    readers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::BuildOptions;

    #[test]
    fn a_second_refresh_renders_nothing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/basic");
        let mut site = Site::load(&BuildOptions {
            root,
            ..BuildOptions::default()
        })
        .unwrap();
        let mut store = Store::default();
        let changes = site.take_text_changes();
        let first = store.refresh(&site, changes);
        assert!(first.rendered > 0);
        let changes = site.take_text_changes();
        let second = store.refresh(&site, changes);
        assert_eq!(second.rendered, 0);
        assert_eq!(second.considered, 0, "nothing changed, nothing to look at");
    }
}
