//! HTTP for the preview, over `tiny_http`, which gets only requests the
//! gate ([`super::gate`]) has read and checked: one thread per request,
//! so a slow or stalled client never holds up another request or a
//! rebuild.
//! Pages come from memory, static files from the site folder (only files
//! the layers list, so a request can never reach outside the site), with
//! the right content type, `Cache-Control: no-store`, `index.html` for
//! folder URLs, a redirect from `/de` to `/de/`, and the site's own 404
//! page. HTML gets the live-reload script; server-sent events at
//! `/__drehbuch/events` tell it when to reload.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Request, Response};

use super::store::Store;
use crate::sources::layers::Layers;

/// Path of the server-sent events endpoint.
pub(crate) const EVENTS_PATH: &str = "/__drehbuch/events";
/// Path of the live-reload script.
pub(crate) const SCRIPT_PATH: &str = "/__drehbuch/live.js";

const LIVE_JS: &str = include_str!("live.js");

/// What the preview serves right now.
#[derive(Default)]
pub(crate) struct Served {
    /// Rendered and static files.
    pub store: Store,
    /// Reads static files.
    pub layers: Option<Layers>,
    /// The problems of the last rebuild, as the terminal shows them; empty
    /// after a good build.
    pub errors: Vec<String>,
    /// Every problem the last rebuild and the output checks found, as the
    /// panel's JSON ([`super::problems::panel_json`]).
    pub problems: String,
    /// Texts of the overlay and the problem panel per language.
    pub overlay_texts: OverlayTexts,
    /// Output paths of the pages the search index holds; empty when the
    /// site has no search.
    pub search_paths: std::collections::HashSet<String>,
    /// Counts publishes, so a search index knows which site it belongs to.
    pub generation: u64,
    /// The search index, built on the first request for it after each
    /// rebuild (indexing every save would slow the preview down).
    pub search: Arc<Mutex<SearchCache>>,
    /// The print editions' PDFs, made when asked for.
    #[cfg(feature = "pdf")]
    pub pdfs: super::pdf::PdfShelf,
}

/// The UI texts of the overlay and the problem panel, per language: for
/// each, the texts by name (`title`, `hint`, `problems`, `problems_hint`)
/// and `lang`, the language they are in.
pub(crate) type OverlayTexts =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// The search bundle of one generation of the preview.
#[derive(Default)]
pub(crate) struct SearchCache {
    generation: u64,
    /// The bundle by output path; also what the next index reuses.
    files: Option<Arc<std::collections::BTreeMap<String, Vec<u8>>>>,
}

/// One event for the browsers: its SSE name and JSON data.
#[derive(Clone, Debug, Default)]
pub(crate) struct Event {
    /// `reload` or `errors`.
    pub name: String,
    /// JSON data.
    pub data: String,
}

/// Hands events to every connected browser.
#[derive(Default)]
pub(crate) struct Hub {
    state: Mutex<(u64, Event)>,
    ready: Condvar,
}

impl Hub {
    /// Publishes an event to every connected browser.
    pub(crate) fn publish(&self, event: Event) {
        if let Ok(mut state) = self.state.lock() {
            state.0 += 1;
            state.1 = event;
        }
        self.ready.notify_all();
    }

    /// The latest event, if newer than `seen`; waits up to `timeout`.
    fn next(&self, seen: u64, timeout: Duration) -> Option<(u64, Event)> {
        let state = self.state.lock().ok()?;
        let (state, _) = self
            .ready
            .wait_timeout_while(state, timeout, |s| s.0 == seen)
            .ok()?;
        (state.0 != seen).then(|| (state.0, state.1.clone()))
    }

    fn generation(&self) -> u64 {
        self.state.lock().map(|s| s.0).unwrap_or(0)
    }
}

