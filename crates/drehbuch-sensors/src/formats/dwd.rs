//! Deutscher Wetterdienst (DWD) formats.
//!
//! * Hourly station product `produkt_tu_stunde_*.txt` from a station zip
//!   (`stundenwerte_TU_<id>_….zip`): `;`-separated, space-padded, Latin-1, CRLF,
//!   `STATIONS_ID;MESS_DATUM;QN_9;TT_TU;RF_TU;eor`, `MESS_DATUM` = `YYYYMMDDHH` (UTC),
//!   `-999` = missing. Station name and position from `Metadaten_Geographie_*.txt`;
//!   periods whose parameter metadata (`Metadaten_Parameter_*.txt`) say the
//!   time reference was MEZ (UTC+1) are shifted by one hour.
//! * CDC portal download `data_OBS_DEU_PT1H_T2M.csv`: UTF-8 with BOM, quoted fields,
//!   trailing comma, `Zeitstempel` without offset = UTC. Station names from
//!   `sdo_OBS_DEU_PT1H_T2M.csv`.

use std::collections::HashMap;
use std::io::BufRead;

use super::{Emitter, Lines, ReadError, parse_f64, snippet};
use crate::time::{HOUR_MS, Stamp, days_from_civil, parse_timestamp};

/// The value DWD writes for a missing measurement.
const MISSING: f64 = -999.0;

/// Station metadata found next to a product file.
#[derive(Debug, Clone, Default)]
pub(crate) struct StationMeta {
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Inclusive day ranges whose timestamps are MEZ (UTC+1) rather than UTC.
    pub mez_periods: Vec<(i64, i64)>,
}

/// Decode Latin-1 bytes (every byte is one code point).
pub(crate) fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

/// Decode as UTF-8 if valid, otherwise as Latin-1.
fn text(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => latin1(b),
    }
}

fn ymd8(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u32 = s[4..6].parse().ok()?;
    let d: u32 = s[6..8].parse().ok()?;
    Some(days_from_civil(y, m, d))
}

/// Reads a `;`-separated DWD metadata table: the first line is the header
/// (lowercased), every later line goes to `row` with trimmed cells; `row`
/// returns `false` to stop reading.
fn read_table(
    reader: &mut dyn BufRead,
    mut row: impl FnMut(&[String], &[&str]) -> bool,
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut header: Vec<String> = Vec::new();
    let mut lines = Lines::new(reader, "a DWD metadata file");
    while lines.next_line(&mut buf)? {
        let line = text(&buf);
        let cols: Vec<&str> = line.split(';').map(str::trim).collect();
        if header.is_empty() {
            header = cols.iter().map(|c| c.to_ascii_lowercase()).collect();
        } else if !row(&header, &cols) {
            break;
        }
    }
    Ok(())
}

/// `Metadaten_Geographie_<id>.txt`: the last row names the current station name and position.
pub(crate) fn read_geographie(
    reader: &mut dyn BufRead,
    meta: &mut StationMeta,
) -> Result<(), ReadError> {
    read_table(reader, |header, cols| {
        let get = |name: &str| {
            header
                .iter()
                .position(|h| h.starts_with(name))
                .and_then(|i| cols.get(i).copied())
                .filter(|v| !v.is_empty())
        };
        if let Some(n) = get("stationsname") {
            meta.name = Some(n.to_string());
        }
        meta.lat = get("geogr.breite")
            .and_then(|v| v.replace(',', ".").parse().ok())
            .or(meta.lat);
        meta.lon = get("geogr.laenge")
            .and_then(|v| v.replace(',', ".").parse().ok())
            .or(meta.lon);
        true
    })
}

