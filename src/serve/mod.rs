//! `drehbuch serve`: a live preview for editors. The site is built in
//! memory (nothing is written, `public/` is never touched) with the local
//! address as base URL and served over HTTP ([`http`]). A watcher
//! ([`watch`]) hands over batches of changed files, sorted by what they
//! feed ([`changes`]); the site is brought up
//! to date incrementally ([`crate::site::Site::apply`]) and only outputs
//! whose inputs changed are rendered again ([`store`]); browsers reload
//! through server-sent events, or show the build's problems in an overlay.
//! After a good rebuild the checks of `drehbuch check` run on the served
//! pages, and what they find shows in a panel that does not block the
//! page ([`problems`]). Errors never stop the server.
//!
//! Every connection passes the [`gate`] first: it reads the request head
//! within limits ([`head`]), answers only this computer's host names and
//! those allowed ([`hosts`]), only GET and HEAD, and as many connections
//! as the file handles allow; then it hands the request to the HTTP
//! library privately ([`handoff`]).

pub(crate) mod changes;
mod gate;
mod handoff;
mod head;
mod hosts;
pub(crate) mod http;
#[cfg(feature = "pdf")]
pub(crate) mod pdf;
pub(crate) mod problems;
mod readers;
pub(crate) mod store;
pub(crate) mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, UdpSocket};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use crate::diagnostics::Diagnostic;
use crate::site::{BuildOptions, Site};
use http::{Hub, Served};

/// What `drehbuch serve` was asked to do.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on (loopback unless asked otherwise).
    pub bind: IpAddr,
    /// The first port to try; busy ports are skipped.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Open the preview in a browser.
    pub open: bool,
    /// Host names answered besides this computer's own and IP addresses
    /// (`--allowed-host`); one starting with `.` allows every name under it.
    pub allowed_hosts: Vec<String>,
}

/// Says why the preview cannot go on, removes what it created and ends
/// the process with status 1: better than printing "serving" while
/// nothing answers.
pub(crate) fn give_up(message: &str) -> ! {
    eprintln!("error: {message}");
    handoff::remove_private_folder();
    std::process::exit(1)
}

/// An address of this computer that others on the network can probably
/// reach: the one the system would send from to an outside address (a
/// UDP "connection" sends nothing). `None` without a network.
fn network_address(unspecified: IpAddr) -> Option<IpAddr> {
    let outside: IpAddr = match unspecified {
        IpAddr::V4(_) => Ipv4Addr::new(192, 0, 2, 1).into(),
        IpAddr::V6(_) => Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).into(),
    };
    let socket = UdpSocket::bind(SocketAddr::new(unspecified, 0)).ok()?;
    socket.connect(SocketAddr::new(outside, 9)).ok()?;
    let address = socket.local_addr().ok()?.ip();
    (!address.is_unspecified() && !address.is_loopback()).then_some(address)
}

/// The warning for a preview that listens beyond loopback: where it
/// listens, and that other machines can open it.
fn network_warning(bind: IpAddr, port: u16, drafts: bool) -> Option<String> {
    if bind.is_loopback() {
        return None;
    }
    let listening = SocketAddr::new(bind, port);
    let (scope, example) = if bind.is_unspecified() {
        let example = network_address(bind)
            .map(|address| format!(", e.g. at http://{}/", SocketAddr::new(address, port)))
            .unwrap_or_default();
        (" (every network interface of this computer)", example)
    } else {
        ("", String::new())
    };
    let what = if drafts {
        "the preview, drafts included, and the text of build errors"
    } else {
        "the preview and the text of build errors"
    };
    Some(format!(
        "warning: listening on {listening}{scope}: other machines on the network can open \
         {what}{example}; use --bind 127.0.0.1 to keep it on this computer"
    ))
}

/// How many ports after a busy one are tried.
const PORT_TRIES: u16 = 20;

