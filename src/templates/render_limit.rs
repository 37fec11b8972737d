//! The render-time limit: a template whose loops would run for hours
//! (`range(end=100000)` nested in another) stops the build with an error
//! naming the template and the page, after [`DEFAULT_LIMIT`] or
//! `DREHBUCH_RENDER_LIMIT` seconds per render.
//!
//! Tera 2 has no instruction budget and no way to interrupt a render from
//! outside (its loops call nothing of ours; output can go to capture
//! buffers, so not even a writer sees progress), and a thread cannot be
//! stopped safely in Rust. So a watchdog thread checks the renders in
//! progress and, when one overruns, prints the error and ends the
//! process with exit status 1. Nothing is lost: the output folder is
//! replaced only when a build completes, the temporary folder is removed
//! by the next build, and the lock is released with the process. `serve`
//! ends the same way, since the runaway render would keep a core busy.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The environment variable that sets the limit, in seconds (`0`: none).
pub(crate) const VAR: &str = "DREHBUCH_RENDER_LIMIT";

/// Seconds one render may take unless [`VAR`] says otherwise. A page of
/// the example site renders in well under a millisecond; a print document
/// of thousands of pages in well under a second.
pub(crate) const DEFAULT_LIMIT: Duration = Duration::from_secs(10);

/// The limit from [`VAR`] (`None`: no limit), or what is wrong with it.
pub(crate) fn from_env() -> Result<Option<Duration>, String> {
    match std::env::var(VAR) {
        Err(std::env::VarError::NotPresent) => Ok(Some(DEFAULT_LIMIT)),
        Ok(value) => match value.trim().parse::<f64>() {
            // 0 turns the limit off.
            Ok(seconds) if (0.0..=86_400.0).contains(&seconds) => {
                Ok((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
            }
            _ => Err(format!(
                "{VAR} must be a number of seconds from 0 (no limit) to 86400, not `{value}`; unset it for the default ({} s)",
                DEFAULT_LIMIT.as_secs()
            )),
        },
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "{VAR} must be a number of seconds; unset it for the default ({} s)",
            DEFAULT_LIMIT.as_secs()
        )),
    }
}

/// One render in progress.
struct Running {
    deadline: Instant,
    limit: Duration,
    /// The template as shown to the user (`templates/page.html`).
    template: String,
    /// What is rendered: `the page /en/x/ (en)`, `a shortcode call (de)`.
    what: String,
}

/// The renders in progress, by a number each got when it began.
struct Watchdog {
    running: Mutex<BTreeMap<u64, Running>>,
    next: AtomicU64,
}

fn watchdog() -> &'static Watchdog {
    static WATCHDOG: OnceLock<&'static Watchdog> = OnceLock::new();
    WATCHDOG.get_or_init(|| {
        let watchdog: &'static Watchdog = Box::leak(Box::new(Watchdog {
            running: Mutex::new(BTreeMap::new()),
            next: AtomicU64::new(0),
        }));
        let started = std::thread::Builder::new()
            .name("render-limit".into())
            .spawn(move || watch(watchdog));
        if let Err(e) = started {
            // Without the thread renders simply have no limit.
            eprintln!("warning: the render-time limit is off: {e}");
        }
        watchdog
    })
}

/// The watchdog thread: ends the process when a render overruns.
fn watch(watchdog: &Watchdog) {
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let now = Instant::now();
        let Ok(running) = watchdog.running.lock() else {
            return;
        };
        if let Some(late) = running.values().find(|r| now > r.deadline) {
            eprintln!(
                "{}: error: rendering {} took more than {} s, so the build was stopped\n  = help: a loop in this template (or in one it includes or calls) runs too long, e.g. a range() inside another; make it shorter, or raise the limit with {VAR}=SECONDS (0: no limit)",
                late.template,
                late.what,
                seconds(late.limit)
            );
            std::process::exit(1);
        }
    }
}

fn seconds(limit: Duration) -> String {
    let s = limit.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s}")
    }
}

/// Watches one render while it lives: if it is still alive after `limit`,
/// the process ends with an error naming `template` and `what`.
pub(crate) struct Watched {
    id: Option<u64>,
}

impl Watched {
    /// Starts watching a render of `template` (as shown to the user) for
    /// `what`; `limit` `None` watches nothing.
    pub(crate) fn start(
        limit: Option<Duration>,
        template: &str,
        what: impl FnOnce() -> String,
    ) -> Watched {
        let Some(limit) = limit else {
            return Watched { id: None };
        };
        let watchdog = watchdog();
        let id = watchdog.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut running) = watchdog.running.lock() {
            running.insert(
                id,
                Running {
                    deadline: Instant::now() + limit,
                    limit,
                    template: template.to_string(),
                    what: what(),
                },
            );
        }
        Watched { id: Some(id) }
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Some(id) = self.id
            && let Ok(mut running) = watchdog().running.lock()
        {
            running.remove(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_renders_are_forgotten() {
        let limit = Some(Duration::from_secs(3600));
        let a = Watched::start(limit, "templates/a.html", || "a".into());
        let b = Watched::start(limit, "templates/b.html", || "b".into());
        let count = || {
            watchdog()
                .running
                .lock()
                .unwrap()
                .values()
                .filter(|r| r.template.starts_with("templates/"))
                .count()
        };
        assert_eq!(count(), 2);
        drop(a);
        assert_eq!(count(), 1);
        drop(b);
        assert_eq!(count(), 0);
        let none = Watched::start(None, "templates/c.html", || unreachable!());
        assert_eq!(none.id, None);
    }
}