/// `Metadaten_Parameter_*.txt`: rows for the temperature parameter whose description
/// gives the time reference as MEZ (and not UTC) mark periods in UTC+1.
pub(crate) fn read_parameter(
    reader: &mut dyn BufRead,
    meta: &mut StationMeta,
) -> Result<(), ReadError> {
    read_table(reader, |header, cols| {
        let idx = |name: &str| header.iter().position(|h| h.starts_with(name));
        let (Some(iv), Some(ib), Some(ip)) = (idx("von_datum"), idx("bis_datum"), idx("parameter"))
        else {
            return false;
        };
        let param = cols.get(ip).copied().unwrap_or("");
        if !param.starts_with("TT_") {
            return true;
        }
        let rest = cols.get(ip + 1..).unwrap_or_default().join(" ");
        let mentions_mez = rest.contains("MEZ") || rest.contains("CET");
        let mentions_utc = rest.contains("UTC");
        if mentions_mez
            && !mentions_utc
            && let (Some(a), Some(b)) = (
                cols.get(iv).and_then(|v| ymd8(v)),
                cols.get(ib).and_then(|v| ymd8(v)),
            )
        {
            meta.mez_periods.push((a, b));
        }
        true
    })
}

/// Parse `MESS_DATUM` (`YYYYMMDDHH` or `YYYYMMDDHHMM`) as UTC milliseconds and its day number.
fn mess_datum(s: &[u8]) -> Option<(i64, i64)> {
    let s = s.trim_ascii();
    if !(s.len() == 10 || s.len() == 12) || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |a: usize, b: usize| {
        s[a..b]
            .iter()
            .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
    };
    let (y, m, d, h) = (n(0, 4) as i32, n(4, 6), n(6, 8), n(8, 10));
    let mi = if s.len() == 12 { n(10, 12) } else { 0 };
    if !(1..=12).contains(&m) || d == 0 || d > crate::time::days_in_month(y, m) || h > 23 || mi > 59
    {
        return None;
    }
    let day = days_from_civil(y, m, d);
    Some((
        (day * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60) * 1000,
        day,
    ))
}

/// Hourly (or 10-minute) station product.
pub(crate) fn parse_product(
    reader: &mut dyn BufRead,
    meta: &StationMeta,
    em: &mut Emitter<'_>,
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut lines = Lines::new(reader, "a DWD station product");
    let (mut i_id, mut i_time, mut i_t, mut i_rh) = (0usize, 1usize, 3usize, Some(4usize));
    let mut announced: Option<u32> = None;
    let mut shifted = 0u64;
    while lines.next_line(&mut buf)? {
        let line_no = lines.number;
        if line_no == 1 {
            let h = text(&buf);
            let cols: Vec<String> = h
                .split(';')
                .map(|c| c.trim().to_ascii_uppercase())
                .collect();
            if cols.iter().any(|c| c == "MESS_DATUM") {
                let find = |alts: &[&str]| cols.iter().position(|c| alts.contains(&c.as_str()));
                i_id = find(&["STATIONS_ID"]).unwrap_or(0);
                i_time = find(&["MESS_DATUM"]).unwrap_or(1);
                match find(&["TT_TU", "TT_10", "TT"]) {
                    Some(i) => i_t = i,
                    None => {
                        em.bad(None, 1, "no air temperature column (TT_TU) in this DWD product; only air temperature products are supported");
                        return Ok(());
                    }
                }
                i_rh = find(&["RF_TU", "RF_10", "RF"]);
                continue;
            }
        }
        if buf.trim_ascii().is_empty() {
            continue;
        }
        let fields: Vec<&[u8]> = buf.split(|&b| b == b';').collect();
        if fields.len() <= i_t.max(i_time).max(i_id) {
            em.bad(
                None,
                line_no,
                format!("expected ;-separated DWD fields: {}", snippet(&buf)),
            );
            continue;
        }
        let id = text(fields[i_id].trim_ascii());
        if id.is_empty() {
            em.bad(None, line_no, "empty STATIONS_ID");
            continue;
        }
        let sensor = match em.sensor(&id) {
            Ok(s) => s,
            Err(msg) => {
                em.bad(None, line_no, msg);
                continue;
            }
        };
        if announced != Some(sensor) {
            announced = Some(sensor);
            if meta.name.is_some() || meta.lat.is_some() {
                em.sensor_info(sensor, meta.name.clone(), meta.lat, meta.lon);
            }
        }
        let Some((mut t, day)) = mess_datum(fields[i_time]) else {
            em.bad(
                Some(sensor),
                line_no,
                format!("MESS_DATUM is not YYYYMMDDHH: {}", snippet(fields[i_time])),
            );
            continue;
        };
        if meta.mez_periods.iter().any(|&(a, b)| day >= a && day <= b) {
            t -= HOUR_MS;
            shifted += 1;
        }
        let raw = fields[i_t].trim_ascii();
        let Some(v) = parse_f64(raw) else {
            em.bad(
                Some(sensor),
                line_no,
                format!("TT_TU is not a number: {}", snippet(raw)),
            );
            continue;
        };
        if v == MISSING {
            em.missing(sensor);
            continue;
        }
        let rh = i_rh
            .and_then(|i| fields.get(i))
            .and_then(|f| parse_f64(f))
            .filter(|&h| h != MISSING);
        em.reading(sensor, t, v, rh, line_no);
    }
    if shifted > 0 {
        em.note(format!("{shifted} DWD timestamps were in MEZ (UTC+1) according to the station metadata and were shifted to UTC"));
    }
    Ok(())
}

