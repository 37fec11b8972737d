//! Time handling: fast timestamp parsing, civil-date arithmetic and
//! DST-aware calendar days in a configured time zone.

use jiff::tz::TimeZone;

/// Milliseconds per minute.
pub(crate) const MINUTE_MS: i64 = 60_000;
/// Milliseconds per hour.
pub(crate) const HOUR_MS: i64 = 3_600_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// Format a day number as `YYYY-MM-DD`.
pub(crate) fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Format an instant (UTC milliseconds) as `YYYY-MM-DDTHH:MM:SSZ`, for messages.
pub(crate) fn format_instant(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (day, s) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_day(day),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Parse `YYYY-MM-DD` into a day number.
pub(crate) fn parse_day(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])? as i32;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    valid_date(y, m, d).then(|| days_from_civil(y, m, d))
}

pub(crate) fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1–12) of year `y` in the proleptic Gregorian
/// calendar, as charts lay out a calendar.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid_date(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

#[inline]
fn digits(b: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u32::from(d);
    }
    Some(v)
}

/// A parsed timestamp: either an absolute instant or a naive local date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// Milliseconds since the Unix epoch (UTC).
    Utc(i64),
    /// Local wall-clock time without offset, as "milliseconds since epoch if it were UTC".
    Naive(i64),
}

/// Parse an RFC 3339 / ISO 8601 timestamp such as `2024-08-10T00:07:03.111642Z`,
/// `2021-06-17 14:00:00+02:00`, `2024-09-10 05:20:17.549835+00` or `2021-09-07T23:00:00`.
pub(crate) fn parse_timestamp(s: &[u8]) -> Result<Stamp, &'static str> {
    parse_timestamp_offset(s).map(|(stamp, _)| stamp)
}

/// [`parse_timestamp`], with the UTC offset the timestamp states, in
/// milliseconds (`Z` is 0; `None` without one).
pub(crate) fn parse_timestamp_offset(s: &[u8]) -> Result<(Stamp, Option<i64>), &'static str> {
    let s = s.trim_ascii();
    if s.len() < 16 {
        return Err("timestamp too short (expected e.g. 2024-08-10T14:30:00+02:00)");
    }
    if s[4] != b'-'
        || s[7] != b'-'
        || !(s[10] == b'T' || s[10] == b' ' || s[10] == b't')
        || s[13] != b':'
    {
        return Err("not a timestamp of the form YYYY-MM-DDTHH:MM:SS+HH:MM");
    }
    let y = digits(&s[0..4]).ok_or("bad year")? as i32;
    let mo = digits(&s[5..7]).ok_or("bad month")?;
    let d = digits(&s[8..10]).ok_or("bad day")?;
    let h = digits(&s[11..13]).ok_or("bad hour")?;
    let mi = digits(&s[14..16]).ok_or("bad minute")?;
    if !valid_date(y, mo, d) {
        return Err("date does not exist");
    }
    if h > 24 || mi > 59 {
        return Err("time of day out of range");
    }
    let mut i = 16;
    let mut sec = 0u32;
    let mut ms = 0i64;
    if i < s.len() && s[i] == b':' {
        if i + 3 > s.len() {
            return Err("bad seconds");
        }
        sec = digits(&s[i + 1..i + 3]).ok_or("bad seconds")?;
        if sec > 60 {
            return Err("seconds out of range");
        }
        i += 3;
        if i < s.len() && (s[i] == b'.' || s[i] == b',') {
            i += 1;
            let start = i;
            let mut scale = 100i64;
            while i < s.len() && s[i].is_ascii_digit() {
                ms += i64::from(s[i] - b'0') * scale;
                scale /= 10;
                i += 1;
            }
            if i == start {
                return Err("bad fraction of a second");
            }
        }
    }
    let sec = sec.min(59); // leap second: clamp
    let local = (days_from_civil(y, mo, d) * 86_400
        + i64::from(h) * 3600
        + i64::from(mi) * 60
        + i64::from(sec))
        * 1000
        + ms;
    if i == s.len() {
        return Ok((Stamp::Naive(local), None));
    }
    let off_ms = match s[i] {
        b'Z' | b'z' if i + 1 == s.len() => 0,
        b'+' | b'-' => {
            let sign = if s[i] == b'-' { -1 } else { 1 };
            let rest = &s[i + 1..];
            let (oh, om) = match rest.len() {
                2 => (digits(rest), Some(0)),
                4 => (digits(&rest[0..2]), digits(&rest[2..4])),
                5 if rest[2] == b':' => (digits(&rest[0..2]), digits(&rest[3..5])),
                _ => (None, None),
            };
            match (oh, om) {
                (Some(oh), Some(om)) if oh < 24 && om < 60 => {
                    sign * (i64::from(oh) * 3600 + i64::from(om) * 60) * 1000
                }
                _ => return Err("bad UTC offset (expected Z, +HH:MM or -HH:MM)"),
            }
        }
        _ => {
            return Err(
                "unexpected characters after the time (expected Z or an offset like +02:00)",
            );
        }
    };
    Ok((Stamp::Utc(local - off_ms), Some(off_ms)))
}

