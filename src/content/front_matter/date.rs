//! Calendar dates in front matter and data files: `2024-08-13` or an
//! RFC 3339 time, kept as a day so listings sort and feeds date the same.

/// A calendar date from front matter (`2024-08-13` or an RFC 3339 time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, optionally followed by a valid time
    /// (`T10:30:00`, `T10:30:00Z`, `T10:30:00+02:00`, or with a space
    /// instead of `T`): the date as written, whatever the offset.
    /// Impossible dates and times (`2021-02-30`, `T25:99:99Z`) are
    /// rejected. jiff's Temporal parser reads it; only the extended form
    /// with four-digit years is taken (not `20240813` or `-002024-08-13`).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if text.as_bytes().get(4) != Some(&b'-') {
            return None;
        }
        Some(Date::from(
            jiff::fmt::temporal::Pieces::parse(text).ok()?.date(),
        ))
    }

    /// The start of the day in UTC, for feeds.
    pub fn midnight_utc(&self) -> Option<jiff::Timestamp> {
        let date = jiff::civil::Date::new(
            i16::try_from(self.year).ok()?,
            i8::try_from(self.month).ok()?,
            i8::try_from(self.day).ok()?,
        )
        .ok()?;
        Some(
            date.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .ok()?
                .timestamp(),
        )
    }

    /// `YYYY-MM-DD`, for sitemaps and `datetime` attributes.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<jiff::civil::Date> for Date {
    fn from(date: jiff::civil::Date) -> Date {
        Date {
            year: i32::from(date.year()),
            month: u32::from(date.month().unsigned_abs()),
            day: u32::from(date.day().unsigned_abs()),
        }
    }
}
