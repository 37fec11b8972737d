//! Input formats: detection and streaming parsers.
//!
//! Every parser turns its input into a stream of [`Item`]s through an
//! [`Emitter`]; it never holds a whole file in memory and never stops at a bad
//! record: bad records become [`Item::Bad`] with their line number.
//!
//! This module also owns the input limits that keep memory bounded whatever a
//! file holds: lines and JSON records of at most [`MAX_RECORD`] bytes
//! ([`Lines`], [`json::ArrayScanner`]), timestamps inside [`FIRST_DAY`] …
//! [`LAST_DAY`], sensor ids of at most [`MAX_SENSOR_ID`] bytes and at most
//! [`MAX_SENSORS`] sensors per run (all checked in [`Emitter`]). Breaking the
//! size limit stops the run with [`ReadError::Limit`]; the others make a bad
//! record.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Read};

use crate::time::format_instant;

pub(crate) mod csv;
pub(crate) mod dwd;
pub(crate) mod json;

/// The raw formats `drehbuch sensors summarize` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Canonical CSV: `sensor_id,timestamp,temperature_c,humidity_pct`.
    Csv,
    /// ELEMENT IoT paged readings response: `{"body": [reading, …]}`.
    Element,
    /// ELEMENT IoT streamed readings: one JSON reading per line.
    ElementStream,
    /// Data2Resilience API: `{"data": [{"air_temperature": …, "measured_at": …}]}`.
    D2r,
    /// The Things Stack uplink messages, one JSON object per line.
    Tts,
    /// DWD hourly station product `produkt_tu_stunde_*.txt` (or its station zip).
    Dwd,
    /// DWD CDC portal download `data_OBS_DEU_PT1H_T2M.csv` (or its zip).
    DwdCdc,
}

impl Format {
    /// Stable name used in the summary and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Element => "element",
            Format::ElementStream => "element-stream",
            Format::D2r => "d2r",
            Format::Tts => "tts",
            Format::Dwd => "dwd",
            Format::DwdCdc => "dwd-cdc",
        }
    }
}

/// Options that influence parsing.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParseOptions {
    /// Zone for timestamps without offset (canonical CSV only).
    pub input_tz: Option<jiff::tz::TimeZone>,
    /// Sensor id for formats whose files carry no device name in the records.
    pub sensor: Option<String>,
    /// Field path of the temperature in TTS `decoded_payload`.
    pub tts_temperature: Option<String>,
    /// Field path of the humidity in TTS `decoded_payload`.
    pub tts_humidity: Option<String>,
    /// The zone the calendar days are counted in, and its name: stated
    /// UTC offsets that disagree with it are noted (canonical CSV).
    pub days_tz: Option<(jiff::tz::TimeZone, String)>,
}

/// Longest line (CSV, DWD, JSON lines) and longest JSON record or string a
/// parser accepts, in bytes. Real sensor records are well under 10 KiB; a
/// longer one means the file is not sensor data (or is hostile), and holding it
/// would make memory depend on the file.
pub(crate) const MAX_RECORD: usize = 1 << 20;

/// [`MAX_RECORD`] for messages.
pub(crate) const MAX_RECORD_TEXT: &str = "1 MiB";

/// Longest sensor id, in bytes.
pub(crate) const MAX_SENSOR_ID: usize = 200;

/// Most different sensor ids in one run (the Dortmund network has 80
/// stations, DWD about 500 hourly ones).
pub(crate) const MAX_SENSORS: usize = 100_000;

/// First accepted day (UTC), as days since 1970-01-01: 1850-01-01.
pub(crate) const FIRST_DAY: i64 = -43_829;
/// Last accepted day (UTC), as days since 1970-01-01: 2100-12-31.
pub(crate) const LAST_DAY: i64 = 47_846;

/// Why a parser stopped before the end of its input.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Reading or decompressing failed.
    Io(std::io::Error),
    /// The input breaks a size limit (see [`MAX_RECORD`]); reading stops there.
    Limit {
        /// 1-based line where the over-long record starts.
        line: u64,
        /// What is wrong, for humans.
        message: String,
    },
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Limit { line, message } => write!(f, "line {line}: {message}"),
        }
    }
}

