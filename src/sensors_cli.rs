//! `drehbuch sensors summarize`: the command line of the sensors crate
//! ([`drehbuch_sensors`]). Here are its arguments, the checks of each flag
//! as it is parsed, the progress bar and what the command prints; reading,
//! checking and summarizing are the crate's.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use drehbuch_sensors::{
    BytesRead, Format, Options, Progress, SensorError, THRESHOLD_CELSIUS, report,
};

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
    /// Where to write the summary [default: summary.json next to the --sensors file, where
    /// charts read it (data/sensors/<name>/summary.json), else in the current folder].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Input format (default: detected per file).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Time zone of the calendar days [default: `time_zone:` of sensors.yaml, else Europe/Berlin].
    #[arg(long, value_name = "IANA_ZONE")]
    pub tz: Option<String>,
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

impl SummarizeArgs {
    /// Where the summary goes: `--out`, else next to the `--sensors` file
    /// (in a site, `data/sensors/<name>/`, where charts read it), else
    /// `summary.json` in the current folder.
    fn out(&self) -> PathBuf {
        match (&self.out, &self.sensors) {
            (Some(out), _) => out.clone(),
            (None, Some(sensors)) => sensors.with_file_name("summary.json"),
            (None, None) => PathBuf::from("summary.json"),
        }
    }

    /// The crate's options of this command line.
    pub fn options(&self) -> Options {
        Options {
            inputs: self.inputs.clone(),
            sensors: self.sensors.clone(),
            out: self.out(),
            format: self.format,
            tz: self.tz.clone(),
            input_tz: self.input_tz.clone(),
            interval: self.interval,
            min_coverage: self.min_coverage,
            hot_day: self.hot_day,
            summer_day: self.summer_day,
            tropical_night: self.tropical_night,
            above: self.above,
            sensor: self.sensor.clone(),
            tts_temperature_field: self.tts_temperature_field.clone(),
            tts_humidity_field: self.tts_humidity_field.clone(),
            spike_delta: self.spike_delta,
            stuck_hours: self.stuck_hours,
            generator: format!("drehbuch {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Runs `drehbuch sensors summarize`: checks `--out`, summarizes, writes
/// the summary and prints the tables (stdout) and the problems (stderr).
pub fn run_summarize(args: &SummarizeArgs) -> Result<(), SensorError> {
    let opts = args.options();
    drehbuch_sensors::check_out(&opts)?;
    if let Ok((zone, drehbuch_sensors::TimeZoneFrom::Default)) = drehbuch_sensors::time_zone(&opts)
    {
        eprintln!(
            "note: calendar days are counted in {zone}, the default; give `time_zone:` in sensors.yaml or --tz (e.g. Europe/Bucharest) for data from elsewhere"
        );
    }
    let mut bar = ProgressBar::new(args.progress);
    let summary = drehbuch_sensors::summarize(&opts, &mut bar)?;
    if let Err(e) = drehbuch_sensors::check_replace(&opts, &summary) {
        // Say what was found; nothing is written.
        eprint!("{}", report::problems(&summary));
        return Err(e);
    }
    summary.write_atomic(&opts.out)?;
    if !args.quiet {
        print!("{}", report::tables(&summary));
    }
    eprint!("{}", report::problems(&summary));
    eprintln!(
        "wrote {}{}",
        opts.out.display(),
        chart_hint(&opts.out, &summary)
    );
    Ok(())
}

/// For a summary written where a site's charts read it
/// (`data/sensors/<name>/summary.json`): how a page shows it.
fn chart_hint(out: &std::path::Path, summary: &drehbuch_sensors::Summary) -> String {
    let Some(folder) = out.parent() else {
        return String::new();
    };
    let in_site = folder.parent().is_some_and(|p| p.ends_with("data/sensors"));
    let name = folder.file_name().and_then(|n| n.to_str());
    let year = summary
        .sensors
        .iter()
        .flat_map(|s| s.days.iter())
        .filter_map(|d| d.date().get(..4)?.parse::<i32>().ok())
        .max();
    match (in_site && out.ends_with("summary.json"), name, year) {
        (true, Some(name), Some(year)) => format!(
            "; a chart shows it as {{{{ hot_days(year={year}, dataset=\"{name}\") }}}} in a page"
        ),
        _ => String::new(),
    }
}

/// A progress bar on stderr: with `auto` only when stderr is a terminal
/// and the input is larger than 16 MB.
struct ProgressBar {
    mode: ProgressMode,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl ProgressBar {
    fn new(mode: ProgressMode) -> ProgressBar {
        ProgressBar {
            mode,
            stop: Arc::new(AtomicBool::new(false)),
            handle: None,
        }
    }
}

impl Progress for ProgressBar {
    fn start(&mut self, total: u64, done: BytesRead) {
        let enabled = match self.mode {
            ProgressMode::Always => true,
            ProgressMode::Never => false,
            ProgressMode::Auto => std::io::stderr().is_terminal() && total > 16_000_000,
        };
        if !enabled || total == 0 {
            return;
        }
        let s = self.stop.clone();
        self.handle = Some(std::thread::spawn(move || {
            let start = Instant::now();
            let mut shown = false;
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                if start.elapsed() < Duration::from_millis(600) {
                    continue;
                }
                let d = done.get().min(total);
                let frac = d as f64 / total as f64;
                let width = 30;
                let fill = (frac * width as f64) as usize;
                let rate = d as f64 / start.elapsed().as_secs_f64().max(1e-3) / 1e6;
                eprint!(
                    "\r  reading [{}{}] {:3.0} %  {:.0}/{:.0} MB  {:.0} MB/s ",
                    "#".repeat(fill),
                    "·".repeat(width - fill),
                    frac * 100.0,
                    d as f64 / 1e6,
                    total as f64 / 1e6,
                    rate
                );
                shown = true;
            }
            if shown {
                eprint!("\r{}\r", " ".repeat(78));
            }
        }));
    }

    fn finish(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
