//! The crate through its public API, as drehbuch's command line and charts
//! use it: options in, a summary (or a typed error) out, nothing printed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use drehbuch_sensors::{
    BytesRead, Format, Options, Progress, SensorError, Summary, check_out, check_replace, report,
    summarize,
};

/// A new empty folder for one test, removed when the test ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "drehbuch-sensors-api-{name}-{}-{call}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// Two days of hourly readings of sensor `S` (UTC): 2021-07-10 from
/// 20.0 to 31.5 °C (a hot day and a tropical night), 2021-07-11 from 15.0
/// to 26.5 °C (a summer day).
fn readings(dir: &Path) -> PathBuf {
    let mut csv = String::from("sensor_id,timestamp,temperature_c\n");
    for (day, base) in [(10, 20.0), (11, 15.0)] {
        for h in 0..24 {
            let v = base + f64::from(h) / 2.0;
            csv += &format!("S,2021-07-{day}T{h:02}:00:00Z,{v:.1}\n");
        }
    }
    let path = dir.join("readings.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

fn options(dir: &Path, inputs: Vec<PathBuf>) -> Options {
    Options {
        inputs,
        out: dir.join("summary.json"),
        tz: Some("UTC".into()),
        generator: "api-test 1".into(),
        ..Options::default()
    }
}

/// Records what a run tells its progress.
#[derive(Default)]
struct Heard {
    started: Option<u64>,
    read: Option<BytesRead>,
    finished: bool,
}

impl Progress for Heard {
    fn start(&mut self, total: u64, read: BytesRead) {
        self.started = Some(total);
        self.read = Some(read);
    }
    fn finish(&mut self) {
        self.finished = true;
    }
}

#[test]
fn a_run_gives_the_summary_and_tells_progress_what_it_read() {
    let dir = scratch("run");
    let input = readings(&dir);
    let size = std::fs::metadata(&input).unwrap().len();
    let mut heard = Heard::default();
    let summary = summarize(&options(&dir, vec![input]), &mut heard).unwrap();
    assert_eq!(heard.started, Some(size));
    assert_eq!(heard.read.unwrap().get(), size);
    assert!(heard.finished);

    assert_eq!(summary.generator, "api-test 1");
    assert_eq!(summary.time_zone, "UTC");
    assert_eq!(summary.sensor_ids(), ["S"]);
    assert_eq!(summary.inputs[0].format, "csv");
    let s = summary.sensor("S").unwrap();
    assert_eq!(s.quality.valid, 48);
    let y = s.year(2021).unwrap();
    assert_eq!(
        (
            y.hot_days,
            y.summer_days,
            y.tropical_nights,
            y.complete_days
        ),
        (1, 2, 1, 2)
    );
    let max = y.max.as_ref().unwrap();
    assert_eq!((max.value, max.ymd()), (31.5, Some((2021, 7, 10))));
    assert_eq!(
        s.days.iter().map(|d| d.date()).collect::<Vec<_>>(),
        ["2021-07-10", "2021-07-11"]
    );
    assert!(
        !dir.join("summary.json").exists(),
        "summarize writes nothing"
    );
}

#[test]
fn a_written_summary_loads_as_the_same_summary() {
    let dir = scratch("roundtrip");
    let opts = options(&dir, vec![readings(&dir)]);
    let summary = summarize(&opts, &mut ()).unwrap();
    summary.write_atomic(&opts.out).unwrap();
    assert_eq!(Summary::load(&opts.out).unwrap(), summary);
    let text = std::fs::read_to_string(&opts.out).unwrap();
    assert_eq!(text, summary.to_json());
    assert!(
        text.contains("\"days\": [\n") && text.contains("\n        [\"2021-07-10\",20.0,31.5,"),
        "{text}"
    );
}

#[test]
fn a_summary_out_of_range_is_refused_at_its_json_path_and_line() {
    let dir = scratch("invalid");
    let opts = options(&dir, vec![readings(&dir)]);
    let json = summarize(&opts, &mut ()).unwrap().to_json();
    let bad = json.replacen("\"year\": 2021", "\"year\": 1700", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("\"year\": 1700"))
        .unwrap()
        + 1;
    let Err(SensorError::Invalid {
        problems, total, ..
    }) = Summary::from_json(bad.as_bytes(), "s.json")
    else {
        panic!("a year of 1700 is refused");
    };
    assert_eq!(total, 1);
    assert_eq!(problems[0].json_path, "sensors[0].years[0].year");
    assert_eq!(problems[0].line, line);
    assert_eq!(
        problems[0].message,
        "1700 is outside the years a summary may hold, 1850–2100 (the range of raw readings)"
    );
}

#[test]
fn settings_that_cannot_work_are_typed_errors() {
    let dir = scratch("errors");
    let input = readings(&dir);
    let zone = Options {
        tz: Some("Mars/Olympus".into()),
        ..options(&dir, vec![input.clone()])
    };
    let Err(SensorError::Usage(message)) = summarize(&zone, &mut ()) else {
        panic!("an unknown zone is a usage error");
    };
    assert!(message.starts_with("--tz: unknown time zone \"Mars/Olympus\""));

    let wrong = Options {
        format: Some(Format::Dwd),
        ..options(&dir, vec![input])
    };
    let summary = summarize(&wrong, &mut ()).unwrap();
    assert_eq!(summary.sensors.len(), 0, "no DWD product in a CSV file");
    assert!(report::problems(&summary).contains("warning: no valid readings at all"));
}

#[test]
fn the_summary_never_replaces_what_the_run_reads_nor_a_summary_with_nothing() {
    let dir = scratch("safety");
    let input = readings(&dir);
    let reads_itself = Options {
        out: input.clone(),
        ..options(&dir, vec![dir.to_path_buf()])
    };
    let Err(SensorError::Input { message, .. }) = check_out(&reads_itself) else {
        panic!("--out naming an input in an input folder is refused");
    };
    assert!(
        message.starts_with("--out names a file this run reads"),
        "{message}"
    );

    let opts = options(&dir, vec![input]);
    assert!(check_out(&opts).is_ok(), "a new file is fine");
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "sensor_id,timestamp,temperature_c\n").unwrap();
    let nothing = options(&dir, vec![empty]);
    let summary = summarize(&nothing, &mut ()).unwrap();
    assert!(check_replace(&nothing, &summary).is_ok(), "no summary yet");
    std::fs::write(&nothing.out, "{}").unwrap();
    let Err(SensorError::Input { message, .. }) = check_replace(&nothing, &summary) else {
        panic!("a summary is not replaced by one without readings");
    };
    assert!(
        message.starts_with("no valid readings at all;"),
        "{message}"
    );
}

#[test]
fn the_report_tables_name_every_sensor_and_year() {
    let dir = scratch("report");
    let summary = summarize(&options(&dir, vec![readings(&dir)]), &mut ()).unwrap();
    let tables = report::tables(&summary);
    assert!(tables.contains("\nQuality of readings\n"), "{tables}");
    let row = tables
        .lines()
        .find(|l| l.starts_with("S ") && l.contains("2021"))
        .unwrap();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        [
            "S",
            "2021",
            "2",
            "0",
            "0",
            "1",
            "2",
            "1",
            "31.5",
            "(2021-07-10)",
            "100.0%"
        ]
    );
}
