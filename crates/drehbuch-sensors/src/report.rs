//! The report of a run as plain text, for a command to print: the quality
//! and yearly tables, and the examples of flagged records.

use std::fmt::Write;

use super::quality::Class;
use super::summary::{Summary, shorten};

/// Quality table and per-year summary table (for stdout).
pub fn tables(s: &Summary) -> String {
    let mut out = String::new();
    let idw = s
        .sensors
        .iter()
        .map(|x| x.id.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 24);
    let _ = writeln!(out, "\nQuality of readings");
    let _ = write!(out, "{:<idw$}", "sensor");
    for c in Class::ALL {
        let _ = write!(out, " {:>12}", c.name());
    }
    let _ = writeln!(out, " {:>13}", "missing_value");
    for x in &s.sensors {
        let _ = write!(out, "{:<idw$}", shorten(&x.id, idw));
        for c in Class::ALL {
            let _ = write!(out, " {:>12}", x.quality.get(c));
        }
        let _ = writeln!(out, " {:>13}", x.quality.missing_value);
    }
    let unattributed: u64 = s.inputs.iter().map(|i| i.unparseable_unattributed).sum();
    if unattributed > 0 {
        let _ = write!(out, "{:<idw$}", "(no sensor)");
        for c in Class::ALL {
            let v = if c == Class::Unparseable {
                unattributed.to_string()
            } else {
                "-".into()
            };
            let _ = write!(out, " {:>12}", v);
        }
        let _ = writeln!(out, " {:>13}", "-");
    }

    let cmp = &s.thresholds.comparison;
    let _ = writeln!(
        out,
        "\nDays and thresholds (complete day: coverage ≥ {} %; hot {cmp} {} °C, summer {cmp} {} °C, tropical night min {cmp} {} °C; +n = partial days already over the threshold)",
        s.thresholds.min_coverage_pct,
        s.thresholds.hot_day_c,
        s.thresholds.summer_day_c,
        s.thresholds.tropical_night_c
    );
    let _ = writeln!(
        out,
        "{:<idw$} {:>5} {:>8} {:>7} {:>7} {:>9} {:>9} {:>8} {:>20} {:>8}",
        "sensor",
        "year",
        "complete",
        "partial",
        "missing",
        "hot",
        "summer",
        "tropical",
        "max (date)",
        "coverage"
    );
    let rows: usize = s.sensors.iter().map(|x| x.years.len()).sum();
    let limit = if rows > 40 { 5 } else { usize::MAX };
    for x in &s.sensors {
        if x.years.is_empty() {
            let _ = writeln!(out, "{:<idw$} (no valid readings)", shorten(&x.id, idw));
            continue;
        }
        let skip = x.years.len().saturating_sub(limit);
        if skip > 0 {
            let _ = writeln!(
                out,
                "{:<idw$} … {} earlier years in the summary",
                shorten(&x.id, idw),
                skip
            );
        }
        for y in &x.years[skip..] {
            let plus = |c: u32, p: u32| {
                if p > 0 {
                    format!("{c} +{p}")
                } else {
                    c.to_string()
                }
            };
            let max = y
                .max
                .as_ref()
                .map_or("-".to_string(), |m| format!("{:.1} ({})", m.value, m.date));
            let _ = writeln!(
                out,
                "{:<idw$} {:>5} {:>8} {:>7} {:>7} {:>9} {:>9} {:>8} {:>20} {:>7.1}%",
                shorten(&x.id, idw),
                y.year,
                y.complete_days,
                y.partial_days,
                y.missing_days,
                plus(y.hot_days, y.hot_days_partial),
                plus(y.summer_days, y.summer_days_partial),
                y.tropical_nights,
                max,
                y.coverage * 100.0
            );
        }
    }
    out
}

/// Problem examples and notes (for stderr).
pub fn problems(s: &Summary) -> String {
    let mut out = String::new();
    if !s.problems.is_empty() {
        let _ = writeln!(out, "\nFirst examples of flagged records:");
        for p in &s.problems {
            let _ = writeln!(out, "  {}:{}: {}: {}", p.file, p.line, p.class, p.message);
        }
    }
    for n in &s.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let valid: u64 = s.sensors.iter().map(|x| x.quality.valid).sum();
    if valid == 0 {
        let _ = writeln!(
            out,
            "warning: no valid readings at all; check the input format and the examples above"
        );
    }
    out
}
