//! Reading the inputs: each plan's file parsed on this thread (a reading
//! thread decompresses ahead of it) into items that the aggregation engine
//! consumes on its own thread.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::sync_channel;

use super::plan::{Plan, file_name};
use super::{BytesRead, Progress};
use crate::SensorError;
use crate::config::SensorsFile;
use crate::formats::{
    self, Emitter, Format, Interner, Item, MAX_RECORD_TEXT, ParseOptions, ReadError, dwd,
};
use crate::input::{self, Container, ReadAhead};
use crate::pipeline::{Engine, Example, SensorResult};
use crate::quality::QualityRules;
use crate::summary::InputInfo;

/// What reading every input gave: per input its record and its name in
/// problem reports, and the engine's results.
pub(super) struct Inputs {
    pub(super) infos: Vec<InputInfo>,
    pub(super) names: Vec<String>,
    pub(super) results: Vec<SensorResult>,
    pub(super) examples: Vec<Example>,
    /// Remarks of the reading (first) and of the engine.
    pub(super) notes: Vec<String>,
}

enum Msg {
    Start(u32),
    Items(Vec<Item>),
}

/// Where items go and what reading notes, shared by the inputs of a run.
struct Sink<'a> {
    interner: Interner,
    send: &'a mut dyn FnMut(Vec<Item>),
    done: Arc<AtomicU64>,
    notes: Vec<String>,
}

/// Reads every planned input in order, feeding the aggregation engine on
/// its own thread; stops at the first input that fails.
pub(super) fn read_all(
    plans: &[Plan],
    paths: &[PathBuf],
    parse: &ParseOptions,
    config: &SensorsFile,
    rules: &QualityRules,
    tz: jiff::tz::TimeZone,
    progress: &mut dyn Progress,
) -> Result<Inputs, SensorError> {
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let read = BytesRead::default();
    progress.start(total, read.clone());

    let (tx, rx) = sync_channel::<Msg>(16);
    let engine = Engine::new(rules.clone(), tz);
    let consumer = std::thread::spawn(move || {
        let mut engine = engine;
        for m in rx {
            match m {
                Msg::Start(i) => engine.start_input(i),
                Msg::Items(items) => engine.items(items),
            }
        }
        engine.finish()
    });

    let mut send = |items: Vec<Item>| {
        let _ = tx.send(Msg::Items(items));
    };
    let mut sink = Sink {
        interner: Interner::with_aliases(
            config
                .sensors
                .iter()
                .flat_map(|s| s.aliases.iter().map(|a| (a.clone(), s.id.clone())))
                .collect(),
        ),
        send: &mut send,
        done: read.counter(),
        notes: Vec::new(),
    };
    let mut infos: Vec<InputInfo> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut failure: Option<SensorError> = None;
    for (idx, plan) in plans.iter().enumerate() {
        let _ = tx.send(Msg::Start(idx as u32));
        match read_one(plan, parse, &mut sink) {
            Ok((info, name)) => {
                infos.push(info);
                names.push(name);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let mut notes = std::mem::take(&mut sink.notes);
    drop(sink);
    drop(tx);
    let joined = consumer.join();
    progress.finish();
    if let Some(e) = failure {
        return Err(e);
    }
    let Ok((results, examples, unattributed, mut engine_notes)) = joined else {
        return Err(SensorError::Usage(
            "internal error: the aggregation thread failed".into(),
        ));
    };
    for (info, n) in infos
        .iter_mut()
        .zip(unattributed.iter().chain(std::iter::repeat(&0)))
    {
        info.unparseable_unattributed = *n;
    }
    notes.append(&mut engine_notes);
    Ok(Inputs {
        infos,
        names,
        results,
        examples,
        notes,
    })
}

fn io_err(p: &Path) -> impl Fn(std::io::Error) -> SensorError + '_ {
    move |e| SensorError::Input {
        path: p.display().to_string(),
        line: 0,
        message: format!("read error: {e}"),
        hint: "is the file complete?".into(),
    }
}

/// A parser's error, naming the file (`archive.zip/member` for zip members)
/// and the line.
fn read_err<'a>(p: &'a Path, member: Option<&str>) -> impl Fn(ReadError) -> SensorError + 'a {
    let name = match member {
        Some(m) => format!("{}/{m}", p.display()),
        None => p.display().to_string(),
    };
    move |e| match e {
        ReadError::Io(e) => io_err(p)(e),
        ReadError::Limit { line, message } => SensorError::Input {
            path: name.clone(),
            line,
            message,
            hint: format!(
                "sensor data has short records; drehbuch stops at {MAX_RECORD_TEXT}. Check that this is the file you meant and its --format (limits: docs/sensors.md)"
            ),
        },
    }
}

