//! Calendar days: aggregation of valid readings and coverage.
//!
//! A day is a calendar day in the configured zone (23, 24 or 25 hours long).
//! Valid readings mark the minute of the day they fall in; at the end the day
//! is cut into nominal reporting slots of the sensor's interval, and coverage
//! is the share of slots holding at least one valid reading. Extra readings
//! in a slot (seconds apart, irregular spacing) therefore neither raise nor
//! lower coverage.

use std::collections::BTreeMap;

use super::quality::Rec;
use super::time::{DayClock, MINUTE_MS};

const WORDS: usize = 24; // 1536 minute bits >= 25 h

/// Aggregate of one sensor-day.
#[derive(Debug, Clone)]
pub(crate) struct DayAgg {
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub n: u32,
    pub rh_sum: f64,
    pub rh_n: u32,
    pub len_min: u16,
    minutes: [u64; WORDS],
    /// Spacings to the previous valid reading, in whole minutes, with counts.
    spacing: Vec<(u16, u32)>,
}

impl DayAgg {
    fn new(len_min: u32) -> Self {
        DayAgg {
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: 0.0,
            n: 0,
            rh_sum: 0.0,
            rh_n: 0,
            len_min: len_min as u16,
            minutes: [0; WORDS],
            spacing: Vec::new(),
        }
    }

    pub(crate) fn merge(&mut self, o: &DayAgg) {
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        self.sum += o.sum;
        self.n += o.n;
        self.rh_sum += o.rh_sum;
        self.rh_n += o.rh_n;
        for (a, b) in self.minutes.iter_mut().zip(o.minutes.iter()) {
            *a |= *b;
        }
        for &(s, c) in &o.spacing {
            add_spacing(&mut self.spacing, s, c);
        }
    }

    /// Mode of the spacings if at least `min_count` spacings agree (ties: shorter).
    pub(crate) fn spacing_mode(&self, min_count: u32) -> Option<u32> {
        mode(&self.spacing)
            .filter(|&(_, c)| c >= min_count)
            .map(|(s, _)| u32::from(s))
    }

    /// (covered slots, nominal slots) for a reporting interval in minutes.
    pub(crate) fn slots(&self, interval: u32) -> (u32, u32) {
        let interval = interval.max(1) as usize;
        let len = self.len_min as usize;
        let slots = len.div_ceil(interval);
        let mut covered = 0;
        for k in 0..slots {
            let a = k * interval;
            let b = ((k + 1) * interval).min(len);
            if any_bit(&self.minutes, a, b) {
                covered += 1;
            }
        }
        (covered as u32, slots as u32)
    }
}

fn any_bit(bits: &[u64; WORDS], a: usize, b: usize) -> bool {
    let mut i = a;
    while i < b {
        let w = i / 64;
        let off = i % 64;
        let take = (64 - off).min(b - i);
        let mask = if take == 64 {
            u64::MAX
        } else {
            ((1u64 << take) - 1) << off
        };
        if bits[w] & mask != 0 {
            return true;
        }
        i += take;
    }
    false
}

fn add_spacing(v: &mut Vec<(u16, u32)>, s: u16, c: u32) {
    match v.iter_mut().find(|x| x.0 == s) {
        Some(x) => x.1 += c,
        None => {
            if v.len() < 32 {
                v.push((s, c));
            }
        }
    }
}

fn mode(v: &[(u16, u32)]) -> Option<(u16, u32)> {
    v.iter()
        .copied()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
}

/// All days of one sensor.
#[derive(Debug, Default)]
pub(crate) struct SensorDays {
    map: BTreeMap<i64, DayAgg>,
    cur: Option<(i64, DayAgg)>,
    last_valid: Option<i64>,
}

impl SensorDays {
    /// Add a valid reading; false (and nothing added) if its instant has no
    /// calendar day in the zone.
    #[inline]
    pub(crate) fn add(&mut self, clock: &mut DayClock, r: &Rec) -> bool {
        let Some(span) = clock.day_of(r.t) else {
            return false;
        };
        if self.cur.as_ref().is_none_or(|c| c.0 != span.day) {
            self.stash();
            let agg = self
                .map
                .remove(&span.day)
                .unwrap_or_else(|| DayAgg::new(span.minutes()));
            self.cur = Some((span.day, agg));
        }
        let Some((_, d)) = self.cur.as_mut() else {
            return false;
        };
        let minute = ((r.t - span.start) / MINUTE_MS) as usize;
        if minute < WORDS * 64 {
            d.minutes[minute / 64] |= 1u64 << (minute % 64);
        }
        d.min = d.min.min(r.temp);
        d.max = d.max.max(r.temp);
        d.sum += r.temp;
        d.n += 1;
        if !r.rh.is_nan() {
            d.rh_sum += f64::from(r.rh);
            d.rh_n += 1;
        }
        if let Some(prev) = self.last_valid {
            let dt = r.t - prev;
            if dt > 0 {
                let m = (dt + MINUTE_MS / 2) / MINUTE_MS;
                if (1..=1440).contains(&m) {
                    add_spacing(&mut d.spacing, m as u16, 1);
                }
            }
        }
        self.last_valid = Some(r.t);
        true
    }

    /// Forget the previous reading (a new, independent series follows) and
    /// return it, for [`Self::resume_series`].
    pub(crate) fn break_series(&mut self) -> Option<i64> {
        self.last_valid.take()
    }

    /// Continue the series that [`Self::break_series`] interrupted.
    pub(crate) fn resume_series(&mut self, last_valid: Option<i64>) {
        self.last_valid = last_valid;
    }

    fn stash(&mut self) {
        if let Some((day, agg)) = self.cur.take() {
            match self.map.get_mut(&day) {
                Some(existing) => existing.merge(&agg),
                None => {
                    self.map.insert(day, agg);
                }
            }
        }
    }

    /// Finish and hand out the days in order.
    pub(crate) fn into_days(mut self) -> BTreeMap<i64, DayAgg> {
        self.stash();
        self.map
    }
}

/// The sensor-wide typical spacing (minutes) over all its days.
pub(crate) fn sensor_interval(days: &BTreeMap<i64, DayAgg>) -> Option<u32> {
    let mut all: Vec<(u16, u32)> = Vec::new();
    for d in days.values() {
        for &(s, c) in &d.spacing {
            match all.iter_mut().find(|x| x.0 == s) {
                Some(x) => x.1 += c,
                None => all.push((s, c)),
            }
        }
    }
    mode(&all).map(|(s, _)| u32::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_and_bits() {
        let mut d = DayAgg::new(1440);
        for m in [0usize, 29, 30, 95, 1439] {
            d.minutes[m / 64] |= 1 << (m % 64);
        }
        assert_eq!(d.slots(30), (4, 48)); // slots 0, 1, 3 and 47
        assert_eq!(d.slots(60), (3, 24));
        assert_eq!(d.slots(1), (5, 1440));
        let short = DayAgg::new(1380);
        assert_eq!(short.slots(60), (0, 23));
        assert_eq!(DayAgg::new(1500).slots(60).1, 25);
        assert_eq!(DayAgg::new(1440).slots(7).1, 206); // last slot is shorter
    }
}
