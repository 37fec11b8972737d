//! The consumer side: per-sensor duplicate detection, reordering,
//! classification and day aggregation.
//!
//! Every reading first meets [`SeenSeconds`]: a second reading of the same
//! sensor in the same second is a `duplicate` at once, whichever file it
//! comes from. The rest enters the sensor's reorder window, which holds at
//! most [`QualityRules::reorder_hours`] of readings and at most
//! [`window_cap`] readings; what leaves the window is classified in time
//! order. Readings older than what already left (more than the window late)
//! are collected in a late buffer of at most [`late_cap`] readings, which is
//! sorted and classified on its own whenever it is full and at the end.
//! Memory is therefore bounded per sensor, whatever order and repetition the
//! input has.

use std::collections::{BTreeMap, VecDeque};

use super::days::{DayAgg, SensorDays};
use super::formats::Item;
use super::quality::{Class, ClassCounts, Classifier, QualityRules, Rec};
use super::seen::SeenSeconds;
use super::time::{DayClock, HOUR_MS};

/// Most readings one sensor's reorder window holds (6 hours of a reading every
/// 2.2 seconds); fewer when there are many sensors, see [`window_cap`].
pub(crate) const WINDOW_MAX: usize = 10_000;
/// Readings all reorder windows together may hold (64 MB).
const WINDOW_BUDGET: usize = 2_000_000;
/// Most readings one sensor's late buffer holds; see [`late_cap`].
pub(crate) const LATE_MAX: usize = 100_000;
/// Readings all late buffers together may hold (128 MB).
const LATE_BUDGET: usize = 4_000_000;
/// The smallest window and late buffer, however many sensors there are.
const HELD_MIN: usize = 16;

/// Readings one sensor's reorder window may hold when there are `sensors` sensors.
pub(crate) fn window_cap(sensors: usize) -> usize {
    (WINDOW_BUDGET / sensors.max(1)).clamp(HELD_MIN, WINDOW_MAX)
}

/// Readings one sensor's late buffer may hold when there are `sensors` sensors.
pub(crate) fn late_cap(sensors: usize) -> usize {
    (LATE_BUDGET / sensors.max(1)).clamp(HELD_MIN, LATE_MAX)
}

/// How many examples per class are kept for the report.
pub(crate) const EXAMPLES_PER_CLASS: usize = 5;

/// An example of a problem, for the report.
#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub input: u32,
    pub line: u64,
    pub sensor: Option<u32>,
    pub class: Class,
    pub message: String,
}

pub(crate) struct SensorState {
    pub id: String,
    pub counts: ClassCounts,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pending: VecDeque<Rec>,
    released: i64,
    late: Vec<Rec>,
    /// Late readings classified so far, and in how many batches.
    late_total: u64,
    late_batches: u32,
    seen: SeenSeconds,
    classifier: Classifier,
    days: SensorDays,
}

/// The aggregation engine; fed with parser items in input order.
pub(crate) struct Engine {
    rules: QualityRules,
    reorder_ms: i64,
    /// [`window_cap`] and [`late_cap`] for the current number of sensors.
    window_cap: usize,
    late_cap: usize,
    clock: DayClock,
    pub sensors: Vec<SensorState>,
    pub input: u32,
    pub input_unparseable: Vec<u64>,
    pub examples: Vec<Example>,
    example_counts: BTreeMap<Class, usize>,
    pub notes: Vec<String>,
    scratch: Vec<(Rec, Class)>,
}

/// What the engine hands back for one sensor.
pub(crate) struct SensorResult {
    pub id: String,
    pub counts: ClassCounts,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub days: BTreeMap<i64, DayAgg>,
}

impl Engine {
    pub(crate) fn new(rules: QualityRules, tz: jiff::tz::TimeZone) -> Self {
        Engine {
            reorder_ms: (rules.reorder_hours * HOUR_MS as f64) as i64,
            window_cap: window_cap(1),
            late_cap: late_cap(1),
            rules,
            clock: DayClock::new(tz),
            sensors: Vec::new(),
            input: 0,
            input_unparseable: Vec::new(),
            examples: Vec::new(),
            example_counts: BTreeMap::new(),
            notes: Vec::new(),
            scratch: Vec::new(),
        }
    }

    pub(crate) fn start_input(&mut self, input: u32) {
        self.input = input;
        while self.input_unparseable.len() <= input as usize {
            self.input_unparseable.push(0);
        }
    }

