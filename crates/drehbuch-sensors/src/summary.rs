//! The summary: what `drehbuch sensors summarize` writes and charts read.
//!
//! Schema 1 (see `docs/sensors.md`): one JSON object with the run's settings,
//! provenance, inputs (name + SHA-256), and per sensor the quality counts,
//! statistics per year with data and one row per day with data. Its size
//! therefore follows the sensor-days with data, never the span between the
//! first and the last timestamp. Output is byte-identical for identical input:
//! no run timestamps, stable ordering, fixed rounding. Writing is atomic
//! ([`Summary::write_atomic`]).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::SensorError;
use super::config::{Location, Mounting, Provenance, SensorsFile};
use super::days::{DayAgg, sensor_interval};
use super::formats::{FIRST_DAY, LAST_DAY, MAX_SENSORS};
use super::pipeline::{Example, SensorResult};
use super::quality::{ClassCounts, QualityRules};
use super::time::{civil_from_days, days_from_civil, format_day, parse_day};

/// The schema version this code writes and reads.
pub(crate) const SCHEMA: u64 = 1;

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

/// One day of one sensor; stored as a JSON array in [`DAY_COLUMNS`] order.
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

/// First calendar year a summary may hold: raw readings are accepted from
/// 1850-01-01 (UTC), and so are summaries.
pub(crate) const FIRST_YEAR: i32 = 1850;
/// Last calendar year a summary may hold (raw readings: up to 2100-12-31).
pub(crate) const LAST_YEAR: i32 = 2100;
/// Largest magnitude of a temperature in a summary, °C (thresholds, rules,
/// daily and yearly values).
const MAX_CELSIUS: f64 = 100.0;
/// Hours in a leap year: the longest a time rule may reasonably be.
const HOURS_PER_YEAR: f64 = 8784.0;
/// How many invalid values a refused summary lists (the rest are counted).
pub const MAX_INVALID_SHOWN: usize = 20;

/// One step of a JSON path: an object's key or an array's index.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Key(&'static str),
    Index(usize),
}

/// Collects what [`Summary::check`] finds: the first problems, and a count.
#[derive(Default)]
struct Checker {
    found: Vec<(Vec<Step>, String)>,
    total: usize,
}

impl Checker {
    fn fail(&mut self, at: &[Step], message: String) {
        self.total += 1;
        // One more than is shown: where the ones not shown begin.
        if self.found.len() <= MAX_INVALID_SHOWN {
            self.found.push((at.to_vec(), message));
        }
    }

    fn within(&mut self, at: &[Step], value: f64, min: f64, max: f64, what: &str) {
        if !(min..=max).contains(&value) {
            // 1e300 as written, not as 301 digits.
            let shown = if value.abs() < 1e9 {
                value.to_string()
            } else {
                format!("{value:e}")
            };
            self.fail(at, format!("{shown} is not {what} from {min} to {max}"));
        }
    }

    fn celsius(&mut self, at: &[Step], value: f64) {
        self.within(at, value, -MAX_CELSIUS, MAX_CELSIUS, "a temperature (°C)");
    }

    fn minutes(&mut self, at: &[Step], minutes: u32) {
        if !(1..=1440).contains(&minutes) {
            self.fail(
                at,
                format!("{minutes} is not an interval from 1 to 1440 minutes"),
            );
        }
    }

    /// The day `text` names, if it is a date from 1850 to 2100.
    fn day(&mut self, at: &[Step], text: &str) -> Option<i64> {
        let day = parse_day(text);
        match day {
            Some(day) if (FIRST_DAY..=LAST_DAY).contains(&day) => Some(day),
            Some(_) => {
                self.fail(
                    at,
                    format!(
                        "{text} is outside the days a summary may hold, 1850-01-01 … 2100-12-31"
                    ),
                );
                None
            }
            None => {
                self.fail(at, format!("{text:?} is not a date like 2024-08-13"));
                None
            }
        }
    }
}

