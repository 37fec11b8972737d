//! External links (`--external` only): every `http(s)://` link in the
//! generated pages is requested with `curl` (HEAD, then GET if refused),
//! at most eight at a time with a 10-second timeout. Good answers are
//! cached for a day in `.drehbuch/external-links.json`, so repeated checks
//! do not hammer other people's servers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::FileFacts;
use crate::diagnostics::{Diagnostic, Severity};
use crate::site::Site;

const PARALLEL: usize = 8;
const TIMEOUT_SECONDS: u32 = 10;
const CACHE_SECONDS: u64 = 24 * 3600;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Checked {
    /// HTTP status, or 0 when there was no answer.
    status: u16,
    /// Unix time of the check.
    at: u64,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// One request with curl; 0 when the server cannot be reached.
fn request(url: &str, method_head: bool) -> u16 {
    let mut command = Command::new("curl");
    command.args(["-sS", "-o", "/dev/null", "-L", "--max-time"]);
    command.arg(TIMEOUT_SECONDS.to_string());
    if method_head {
        command.arg("-I");
    }
    command.args(["-w", "%{http_code}", "--", url]);
    command
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(0)
}

fn status_of(url: &str) -> u16 {
    match request(url, true) {
        // Some servers refuse HEAD: ask again with GET.
        405 | 403 | 501 => request(url, false),
        status => status,
    }
}

/// Checks every external link of the rendered site.
pub(crate) fn check(
    root: &Path,
    site: &Site,
    files: &BTreeMap<String, FileFacts>,
) -> Vec<Diagnostic> {
    if Command::new("curl").arg("--version").output().is_err() {
        return vec![
            Diagnostic::global(Severity::Error, "--external needs `curl` on the PATH")
                .with_help(
                    "install curl (e.g. `apt-get install curl`) or run check without --external",
                )
                .with_kind("external-link"),
        ];
    }
    let sources = super::sources(site);
    let mut used: BTreeMap<String, BTreeSet<PathBuf>> = BTreeMap::new();
    for (path, facts) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let from = sources
            .get(path)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(path));
        for target in &facts.links {
            if target.starts_with("http://") || target.starts_with("https://") {
                let url = target
                    .split('#')
                    .next()
                    .unwrap_or(target)
                    .replace("&amp;", "&");
                used.entry(url).or_default().insert(from.clone());
            }
        }
    }
    // Canonical and alternate links point at the site itself; skip them.
    let own = site.config.base_url.absolute("/");
    used.retain(|url, _| !url.starts_with(&own));

    let cache_path = root.join(".drehbuch/external-links.json");
    let mut cache: BTreeMap<String, Checked> = std::fs::read(&cache_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let now = now();
    let to_check: Vec<&String> = used
        .keys()
        .filter(|url| {
            cache.get(*url).is_none_or(|c| {
                !(200..400).contains(&c.status) || now.saturating_sub(c.at) > CACHE_SECONDS
            })
        })
        .collect();
    for chunk in to_check.chunks(PARALLEL) {
        let results: Vec<(String, u16)> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|url| scope.spawn(move || ((*url).clone(), status_of(url))))
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        for (url, status) in results {
            cache.insert(url, Checked { status, at: now });
        }
    }
    if let Some(dir) = cache_path.parent()
        && std::fs::create_dir_all(dir).is_ok()
        && let Ok(json) = serde_json::to_string_pretty(&cache)
    {
        let _ = std::fs::write(&cache_path, json);
    }

    let mut out = Vec::new();
    for (url, pages) in &used {
        let status = cache.get(url).map(|c| c.status).unwrap_or(0);
        if (200..400).contains(&status) {
            continue;
        }
        for page in pages {
            let mut d = if status == 0 {
                Diagnostic::file_error(page, format!("external link {url} did not answer within {TIMEOUT_SECONDS} s"))
                    .with_help("check the address; the server may be down or slow (this is not cached, so the next check asks again)")
            } else {
                Diagnostic::file_error(page, format!("external link {url} answers HTTP {status}"))
                    .with_help("update or remove the link")
            };
            if status == 0 {
                d.severity = Severity::Warning;
            }
            out.push(d.with_kind("external-link"));
        }
    }
    out
}
