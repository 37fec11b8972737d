//! Sensor data for drehbuch: raw air-temperature readings in, a
//! precomputed daily and yearly **summary** out, as `drehbuch sensors
//! summarize` writes it and the site's charts read it.
//!
//! The pipeline (see `docs/sensors.md` for the meaning of every number):
//!
//! 1. formats: detect and stream-parse the raw inputs (canonical CSV,
//!    ELEMENT IoT, Data2Resilience API JSON, The Things Stack uplinks, DWD
//!    station products and CDC portal downloads; plain, gzip or zip), with
//!    limits that keep memory bounded whatever a file holds;
//! 2. quality: classify every reading (valid, duplicate, out of range, spike,
//!    stuck, unparseable) in time order per sensor with bounded look-back;
//! 3. days: aggregate valid readings into calendar days of the configured
//!    time zone (DST-aware) and compute coverage from reporting slots;
//! 4. [`Summary`]: per-sensor and per-year statistics, written as the
//!    schema-versioned, byte-reproducible `summary.json`
//!    ([`Summary::write_atomic`]) and checked when it is read again
//!    ([`Summary::load`]), so a chart is never drawn from values out of range.
//!
//! [`summarize`] runs the pipeline for [`Options`] (what the command line
//! gives); [`report`] turns a summary into the plain-text tables a command
//! prints. The crate returns data and [`SensorError`]s: it never prints,
//! and never ends the process.

// Negated float comparisons are deliberate here: `!(x > 0.0)` also rejects
// NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod config;
mod days;
mod error;
mod formats;
mod input;
mod pipeline;
mod quality;
pub mod report;
mod run;
mod seen;
mod summary;
mod time;

pub use config::{Exposure, Location, Mounting, Period, Provenance, ThresholdConfig};
pub use error::SensorError;
pub use formats::Format;
pub use quality::{ClassCounts, QualityRules};
pub use run::{
    BytesRead, DEFAULT_TIME_ZONE, Options, Progress, THRESHOLD_CELSIUS, TimeZoneFrom, check_out,
    check_replace, summarize, time_zone,
};
pub use summary::{
    DayRow, Extreme, InputInfo, InvalidValue, MAX_INVALID_SHOWN, PeriodOut, Problem, SCHEMA,
    SensorSummary, Summary, Thresholds, YearSummary,
};
pub use time::days_in_month;
