//! `drehbuch build`: check the output folder, load the site, stream
//! every page into a temporary folder (made relative for `--relative`,
//! and into the search index), copy the static files, and swap the new
//! site in only when the whole build succeeded.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::{BuildOptions, OutputSink, Site};
use crate::content::urls::output_path;
use crate::diagnostics::{Diagnostic, Severity, sort_diagnostics};
use crate::output::{self, OutputWriter};
use crate::sources::layers::Origin;

/// The outcome of a build that produced a site.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages written per language code, in site order.
    pub pages_per_language: Vec<(String, usize)>,
    /// Entries of a foreign output folder deleted because of `--force`.
    pub forced_entries: usize,
    /// Shards of the search index built anew and reused from the
    /// previous output, when the site has search.
    pub search_shards: Option<(usize, usize)>,
    /// Warnings (the build succeeded anyway).
    pub warnings: Vec<Diagnostic>,
    /// Wall-clock time.
    pub elapsed: std::time::Duration,
    /// Where the site went.
    pub output: PathBuf,
}

/// Builds and writes the site. The output folder is checked first (it
/// must be drehbuch's own, empty or new, see [`output::target`]); pages
/// stream into a temporary folder that replaces the output only when the
/// whole build succeeded. On any error the previous output stays.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join("public"));
    let target = {
        let _t = crate::timing::stage("output folder check");
        output::target::check(&options.root, &output_dir, options.force).map_err(|e| vec![e])?
    };
    output::search::shard_pages().map_err(|message| {
        vec![Diagnostic::global(Severity::Error, message).with_kind("config")]
    })?;
    // Bodies wait beside the output (on the same disk), else in the
    // system's temporary folder.
    let spill_dir = target
        .path
        .parent()
        .filter(|p| p.is_dir())
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    let options = &BuildOptions {
        spill_dir: Some(spill_dir),
        ..options.clone()
    };
    // Whether the output holds files no build wrote takes a walk of it:
    // done while the site loads.
    let (verified, site) = std::thread::scope(|scope| {
        let verify = scope.spawn(|| {
            let _t = crate::timing::stage("output folder walk");
            target.verify()
        });
        let site = Site::load(options);
        (verify.join(), site)
    });
    let verified = verified.unwrap_or(Ok(0));
    let (mut site, forced_in_output) = match (site, verified) {
        (Ok(site), Ok(_)) if site.has_errors() => return Err(site.diagnostics),
        (Ok(site), Ok(forced)) => (site, forced),
        (Ok(site), Err(d)) => {
            let mut all = site.diagnostics;
            all.push(d);
            sort_diagnostics(&mut all);
            return Err(all);
        }
        (Err(mut problems), verified) => {
            problems.extend(verified.err());
            return Err(problems);
        }
    };
    let writer = OutputWriter::begin(&target).map_err(|e| vec![e])?;
    let statics = crate::timing::stage("static files");
    let (mut errors, static_warnings) = copy_static(&site, &writer);
    drop(statics);
    let indexer = site.config.search.then(|| {
        output::search::Indexer::start(
            output::search::Previous::output(&target.path),
            site.loading.spill.clone(),
        )
    });
    let indexed = site.search_paths();
    let sink = WriterSink {
        writer: &writer,
        relative_base: options
            .relative
            .then_some(site.config.base_url.path.as_str()),
        search: indexer.as_ref().map(|i| (i, &indexed)),
    };
    let rendering = crate::timing::stage("render and write");
    let mut problems = site.render(&sink);
    problems.extend(static_warnings);
    drop(rendering);
    let search_shards = indexer.and_then(|indexer| {
        let _t = crate::timing::stage("search index");
        finish_search(&site, indexer, &writer, &mut errors, &mut problems)
    });
    errors.extend(problems.iter().filter(|d| d.is_error()).cloned());
    if !errors.is_empty() {
        let mut all = site.diagnostics;
        all.append(&mut problems);
        all.extend(errors);
        sort_diagnostics(&mut all);
        // Dropping the writer removes its temporary folder.
        return Err(all);
    }
    let forced_at_commit = {
        let _t = crate::timing::stage("commit");
        writer.commit().map_err(|e| vec![e])?
    };
    let mut warnings = std::mem::take(&mut site.diagnostics);
    warnings.append(&mut problems);
    sort_diagnostics(&mut warnings);
    let pages_per_language = site.pages_per_language();
    // Freeing a large site takes a moment the caller need not wait for.
    std::thread::spawn(move || drop(site));
    Ok(BuildReport {
        pages_per_language,
        forced_entries: target.forced_entries + forced_in_output + forced_at_commit,
        search_shards,
        warnings,
        elapsed: started.elapsed(),
        output: output_dir,
    })
}

/// Writes the search index and bundle; returns how many shards were
/// built anew and reused. Its errors go into `errors`, warnings (a page
/// too long to index whole) into `problems`.
fn finish_search(
    site: &Site,
    indexer: output::search::Indexer,
    writer: &OutputWriter,
    errors: &mut Vec<Diagnostic>,
    problems: &mut Vec<Diagnostic>,
) -> Option<(usize, usize)> {
    match indexer.finish(&|f| writer.write(&f.path, &f.bytes)) {
        Ok(bundle) => {
            errors.extend(
                bundle
                    .copies
                    .par_iter()
                    .filter_map(|(from, path)| writer.copy(from, path).err())
                    .collect::<Vec<_>>(),
            );
            problems.extend(bundle.shortened.into_iter().map(|(path, message)| {
                let source = site
                    .model
                    .content
                    .pages
                    .iter()
                    .find(|p| output_path(&p.url) == path)
                    .map(|p| p.file.path.clone())
                    .unwrap_or_else(|| path.into());
                Diagnostic::file_error(&source, message)
                    .warning()
                    .with_help("split the page, or mark long parts that need not be found with data-pagefind-ignore")
                    .with_kind("search")
            }));
            Some((bundle.indexed_shards, bundle.reused_shards))
        }
        Err(d) => {
            errors.push(d);
            None
        }
    }
}

/// Writes rendered files into an [`OutputWriter`], made relative for
/// `--relative` builds.
struct WriterSink<'a> {
    writer: &'a OutputWriter,
    relative_base: Option<&'a str>,
    /// The search indexer and the paths of the pages it takes.
    search: Option<(&'a output::search::Indexer, &'a HashSet<String>)>,
}

impl OutputSink for WriterSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        match self.relative_base {
            Some(base) if path.ends_with(".html") => {
                let relative = output::relative::relativize_file(path, &bytes, base);
                self.writer.write(path, &relative)?;
            }
            _ => self.writer.write(path, &bytes)?,
        }
        if let Some((indexer, paths)) = self.search
            && paths.contains(path)
        {
            indexer.add(path, bytes);
        }
        Ok(())
    }
}

/// Copies the static files of every layer into the output. Returns the
/// errors (with any, nothing is copied) and the warnings.
fn copy_static(site: &Site, writer: &OutputWriter) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (files, problems) = site.static_files();
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        problems.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return (errors, warnings);
    }
    let errors = files
        .par_iter()
        .filter_map(|(relative, origin)| match origin {
            Origin::Disk(path) => writer.copy(path, relative).err(),
            Origin::Builtin(_) => match site.theme.layers.read(origin) {
                Ok(bytes) => writer.write(relative, &bytes).err(),
                Err(d) => Some(d),
            },
        })
        .collect();
    (errors, warnings)
}
