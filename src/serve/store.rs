//! The preview's output, kept in memory: every rendered file, and for
//! every job what its views read ([`Input`]s, recorded while they were
//! built) with the value each input had. Inverted, the reads are an index
//! of who reads what.
//!
//! After an edit a refresh works out which inputs changed: after an edit
//! of page texts alone, only the inputs made from those pages' Markdown
//! ([`Site::text_inputs`]); after any other change, every input read so
//! far. Shared views (the `site` value of a language, a section's facet
//! counts) that read a changed input are worked out again, and changed
//! too if their value did. Then exactly the jobs that read a changed
//! input are looked at; each is rendered again only if its fingerprint
//! changed, the last guard. The result is byte for byte what a full build
//! of the same input (with the preview's base URL) writes; with
//! `DREHBUCH_SERVE_VERIFY` set (tests), every refresh checks that against
//! a full render.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::readers::{InputId, JobId, Reader, Readers};
use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::OutputFile;
use crate::site::{FrontChanges, Job, OutputSink, Site};
use crate::sources::layers::Origin;
use crate::templates::views::{Input, ViewBuilder};

/// Jobs rendered before their results replace the old files, so that old
/// and new bytes of every page are never all in memory at once.
const CHUNK: usize = 256;

/// Rendered files and static files of the preview.
#[derive(Default)]
pub(crate) struct Store {
    /// Output path → bytes.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Static files of every layer, by output path (read when requested).
    pub statics: BTreeMap<String, Origin>,
    /// Rendered jobs by output path.
    jobs: HashMap<Arc<str>, JobState>,
    /// Output path of each job number (`None`: free).
    paths: Vec<Option<Arc<str>>>,
    /// Job numbers free for new jobs.
    free: Vec<JobId>,
    /// Every input read, with its value and readers.
    readers: Readers,
    /// The structure's generation at the last refresh, with its jobs.
    structure: Option<(u64, Jobs)>,
    /// Jobs whose render failed: looked at again next time.
    failed: HashSet<String>,
}

/// Every job of one structure of the site, with its output path.
type Jobs = Arc<Vec<(String, Job)>>;

/// What the store knows of one rendered job.
struct JobState {
    id: JobId,
    identity: u64,
    fingerprint: u64,
    /// What its views and its template read.
    reads: Box<[InputId]>,
    /// What its template read besides its views (UI strings of other
    /// languages), which its fingerprint includes.
    template_reads: Vec<Input>,
}

/// What a refresh did.
#[derive(Debug, Default)]
pub(crate) struct Refresh {
    /// Files rendered again (pages, facet pages, print documents, …).
    pub rendered: usize,
    /// Files that no longer exist.
    pub removed: usize,
    /// Jobs looked at (all of them at the first refresh).
    pub considered: usize,
    /// Inputs found changed.
    pub changed_inputs: usize,
    /// Problems of the render (template errors, UI strings).
    pub diagnostics: Vec<Diagnostic>,
}

/// One job after a refresh.
struct Outcome {
    path: String,
    identity: u64,
    fingerprint: u64,
    reads: Vec<Input>,
    template_reads: Vec<Input>,
    /// New bytes; `None` when the old ones still hold.
    bytes: Option<Result<Vec<u8>, Diagnostic>>,
}

