//! The consumer side: per-sensor reordering, classification and day aggregation.

use std::collections::{BTreeMap, VecDeque};

use super::days::{DayAgg, SensorDays};
use super::formats::Item;
use super::quality::{Class, ClassCounts, Classifier, QualityRules, Rec};
use super::time::{DayClock, HOUR_MS};

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
    classifier: Classifier,
    days: SensorDays,
}

/// The aggregation engine; fed with parser items in input order.
pub(crate) struct Engine {
    rules: QualityRules,
    reorder_ms: i64,
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
                            classifier: Classifier::new(&self.rules),
                            days: SensorDays::default(),
                        });
                    }
                    self.sensors[idx as usize].id = id;
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
        if r.t < s.released {
            s.late.push(r);
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
            if b.t - f.t <= self.reorder_ms {
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

    fn apply(&mut self, sensor: u32, results: &mut Vec<(Rec, Class)>) {
        for (r, c) in results.drain(..) {
            let s = &mut self.sensors[sensor as usize];
            s.counts.add(c);
            if c == Class::Valid {
                s.days.add(&mut self.clock, &r);
            } else {
                let message = match c {
                    Class::Duplicate => {
                        "same sensor and timestamp as the previous reading".to_string()
                    }
                    Class::OutOfRange => format!(
                        "{} °C is outside {} … {} °C",
                        r.temp, self.rules.min_c, self.rules.max_c
                    ),
                    Class::Spike => format!(
                        "{} °C jumps more than {} K against both neighbours",
                        r.temp, self.rules.spike_delta_k
                    ),
                    Class::Stuck => format!(
                        "{} °C repeated for at least {} h",
                        r.temp, self.rules.stuck_hours
                    ),
                    _ => String::new(),
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
            let late = std::mem::take(&mut self.sensors[i].late);
            if !late.is_empty() {
                let mut late = late;
                late.sort_by_key(|r| r.t);
                self.notes.push(format!(
                    "sensor {}: {} readings arrived more than {} h out of time order; they were checked among themselves (sort the input by time for the full checks and bounded memory)",
                    self.sensors[i].id,
                    late.len(),
                    self.rules.reorder_hours
                ));
                let mut cl = Classifier::new(&self.rules);
                self.sensors[i].days.break_series();
                let mut out = Vec::new();
                for r in late {
                    cl.feed(r, &mut |r, c| out.push((r, c)));
                }
                cl.finish(&mut |r, c| out.push((r, c)));
                self.sensors[i].counts.humidity_rejected += cl.rh_rejected;
                self.apply(i as u32, &mut out);
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
