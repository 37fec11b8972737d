//! A run: [`Options`] in, a checked [`Summary`] out.
//!
//! The run owns the safety of the user's files: the summary's file may not
//! be one the run reads ([`check_out`], before anything is read), identical
//! input files are read once, a run that found no valid reading does not
//! replace a summary ([`check_replace`]), and the summary is written
//! atomically ([`Summary::write_atomic`]). Parser errors come back as
//! `file:line: what is wrong` with a hint.

mod plan;
mod read;

use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::SensorError;
use crate::config::SensorsFile;
use crate::formats::{Format, ParseOptions};
use crate::input;
use crate::quality::QualityRules;
use crate::summary::{self, BuildParams, InputInfo, Summary, Thresholds};

use plan::{Plan, file_name};

/// The range of a temperature threshold, °C: what a summary may hold
/// (a threshold outside it counts nothing, or everything).
pub const THRESHOLD_CELSIUS: RangeInclusive<f64> = -100.0..=100.0;

/// What a run reads and how it judges the readings: the settings of
/// `drehbuch sensors summarize`. A threshold left `None` comes from
/// `sensors.yaml`, else from the defaults (30, 25 and 20 °C, 80 %).
#[derive(Debug, Clone)]
pub struct Options {
    /// Raw input files or folders (a folder means its files, sorted by name).
    pub inputs: Vec<PathBuf>,
    /// `sensors.yaml` describing the sensors and the dataset's provenance.
    pub sensors: Option<PathBuf>,
    /// Where the summary goes: checked by [`check_out`] and
    /// [`check_replace`], and named in errors (the run itself writes nothing).
    pub out: PathBuf,
    /// Input format; `None` detects it per file.
    pub format: Option<Format>,
    /// IANA time zone of the calendar days; `None`: `time_zone:` of
    /// `sensors.yaml`, else [`DEFAULT_TIME_ZONE`] ([`time_zone`] says which).
    pub tz: Option<String>,
    /// Time zone of timestamps without UTC offset in canonical CSV.
    pub input_tz: Option<String>,
    /// Nominal reporting interval of all sensors, minutes.
    pub interval: Option<u32>,
    /// Minimum coverage of a complete day, percent.
    pub min_coverage: Option<f64>,
    /// Hot day: daily maximum at or above this, °C.
    pub hot_day: Option<f64>,
    /// Summer day: daily maximum at or above this, °C.
    pub summer_day: Option<f64>,
    /// Tropical night: daily minimum at or above this, °C.
    pub tropical_night: Option<f64>,
    /// Count a threshold as reached only when strictly exceeded.
    pub above: bool,
    /// Sensor id for files whose records name no device (ELEMENT, Data2Resilience).
    pub sensor: Option<String>,
    /// Field of the temperature in The Things Stack `decoded_payload`.
    pub tts_temperature_field: Option<String>,
    /// Field of the humidity in The Things Stack `decoded_payload`.
    pub tts_humidity_field: Option<String>,
    /// Spike check: jump against both neighbours, kelvin.
    pub spike_delta: f64,
    /// Stuck check: identical values for at least this many hours.
    pub stuck_hours: f64,
    /// Program and version recorded in the summary (`generator`).
    pub generator: String,
}