/// One event from a parser.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// A sensor id seen for the first time (global index `idx`).
    Sensor { idx: u32, id: String },
    /// Metadata found in the input (DWD station names and coordinates).
    SensorInfo {
        idx: u32,
        name: Option<String>,
        lat: Option<f64>,
        lon: Option<f64>,
    },
    /// A parsed reading; `rh` is NaN when absent.
    Reading {
        sensor: u32,
        t: i64,
        temp: f64,
        rh: f32,
        line: u64,
    },
    /// A record that could not be turned into a reading.
    Bad {
        sensor: Option<u32>,
        line: u64,
        msg: Cow<'static, str>,
    },
    /// A record whose temperature is marked missing by the source (`-999`, empty).
    Missing { sensor: u32 },
    /// Something the user should know about this input.
    Note { msg: String },
}

/// Shared sensor-id interner for the whole run.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    /// Sensor id (or alias) → index. Looked up for nearly every reading
    /// (readings of many sensors interleave), so with foldhash: SipHash
    /// was 4 % of a summary's CPU. foldhash seeds itself per process.
    map: HashMap<String, u32, foldhash::fast::RandomState>,
    ids: Vec<String>,
    /// Other names of a sensor (`aliases` in sensors.yaml) → its id, so that
    /// readings under either name are one sensor (and repeats are duplicates).
    aliases: HashMap<String, String>,
}

impl Interner {
    /// An interner that maps each alias to its sensor id.
    pub(crate) fn with_aliases(aliases: HashMap<String, String>) -> Self {
        Interner {
            aliases,
            ..Interner::default()
        }
    }
}

const BATCH: usize = 4096;

/// First accepted instant, UTC milliseconds (1850-01-01T00:00:00Z).
const FIRST_MS: i64 = FIRST_DAY * 86_400_000;
/// First instant after the accepted range (2101-01-01T00:00:00Z).
const END_MS: i64 = (LAST_DAY + 1) * 86_400_000;

/// Collects items into batches and hands them on.
pub(crate) struct Emitter<'a> {
    batch: Vec<Item>,
    out: &'a mut dyn FnMut(Vec<Item>),
    interner: &'a mut Interner,
    /// The id last asked for (as written in the data) and its index.
    last: Option<u32>,
    last_name: String,
    /// Records seen (good or bad) in the current input.
    pub records: u64,
}

impl<'a> Emitter<'a> {
    pub(crate) fn new(interner: &'a mut Interner, out: &'a mut dyn FnMut(Vec<Item>)) -> Self {
        Emitter {
            batch: Vec::with_capacity(BATCH),
            out,
            interner,
            last: None,
            last_name: String::new(),
            records: 0,
        }
    }

