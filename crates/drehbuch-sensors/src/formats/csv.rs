//! Canonical CSV: `sensor_id,timestamp,temperature_c,humidity_pct`.
//!
//! Hand-written line parser following RFC 4180 quoting within one line: commas
//! separate fields; a field that starts with `"` runs to its closing quote, may
//! contain commas, and writes a quote as `""`. Quoted fields do not span lines
//! (a record is a line); a line with an unterminated quote is an unparseable
//! record. The header decides the column order (extra columns are ignored).
//! Lines are read through [`Lines`], so a line longer than the record limit
//! stops the file with an error instead of filling memory.

use std::borrow::Cow;
use std::io::BufRead;

use super::{Emitter, Lines, ParseOptions, ReadError, snippet};
use crate::time::{NaiveConverter, OffsetTally, Stamp, parse_timestamp_offset};

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

/// Why a line could not be cut into fields; the field number is 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SplitError {
    /// A quoted field has no closing quote before the end of the line.
    Unterminated(usize),
    /// Something other than blanks and a comma follows a closing quote.
    AfterQuote(usize),
}

impl SplitError {
    fn message(self, line: &[u8]) -> String {
        match self {
            SplitError::Unterminated(k) => format!(
                "field {k} opens a quote that is not closed on this line (quoted fields cannot span lines): {}",
                snippet(line)
            ),
            SplitError::AfterQuote(k) => format!(
                "field {k} has text after its closing quote (a quote inside a quoted field is written \"\"): {}",
                snippet(line)
            ),
        }
    }
}

/// The raw fields of one line (blanks and quotes still on; see [`value`]),
/// split at commas outside quotes. Borrows from the line, never allocates.
/// After an error it yields nothing more.
struct Fields<'a> {
    line: &'a [u8],
    pos: usize,
    /// Fields yielded so far.
    n: usize,
    done: bool,
}

impl<'a> Fields<'a> {
    fn new(line: &'a [u8]) -> Self {
        Fields {
            line,
            pos: 0,
            n: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<&'a [u8], SplitError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let line = self.line;
        let start = self.pos;
        self.n += 1;
        let mut j = start;
        while j < line.len() && line[j].is_ascii_whitespace() {
            j += 1;
        }
        let end = if line.get(j) == Some(&b'"') {
            // Quoted: up to the closing quote; `""` is a quote and goes on.
            j += 1;
            loop {
                let Some(p) = line[j..].iter().position(|&b| b == b'"') else {
                    self.done = true;
                    return Some(Err(SplitError::Unterminated(self.n)));
                };
                j += p + 1;
                if line.get(j) == Some(&b'"') {
                    j += 1;
                } else {
                    break;
                }
            }
            while j < line.len() && line[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < line.len() && line[j] != b',' {
                self.done = true;
                return Some(Err(SplitError::AfterQuote(self.n)));
            }
            j
        } else {
            line[j..]
                .iter()
                .position(|&b| b == b',')
                .map_or(line.len(), |p| j + p)
        };
        if end >= line.len() {
            self.done = true;
        } else {
            self.pos = end + 1;
        }
        Some(Ok(&line[start..end]))
    }
}

/// The value of a raw field from [`Fields`]: blanks around it removed, and of a
/// quoted field the quotes, with `""` turned into `"` (the only case that copies).
#[inline]
fn value(f: &[u8]) -> Cow<'_, [u8]> {
    let f = f.trim_ascii();
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
        let inner = &f[1..f.len() - 1];
        if inner.contains(&b'"') {
            let mut out = Vec::with_capacity(inner.len());
            let mut quote = false;
            for &b in inner {
                // keep the first of each `""` pair
                if b == b'"' && quote {
                    quote = false;
                    continue;
                }
                quote = b == b'"';
                out.push(b);
            }
            Cow::Owned(out)
        } else {
            Cow::Borrowed(inner)
        }
    } else {
        Cow::Borrowed(f)
    }
}

