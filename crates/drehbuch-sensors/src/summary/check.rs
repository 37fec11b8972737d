//! What a summary may hold, checked when it is read and before it is
//! written: each value out of range is named by its JSON path (found in
//! the file by `locate`).

use std::collections::HashMap;

use super::locate::{Step, json_path};
use super::{DayRow, PeriodOut, SensorSummary, Summary, Thresholds, YearSummary};
use crate::config::Location;
use crate::formats::{FIRST_DAY, LAST_DAY, MAX_SENSORS};
use crate::quality::QualityRules;
use crate::time::{civil_from_days, days_from_civil, format_day, parse_day};

/// First calendar year a summary may hold: raw readings are accepted from
/// 1850-01-01 (UTC), and so are summaries.
const FIRST_YEAR: i32 = 1850;
/// Last calendar year a summary may hold (raw readings: up to 2100-12-31).
const LAST_YEAR: i32 = 2100;
/// Largest magnitude of a temperature in a summary, °C (thresholds, rules,
/// daily and yearly values).
const MAX_CELSIUS: f64 = 100.0;
/// Hours in a leap year: the longest a time rule may reasonably be.
const HOURS_PER_YEAR: f64 = 8784.0;
/// How many invalid values a refused summary lists (the rest are counted).
pub const MAX_INVALID_SHOWN: usize = 20;

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

impl Summary {
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
    pub(super) fn check(&self) -> (Vec<(Vec<Step>, String)>, usize) {
        let mut c = Checker::default();
        c.thresholds(&self.thresholds);
        c.rules(&self.quality_rules);
        if let Some(period) = &self.period {
            c.period(period);
        }
        c.sensors(&self.sensors);
        (c.found, c.total)
    }
}

/// `prefix` followed by `steps`.
fn path(prefix: &[Step], steps: &[Step]) -> Vec<Step> {
    let mut path = prefix.to_vec();
    path.extend_from_slice(steps);
    path
}

impl Checker {
    fn thresholds(&mut self, th: &Thresholds) {
        let at = |key| [Step::Key("thresholds"), Step::Key(key)];
        for (key, value) in [
            ("hot_day_c", th.hot_day_c),
            ("summer_day_c", th.summer_day_c),
            ("tropical_night_c", th.tropical_night_c),
        ] {
            self.celsius(&at(key), value);
        }
        self.within(
            &at("min_coverage_pct"),
            th.min_coverage_pct,
            0.0,
            100.0,
            "a percentage",
        );
        if th.comparison != ">=" && th.comparison != ">" {
            self.fail(
                &at("comparison"),
                format!(
                    "{:?} is not a comparison; use \">=\" or \">\"",
                    th.comparison
                ),
            );
        }
        if let Some(minutes) = th.interval_minutes {
            self.minutes(&at("interval_minutes"), minutes);
        }
    }

    fn rules(&mut self, rules: &QualityRules) {
        let at = |key| [Step::Key("quality_rules"), Step::Key(key)];
        self.celsius(&at("min_c"), rules.min_c);
        self.celsius(&at("max_c"), rules.max_c);
        if rules.min_c >= rules.max_c {
            self.fail(
                &at("max_c"),
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
            self.within(&at(key), value, 0.0, max, unit);
        }
        self.within(
            &at("spike_window_minutes"),
            f64::from(rules.spike_window_minutes),
            0.0,
            HOURS_PER_YEAR * 60.0,
            "minutes",
        );
    }

    fn period(&mut self, period: &PeriodOut) {
        let at = |key| [Step::Key("period"), Step::Key(key)];
        let first = self.day(&at("first"), &period.first);
        let last = self.day(&at("last"), &period.last);
        if let (Some(first), Some(last)) = (first, last)
            && first > last
        {
            self.fail(
                &at("last"),
                format!("{} is before period.first ({})", period.last, period.first),
            );
        }
    }

    fn sensors(&mut self, sensors: &[SensorSummary]) {
        if sensors.len() > MAX_SENSORS {
            self.fail(
                &[Step::Key("sensors")],
                format!(
                    "{} sensors are more than a summary may hold ({MAX_SENSORS})",
                    sensors.len()
                ),
            );
        }
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, sensor) in sensors.iter().enumerate() {
            let at = [Step::Key("sensors"), Step::Index(i)];
            if let Some(first) = ids.insert(sensor.id.as_str(), i) {
                self.fail(
                    &path(&at, &[Step::Key("id")]),
                    format!(
                        "sensor {:?} is listed twice (also as sensors[{first}])",
                        sensor.id
                    ),
                );
            }
            if let Some(location) = &sensor.location {
                self.location(&path(&at, &[Step::Key("location")]), location);
            }
            // Detected from readings within a day (up to 25 hours on a
            // change of daylight saving time), or set in sensors.yaml.
            if sensor.interval_minutes == Some(0) {
                self.fail(
                    &path(&at, &[Step::Key("interval_minutes")]),
                    "0 is not an interval; at least 1 minute".into(),
                );
            }
            self.years(&path(&at, &[Step::Key("years")]), &sensor.years);
            self.days(&path(&at, &[Step::Key("days")]), &sensor.days);
        }
    }