impl Default for Options {
    /// The command line's defaults, no inputs, `summary.json`.
    fn default() -> Self {
        Options {
            inputs: Vec::new(),
            sensors: None,
            out: PathBuf::from("summary.json"),
            format: None,
            tz: None,
            input_tz: None,
            interval: None,
            min_coverage: None,
            hot_day: None,
            summer_day: None,
            tropical_night: None,
            above: false,
            sensor: None,
            tts_temperature_field: None,
            tts_humidity_field: None,
            spike_delta: 6.0,
            stuck_hours: 6.0,
            generator: concat!("drehbuch-sensors ", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

/// The bytes of input a run has read so far, shared with whoever shows
/// progress (zip members count in compressed bytes).
#[derive(Debug, Clone, Default)]
pub struct BytesRead(Arc<AtomicU64>);

impl BytesRead {
    /// Bytes read so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    pub(crate) fn counter(&self) -> Arc<AtomicU64> {
        self.0.clone()
    }
}

/// Told when a run starts and stops reading its inputs, e.g. to draw a
/// progress bar: the crate itself never prints.
pub trait Progress {
    /// Reading starts: `total` bytes of input, `read` counts those read.
    fn start(&mut self, total: u64, read: BytesRead);
    /// Reading is over (also when it stopped at an error).
    fn finish(&mut self);
}

/// No progress shown.
impl Progress for () {
    fn start(&mut self, _: u64, _: BytesRead) {}
    fn finish(&mut self) {}
}

/// The time zone of the calendar days when neither `--tz` nor
/// `sensors.yaml` names one.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Berlin";

/// Where the time zone of a run comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZoneFrom {
    /// `--tz` (the command line wins).
    Flag,
    /// `time_zone:` in `sensors.yaml`.
    SensorsFile,
    /// Neither: [`DEFAULT_TIME_ZONE`], which the command should say.
    Default,
}

/// The time zone of the calendar days of a run, and where it comes from:
/// `--tz`, else `time_zone:` in `sensors.yaml`, else the default.
pub fn time_zone(opts: &Options) -> Result<(String, TimeZoneFrom), SensorError> {
    if let Some(tz) = &opts.tz {
        return Ok((tz.clone(), TimeZoneFrom::Flag));
    }
    let config = match &opts.sensors {
        Some(p) => SensorsFile::load(p)?,
        None => SensorsFile::default(),
    };
    Ok(match config.time_zone {
        Some(zone) => (zone, TimeZoneFrom::SensorsFile),
        None => (DEFAULT_TIME_ZONE.to_string(), TimeZoneFrom::Default),
    })
}

fn zone(name: &str, what: &str) -> Result<jiff::tz::TimeZone, SensorError> {
    jiff::tz::TimeZone::get(name).map_err(|_| {
        SensorError::Usage(format!(
            "{what}: unknown time zone {name:?}; use an IANA name such as Europe/Berlin or UTC"
        ))
    })
}

/// Refuses an `out` that is a folder, a device, or a file the run reads:
/// an input (also one found in an input folder), the humidity file read
/// next to a Data2Resilience input, or `sensors.yaml`. Meant to run before
/// anything is read, so a mistyped command never overwrites raw data.
pub fn check_out(opts: &Options) -> Result<(), SensorError> {
    let out = &opts.out;
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
    let mut read = input::expand(&opts.inputs)?;
    let siblings: Vec<PathBuf> = read
        .iter()
        .filter_map(|p| input::humidity_sibling(p).or_else(|| input::temperature_sibling(p)))
        .collect();
    read.extend(siblings);
    read.extend(opts.sensors.iter().cloned());
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

/// Refuses to replace the summary at `out` with one that holds no valid
/// reading at all: a wrong `--format` or an empty download must not
/// replace a summary with an empty one. Nothing is written either way.
pub fn check_replace(opts: &Options, summary: &Summary) -> Result<(), SensorError> {
    if summary.sensors.iter().any(|s| s.quality.valid > 0) || !opts.out.exists() {
        return Ok(());
    }
    Err(SensorError::Input {
        path: opts
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        line: 0,
        message: format!(
            "no valid readings at all; {} already exists and is kept as it was",
            opts.out.display()
        ),
        hint:
            "check the input format (--format) and the problems listed above; see docs/sensors.md"
                .into(),
    })
}

/// The thresholds of a run: the options, else `sensors.yaml`, else the
/// defaults. The command line checks its flags as it parses them; a value
/// out of range here comes from `sensors.yaml` (where YAML can even write
/// `.nan`).
fn thresholds(opts: &Options, config: &SensorsFile) -> Result<Thresholds, SensorError> {
    let th_cfg = config.provenance.thresholds.clone().unwrap_or_default();
    let thresholds = Thresholds {
        hot_day_c: opts.hot_day.or(th_cfg.hot_day).unwrap_or(30.0),
        summer_day_c: opts.summer_day.or(th_cfg.summer_day).unwrap_or(25.0),
        tropical_night_c: opts
            .tropical_night
            .or(th_cfg.tropical_night)
            .unwrap_or(20.0),
        comparison: if opts.above { ">" } else { ">=" }.into(),
        min_coverage_pct: opts
            .min_coverage
            .or(th_cfg.min_coverage_pct)
            .unwrap_or(80.0),
        interval_minutes: opts.interval,
    };
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
                path: opts
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
    Ok(thresholds)
}

/// Computes the summary of a run without writing it; `progress` hears when
/// reading starts and ends. A summary the site would refuse to load is an
/// error, never a result.
pub fn summarize(opts: &Options, progress: &mut dyn Progress) -> Result<Summary, SensorError> {
    let input_tz = opts
        .input_tz
        .as_deref()
        .map(|z| zone(z, "--input-tz"))
        .transpose()?;
    let config = match &opts.sensors {
        Some(p) => SensorsFile::load(p)?,
        None => SensorsFile::default(),
    };
    let tz_name = match (&opts.tz, &config.time_zone) {
        (Some(flag), _) => flag.clone(),
        (None, Some(file)) => file.clone(),
        (None, None) => DEFAULT_TIME_ZONE.to_string(),
    };
    let tz = zone(&tz_name, "--tz")?;
    let thresholds = thresholds(opts, &config)?;
    if !(opts.spike_delta > 0.0) || !(opts.stuck_hours > 0.0) {
        return Err(SensorError::Usage(
            "--spike-delta and --stuck-hours must be positive".into(),
        ));
    }
    let rules = QualityRules {
        spike_delta_k: opts.spike_delta,
        stuck_hours: opts.stuck_hours,
        ..QualityRules::default()
    };
    let parse = ParseOptions {
        input_tz,
        sensor: opts.sensor.clone(),
        tts_temperature: opts.tts_temperature_field.clone(),
        tts_humidity: opts.tts_humidity_field.clone(),
        days_tz: Some((tz.clone(), tz_name.clone())),
    };

    let paths = input::expand(&opts.inputs)?;
    if paths.is_empty() {
        return Err(SensorError::Usage(
            "no input files (the given folders are empty)".into(),
        ));
    }
    let plans = plan::plan(&paths, opts.format)?;
    let mut read = read::read_all(&plans, &paths, &parse, &config, &rules, tz, progress)?;
    // Humidity siblings found next to Data2Resilience files but not given as inputs.
    for plan in &plans {
        if let Plan::Plain {
            humidity: Some(h), ..
        } = plan
            && !paths.contains(h)
        {
            let (sha, bytes) = input::sha256_file(h)?;
            read.infos.push(InputInfo {
                file: file_name(h),
                sha256: sha,
                bytes,
                format: "d2r humidity (sibling, joined)".into(),
                records: 0,
                unparseable_unattributed: 0,
            });
        }
    }
    let summary = summary::build(
        BuildParams {
            generator: opts.generator.clone(),
            time_zone: tz_name,
            thresholds,
            rules,
            config,
            inputs: read.infos,
            input_names: read.names,
        },
        read.results,
        read.examples,
        read.notes,
    );
    // Never hand out a summary the site would refuse to load (a value from
    // sensors.yaml, such as a period from 1700, can still be out of range).
    let (problems, total) = summary.problems();
    if let Some((at, message)) = problems.first() {
        return Err(SensorError::Input {
            path: opts.out.display().to_string(),
            line: 0,
            message: format!(
                "the summary would hold {total} value(s) out of range, so it was not written; the first: {at}: {message}"
            ),
            hint: "check the settings in sensors.yaml (see docs/sensors.md)".into(),
        });
    }
    Ok(summary)
}