/// A value of a summary that is out of range: the JSON path to it
/// (`sensors[3].years[0].year`), where it stands in the file, and what
/// is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidValue {
    /// Path from the top of the document, as `a.b[3].c`.
    pub json_path: String,
    /// Byte offset of the value in the file.
    pub offset: usize,
    /// 1-based line of the value.
    pub line: usize,
    /// 1-based column of the value, in characters.
    pub col: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl InvalidValue {
    /// The problem `message` at the value `path` leads to in `text` (the
    /// start of the file if the path cannot be followed).
    fn at(text: &[u8], path: &[Step], message: String) -> InvalidValue {
        let offset = locate(text, path).unwrap_or(0);
        let before = &text[..offset];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        InvalidValue {
            json_path: json_path(path),
            offset,
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            col,
            message,
        }
    }
}

/// `path` as written in messages: `sensors[3].years[0].year`.
fn json_path(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The byte offset of the value `path` leads to in the JSON `text` (which
/// serde_json has read already, so it is well formed), found by skipping
/// over everything else; the summary types keep no positions.
fn locate(text: &[u8], path: &[Step]) -> Option<usize> {
    let mut json = JsonCursor { text, at: 0 };
    json.space();
    for step in path {
        match *step {
            Step::Key(key) => {
                json.expect(b'{')?;
                loop {
                    json.space();
                    let name = json.string()?;
                    json.space();
                    json.expect(b':')?;
                    json.space();
                    if name == key.as_bytes() {
                        break;
                    }
                    json.skip_value()?;
                    json.space();
                    json.expect(b',')?;
                }
            }
            Step::Index(index) => {
                json.expect(b'[')?;
                for _ in 0..index {
                    json.space();
                    json.skip_value()?;
                    json.space();
                    json.expect(b',')?;
                }
                json.space();
            }
        }
    }
    Some(json.at)
}

/// A position in well-formed JSON text, for [`locate`].
struct JsonCursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> JsonCursor<'a> {
    fn space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.text.get(self.at) == Some(&byte)).then(|| self.at += 1)
    }

    /// A string's raw bytes between its quotes (escapes left as they are).
    fn string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.at;
        loop {
            match self.text.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => break,
                _ => self.at += 1,
            }
        }
        self.at += 1;
        self.text.get(start..self.at - 1)
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.text.get(self.at)? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if *open == b'{' { b'}' } else { b']' };
                self.at += 1;
                self.space();
                if self.expect(close).is_some() {
                    return Some(());
                }
                loop {
                    self.space();
                    if close == b'}' {
                        self.string()?;
                        self.space();
                        self.expect(b':')?;
                        self.space();
                    }
                    self.skip_value()?;
                    self.space();
                    if self.expect(close).is_some() {
                        return Some(());
                    }
                    self.expect(b',')?;
                }
            }
            _ => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                {
                    self.at += 1;
                }
                (self.at > start).then_some(())
            }
        }
    }
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

    /// The values a hand-edited (or damaged) summary may hold wrong: the
    /// first [`MAX_INVALID_SHOWN`] problems (and the next, where the rest
    /// begin) by JSON path, and how many there are in all. Charts size their drawing from years, days and
    /// counts, so each must stay within what `summarize` can write: years
    /// 1850–2100 as raw readings (a year of 2,000,000,000 made a chart
    /// allocate 2 GB), counts within the days of their year, temperatures
    /// within ±100 °C, coverage 0–1, days in order.
    pub(crate) fn problems(&self) -> (Vec<(String, String)>, usize) {
        let (found, total) = self.check();
        let found = found
            .into_iter()
            .map(|(at, message)| (json_path(&at), message))
            .collect();
        (found, total)
    }

    /// [`Summary::problems`] with each path as its steps.
    fn check(&self) -> (Vec<(Vec<Step>, String)>, usize) {
        let mut c = Checker::default();
        let th = &self.thresholds;
        for (key, value) in [
            ("hot_day_c", th.hot_day_c),
            ("summer_day_c", th.summer_day_c),
            ("tropical_night_c", th.tropical_night_c),
        ] {
            c.celsius(&[Step::Key("thresholds"), Step::Key(key)], value);
        }
        c.within(
            &[Step::Key("thresholds"), Step::Key("min_coverage_pct")],
            th.min_coverage_pct,
            0.0,
            100.0,
            "a percentage",
        );
        if th.comparison != ">=" && th.comparison != ">" {
            c.fail(
                &[Step::Key("thresholds"), Step::Key("comparison")],
                format!(
                    "{:?} is not a comparison; use \">=\" or \">\"",
                    th.comparison
                ),
            );
        }
        if let Some(minutes) = th.interval_minutes {
            c.minutes(
                &[Step::Key("thresholds"), Step::Key("interval_minutes")],
                minutes,
            );
        }
        let rules = &self.quality_rules;
        c.celsius(
            &[Step::Key("quality_rules"), Step::Key("min_c")],
            rules.min_c,
        );
        c.celsius(
            &[Step::Key("quality_rules"), Step::Key("max_c")],
            rules.max_c,
        );
        if rules.min_c >= rules.max_c {
            c.fail(
                &[Step::Key("quality_rules"), Step::Key("max_c")],
                format!("{} is not above min_c ({})", rules.max_c, rules.min_c),
            );
        }
        for (key, value, max, unit) in [
            (
                "spike_delta_k",
                rules.spike_delta_k,
                2.0 * MAX_CELSIUS,
                "kelvin",
            ),
            ("stuck_hours", rules.stuck_hours, HOURS_PER_YEAR, "hours"),
            (
                "reorder_hours",
                rules.reorder_hours,
                HOURS_PER_YEAR,
                "hours",
            ),
        ] {
            c.within(
                &[Step::Key("quality_rules"), Step::Key(key)],
                value,
                0.0,
                max,
                unit,
            );
        }
        c.within(
            &[
                Step::Key("quality_rules"),
                Step::Key("spike_window_minutes"),
            ],
            f64::from(rules.spike_window_minutes),
            0.0,
            HOURS_PER_YEAR * 60.0,
            "minutes",
        );
        if let Some(period) = &self.period {
            let first = c.day(&[Step::Key("period"), Step::Key("first")], &period.first);
            let last = c.day(&[Step::Key("period"), Step::Key("last")], &period.last);
            if let (Some(first), Some(last)) = (first, last)
                && first > last
            {
                c.fail(
                    &[Step::Key("period"), Step::Key("last")],
                    format!("{} is before period.first ({})", period.last, period.first),
                );
            }
        }
        if self.sensors.len() > MAX_SENSORS {
            c.fail(
                &[Step::Key("sensors")],
                format!(
                    "{} sensors are more than a summary may hold ({MAX_SENSORS})",
                    self.sensors.len()
                ),
            );
        }
        let mut ids: std::collections::HashMap<&str, usize> = Default::default();
        for (i, sensor) in self.sensors.iter().enumerate() {
            let at = |steps: &[Step]| {
                let mut path = vec![Step::Key("sensors"), Step::Index(i)];
                path.extend_from_slice(steps);
                path
            };
            if let Some(first) = ids.insert(sensor.id.as_str(), i) {
                c.fail(
                    &at(&[Step::Key("id")]),
                    format!(
                        "sensor {:?} is listed twice (also as sensors[{first}])",
                        sensor.id
                    ),
                );
            }
            if let Some(location) = &sensor.location {
                c.within(
                    &at(&[Step::Key("location"), Step::Key("lat")]),
                    location.lat,
                    -90.0,
                    90.0,
                    "degrees",
                );
                c.within(
                    &at(&[Step::Key("location"), Step::Key("lon")]),
                    location.lon,
                    -180.0,
                    180.0,
                    "degrees",
                );
                if let Some(height) = location.height_m {
                    c.within(
                        &at(&[Step::Key("location"), Step::Key("height_m")]),
                        height,
                        -500.0,
                        10_000.0,
                        "metres",
                    );
                }
            }
            // Detected from readings within a day (up to 25 hours on a
            // change of daylight saving time), or set in sensors.yaml.
            if sensor.interval_minutes == Some(0) {
                c.fail(
                    &at(&[Step::Key("interval_minutes")]),
                    "0 is not an interval; at least 1 minute".into(),
                );
            }
            let mut previous: Option<i32> = None;
            for (j, y) in sensor.years.iter().enumerate() {
                let at = |steps: &[Step]| {
                    let mut path = at(&[Step::Key("years"), Step::Index(j)]);
                    path.extend_from_slice(steps);
                    path
                };
                if !(FIRST_YEAR..=LAST_YEAR).contains(&y.year) {
                    c.fail(
                        &at(&[Step::Key("year")]),
                        format!(
                            "{} is outside the years a summary may hold, {FIRST_YEAR}–{LAST_YEAR} (the range of raw readings)",
                            y.year
                        ),
                    );
                    previous = Some(y.year);
                    continue;
                }
                if let Some(before) = previous
                    && y.year <= before
                {
                    c.fail(
                        &at(&[Step::Key("year")]),
                        format!(
                            "{} follows {before}: years must be in ascending order, each once",
                            y.year
                        ),
                    );
                }
                previous = Some(y.year);
                let in_year = days_from_civil(y.year, 12, 31) - days_from_civil(y.year, 1, 1) + 1;
                if i64::from(y.days_in_period) > in_year {
                    c.fail(
                        &at(&[Step::Key("days_in_period")]),
                        format!(
                            "{} is more than the {in_year} days of {}",
                            y.days_in_period, y.year
                        ),
                    );
                    continue;
                }
                let sum = u64::from(y.complete_days)
                    + u64::from(y.partial_days)
                    + u64::from(y.missing_days);
                if sum != u64::from(y.days_in_period) {
                    c.fail(
                        &at(&[Step::Key("complete_days")]),
                        format!(
                            "complete_days + partial_days + missing_days is {sum}, not days_in_period ({})",
                            y.days_in_period
                        ),
                    );
                }
                for (key, count, among, among_key) in [
                    ("hot_days", y.hot_days, y.complete_days, "complete_days"),
                    (
                        "summer_days",
                        y.summer_days,
                        y.complete_days,
                        "complete_days",
                    ),
                    (
                        "tropical_nights",
                        y.tropical_nights,
                        y.complete_days,
                        "complete_days",
                    ),
                    (
                        "hot_days_partial",
                        y.hot_days_partial,
                        y.partial_days,
                        "partial_days",
                    ),
                    (
                        "summer_days_partial",
                        y.summer_days_partial,
                        y.partial_days,
                        "partial_days",
                    ),
                ] {
                    if count > among {
                        c.fail(
                            &at(&[Step::Key(key)]),
                            format!("{count} is more than {among_key} ({among})"),
                        );
                    }
                }
                for (key, extreme) in [("max", &y.max), ("min", &y.min)] {
                    if let Some(extreme) = extreme {
                        c.celsius(&at(&[Step::Key(key), Step::Key("value")]), extreme.value);
                        if let Some(day) =
                            c.day(&at(&[Step::Key(key), Step::Key("date")]), &extreme.date)
                            && civil_from_days(day).0 != y.year
                        {
                            c.fail(
                                &at(&[Step::Key(key), Step::Key("date")]),
                                format!("{} is not in {}", extreme.date, y.year),
                            );
                        }
                    }
                }
                c.within(
                    &at(&[Step::Key("coverage")]),
                    y.coverage,
                    0.0,
                    1.0,
                    "a share",
                );
            }
            let mut previous: Option<i64> = None;
            for (k, row) in sensor.days.iter().enumerate() {
                let at =
                    |column: usize| at(&[Step::Key("days"), Step::Index(k), Step::Index(column)]);
                if let Some(day) = c.day(&at(0), row.date()) {
                    if let Some(before) = previous
                        && day <= before
                    {
                        c.fail(
                            &at(0),
                            format!(
                                "{} follows {}: days must be in ascending order, each once",
                                row.date(),
                                format_day(before)
                            ),
                        );
                    }
                    previous = Some(day);
                }
                for (column, value) in [(1, row.min()), (2, row.max()), (3, row.mean())] {
                    c.celsius(&at(column), value);
                }
                c.within(&at(4), row.coverage(), 0.0, 1.0, "a share");
                if row.5 != "complete" && row.5 != "partial" {
                    c.fail(
                        &at(5),
                        format!(
                            "{:?} is not a day status; use \"complete\" or \"partial\"",
                            row.5
                        ),
                    );
                }
            }
        }
        (c.found, c.total)
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

    /// Serialize deterministically: pretty-printed, but arrays of plain values on one line.
    pub fn to_json(&self) -> String {
        let v = serde_json::to_value(self).unwrap_or(Value::Null);
        let mut out = String::with_capacity(1 << 16);
        write_value(&v, 0, &mut out);
        out.push('\n');
        out
    }

    /// Write atomically: a new temporary file with a unique name in the
    /// target's folder, written and flushed to disk, then renamed over `path`
    /// (and the folder flushed). A failed or killed run therefore never leaves
    /// a half-written summary; on errors the temporary file is removed.
    pub fn write_atomic(&self, path: &Path) -> Result<(), SensorError> {
        let json = self.to_json();
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| SensorError::io(dir, e))?;
        let (tmp, mut f) = create_temp(dir, path)?;
        let res = f
            .write_all(json.as_bytes())
            .and_then(|()| f.sync_all())
            .and_then(|()| {
                drop(f);
                std::fs::rename(&tmp, path)
            });
        if let Err(e) = res {
            let _ = std::fs::remove_file(&tmp);
            return Err(SensorError::io(path, e));
        }
        sync_dir(dir);
        Ok(())
    }
}

