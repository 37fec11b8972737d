//! JSON formats: ELEMENT IoT (paged and streamed), Data2Resilience API, The Things Stack.
//!
//! Paged responses (`{"body": [...]}`, `{"data": [...]}`) are read by a small
//! streaming scanner that cuts the target array into elements without
//! building the whole document; each element is then decoded on its own, so a
//! broken record is reported with its line and the rest is still read.
//!
//! Memory stays bounded whatever the document holds: an array element, or any
//! string, longer than [`MAX_RECORD`] bytes and nesting deeper than
//! [`MAX_DEPTH`] stop the file with [`ReadError::Limit`]; JSON-lines files are
//! read through [`Lines`].

use std::io::BufRead;

use serde::Deserialize;
use serde_json::Value;

use super::{
    Emitter, Lines, MAX_RECORD, MAX_RECORD_TEXT, ParseOptions, ReadError, sensor_from_file_name,
    snippet,
};
use crate::time::{Stamp, parse_timestamp};

/// Which JSON dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Element,
    D2r,
    Tts,
}

/// Deepest nesting of arrays and objects the scanner follows. serde_json
/// refuses records nested deeper than 128 levels anyway.
pub(crate) const MAX_DEPTH: u32 = 512;

/// Pulls the elements of the array stored under one of `keys` in a top-level object.
pub(crate) struct ArrayScanner<'r> {
    reader: &'r mut dyn BufRead,
    keys: &'static [&'static str],
    line: u64,
    depth: u32,
    in_string: bool,
    /// Bytes of the current string so far, and the line it started on.
    string_len: usize,
    string_line: u64,
    escape: bool,
    last_string: Vec<u8>,
    collecting_string: bool,
    in_target: bool,
    started: bool,
    elem: Vec<u8>,
    elem_line: u64,
    done: bool,
    /// Set when the document is structurally broken.
    pub error: Option<(u64, String)>,
    /// True once the target array was found.
    pub found: bool,
}