    fn example(&mut self, ex: Example) {
        let n = self.example_counts.entry(ex.class).or_insert(0);
        if *n < EXAMPLES_PER_CLASS {
            *n += 1;
            self.examples.push(ex);
        }
    }

    pub(crate) fn items(&mut self, items: Vec<Item>) {
        for item in items {
            match item {
                Item::Reading {
                    sensor,
                    t,
                    temp,
                    rh,
                    line,
                } => {
                    let r = Rec {
                        t,
                        temp,
                        rh,
                        input: self.input,
                        line,
                    };
                    self.push(sensor, r);
                }
                Item::Sensor { idx, id } => {
                    while self.sensors.len() <= idx as usize {
                        self.sensors.push(SensorState {
                            id: String::new(),
                            counts: ClassCounts::default(),
                            name: None,
                            lat: None,
                            lon: None,
                            pending: VecDeque::new(),
                            released: i64::MIN,
                            late: Vec::new(),
                            late_total: 0,
                            late_batches: 0,
                            seen: SeenSeconds::default(),
                            classifier: Classifier::new(&self.rules),
                            days: SensorDays::default(),
                        });
                    }
                    self.sensors[idx as usize].id = id;
                    self.window_cap = window_cap(self.sensors.len());
                    self.late_cap = late_cap(self.sensors.len());
                }
                Item::SensorInfo {
                    idx,
                    name,
                    lat,
                    lon,
                } => {
                    if let Some(s) = self.sensors.get_mut(idx as usize) {
                        s.name = name.or(s.name.take());
                        s.lat = lat.or(s.lat);
                        s.lon = lon.or(s.lon);
                    }
                }
                Item::Bad { sensor, line, msg } => {
                    match sensor.and_then(|s| self.sensors.get_mut(s as usize)) {
                        Some(s) => s.counts.unparseable += 1,
                        None => {
                            if let Some(c) = self.input_unparseable.get_mut(self.input as usize) {
                                *c += 1;
                            }
                        }
                    }
                    if self
                        .example_counts
                        .get(&Class::Unparseable)
                        .copied()
                        .unwrap_or(0)
                        < EXAMPLES_PER_CLASS
                    {
                        self.example(Example {
                            input: self.input,
                            line,
                            sensor,
                            class: Class::Unparseable,
                            message: msg.into_owned(),
                        });
                    }
                }
                Item::Missing { sensor } => {
                    if let Some(s) = self.sensors.get_mut(sensor as usize) {
                        s.counts.missing_value += 1;
                    }
                }
                Item::Note { msg } => self.notes.push(msg),
            }
        }
    }

    #[inline]
    fn push(&mut self, sensor: u32, r: Rec) {
        let Some(s) = self.sensors.get_mut(sensor as usize) else {
            return;
        };
        if !s.seen.insert(r.t) {
            self.duplicate(sensor, r);
            return;
        }
        if r.t < s.released {
            s.late.push(r);
            if s.late.len() >= self.late_cap {
                self.classify_late(sensor as usize);
            }
            return;
        }
        match s.pending.back() {
            Some(b) if b.t > r.t => {
                let pos = s.pending.partition_point(|x| x.t <= r.t);
                s.pending.insert(pos, r);
            }
            _ => s.pending.push_back(r),
        }
        let mut tmp = std::mem::take(&mut self.scratch);
        while let (Some(f), Some(b)) = (s.pending.front(), s.pending.back()) {
            if b.t - f.t <= self.reorder_ms && s.pending.len() <= self.window_cap {
                break;
            }
            let Some(x) = s.pending.pop_front() else {
                break;
            };
            s.released = x.t;
            s.classifier.feed(x, &mut |r, c| tmp.push((r, c)));
        }
        if !tmp.is_empty() {
            self.apply(sensor, &mut tmp);
        }
        self.scratch = tmp;
    }

    /// A repeat of a second the sensor already has a reading for.
    fn duplicate(&mut self, sensor: u32, r: Rec) {
        self.sensors[sensor as usize].counts.add(Class::Duplicate);
        if self
            .example_counts
            .get(&Class::Duplicate)
            .copied()
            .unwrap_or(0)
            < EXAMPLES_PER_CLASS
        {
            self.example(Example {
                input: r.input,
                line: r.line,
                sensor: Some(sensor),
                class: Class::Duplicate,
                message: "same sensor and timestamp (to the second) as a reading read before; only the first one counts".into(),
            });
        }
    }