/// Create a new file `.<name>.tmp-<pid>-<n>` next to `target`; never reuses
/// an existing file.
fn create_temp(dir: &Path, target: &Path) -> Result<(PathBuf, std::fs::File), SensorError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let fname = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "summary.json".into());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{fname}.tmp-{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(SensorError::io(&tmp, e)),
        }
    }
}

/// Make a rename in `dir` durable. Best effort: not every file system can
/// flush a folder, and the summary itself is complete either way.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn write_value(v: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', n * 2));
    match v {
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) if a.iter().all(|x| !x.is_array() && !x.is_object()) => {
            out.push_str(&serde_json::to_string(v).unwrap_or_default())
        }
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                pad(indent + 1, out);
                write_value(x, indent + 1, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push(']');
        }
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Object(o) => {
            out.push_str("{\n");
            for (i, (k, x)) in o.iter().enumerate() {
                pad(indent + 1, out);
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(": ");
                write_value(x, indent + 1, out);
                out.push_str(if i + 1 < o.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push('}');
        }
        _ => out.push_str(&serde_json::to_string(v).unwrap_or_default()),
    }
}

pub(crate) fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r } // no "-0.0"
}

/// Everything needed to turn engine results into a [`Summary`].
pub(crate) struct BuildParams {
    pub generator: String,
    pub time_zone: String,
    pub thresholds: Thresholds,
    pub rules: QualityRules,
    pub config: SensorsFile,
    pub inputs: Vec<InputInfo>,
    pub input_names: Vec<String>,
}

