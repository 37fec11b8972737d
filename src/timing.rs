//! Stage timings for profiling: with `DREHBUCH_TIMINGS=1` in the
//! environment, each timed stage prints its duration to stderr. Off by
//! default; used by the benchmarks in `scripts/bench/` and
//! `docs/performance.md`.

use std::time::Instant;

/// Measures one stage; prints when dropped if timings are on.
pub struct Stage {
    name: &'static str,
    started: Instant,
    on: bool,
}

/// Starts timing `name`.
pub fn stage(name: &'static str) -> Stage {
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
                "timing: {:<24} {:>8.1} ms",
                self.name,
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
