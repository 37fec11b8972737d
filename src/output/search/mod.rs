//! The full-text search index, written by the build itself with the
//! Pagefind library: no second tool for editors or CI to install.
//!
//! Pages go to the index while the site renders: [`Indexer::add`] hands a
//! rendered page to a thread that keeps only what Pagefind reads (the
//! `<html>` tag with its `lang` and the `<main data-pagefind-body>`
//! element), in a build on disk in the build's spill file
//! ([`super::spill`]), so that it does not wait in memory until the last
//! page is rendered. Pagefind indexes only what the theme marks with
//! `data-pagefind-body` minus `data-pagefind-ignore` parts.
//!
//! Each language is split into shards of at most [`SHARD_PAGES`] pages
//! (by a stable hash of the page's path), and every shard is a Pagefind
//! index of its own, at `pagefind/<lang>/<n>/`; the theme's search script
//! loads shard 0 and merges the others (Pagefind's `mergeIndex`). Shards
//! are indexed side by side, so indexing uses every core and its memory
//! is bounded by the shard size, not the site; a shard's files are
//! written as soon as it is done. Pagefind's output depends on
//! the order pages are added, so a shard's pages are added in path order:
//! the index is the same on every build. A shard whose pages did not
//! change since the previous build (same key: a hash of what Pagefind
//! reads) is copied from it instead of indexed again ([`Previous`]).
//! `pagefind/shards.json` lists the shards of each language and their keys.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

mod extract;

use extract::essential;

use super::OutputFile;
use super::spill::{Spill, Spilled};
use crate::diagnostics::{Diagnostic, Severity};

/// Folder of the search bundle in the output.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

/// The list of shards per language, read by the theme's search script and
/// by the next build (to reuse unchanged shards).
pub(crate) const MANIFEST: &str = "pagefind/shards.json";

/// The most pages in one shard of a language's index. Fewer, larger
/// shards mean fewer requests per search for the reader; smaller ones
/// mean less memory while indexing (Pagefind keeps about 0.2 MB per page)
/// and less to index again after an edit. Overridden (for tests and
/// experiments) by the environment variable `DREHBUCH_SEARCH_SHARD_PAGES`.
pub(crate) const SHARD_PAGES: usize = 1500;

/// The shard size: [`SHARD_PAGES`], or the whole number above 0 in
/// `DREHBUCH_SEARCH_SHARD_PAGES`; anything else there is an error (what
/// is wrong, as a sentence), not a silent fallback.
pub(crate) fn shard_pages() -> Result<usize, String> {
    const VAR: &str = "DREHBUCH_SEARCH_SHARD_PAGES";
    match std::env::var(VAR) {
        Err(std::env::VarError::NotPresent) => Ok(SHARD_PAGES),
        Ok(value) => value.trim().parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(|| {
            format!("{VAR} must be a whole number of pages above 0, not `{value}`; unset it for the default ({SHARD_PAGES})")
        }),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(format!("{VAR} must be a whole number of pages above 0; unset it for the default ({SHARD_PAGES})"))
        }
    }
}

/// The most shards of one language: beyond it shards grow instead, so a
/// reader's search never merges more than this many indexes.
const MAX_SHARDS: usize = 32;

/// The Pagefind version linked in (`Cargo.toml` pins it): part of every
/// shard's key, so a shard written by another version is not reused.
const PAGEFIND_VERSION: &str = "1.6.0";

