//! Stage timings for profiling: with `DREHBUCH_TIMINGS=1` in the
//! environment, each timed stage prints its duration to stderr. Off by
//! default; used by the benchmarks in `scripts/bench/` and
//! `docs/performance.md`. Each line also shows the resident memory at the
//! end of the stage.

use std::time::Instant;

/// Measures one stage; prints when dropped if timings are on.
pub(crate) struct Stage {
    name: &'static str,
    started: Instant,
    on: bool,
}

/// Starts timing `name`.
pub(crate) fn stage(name: &'static str) -> Stage {
    Stage {
        name,
        started: Instant::now(),
        on: std::env::var_os("DREHBUCH_TIMINGS").is_some(),
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if self.on {
            eprintln!(
                "timing: {:<24} {:>8.1} ms  rss {:>6.1} MiB",
                self.name,
                self.started.elapsed().as_secs_f64() * 1000.0,
                resident_mib()
            );
        }
    }
}

/// The process's resident memory now, in MiB (Linux; 0 elsewhere).
fn resident_mib() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map(|pages| pages * 4096.0 / (1024.0 * 1024.0))
        .unwrap_or(0.0)
}

/// Prints `what` happened (a path taken, a fallback) if timings are on.
pub(crate) fn note(what: &str) {
    if std::env::var_os("DREHBUCH_TIMINGS").is_some() {
        eprintln!("timing: {what}");
    }
}
