//! Sensor data: raw air-temperature readings in, a precomputed daily/yearly
//! summary out, and charts of that summary for pages.
//!
//! The pipeline (see `docs/sensors.md` for the meaning of every number):
//!
//! 1. [`formats`] detect and stream-parse the raw inputs (canonical CSV, ELEMENT IoT,
//!    Data2Resilience API JSON, The Things Stack uplinks, DWD station products and CDC
//!    portal downloads; plain, gzip or zip).
//! 2. [`quality`] classifies every reading (valid, duplicate, out of range, spike, stuck,
//!    unparseable) in time order per sensor with bounded look-back; `seen`
//!    finds repeats of a sensor's timestamp across all inputs.
//! 3. [`days`] aggregates valid readings into calendar days of the configured time zone
//!    (DST-aware) and computes coverage from reporting slots.
//! 4. [`summary`] turns days into per-sensor/per-year statistics and writes the
//!    schema-versioned, byte-reproducible `summary.json`.
//! 5. [`charts`] renders accessible SVG/HTML figures from a loaded [`Summary`].
//!
//! [`cli`] holds the `drehbuch sensors summarize` command line.

// Negated float comparisons are deliberate here: `!(x > 0.0)` also rejects
// NaN. The other allowances are cosmetic and left for a clean-up pass.
#![allow(
    clippy::neg_cmp_op_on_partial_ord,
    clippy::type_complexity,
    clippy::redundant_guards,
    clippy::unnecessary_cast,
    clippy::wrong_self_convention
)]

pub mod charts;
pub mod cli;
pub mod config;
pub mod days;
pub mod formats;
mod input;
mod pipeline;
pub mod quality;
mod report;
mod seen;
pub mod shortcodes;
pub mod summary;
pub(crate) mod time;

pub use charts::{ChartError, ChartText};
pub use cli::{SummarizeArgs, run_summarize};
pub use config::{Provenance, SensorMeta, SensorsFile};
pub use summary::Summary;

use std::fmt;
use std::path::Path;

/// Everything that can go wrong in the sensor module, phrased for humans.
#[derive(Debug)]
pub enum SensorError {
    /// Reading or writing a file failed.
    Io {
        /// The file concerned.
        path: String,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// An input or configuration file is unusable.
    Input {
        /// The file concerned.
        path: String,
        /// 1-based line number, 0 when it does not apply.
        line: u64,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// The command line is inconsistent.
    Usage(String),
    /// A summary file holds values out of range (checked when it is
    /// loaded, before any chart is drawn from it).
    Invalid {
        /// The file concerned.
        path: String,
        /// The first problems, each at its JSON path and position (one
        /// more than [`summary::MAX_INVALID_SHOWN`] when there are more: the
        /// first of those not shown).
        problems: Vec<summary::InvalidValue>,
        /// How many problems there are in all.
        total: usize,
    },
    /// A summary file has a schema this version cannot read.
    Schema {
        /// The file concerned.
        path: String,
        /// Schema version found in the file.
        found: u64,
        /// Schema version this program reads.
        expected: u64,
    },
}

impl SensorError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        SensorError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

impl fmt::Display for SensorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SensorError::Io { path, source } => write!(f, "{path}: {source}"),
            SensorError::Input {
                path,
                line,
                message,
                hint,
            } => {
                if *line > 0 {
                    write!(f, "{path}:{line}: {message}")?;
                } else {
                    write!(f, "{path}: {message}")?;
                }
                if !hint.is_empty() {
                    write!(f, "\n  hint: {hint}")?;
                }
                Ok(())
            }
            SensorError::Usage(m) => write!(f, "{m}"),
            SensorError::Invalid {
                path,
                problems,
                total,
            } => {
                let shown = summary::MAX_INVALID_SHOWN;
                for (i, p) in problems.iter().take(shown).enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(
                        f,
                        "{path}:{}:{}: {}: {}",
                        p.line, p.col, p.json_path, p.message
                    )?;
                }
                if let Some(next) = problems.get(shown) {
                    write!(
                        f,
                        "\n{path}:{}:{}: and {} more values out of range, the first of them here",
                        next.line,
                        next.col,
                        total - shown
                    )?;
                }
                write!(
                    f,
                    "\n  hint: a summary holds what `drehbuch sensors summarize` writes; regenerate it rather than editing it by hand"
                )
            }
            SensorError::Schema {
                path,
                found,
                expected,
            } => write!(
                f,
                "{path}: summary schema {found} is not supported (this drehbuch reads schema {expected})\n  hint: regenerate it with `drehbuch sensors summarize`"
            ),
        }
    }
}

impl std::error::Error for SensorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SensorError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