/// The UTC offsets (other than UTC's own) that an input's timestamps
/// state, with how many state each and the first instant: offsets of
/// another zone than the one the days are counted in shift every day.
#[derive(Debug, Default)]
pub(crate) struct OffsetTally {
    /// (offset ms, timestamps, first instant ms), at most [`OffsetTally::MAX`].
    seen: Vec<(i64, u64, i64)>,
}

impl OffsetTally {
    /// Most different offsets kept (a zone has two, a mixed file a few).
    const MAX: usize = 16;

    /// Counts one timestamp at `t` that stated the offset `offset_ms`.
    #[inline]
    pub(crate) fn add(&mut self, offset_ms: i64, t: i64) {
        if offset_ms == 0 {
            return;
        }
        if let Some(last) = self.seen.last_mut()
            && last.0 == offset_ms
        {
            last.1 += 1;
            return;
        }
        let full = self.seen.len() >= Self::MAX;
        match self.seen.iter_mut().find(|s| s.0 == offset_ms) {
            Some(s) => s.1 += 1,
            None if !full => self.seen.push((offset_ms, 1, t)),
            None => {}
        }
    }

    /// A note for every offset that `zone` (named `name`) did not have at
    /// the first timestamp stating it.
    pub(crate) fn disagreements(&self, zone: &TimeZone, name: &str) -> Vec<String> {
        self.seen
            .iter()
            .filter_map(|&(offset, count, t)| {
                let at = jiff::Timestamp::from_millisecond(t).ok()?;
                let zone_offset = i64::from(zone.to_offset(at).seconds()) * 1000;
                (zone_offset != offset).then(|| {
                    format!(
                        "{count} timestamps of the input carry the UTC offset {}, but {name} is at {} then, so their calendar days may be shifted; if the sensors are elsewhere, give their time zone as `time_zone:` in sensors.yaml or --tz",
                        offset_text(offset),
                        offset_text(zone_offset)
                    )
                })
            })
            .collect()
    }
}

/// `+03:00` for an offset in milliseconds.
fn offset_text(ms: i64) -> String {
    let sign = if ms < 0 { '-' } else { '+' };
    let minutes = ms.abs() / 60_000;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Converts naive local timestamps of a given zone to UTC, caching per hour.
pub(crate) struct NaiveConverter {
    tz: TimeZone,
    cache_hour: i64,
    cache_offset_ms: i64,
}

impl NaiveConverter {
    pub(crate) fn new(tz: TimeZone) -> Self {
        NaiveConverter {
            tz,
            cache_hour: i64::MIN,
            cache_offset_ms: 0,
        }
    }

    /// Convert; ambiguous times (the repeated hour in autumn) take the earlier
    /// instant, times in the spring gap are moved forward (jiff's "compatible" rule).
    pub(crate) fn utc(&mut self, naive_ms: i64) -> Result<i64, &'static str> {
        let hour = naive_ms.div_euclid(HOUR_MS);
        if hour != self.cache_hour {
            let secs = hour * 3600;
            let days = secs.div_euclid(86_400);
            let (y, m, d) = civil_from_days(days);
            let h = (secs.rem_euclid(86_400) / 3600) as i8;
            let dt = jiff::civil::DateTime::new(y as i16, m as i8, d as i8, h, 0, 0, 0)
                .map_err(|_| "date out of range")?;
            let z = dt
                .to_zoned_datetime(self.tz.clone())
                .map_err(|_| "cannot convert local time")?;
            let utc_ms = z.timestamp().as_millisecond();
            self.cache_offset_ms = hour * HOUR_MS - utc_ms;
            self.cache_hour = hour;
        }
        Ok(naive_ms - self.cache_offset_ms)
    }
}

