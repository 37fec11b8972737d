//! The full-text search index, written by the build itself with the
//! Pagefind library: no second tool for editors or CI to install.
//!
//! Pages go to the index while the site renders: [`Indexer::add`] hands a
//! rendered page to a thread that keeps only what Pagefind reads (the
//! `<html>` tag with its `lang` and the `<main data-pagefind-body>`
//! element). Pagefind's output depends on the order pages are added, and
//! rendering is parallel, so the pages are added in path order once all
//! are in: the index is the same on every build. Each language is its own
//! index (as Pagefind splits by `<html lang>`), built on its own thread;
//! the bundles share their scripts and list their languages in one
//! `pagefind-entry.json`. Pagefind
//! indexes only what the theme marks with `data-pagefind-body` (the main
//! content) minus `data-pagefind-ignore` parts. [`Indexer::finish`]
//! returns the bundle for `/pagefind/`, without Pagefind's own UI files
//! (the theme has its own search page).

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::OutputFile;
use crate::diagnostics::{Diagnostic, Severity};

/// Folder of the search bundle in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Pagefind files the built-in theme does not use (Pagefind's ready-made
/// search interfaces): left out of the output.
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

/// What [`Indexer::finish`] returns: the bundle's files and the pages
/// that were indexed only in part.
pub struct SearchBundle {
    /// The files under [`BUNDLE_DIR`].
    pub files: Vec<OutputFile>,
    /// Pages longer than the index takes: (output path, what happened).
    pub shortened: Vec<(String, String)>,
}

/// Builds the search index on its own thread from pages handed to it.
pub struct Indexer {
    sender: Option<SyncSender<(String, Vec<u8>)>>,
    worker: Option<JoinHandle<Result<SearchBundle, String>>>,
}

impl Indexer {
    /// Starts the indexing thread.
    pub fn start() -> Indexer {
        let (sender, receiver) = sync_channel(QUEUE);
        let worker = std::thread::Builder::new()
            .name("search-index".into())
            .spawn(move || index(receiver))
            .ok();
        Indexer {
            sender: Some(sender),
            worker,
        }
    }

    /// Adds the rendered page written to `path` (`de/formate/x/index.html`).
    pub fn add(&self, path: &str, html: Vec<u8>) {
        if let Some(sender) = &self.sender {
            // A closed channel means the worker failed; `finish` says why.
            let _ = sender.send((path.to_string(), html));
        }
    }

    /// Builds the index and returns its files, at paths under
    /// [`BUNDLE_DIR`], and warnings about pages indexed only in part.
    pub fn finish(mut self) -> Result<SearchBundle, Diagnostic> {
        drop(self.sender.take());
        let result = match self.worker.take() {
            Some(worker) => worker
                .join()
                .unwrap_or_else(|_| Err("the indexing thread stopped unexpectedly".into())),
            None => Err("the indexing thread could not be started".into()),
        };
        result.map_err(|message| {
            Diagnostic::global(Severity::Error, format!("search index: {message}"))
                .with_help("set `search: false` in site.yaml to build without search, and report this problem")
                .with_kind("search")
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

/// The indexing thread: collects the pages by language, then indexes each
/// language on its own thread and joins the bundles.
fn index(pages: Receiver<(String, Vec<u8>)>) -> Result<SearchBundle, String> {
    let mut by_language: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut shortened = Vec::new();
    while let Ok((path, html)) = pages.recv() {
        let html = String::from_utf8(html).map_err(|_| format!("{path} is not UTF-8"))?;
        let (lang, mut essential) = essential(&html);
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
        by_language.entry(lang).or_default().insert(path, essential);
    }
    // Pagefind indexes a language's pages one after another; languages
    // are independent indexes, so they are built side by side.
    let bundles: Vec<Result<Vec<OutputFile>, String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = by_language
            .into_values()
            .map(|pages| scope.spawn(move || index_language(pages)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err("an indexing thread stopped".into()))
            })
            .collect()
    });
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut entry: Option<serde_json::Value> = None;
    for bundle in bundles {
        for file in bundle? {
            if file.path == ENTRY {
                entry = Some(merge_entries(entry, &file.bytes)?);
            } else {
                files.entry(file.path).or_insert(file.bytes);
            }
        }
    }
    if let Some(entry) = entry {
        files.insert(ENTRY.to_string(), entry.to_string().into_bytes());
    }
    Ok(SearchBundle {
        files: files
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect(),
        shortened,
    })
}

/// The list of languages of the bundle, which the browser reads first.
const ENTRY: &str = "pagefind/pagefind-entry.json";

/// Adds the languages of one language's `pagefind-entry.json` to `merged`.
fn merge_entries(
    merged: Option<serde_json::Value>,
    bytes: &[u8],
) -> Result<serde_json::Value, String> {
    let entry: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("pagefind-entry.json: {e}"))?;
    let Some(mut merged) = merged else {
        return Ok(entry);
    };
    if let (Some(all), Some(more)) = (
        merged.get_mut("languages").and_then(|l| l.as_object_mut()),
        entry.get("languages").and_then(|l| l.as_object()),
    ) {
        for (lang, meta) in more {
            all.insert(lang.clone(), meta.clone());
        }
    }
    Ok(merged)
}

/// Indexes the pages of one language, in path order (Pagefind's output
/// depends on the order), with a single-threaded runtime driving
/// Pagefind's async API.
fn index_language(pages: BTreeMap<String, String>) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
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
        Ok(files
            .into_iter()
            .filter_map(|file| {
                let name = file.filename.to_string_lossy().replace('\\', "/");
                (!UNUSED.contains(&name.as_str())).then(|| OutputFile {
                    path: format!("{BUNDLE_DIR}/{name}"),
                    bytes: file.contents,
                })
            })
            .collect())
    })
}