/// Pagefind files the built-in theme does not use (Pagefind's ready-made
/// search interfaces): left out of the output.
#[cfg(feature = "search")]
const UNUSED: [&str; 7] = [
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Pages waiting for the indexer at most; rendering waits beyond that, so
/// memory stays bounded when indexing is slower than rendering.
const QUEUE: usize = 64;

/// The most of one page's content the index takes (the `<main>` element
/// as HTML). Pagefind's memory grows about twentyfold with a page's text
/// (a 100 MB page made it abort); real pages are a few hundred kilobytes
/// at most, and a longer one is indexed up to here, with a warning.
const MAX_INDEXED_BYTES: usize = 2 * 1024 * 1024;

/// What [`Indexer::finish`] returns besides the files it handed out:
/// the reused files to copy and the pages that were indexed only in part.
pub(crate) struct SearchBundle {
    /// The files of shards reused from the previous output folder: (the
    /// file there, its path under [`BUNDLE_DIR`] in the new output). They
    /// are copied file to file, not read into memory.
    pub copies: Vec<(PathBuf, String)>,
    /// Pages longer than the index takes: (output path, what happened).
    pub shortened: Vec<(String, String)>,
    /// Shards indexed by this build, and shards copied unchanged from the
    /// previous one.
    pub indexed_shards: usize,
    /// See `indexed_shards`.
    pub reused_shards: usize,
}

/// An earlier search bundle, whose shards are reused where their pages
/// did not change.
#[derive(Clone, Default)]
pub(crate) enum Previous {
    /// Nothing to reuse.
    #[default]
    None,
    /// The output folder of the previous build (only a folder marked as
    /// drehbuch's output is read).
    Folder(PathBuf),
    /// The bundle `serve` built last, by output path.
    Files(Arc<BTreeMap<String, Vec<u8>>>),
}

impl Previous {
    /// The previous build's output at `folder`, if it is drehbuch's.
    pub(crate) fn output(folder: &std::path::Path) -> Previous {
        if super::target::is_marked(folder) {
            Previous::Folder(folder.to_path_buf())
        } else {
            Previous::None
        }
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        match self {
            Previous::None => None,
            Previous::Folder(root) => std::fs::read(root.join(path)).ok(),
            Previous::Files(files) => files.get(path).cloned(),
        }
    }

    /// The files of the shard in the folder `prefix` (ending in `/`), or
    /// `None` if there is no complete shard there (it is then indexed
    /// again): files on disk must be regular files, not links.
    fn shard_files(&self, prefix: &str) -> Option<ShardFiles> {
        let mut shard = ShardFiles::default();
        match self {
            Previous::None => return None,
            Previous::Files(files) => {
                shard.written = files
                    .range(prefix.to_string()..)
                    .take_while(|(path, _)| path.starts_with(prefix))
                    .map(|(path, bytes)| OutputFile {
                        path: path.clone(),
                        bytes: bytes.clone(),
                    })
                    .collect();
            }
            Previous::Folder(root) => {
                for entry in walkdir::WalkDir::new(root.join(prefix)).sort_by_file_name() {
                    let entry = entry.ok()?;
                    if entry.file_type().is_dir() {
                        continue;
                    }
                    if !entry.file_type().is_file() {
                        return None;
                    }
                    let relative = entry.path().strip_prefix(root).ok()?.to_str()?;
                    let relative = relative.replace('\\', "/");
                    shard.copied.push((entry.into_path(), relative));
                }
            }
        }
        let entry = format!("{prefix}pagefind-entry.json");
        let complete = shard.written.iter().any(|f| f.path == entry)
            || shard.copied.iter().any(|(_, path)| *path == entry);
        complete.then_some(shard)
    }
}

/// The files of one shard: written from memory (indexed now, or reused by
/// `serve`), or copied from the previous output folder.
#[derive(Default)]
struct ShardFiles {
    written: Vec<OutputFile>,
    copied: Vec<(PathBuf, String)>,
}

/// Builds the search index from pages handed to it while the site
/// renders: a thread of its own keeps what Pagefind reads of each page
/// (in the build's [`Spill`] file when there is one, so that it does not
/// wait in memory), and [`Indexer::finish`] indexes the shards.
pub(crate) struct Indexer {
    sender: Option<SyncSender<(String, Vec<u8>)>>,
    worker: Option<JoinHandle<Result<Collected, String>>>,
    previous: Previous,
    spill: Option<Arc<Spill>>,
}

impl Indexer {
    /// Starts the collecting thread; unchanged shards of `previous` are
    /// reused, and the pages' indexed text waits in `spill` if given.
    pub(crate) fn start(previous: Previous, spill: Option<Arc<Spill>>) -> Indexer {
        let (sender, receiver) = sync_channel(QUEUE);
        let store = spill.clone();
        let worker = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || collect(receiver, store.as_deref()))
            .ok();
        Indexer {
            sender: Some(sender),
            worker,
            previous,
            spill,
        }
    }

    /// Adds the rendered page written to `path` (`de/formate/x/index.html`).
    pub(crate) fn add(&self, path: &str, html: Vec<u8>) {
        if let Some(sender) = &self.sender {
            // A closed channel means the worker failed; `finish` says why.
            let _ = sender.send((path.to_string(), html));
        }
    }

    /// Builds the index, shards side by side, and hands each file (at its
    /// path under [`BUNDLE_DIR`]) to `write` as soon as its shard is done,
    /// so that finished shards do not wait in memory for the others.
    /// Returns the reused files to copy and the pages indexed only in part.
    pub(crate) fn finish(
        mut self,
        write: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
    ) -> Result<SearchBundle, Diagnostic> {
        drop(self.sender.take());
        let collected = match self.worker.take() {
            Some(worker) => worker
                .join()
                .unwrap_or_else(|_| Err("the indexing thread stopped unexpectedly".into())),
            None => Err("the indexing thread could not be started".into()),
        };
        let failed = |message: String| {
            Diagnostic::global(Severity::Error, format!("search index: {message}"))
                .with_help("set `search: false` in site.yaml to build without search, and report this problem")
                .with_kind("search")
        };
        let collected = collected.map_err(failed)?;
        index(collected, &self.previous, self.spill.as_deref(), write).map_err(|e| match e {
            Failure::Index(message) => failed(message),
            Failure::Write(d) => d,
        })
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        drop(self.sender.take());
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// One shard of a language's index: its pages in path order and the key
/// that decides whether the previous build's copy can be reused.
struct Shard {
    /// The language's folder under [`BUNDLE_DIR`] (see [`language_folder`]).
    folder: String,
    number: usize,
    pages: Vec<(String, Kept)>,
    key: String,
}

impl Shard {
    /// The shard's folder in the output, ending in `/`.
    fn prefix(&self) -> String {
        format!("{BUNDLE_DIR}/{}/{}/", self.folder, self.number)
    }
}

/// What Pagefind reads of one page: in memory, or in the build's spill
/// file.
#[derive(Clone, Debug, PartialEq)]
enum Kept {
    Text(String),
    Spilled(Spilled),
}

impl Kept {
    /// The text, read back from `spill` if it waits there.
    fn into_text(self, spill: Option<&Spill>) -> String {
        match (self, spill) {
            (Kept::Text(text), _) => text,
            (Kept::Spilled(at), Some(spill)) => spill.get(at),
            (Kept::Spilled(_), None) => String::new(),
        }
    }
}

/// The pages handed to an [`Indexer`], by language folder and path.
struct Collected {
    by_language: BTreeMap<String, BTreeMap<String, Kept>>,
    shortened: Vec<(String, String)>,
}

/// A finished shard: the files to copy from the previous output (its
/// written files are handed out already), and whether it was reused.
type ShardDone = (Vec<(PathBuf, String)>, bool);

/// Why [`index`] stopped: Pagefind failed, or a file could not be written.
enum Failure {
    Index(String),
    Write(Diagnostic),
}

/// The collecting thread: keeps what Pagefind reads of every page, by
/// language, in `spill` when there is one.
fn collect(pages: Receiver<(String, Vec<u8>)>, spill: Option<&Spill>) -> Result<Collected, String> {
    let mut by_language: BTreeMap<String, BTreeMap<String, Kept>> = BTreeMap::new();
    let mut shortened = Vec::new();
    while let Ok((path, html)) = pages.recv() {
        let html = String::from_utf8(html).map_err(|_| format!("{path} is not UTF-8"))?;
        let (lang, mut essential) = essential(&html);
        drop(html);
        if essential.len() > MAX_INDEXED_BYTES {
            shortened.push((
                path.clone(),
                format!(
                    "only the first {} MiB of this page ({:.1} MiB) are in the search index",
                    MAX_INDEXED_BYTES / (1024 * 1024),
                    essential.len() as f64 / (1024.0 * 1024.0)
                ),
            ));
            let mut end = MAX_INDEXED_BYTES;
            while !essential.is_char_boundary(end) {
                end -= 1;
            }
            essential.truncate(end);
        }
        // A text that cannot be written to the spill file stays in memory.
        let kept = match spill.and_then(|s| s.put(&essential)) {
            Some(at) => Kept::Spilled(at),
            None => Kept::Text(essential),
        };
        by_language
            .entry(language_folder(&lang))
            .or_default()
            .insert(path, kept);
    }
    Ok(Collected {
        by_language,
        shortened,
    })
}

/// Splits each language into shards, reuses the unchanged ones and
/// indexes the others side by side, handing every file to `write` as
/// soon as its shard is done.
fn index(
    collected: Collected,
    previous: &Previous,
    spill: Option<&Spill>,
    write: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<SearchBundle, Failure> {
    // `build` and `serve` refuse a bad value before anything is rendered.
    let shard_pages = shard_pages().unwrap_or(SHARD_PAGES);
    let mut shards: Vec<Shard> = collected
        .by_language
        .into_iter()
        .flat_map(|(folder, pages)| split(folder, pages, shard_pages))
        .collect();
    let old: serde_json::Value = previous
        .read(MANIFEST)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    // The largest shards first, so the last one to finish is a small one.
    shards.sort_by_key(|s| std::cmp::Reverse(s.pages.len()));
    let results: Vec<Result<ShardDone, Failure>> = shards
        .par_iter_mut()
        .map(|shard| {
            // The shard's texts, read back once: for its key and, unless
            // the shard is reused, for Pagefind. One shard per core is in
            // memory at a time.
            let pages: Vec<(String, String)> = std::mem::take(&mut shard.pages)
                .into_iter()
                .map(|(path, kept)| (path, kept.into_text(spill)))
                .collect();
            shard.key = key(shard, &pages);
            let reusable = old["languages"][&shard.folder]["shards"][shard.number].as_str()
                == Some(shard.key.as_str());
            let (files, reused) = match reusable
                .then(|| previous.shard_files(&shard.prefix()))
                .flatten()
            {
                Some(files) => (files, true),
                None => {
                    let written = index_shard(shard, pages).map_err(Failure::Index)?;
                    (
                        ShardFiles {
                            written,
                            copied: Vec::new(),
                        },
                        false,
                    )
                }
            };
            for file in files.written {
                write(file).map_err(Failure::Write)?;
            }
            Ok((files.copied, reused))
        })
        .collect();
    let mut copies = Vec::new();
    let (mut indexed_shards, mut reused_shards) = (0, 0);
    for result in results {
        let (copied, reused) = result?;
        copies.extend(copied);
        if reused {
            reused_shards += 1;
        } else {
            indexed_shards += 1;
        }
    }
    write(OutputFile {
        path: MANIFEST.to_string(),
        bytes: manifest(&shards).into_bytes(),
    })
    .map_err(Failure::Write)?;
    copies.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(SearchBundle {
        copies,
        shortened: collected.shortened,
        indexed_shards,
        reused_shards,
    })
}

/// The folder of a language's index: its code as Pagefind and the theme's
/// search script see it (lower case), or `unknown` for pages without a
/// usable `lang` (the script makes the same choice).
fn language_folder(lang: &str) -> String {
    if !lang.is_empty()
        && lang
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        lang.to_string()
    } else {
        "unknown".to_string()
    }
}

/// Splits a language's pages into shards of at most `shard_pages` (up to
/// [`MAX_SHARDS`]), by a stable hash of each page's path: a page stays in
/// its shard while the number of shards stays the same.
fn split(folder: String, pages: BTreeMap<String, Kept>, shard_pages: usize) -> Vec<Shard> {
    let mut count = pages.len().div_ceil(shard_pages).clamp(1, MAX_SHARDS);
    // Every shard must hold a page (Pagefind writes no index for none):
    // with few pages per shard the hash can leave one empty, and then
    // there are fewer shards.
    while count > 1 && {
        let mut used = vec![false; count];
        for path in pages.keys() {
            used[(fnv1a(path.as_bytes()) % count as u64) as usize] = true;
        }
        used.contains(&false)
    } {
        count -= 1;
    }
    let mut shards: Vec<Shard> = (0..count)
        .map(|number| Shard {
            folder: folder.clone(),
            number,
            pages: Vec::new(),
            key: String::new(),
        })
        .collect();
    // Pages come in path order, so every shard's pages are in path order.
    for (path, kept) in pages {
        let number = (fnv1a(path.as_bytes()) % count as u64) as usize;
        shards[number].pages.push((path, kept));
    }
    shards
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and Rust
/// version (unlike the standard library's), to place pages in shards.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What a shard's index is made of: the Pagefind version, drehbuch's
/// version (which decides what of a page is kept), the shard's place, and
/// every page's path and indexed HTML in order.
fn key(shard: &Shard, pages: &[(String, String)]) -> String {
    let mut hash = Sha256::new();
    for part in [
        PAGEFIND_VERSION,
        env!("CARGO_PKG_VERSION"),
        &shard.folder,
        &shard.number.to_string(),
    ] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    for (path, html) in pages {
        hash.update((path.len() as u64).to_le_bytes());
        hash.update(path.as_bytes());
        hash.update((html.len() as u64).to_le_bytes());
        hash.update(html.as_bytes());
    }
    format!("{:x}", hash.finalize())
}

/// `pagefind/shards.json`: per language folder, the keys of its shards
/// (their number is what the search script needs).
fn manifest(shards: &[Shard]) -> String {
    let mut languages: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for shard in shards {
        languages
            .entry(&shard.folder)
            .or_default()
            .push((shard.number, &shard.key));
    }
    let languages: serde_json::Map<String, serde_json::Value> = languages
        .into_iter()
        .map(|(folder, mut keys)| {
            keys.sort();
            let keys: Vec<&str> = keys.into_iter().map(|(_, key)| key).collect();
            (folder.to_string(), serde_json::json!({ "shards": keys }))
        })
        .collect();
    serde_json::json!({ "pagefind": PAGEFIND_VERSION, "languages": languages }).to_string()
}

/// Without the `search` feature there is no Pagefind to index with; the
/// configuration refuses `search: true` then, so this is not reached by
/// a build.
#[cfg(not(feature = "search"))]
fn index_shard(_shard: &Shard, _pages: Vec<(String, String)>) -> Result<Vec<OutputFile>, String> {
    Err(crate::config::BUILT_WITHOUT_SEARCH.to_string())
}

/// Indexes one shard's pages, in path order (Pagefind's output depends on
/// the order), with a single-threaded runtime driving Pagefind's async
/// API. Shard 0 of a language carries Pagefind's scripts and the
/// language's WebAssembly; the merged shards need only their index.
#[cfg(feature = "search")]
fn index_shard(shard: &Shard, pages: Vec<(String, String)>) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    let prefix = shard.prefix();
    runtime.block_on(async move {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(false)
            .write_playground(false)
            .build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(config)).map_err(|e| format!("{e:#}"))?;
        let adding = crate::timing::stage("search: add pages");
        for (path, html) in pages {
            index
                .add_html_file(Some(path.clone()), None, html)
                .await
                .map_err(|e| format!("{path}: {e:#}"))?;
        }
        drop(adding);
        let writing = crate::timing::stage("search: build and write");
        let files = index.get_files().await.map_err(|e| format!("{e:#}"))?;
        drop(writing);
        // The WebAssembly the shard's language uses, as its entry names it
        // (Pagefind also writes one for pages without a language).
        let wasm_used: Vec<String> = files
            .iter()
            .find(|f| f.filename.as_os_str() == "pagefind-entry.json")
            .and_then(|f| serde_json::from_slice::<serde_json::Value>(&f.contents).ok())
            .and_then(|entry| {
                Some(
                    entry
                        .get("languages")?
                        .as_object()?
                        .values()
                        .filter_map(|l| Some(format!("wasm.{}.pagefind", l.get("wasm")?.as_str()?)))
                        .collect(),
                )
            })
            .unwrap_or_default();
        Ok(files
            .into_iter()
            .filter_map(|file| {
                let name = file.filename.to_string_lossy().replace('\\', "/");
                let script = name == "pagefind.js" || name == "pagefind-worker.js";
                let wasm = name.starts_with("wasm.") && name.ends_with(".pagefind");
                let keep = !UNUSED.contains(&name.as_str())
                    && (shard.number == 0 || !(script || wasm))
                    && (!wasm || wasm_used.is_empty() || wasm_used.contains(&name));
                keep.then(|| OutputFile {
                    path: format!("{prefix}{name}"),
                    bytes: file.contents,
                })
            })
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Indexes two pages (keeping their text in `spill` if given) and
    /// returns the bundle's files.
    #[cfg(feature = "search")]
    fn index_two_pages(spill: Option<Arc<Spill>>) -> Vec<OutputFile> {
        let indexer = Indexer::start(Previous::None, spill);
        indexer.add(
            "de/a/index.html",
            b"<html lang=\"de\"><body><nav>Navigation</nav><main data-pagefind-body><h1>Keller</h1><p>Wasser im Keller.</p></main></body></html>".to_vec(),
        );
        indexer.add(
            "en/a/index.html",
            b"<html lang=\"en\"><body><main data-pagefind-body><h1>Basement</h1><p>Water.</p></main></body></html>".to_vec(),
        );
        let files = std::sync::Mutex::new(Vec::new());
        let bundle = indexer
            .finish(&|f| {
                files.lock().unwrap().push(f);
                Ok(())
            })
            .unwrap();
        assert!(bundle.copies.is_empty() && bundle.shortened.is_empty());
        assert_eq!((bundle.indexed_shards, bundle.reused_shards), (2, 0));
        let mut files = files.into_inner().unwrap();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    #[test]
    #[cfg(feature = "search")]
    fn pages_are_indexed_per_language_and_only_their_body() {
        let files = index_two_pages(None);
        // Text kept in a spill file gives the same index as text in memory.
        let dir =
            std::env::temp_dir().join(format!("drehbuch-search-spill-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spilled = index_two_pages(Some(Arc::new(Spill::create(&dir).unwrap())));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            files
                .iter()
                .map(|f| (&f.path, &f.bytes))
                .collect::<Vec<_>>(),
            spilled
                .iter()
                .map(|f| (&f.path, &f.bytes))
                .collect::<Vec<_>>()
        );
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"pagefind/de/0/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/en/0/pagefind-entry.json"));
        assert!(names.contains(&"pagefind/en/0/wasm.en.pagefind"));
        assert!(!names.contains(&"pagefind/en/0/wasm.unknown.pagefind"));
        assert!(!names.contains(&"pagefind/de/0/pagefind-ui.js"));
        let entry = files
            .iter()
            .find(|f| f.path == "pagefind/de/0/pagefind-entry.json")
            .unwrap();
        let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).unwrap();
        // The version the shard keys name is the one linked in.
        assert_eq!(entry["version"], PAGEFIND_VERSION);
        assert_eq!(entry["languages"]["de"]["page_count"], 1, "{entry}");
        let manifest = files.iter().find(|f| f.path == MANIFEST).unwrap();
        let manifest: serde_json::Value = serde_json::from_slice(&manifest.bytes).unwrap();
        assert_eq!(
            manifest["languages"]["en"]["shards"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn shards_are_stable_never_empty_and_in_path_order() {
        let pages: BTreeMap<String, Kept> = (0..45)
            .map(|i| {
                (
                    format!("de/p{i:02}/index.html"),
                    Kept::Text(format!("<p>{i}</p>")),
                )
            })
            .collect();
        let shards = split("de".into(), pages.clone(), 10);
        assert_eq!(shards.len(), 5);
        assert!(shards.iter().all(|s| !s.pages.is_empty()));
        assert_eq!(shards.iter().map(|s| s.pages.len()).sum::<usize>(), 45);
        for shard in &shards {
            assert!(shard.pages.windows(2).all(|w| w[0].0 < w[1].0));
        }
        // A page keeps its shard when another page is added (and the
        // number of shards stays).
        let mut more = pages.clone();
        more.insert("de/zz/index.html".into(), Kept::Text("<p>new</p>".into()));
        let again = split("de".into(), more, 10);
        for (before, after) in shards.iter().zip(&again) {
            assert!(before.pages.iter().all(|p| after.pages.contains(p)));
        }
        // One page per shard: fewer shards rather than empty ones.
        let tiny = split("de".into(), pages.into_iter().take(3).collect(), 1);
        assert!(!tiny.is_empty() && tiny.iter().all(|s| !s.pages.is_empty()));
        assert_eq!(fnv1a(b"de/index.html"), fnv1a(b"de/index.html"));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