impl<'r> ArrayScanner<'r> {
    pub(crate) fn new(reader: &'r mut dyn BufRead, keys: &'static [&'static str]) -> Self {
        ArrayScanner {
            reader,
            keys,
            line: 1,
            depth: 0,
            in_string: false,
            string_len: 0,
            string_line: 0,
            escape: false,
            last_string: Vec::new(),
            collecting_string: false,
            in_target: false,
            started: false,
            elem: Vec::new(),
            elem_line: 0,
            done: false,
            error: None,
            found: false,
        }
    }

    /// Next element as (line, bytes); `None` at the end of the document.
    /// Structural problems end the document and are left in [`Self::error`];
    /// breaking a size limit is an error.
    ///
    /// Long (about 170 lines) on purpose: it is the scanner's whole state
    /// machine, one tight loop over each buffer of the reader. Moving a
    /// byte's step into a method of `self` would borrow the scanner while
    /// the reader's buffer is borrowed from it.
    pub(crate) fn next_element(&mut self) -> Result<Option<(u64, Vec<u8>)>, ReadError> {
        if self.done {
            return Ok(None);
        }
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                self.done = true;
                if self.depth != 0 || self.in_string {
                    self.error = Some((
                        self.line,
                        "the file ends in the middle of the JSON document (truncated download?)"
                            .into(),
                    ));
                } else if !self.started {
                    // empty file: nothing to report
                } else if !self.found {
                    self.error = Some((1, format!("no array under {:?} found", self.keys)));
                }
                if !self.elem.is_empty() {
                    let e = std::mem::take(&mut self.elem);
                    return Ok(Some((self.elem_line, e)));
                }
                return Ok(None);
            }
            let len = buf.len();
            let mut consumed = 0;
            let mut out: Option<(u64, Vec<u8>)> = None;
            for (i, &b) in buf.iter().enumerate() {
                consumed = i + 1;
                if b == b'\n' {
                    self.line += 1;
                }
                let in_elem = self.in_target && self.depth >= 2;
                if self.in_string {
                    if in_elem {
                        self.elem.push(b);
                    }
                    self.string_len += 1;
                    if self.escape {
                        self.escape = false;
                    } else if b == b'\\' {
                        self.escape = true;
                    } else if b == b'"' {
                        self.in_string = false;
                        self.collecting_string = false;
                    } else if self.collecting_string && self.last_string.len() < 64 {
                        self.last_string.push(b);
                    }
                    continue;
                }
                match b {
                    b' ' | b'\t' | b'\r' | b'\n' => {
                        if in_elem && !self.elem.is_empty() {
                            self.elem.push(b);
                        }
                    }
                    b'"' => {
                        self.in_string = true;
                        self.string_len = 0;
                        self.string_line = self.line;
                        if self.depth == 1 {
                            self.collecting_string = true;
                            self.last_string.clear();
                        }
                        if in_elem {
                            if self.elem.is_empty() {
                                self.elem_line = self.line;
                            }
                            self.elem.push(b);
                        }
                    }
                    b'{' | b'[' => {
                        if self.depth == 0 {
                            self.started = true;
                            if b == b'[' {
                                self.error = Some((
                                    self.line,
                                    format!(
                                        "expected a JSON object with {:?}, found an array",
                                        self.keys
                                    ),
                                ));
                                self.done = true;
                                return Ok(None);
                            }
                        }
                        if self.depth >= MAX_DEPTH {
                            return Err(ReadError::Limit {
                                line: self.line,
                                message: format!(
                                    "JSON nested deeper than {MAX_DEPTH} levels; is this really sensor data?"
                                ),
                            });
                        }
                        if self.depth == 1
                            && b == b'['
                            && self
                                .keys
                                .iter()
                                .any(|k| k.as_bytes() == self.last_string.as_slice())
                        {
                            self.in_target = true;
                            self.found = true;
                        } else if in_elem {
                            if self.elem.is_empty() {
                                self.elem_line = self.line;
                            }
                            self.elem.push(b);
                        }
                        self.depth += 1;
                    }
                    b'}' | b']' => {
                        if self.depth == 0 {
                            self.error = Some((self.line, "unbalanced closing bracket".into()));
                            self.done = true;
                            break;
                        }
                        self.depth -= 1;
                        if self.in_target && self.depth == 1 {
                            // end of the target array
                            self.in_target = false;
                            if !self.elem.is_empty() {
                                out = Some((self.elem_line, std::mem::take(&mut self.elem)));
                                break;
                            }
                        } else if in_elem {
                            self.elem.push(b);
                            if self.depth == 2 {
                                out = Some((self.elem_line, std::mem::take(&mut self.elem)));
                                break;
                            }
                        }
                    }
                    b',' if self.in_target && self.depth == 2 => {
                        if !self.elem.is_empty() {
                            out = Some((self.elem_line, std::mem::take(&mut self.elem)));
                            break;
                        }
                    }
                    _ => {
                        if self.depth == 0 {
                            self.started = true;
                            self.error = Some((self.line, "this is not a JSON document".into()));
                            self.done = true;
                            break;
                        }
                        if in_elem {
                            if self.elem.is_empty() {
                                self.elem_line = self.line;
                            }
                            self.elem.push(b);
                        }
                    }
                }
            }
            let _ = len;
            self.reader.consume(consumed);
            self.check_size(out.as_ref().map_or(0, |o| o.1.len()))?;
            if out.is_some() {
                return Ok(out);
            }
            if self.done {
                return Ok(None);
            }
        }
    }
}