impl Store {
    /// Brings the rendered files up to date with `site`. `text_changes`
    /// are the pages whose text alone changed since the last refresh, with
    /// the site's generation ([`Site::take_text_changes`]); `front_changes`
    /// the pages whose front matter changed with the structure kept
    /// ([`Site::take_front_changes`]); `statics` says whether static files
    /// may have changed (they are listed again after any change of
    /// structure too).
    pub(crate) fn refresh(
        &mut self,
        site: &Site,
        text_changes: (u64, Vec<PageId>),
        front_changes: FrontChanges,
        statics: bool,
    ) -> Refresh {
        let _t = crate::timing::stage("refresh");
        let mut refresh = Refresh::default();
        if site.theme.templates.loaded().is_none() {
            return refresh;
        }
        let (generation, changed_pages) = text_changes;
        let views = site.views(true);
        let render_views = site.views(false);
        let same_structure = self
            .structure
            .as_ref()
            .is_some_and(|(g, _)| *g == generation);
        let text_only = same_structure && front_changes.pages.is_empty();
        let jobs = match &self.structure {
            Some((_, jobs)) if same_structure => Arc::clone(jobs),
            _ => Arc::new(site.jobs()),
        };
        self.structure = Some((generation, Arc::clone(&jobs)));
        // 1. The inputs whose values may have changed, and which did.
        let stage = crate::timing::stage("refresh: inputs");
        let candidates: Vec<(InputId, Input)> = if text_only {
            site.text_inputs(&changed_pages)
                .into_iter()
                .filter_map(|input| Some((self.readers.id(&input)?, input)))
                .collect()
        } else if same_structure {
            // Front matter: the inputs of the pages it can reach, and every
            // input that is not one page's, except where links lead and
            // translation groups (URLs and groups stayed, or the structure
            // would have changed) and, unless `pages` fields changed,
            // backlinks.
            let pages: HashSet<Input> = site
                .front_inputs(&front_changes.pages, &front_changes.moved)
                .into_iter()
                .chain(site.text_inputs(&changed_pages))
                .collect();
            self.readers
                .all()
                .filter(|(_, input)| match input {
                    Input::Summary(_) | Input::Page(_) | Input::Anchors(_) | Input::Fields(_) => {
                        pages.contains(*input)
                    }
                    Input::Resolve(..) | Input::Group(_) => false,
                    Input::Backlinks(_) => front_changes.links,
                    _ => true,
                })
                .map(|(id, input)| (id, input.clone()))
                .collect()
        } else {
            self.readers
                .all()
                .map(|(id, input)| (id, input.clone()))
                .collect()
        };
        let changed = self.changed(&views, candidates);
        refresh.changed_inputs = changed.len();
        drop(stage);
        // 2. The jobs that read one, fingerprinted; those whose
        //    fingerprint changed rendered.
        let stage = crate::timing::stage("refresh: jobs");
        let chosen = self.chosen(site, &jobs, &changed, same_structure);
        refresh.considered = chosen.len();
        self.failed.clear();
        for chunk in chosen.chunks(CHUNK) {
            let outcomes = self.run(site, &views, &render_views, chunk);
            self.apply(outcomes, &mut refresh);
        }
        drop(stage);
        let stage = crate::timing::stage("refresh: values");
        self.learn_values(&views);
        drop(stage);
        // 3. Files made outside the jobs, and files that are gone.
        if text_only {
            // Feeds carry the pages' texts.
            self.put_generated(site.feeds_of(&changed_pages), &mut refresh);
        } else if same_structure {
            // The same files, with titles, dates and order of entries
            // perhaps changed; the sitemap shows only URLs and dates.
            let sitemap = front_changes.dates.then(|| site.sitemap());
            let generated = sitemap.into_iter().flatten().chain(site.feeds()).collect();
            self.put_generated(generated, &mut refresh);
        } else {
            self.replace_generated(site, &jobs, &mut refresh);
        }
        refresh.diagnostics.extend(site.string_diagnostics());
        if statics || !same_structure {
            // Listing them takes a walk of the static folders and the
            // output paths of every job.
            self.refresh_statics(site, &mut refresh.diagnostics);
        }
        if std::env::var_os("DREHBUCH_SERVE_VERIFY").is_some() {
            refresh.diagnostics.extend(self.verify(site));
        }
        refresh
    }

    /// The jobs to look at: readers of a changed input, those that failed
    /// last time and, after a change of structure, new jobs and jobs that
    /// now show another page.
    fn chosen(
        &self,
        site: &Site,
        jobs: &[(String, Job)],
        changed: &HashSet<InputId>,
        same_structure: bool,
    ) -> Vec<(String, Job)> {
        let mut chosen: HashSet<&str> = changed
            .iter()
            .flat_map(|&id| self.readers.readers(id))
            .filter_map(|reader| match reader {
                Reader::Job(job) => self.paths.get(*job as usize)?.as_deref(),
                Reader::Shared(_) => None,
            })
            .collect();
        chosen.extend(self.failed.iter().map(String::as_str));
        if !same_structure {
            for (path, job) in jobs {
                let known = self.jobs.get(path.as_str());
                if known.is_none_or(|j| j.identity != site.job_identity(*job)) {
                    chosen.insert(path);
                }
            }
        }
        jobs.iter()
            .filter(|(path, _)| chosen.contains(path.as_str()))
            .cloned()
            .collect()
    }

