//! Which seconds a sensor already has a reading for: exact duplicate detection
//! across files and across the whole run with little memory.
//!
//! Two readings of one sensor with the same timestamp to the second are
//! duplicates, wherever they come from (the same file read twice under
//! another name, overlapping downloads, a line repeated in one file). The
//! engine asks [`SeenSeconds::insert`] for every reading as it arrives, so a
//! repeat is classified `duplicate` before it enters the reorder window, and
//! the first reading read is the one kept.
//!
//! Memory is per UTC day with readings: a day whose readings follow a fixed
//! spacing (the usual case: every 10 minutes, hourly) is one arithmetic run
//! stored in its map entry (about 50 bytes, no allocation); an irregular day
//! is a sorted list of 4 bytes per reading; beyond [`SORTED_MAX`] readings a
//! day switches to a bitmap of one bit per second (10.8 KB), the most a
//! sensor-day can cost.

use std::collections::HashMap;

const DAY_MS: i64 = 86_400_000;
const DAY_SECONDS: u32 = 86_400;
const BITMAP_WORDS: usize = DAY_SECONDS as usize / 64;

/// Above this many seconds in one day, a sorted list is replaced by a bitmap
/// (the bitmap is then smaller).
pub(crate) const SORTED_MAX: usize = 2700;

/// The seconds of one UTC day that already have a reading.
#[derive(Debug, Clone)]
enum DaySeconds {
    /// `start`, `start + step`, …: `count` seconds (`step > 0` when `count > 1`).
    Run { start: u32, step: u32, count: u32 },
    /// Sorted, at most [`SORTED_MAX`] seconds.
    Sorted(Vec<u32>),
    /// One bit per second of the day.
    Bits(Box<[u64; BITMAP_WORDS]>),
}

impl DaySeconds {
    fn new(sec: u32) -> Self {
        DaySeconds::Run {
            start: sec,
            step: 0,
            count: 1,
        }
    }

    /// Add `sec`; false if it was already there.
    #[inline]
    fn insert(&mut self, sec: u32) -> bool {
        match self {
            DaySeconds::Run { start, step, count } => {
                let last = *start + *step * (*count - 1);
                if *count == 1 && sec > *start {
                    *step = sec - *start;
                    *count = 2;
                    return true;
                }
                if *count > 1 && sec == last + *step {
                    *count += 1;
                    return true;
                }
                if sec >= *start
                    && sec <= last
                    && (*step == 0 || (sec - *start).is_multiple_of(*step))
                {
                    return false;
                }
                let (start, step, count) = (*start, *step, *count);
                *self = Self::expand(start, step, count);
                self.insert(sec)
            }
            DaySeconds::Sorted(v) => match v.binary_search(&sec) {
                Ok(_) => false,
                Err(pos) => {
                    v.insert(pos, sec);
                    if v.len() > SORTED_MAX {
                        *self = Self::bitmap(v);
                    }
                    true
                }
            },
            DaySeconds::Bits(bits) => {
                let (w, mask) = ((sec / 64) as usize, 1u64 << (sec % 64));
                let new = bits[w] & mask == 0;
                bits[w] |= mask;
                new
            }
        }
    }

    /// A run as a sorted list (or a bitmap when it is long).
    fn expand(start: u32, step: u32, count: u32) -> Self {
        let v: Vec<u32> = (0..count).map(|i| start + step * i).collect();
        if v.len() > SORTED_MAX {
            Self::bitmap(&v)
        } else {
            DaySeconds::Sorted(v)
        }
    }

    fn bitmap(secs: &[u32]) -> Self {
        let mut bits = Box::new([0u64; BITMAP_WORDS]);
        for &s in secs {
            bits[(s / 64) as usize] |= 1u64 << (s % 64);
        }
        DaySeconds::Bits(bits)
    }
}

/// The seconds with readings of one sensor, over all days of the run.
#[derive(Debug, Default)]
pub(crate) struct SeenSeconds {
    days: HashMap<i64, DaySeconds>,
    /// The day of the last reading, kept out of the map (readings come mostly in order).
    cur: Option<(i64, DaySeconds)>,
}

impl SeenSeconds {
    /// Record a reading at `t_ms` (UTC milliseconds); false if the sensor
    /// already has a reading in the same second.
    #[inline]
    pub(crate) fn insert(&mut self, t_ms: i64) -> bool {
        let day = t_ms.div_euclid(DAY_MS);
        let sec = (t_ms.rem_euclid(DAY_MS) / 1000) as u32;
        match self.cur.as_mut() {
            Some((d, secs)) if *d == day => secs.insert(sec),
            _ => self.switch_day(day, sec),
        }
    }

    #[cold]
    fn switch_day(&mut self, day: i64, sec: u32) -> bool {
        if let Some((d, secs)) = self.cur.take() {
            self.days.insert(d, secs);
        }
        match self.days.remove(&day) {
            Some(mut secs) => {
                let new = secs.insert(sec);
                self.cur = Some((day, secs));
                new
            }
            None => {
                self.cur = Some((day, DaySeconds::new(sec)));
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(seconds: &[u32]) {
        let mut d = DaySeconds::new(seconds[0]);
        let mut model = std::collections::BTreeSet::from([seconds[0]]);
        for &s in &seconds[1..] {
            assert_eq!(d.insert(s), model.insert(s), "second {s} of {seconds:?}");
        }
        for &s in seconds {
            assert!(!d.insert(s));
        }
    }

    #[test]
    fn runs_lists_and_bitmaps_agree_with_a_set() {
        check(&[0, 600, 1200, 1800, 1200, 2400, 0, 300, 300, 86_399]);
        check(&[500, 100, 500, 100, 900]);
        check(&[7, 7, 7]);
        let regular: Vec<u32> = (0..1440).map(|m| m * 60).collect();
        check(&regular);
        let mut x = 12345u32;
        let random: Vec<u32> = (0..6000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 8) % DAY_SECONDS
            })
            .collect();
        check(&random);
        // a long regular run that breaks: becomes a bitmap directly
        let mut long: Vec<u32> = (0..5000).map(|i| i * 2).collect();
        long.push(3);
        check(&long);
    }

    #[test]
    fn seconds_not_milliseconds_across_days() {
        let mut s = SeenSeconds::default();
        let t = 1_723_248_423_111;
        assert!(s.insert(t));
        assert!(!s.insert(t + 500), "same second");
        assert!(s.insert(t + 1000));
        assert!(s.insert(t + DAY_MS));
        assert!(!s.insert(t), "back to the first day");
        assert!(s.insert(-1), "before 1970");
        assert!(!s.insert(-999));
    }
}