/// The language of a page and the part of it Pagefind reads: the
/// `<html …>` start tag (for the language) and the
/// `<main data-pagefind-body>` element, when the page has them; else the
/// whole page. Inside `<pre>` blocks only the text is kept: highlighted
/// code is mostly `<span>` tags, which Pagefind would parse for nothing.
fn essential(html: &str) -> (String, String) {
    let html_tag = html
        .find("<html")
        .and_then(|start| Some(&html[start..start + html[start..].find('>')? + 1]));
    let lang = html_tag
        .and_then(|tag| {
            let at = tag.find(" lang=\"")? + 7;
            Some(tag[at..at + tag[at..].find('"')?].to_ascii_lowercase())
        })
        .unwrap_or_default();
    let main = html.find("<main").and_then(|start| {
        let tag_end = start + html[start..].find('>')?;
        if !html[start..tag_end].contains("data-pagefind-body") {
            return None;
        }
        let end = html.rfind("</main>")?;
        (end > tag_end).then(|| &html[start..end + "</main>".len()])
    });
    let kept = match (html_tag, main) {
        (Some(tag), Some(main)) => {
            let mut kept = String::with_capacity(tag.len() + main.len() + 24);
            kept.push_str(tag);
            kept.push_str("<body>");
            push_without_code_markup(&mut kept, main);
            kept.push_str("</body></html>");
            kept
        }
        _ => html.to_string(),
    };
    (lang, kept)
}

/// Appends `html` to `out`, dropping the tags between each `<pre…>` and
/// its `</pre>` (the text, with its character references, stays). The
/// text Pagefind indexes is the same; its HTML parser has half as much to
/// read on a page with a highlighted code block.
fn push_without_code_markup(out: &mut String, html: &str) {
    let mut rest = html;
    while let Some(start) = find_pre(rest) {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</pre>").map(|i| open_end + i) else {
            break;
        };
        out.push_str(&rest[..open_end]);
        let mut inner = &rest[open_end..close];
        while let Some(lt) = inner.find('<') {
            out.push_str(&inner[..lt]);
            match inner[lt..].find('>') {
                Some(gt) => inner = &inner[lt + gt + 1..],
                None => inner = "",
            }
        }
        out.push_str(inner);
        rest = &rest[close..];
        out.push_str("</pre>");
        rest = &rest["</pre>".len()..];
    }
    out.push_str(rest);
}

/// The position of the next `<pre>` or `<pre …>` start tag in `html`.
fn find_pre(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<pre") {
        let at = from + i;
        match html.as_bytes().get(at + 4) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/') => return Some(at),
            _ => from = at + 4,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_indexed_per_language_and_only_their_body() {
        let indexer = Indexer::start();
        indexer.add(
            "de/a/index.html",
            b"<html lang=\"de\"><body><nav>Navigation</nav><main data-pagefind-body><h1>Keller</h1><p>Wasser im Keller.</p></main></body></html>".to_vec(),
        );
        indexer.add(
            "en/a/index.html",
            b"<html lang=\"en\"><body><main data-pagefind-body><h1>Basement</h1><p>Water.</p></main></body></html>".to_vec(),
        );
        let files = indexer.finish().unwrap().files;
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"));
        assert!(!names.contains(&"pagefind/pagefind-ui.js"));
        let entry = files
            .iter()
            .find(|f| f.path == "pagefind/pagefind-entry.json")
            .unwrap();
        let entry = String::from_utf8_lossy(&entry.bytes);
        assert!(
            entry.contains("\"de\"") && entry.contains("\"en\""),
            "{entry}"
        );
    }

    #[test]
    fn only_the_language_and_the_main_element_are_kept() {
        let page = "<!DOCTYPE html><html lang=\"RO\"><head><title>T</title></head><body><nav>N</nav><main id=\"m\" data-pagefind-body><h1>H</h1><main-ish></main></body></html>";
        let (lang, kept) = essential(page);
        assert_eq!(lang, "ro");
        assert_eq!(
            kept,
            "<html lang=\"RO\"><body><main id=\"m\" data-pagefind-body><h1>H</h1><main-ish></main></body></html>"
        );
        let plain = "<html><body><main><p>x</p></main></body></html>";
        assert_eq!(essential(plain), (String::new(), plain.to_string()));
        assert_eq!(
            essential("<main data-pagefind-body").1,
            "<main data-pagefind-body"
        );
    }

    #[test]
    fn code_blocks_keep_their_text_without_markup() {
        let page = "<html lang=\"en\"><main data-pagefind-body><h2 id=\"c\">Code</h2><pre class=\"hl\"><code><span class=\"k\">fn</span> a&lt;T&gt;() {}\n</code></pre><preface>x</preface><p>after <b>bold</b></p><pre>plain</pre></main>";
        let (_, kept) = essential(page);
        assert_eq!(
            kept,
            "<html lang=\"en\"><body><main data-pagefind-body><h2 id=\"c\">Code</h2><pre class=\"hl\">fn a&lt;T&gt;() {}\n</pre><preface>x</preface><p>after <b>bold</b></p><pre>plain</pre></main></body></html>"
        );
        // Unterminated blocks and stray tags are kept as they are.
        let mut out = String::new();
        push_without_code_markup(&mut out, "<p>a</p><pre><span>b");
        assert_eq!(out, "<p>a</p><pre><span>b");
        let mut out = String::new();
        push_without_code_markup(&mut out, "<pre>a<span</pre>z");
        assert_eq!(out, "<pre>a</pre>z");
    }
}
