//! Quality control: every reading gets exactly one [`Class`].
//!
//! Readings of one sensor pass, in time order, through these checks:
//!
//! 1. **duplicate**: same sensor and same timestamp (to the second) as a
//!    reading read before; the first one is kept. The pipeline finds these
//!    across all inputs as readings arrive (`seen`); the check here only
//!    guards series fed directly.
//! 2. **out of range**: temperature outside the physical range
//!    (default −50 … +60 °C).
//! 3. **spike**: the reading jumps by more than `spike_delta` (default 6 K)
//!    against *both* neighbours in the same direction, with both neighbours
//!    within `spike_window` (default 2 h). A genuine front changes the level and
//!    stays; a spike comes back.
//! 4. **stuck**: the same value repeated for at least `stuck_hours`
//!    (default 6 h). The first reading of such a run is kept as valid, the
//!    repetitions are flagged.
//!
//! Records that cannot be parsed at all are **unparseable** (counted by the
//! parsers). Rows whose source marks the value as missing (`-999`, empty) are
//! counted separately as `missing_value`; they are not readings.

use serde::{Deserialize, Serialize};

use super::time::HOUR_MS;

/// The quality class of a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Class {
    /// Passed every check; used for daily statistics.
    Valid,
    /// Same sensor and time as an earlier reading.
    Duplicate,
    /// Physically impossible value.
    OutOfRange,
    /// Implausible jump against both neighbours.
    Spike,
    /// Same value repeated for hours.
    Stuck,
    /// Could not be parsed.
    Unparseable,
}

impl Class {
    /// All classes in report order.
    pub(crate) const ALL: [Class; 6] = [
        Class::Valid,
        Class::Duplicate,
        Class::OutOfRange,
        Class::Spike,
        Class::Stuck,
        Class::Unparseable,
    ];

    /// Stable snake_case name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Class::Valid => "valid",
            Class::Duplicate => "duplicate",
            Class::OutOfRange => "out_of_range",
            Class::Spike => "spike",
            Class::Stuck => "stuck",
            Class::Unparseable => "unparseable",
        }
    }
}

/// Counts per class for one sensor (or one input).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCounts {
    /// Valid readings.
    pub valid: u64,
    /// Duplicates.
    pub duplicate: u64,
    /// Out of physical range.
    pub out_of_range: u64,
    /// Spikes.
    pub spike: u64,
    /// Stuck values.
    pub stuck: u64,
    /// Unparseable records.
    pub unparseable: u64,
    /// Rows whose source marks the temperature as missing (not readings).
    pub missing_value: u64,
    /// Readings whose humidity was outside 0–100 % and was dropped (temperature kept).
    pub humidity_rejected: u64,
}

impl ClassCounts {
    /// Add one reading of a class.
    pub(crate) fn add(&mut self, c: Class) {
        *self.get_mut(c) += 1;
    }

    fn get_mut(&mut self, c: Class) -> &mut u64 {
        match c {
            Class::Valid => &mut self.valid,
            Class::Duplicate => &mut self.duplicate,
            Class::OutOfRange => &mut self.out_of_range,
            Class::Spike => &mut self.spike,
            Class::Stuck => &mut self.stuck,
            Class::Unparseable => &mut self.unparseable,
        }
    }

    /// Count of one class.
    pub(crate) fn get(&self, c: Class) -> u64 {
        match c {
            Class::Valid => self.valid,
            Class::Duplicate => self.duplicate,
            Class::OutOfRange => self.out_of_range,
            Class::Spike => self.spike,
            Class::Stuck => self.stuck,
            Class::Unparseable => self.unparseable,
        }
    }

    /// All readings (every class).
    pub fn total(&self) -> u64 {
        Class::ALL.iter().map(|&c| self.get(c)).sum()
    }

    /// Sum two count sets.
    pub(crate) fn merge(&mut self, o: &ClassCounts) {
        for c in Class::ALL {
            *self.get_mut(c) += o.get(c);
        }
        self.missing_value += o.missing_value;
        self.humidity_rejected += o.humidity_rejected;
    }
}

/// Parameters of the checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityRules {
    /// Lowest physically plausible temperature, °C.
    pub min_c: f64,
    /// Highest physically plausible temperature, °C.
    pub max_c: f64,
    /// Spike: minimum jump in K against both neighbours.
    pub spike_delta_k: f64,
    /// Spike: neighbours further away than this (minutes) are not used.
    pub spike_window_minutes: u32,
    /// Stuck: minimum duration of a run of identical values, hours.
    pub stuck_hours: f64,
    /// Readings may arrive this many hours out of order per sensor and still be
    /// checked against their true neighbours.
    pub reorder_hours: f64,
}

impl Default for QualityRules {
    fn default() -> Self {
        QualityRules {
            min_c: -50.0,
            max_c: 60.0,
            spike_delta_k: 6.0,
            spike_window_minutes: 120,
            stuck_hours: 6.0,
            reorder_hours: 6.0,
        }
    }
}

/// One reading travelling through the checks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rec {
    pub t: i64,
    pub temp: f64,
    pub rh: f32,
    pub input: u32,
    pub line: u64,
}

#[derive(Debug, Default)]
struct Run {
    active: bool,
    value: f64,
    start: i64,
    last: i64,
    flagged: bool,
    items: Vec<Rec>,
}