/// The stations of a CDC download: SDO_ID → (name, lat, lon).
pub(crate) type Stations = HashMap<String, (String, Option<f64>, Option<f64>)>;

/// `sdo_OBS_DEU_PT1H_T2M.csv`: SDO_ID → (name, lat, lon).
pub(crate) fn read_sdo(reader: &mut dyn BufRead) -> Result<Stations, ReadError> {
    let mut buf = Vec::new();
    let mut out = HashMap::new();
    let mut header: Vec<String> = Vec::new();
    let mut lines = Lines::new(reader, "a DWD station list");
    while lines.next_line(&mut buf)? {
        let line = text(&buf);
        let line = line.trim_start_matches('\u{feff}');
        let cols = split_quoted(line);
        if header.is_empty() {
            header = cols.iter().map(|c| c.to_ascii_lowercase()).collect();
            continue;
        }
        let get = |n: &str| {
            header
                .iter()
                .position(|h| h == n)
                .and_then(|i| cols.get(i))
                .cloned()
        };
        let num = |n: &str| get(n).and_then(|v| v.replace(',', ".").parse::<f64>().ok());
        if let (Some(id), Some(name)) = (get("sdo_id"), get("sdo_name")) {
            out.insert(id, (name, num("geogr_breite"), num("geogr_laenge")));
        }
    }
    Ok(out)
}

