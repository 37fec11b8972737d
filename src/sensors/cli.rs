//! `drehbuch sensors summarize`: command-line arguments and the run.
//!
//! The run owns the safety of the user's files: `--out` may not name an input
//! (checked before anything is read), identical input files are read once,
//! and the summary is written atomically ([`Summary::write_atomic`]). Parser
//! errors come back as `file:line: what is wrong` with a hint.

use std::io::{BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::sync_channel;

use super::SensorError;
use super::config::SensorsFile;
use super::formats::{
    self, Emitter, Format, Interner, Item, MAX_RECORD_TEXT, ParseOptions, ReadError, dwd,
};
use super::input::{self, Container, ReadAhead};
use super::pipeline::Engine;
use super::quality::QualityRules;
use super::summary::{self, BuildParams, InputInfo, Summary, Thresholds};

/// When to draw the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ProgressMode {
    /// Only when stderr is a terminal and the input is larger than 16 MB.
    #[default]
    Auto,
    /// Always (still on stderr).
    Always,
    /// Never.
    Never,
}

/// Arguments of `drehbuch sensors summarize`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    about = "Turn raw sensor readings into a precomputed summary (daily and yearly statistics, hot days, quality report)"
)]
pub struct SummarizeArgs {
    /// Raw input files or folders: canonical CSV, ELEMENT IoT JSON, Data2Resilience JSON,
    /// The Things Stack JSON lines, DWD station zips or CDC downloads; plain, .gz or .zip.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// sensors.yaml describing the sensors and the dataset's provenance.
    #[arg(long, value_name = "FILE")]
    pub sensors: Option<PathBuf>,
    /// Where to write the summary.
    #[arg(long, value_name = "FILE", default_value = "summary.json")]
    pub out: PathBuf,
    /// Input format (default: detected per file).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Time zone of the calendar days.
    #[arg(long, value_name = "IANA_ZONE", default_value = "Europe/Berlin")]
    pub tz: String,
    /// Time zone of timestamps without UTC offset in canonical CSV (e.g. Europe/Berlin).
    #[arg(long, value_name = "IANA_ZONE")]
    pub input_tz: Option<String>,
    /// Nominal reporting interval for all sensors, e.g. 30, 30m, 1h (default: detected per sensor and day).
    #[arg(long, value_name = "MINUTES", value_parser = parse_interval)]
    pub interval: Option<u32>,
    /// Minimum coverage of a complete day, percent [default: 80, or sensors.yaml].
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
    /// Hot day: daily maximum at or above this, °C [default: 30].
    #[arg(long, value_name = "CELSIUS", value_parser = parse_celsius, allow_hyphen_values = true)]
    pub hot_day: Option<f64>,
    /// Summer day: daily maximum at or above this, °C [default: 25].
    #[arg(long, value_name = "CELSIUS", value_parser = parse_celsius, allow_hyphen_values = true)]
    pub summer_day: Option<f64>,
    /// Tropical night: daily minimum at or above this, °C [default: 20].
    #[arg(long, value_name = "CELSIUS", value_parser = parse_celsius, allow_hyphen_values = true)]
    pub tropical_night: Option<f64>,
    /// Count a threshold as reached only when strictly exceeded (> instead of ≥).
    #[arg(long)]
    pub above: bool,
    /// Sensor id for files whose records name no device (ELEMENT, Data2Resilience);
    /// default: taken from the file name.
    #[arg(long, value_name = "ID")]
    pub sensor: Option<String>,
    /// Field of the temperature in The Things Stack `decoded_payload` (dotted path)
    /// [default: first of temperature, air_temperature, TempC_SHT, temp].
    #[arg(long, value_name = "FIELD")]
    pub tts_temperature_field: Option<String>,
    /// Field of the humidity in The Things Stack `decoded_payload`
    /// [default: first of humidity, relative_humidity, air_humidity, Hum_SHT, hum].
    #[arg(long, value_name = "FIELD")]
    pub tts_humidity_field: Option<String>,
    /// Spike check: jump against both neighbours, kelvin.
    #[arg(long, value_name = "K", default_value_t = 6.0, value_parser = parse_kelvin)]
    pub spike_delta: f64,
    /// Stuck check: identical values for at least this many hours.
    #[arg(long, value_name = "HOURS", default_value_t = 6.0, value_parser = parse_hours)]
    pub stuck_hours: f64,
    /// Progress bar on stderr.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
    /// Do not print the tables.
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_interval(s: &str) -> Result<u32, String> {
    let t = s.trim().to_ascii_lowercase();
    let (num, mult) = if let Some(h) = t.strip_suffix('h') {
        (h, 60.0)
    } else if let Some(m) = t.strip_suffix("min").or_else(|| t.strip_suffix('m')) {
        (m, 1.0)
    } else {
        (t.as_str(), 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 30, 30m or 1h"))?;
    let m = (v * mult).round();
    if !(1.0..=1440.0).contains(&m) {
        return Err("the interval must be between 1 minute and 24 hours".into());
    }
    Ok(m as u32)
}

/// The range of a temperature threshold, °C: what a summary may hold
/// (a threshold outside it counts nothing, or everything).
const THRESHOLD_CELSIUS: std::ops::RangeInclusive<f64> = -100.0..=100.0;

/// A number as the command line gives it; `NaN`, `inf` and `-inf` are
/// refused here (Rust reads them as numbers, and the summary would store
/// `null`, which the site cannot read).
fn parse_finite(s: &str, what: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number; give {what}"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("{s} is not a finite number; give {what}"))
    }
}

fn parse_celsius(s: &str) -> Result<f64, String> {
    let v = parse_finite(s, "a temperature in °C, such as 30")?;
    if !THRESHOLD_CELSIUS.contains(&v) {
        return Err(format!(
            "{v} °C is out of range; a threshold is from -100 to 100 °C"
        ));
    }
    Ok(v)
}

fn parse_kelvin(s: &str) -> Result<f64, String> {
    parse_positive(
        s,
        "a temperature difference in kelvin, such as 6",
        "K",
        200.0,
    )
}

fn parse_hours(s: &str) -> Result<f64, String> {
    parse_positive(s, "a number of hours, such as 6", "hours", 8784.0)
}

/// A finite number above 0 and at most `max` (in `unit`).
fn parse_positive(s: &str, what: &str, unit: &str, max: f64) -> Result<f64, String> {
    let v = parse_finite(s, what)?;
    if !(v > 0.0 && v <= max) {
        return Err(format!(
            "{v} {unit} is out of range; give more than 0 and at most {max}"
        ));
    }
    Ok(v)
}

fn parse_percent(s: &str) -> Result<f64, String> {
    let t = s.trim().trim_end_matches('%');
    let v: f64 = t
        .parse()
        .map_err(|_| format!("{s:?} is not a percentage like 80"))?;
    if !(0.0..=100.0).contains(&v) {
        return Err("the coverage must be a percentage between 0 and 100".into());
    }
    Ok(v)
}

fn zone(name: &str, what: &str) -> Result<jiff::tz::TimeZone, SensorError> {
    jiff::tz::TimeZone::get(name).map_err(|_| {
        SensorError::Usage(format!(
            "{what}: unknown time zone {name:?}; use an IANA name such as Europe/Berlin or UTC"
        ))
    })
}

enum Plan {
    Plain {
        path: PathBuf,
        container: Container,
        format: Format,
        humidity: Option<PathBuf>,
    },
    Zip {
        path: PathBuf,
    },
    Empty {
        path: PathBuf,
    },
    Joined {
        path: PathBuf,
        into: PathBuf,
    },
    /// Same content as an earlier input: recorded, not read again.
    Identical {
        path: PathBuf,
        same_as: PathBuf,
        sha256: String,
        bytes: u64,
    },
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn plan(paths: &[PathBuf], forced: Option<Format>) -> Result<Vec<Plan>, SensorError> {
    let identical = input::identical_to_earlier(paths)?;
    let mut plans = Vec::new();
    for (p, same) in paths.iter().zip(identical) {
        if let Some(same) = same {
            plans.push(Plan::Identical {
                path: p.clone(),
                same_as: paths[same.earlier].clone(),
                sha256: same.sha256,
                bytes: same.bytes,
            });
            continue;
        }
        let c = input::container_of(p)?;
        if c == Container::Zip {
            plans.push(Plan::Zip { path: p.clone() });
            continue;
        }
        let head = input::head(p, c, 64 * 1024)?;
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            plans.push(Plan::Empty { path: p.clone() });
            continue;
        }
        let format = match forced {
            Some(f) => f,
            None => formats::detect(&file_name(p), &head).ok_or_else(|| {
                let first = String::from_utf8_lossy(&head[..head.len().min(200)]).lines().next().unwrap_or("").to_string();
                SensorError::Input {
                    path: p.display().to_string(),
                    line: 1,
                    message: format!("cannot tell the format of this file; it starts with {:?}", formats::snippet(first.as_bytes())),
                    hint: "name it with --format (csv, element, element-stream, d2r, tts, dwd, dwd-cdc); see docs/sensors.md".into(),
                }
            })?,
        };
        if format == Format::D2r {
            if let Some(t) = input::temperature_sibling(p) {
                plans.push(Plan::Joined {
                    path: p.clone(),
                    into: t,
                });
                continue;
            }
            if file_name(p).contains("_relative_humidity") {
                return Err(SensorError::Input {
                    path: p.display().to_string(),
                    line: 0,
                    message: "this Data2Resilience file holds humidity only, and no matching _air_temperature file is next to it".into(),
                    hint: "put the _air_temperature.json file in the same folder and pass it as input".into(),
                });
            }
        }
        let humidity = if format == Format::D2r {
            input::humidity_sibling(p)
        } else {
            None
        };
        plans.push(Plan::Plain {
            path: p.clone(),
            container: c,
            format,
            humidity,
        });
    }
    Ok(plans)
}

enum Msg {
    Start(u32),
    Items(Vec<Item>),
}

/// Run `drehbuch sensors summarize`.
pub fn run_summarize(args: &SummarizeArgs) -> Result<(), SensorError> {
    check_out(args)?;
    let summary = summarize(args)?;
    if summary.sensors.iter().all(|s| s.quality.valid == 0) && args.out.exists() {
        // A wrong --format or an empty download must not replace a
        // summary with an empty one: say what was found, write nothing.
        eprint!("{}", super::report::problems(&summary));
        return Err(SensorError::Input {
            path: args
                .inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            line: 0,
            message: format!(
                "no valid readings at all; {} already exists and is kept as it was",
                args.out.display()
            ),
            hint: "check the input format (--format) and the problems listed above; see docs/sensors.md".into(),
        });
    }
    summary.write_atomic(&args.out)?;
    if !args.quiet {
        print!("{}", super::report::tables(&summary));
    }
    eprint!("{}", super::report::problems(&summary));
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

/// Refuse an `--out` that is a folder or names a file the run reads: an input
/// (also one found in an input folder), the humidity file read next to a
/// Data2Resilience input, or `sensors.yaml`. Checked before anything is read,
/// so a mistyped command never overwrites raw data.
fn check_out(args: &SummarizeArgs) -> Result<(), SensorError> {
    let out = &args.out;
    if out.is_dir() {
        return Err(SensorError::Input {
            path: out.display().to_string(),
            line: 0,
            message: "--out names a folder".into(),
            hint: "name the summary file, e.g. --out data/sensors/x/summary.json".into(),
        });
    }
    // The summary replaces its file by renaming a new one over it; that
    // would remove a device (`/dev/null`), a pipe or a socket.
    if let Ok(meta) = std::fs::metadata(out)
        && !meta.is_file()
    {
        return Err(SensorError::Input {
            path: out.display().to_string(),
            line: 0,
            message:
                "--out names a device, pipe or socket, not a regular file; nothing was written"
                    .into(),
            hint: "name a regular file for the summary, e.g. --out summary.json".into(),
        });
    }
    if !out.exists() {
        return Ok(());
    }
    let mut read = input::expand(&args.inputs)?;
    let siblings: Vec<PathBuf> = read
        .iter()
        .filter_map(|p| input::humidity_sibling(p).or_else(|| input::temperature_sibling(p)))
        .collect();
    read.extend(siblings);
    read.extend(args.sensors.iter().cloned());
    match read.iter().find(|p| input::same_file(out, p)) {
        Some(p) => Err(SensorError::Input {
            path: out.display().to_string(),
            line: 0,
            message: format!(
                "--out names a file this run reads ({}); the summary would overwrite it, so nothing was written",
                p.display()
            ),
            hint: "write the summary to another file, e.g. --out summary.json".into(),
        }),
        None => Ok(()),
    }
}

/// Compute the summary without writing it (used by `run_summarize` and tests).
pub fn summarize(args: &SummarizeArgs) -> Result<Summary, SensorError> {
    let tz = zone(&args.tz, "--tz")?;
    let input_tz = args
        .input_tz
        .as_deref()
        .map(|z| zone(z, "--input-tz"))
        .transpose()?;
    let config = match &args.sensors {
        Some(p) => SensorsFile::load(p)?,
        None => SensorsFile::default(),
    };
    let th_cfg = config.provenance.thresholds.clone().unwrap_or_default();
    let thresholds = Thresholds {
        hot_day_c: args.hot_day.or(th_cfg.hot_day).unwrap_or(30.0),
        summer_day_c: args.summer_day.or(th_cfg.summer_day).unwrap_or(25.0),
        tropical_night_c: args
            .tropical_night
            .or(th_cfg.tropical_night)
            .unwrap_or(20.0),
        comparison: if args.above { ">" } else { ">=" }.into(),
        min_coverage_pct: args
            .min_coverage
            .or(th_cfg.min_coverage_pct)
            .unwrap_or(80.0),
        interval_minutes: args.interval,
    };
    // The flags are checked as they are parsed; a value out of range here
    // comes from sensors.yaml (where YAML can even write `.nan`).
    for (key, flag, value, range) in [
        (
            "hot_day",
            "--hot-day",
            thresholds.hot_day_c,
            THRESHOLD_CELSIUS,
        ),
        (
            "summer_day",
            "--summer-day",
            thresholds.summer_day_c,
            THRESHOLD_CELSIUS,
        ),
        (
            "tropical_night",
            "--tropical-night",
            thresholds.tropical_night_c,
            THRESHOLD_CELSIUS,
        ),
        (
            "min_coverage_pct",
            "--min-coverage",
            thresholds.min_coverage_pct,
            0.0..=100.0,
        ),
    ] {
        if !range.contains(&value) {
            return Err(SensorError::Input {
                path: args
                    .sensors
                    .as_ref()
                    .map_or_else(|| "sensors.yaml".into(), |p| p.display().to_string()),
                line: 0,
                message: format!(
                    "provenance.thresholds.{key} is {value}; it must be a number from {} to {}",
                    range.start(),
                    range.end()
                ),
                hint: format!("fix sensors.yaml, or give {flag} on the command line"),
            });
        }
    }
    if !(args.spike_delta > 0.0) || !(args.stuck_hours > 0.0) {
        return Err(SensorError::Usage(
            "--spike-delta and --stuck-hours must be positive".into(),
        ));
    }
    let rules = QualityRules {
        spike_delta_k: args.spike_delta,
        stuck_hours: args.stuck_hours,
        ..QualityRules::default()
    };
    let opts = ParseOptions {
        input_tz,
        sensor: args.sensor.clone(),
        tts_temperature: args.tts_temperature_field.clone(),
        tts_humidity: args.tts_humidity_field.clone(),
    };

    let paths = input::expand(&args.inputs)?;
    if paths.is_empty() {
        return Err(SensorError::Usage(
            "no input files (the given folders are empty)".into(),
        ));
    }
    let plans = plan(&paths, args.format)?;

    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let done = Arc::new(AtomicU64::new(0));
    let show = match args.progress {
        ProgressMode::Always => true,
        ProgressMode::Never => false,
        ProgressMode::Auto => std::io::stderr().is_terminal() && total > 16_000_000,
    };
    let bar = input::ProgressBar::start(total, done.clone(), show);

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

    let mut interner = Interner::with_aliases(
        config
            .sensors
            .iter()
            .flat_map(|s| s.aliases.iter().map(|a| (a.clone(), s.id.clone())))
            .collect(),
    );
    let mut infos: Vec<InputInfo> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut notes_main: Vec<String> = Vec::new();
    let mut send = |items: Vec<Item>| {
        let _ = tx.send(Msg::Items(items));
    };
    let mut failure: Option<SensorError> = None;
    for (idx, plan) in plans.iter().enumerate() {
        let idx = idx as u32;
        let _ = tx.send(Msg::Start(idx));
        let res = run_one(
            plan,
            &opts,
            &mut interner,
            &mut send,
            done.clone(),
            &mut notes_main,
        );
        match res {
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
    drop(tx);
    let joined = consumer.join();
    bar.finish();
    if let Some(e) = failure {
        return Err(e);
    }
    let Ok((results, examples, unattributed, mut notes)) = joined else {
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
    // Humidity siblings found next to Data2Resilience files but not given as inputs.
    for plan in &plans {
        if let Plan::Plain {
            humidity: Some(h), ..
        } = plan
            && !paths.contains(h)
        {
            let (sha, bytes) = input::sha256_file(h)?;
            infos.push(InputInfo {
                file: file_name(h),
                sha256: sha,
                bytes,
                format: "d2r humidity (sibling, joined)".into(),
                records: 0,
                unparseable_unattributed: 0,
            });
        }
    }
    notes_main.append(&mut notes);
    let summary = summary::build(
        BuildParams {
            time_zone: args.tz.clone(),
            thresholds,
            rules,
            config,
            inputs: infos,
            input_names: names,
        },
        results,
        examples,
        notes_main,
    );
    // Never write a summary the site would refuse to load (a value from
    // sensors.yaml, such as a period from 1700, can still be out of range).
    let (problems, total) = summary.problems();
    if let Some((at, message)) = problems.first() {
        return Err(SensorError::Input {
            path: args.out.display().to_string(),
            line: 0,
            message: format!(
                "the summary would hold {total} value(s) out of range, so it was not written; the first: {at}: {message}"
            ),
            hint: "check the settings in sensors.yaml (see docs/sensors.md)".into(),
        });
    }
    Ok(summary)
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

fn run_one(
    plan: &Plan,
    opts: &ParseOptions,
    interner: &mut Interner,
    send: &mut dyn FnMut(Vec<Item>),
    done: Arc<AtomicU64>,
    notes: &mut Vec<String>,
) -> Result<(InputInfo, String), SensorError> {
    match plan {
        Plan::Identical {
            path,
            same_as,
            sha256,
            bytes,
        } => {
            notes.push(format!(
                "{} is identical to {} (same SHA-256); it was read once",
                file_name(path),
                file_name(same_as)
            ));
            Ok((
                InputInfo {
                    file: file_name(path),
                    sha256: sha256.clone(),
                    bytes: *bytes,
                    format: format!("identical to {}, not read again", file_name(same_as)),
                    records: 0,
                    unparseable_unattributed: 0,
                },
                file_name(path),
            ))
        }
        Plan::Empty { path } => {
            let (sha, bytes) = input::sha256_file(path)?;
            notes.push(format!("{}: the file is empty", file_name(path)));
            Ok((
                InputInfo {
                    file: file_name(path),
                    sha256: sha,
                    bytes,
                    format: "empty".into(),
                    records: 0,
                    unparseable_unattributed: 0,
                },
                file_name(path),
            ))
        }
        Plan::Joined { path, into } => {
            let (sha, bytes) = input::sha256_file(path)?;
            Ok((
                InputInfo {
                    file: file_name(path),
                    sha256: sha,
                    bytes,
                    format: format!("d2r humidity, joined into {}", file_name(into)),
                    records: 0,
                    unparseable_unattributed: 0,
                },
                file_name(path),
            ))
        }
        Plan::Plain {
            path,
            container,
            format,
            humidity,
        } => {
            let name = file_name(path);
            let mut reader = ReadAhead::open(path, *container, done)?;
            let records;
            {
                let mut em = Emitter::new(interner, send);
                let res = match (format, humidity) {
                    (Format::D2r, Some(h)) => {
                        let mut hr = input::open_side(h)?;
                        formats::json::parse_array_joined(
                            &mut reader,
                            Some(&mut *hr),
                            formats::json::Kind::D2r,
                            &name,
                            opts,
                            &mut em,
                        )
                    }
                    _ => formats::parse(*format, &name, &mut reader, opts, &mut em),
                };
                em.flush();
                records = em.records;
                res.map_err(read_err(path, None))?;
            }
            let (sha, bytes) = reader.finish();
            let fmt = match container {
                Container::Gzip => format!("{} (gzip)", format.name()),
                _ => format.name().to_string(),
            };
            Ok((
                InputInfo {
                    file: name.clone(),
                    sha256: sha,
                    bytes,
                    format: fmt,
                    records,
                    unparseable_unattributed: 0,
                },
                name,
            ))
        }
        Plan::Zip { path } => {
            let name = file_name(path);
            let (sha, bytes) = input::sha256_file(path)?;
            let zip_err = |e: zip::result::ZipError| SensorError::Input {
                path: path.display().to_string(),
                line: 0,
                message: format!("cannot read the zip archive: {e}"),
                hint: "is the download complete? try unzip -t".into(),
            };
            let f = std::fs::File::open(path).map_err(|e| SensorError::io(path, e))?;
            let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(zip_err)?;
            let mut members: Vec<String> = zip
                .file_names()
                .filter_map(|r| r.ok().map(|c| c.into_owned()))
                .collect();
            members.sort();
            let base = |m: &str| m.rsplit('/').next().unwrap_or(m).to_string();
            // Metadata first.
            let mut meta = dwd::StationMeta::default();
            let mut sdo = std::collections::HashMap::new();
            for m in &members {
                let b = base(m);
                let read = |zip: &mut zip::ZipArchive<BufReader<std::fs::File>>| -> Result<Vec<u8>, SensorError> {
                    let mut f = zip.by_name(m).map_err(zip_err)?;
                    let mut v = Vec::new();
                    f.by_ref().take(16 << 20).read_to_end(&mut v).map_err(io_err(path))?;
                    Ok(v)
                };
                if b.starts_with("Metadaten_Geographie") {
                    let v = read(&mut zip)?;
                    dwd::read_geographie(&mut v.as_slice(), &mut meta)
                        .map_err(read_err(path, Some(m)))?;
                } else if b.starts_with("Metadaten_Parameter") {
                    let v = read(&mut zip)?;
                    dwd::read_parameter(&mut v.as_slice(), &mut meta)
                        .map_err(read_err(path, Some(m)))?;
                } else if b.starts_with("sdo_") && b.ends_with(".csv") {
                    let v = read(&mut zip)?;
                    sdo = dwd::read_sdo(&mut v.as_slice()).map_err(read_err(path, Some(m)))?;
                }
            }
            let mut used = Vec::new();
            let mut records = 0;
            for m in &members {
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
                let format = if b.starts_with("produkt_") && lower.ends_with(".txt") {
                    Some(Format::Dwd)
                } else if b.starts_with("data_") && lower.ends_with(".csv") {
                    Some(Format::DwdCdc)
                } else if is_doc {
                    None
                } else {
                    let mut zf = zip.by_name(m).map_err(zip_err)?;
                    let mut h = Vec::new();
                    zf.by_ref()
                        .take(64 * 1024)
                        .read_to_end(&mut h)
                        .map_err(io_err(path))?;
                    let f = formats::detect(&b, &h);
                    if f.is_none() {
                        notes.push(format!(
                            "{name}: skipped member {m} (not a known sensor data format)"
                        ));
                    }
                    f
                };
                let Some(format) = format else { continue };
                let zf = zip.by_name(m).map_err(zip_err)?;
                let (csize, usize_) = (zf.compressed_size(), zf.size());
                let scaled = input::Scaled {
                    inner: zf,
                    num: csize,
                    den: usize_.max(1),
                    acc: 0,
                    progress: done.clone(),
                };
                let mut r = BufReader::with_capacity(1 << 18, scaled);
                let mut em = Emitter::new(interner, send);
                let res = match format {
                    Format::Dwd => dwd::parse_product(&mut r, &meta, &mut em),
                    Format::DwdCdc => dwd::parse_cdc(&mut r, &sdo, &mut em),
                    f => formats::parse(f, &b, &mut r, opts, &mut em),
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
                    message: format!("the zip archive holds no sensor data file (members: {})", members.join(", ")),
                    hint: "expected a DWD station zip (produkt_tu_stunde_*.txt) or a CDC download (data_OBS_*.csv)".into(),
                });
            }
            let display = if used.len() == 1 {
                format!("{name}/{}", used[0].split(": ").nth(1).unwrap_or(""))
            } else {
                name.clone()
            };
            Ok((
                InputInfo {
                    file: name.clone(),
                    sha256: sha,
                    bytes,
                    format: format!("zip [{}]", used.join(", ")),
                    records,
                    unparseable_unattributed: 0,
                },
                display,
            ))
        }
    }
}