/// Streaming classifier for one sensor; feed readings in time order.
#[derive(Debug)]
pub(crate) struct Classifier {
    last_sec: i64,
    cand: Option<Rec>,
    prev: Option<Rec>,
    run: Run,
    spike_window: i64,
    stuck_ms: i64,
    min_c: f64,
    max_c: f64,
    delta: f64,
    /// Humidity values dropped as impossible.
    pub rh_rejected: u64,
}

impl Classifier {
    pub(crate) fn new(rules: &QualityRules) -> Self {
        Classifier {
            last_sec: i64::MIN,
            cand: None,
            prev: None,
            run: Run::default(),
            spike_window: i64::from(rules.spike_window_minutes) * 60_000,
            stuck_ms: (rules.stuck_hours * HOUR_MS as f64) as i64,
            min_c: rules.min_c,
            max_c: rules.max_c,
            delta: rules.spike_delta_k,
            rh_rejected: 0,
        }
    }

    /// Classify `r`; results (possibly for earlier readings) go to `out`.
    #[inline]
    pub(crate) fn feed(&mut self, mut r: Rec, out: &mut impl FnMut(Rec, Class)) {
        let sec = r.t.div_euclid(1000);
        if sec == self.last_sec {
            out(r, Class::Duplicate);
            return;
        }
        self.last_sec = sec;
        if !(r.temp >= self.min_c && r.temp <= self.max_c) {
            out(r, Class::OutOfRange);
            return;
        }
        if !r.rh.is_nan() && !(0.0..=100.0).contains(&r.rh) {
            r.rh = f32::NAN;
            self.rh_rejected += 1;
        }
        if let Some(c) = self.cand.take() {
            self.judge(c, Some(&r), out);
        }
        self.cand = Some(r);
    }

    fn judge(&mut self, c: Rec, next: Option<&Rec>, out: &mut impl FnMut(Rec, Class)) {
        let spike = match (self.prev.as_ref(), next) {
            (Some(p), Some(n))
                if c.t - p.t <= self.spike_window && n.t - c.t <= self.spike_window =>
            {
                let d1 = c.temp - p.temp;
                let d2 = c.temp - n.temp;
                d1.abs() > self.delta && d2.abs() > self.delta && (d1 > 0.0) == (d2 > 0.0)
            }
            _ => false,
        };
        if spike {
            out(c, Class::Spike);
            return;
        }
        self.prev = Some(c);
        self.stuck(c, out);
    }

    fn stuck(&mut self, c: Rec, out: &mut impl FnMut(Rec, Class)) {
        let run = &mut self.run;
        if run.active && c.temp == run.value && c.t - run.last <= self.stuck_ms {
            run.last = c.t;
            if run.flagged {
                out(c, Class::Stuck);
                return;
            }
            run.items.push(c);
            if c.t - run.start >= self.stuck_ms {
                run.flagged = true;
                for (i, x) in run.items.drain(..).enumerate() {
                    out(x, if i == 0 { Class::Valid } else { Class::Stuck });
                }
            }
            return;
        }
        for x in run.items.drain(..) {
            out(x, Class::Valid);
        }
        run.active = true;
        run.value = c.temp;
        run.start = c.t;
        run.last = c.t;
        run.flagged = false;
        run.items.push(c);
    }

    /// End of the series: release everything still held back.
    pub(crate) fn finish(&mut self, out: &mut impl FnMut(Rec, Class)) {
        if let Some(c) = self.cand.take() {
            self.judge(c, None, out);
        }
        for x in self.run.items.drain(..) {
            out(x, Class::Valid);
        }
        self.run.active = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(series: &[(i64, f64)]) -> Vec<Class> {
        let mut c = Classifier::new(&QualityRules::default());
        let mut got: Vec<(i64, Class)> = vec![];
        let mut out = |r: Rec, cl: Class| got.push((r.t, cl));
        for &(m, v) in series {
            c.feed(
                Rec {
                    t: m * 60_000,
                    temp: v,
                    rh: f32::NAN,
                    input: 0,
                    line: 0,
                },
                &mut out,
            );
        }
        c.finish(&mut out);
        got.sort_by_key(|x| (x.0, x.1));
        got.into_iter().map(|x| x.1).collect()
    }

    #[test]
    fn spike_needs_both_sides() {
        use Class::*;
        assert_eq!(
            classify(&[(0, 20.0), (30, 20.5), (60, 35.0), (90, 21.0), (120, 21.2)]),
            vec![Valid, Valid, Spike, Valid, Valid]
        );
        // a front: the level changes and stays
        assert_eq!(
            classify(&[(0, 25.0), (30, 24.0), (60, 16.0), (90, 15.5)]),
            vec![Valid; 4]
        );
    }

    #[test]
    fn stuck_runs() {
        use Class::*;
        let mut s: Vec<(i64, f64)> = (0..13).map(|i| (i * 30, 18.3)).collect(); // 6 h of the same value
        s.push((13 * 30, 18.9));
        let got = classify(&s);
        assert_eq!(got[0], Valid);
        assert!(got[1..13].iter().all(|&c| c == Stuck));
        assert_eq!(got[13], Valid);
        // 5.5 h is fine
        let s: Vec<(i64, f64)> = (0..12).map(|i| (i * 30, 18.3)).collect();
        assert!(classify(&s).iter().all(|&c| c == Valid));
    }

    #[test]
    fn duplicates_and_range() {
        use Class::*;
        assert_eq!(
            classify(&[(0, 20.0), (0, 20.1), (30, 80.0), (60, -60.0), (90, 20.2)]),
            vec![Valid, Duplicate, OutOfRange, OutOfRange, Valid]
        );
    }
}