/// Serves one request (called on its own thread).
pub(crate) fn handle(request: Request, served: &RwLock<Served>, hub: &Hub) {
    let raw = request.url().to_string();
    let path = raw.split(['?', '#']).next().unwrap_or("").to_string();
    if path == EVENTS_PATH {
        events(request, served, hub);
        return;
    }
    if path == super::problems::PROBLEMS_PATH {
        let body = served
            .read()
            .map(|s| s.problems.clone())
            .unwrap_or_default();
        let body = if body.is_empty() {
            super::problems::panel_json(&[], &[], true)
        } else {
            body
        };
        let _ = request.respond(with_headers(
            Response::from_data(body.into_bytes()),
            "application/json",
        ));
        return;
    }
    if path == SCRIPT_PATH {
        let _ = request.respond(with_headers(
            Response::from_data(LIVE_JS.as_bytes().to_vec()),
            "text/javascript; charset=utf-8",
        ));
        return;
    }
    let Some(key) = site_path(&path) else {
        not_found(request, served);
        return;
    };
    let Ok(mut guard) = served.read() else {
        let _ = request.respond(Response::empty(500));
        return;
    };
    // The search bundle's folder, as in a build: its files first, then
    // whatever else the site put there (and `/pagefinder.txt` is no part
    // of it).
    let in_bundle = key
        .strip_prefix(crate::output::search::BUNDLE_DIR)
        .is_some_and(|rest| rest.starts_with('/'));
    if in_bundle && !guard.search_paths.is_empty() {
        drop(guard);
        if let Some(bytes) = search_file(served, &key) {
            respond_file(request, &key, &bytes, false, &Default::default());
            return;
        }
        guard = match served.read() {
            Ok(guard) => guard,
            Err(_) => {
                let _ = request.respond(Response::empty(500));
                return;
            }
        };
    }
    #[cfg(feature = "pdf")]
    if key.ends_with(".pdf") && guard.pdfs.is_pending() {
        drop(guard);
        guard = match pdfs_ready(served) {
            Some(guard) => guard,
            None => {
                let _ = request.respond(Response::empty(500));
                return;
            }
        };
    }
    #[cfg(feature = "pdf")]
    if let Some(pdf) = guard.pdfs.request(&key) {
        drop(guard);
        match pdf.make() {
            Ok((bytes, _)) => respond_file(request, &key, &bytes, false, &Default::default()),
            Err(_) => {
                let _ = request.respond(Response::empty(500));
            }
        }
        return;
    }
    if let Some(bytes) = guard.store.files.get(&key).cloned() {
        let errors = !guard.errors.is_empty();
        let texts = guard.overlay_texts.clone();
        drop(guard);
        respond_file(request, &key, &bytes, errors, &texts);
        return;
    }
    if let Some(origin) = guard.store.statics.get(&key).cloned() {
        let bytes = guard
            .layers
            .as_ref()
            .and_then(|layers| layers.read(&origin).ok())
            .map(|b| b.into_owned());
        drop(guard);
        match bytes {
            Some(bytes) => respond_file(request, &key, &bytes, false, &Default::default()),
            None => not_found(request, served),
        }
        return;
    }
    // `/de` for the folder `/de/`: redirect, as web servers do.
    let folder = format!("{key}/index.html");
    let is_folder = !key.ends_with("index.html")
        && (guard.store.files.contains_key(&folder) || guard.store.statics.contains_key(&folder));
    drop(guard);
    if is_folder {
        let location = format!("{path}/");
        let response = Response::empty(301)
            .with_header(header("Location", &location))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(response);
        return;
    }
    not_found(request, served);
}

