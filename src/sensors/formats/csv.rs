//! Canonical CSV: `sensor_id,timestamp,temperature_c,humidity_pct`.
//!
//! Hand-written line parser: commas separate fields, surrounding double quotes
//! are removed, the header decides the column order (extra columns are ignored).
//! Lines are read through [`Lines`], so a line longer than the record limit
//! stops the file with an error instead of filling memory.

use std::io::BufRead;

use super::{Emitter, Lines, ParseOptions, ReadError, snippet};
use crate::sensors::time::{NaiveConverter, Stamp, parse_timestamp};

struct Columns {
    sensor: usize,
    time: usize,
    temp: usize,
    rh: Option<usize>,
}

const DEFAULT: Columns = Columns {
    sensor: 0,
    time: 1,
    temp: 2,
    rh: Some(3),
};

fn header(line: &[u8]) -> Option<Columns> {
    let text = String::from_utf8_lossy(line);
    let names: Vec<String> = text
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let find = |alts: &[&str]| names.iter().position(|n| alts.contains(&n.as_str()));
    let sensor = find(&["sensor_id", "sensor"])?;
    let time = find(&["timestamp", "time", "measured_at"])?;
    let temp = find(&["temperature_c", "temperature", "air_temperature"])?;
    let rh = find(&["humidity_pct", "humidity", "relative_humidity"]);
    Some(Columns {
        sensor,
        time,
        temp,
        rh,
    })
}

#[inline]
fn unquote(f: &[u8]) -> &[u8] {
    let f = crate::sensors::time::trim_ascii(f);
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
        &f[1..f.len() - 1]
    } else {
        f
    }
}

/// Parse canonical CSV from `reader`.
pub(crate) fn parse(
    reader: &mut dyn BufRead,
    opts: &ParseOptions,
    em: &mut Emitter<'_>,
) -> Result<(), ReadError> {
    let mut buf = Vec::with_capacity(256);
    let mut lines = Lines::new(reader, "a CSV file");
    let mut cols: Option<Columns> = None;
    let mut naive = opts.input_tz.clone().map(NaiveConverter::new);
    while lines.next_line(&mut buf)? {
        let line_no = lines.number;
        let mut line: &[u8] = &buf;
        if line_no == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            if let Some(c) = header(line) {
                cols = Some(c);
                continue;
            }
        }
        if crate::sensors::time::trim_ascii(line).is_empty() {
            continue;
        }
        let c = cols.as_ref().unwrap_or(&DEFAULT);
        let mut fields: [&[u8]; 16] = [&[]; 16];
        let mut n = 0;
        for f in line.split(|&b| b == b',') {
            if n < fields.len() {
                fields[n] = f;
            }
            n += 1;
        }
        let need = c.temp.max(c.time).max(c.sensor) + 1;
        if n < need || need > fields.len() {
            em.bad(
                None,
                line_no,
                format!(
                    "expected at least {need} comma-separated fields, found {n}: {}",
                    snippet(line)
                ),
            );
            continue;
        }
        let id = unquote(fields[c.sensor]);
        let Ok(id) = std::str::from_utf8(id) else {
            em.bad(None, line_no, "sensor id is not valid UTF-8");
            continue;
        };
        if id.is_empty() {
            em.bad(None, line_no, "empty sensor_id");
            continue;
        }
        let sensor = match em.sensor(id) {
            Ok(s) => s,
            Err(msg) => {
                em.bad(None, line_no, msg);
                continue;
            }
        };
        let t = match parse_timestamp(unquote(fields[c.time])) {
            Ok(Stamp::Utc(t)) => t,
            Ok(Stamp::Naive(local)) => match naive.as_mut() {
                Some(conv) => match conv.to_utc(local) {
                    Ok(t) => t,
                    Err(e) => {
                        em.bad(Some(sensor), line_no, e);
                        continue;
                    }
                },
                None => {
                    em.bad(Some(sensor), line_no, "timestamp has no UTC offset; add --input-tz (e.g. --input-tz Europe/Berlin) if these are local times");
                    continue;
                }
            },
            Err(e) => {
                em.bad(
                    Some(sensor),
                    line_no,
                    format!("{e}: {}", snippet(unquote(fields[c.time]))),
                );
                continue;
            }
        };
        let traw = unquote(fields[c.temp]);
        let Some(temp) = super::parse_f64(traw) else {
            if traw.is_empty()
                || traw.eq_ignore_ascii_case(b"na")
                || traw.eq_ignore_ascii_case(b"null")
            {
                em.missing(sensor);
            } else {
                em.bad(
                    Some(sensor),
                    line_no,
                    format!("temperature is not a number: {}", snippet(traw)),
                );
            }
            continue;
        };
        let rh = match c.rh {
            Some(i) if i < n.min(fields.len()) => super::parse_f64(unquote(fields[i])),
            _ => None,
        };
        em.reading(sensor, t, temp, rh, line_no);
    }
    Ok(())
}