    /// Sort and classify the late buffer of sensor `i` as a series of its own.
    fn classify_late(&mut self, i: usize) {
        let s = &mut self.sensors[i];
        let mut late = std::mem::take(&mut s.late);
        if late.is_empty() {
            return;
        }
        late.sort_by_key(|r| r.t);
        s.late_total += late.len() as u64;
        s.late_batches += 1;
        let mut cl = Classifier::new(&self.rules);
        let mut out = Vec::with_capacity(late.len());
        for r in late {
            cl.feed(r, &mut |r, c| out.push((r, c)));
        }
        cl.finish(&mut |r, c| out.push((r, c)));
        s.counts.humidity_rejected += cl.rh_rejected;
        let main_series = s.days.break_series();
        self.apply(i as u32, &mut out);
        self.sensors[i].days.resume_series(main_series);
    }

    fn apply(&mut self, sensor: u32, results: &mut Vec<(Rec, Class)>) {
        for (r, c) in results.drain(..) {
            let s = &mut self.sensors[sensor as usize];
            // Timestamps are checked against the accepted range when parsed, so
            // every valid reading has a calendar day; should one not, it is
            // counted as unparseable rather than lost.
            let c = if c == Class::Valid && !s.days.add(&mut self.clock, &r) {
                Class::Unparseable
            } else {
                c
            };
            s.counts.add(c);
            if c != Class::Valid {
                let message = match c {
                    Class::Duplicate => {
                        "same sensor and timestamp as the previous reading".to_string()
                    }
                    Class::OutOfRange => format!(
                        "{} °C is outside {} … {} °C",
                        // Absurd values (1e308) in short scientific form.
                        if r.temp.abs() >= 1e6 {
                            format!("{:e}", r.temp)
                        } else {
                            r.temp.to_string()
                        },
                        self.rules.min_c,
                        self.rules.max_c
                    ),
                    Class::Spike => format!(
                        "{} °C jumps more than {} K against both neighbours",
                        r.temp, self.rules.spike_delta_k
                    ),
                    Class::Stuck => format!(
                        "{} °C repeated for at least {} h",
                        r.temp, self.rules.stuck_hours
                    ),
                    Class::Unparseable => {
                        "this time has no calendar day in the time zone (--tz)".to_string()
                    }
                    Class::Valid => String::new(),
                };
                if self.example_counts.get(&c).copied().unwrap_or(0) < EXAMPLES_PER_CLASS {
                    self.example(Example {
                        input: r.input,
                        line: r.line,
                        sensor: Some(sensor),
                        class: c,
                        message,
                    });
                }
            }
        }
    }

    /// Flush everything and return per-sensor results (in first-seen order).
    pub(crate) fn finish(mut self) -> (Vec<SensorResult>, Vec<Example>, Vec<u64>, Vec<String>) {
        for i in 0..self.sensors.len() {
            let mut out = Vec::new();
            {
                let s = &mut self.sensors[i];
                while let Some(x) = s.pending.pop_front() {
                    s.classifier.feed(x, &mut |r, c| out.push((r, c)));
                }
                s.classifier.finish(&mut |r, c| out.push((r, c)));
            }
            self.apply(i as u32, &mut out);
            self.classify_late(i);
            let s = &self.sensors[i];
            if s.late_total > 0 {
                let batches = if s.late_batches > 1 {
                    format!(
                        " (in {} batches of at most {})",
                        s.late_batches, self.late_cap
                    )
                } else {
                    String::new()
                };
                self.notes.push(format!(
                    "sensor {}: {} arrived too far out of time order for the reorder window ({} h or {} readings); they were checked among themselves{batches} (sort the input by time for the full checks)",
                    s.id,
                    if s.late_total == 1 {
                        "1 reading".to_string()
                    } else {
                        format!("{} readings", s.late_total)
                    },
                    self.rules.reorder_hours,
                    self.window_cap
                ));
            }
            let s = &mut self.sensors[i];
            s.counts.humidity_rejected += s.classifier.rh_rejected;
        }
        let results = self
            .sensors
            .into_iter()
            .map(|s| SensorResult {
                id: s.id,
                counts: s.counts,
                name: s.name,
                lat: s.lat,
                lon: s.lon,
                days: s.days.into_days(),
            })
            .collect();
        (results, self.examples, self.input_unparseable, self.notes)
    }
}