    /// Global index of a sensor id, announcing new ones. Fails (with the
    /// message for a bad record) for ids longer than [`MAX_SENSOR_ID`] and for
    /// new ids beyond [`MAX_SENSORS`].
    #[inline]
    pub(crate) fn sensor(&mut self, id: &str) -> Result<u32, &'static str> {
        if let Some(l) = self.last
            && self.last_name == id
        {
            return Ok(l);
        }
        let idx = match self.interner.map.get(id) {
            Some(&i) => i,
            None => self.new_sensor(id)?,
        };
        self.last = Some(idx);
        self.last_name.clear();
        self.last_name.push_str(id);
        Ok(idx)
    }

    /// Intern an id seen for the first time (or an alias of a known sensor).
    #[cold]
    fn new_sensor(&mut self, id: &str) -> Result<u32, &'static str> {
        if id.len() > MAX_SENSOR_ID {
            return Err("sensor id longer than 200 bytes; is this the sensor id column?");
        }
        let canonical = self.interner.aliases.get(id).cloned();
        if let Some(&i) = canonical.as_ref().and_then(|c| self.interner.map.get(c)) {
            self.interner.map.insert(id.to_string(), i);
            return Ok(i);
        }
        if self.interner.ids.len() >= MAX_SENSORS {
            return Err(
                "more than 100000 different sensor ids in this run; is this the sensor id column?",
            );
        }
        let name = canonical.unwrap_or_else(|| id.to_string());
        let i = self.interner.ids.len() as u32;
        self.interner.ids.push(name.clone());
        self.interner.map.insert(name.clone(), i);
        self.interner.map.insert(id.to_string(), i);
        self.push(Item::Sensor { idx: i, id: name });
        Ok(i)
    }

    pub(crate) fn sensor_info(
        &mut self,
        idx: u32,
        name: Option<String>,
        lat: Option<f64>,
        lon: Option<f64>,
    ) {
        self.push(Item::SensorInfo {
            idx,
            name,
            lat,
            lon,
        });
    }

    /// A reading at `t` (UTC milliseconds). Timestamps outside [`FIRST_DAY`] …
    /// [`LAST_DAY`] make a bad record instead.
    #[inline]
    pub(crate) fn reading(&mut self, sensor: u32, t: i64, temp: f64, rh: Option<f64>, line: u64) {
        if !(FIRST_MS..END_MS).contains(&t) {
            self.bad(
                Some(sensor),
                line,
                format!(
                    "timestamp {} is outside the accepted range 1850-01-01 … 2100-12-31 (UTC)",
                    format_instant(t)
                ),
            );
            return;
        }
        self.records += 1;
        let rh = rh.map_or(f32::NAN, |v| v as f32);
        self.push(Item::Reading {
            sensor,
            t,
            temp,
            rh,
            line,
        });
    }

    pub(crate) fn bad(
        &mut self,
        sensor: Option<u32>,
        line: u64,
        msg: impl Into<Cow<'static, str>>,
    ) {
        self.records += 1;
        self.push(Item::Bad {
            sensor,
            line,
            msg: msg.into(),
        });
    }

    pub(crate) fn missing(&mut self, sensor: u32) {
        self.records += 1;
        self.push(Item::Missing { sensor });
    }

    pub(crate) fn note(&mut self, msg: String) {
        self.push(Item::Note { msg });
    }

    #[inline]
    fn push(&mut self, item: Item) {
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }

    pub(crate) fn flush(&mut self) {
        if !self.batch.is_empty() {
            let b = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            (self.out)(b);
        }
    }
}

impl Drop for Emitter<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Parse a decimal number quickly; falls back to the standard parser for
/// exponents. Returns `None` for anything that is not a finite number.
#[inline]
pub(crate) fn parse_f64(s: &[u8]) -> Option<f64> {
    let s = s.trim_ascii();
    if s.is_empty() {
        return None;
    }
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mut mant: u64 = 0;
    let mut frac_digits: i32 = 0;
    let mut seen_dot = false;
    let mut n_digits = 0;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                if n_digits >= 15 {
                    return slow_f64(s);
                }
                mant = mant * 10 + u64::from(c - b'0');
                n_digits += 1;
                if seen_dot {
                    frac_digits += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return slow_f64(s),
        }
    }
    if n_digits == 0 {
        return None;
    }
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    // Both operands are exact, so the division is correctly rounded, exactly like str::parse.
    let v = mant as f64 / POW10[frac_digits as usize];
    Some(if neg { -v } else { v })
}

#[cold]
fn slow_f64(s: &[u8]) -> Option<f64> {
    let v: f64 = std::str::from_utf8(s).ok()?.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Guess a sensor id from a file name: `DEC005476_240810_…json` → `DEC005476`,
/// `readings_DEC0054A6_short.json` → `DEC0054A6`.
pub(crate) fn sensor_from_file_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.split('.').next().unwrap_or(base);
    let stem = stem.strip_prefix("readings_").unwrap_or(stem);
    let id = stem.split('_').next().unwrap_or(stem);
    (!id.is_empty()).then(|| id.to_string())
}

