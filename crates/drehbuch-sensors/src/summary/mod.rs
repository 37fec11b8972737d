//! The summary: what `drehbuch sensors summarize` writes and charts read.
//!
//! Schema 1 (see `docs/sensors.md`): one JSON object with the run's settings,
//! provenance, inputs (name + SHA-256), and per sensor the quality counts,
//! statistics per year with data and one row per day with data. Its size
//! therefore follows the sensor-days with data, never the span between the
//! first and the last timestamp. Output is byte-identical for identical input:
//! no run timestamps, stable ordering, fixed rounding. Writing is atomic
//! ([`Summary::write_atomic`]).

mod build;
mod check;
mod locate;
mod write;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::SensorError;
use crate::config::{Location, Mounting, Provenance};
use crate::quality::{ClassCounts, QualityRules};
use crate::time::{civil_from_days, parse_day};

pub(crate) use build::{BuildParams, build};
pub use check::MAX_INVALID_SHOWN;
pub use locate::InvalidValue;

/// The schema version this code writes and reads.
pub const SCHEMA: u64 = 1;

/// Column names of [`DayRow`] as stored in the JSON arrays.
pub(crate) const DAY_COLUMNS: [&str; 7] = [
    "date", "min", "max", "mean", "coverage", "status", "readings",
];

/// The whole summary file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Schema version ([`SCHEMA`]).
    pub schema: u64,
    /// Program and version that wrote the file.
    pub generator: String,
    /// IANA zone of the calendar days.
    pub time_zone: String,
    /// Thresholds and completeness rule used.
    pub thresholds: Thresholds,
    /// Quality-check parameters used.
    pub quality_rules: QualityRules,
    /// Provenance copied from `sensors.yaml`.
    pub provenance: Provenance,
    /// Input files with checksums.
    pub inputs: Vec<InputInfo>,
    /// First and last day of the dataset period.
    pub period: Option<PeriodOut>,
    /// Names of the columns of each `days` row.
    pub day_columns: Vec<String>,
    /// Per-sensor results, in `sensors.yaml` order, then by id.
    pub sensors: Vec<SensorSummary>,
    /// First examples of each problem class.
    pub problems: Vec<Problem>,
    /// Remarks about the inputs (joins, time shifts, out-of-order data).
    pub notes: Vec<String>,
}

/// Thresholds in °C and the completeness rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Hot day: daily maximum reaches this.
    pub hot_day_c: f64,
    /// Summer day: daily maximum reaches this.
    pub summer_day_c: f64,
    /// Tropical night: daily minimum reaches this.
    pub tropical_night_c: f64,
    /// `">="` (DWD convention, default) or `">"` (with `--above`).
    pub comparison: String,
    /// A day is complete at or above this coverage, percent.
    pub min_coverage_pct: f64,
    /// Reporting interval forced for all sensors (`--interval`), minutes.
    pub interval_minutes: Option<u32>,
}

impl Thresholds {
    /// Does `value` reach `threshold` under this comparison?
    pub fn reached(&self, value: f64, threshold: f64) -> bool {
        if self.comparison == ">" {
            value > threshold
        } else {
            value >= threshold
        }
    }
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    /// File name (without directories, so the summary does not depend on where it ran).
    pub file: String,
    /// SHA-256 of the file as given (compressed bytes for .gz/.zip).
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Detected or given format(s); zip members are listed.
    pub format: String,
    /// Records read (readings, bad records and missing-value rows).
    pub records: u64,
    /// Unparseable records that could not be attributed to a sensor.
    pub unparseable_unattributed: u64,
}

/// First and last day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodOut {
    /// First day, `YYYY-MM-DD`.
    pub first: String,
    /// Last day, `YYYY-MM-DD`.
    pub last: String,
}

/// Results for one sensor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensorSummary {
    /// Sensor id.
    pub id: String,
    /// Display names per language (`und` = name from the data, language unknown).
    pub name: BTreeMap<String, String>,
    /// Position.
    pub location: Option<Location>,
    /// Mounting (sunny/shaded side, notes).
    pub mounting: Option<Mounting>,
    /// Official reference station.
    pub reference: bool,
    /// Typical reporting interval in minutes (configured or detected).
    pub interval_minutes: Option<u32>,
    /// Whether the interval was configured rather than detected.
    pub interval_configured: bool,
    /// Quality counts.
    pub quality: ClassCounts,
    /// Statistics per calendar year with at least one day with data in the
    /// dataset period, ascending (years without data are left out).
    pub years: Vec<YearSummary>,
    /// One row per day with at least one valid reading.
    pub days: Vec<DayRow>,
}

impl SensorSummary {
    /// Name in `lang`, falling back to English, the data's own name, any name, the id.
    pub fn display_name(&self, lang: &str) -> &str {
        self.name
            .get(lang)
            .or_else(|| self.name.get(lang.split('-').next().unwrap_or(lang)))
            .or_else(|| self.name.get("en"))
            .or_else(|| self.name.get("und"))
            .or_else(|| self.name.values().next())
            .map_or(self.id.as_str(), String::as_str)
    }

    /// The statistics of one year.
    pub fn year(&self, year: i32) -> Option<&YearSummary> {
        self.years.iter().find(|y| y.year == year)
    }

    /// [`SensorSummary::display_name`] of at most `max` characters, the
    /// last of them `…` when it had to be shortened: a label that fits.
    pub fn short_name(&self, lang: &str, max: usize) -> String {
        shorten(self.display_name(lang), max)
    }
}