/// Split a comma-separated line with optional double quotes (no embedded quotes needed here).
fn split_quoted(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut q = false;
    for c in line.chars() {
        match c {
            '"' => q = !q,
            ',' if !q => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[inline]
fn unq(f: &[u8]) -> &[u8] {
    let f = f.trim_ascii();
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
        &f[1..f.len() - 1]
    } else {
        f
    }
}

/// CDC portal download data file.
pub(crate) fn parse_cdc(
    reader: &mut dyn BufRead,
    names: &Stations,
    em: &mut Emitter<'_>,
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut lines = Lines::new(reader, "a DWD CDC data file");
    let (mut i_id, mut i_time, mut i_val) = (1usize, 2usize, 3usize);
    let mut announced = std::collections::HashSet::new();
    while lines.next_line(&mut buf)? {
        let line_no = lines.number;
        if line_no == 1 {
            let b = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
            let h = text(b);
            if h.contains("Zeitstempel") {
                let cols = split_quoted(&h);
                let find = |n: &str| cols.iter().position(|c| c.trim() == n);
                i_id = find("SDO_ID").unwrap_or(1);
                i_time = find("Zeitstempel").unwrap_or(2);
                i_val = find("Wert").unwrap_or(3);
                continue;
            }
        }
        if buf.trim_ascii().is_empty() {
            continue;
        }
        let mut fields: [&[u8]; 8] = [&[]; 8];
        let mut n = 0;
        for f in buf.split(|&b| b == b',') {
            if n < 8 {
                fields[n] = f;
            }
            n += 1;
        }
        if n <= i_id.max(i_time).max(i_val) || i_val >= 8 {
            em.bad(
                None,
                line_no,
                format!(
                    "expected \"Produkt_Code\",\"SDO_ID\",\"Zeitstempel\",\"Wert\",…: {}",
                    snippet(&buf)
                ),
            );
            continue;
        }
        let id = unq(fields[i_id]);
        let Ok(id) = std::str::from_utf8(id) else {
            em.bad(None, line_no, "SDO_ID is not valid text");
            continue;
        };
        if id.is_empty() {
            em.bad(None, line_no, "empty SDO_ID");
            continue;
        }
        let sensor = match em.sensor(id) {
            Ok(s) => s,
            Err(msg) => {
                em.bad(None, line_no, msg);
                continue;
            }
        };
        if announced.insert(sensor)
            && let Some((name, lat, lon)) = names.get(id)
        {
            em.sensor_info(sensor, Some(name.clone()), *lat, *lon);
        }
        let t = match parse_timestamp(unq(fields[i_time])) {
            Ok(Stamp::Naive(t)) | Ok(Stamp::Utc(t)) => t,
            Err(e) => {
                em.bad(
                    Some(sensor),
                    line_no,
                    format!("Zeitstempel: {e}: {}", snippet(unq(fields[i_time]))),
                );
                continue;
            }
        };
        let raw = unq(fields[i_val]);
        match parse_f64(raw) {
            Some(MISSING) => em.missing(sensor),
            Some(v) => em.reading(sensor, t, v, None, line_no),
            None if raw.is_empty() => em.missing(sensor),
            None => em.bad(
                Some(sensor),
                line_no,
                format!("Wert is not a number: {}", snippet(raw)),
            ),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_metadata_marks_mez_periods() {
        let txt = "Stations_ID;Von_Datum;Bis_Datum;Stationsname;Parameter;Parameterbeschreibung;Einheit;Datenquelle (Strukturversion=SV);Zusatz-Info;Besonderheiten;Literaturhinweis;eor\n\
            5705;19480101;19991231;Würzburg;TT_TU;Lufttemperatur;°C;Stundenwerte (Terminwerte MEZ);;;;eor\n\
            5705;20000101;20211231;Würzburg;TT_TU;Lufttemperatur;°C;Stundenwerte (UTC);;;;eor\n\
            5705;19480101;19991231;Würzburg;RF_TU;Feuchte;%;Stundenwerte MEZ;;;;eor\n";
        let mut meta = StationMeta::default();
        read_parameter(&mut txt.as_bytes(), &mut meta).unwrap();
        assert_eq!(
            meta.mez_periods,
            vec![(days_from_civil(1948, 1, 1), days_from_civil(1999, 12, 31))]
        );
    }

    #[test]
    fn short_parameter_rows_do_not_panic() {
        let txt = "Stations_ID;Von_Datum;Bis_Datum;Stationsname;Parameter\n5705;19480101;19991231;Würzburg;TT_TU\n5705;1948\n";
        let mut meta = StationMeta::default();
        read_parameter(&mut txt.as_bytes(), &mut meta).unwrap();
        assert!(meta.mez_periods.is_empty());
    }

    #[test]
    fn mess_datum_parses() {
        assert_eq!(
            mess_datum(b"2018091500").map(|x| x.0),
            Some(1_536_969_600_000)
        );
        assert!(mess_datum(b"20180915").is_none());
        assert!(mess_datum(b"2018093124").is_none());
    }
}