    /// Values for the inputs read for the first time, and the reads of the
    /// shared views made.
    fn learn_values(&mut self, views: &ViewBuilder<'_>) {
        for (input, value, reads) in views.shared_views() {
            if let Some(id) = self.readers.id(&input) {
                self.readers.set_shared_reads(id, reads);
                self.readers.set_value(id, value);
            }
        }
        let unvalued = self.readers.unvalued();
        let values: Vec<(InputId, u64)> = unvalued
            .into_par_iter()
            .map(|(id, input)| (id, views.value(&input).0))
            .collect();
        for (id, value) in values {
            self.readers.set_value(id, value);
        }
    }

    /// After a change of structure: the sitemap and feeds made again, and
    /// the files and jobs that no longer exist dropped.
    fn replace_generated(&mut self, site: &Site, jobs: &[(String, Job)], refresh: &mut Refresh) {
        let generated = site.sitemap().into_iter().chain(site.feeds()).collect();
        let live: HashSet<String> = jobs
            .iter()
            .map(|(p, _)| p.clone())
            .chain(self.put_generated(generated, refresh))
            .collect();
        let before = self.files.len();
        self.files.retain(|path, _| live.contains(path));
        refresh.removed = before - self.files.len();
        let gone: Vec<Arc<str>> = self
            .jobs
            .keys()
            .filter(|path| !live.contains(&***path))
            .cloned()
            .collect();
        for path in gone {
            if let Some(state) = self.jobs.remove(&path) {
                self.forget_job(state);
            }
        }
    }

    /// The inputs among `candidates` whose value changed, with the store's
    /// values brought up to date; then the shared views that read one of
    /// them, worked out again, if their value changed too.
    fn changed(
        &mut self,
        views: &ViewBuilder<'_>,
        candidates: Vec<(InputId, Input)>,
    ) -> HashSet<InputId> {
        let fresh: Vec<(InputId, u64)> = candidates
            .into_par_iter()
            .filter(|(_, input)| !input.is_shared_view())
            .filter_map(|(id, input)| {
                let value = views.value(&input).0;
                (self.readers.value(id) != Some(value)).then_some((id, value))
            })
            .collect();
        let mut changed = HashSet::with_capacity(fresh.len());
        for (id, value) in fresh {
            self.readers.set_value(id, value);
            changed.insert(id);
        }
        let shared: HashSet<InputId> = changed
            .iter()
            .flat_map(|&id| self.readers.readers(id))
            .filter_map(|reader| match reader {
                Reader::Shared(view) => Some(*view),
                Reader::Job(_) => None,
            })
            .collect();
        // Shared views (a section's facet counts, filters, `site`) are
        // worked out again side by side: each may go over a whole section.
        let inputs: Vec<(InputId, Input)> = shared
            .into_iter()
            .filter_map(|id| Some((id, self.readers.input(id)?.clone())))
            .collect();
        let values: Vec<(InputId, u64, Option<Vec<Input>>)> = inputs
            .into_par_iter()
            .map(|(id, input)| {
                let (value, reads) = views.value(&input);
                (id, value, reads)
            })
            .collect();
        for (id, value, reads) in values {
            if let Some(reads) = reads {
                self.readers.set_shared_reads(id, reads);
            }
            if self.readers.set_value(id, value) {
                changed.insert(id);
            }
        }
        changed
    }