/// `s` cut to at most `n` characters, ending in `…` when it was longer.
pub(crate) fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

/// Statistics of one sensor in one calendar year (days inside the dataset period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearSummary {
    /// Calendar year.
    pub year: i32,
    /// Days of this year inside the dataset period.
    pub days_in_period: u32,
    /// Days with coverage at or above the minimum.
    pub complete_days: u32,
    /// Days with some valid readings but too little coverage.
    pub partial_days: u32,
    /// Days without any valid reading.
    pub missing_days: u32,
    /// Hot days among complete days.
    pub hot_days: u32,
    /// Partial days whose maximum already reached the hot-day threshold (lower bound).
    pub hot_days_partial: u32,
    /// Summer days among complete days.
    pub summer_days: u32,
    /// Partial days that already reached the summer-day threshold.
    pub summer_days_partial: u32,
    /// Tropical nights among complete days.
    pub tropical_nights: u32,
    /// Highest valid reading of the year.
    pub max: Option<Extreme>,
    /// Lowest valid reading of the year.
    pub min: Option<Extreme>,
    /// Mean daily coverage over the days in the period (missing days count as 0).
    pub coverage: f64,
}

/// A value and the day it occurred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extreme {
    /// °C.
    pub value: f64,
    /// `YYYY-MM-DD`.
    pub date: String,
}

impl Extreme {
    /// (year, month, day) of [`Extreme::date`].
    pub fn ymd(&self) -> Option<(i32, u32, u32)> {
        parse_day(&self.date).map(civil_from_days)
    }
}

/// One day of one sensor; stored as a JSON array `[date, min, max, mean,
/// coverage, status, readings]` (the summary's `day_columns`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayRow(
    /// `YYYY-MM-DD`.
    pub String,
    /// Minimum, °C.
    pub f64,
    /// Maximum, °C.
    pub f64,
    /// Mean of the valid readings, °C.
    pub f64,
    /// Coverage 0…1.
    pub f64,
    /// `"complete"` or `"partial"`.
    pub String,
    /// Number of valid readings.
    pub u32,
);

impl DayRow {
    /// Date `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        &self.0
    }
    /// Minimum.
    pub fn min(&self) -> f64 {
        self.1
    }
    /// Maximum.
    pub fn max(&self) -> f64 {
        self.2
    }
    /// Mean.
    pub fn mean(&self) -> f64 {
        self.3
    }
    /// Coverage 0…1.
    pub fn coverage(&self) -> f64 {
        self.4
    }
    /// True when the day is complete.
    pub fn complete(&self) -> bool {
        self.5 == "complete"
    }
    /// (year, month, day).
    pub fn ymd(&self) -> Option<(i32, u32, u32)> {
        parse_day(&self.0).map(civil_from_days)
    }
}

/// An example problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Input file (and zip member).
    pub file: String,
    /// Line (1-based).
    pub line: u64,
    /// Sensor, if known.
    pub sensor: Option<String>,
    /// Class name.
    pub class: String,
    /// What is wrong.
    pub message: String,
}

impl Summary {
    /// Read a summary file, checking its schema version.
    pub fn load(path: impl AsRef<Path>) -> Result<Summary, SensorError> {
        let path = path.as_ref();
        let text = std::fs::read(path).map_err(|e| SensorError::io(path, e))?;
        Summary::from_json(&text, &path.display().to_string())
    }

    /// Parse a summary from JSON bytes; `origin` names it in errors.
    pub fn from_json(text: &[u8], origin: &str) -> Result<Summary, SensorError> {
        #[derive(Deserialize)]
        struct Head {
            schema: Option<u64>,
        }
        let bad = |e: serde_json::Error| SensorError::Input {
            path: origin.to_string(),
            line: e.line() as u64,
            message: format!("not a valid sensor summary: {e}"),
            hint: "regenerate it with `drehbuch sensors summarize`".into(),
        };
        let head: Head = serde_json::from_slice(text).map_err(bad)?;
        match head.schema {
            Some(SCHEMA) => {}
            Some(found) => {
                return Err(SensorError::Schema {
                    path: origin.to_string(),
                    found,
                    expected: SCHEMA,
                });
            }
            None => {
                return Err(SensorError::Input {
                    path: origin.to_string(),
                    line: 0,
                    message: "no \"schema\" field: this is not a sensor summary".into(),
                    hint: "regenerate it with `drehbuch sensors summarize`".into(),
                });
            }
        }
        let summary: Summary = serde_json::from_slice(text).map_err(bad)?;
        summary
            .provenance
            .check_urls(origin, &String::from_utf8_lossy(text))?;
        let (found, total) = summary.check();
        if found.is_empty() {
            return Ok(summary);
        }
        let problems = found
            .into_iter()
            .map(|(at, message)| InvalidValue::at(text, &at, message))
            .collect();
        Err(SensorError::Invalid {
            path: origin.to_string(),
            problems,
            total,
        })
    }

    /// Sensor ids in file order.
    pub fn sensor_ids(&self) -> Vec<&str> {
        self.sensors.iter().map(|s| s.id.as_str()).collect()
    }

    /// All years with statistics, ascending.
    pub fn years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self
            .sensors
            .iter()
            .flat_map(|s| s.years.iter().map(|y| y.year))
            .collect();
        y.sort_unstable();
        y.dedup();
        y
    }

    /// The sensor with this id.
    pub fn sensor(&self, id: &str) -> Option<&SensorSummary> {
        self.sensors.iter().find(|s| s.id == id)
    }
}