fn header(line: &[u8]) -> Option<Columns> {
    let names = Fields::new(line)
        .map(|f| {
            f.map(|f| {
                String::from_utf8_lossy(&value(f))
                    .trim()
                    .to_ascii_lowercase()
            })
        })
        .collect::<Result<Vec<String>, SplitError>>()
        .ok()?;
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
    let mut offsets = OffsetTally::default();
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
        if line.trim_ascii().is_empty() {
            continue;
        }
        let c = cols.as_ref().unwrap_or(&DEFAULT);
        let mut fields: [&[u8]; 16] = [&[]; 16];
        let mut n = 0;
        let mut broken = None;
        for f in Fields::new(line) {
            match f {
                Ok(f) => {
                    if n < fields.len() {
                        fields[n] = f;
                    }
                    n += 1;
                }
                Err(e) => broken = Some(e),
            }
        }
        if let Some(e) = broken {
            em.bad(None, line_no, e.message(line));
            continue;
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
        let id = value(fields[c.sensor]);
        let Ok(id) = std::str::from_utf8(&id) else {
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
        let time = value(fields[c.time]);
        let t = match parse_timestamp_offset(&time) {
            Ok((Stamp::Utc(t), offset)) => {
                if let Some(offset) = offset {
                    offsets.add(offset, t);
                }
                t
            }
            Ok((Stamp::Naive(local), _)) => match naive.as_mut() {
                Some(conv) => match conv.utc(local) {
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
                em.bad(Some(sensor), line_no, format!("{e}: {}", snippet(&time)));
                continue;
            }
        };
        let traw = value(fields[c.temp]);
        let Some(temp) = super::parse_f64(&traw) else {
            if traw.is_empty()
                || traw.eq_ignore_ascii_case(b"na")
                || traw.eq_ignore_ascii_case(b"null")
            {
                em.missing(sensor);
            } else {
                em.bad(
                    Some(sensor),
                    line_no,
                    format!("temperature is not a number: {}", snippet(&traw)),
                );
            }
            continue;
        };
        let rh = match c.rh {
            Some(i) if i < n.min(fields.len()) => super::parse_f64(&value(fields[i])),
            _ => None,
        };
        em.reading(sensor, t, temp, rh, line_no);
    }
    if let Some((zone, name)) = &opts.days_tz {
        for note in offsets.disagreements(zone, name) {
            em.note(note);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Interner, Item};
    use super::*;

    /// The values of a line, or the error.
    fn split(line: &str) -> Result<Vec<String>, SplitError> {
        Fields::new(line.as_bytes())
            .map(|f| f.map(|f| String::from_utf8(value(f).into_owned()).unwrap()))
            .collect()
    }

    #[test]
    fn fields_follow_rfc_4180_quoting() {
        assert_eq!(split("a,b,,c").unwrap(), ["a", "b", "", "c"]);
        assert_eq!(split("").unwrap(), [""]);
        assert_eq!(split(",").unwrap(), ["", ""]);
        assert_eq!(
            split(r#"S1,"Markt, 35, sunny",22.0"#).unwrap(),
            ["S1", "Markt, 35, sunny", "22.0"]
        );
        assert_eq!(split(r#""31,5","x""#).unwrap(), ["31,5", "x"]);
        assert_eq!(
            split(r#""say ""hi"", ok","""""#).unwrap(),
            [r#"say "hi", ok"#, r#"""#]
        );
        assert_eq!(split(r#""",x"#).unwrap(), ["", "x"]);
        // blanks around a quoted field, as around any field, are removed
        assert_eq!(split(r#" "a,b" ,  c "#).unwrap(), ["a,b", "c"]);
        // a quote inside an unquoted field is kept as written
        assert_eq!(split(r#"5" pipe,a"b"#).unwrap(), [r#"5" pipe"#, r#"a"b"#]);
        assert_eq!(split(r#"a,"b"#), Err(SplitError::Unterminated(2)));
        assert_eq!(split(r#"a,"b"",c"#), Err(SplitError::Unterminated(2)));
        assert_eq!(split(r#"""#), Err(SplitError::Unterminated(1)));
        assert_eq!(split(r#""a"b,c"#), Err(SplitError::AfterQuote(1)));
        assert_eq!(
            split(r#"x,"Markt "Nord", 35",22"#),
            Err(SplitError::AfterQuote(2))
        );
    }

    #[test]
    fn unquoted_and_plain_quoted_fields_are_borrowed() {
        for f in ["22.0", " 22.0 ", r#""22.0""#, r#" "a,b" "#] {
            assert!(matches!(value(f.as_bytes()), Cow::Borrowed(_)), "{f}");
        }
        assert!(matches!(value(br#""a""b""#), Cow::Owned(_)));
    }

    #[test]
    fn header_names_may_be_quoted_and_contain_commas() {
        let c = header(br#""Ort, Nr",sensor_id,"time""stamp",timestamp,"Temperature_C""#).unwrap();
        assert_eq!((c.sensor, c.time, c.temp, c.rh), (1, 3, 4, None));
        assert!(header(br#"sensor_id,timestamp,temperature_c,"x"#).is_none());
    }

    /// Arbitrary lines, rich in quotes, commas and blanks: the splitter never
    /// panics, its fields always cover the line exactly, and neither does the
    /// whole parser panic.
    #[test]
    fn arbitrary_bytes_never_panic() {
        const ALPHABET: &[u8] = b"\"\",,, \t\rab1.-:TZ\xff\xc3\x00";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut input = b"sensor_id,timestamp,temperature_c\n".to_vec();
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let line: Vec<u8> = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let mut pieces = Vec::new();
            let mut failed = false;
            for f in Fields::new(&line) {
                match f {
                    Ok(f) => {
                        let _ = value(f);
                        pieces.push(f);
                    }
                    Err(_) => failed = true,
                }
            }
            if !failed {
                assert_eq!(pieces.join(&b','), line, "{line:?}");
            }
            let _ = header(&line);
            input.extend_from_slice(&line);
            input.push(b'\n');
        }
        let mut interner = Interner::default();
        let mut items = 0usize;
        {
            let mut sink = |batch: Vec<Item>| items += batch.len();
            let mut em = Emitter::new(&mut interner, &mut sink);
            parse(&mut input.as_slice(), &ParseOptions::default(), &mut em).unwrap();
            em.flush();
        }
        assert!(items > 0);
    }
}