/// An input's record in the summary, with nothing parsed from it.
fn unread(path: &Path, sha256: String, bytes: u64, format: String) -> InputInfo {
    InputInfo {
        file: file_name(path),
        sha256,
        bytes,
        format,
        records: 0,
        unparseable_unattributed: 0,
    }
}

/// Reads one input: its record for the summary and its name in problem
/// reports (`archive.zip/member` for a zip of one data file).
fn read_one(
    plan: &Plan,
    parse: &ParseOptions,
    sink: &mut Sink<'_>,
) -> Result<(InputInfo, String), SensorError> {
    match plan {
        Plan::Identical {
            path,
            same_as,
            sha256,
            bytes,
        } => {
            sink.notes.push(format!(
                "{} is identical to {} (same SHA-256); it was read once",
                file_name(path),
                file_name(same_as)
            ));
            let format = format!("identical to {}, not read again", file_name(same_as));
            Ok((
                unread(path, sha256.clone(), *bytes, format),
                file_name(path),
            ))
        }
        Plan::Empty { path } => {
            let (sha, bytes) = input::sha256_file(path)?;
            sink.notes
                .push(format!("{}: the file is empty", file_name(path)));
            Ok((unread(path, sha, bytes, "empty".into()), file_name(path)))
        }
        Plan::Joined { path, into } => {
            let (sha, bytes) = input::sha256_file(path)?;
            let format = format!("d2r humidity, joined into {}", file_name(into));
            Ok((unread(path, sha, bytes, format), file_name(path)))
        }
        Plan::Plain {
            path,
            container,
            format,
            humidity,
        } => read_plain(path, *container, *format, humidity.as_deref(), parse, sink),
        Plan::Zip { path } => read_zip(path, parse, sink),
    }
}

/// A plain or gzip file, with the Data2Resilience humidity file beside it.
fn read_plain(
    path: &Path,
    container: Container,
    format: Format,
    humidity: Option<&Path>,
    parse: &ParseOptions,
    sink: &mut Sink<'_>,
) -> Result<(InputInfo, String), SensorError> {
    let name = file_name(path);
    let mut reader = ReadAhead::open(path, container, sink.done.clone())?;
    let records;
    {
        let mut em = Emitter::new(&mut sink.interner, sink.send);
        let res = match (format, humidity) {
            (Format::D2r, Some(h)) => {
                let mut hr = input::open_side(h)?;
                formats::json::parse_array_joined(
                    &mut reader,
                    Some(&mut *hr),
                    formats::json::Kind::D2r,
                    &name,
                    parse,
                    &mut em,
                )
            }
            _ => formats::parse(format, &name, &mut reader, parse, &mut em),
        };
        em.flush();
        records = em.records;
        res.map_err(read_err(path, None))?;
    }
    let (sha, bytes) = reader.finish();
    let format = match container {
        Container::Gzip => format!("{} (gzip)", format.name()),
        _ => format.name().to_string(),
    };
    let info = InputInfo {
        records,
        ..unread(path, sha, bytes, format)
    };
    Ok((info, name))
}

type Archive = zip::ZipArchive<BufReader<File>>;

fn zip_err(path: &Path) -> impl Fn(zip::result::ZipError) -> SensorError + '_ {
    move |e| SensorError::Input {
        path: path.display().to_string(),
        line: 0,
        message: format!("cannot read the zip archive: {e}"),
        hint: "is the download complete? try unzip -t".into(),
    }
}

/// A member's name without its folders.
fn base(member: &str) -> &str {
    member.rsplit('/').next().unwrap_or(member)
}

/// The start of a member, at most `limit` bytes.
fn member_bytes(
    zip: &mut Archive,
    path: &Path,
    member: &str,
    limit: u64,
) -> Result<Vec<u8>, SensorError> {
    let mut f = zip.by_name(member).map_err(zip_err(path))?;
    let mut v = Vec::new();
    f.by_ref()
        .take(limit)
        .read_to_end(&mut v)
        .map_err(io_err(path))?;
    Ok(v)
}