/// The first free port from `port` on, with the listener bound to it.
fn bind(address: IpAddr, port: u16) -> Result<(TcpListener, u16), String> {
    let mut last_error = String::new();
    for offset in 0..PORT_TRIES {
        let Some(candidate) = port.checked_add(offset) else {
            break;
        };
        match TcpListener::bind(SocketAddr::new(address, candidate)) {
            Ok(listener) => {
                let bound = listener.local_addr().map(|a| a.port()).unwrap_or(candidate);
                return Ok((listener, bound));
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    Err(format!(
        "no free port on {address} from {port} to {} ({last_error}); pass --port",
        port.saturating_add(PORT_TRIES - 1)
    ))
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprint!("{d}");
    }
}

/// The UI strings of the overlay, per site language. A language without
/// them shows them all in the first language of its fallback chain that
/// has them, and `lang` names that language.
fn overlay_texts(site: &Site) -> http::OverlayTexts {
    site.config
        .languages
        .iter()
        .map(|l| {
            let source = site.theme.i18n.source_lang(&l.code, "serve.overlay_title");
            let text = |key: &str| {
                site.theme
                    .i18n
                    .get(source, key, None, &[])
                    .map(|t| t.text())
                    .unwrap_or_default()
            };
            let texts = [
                ("title", "serve.overlay_title"),
                ("hint", "serve.overlay_hint"),
                ("problems", "serve.problems_title"),
                ("problems_hint", "serve.problems_hint"),
            ]
            .into_iter()
            .map(|(name, key)| (name.to_string(), text(key)))
            .filter(|(_, text)| !text.is_empty())
            .chain([("lang".to_string(), source.to_string())])
            .collect();
            (l.code.clone(), texts)
        })
        .collect()
}

/// The preview's state, owned by the rebuild loop.
struct Preview {
    options: BuildOptions,
    site: Option<Site>,
    served: Arc<RwLock<Served>>,
    hub: Arc<Hub>,
    /// The site generation whose search paths are published.
    indexed: Option<u64>,
    /// What the output checks need of the served files.
    facts: problems::OutputFacts,
    /// The problems of the last build (the panel shows them first).
    build_problems: Vec<Diagnostic>,
    /// What the output checks found last.
    output_problems: Vec<Diagnostic>,
    /// Whether the served files changed since the output checks ran.
    unchecked: bool,
    /// Whether the print editions changed since the PDFs' data was taken
    /// (made after the reload, so a save is not slowed by it).
    #[cfg(feature = "pdf")]
    pdfs_stale: bool,
    /// How many batches of changes the watcher handed over, and how many
    /// the loop took: while they differ a newer change waits, and the
    /// output checks stop, so that its rebuild never waits for them.
    sent: Arc<std::sync::atomic::AtomicU64>,
    received: u64,
}

impl Preview {
    /// Loads (or reloads) the site from scratch.
    fn load(&mut self) -> Result<(), Vec<Diagnostic>> {
        let site = Site::load(&self.options)?;
        self.site = Some(site);
        self.indexed = None;
        Ok(())
    }

    /// Renders what changed and publishes the outcome: the new files and a
    /// reload event, or the problems and an overlay. Returns a line for the
    /// terminal. `statics` says whether static files may have changed.
    fn publish(&mut self, started: Instant, css_only: bool, statics: bool) -> String {
        let Some(site) = &mut self.site else {
            return String::new();
        };
        // Pages whose text changed are taken only when they are rendered;
        // after a failed rebuild they wait for the next good one.
        let text_changes =
            (!site.has_errors()).then(|| (site.take_text_changes(), site.take_front_changes()));
        let site: &Site = site;
        let mut problems: Vec<Diagnostic> = site.diagnostics.clone();
        // The store is taken out while it is brought up to date; requests
        // wait for the lock meanwhile instead of finding no files (a 404
        // for a page that exists), and then get the new ones.
        let mut served = self.served.write().ok();
        let mut store = served
            .as_mut()
            .map(|served| std::mem::take(&mut served.store))
            .unwrap_or_default();
        let refresh = if site.has_errors() {
            let mut statics_problems = Vec::new();
            store.refresh_statics(site, &mut statics_problems);
            problems.extend(statics_problems);
            store::Refresh::default()
        } else {
            let (texts, fronts) = text_changes.unwrap_or_default();
            store.refresh(site, texts, fronts, statics)
        };
        problems.extend(refresh.diagnostics.iter().cloned());
        crate::diagnostics::sort_diagnostics(&mut problems);
        // Only the build's errors stop the page from showing; what the
        // output checks find goes to the panel, after the reload
        // ([`Preview::check_output`]).
        let errors: Vec<String> = problems
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        self.unchecked |= errors.is_empty()
            && (refresh.rendered > 0 || refresh.removed > 0 || statics || !self.facts.ran());
        self.build_problems = problems.clone();
        if let Some(served) = served.as_mut() {
            served.problems = problems::panel_json(
                &problems,
                if errors.is_empty() {
                    &self.output_problems
                } else {
                    &[]
                },
                self.unchecked,
            );
            served.store = store;
            // The PDFs' data is taken after the reload ([`Preview::update_pdfs`]);
            // until then a request for a PDF waits for it.
            #[cfg(feature = "pdf")]
            if !site.has_errors() {
                served.pdfs.mark_pending();
                self.pdfs_stale = true;
            }
            served.layers = Some(site.theme.layers.clone());
            served.errors = errors.clone();
            served.overlay_texts = overlay_texts(site);
            // The pages to index change only with the structure.
            if self.indexed != Some(site.generation()) {
                served.search_paths = if site.config.search {
                    site.search_paths()
                } else {
                    Default::default()
                };
                self.indexed = Some(site.generation());
            }
            served.generation += 1;
        }
        drop(served);
        print_diagnostics(&problems);
        let elapsed = started.elapsed().as_millis();
        if errors.is_empty() {
            self.hub.publish(http::reload_event(css_only));
            if std::env::var_os("DREHBUCH_TIMINGS").is_some() {
                let (jobs, inputs, reads) = self
                    .served
                    .read()
                    .map(|served| served.store.size())
                    .unwrap_or_default();
                eprintln!(
                    "timing: considered {} outputs ({} inputs changed); {jobs} jobs read {inputs} inputs ({reads} reads)",
                    refresh.considered, refresh.changed_inputs
                );
            }
            format!(
                "rebuilt {} page{} in {elapsed} ms",
                refresh.rendered,
                if refresh.rendered == 1 { "" } else { "s" }
            )
        } else {
            self.hub.publish(http::errors_event(&errors));
            format!(
                "the rebuild found {} error(s) in {elapsed} ms; the browser shows them",
                errors.len()
            )
        }
    }

    /// Shows problems that stopped the site from loading at all.
    fn publish_failure(&mut self, problems: &[Diagnostic]) -> String {
        let errors: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        if let Ok(mut served) = self.served.write() {
            served.errors = errors.clone();
            served.problems = problems::panel_json(problems, &[], false);
        }
        print_diagnostics(problems);
        self.hub.publish(http::errors_event(&errors));
        format!(
            "the site cannot be loaded ({} error(s)); the browser shows them",
            errors.len()
        )
    }

    /// Takes the print editions' data for the PDFs after a rebuild, once
    /// the browsers were told to reload: preparing every edition costs more
    /// than a one-page rebuild, and most saves are followed by no PDF
    /// request at all.
    #[cfg(feature = "pdf")]
    fn update_pdfs(&mut self) {
        if !std::mem::take(&mut self.pdfs_stale) {
            return;
        }
        let Some(site) = self.site.as_ref() else {
            return;
        };
        let editions = site.pdf_edition_data();
        if let Ok(mut served) = self.served.write() {
            served.pdfs.set(editions);
        }
    }

    /// Runs the output checks on the served files if they changed since
    /// the last run, and hands what they find to the panel. Called after
    /// the browsers were told to reload, so the checks never delay a
    /// reload; the panel says it is checking meanwhile. Returns a line for
    /// the terminal when the problems found changed.
    fn check_output(&mut self) -> Option<String> {
        if !std::mem::take(&mut self.unchecked) {
            return None;
        }
        let site = self.site.as_ref()?;
        let started = Instant::now();
        let sent = Arc::clone(&self.sent);
        let received = self.received;
        let stop = move || sent.load(std::sync::atomic::Ordering::Relaxed) != received;
        let found = {
            let served = self.served.read().ok()?;
            // The PDFs are made when asked for, but pages link them.
            #[cfg(feature = "pdf")]
            let known: std::collections::BTreeMap<String, ()> = served
                .store
                .statics
                .keys()
                .chain(served.pdfs.paths())
                .map(|p| (p.clone(), ()))
                .collect();
            #[cfg(not(feature = "pdf"))]
            let known = &served.store.statics;
            #[cfg(feature = "pdf")]
            let known = &known;
            self.facts.check(site, &served.store.files, known, &stop)
        };
        let Some(mut found) = found else {
            // A newer change came: checked after its rebuild.
            self.unchecked = true;
            return None;
        };
        crate::diagnostics::sort_diagnostics(&mut found);
        if let Ok(mut served) = self.served.write() {
            served.problems = problems::panel_json(&self.build_problems, &found, false);
        }
        let changed = found.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            != self
                .output_problems
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>();
        self.output_problems = found;
        if !changed {
            return None;
        }
        print_diagnostics(&self.output_problems);
        let elapsed = started.elapsed().as_millis();
        Some(match self.output_problems.len() {
            0 => format!("the checks of the pages found no problems ({elapsed} ms)"),
            n => format!(
                "the checks of the pages found {n} problem(s) in {elapsed} ms; the browser's panel lists them"
            ),
        })
    }

    /// Applies one batch of changed paths.
    fn rebuild(&mut self, paths: &[PathBuf]) -> Option<String> {
        let mut changes = changes::classify(&self.options.root, paths);
        if let Some(site) = &self.site {
            site.drop_transient(&mut changes);
        }
        if changes.is_empty() {
            return None;
        }
        let started = Instant::now();
        let static_only =
            !changes.config && !changes.theme && !changes.data && changes.content.is_empty();
        let result = match &mut self.site {
            None => self.load().map(|_| ()),
            Some(_) if static_only => Ok(()),
            Some(site) => site.apply(&changes).map(|_| ()),
        };
        Some(match result {
            Ok(()) => self.publish(
                started,
                changes::only_css(&changes),
                !changes.static_files.is_empty(),
            ),
            Err(problems) => self.publish_failure(&problems),
        })
    }
}

/// Runs the preview until the process is stopped (Ctrl-C). Returns an
/// error only when it cannot start (no free port, no watcher, a bad
/// `--allowed-host`); exits through [`give_up`] when it cannot go on.
pub fn serve(options: &ServeOptions) -> Result<(), String> {
    crate::output::search::shard_pages()?;
    let policy = hosts::HostPolicy::new(&options.allowed_hosts)?;
    let (capacity, open_files) = gate::capacity();
    let (listener, port) = bind(options.bind, options.port)?;
    if port != options.port && options.port != 0 {
        eprintln!("port {} is busy; using {port}", options.port);
    }
    let host = match options.bind {
        IpAddr::V6(v6) if v6.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_string(),
        v4 => v4.to_string(),
    };
    let url = format!("http://{host}:{port}/");
    let build_options = BuildOptions {
        root: options.root.clone(),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        ..BuildOptions::default()
    };
    let served = Arc::new(RwLock::new(Served::default()));
    let hub = Arc::new(Hub::default());
    let mut preview = Preview {
        options: build_options,
        site: None,
        served: Arc::clone(&served),
        hub: Arc::clone(&hub),
        indexed: None,
        facts: problems::OutputFacts::default(),
        build_problems: Vec::new(),
        output_problems: Vec::new(),
        unchecked: false,
        #[cfg(feature = "pdf")]
        pdfs_stale: false,
        sent: Arc::default(),
        received: 0,
    };
    let started = Instant::now();
    let first = match preview.load() {
        Ok(()) => preview.publish(started, false, true),
        Err(problems) => preview.publish_failure(&problems),
    };
    let (handoff, server) = handoff::Handoff::open()?;
    let _cleanup = handoff::Cleanup;
    let tickets = Arc::new(handoff::Tickets::default());
    {
        let served = Arc::clone(&served);
        let hub = Arc::clone(&hub);
        let tickets = Arc::clone(&tickets);
        std::thread::Builder::new()
            .name("drehbuch-server".into())
            .spawn(move || http::run(server, served, hub, tickets))
            .map_err(|e| format!("cannot start the server: {e}"))?;
    }
    let gate = Arc::new(gate::Gate::new(policy, handoff, tickets, capacity));
    {
        let gate = Arc::clone(&gate);
        std::thread::Builder::new()
            .name("drehbuch-gate".into())
            .spawn(move || gate.run(listener))
            .map_err(|e| format!("cannot start the server: {e}"))?;
    }
    if capacity < 64 {
        eprintln!(
            "note: the open-file limit ({open_files}) lets the preview take {capacity} \
             connections at once; more are told to wait (raise it with `ulimit -n`)"
        );
    }
    if let Some(warning) = network_warning(options.bind, port, options.drafts) {
        eprintln!("{warning}");
    }
    let (_watcher, watched) = watch::watch(&options.root)?;
    // Batches pass through here, so that the output checks know when a
    // newer change waits.
    let (forward, batches) = std::sync::mpsc::channel();
    {
        let sent = Arc::clone(&preview.sent);
        std::thread::Builder::new()
            .name("drehbuch-batches".into())
            .spawn(move || {
                while let Ok(batch) = watched.recv() {
                    sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if forward.send(batch).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| format!("cannot start the watcher: {e}"))?;
    }
    println!(
        "serving {} at {url} ({first}); press Ctrl-C to stop",
        options.root.display()
    );
    if options.open {
        open_browser(&url);
    }
    #[cfg(feature = "pdf")]
    preview.update_pdfs();
    if let Some(line) = preview.check_output() {
        println!("{line}");
    }
    while let Ok(paths) = batches.recv() {
        preview.received += 1;
        if let Some(line) = preview.rebuild(&paths) {
            println!("{line}");
        }
        #[cfg(feature = "pdf")]
        preview.update_pdfs();
        if let Some(line) = preview.check_output() {
            println!("{line}");
        }
    }
    Ok(())
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("could not open a browser; open {url} yourself");
    }
}