impl ArrayScanner<'_> {
    /// Refuse an element (`taken` bytes just cut, or the one being collected)
    /// or a string longer than [`MAX_RECORD`]. Called once per buffer, so
    /// memory stays below the limit plus one buffer.
    fn check_size(&self, taken: usize) -> Result<(), ReadError> {
        if self.in_string && self.string_len > MAX_RECORD {
            return Err(ReadError::Limit {
                line: self.string_line,
                message: format!(
                    "a JSON string is longer than {MAX_RECORD_TEXT} (an unterminated string?); is this really sensor data?"
                ),
            });
        }
        if taken.max(self.elem.len()) > MAX_RECORD {
            return Err(ReadError::Limit {
                line: self.elem_line,
                message: format!(
                    "a JSON record is longer than {MAX_RECORD_TEXT}; is this really sensor data?"
                ),
            });
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct ElementReading {
    measured_at: Option<String>,
    data: Option<ElementData>,
}

#[derive(Deserialize)]
struct ElementData {
    air_temperature: Option<f64>,
    air_humidity: Option<f64>,
}

#[derive(Deserialize)]
struct D2rRecord {
    measured_at: Option<String>,
    air_temperature: Option<f64>,
    relative_humidity: Option<f64>,
}

fn utc(s: &str) -> Result<i64, String> {
    match parse_timestamp(s.as_bytes()) {
        Ok(Stamp::Utc(t)) => Ok(t),
        Ok(Stamp::Naive(t)) => Ok(t), // the APIs deliver UTC; treat offset-less as UTC
        Err(e) => Err(format!("measured_at: {e}: {}", snippet(s.as_bytes()))),
    }
}

fn json_error(e: &serde_json::Error, elem: &[u8]) -> String {
    format!("broken record ({e}): {}", snippet(elem))
}

fn file_sensor(name: &str, opts: &ParseOptions) -> String {
    opts.sensor
        .clone()
        .or_else(|| sensor_from_file_name(name))
        .unwrap_or_else(|| "unknown".into())
}

/// Paged array formats (ELEMENT `body`, D2R `data`).
pub(crate) fn parse_array(
    reader: &mut dyn BufRead,
    kind: Kind,
    name: &str,
    opts: &ParseOptions,
    em: &mut Emitter<'_>,
) -> Result<(), ReadError> {
    parse_array_joined(reader, None, kind, name, opts, em)
}

/// The sensor a whole file belongs to (`--sensor` or the file name).
fn file_sensor_index(
    name: &str,
    opts: &ParseOptions,
    em: &mut Emitter<'_>,
) -> Result<u32, ReadError> {
    let id = file_sensor(name, opts);
    em.sensor(&id).map_err(|msg| ReadError::Limit {
        line: 1,
        message: format!(
            "the sensor id {:?} taken from the file name or --sensor is refused: {msg}",
            snippet(id.as_bytes())
        ),
    })
}

/// A size limit broken in the humidity sibling, named as such.
fn in_sibling(e: ReadError) -> ReadError {
    match e {
        ReadError::Limit { line, message } => ReadError::Limit {
            line,
            message: format!("in the sibling _relative_humidity file: {message}"),
        },
        other => other,
    }
}

/// Like [`parse_array`]; for D2R, `humidity` is the sibling `_relative_humidity.json`
/// stream, joined on `measured_at` (both files are sorted ascending).
pub(crate) fn parse_array_joined(
    reader: &mut dyn BufRead,
    humidity: Option<&mut dyn BufRead>,
    kind: Kind,
    name: &str,
    opts: &ParseOptions,
    em: &mut Emitter<'_>,
) -> Result<(), ReadError> {
    let keys: &'static [&'static str] = if kind == Kind::Element {
        &["body"]
    } else {
        &["data"]
    };
    let sensor = file_sensor_index(name, opts, em)?;
    let mut scan = ArrayScanner::new(reader, keys);
    let mut hum_scan = humidity.map(|h| ArrayScanner::new(h, &["data"]));
    let mut hum_next: Option<(i64, f64)> = None;
    let mut hum_joined = 0u64;
    while let Some((line, elem)) = scan.next_element()? {
        let (t, temp, mut rh) = match kind {
            Kind::Element => match serde_json::from_slice::<ElementReading>(&elem) {
                Ok(r) => {
                    let Some(ts) = r.measured_at else {
                        em.bad(Some(sensor), line, "reading without measured_at");
                        continue;
                    };
                    let t = match utc(&ts) {
                        Ok(t) => t,
                        Err(e) => {
                            em.bad(Some(sensor), line, e);
                            continue;
                        }
                    };
                    let d = r.data.unwrap_or(ElementData {
                        air_temperature: None,
                        air_humidity: None,
                    });
                    (t, d.air_temperature, d.air_humidity)
                }
                Err(e) => {
                    em.bad(Some(sensor), line, json_error(&e, &elem));
                    continue;
                }
            },
            _ => match serde_json::from_slice::<D2rRecord>(&elem) {
                Ok(r) => {
                    let Some(ts) = r.measured_at else {
                        em.bad(Some(sensor), line, "record without measured_at");
                        continue;
                    };
                    match utc(&ts) {
                        Ok(t) => (t, r.air_temperature, r.relative_humidity),
                        Err(e) => {
                            em.bad(Some(sensor), line, e);
                            continue;
                        }
                    }
                }
                Err(e) => {
                    em.bad(Some(sensor), line, json_error(&e, &elem));
                    continue;
                }
            },
        };
        if let Some(hs) = hum_scan.as_mut() {
            loop {
                if let Some((ht, hv)) = hum_next {
                    if ht < t {
                        hum_next = None;
                    } else {
                        if ht == t {
                            rh = Some(hv);
                            hum_joined += 1;
                        }
                        break;
                    }
                }
                match hs.next_element().map_err(in_sibling)? {
                    Some((_, he)) => {
                        if let Ok(r) = serde_json::from_slice::<D2rRecord>(&he)
                            && let (Some(ts), Some(v)) = (r.measured_at, r.relative_humidity)
                            && let Ok(ht) = utc(&ts)
                        {
                            hum_next = Some((ht, v));
                        }
                    }
                    None => break,
                }
            }
        }
        match temp {
            Some(v) => em.reading(sensor, t, v, rh, line),
            None => em.missing(sensor),
        }
    }
    if let Some((line, msg)) = scan.error.take() {
        em.bad(Some(sensor), line, msg);
    }
    if hum_scan.is_some() {
        em.note(format!("{name}: humidity joined to {hum_joined} readings from the sibling _relative_humidity.json"));
    }
    Ok(())
}

/// Line-delimited formats (ELEMENT stream, TTS uplinks).
pub(crate) fn parse_lines(
    reader: &mut dyn BufRead,
    kind: Kind,
    name: &str,
    opts: &ParseOptions,
    em: &mut Emitter<'_>,
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut lines = Lines::new(reader, "a JSON-lines file");
    let file_sensor_id = file_sensor(name, opts);
    let tts = TtsFields::new(opts);
    while lines.next_line(&mut buf)? {
        let line_no = lines.number;
        let line = buf.trim_ascii();
        let line = if line_no == 1 {
            line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
        } else {
            line
        };
        if line.is_empty() {
            continue;
        }
        match kind {
            Kind::Element | Kind::D2r => {
                let sensor = match em.sensor(&file_sensor_id) {
                    Ok(s) => s,
                    Err(msg) => {
                        em.bad(None, line_no, msg);
                        continue;
                    }
                };
                match serde_json::from_slice::<ElementReading>(line) {
                    Ok(r) => {
                        let Some(ts) = r.measured_at else {
                            em.bad(Some(sensor), line_no, "reading without measured_at");
                            continue;
                        };
                        match utc(&ts) {
                            Ok(t) => match r
                                .data
                                .and_then(|d| d.air_temperature.map(|v| (v, d.air_humidity)))
                            {
                                Some((v, rh)) => em.reading(sensor, t, v, rh, line_no),
                                None => em.missing(sensor),
                            },
                            Err(e) => em.bad(Some(sensor), line_no, e),
                        }
                    }
                    Err(e) => em.bad(Some(sensor), line_no, json_error(&e, line)),
                }
            }
            Kind::Tts => tts.line(line, line_no, em),
        }
    }
    Ok(())
}

struct TtsFields {
    temp: Vec<String>,
    hum: Vec<String>,
}

impl TtsFields {
    fn new(opts: &ParseOptions) -> Self {
        let temp = match &opts.tts_temperature {
            Some(f) => vec![f.clone()],
            None => [
                "temperature",
                "air_temperature",
                "TempC_SHT",
                "temp",
                "Temperature",
            ]
            .map(String::from)
            .to_vec(),
        };
        let hum = match &opts.tts_humidity {
            Some(f) => vec![f.clone()],
            None => [
                "humidity",
                "relative_humidity",
                "air_humidity",
                "Hum_SHT",
                "hum",
                "Humidity",
            ]
            .map(String::from)
            .to_vec(),
        };
        TtsFields { temp, hum }
    }

    fn line(&self, line: &[u8], line_no: u64, em: &mut Emitter<'_>) {
        let v: Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => {
                em.bad(None, line_no, json_error(&e, line));
                return;
            }
        };
        // The Storage Integration API wraps each message in {"result": …}.
        let msg = v.get("result").unwrap_or(&v);
        let Some(dev) = msg
            .pointer("/end_device_ids/device_id")
            .and_then(Value::as_str)
        else {
            em.bad(None, line_no, "message without end_device_ids.device_id");
            return;
        };
        let sensor = match em.sensor(dev) {
            Ok(s) => s,
            Err(msg) => {
                em.bad(None, line_no, msg);
                return;
            }
        };
        let Some(up) = msg.get("uplink_message") else {
            em.bad(
                Some(sensor),
                line_no,
                "not an uplink message (no uplink_message); only uplinks carry readings",
            );
            return;
        };
        let time = msg
            .get("received_at")
            .or_else(|| up.get("received_at"))
            .and_then(Value::as_str);
        let Some(time) = time else {
            em.bad(Some(sensor), line_no, "uplink without received_at");
            return;
        };
        let t = match parse_timestamp(time.as_bytes()) {
            Ok(Stamp::Utc(t)) => t,
            Ok(Stamp::Naive(_)) => {
                em.bad(Some(sensor), line_no, "received_at has no UTC offset");
                return;
            }
            Err(e) => {
                em.bad(Some(sensor), line_no, format!("received_at: {e}"));
                return;
            }
        };
        let Some(payload) = up.get("decoded_payload").filter(|p| p.is_object()) else {
            em.bad(
                Some(sensor),
                line_no,
                "uplink without decoded_payload (no payload formatter, or the server omitted an empty payload); configure a payload formatter in The Things Stack",
            );
            return;
        };
        let temp = self.temp.iter().find_map(|f| lookup(payload, f));
        let Some(temp) = temp else {
            let keys: Vec<&str> = payload
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if keys.is_empty() {
                em.missing(sensor);
            } else {
                em.bad(
                    Some(sensor),
                    line_no,
                    format!("decoded_payload has no temperature field {:?} (fields present: {}); name it with --tts-temperature-field", self.temp[0], keys.join(", ")),
                );
            }
            return;
        };
        match temp {
            Field::Num(t_c) => {
                let rh = self
                    .hum
                    .iter()
                    .find_map(|f| lookup(payload, f))
                    .and_then(|h| match h {
                        Field::Num(v) => Some(v),
                        Field::Bad => None,
                    });
                em.reading(sensor, t, t_c, rh, line_no);
            }
            Field::Bad => em.bad(Some(sensor), line_no, "temperature field is not a number"),
        }
    }
}