/// The station metadata of a DWD zip (names, positions, MEZ periods) and
/// the CDC download's station table, read before any data member.
fn zip_metadata(
    zip: &mut Archive,
    path: &Path,
    members: &[String],
) -> Result<(dwd::StationMeta, dwd::Stations), SensorError> {
    let mut meta = dwd::StationMeta::default();
    let mut sdo = HashMap::new();
    for m in members {
        let b = base(m);
        if b.starts_with("Metadaten_Geographie") {
            let v = member_bytes(zip, path, m, 16 << 20)?;
            dwd::read_geographie(&mut v.as_slice(), &mut meta).map_err(read_err(path, Some(m)))?;
        } else if b.starts_with("Metadaten_Parameter") {
            let v = member_bytes(zip, path, m, 16 << 20)?;
            dwd::read_parameter(&mut v.as_slice(), &mut meta).map_err(read_err(path, Some(m)))?;
        } else if b.starts_with("sdo_") && b.ends_with(".csv") {
            let v = member_bytes(zip, path, m, 16 << 20)?;
            sdo = dwd::read_sdo(&mut v.as_slice()).map_err(read_err(path, Some(m)))?;
        }
    }
    Ok((meta, sdo))
}

/// The format of a zip member: DWD products and CDC data by name, known
/// documents skipped, anything else detected from its start (and noted
/// when it is no sensor data).
fn member_format(
    zip: &mut Archive,
    path: &Path,
    m: &str,
    notes: &mut Vec<String>,
) -> Result<Option<Format>, SensorError> {
    let b = base(m);
    let lower = b.to_ascii_lowercase();
    let is_doc = m.ends_with('/')
        || b.starts_with("Metadaten_")
        || (b.starts_with("sdo_") && b.ends_with(".csv"))
        || [".html", ".pdf", ".xml", ".json", ".htm"]
            .iter()
            .any(|e| lower.ends_with(e))
        || lower.starts_with("readme")
        || lower == "prd.csv";
    if b.starts_with("produkt_") && lower.ends_with(".txt") {
        return Ok(Some(Format::Dwd));
    }
    if b.starts_with("data_") && lower.ends_with(".csv") {
        return Ok(Some(Format::DwdCdc));
    }
    if is_doc {
        return Ok(None);
    }
    let head = member_bytes(zip, path, m, 64 * 1024)?;
    let f = formats::detect(b, &head);
    if f.is_none() {
        notes.push(format!(
            "{}: skipped member {m} (not a known sensor data format)",
            file_name(path)
        ));
    }
    Ok(f)
}

/// A zip archive as downloaded: metadata first, then every data member.
fn read_zip(
    path: &Path,
    parse: &ParseOptions,
    sink: &mut Sink<'_>,
) -> Result<(InputInfo, String), SensorError> {
    let name = file_name(path);
    let (sha, bytes) = input::sha256_file(path)?;
    let f = File::open(path).map_err(|e| SensorError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(zip_err(path))?;
    let mut members: Vec<String> = zip
        .file_names()
        .filter_map(|r| r.ok().map(|c| c.into_owned()))
        .collect();
    members.sort();
    let (meta, sdo) = zip_metadata(&mut zip, path, &members)?;
    let mut used = Vec::new();
    let mut records = 0;
    for m in &members {
        let Some(format) = member_format(&mut zip, path, m, &mut sink.notes)? else {
            continue;
        };
        let b = base(m);
        let zf = zip.by_name(m).map_err(zip_err(path))?;
        let (csize, usize_) = (zf.compressed_size(), zf.size());
        let scaled = input::Scaled {
            inner: zf,
            num: csize,
            den: usize_.max(1),
            acc: 0,
            progress: sink.done.clone(),
        };
        let mut r = BufReader::with_capacity(1 << 18, scaled);
        let mut em = Emitter::new(&mut sink.interner, sink.send);
        let res = match format {
            Format::Dwd => dwd::parse_product(&mut r, &meta, &mut em),
            Format::DwdCdc => dwd::parse_cdc(&mut r, &sdo, &mut em),
            f => formats::parse(f, b, &mut r, parse, &mut em),
        };
        em.flush();
        records += em.records;
        res.map_err(read_err(path, Some(m)))?;
        used.push(format!("{}: {b}", format.name()));
    }
    if used.is_empty() {
        return Err(SensorError::Input {
            path: path.display().to_string(),
            line: 0,
            message: format!(
                "the zip archive holds no sensor data file (members: {})",
                members.join(", ")
            ),
            hint: "expected a DWD station zip (produkt_tu_stunde_*.txt) or a CDC download (data_OBS_*.csv)".into(),
        });
    }
    let display = if used.len() == 1 {
        format!("{name}/{}", used[0].split(": ").nth(1).unwrap_or(""))
    } else {
        name.clone()
    };
    let format = format!("zip [{}]", used.join(", "));
    let info = InputInfo {
        records,
        ..unread(path, sha, bytes, format)
    };
    Ok((info, display))
}