struct Merged {
    counts: ClassCounts,
    name: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    days: BTreeMap<i64, DayAgg>,
}

pub(crate) fn build(
    p: BuildParams,
    results: Vec<SensorResult>,
    examples: Vec<Example>,
    notes: Vec<String>,
) -> Summary {
    // Map data ids (and aliases) to configured ids.
    let mut alias: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &p.config.sensors {
        alias.insert(&s.id, &s.id);
        for a in &s.aliases {
            alias.insert(a, &s.id);
        }
    }
    let data_ids: Vec<String> = results.iter().map(|r| r.id.clone()).collect();
    let mut merged: BTreeMap<String, Merged> = BTreeMap::new();
    for r in results {
        let id = alias
            .get(r.id.as_str())
            .map_or(r.id.clone(), |s| s.to_string());
        match merged.get_mut(&id) {
            Some(m) => {
                m.counts.merge(&r.counts);
                m.name = m.name.take().or(r.name);
                m.lat = m.lat.or(r.lat);
                m.lon = m.lon.or(r.lon);
                for (d, agg) in r.days {
                    match m.days.get_mut(&d) {
                        Some(x) => x.merge(&agg),
                        None => {
                            m.days.insert(d, agg);
                        }
                    }
                }
            }
            None => {
                merged.insert(
                    id,
                    Merged {
                        counts: r.counts,
                        name: r.name,
                        lat: r.lat,
                        lon: r.lon,
                        days: r.days,
                    },
                );
            }
        }
    }
    let mut notes = notes;
    if !p.config.sensors.is_empty() {
        for id in merged.keys() {
            if !alias.contains_key(id.as_str()) {
                notes.push(format!("sensor {id} is in the data but not in sensors.yaml; it is listed with its id as name"));
            }
        }
    }

    // Dataset period: configured, otherwise first..last day with data.
    let period = match p.config.provenance.period.as_ref() {
        Some(per) => parse_day(&per.from).zip(parse_day(&per.to)),
        None => {
            let first = merged
                .values()
                .filter_map(|m| m.days.keys().next().copied())
                .min();
            let last = merged
                .values()
                .filter_map(|m| m.days.keys().next_back().copied())
                .max();
            first.zip(last)
        }
    };

    // Order: sensors.yaml order, then the rest by id.
    let mut order: Vec<String> = p.config.sensors.iter().map(|s| s.id.clone()).collect();
    for id in merged.keys() {
        if !order.contains(id) {
            order.push(id.clone());
        }
    }

    let th = &p.thresholds;
    let mut sensors = Vec::new();
    for id in order {
        let meta = p.config.sensors.iter().find(|s| s.id == id);
        let m = merged.remove(&id);
        let mut name = meta.map(|s| s.name.clone()).unwrap_or_default();
        if name.is_empty()
            && let Some(n) = m.as_ref().and_then(|m| m.name.clone())
        {
            name.insert("und".into(), n);
        }
        let location = meta.and_then(|s| s.location.clone()).or_else(|| {
            let m = m.as_ref()?;
            Some(Location {
                lat: m.lat?,
                lon: m.lon?,
                height_m: None,
            })
        });
        let configured = th
            .interval_minutes
            .or(meta.and_then(|s| s.interval_minutes));
        let (days_rows, years, interval, counts) = match m {
            Some(m) => {
                let detected = sensor_interval(&m.days);
                let base = configured.or(detected).unwrap_or(60);
                let (rows, years) = sensor_stats(&m.days, configured, base, period, th);
                (rows, years, configured.or(detected), m.counts)
            }
            None => (Vec::new(), Vec::new(), configured, ClassCounts::default()),
        };
        sensors.push(SensorSummary {
            id,
            name,
            location,
            mounting: meta.and_then(|s| s.mounting.clone()),
            reference: meta.is_some_and(|s| s.reference),
            interval_minutes: interval,
            interval_configured: configured.is_some(),
            quality: counts,
            years,
            days: days_rows,
        });
    }

    let problems = examples
        .into_iter()
        .map(|e| Problem {
            file: p
                .input_names
                .get(e.input as usize)
                .cloned()
                .unwrap_or_default(),
            line: e.line,
            sensor: e.sensor.and_then(|s| data_ids.get(s as usize).cloned()),
            class: e.class.name().to_string(),
            message: e.message,
        })
        .collect();

    Summary {
        schema: SCHEMA,
        generator: p.generator,
        time_zone: p.time_zone,
        thresholds: p.thresholds.clone(),
        quality_rules: p.rules,
        provenance: p.config.provenance.clone(),
        inputs: p.inputs,
        period: period.map(|(a, b)| PeriodOut {
            first: format_day(a),
            last: format_day(b),
        }),
        day_columns: DAY_COLUMNS.iter().map(|s| s.to_string()).collect(),
        sensors,
        problems,
        notes,
    }
}