    /// Fingerprints `jobs` and renders those whose fingerprint changed (or
    /// whose file is missing).
    fn run(
        &self,
        site: &Site,
        views: &ViewBuilder<'_>,
        render_views: &ViewBuilder<'_>,
        jobs: &[(String, Job)],
    ) -> Vec<Outcome> {
        jobs.par_iter()
            .map(|(path, job)| {
                let known = self.jobs.get(path.as_str());
                let template_reads = known.map(|j| j.template_reads.clone()).unwrap_or_default();
                let (fingerprint, reads) = site.fingerprint(views, *job, &template_reads);
                let fresh = self.files.contains_key(path)
                    && known.is_some_and(|j| j.fingerprint == fingerprint);
                if fresh {
                    return Outcome {
                        path: path.clone(),
                        identity: site.job_identity(*job),
                        fingerprint,
                        reads,
                        template_reads,
                        bytes: None,
                    };
                }
                let rendered = site.render_reading(render_views, *job);
                // What the template read changes the fingerprint.
                let fingerprint = if rendered.template_reads == template_reads {
                    fingerprint
                } else {
                    site.fingerprint(views, *job, &rendered.template_reads).0
                };
                Outcome {
                    path: path.clone(),
                    identity: site.job_identity(*job),
                    fingerprint,
                    reads,
                    template_reads: rendered.template_reads,
                    bytes: Some(rendered.bytes),
                }
            })
            .collect()
    }

    /// Takes in the outcomes of a run: new bytes, and what each job read.
    fn apply(&mut self, outcomes: Vec<Outcome>, refresh: &mut Refresh) {
        for outcome in outcomes {
            let path: Arc<str> = Arc::from(outcome.path.as_str());
            let old = self.jobs.remove(&path);
            match outcome.bytes {
                Some(Err(d)) => {
                    // Its old file stays; it is looked at again next time.
                    if let Some(old) = old {
                        self.forget_job(old);
                    }
                    self.failed.insert(outcome.path);
                    refresh.diagnostics.push(d);
                    continue;
                }
                Some(Ok(bytes)) => {
                    refresh.rendered += 1;
                    self.files.insert(outcome.path, Arc::new(bytes));
                }
                None => {}
            }
            let (id, old_reads) = match old {
                Some(old) => (old.id, old.reads),
                None => (self.new_job(&path), Box::default()),
            };
            let mut reads = outcome.reads;
            reads.extend(outcome.template_reads.iter().cloned());
            let reads = self.readers.replace(Reader::Job(id), &old_reads, reads);
            self.jobs.insert(
                path,
                JobState {
                    id,
                    identity: outcome.identity,
                    fingerprint: outcome.fingerprint,
                    reads,
                    template_reads: outcome.template_reads,
                },
            );
        }
    }

    /// A number for the job at `path`.
    fn new_job(&mut self, path: &Arc<str>) -> JobId {
        match self.free.pop() {
            Some(id) => {
                self.paths[id as usize] = Some(Arc::clone(path));
                id
            }
            None => {
                self.paths.push(Some(Arc::clone(path)));
                (self.paths.len() - 1) as JobId
            }
        }
    }

    /// Forgets a job that no longer exists or failed: its reads and number.
    fn forget_job(&mut self, job: JobState) {
        self.readers.release(Reader::Job(job.id), &job.reads);
        if let Some(slot) = self.paths.get_mut(job.id as usize) {
            *slot = None;
            self.free.push(job.id);
        }
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

    /// How many jobs are kept, how many inputs they read, and how many
    /// (input, reader) pairs the index holds (for `DREHBUCH_TIMINGS`).
    pub(crate) fn size(&self) -> (usize, usize, usize) {
        let (inputs, reads) = self.readers.size();
        (self.jobs.len(), inputs, reads)
    }

    /// Lists the static files again (after a change under `static/`).
    pub(crate) fn refresh_statics(&mut self, site: &Site, diagnostics: &mut Vec<Diagnostic>) {
        let (statics, problems) = site.static_files();
        self.statics = statics;
        diagnostics.extend(problems);
    }

    /// Renders the whole site and compares it with the files kept: an
    /// error for every file an incremental refresh left different from a
    /// full render, or left behind. For tests (`DREHBUCH_SERVE_VERIFY`).
    fn verify(&self, site: &Site) -> Vec<Diagnostic> {
        let full = FullRender::default();
        site.render_as_preview(&full);
        let full = full.files.into_inner().unwrap_or_default();
        let mut problems = Vec::new();
        let missed = |path: &str, what: &str| {
            Diagnostic::global(
                Severity::Error,
                format!("serve missed a change of {path}: {what}"),
            )
        };
        for (path, bytes) in &full {
            match self.files.get(path) {
                Some(kept) if kept.as_slice() == bytes.as_slice() => {}
                Some(_) => problems.push(missed(path, "the preview differs from a full render")),
                None => problems.push(missed(path, "the preview lacks it")),
            }
        }
        for path in self.files.keys() {
            if !full.contains_key(path) {
                problems.push(missed(path, "a full render no longer makes it"));
            }
        }
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        problems
    }
}

/// Every file of a full render, in memory (for [`Store::verify`]).
#[derive(Default)]
struct FullRender {
    files: std::sync::Mutex<HashMap<String, Vec<u8>>>,
}

impl OutputSink for FullRender {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        if let Ok(mut files) = self.files.lock() {
            files.insert(path.to_string(), bytes);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{BuildOptions, Changes};