/// The output path a request path names, or `None` when it could leave
/// the site (`..`, encoded slashes or dots, backslashes, NUL, absolute
/// paths) or is not valid UTF-8. Hidden names are not refused here: only
/// files the static listing holds are served, and that listing leaves out
/// hidden files exactly as a build does (`publish_hidden` included).
pub(crate) fn site_path(path: &str) -> Option<String> {
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/').skip(1) {
        match part {
            "." | ".." => return None,
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Some(if joined.is_empty() || joined.ends_with('/') {
        format!("{joined}index.html")
    } else {
        joined
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("constant header")
    })
}

fn with_headers<R: std::io::Read>(response: Response<R>, content_type: &str) -> Response<R> {
    response
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

/// The content type for a file name.
pub(crate) fn content_type(path: &str) -> &'static str {
    if path.ends_with("/atom.xml") || path == "atom.xml" {
        return "application/atom+xml";
    }
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The served state once the PDFs' data of the last rebuild is in (taken
/// right after the reload); at most 30 s, then what there is. `None` when
/// the lock is poisoned.
#[cfg(feature = "pdf")]
fn pdfs_ready(served: &RwLock<Served>) -> Option<std::sync::RwLockReadGuard<'_, Served>> {
    let started = std::time::Instant::now();
    loop {
        let guard = served.read().ok()?;
        if !guard.pdfs.is_pending() || started.elapsed() > Duration::from_secs(30) {
            return Some(guard);
        }
        drop(guard);
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A file of the search bundle, indexing the served pages first if the
/// index is older than they are. One index is built at a time.
fn search_file(served: &RwLock<Served>, key: &str) -> Option<Vec<u8>> {
    let (cache, generation, pages) = {
        let guard = served.read().ok()?;
        let pages: Vec<(String, Arc<Vec<u8>>)> = guard
            .search_paths
            .iter()
            .filter_map(|p| Some((p.clone(), guard.store.files.get(p)?.clone())))
            .collect();
        (Arc::clone(&guard.search), guard.generation, pages)
    };
    let mut cache = cache.lock().ok()?;
    if cache.files.is_none() || cache.generation != generation {
        // Shards whose pages did not change are taken from the last index.
        let previous = cache
            .files
            .clone()
            .map_or(crate::output::search::Previous::None, |files| {
                crate::output::search::Previous::Files(files)
            });
        let indexer = crate::output::search::Indexer::start(previous, None);
        for (path, html) in pages {
            indexer.add(&path, html.to_vec());
        }
        // Long pages are indexed in part, as in a build (which warns).
        let written = Mutex::new(std::collections::BTreeMap::new());
        let bundle = indexer
            .finish(&|f| {
                if let Ok(mut files) = written.lock() {
                    files.insert(f.path, f.bytes);
                }
                Ok(())
            })
            .ok()?;
        // The preview reuses shards from memory only, so nothing is to be
        // copied from a folder; were it, the files are read here.
        let mut files = written.into_inner().ok()?;
        for (from, path) in bundle.copies {
            files.insert(path, std::fs::read(from).ok()?);
        }
        cache.files = Some(Arc::new(files));
        cache.generation = generation;
    }
    cache.files.as_ref()?.get(key).cloned()
}

fn respond_file(request: Request, path: &str, bytes: &[u8], _errors: bool, texts: &OverlayTexts) {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        with_live_reload(bytes, texts)
    } else {
        bytes.to_vec()
    };
    let _ = request.respond(with_headers(Response::from_data(body), kind));
}

fn not_found(request: Request, served: &RwLock<Served>) {
    let (body, texts) = match served.read() {
        Ok(guard) => (
            guard.store.files.get("404.html").cloned(),
            guard.overlay_texts.clone(),
        ),
        Err(_) => (None, Default::default()),
    };
    let body = match body {
        Some(bytes) => with_live_reload(&bytes, &texts),
        None => with_live_reload(
            b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>",
            &texts,
        ),
    };
    let response =
        with_headers(Response::from_data(body), "text/html; charset=utf-8").with_status_code(404);
    let _ = request.respond(response);
}

/// The page with the live-reload script before `</body>`, with the
/// overlay's texts in the page's language.
fn with_live_reload(html: &[u8], texts: &OverlayTexts) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let lang = text
        .find("<html lang=\"")
        .and_then(|at| {
            let rest = &text[at + 12..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .unwrap_or_default();
    let mut config = serde_json::Map::new();
    for (name, text) in texts.get(&lang).into_iter().flatten() {
        config.insert(name.clone(), text.clone().into());
    }
    // The texts' own language when they came from another one.
    config.entry("lang").or_insert_with(|| lang.into());
    let config = serde_json::Value::Object(config);
    let snippet = format!(
        "<script>window.__drehbuch={}</script><script src=\"{SCRIPT_PATH}\" defer></script>",
        config.to_string().replace("</", "<\\/")
    );
    let mut out = text.into_owned();
    match out.rfind("</body>") {
        Some(at) => out.insert_str(at, &snippet),
        None => out.push_str(&snippet),
    }
    out.into_bytes()
}

/// The server-sent events stream: the current problems at once, then one
/// event per rebuild; a comment every 15 s keeps the connection open.
fn events(request: Request, served: &RwLock<Served>, hub: &Hub) {
    let mut seen = hub.generation();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() || writer.flush().is_err() {
        return;
    }
    let current = served
        .read()
        .ok()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    if !current.is_empty() {
        let event = errors_event(&current);
        if write_event(&mut writer, &event).is_err() {
            return;
        }
    }
    loop {
        match hub.next(seen, Duration::from_secs(15)) {
            Some((generation, event)) => {
                seen = generation;
                if write_event(&mut writer, &event).is_err() {
                    return;
                }
            }
            None => {
                if writer.write_all(b": ping\n\n").is_err() || writer.flush().is_err() {
                    return;
                }
            }
        }
    }
}

fn write_event(writer: &mut Box<dyn Write + Send>, event: &Event) -> std::io::Result<()> {
    write!(writer, "event: {}\ndata: {}\n\n", event.name, event.data)?;
    writer.flush()
}

/// The event that shows the overlay with these problems.
pub(crate) fn errors_event(errors: &[String]) -> Event {
    Event {
        name: "errors".into(),
        data: serde_json::json!({"count": errors.len(), "text": errors.join("\n")}).to_string(),
    }
}

/// The event that reloads pages (or only their stylesheets).
pub(crate) fn reload_event(css_only: bool) -> Event {
    Event {
        name: "reload".into(),
        data: serde_json::json!({ "css": css_only }).to_string(),
    }
}

/// Serves requests until the server stops: each on its own thread. Only
/// requests the gate handed over (with a valid ticket) are answered;
/// each keeps its connection counted until it is answered. If the HTTP
/// library fails, the preview says so and exits.
pub(crate) fn run(
    server: tiny_http::Server,
    served: Arc<RwLock<Served>>,
    hub: Arc<Hub>,
    tickets: Arc<super::handoff::Tickets>,
) {
    loop {
        let request = match server.recv() {
            Ok(request) => request,
            Err(e) => super::give_up(&format!("the preview's HTTP server failed ({e})")),
        };
        let slot = request
            .headers()
            .iter()
            .find(|h| h.field.equiv(super::handoff::TICKET_HEADER))
            .and_then(|h| tickets.redeem(h.value.as_str()));
        let Some(slot) = slot else {
            let _ = request.respond(Response::empty(403));
            continue;
        };
        let served = Arc::clone(&served);
        let hub = Arc::clone(&hub);
        let _ = std::thread::Builder::new()
            .name("drehbuch-http".into())
            .spawn(move || {
                handle(request, &served, &hub);
                drop(slot);
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_never_leave_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/de/").as_deref(), Some("de/index.html"));
        assert_eq!(site_path("/de").as_deref(), Some("de"));
        assert_eq!(site_path("/css/site.css").as_deref(), Some("css/site.css"));
        assert_eq!(
            site_path("/de/h%C3%BCtte/").as_deref(),
            Some("de/hütte/index.html")
        );
        for bad in [
            "/../etc/passwd",
            "/de/../../x",
            "/%2e%2e/etc/passwd",
            "/de%2f..%2fx",
            "/de\\..\\x",
            "/de/%5c..",
            "/a%00b",
            "//etc/passwd",
            "etc/passwd",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn live_reload_goes_before_the_end_of_the_body() {
        let html = b"<html lang=\"de\"><body><p>x</p></body></html>";
        let mut texts = std::collections::BTreeMap::new();
        texts.insert(
            "de".to_string(),
            [("title".to_string(), "Fehler".to_string())].into(),
        );
        let out = String::from_utf8(with_live_reload(html, &texts)).unwrap();
        assert!(out.contains("\"title\":\"Fehler\""), "{out}");
        assert!(out.ends_with("defer></script></body></html>"), "{out}");
    }
}