fn sensor_stats(
    days: &BTreeMap<i64, DayAgg>,
    configured: Option<u32>,
    base: u32,
    period: Option<(i64, i64)>,
    th: &Thresholds,
) -> (Vec<DayRow>, Vec<YearSummary>) {
    let mut rows = Vec::with_capacity(days.len());
    let mut by_day: BTreeMap<i64, DayFacts> = BTreeMap::new();
    for (&day, agg) in days {
        let interval = configured.unwrap_or_else(|| agg.spacing_mode(4).unwrap_or(base));
        let (covered, slots) = agg.slots(interval);
        // Exact rule, no rounding: covered/slots >= pct/100.
        let complete = f64::from(covered) * 100.0 >= th.min_coverage_pct * f64::from(slots);
        let cov = if slots == 0 {
            0.0
        } else {
            f64::from(covered) / f64::from(slots)
        };
        rows.push(DayRow(
            format_day(day),
            round(agg.min, 2),
            round(agg.max, 2),
            round(agg.sum / f64::from(agg.n.max(1)), 2),
            round(cov, 3),
            if complete { "complete" } else { "partial" }.to_string(),
            agg.n,
        ));
        by_day.insert(
            day,
            DayFacts {
                cov,
                complete,
                min: agg.min,
                max: agg.max,
            },
        );
    }
    let (Some(&first), Some(&last)) = (days.keys().next(), days.keys().next_back()) else {
        return (rows, Vec::new());
    };
    let (pa, pb) = period.unwrap_or((first, last));
    let mut years = Vec::new();
    let mut next = first.max(pa);
    // One pass per year that has data: jump from one year to the next day with data.
    while next <= pb {
        let Some((&day, _)) = by_day.range(next..=pb).next() else {
            break;
        };
        let y = civil_from_days(day).0;
        let a = days_from_civil(y, 1, 1).max(pa);
        let b = days_from_civil(y, 12, 31).min(pb);
        years.push(year_stats(y, a, b, &by_day, th));
        next = b + 1;
    }
    (rows, years)
}