/// Detect the format from a file name and the first bytes of its content.
pub(crate) fn detect(name: &str, head: &[u8]) -> Option<Format> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let trimmed = text.trim_start();
    let first_line = trimmed.lines().next().unwrap_or("");
    let lower_name = name.to_ascii_lowercase();
    if trimmed.starts_with('{') {
        // One complete object on the first line => line-delimited JSON.
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(first_line) {
            if v.get("end_device_ids").is_some()
                || v.get("result")
                    .and_then(|r| r.get("end_device_ids"))
                    .is_some()
            {
                return Some(Format::Tts);
            }
            if v.get("measured_at").is_some() && v.get("data").is_some_and(|d| d.is_object()) {
                return Some(Format::ElementStream);
            }
            if v.get("body").is_some_and(|b| b.is_array()) {
                return Some(Format::Element);
            }
            if v.get("data").is_some_and(|b| b.is_array()) {
                return Some(Format::D2r);
            }
        }
        let compact: String = trimmed
            .chars()
            .filter(|c| !c.is_whitespace())
            .take(200)
            .collect();
        if compact.contains("\"end_device_ids\"") {
            return Some(Format::Tts);
        }
        if compact.starts_with("{\"body\":[") || compact.contains(",\"body\":[") {
            return Some(Format::Element);
        }
        if compact.starts_with("{\"data\":[") || compact.contains(",\"data\":[") {
            return Some(Format::D2r);
        }
        return None;
    }
    let fl = first_line.replace('"', "");
    if fl.contains("STATIONS_ID") && fl.contains("MESS_DATUM") {
        return Some(Format::Dwd);
    }
    if fl.contains("Produkt_Code") && fl.contains("Zeitstempel") {
        return Some(Format::DwdCdc);
    }
    let cols: Vec<&str> = fl.split(',').map(str::trim).collect();
    if cols.contains(&"sensor_id") && cols.contains(&"timestamp") {
        return Some(Format::Csv);
    }
    if lower_name.contains("produkt_tu_stunde") {
        return Some(Format::Dwd);
    }
    None
}

/// Parse one input of a known format.
pub(crate) fn parse(
    format: Format,
    name: &str,
    reader: &mut dyn BufRead,
    opts: &ParseOptions,
    em: &mut Emitter<'_>,
) -> Result<(), ReadError> {
    match format {
        Format::Csv => csv::parse(reader, opts, em),
        Format::Element => json::parse_array(reader, json::Kind::Element, name, opts, em),
        Format::D2r => json::parse_array(reader, json::Kind::D2r, name, opts, em),
        Format::ElementStream => json::parse_lines(reader, json::Kind::Element, name, opts, em),
        Format::Tts => json::parse_lines(reader, json::Kind::Tts, name, opts, em),
        Format::Dwd => dwd::parse_product(reader, &dwd::StationMeta::default(), em),
        Format::DwdCdc => dwd::parse_cdc(reader, &HashMap::new(), em),
    }
}

/// Reads an input line by line, counting lines and refusing lines longer than
/// [`MAX_RECORD`] bytes, so that a file without line breaks cannot fill memory.
pub(crate) struct Lines<'r> {
    reader: &'r mut dyn BufRead,
    /// 1-based number of the line last read (0 before the first).
    pub number: u64,
    /// What the file should be, for the error message: "a CSV file".
    what: &'static str,
}

impl<'r> Lines<'r> {
    /// Lines of `reader`, which should be `what` ("a CSV file").
    pub(crate) fn new(reader: &'r mut dyn BufRead, what: &'static str) -> Self {
        Lines {
            reader,
            number: 0,
            what,
        }
    }

    /// Read the next line into `buf` without its `\n` or `\r\n`; false at the
    /// end of the input.
    #[inline]
    pub(crate) fn next_line(&mut self, buf: &mut Vec<u8>) -> Result<bool, ReadError> {
        buf.clear();
        let limit = MAX_RECORD as u64 + 1;
        let n = (&mut *self.reader).take(limit).read_until(b'\n', buf)?;
        if n == 0 {
            return Ok(false);
        }
        self.number += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        } else if n as u64 == limit {
            return Err(ReadError::Limit {
                line: self.number,
                message: format!(
                    "a line is longer than {MAX_RECORD_TEXT}; is this really {}?",
                    self.what
                ),
            });
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        Ok(true)
    }
}