    /// A one-language site of a section with three pages, in a new
    /// temporary folder.
    fn three_pages() -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!(
            "drehbuch-store-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.yaml",
            "title: Book\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\nsearch: false\nfeeds: false\n",
        );
        write("content/_index.en.md", "---\ntitle: Home\n---\nHi.\n");
        write("content/part/_index.en.md", "---\ntitle: Part\n---\n");
        for (n, title) in [(1, "One"), (2, "Two"), (3, "Three")] {
            write(
                &format!("content/part/p{n}.en.md"),
                &format!("---\ntitle: {title}\nweight: {n}\n---\nText {n}.\n"),
            );
        }
        root
    }

    /// The paths whose bytes differ between two states of the store.
    fn differing(
        before: &HashMap<String, Arc<Vec<u8>>>,
        after: &HashMap<String, Arc<Vec<u8>>>,
    ) -> Vec<String> {
        let mut out: Vec<String> = after
            .iter()
            .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
            .map(|(path, _)| path.clone())
            .collect();
        out.sort();
        out
    }

    #[test]
    fn an_edit_renders_exactly_the_jobs_that_read_what_changed() {
        let root = three_pages();
        let mut site = Site::load(&BuildOptions {
            root: root.clone(),
            ..BuildOptions::default()
        })
        .unwrap();
        let mut store = Store::default();
        let changes = site.take_text_changes();
        store.refresh(&site, changes, FrontChanges::default(), true);
        let page = root.join("content/part/p2.en.md");
        // The text: only the page shows it.
        let before = store.files.clone();
        std::fs::write(
            &page,
            "---\ntitle: Two\nweight: 2\n---\nText two, longer.\n",
        )
        .unwrap();
        let changes = Changes {
            content: vec![page.clone()],
            ..Changes::default()
        };
        site.apply(&changes).unwrap();
        let text = site.take_text_changes();
        let fronts = site.take_front_changes();
        let refresh = store.refresh(&site, text, fronts, false);
        assert_eq!(differing(&before, &store.files), ["part/p2/index.html"]);
        assert_eq!((refresh.considered, refresh.rendered), (1, 1));
        // The title: the page, its neighbours and its section's listing.
        let before = store.files.clone();
        std::fs::write(
            &page,
            "---\ntitle: Deux\nweight: 2\n---\nText two, longer.\n",
        )
        .unwrap();
        site.apply(&changes).unwrap();
        let text = site.take_text_changes();
        let fronts = site.take_front_changes();
        let refresh = store.refresh(&site, text, fronts, false);
        assert_eq!(
            differing(&before, &store.files),
            [
                "part/index.html",
                "part/p1/index.html",
                "part/p2/index.html",
                "part/p3/index.html"
            ]
        );
        assert_eq!((refresh.considered, refresh.rendered), (4, 4));
        let _ = std::fs::remove_dir_all(root);
    }

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
        let first = store.refresh(&site, changes, FrontChanges::default(), true);
        assert!(first.rendered > 0);
        let changes = site.take_text_changes();
        let second = store.refresh(&site, changes, FrontChanges::default(), true);
        assert_eq!(second.rendered, 0);
        assert_eq!(second.considered, 0, "nothing changed, nothing to look at");
    }
}