/// Per-day facts that the yearly statistics need.
struct DayFacts {
    cov: f64,
    complete: bool,
    min: f64,
    max: f64,
}

/// Statistics of year `y` over the period days `a..=b`.
fn year_stats(
    y: i32,
    a: i64,
    b: i64,
    by_day: &BTreeMap<i64, DayFacts>,
    th: &Thresholds,
) -> YearSummary {
    let mut ys = YearSummary {
        year: y,
        days_in_period: (b - a + 1) as u32,
        complete_days: 0,
        partial_days: 0,
        missing_days: 0,
        hot_days: 0,
        hot_days_partial: 0,
        summer_days: 0,
        summer_days_partial: 0,
        tropical_nights: 0,
        max: None,
        min: None,
        coverage: 0.0,
    };
    let mut cov_sum = 0.0;
    let mut present = 0u32;
    let mut maxv: Option<(f64, i64)> = None;
    let mut minv: Option<(f64, i64)> = None;
    for (&day, d) in by_day.range(a..=b) {
        present += 1;
        cov_sum += d.cov;
        if maxv.is_none_or(|(v, _)| d.max > v) {
            maxv = Some((d.max, day));
        }
        if minv.is_none_or(|(v, _)| d.min < v) {
            minv = Some((d.min, day));
        }
        if d.complete {
            ys.complete_days += 1;
            ys.hot_days += u32::from(th.reached(d.max, th.hot_day_c));
            ys.summer_days += u32::from(th.reached(d.max, th.summer_day_c));
            ys.tropical_nights += u32::from(th.reached(d.min, th.tropical_night_c));
        } else {
            ys.partial_days += 1;
            ys.hot_days_partial += u32::from(th.reached(d.max, th.hot_day_c));
            ys.summer_days_partial += u32::from(th.reached(d.max, th.summer_day_c));
        }
    }
    ys.missing_days = ys.days_in_period - present;
    ys.coverage = round(cov_sum / f64::from(ys.days_in_period), 3);
    ys.max = maxv.map(|(v, d)| Extreme {
        value: round(v, 2),
        date: format_day(d),
    });
    ys.min = minv.map(|(v, d)| Extreme {
        value: round(v, 2),
        date: format_day(d),
    });
    ys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_follows_keys_and_indexes_past_strings_and_nesting() {
        let text =
            br#"{ "a": {"x\"}": [1, {"b": "]"}], "y": [ [1,2] , [3, "q", -4.5e3 ] ] }, "z":true }"#;
        let at = |path: &[Step]| locate(text, path).map(|i| &text[i..i + 4]);
        assert_eq!(at(&[Step::Key("z")]), Some(&b"true"[..]));
        assert_eq!(
            at(&[
                Step::Key("a"),
                Step::Key("y"),
                Step::Index(1),
                Step::Index(2)
            ]),
            Some(&b"-4.5"[..])
        );
        assert_eq!(
            at(&[
                Step::Key("a"),
                Step::Key("y"),
                Step::Index(1),
                Step::Index(1)
            ]),
            Some(&b"\"q\","[..])
        );
        assert_eq!(locate(text, &[Step::Key("missing")]), None);
        let invalid = InvalidValue::at(
            "{\n  \"a\": 1,\n  \"b\": [\"ä\", 7]\n}".as_bytes(),
            &[Step::Key("b"), Step::Index(1)],
            "bad".into(),
        );
        assert_eq!(
            (invalid.json_path.as_str(), invalid.line, invalid.col),
            ("b[1]", 3, 14)
        );
    }

    #[test]
    fn a_summary_with_many_bad_values_reports_the_first_and_counts_all() {
        let year = |year: i32| YearSummary {
            year,
            days_in_period: 1,
            complete_days: 1,
            partial_days: 0,
            missing_days: 0,
            hot_days: 0,
            hot_days_partial: 0,
            summer_days: 0,
            summer_days_partial: 0,
            tropical_nights: 0,
            max: None,
            min: None,
            coverage: 1.0,
        };
        let mut summary = Summary {
            schema: SCHEMA,
            generator: String::new(),
            time_zone: "UTC".into(),
            thresholds: Thresholds {
                hot_day_c: 30.0,
                summer_day_c: 25.0,
                tropical_night_c: 20.0,
                comparison: ">=".into(),
                min_coverage_pct: 80.0,
                interval_minutes: None,
            },
            quality_rules: QualityRules::default(),
            provenance: Provenance::default(),
            inputs: Vec::new(),
            period: None,
            day_columns: Vec::new(),
            sensors: vec![SensorSummary {
                id: "S".into(),
                name: BTreeMap::new(),
                location: None,
                mounting: None,
                reference: false,
                interval_minutes: None,
                interval_configured: false,
                quality: ClassCounts::default(),
                years: (1900..2000).map(year).collect(),
                days: Vec::new(),
            }],
            problems: Vec::new(),
            notes: Vec::new(),
        };
        assert_eq!(summary.check(), (Vec::new(), 0));
        for y in &mut summary.sensors[0].years {
            y.year += 1000;
        }
        let (found, total) = summary.check();
        assert_eq!(total, 100);
        assert_eq!(found.len(), MAX_INVALID_SHOWN + 1);
        assert_eq!(
            found[3].0,
            [
                Step::Key("sensors"),
                Step::Index(0),
                Step::Key("years"),
                Step::Index(3),
                Step::Key("year")
            ]
        );
    }
}