/// Shorten a line for an error message.
pub(crate) fn snippet(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(line);
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats() {
        for s in [
            "30.0",
            "-3.1",
            "25.3",
            "0.1",
            "1e2",
            "+4.25",
            "  12.5 ",
            "37.200732433051044",
        ] {
            let want: f64 = s.trim().parse().unwrap();
            assert_eq!(parse_f64(s.as_bytes()), Some(want), "{s}");
        }
        for s in ["", "-", ".", "abc", "1.2.3", "nan", "inf", "1,5"] {
            assert_eq!(parse_f64(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn limits_are_the_documented_dates() {
        use crate::time::days_from_civil;
        assert_eq!(FIRST_DAY, days_from_civil(1850, 1, 1));
        assert_eq!(LAST_DAY, days_from_civil(2100, 12, 31));
    }

    #[test]
    fn lines_come_out_whole_whatever_the_reader_buffer() {
        let text = b"a,b\r\n\nsensor,2024-07-01T12:00:00Z,31.5\r\nlast line without end";
        let want: Vec<&[u8]> = vec![
            b"a,b",
            b"",
            b"sensor,2024-07-01T12:00:00Z,31.5",
            b"last line without end",
        ];
        for capacity in [1, 2, 3, 7, 64] {
            let mut reader = std::io::BufReader::with_capacity(capacity, &text[..]);
            let mut lines = Lines::new(&mut reader, "a CSV file");
            let mut buf = Vec::new();
            let mut got = Vec::new();
            while lines.next_line(&mut buf).unwrap() {
                got.push(buf.clone());
            }
            assert_eq!(got, want, "buffer of {capacity} bytes");
            assert_eq!(lines.number, 4);
        }
        // A line of exactly the limit is whole; one byte more is an error.
        let mut exact = vec![b'x'; MAX_RECORD];
        exact.push(b'\n');
        let mut reader = std::io::BufReader::with_capacity(4096, &exact[..]);
        let mut lines = Lines::new(&mut reader, "a CSV file");
        let mut buf = Vec::new();
        assert!(lines.next_line(&mut buf).unwrap());
        assert_eq!(buf.len(), MAX_RECORD);
        assert!(!lines.next_line(&mut buf).unwrap());
    }

    #[test]
    fn lines_are_capped() {
        let long = vec![b'x'; MAX_RECORD + 1];
        let mut r: &[u8] = &long;
        let mut lines = Lines::new(&mut r, "a CSV file");
        let mut buf = Vec::new();
        match lines.next_line(&mut buf) {
            Err(ReadError::Limit { line, message }) => {
                assert_eq!(line, 1);
                assert!(message.contains("longer than 1 MiB"), "{message}");
            }
            other => panic!("expected a limit error, got {other:?}"),
        }
        let mut ok = vec![b'y'; MAX_RECORD];
        ok.extend_from_slice(b"\nz\r\n");
        let mut r: &[u8] = &ok;
        let mut lines = Lines::new(&mut r, "a CSV file");
        assert!(lines.next_line(&mut buf).unwrap());
        assert_eq!(buf.len(), MAX_RECORD);
        assert!(lines.next_line(&mut buf).unwrap());
        assert_eq!((buf.as_slice(), lines.number), (&b"z"[..], 2));
        assert!(!lines.next_line(&mut buf).unwrap());
    }

    #[test]
    fn names() {
        assert_eq!(
            sensor_from_file_name("x/DEC005476_240810_240831_air_temperature.json").as_deref(),
            Some("DEC005476")
        );
        assert_eq!(
            sensor_from_file_name("readings_DEC0054A6_short.json").as_deref(),
            Some("DEC0054A6")
        );
    }
}