/// A calendar day in the configured zone: its number and its UTC bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DaySpan {
    /// Days since 1970-01-01 of the local date.
    pub day: i64,
    /// Start (inclusive) in UTC ms.
    pub start: i64,
    /// End (exclusive) in UTC ms.
    pub end: i64,
}

impl DaySpan {
    /// Length of the day in minutes (1380, 1440 or 1500 around DST changes).
    pub(crate) fn minutes(&self) -> u32 {
        ((self.end - self.start) / MINUTE_MS) as u32
    }
}

/// Maps instants to local calendar days, DST-aware, with a one-day cache.
pub(crate) struct DayClock {
    tz: TimeZone,
    last: Option<DaySpan>,
}

impl DayClock {
    pub(crate) fn new(tz: TimeZone) -> Self {
        DayClock { tz, last: None }
    }

    /// The local day containing `t_ms`.
    #[inline]
    pub(crate) fn day_of(&mut self, t_ms: i64) -> Option<DaySpan> {
        if let Some(s) = self.last
            && t_ms >= s.start
            && t_ms < s.end
        {
            return Some(s);
        }
        let span = self.compute(t_ms)?;
        self.last = Some(span);
        Some(span)
    }

    fn compute(&self, t_ms: i64) -> Option<DaySpan> {
        let ts = jiff::Timestamp::from_millisecond(t_ms).ok()?;
        let date = ts.to_zoned_datetime(self.tz.clone()).date();
        self.span_of_date(date)
    }

    fn span_of_date(&self, date: jiff::civil::Date) -> Option<DaySpan> {
        let start = date
            .to_zoned_datetime(self.tz.clone())
            .ok()?
            .timestamp()
            .as_millisecond();
        let end = date
            .tomorrow()
            .ok()?
            .to_zoned_datetime(self.tz.clone())
            .ok()?
            .timestamp()
            .as_millisecond();
        let day = days_from_civil(
            i32::from(date.year()),
            date.month() as u32,
            date.day() as u32,
        );
        Some(DaySpan { day, start, end })
    }

    /// The span of a given day number.
    #[cfg(test)]
    pub(crate) fn span_of_day(&self, day: i64) -> Option<DaySpan> {
        let (y, m, d) = civil_from_days(day);
        let date = jiff::civil::Date::new(y as i16, m as i8, d as i8).ok()?;
        self.span_of_date(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_roundtrip() {
        for z in [-800_000i64, -1, 0, 1, 18_000, 19_000, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(parse_day("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_day("2023-02-29"), None);
        assert_eq!(format_instant(1_723_248_423_111), "2024-08-10T00:07:03Z");
        assert_eq!(
            format_instant(days_from_civil(0, 6, 15) * 86_400_000),
            "0000-06-15T00:00:00Z"
        );
    }

    #[test]
    fn timestamps() {
        let z = parse_timestamp(b"2024-08-10T00:07:03.111642Z").unwrap();
        assert_eq!(z, Stamp::Utc(1_723_248_423_111));
        assert_eq!(
            parse_timestamp(b"2024-08-10T02:07:03.111642+02:00").unwrap(),
            z
        );
        assert_eq!(
            parse_timestamp(b"2024-08-10 02:07:03.111642+0200").unwrap(),
            z
        );
        assert_eq!(
            parse_timestamp(b"2024-08-10 00:07:03.111642+00").unwrap(),
            z
        );
        assert!(matches!(
            parse_timestamp(b"2021-09-07T23:00:00").unwrap(),
            Stamp::Naive(_)
        ));
        assert!(parse_timestamp(b"2021-02-30T23:00:00Z").is_err());
        assert!(parse_timestamp(b"garbage").is_err());
        assert!(parse_timestamp(b"2021-09-07T23:00:00Zjunk").is_err());
        assert!(parse_timestamp("2021-09-07T23:00:00ü".as_bytes()).is_err());
    }

    #[test]
    fn dst_days() {
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let clock = DayClock::new(tz);
        let spring = clock.span_of_day(days_from_civil(2021, 3, 28)).unwrap();
        assert_eq!(spring.minutes(), 23 * 60);
        let autumn = clock.span_of_day(days_from_civil(2021, 10, 31)).unwrap();
        assert_eq!(autumn.minutes(), 25 * 60);
        let normal = clock.span_of_day(days_from_civil(2021, 6, 1)).unwrap();
        assert_eq!(normal.minutes(), 24 * 60);
    }
}