    fn location(&mut self, at: &[Step], location: &Location) {
        let at = |key| path(at, &[Step::Key(key)]);
        self.within(&at("lat"), location.lat, -90.0, 90.0, "degrees");
        self.within(&at("lon"), location.lon, -180.0, 180.0, "degrees");
        if let Some(height) = location.height_m {
            self.within(&at("height_m"), height, -500.0, 10_000.0, "metres");
        }
    }

    /// A sensor's years: each from 1850 to 2100, ascending, each once.
    fn years(&mut self, at: &[Step], years: &[YearSummary]) {
        let mut previous: Option<i32> = None;
        for (j, y) in years.iter().enumerate() {
            let at = path(at, &[Step::Index(j)]);
            let at_year = path(&at, &[Step::Key("year")]);
            if !(FIRST_YEAR..=LAST_YEAR).contains(&y.year) {
                self.fail(
                    &at_year,
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
                self.fail(
                    &at_year,
                    format!(
                        "{} follows {before}: years must be in ascending order, each once",
                        y.year
                    ),
                );
            }
            previous = Some(y.year);
            self.year(&at, y);
        }
    }

    /// One year's counts (within its days), extremes (in the year) and
    /// coverage.
    fn year(&mut self, at: &[Step], y: &YearSummary) {
        let at = |steps: &[Step]| path(at, steps);
        let in_year = days_from_civil(y.year, 12, 31) - days_from_civil(y.year, 1, 1) + 1;
        if i64::from(y.days_in_period) > in_year {
            self.fail(
                &at(&[Step::Key("days_in_period")]),
                format!(
                    "{} is more than the {in_year} days of {}",
                    y.days_in_period, y.year
                ),
            );
            return;
        }
        let sum =
            u64::from(y.complete_days) + u64::from(y.partial_days) + u64::from(y.missing_days);
        if sum != u64::from(y.days_in_period) {
            self.fail(
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
                self.fail(
                    &at(&[Step::Key(key)]),
                    format!("{count} is more than {among_key} ({among})"),
                );
            }
        }
        for (key, extreme) in [("max", &y.max), ("min", &y.min)] {
            if let Some(extreme) = extreme {
                self.celsius(&at(&[Step::Key(key), Step::Key("value")]), extreme.value);
                let at_date = at(&[Step::Key(key), Step::Key("date")]);
                if let Some(day) = self.day(&at_date, &extreme.date)
                    && civil_from_days(day).0 != y.year
                {
                    self.fail(&at_date, format!("{} is not in {}", extreme.date, y.year));
                }
            }
        }
        self.within(
            &at(&[Step::Key("coverage")]),
            y.coverage,
            0.0,
            1.0,
            "a share",
        );
    }

    /// A sensor's day rows: dates ascending, each once; values in range.
    fn days(&mut self, at: &[Step], days: &[DayRow]) {
        let mut previous: Option<i64> = None;
        for (k, row) in days.iter().enumerate() {
            let at = |column: usize| path(at, &[Step::Index(k), Step::Index(column)]);
            if let Some(day) = self.day(&at(0), row.date()) {
                if let Some(before) = previous
                    && day <= before
                {
                    self.fail(
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
                self.celsius(&at(column), value);
            }
            self.within(&at(4), row.coverage(), 0.0, 1.0, "a share");
            if row.5 != "complete" && row.5 != "partial" {
                self.fail(
                    &at(5),
                    format!(
                        "{:?} is not a day status; use \"complete\" or \"partial\"",
                        row.5
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::{SCHEMA, SensorSummary, Thresholds, YearSummary};
    use super::*;
    use crate::config::Provenance;
    use crate::quality::{ClassCounts, QualityRules};

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
