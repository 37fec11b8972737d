//! Building a summary from the aggregation engine's results: sensors
//! merged by alias, the dataset period, per-sensor day rows and yearly
//! statistics, the examples of problems.

use std::collections::BTreeMap;

use super::{
    DAY_COLUMNS, DayRow, Extreme, InputInfo, PeriodOut, Problem, SCHEMA, SensorSummary, Summary,
    Thresholds, YearSummary,
};
use crate::config::{Location, SensorMeta, SensorsFile};
use crate::days::{DayAgg, sensor_interval};
use crate::pipeline::{Example, SensorResult};
use crate::quality::{ClassCounts, QualityRules};
use crate::time::{civil_from_days, days_from_civil, format_day, parse_day};

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

/// One sensor's results, merged over the ids it appears under in the data
/// (its id and its aliases).
struct Merged {
    counts: ClassCounts,
    name: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    days: BTreeMap<i64, DayAgg>,
}

/// The engine's results by configured id: data ids and aliases mapped to
/// the id in `sensors.yaml`, the results under one id merged.
fn merge(config: &SensorsFile, results: Vec<SensorResult>) -> BTreeMap<String, Merged> {
    let mut alias: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &config.sensors {
        alias.insert(&s.id, &s.id);
        for a in &s.aliases {
            alias.insert(a, &s.id);
        }
    }
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
    merged
}

/// The dataset period: configured, otherwise first..last day with data.
fn period(config: &SensorsFile, merged: &BTreeMap<String, Merged>) -> Option<(i64, i64)> {
    match config.provenance.period.as_ref() {
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
    }
}

/// The summary of sensor `id`: its metadata from `sensors.yaml` (`meta`),
/// else from the data; its quality counts, day rows and yearly statistics.
fn sensor_summary(
    id: String,
    meta: Option<&SensorMeta>,
    m: Option<Merged>,
    period: Option<(i64, i64)>,
    th: &Thresholds,
) -> SensorSummary {
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
    SensorSummary {
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
    }
}

/// The summary of a run: its settings, inputs and notes, and per sensor
/// (in `sensors.yaml` order, then the rest by id) its statistics.
pub(crate) fn build(
    p: BuildParams,
    results: Vec<SensorResult>,
    examples: Vec<Example>,
    notes: Vec<String>,
) -> Summary {
    let data_ids: Vec<String> = results.iter().map(|r| r.id.clone()).collect();
    let mut merged = merge(&p.config, results);
    let mut notes = notes;
    if !p.config.sensors.is_empty() {
        let configured = |id: &str| {
            p.config
                .sensors
                .iter()
                .any(|s| s.id == id || s.aliases.iter().any(|a| a == id))
        };
        for id in merged.keys() {
            if !configured(id) {
                notes.push(format!("sensor {id} is in the data but not in sensors.yaml; it is listed with its id as name"));
            }
        }
    }
    let period = period(&p.config, &merged);
    // Order: sensors.yaml order, then the rest by id.
    let mut order: Vec<String> = p.config.sensors.iter().map(|s| s.id.clone()).collect();
    for id in merged.keys() {
        if !order.contains(id) {
            order.push(id.clone());
        }
    }
    let sensors = order
        .into_iter()
        .map(|id| {
            let meta = p.config.sensors.iter().find(|s| s.id == id);
            let m = merged.remove(&id);
            sensor_summary(id, meta, m, period, &p.thresholds)
        })
        .collect();
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