enum Field {
    Num(f64),
    Bad,
}

/// Look up a dotted path; accepts numbers, numeric strings and `{"value": n}` objects
/// (Decentlab-style decoders).
fn lookup(v: &Value, path: &str) -> Option<Field> {
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    Some(match cur {
        Value::Number(n) => n.as_f64().map_or(Field::Bad, Field::Num),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map_or(Field::Bad, Field::Num),
        Value::Object(o) => match o.get("value") {
            Some(Value::Number(n)) => n.as_f64().map_or(Field::Bad, Field::Num),
            _ => Field::Bad,
        },
        Value::Null => return None,
        _ => Field::Bad,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements and the scanner's error, each with its line.
    type Scanned = (Vec<(u64, String)>, Option<(u64, String)>);

    fn elements(doc: &str, keys: &'static [&'static str]) -> Scanned {
        let mut r = std::io::BufReader::with_capacity(7, doc.as_bytes());
        let mut s = ArrayScanner::new(&mut r, keys);
        let mut out = vec![];
        while let Some((l, e)) = s.next_element().unwrap() {
            out.push((l, String::from_utf8(e).unwrap()));
        }
        (out, s.error.clone())
    }

    #[test]
    fn scanner_splits_elements() {
        let doc = "{\"ok\": true, \"note\": \"[x]\", \"body\": [\n {\"a\": \"}\\\"\", \"b\": [1,2]},\n {\"c\": {}}\n], \"status\": 200}";
        let (els, err) = elements(doc, &["body"]);
        assert_eq!(err, None);
        assert_eq!(els.len(), 2);
        assert_eq!(els[0], (2, "{\"a\": \"}\\\"\", \"b\": [1,2]}".to_string()));
        assert_eq!(els[1].0, 3);
    }

    #[test]
    fn scanner_caps_records_strings_and_depth() {
        fn first_error(doc: Vec<u8>) -> String {
            let mut r = std::io::BufReader::with_capacity(1 << 16, doc.as_slice());
            let mut s = ArrayScanner::new(&mut r, &["data"]);
            loop {
                match s.next_element() {
                    Ok(Some(_)) => {}
                    Ok(None) => return String::new(),
                    Err(e) => return e.to_string(),
                }
            }
        }
        let mut doc = b"{\"data\": [{\"a\": \"".to_vec();
        doc.resize(doc.len() + MAX_RECORD + 10, b'x');
        assert!(first_error(doc).contains("line 1: a JSON string is longer than 1 MiB"));
        let mut doc = b"{\"data\": [\n[".to_vec();
        doc.extend(std::iter::repeat_n(b"1,".iter().copied(), MAX_RECORD).flatten());
        assert!(first_error(doc).contains("line 2: a JSON record is longer than 1 MiB"));
        let mut doc = b"{\"x\": ".to_vec();
        doc.resize(doc.len() + 100_000, b'[');
        assert!(first_error(doc).contains("nested deeper"));
        let mut doc = b"{\"ok\": \"".to_vec();
        doc.resize(doc.len() + MAX_RECORD + 10, b'x');
        assert!(
            first_error(doc).contains("string is longer"),
            "outside the array too"
        );
    }

    #[test]
    fn scanner_reports_truncation() {
        let (els, err) = elements("{\"data\": [{\"a\":1}, {\"a\":", &["data"]);
        assert_eq!(els.len(), 2);
        assert!(err.unwrap().1.contains("ends in the middle"));
        let (els, err) = elements("garbage", &["data"]);
        assert!(els.is_empty());
        assert!(err.is_some());
        let (els, err) = elements("", &["data"]);
        assert!(els.is_empty() && err.is_none());
    }
}
