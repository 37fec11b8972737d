//! Never a wrong result without a word, never a lost file: duplicates across
//! and within inputs, `--out` naming an input, the accepted timestamp range,
//! and the atomic write of the summary. Real data with known answers where
//! there is some: the Dortmund Friedensplatz series has 5 hot days
//! (Data: Data2Resilience / Ruhr-Universität Bochum & Stadt Dortmund, CC BY 4.0).

mod sensors_common;
use sensors_common::*;

use std::path::{Path, PathBuf};

use serde_json::Value;

const HEADER: &str = "sensor_id,timestamp,temperature_c,humidity_pct\n";
const FRIEDENSPLATZ: &str = "friedensplatz/DEC005476_240810_240831_air_temperature.json";
const HOT_DAYS: [&str; 5] = [
    "2024-08-12",
    "2024-08-13",
    "2024-08-24",
    "2024-08-28",
    "2024-08-29",
];

/// The Friedensplatz records (`{"data": [...]}`).
fn friedensplatz_records() -> Vec<Value> {
    let text = std::fs::read(fixture(FRIEDENSPLATZ)).unwrap();
    let v: Value = serde_json::from_slice(&text).unwrap();
    v["data"].as_array().unwrap().clone()
}

/// Write records as a Data2Resilience file named `DEC005476_<part>.json`.
fn d2r_file(dir: &Path, part: &str, records: &[Value]) -> PathBuf {
    let doc = serde_json::json!({ "data": records });
    let p = dir.join(format!("DEC005476_{part}.json"));
    std::fs::write(&p, serde_json::to_vec(&doc).unwrap()).unwrap();
    p
}

/// Canonical CSV rows, one every 30 minutes from 2021-07-09T22:00Z (Berlin midnight).
fn rows(range: std::ops::Range<i64>) -> String {
    let t0 = 1_625_868_000i64; // 2021-07-09T22:00:00Z
    range
        .map(|i| {
            let t = jiff::Timestamp::from_second(t0 + i * 1800).unwrap();
            format!("S,{t},{:.1},60\n", 18.0 + (i % 9) as f64 * 1.5)
        })
        .collect()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn one_file_passed_twice_is_read_once() {
    let dir = scratch("twice");
    let input = fixture(FRIEDENSPLATZ);
    // The same file twice, and a copy under another name (a second download).
    let copy = dir.join("DEC005476_240810_240831_air_temperature (1).json");
    std::fs::copy(&input, &copy).unwrap();
    let once = summarize(&dir, &[s(&input)]).summary.unwrap();
    let r = summarize(&dir, &[s(&input), s(&input), s(&copy)]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "note: DEC005476_240810_240831_air_temperature.json is identical to DEC005476_240810_240831_air_temperature.json (same SHA-256); it was read once"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("(1).json is identical to"),
        "{}",
        r.stderr
    );
    let twice = r.summary.unwrap();
    let (a, b) = (&once.sensors[0], &twice.sensors[0]);
    assert_eq!(b.quality.valid, 5196);
    assert_eq!(a.quality, b.quality);
    assert_eq!(a.days, b.days, "readings per day are not doubled");
    assert_eq!(hot_dates(&twice, "DEC005476", 2024, 30.0), HOT_DAYS);
    // Every input is listed with its checksum (plus the joined humidity file).
    let skipped: Vec<_> = twice
        .inputs
        .iter()
        .filter(|i| i.format.starts_with("identical to"))
        .collect();
    assert_eq!(skipped.len(), 2);
    assert!(
        skipped
            .iter()
            .all(|i| i.sha256 == twice.inputs[0].sha256 && i.records == 0)
    );
}

#[test]
fn overlapping_downloads_count_each_reading_once() {
    let dir = scratch("overlap");
    let records = friedensplatz_records();
    assert_eq!(records.len(), 5196);
    let full = d2r_file(&dir, "full", &records);
    // Two downloads overlapping by 1500 readings (more than a week, far
    // beyond the 6-hour reorder window).
    let first = d2r_file(&dir, "first", &records[..3500]);
    let second = d2r_file(&dir, "second", &records[2000..]);
    let whole = summarize(&dir, &[s(&full)]).summary.unwrap();
    for order in [[&first, &second], [&second, &first]] {
        let r = summarize(&dir, &[s(order[0]), s(order[1])]);
        assert!(r.ok, "{}", r.stderr);
        let both = r.summary.unwrap();
        let (w, b) = (&whole.sensors[0], &both.sensors[0]);
        assert_eq!(b.quality.duplicate, 1500);
        assert_eq!(b.quality.valid, w.quality.valid);
        assert_eq!(
            b.days, w.days,
            "daily readings, means and coverage as from one file"
        );
        assert_eq!(b.years, w.years);
        assert_eq!(hot_dates(&both, "DEC005476", 2024, 30.0), HOT_DAYS);
        assert!(
            r.stderr.contains("duplicate: same sensor and timestamp"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn the_same_reading_twice_in_one_file_counts_once() {
    let dir = scratch("repeat-in-file");
    // Three days, then the first day again at the end of the file (a day
    // out of order, far more than 6 hours late), and one line repeated at once.
    let clean = write(&dir, "clean.csv", &format!("{HEADER}{}", rows(0..144)));
    let mut text = format!("{HEADER}{}{}", rows(0..144), rows(0..48));
    text += &rows(100..101);
    let repeated = write(&dir, "repeated.csv", &text);
    let a = summarize(&dir, &[s(&clean)]).summary.unwrap();
    let r = summarize(&dir, &[s(&repeated)]);
    assert!(r.ok, "{}", r.stderr);
    let b = r.summary.unwrap();
    assert_eq!(b.sensors[0].quality.duplicate, 49);
    assert_eq!(b.sensors[0].quality.valid, a.sensors[0].quality.valid);
    assert_eq!(b.sensors[0].days, a.sensors[0].days);
    assert!(b.sensors[0].days.iter().all(|d| d.6 == 48));
    let lines: Vec<u64> = b
        .problems
        .iter()
        .filter(|p| p.class == "duplicate")
        .map(|p| p.line)
        .collect();
    assert_eq!(
        lines,
        [146, 147, 148, 149, 150],
        "the repeats are flagged, not the originals"
    );
    // Readings seconds apart are still two readings.
    let near = write(
        &dir,
        "near.csv",
        &format!(
            "{HEADER}S,2021-07-10T12:00:00Z,20,50\nS,2021-07-10T12:00:00.900Z,20.1,50\nS,2021-07-10T12:00:01Z,20.2,50\n"
        ),
    );
    let q = summarize(&dir, &[s(&near)]).summary.unwrap().sensors[0].quality;
    assert_eq!(
        (q.valid, q.duplicate),
        (2, 1),
        "same second = duplicate; next second = reading"
    );
}

#[test]
fn aliases_of_one_sensor_are_one_sensor_for_duplicates() {
    let dir = scratch("alias");
    let a = write(&dir, "a.csv", &format!("{HEADER}{}", rows(0..48)));
    let b = write(
        &dir,
        "b.csv",
        &format!("{HEADER}{}", rows(0..48).replace("S,", "station-7,")),
    );
    let y = write(
        &dir,
        "sensors.yaml",
        "sensors:\n  - id: S\n    aliases: [station-7]\n",
    );
    let r = summarize(&dir, &[s(&a), s(&b), "--sensors", s(&y)]);
    assert!(r.ok, "{}", r.stderr);
    let x = &r.summary.unwrap().sensors[0];
    assert_eq!((x.quality.valid, x.quality.duplicate), (48, 48));
    assert_eq!(x.days[0].6, 48);
}

#[test]
fn out_naming_an_input_is_refused_and_nothing_is_written() {
    let dir = scratch("out-input");
    let raw = format!("{HEADER}{}", rows(0..48));
    let csv = write(&dir, "raw.csv", &raw);
    let yaml = write(&dir, "sensors.yaml", "sensors:\n  - id: S\n");
    let link = dir.join("link.csv");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&csv, &link).unwrap();
    let d2r = dir.join("d2r");
    std::fs::create_dir(&d2r).unwrap();
    let temp = d2r.join("X_air_temperature.json");
    let hum = d2r.join("X_relative_humidity.json");
    std::fs::write(
        &temp,
        r#"{"data": [{"measured_at": "2024-08-10T00:00:00Z", "air_temperature": 20.0}]}"#,
    )
    .unwrap();
    std::fs::write(
        &hum,
        r#"{"data": [{"measured_at": "2024-08-10T00:00:00Z", "relative_humidity": 50.0}]}"#,
    )
    .unwrap();
    let hum_before = std::fs::read(&hum).unwrap();
    let mut cases: Vec<(Vec<&str>, &Path)> = vec![
        (vec![s(&csv)], &csv),                         // the input itself
        (vec![s(&dir)], &csv),                         // an input found in a folder
        (vec![s(&csv), "--sensors", s(&yaml)], &yaml), // sensors.yaml
        (vec![s(&temp)], &hum),                        // the humidity file read with it
    ];
    if cfg!(unix) {
        cases.push((vec![s(&link)], &csv)); // through a link
        cases.push((vec![s(&csv)], &link));
    }
    for (args, out) in cases {
        let o = std::process::Command::new(BIN)
            .args(["sensors", "summarize"])
            .args(&args)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?} --out {out:?}: {err}");
        assert!(err.contains("--out names a file this run reads"), "{err}");
        assert!(err.contains("nothing was written"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        raw,
        "raw data untouched"
    );
    assert_eq!(std::fs::read(&hum).unwrap(), hum_before);
    assert!(temp_files(&dir).is_empty() && temp_files(&d2r).is_empty());
    // A folder is refused too.
    let r = std::process::Command::new(BIN)
        .args(["sensors", "summarize", s(&csv), "--out", s(&d2r)])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("--out names a folder"));
}

#[test]
fn out_naming_a_device_or_pipe_is_refused() {
    // Renaming the new summary over `/dev/null` (as root) replaced the
    // device with a regular file.
    let dir = scratch("out-special");
    let csv = write(&dir, "raw.csv", &format!("{HEADER}{}", rows(0..48)));
    let mut targets = vec![PathBuf::from("/dev/null")];
    #[cfg(unix)]
    {
        let fifo = dir.join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        targets.push(fifo);
    }
    for out in targets {
        let before = std::fs::symlink_metadata(&out).unwrap().file_type();
        let o = std::process::Command::new(BIN)
            .args(["sensors", "summarize", s(&csv), "--out", s(&out)])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{out:?}: {err}");
        assert!(
            err.contains("--out names a device, pipe or socket"),
            "{err}"
        );
        let after = std::fs::symlink_metadata(&out).unwrap().file_type();
        assert_eq!(before, after, "{out:?} is what it was");
        assert!(!after.is_file());
    }
    assert!(temp_files(&dir).is_empty());
}

#[test]
fn a_run_without_valid_readings_keeps_the_existing_summary() {
    // A wrong --format read nothing and replaced a good summary with an
    // empty one, exiting 0.
    let dir = scratch("keep-summary");
    let input = fixture(FRIEDENSPLATZ);
    let good = summarize(&dir, &[s(&input)]);
    assert!(good.ok, "{}", good.stderr);
    let out = good.out.clone();
    let before = std::fs::read(&out).unwrap();
    let o = std::process::Command::new(BIN)
        .args([
            "sensors",
            "summarize",
            s(&input),
            "--format",
            "element",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("no valid readings at all"), "{err}");
    assert!(err.contains("is kept as it was"), "{err}");
    assert!(err.contains("unparseable"), "the problems are shown: {err}");
    assert_eq!(std::fs::read(&out).unwrap(), before, "summary unchanged");
    assert!(temp_files(&dir).is_empty());
}

#[test]
fn year_0000_is_rejected() {
    let dir = scratch("year0");
    let csv = write(
        &dir,
        "y0.csv",
        &format!("{HEADER}S,0000-06-15T12:00:00Z,20.0,50\nS,2021-07-10T12:00:00Z,21.0,50\n"),
    );
    let dwd = write(
        &dir,
        "produkt_tu_stunde_0.txt",
        "STATIONS_ID;MESS_DATUM;QN_9;TT_TU;RF_TU;eor\n  320;0000061512;    3;  20.0;  50.0;eor\n  320;2021071012;    3;  21.0;  50.0;eor\n",
    );
    for p in [csv, dwd] {
        let r = summarize(&dir, &[s(&p)]);
        assert!(r.ok, "{}", r.stderr);
        let sm = r.summary.unwrap();
        let q = sm.sensors[0].quality;
        assert_eq!((q.valid, q.unparseable), (1, 1), "{p:?}");
        assert!(
            sm.problems[0]
                .message
                .contains("timestamp 0000-06-15T12:00:00Z is outside the accepted range 1850-01-01 … 2100-12-31 (UTC)"),
            "{:?}",
            sm.problems
        );
        assert_eq!(sm.problems[0].line, 2);
    }
}

#[test]
fn a_reading_on_9999_12_31_is_rejected_not_lost() {
    let dir = scratch("year9999");
    let p = write(
        &dir,
        "edge.csv",
        &format!(
            "{HEADER}S,9999-12-31T12:00:00Z,25.0,50\n\
             S,1849-12-31T23:59:59Z,10.0,50\n\
             S,1850-01-01T00:00:00Z,10.5,50\n\
             S,2100-12-31T23:59:59Z,11.0,50\n\
             S,2101-01-01T00:00:00Z,11.5,50\n"
        ),
    );
    let r = summarize(&dir, &[s(&p), "--tz", "UTC"]);
    assert!(r.ok, "{}", r.stderr);
    let sm = r.summary.unwrap();
    let x = &sm.sensors[0];
    assert_eq!((x.quality.valid, x.quality.unparseable), (2, 3));
    let days: Vec<&str> = x.days.iter().map(|d| d.date()).collect();
    assert_eq!(
        days,
        ["1850-01-01", "2100-12-31"],
        "every valid reading has its day"
    );
    let counted: u32 = x.days.iter().map(|d| d.6).sum();
    assert_eq!(u64::from(counted), x.quality.valid);
    let bad: Vec<u64> = sm
        .problems
        .iter()
        .filter(|p| p.message.contains("outside the accepted range"))
        .map(|p| p.line)
        .collect();
    assert_eq!(bad, [2, 3, 6]);
}

#[test]
fn summary_is_replaced_atomically() {
    let dir = scratch("atomic");
    let good = write(&dir, "good.csv", &format!("{HEADER}{}", rows(0..48)));
    let r = summarize(&dir, &[s(&good)]);
    assert!(r.ok, "{}", r.stderr);
    let before = std::fs::read(&r.out).unwrap();
    // A failing run leaves the previous summary as it was and no temporary file.
    let garbage = write(&dir, "garbage.bin", "%PDF-1.4\n");
    let o = std::process::Command::new(BIN)
        .args(["sensors", "summarize", s(&garbage), "--out", s(&r.out)])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&r.out).unwrap(), before);
    assert!(temp_files(&dir).is_empty());
    // When the final rename fails, the temporary file is removed again.
    let summary = drehbuch_sensors::Summary::load(&r.out).unwrap();
    let blocked = dir.join("blocked");
    std::fs::create_dir_all(blocked.join("inside")).unwrap();
    let e = summary.write_atomic(&blocked).unwrap_err();
    assert!(e.to_string().contains("blocked"), "{e}");
    assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
    // Two writers in one process get different temporary files.
    std::thread::scope(|sc| {
        for i in 0..4 {
            let (summary, dir) = (&summary, &dir);
            sc.spawn(move || {
                summary
                    .write_atomic(&dir.join(format!("s{i}.json")))
                    .unwrap()
            });
        }
    });
    for i in 0..4 {
        assert_eq!(
            std::fs::read(dir.join(format!("s{i}.json"))).unwrap(),
            before
        );
    }
    assert!(temp_files(&dir).is_empty());
}

/// Killing a run never leaves a half-written summary: the old one stays until
/// the new one is complete. The kill lands while the new summary is being
/// written: the run is stopped (SIGSTOP) as soon as a new file appears
/// beside the summary, and killed only if that file is still there, so the
/// rename has not happened; a run that finishes first is tried again, a
/// few times, and the test fails rather than pass without such a kill.
#[cfg(unix)]
#[test]
fn killed_run_leaves_the_previous_summary_intact() {
    let dir = scratch("kill");
    let good = write(&dir, "good.csv", &format!("{HEADER}{}", rows(0..48)));
    let r = summarize(&dir, &[s(&good)]);
    assert!(r.ok, "{}", r.stderr);
    let before = std::fs::read(&r.out).unwrap();
    let big = write(&dir, "big.csv", &format!("{HEADER}{}", rows(0..200_000)));
    let names = || -> std::collections::BTreeSet<String> {
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let known = names();
    let mut attempts = 0;
    let partial = loop {
        let mut child = std::process::Command::new(BIN)
            .args(["sensors", "summarize", s(&big), "--out", s(&r.out), "-q"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id() as libc::pid_t;
        let new_file = || names().difference(&known).next().cloned();
        let caught = loop {
            if child.try_wait().unwrap().is_some() {
                break None;
            }
            if new_file().is_some() {
                // SAFETY: `pid` is our own child, which has not been reaped.
                unsafe { libc::kill(pid, libc::SIGSTOP) };
                break new_file();
            }
        };
        let _ = child.kill();
        let _ = child.wait();
        if let Some(name) = caught {
            let after = std::fs::read(&r.out).unwrap();
            if after == before {
                break name;
            }
            // The stop came just after the finished summary had replaced
            // the old one (between seeing its temporary file and stopping
            // the process): then the new summary must be whole. Try again.
            let summary: serde_json::Value =
                serde_json::from_slice(&after).expect("the old summary or a whole new one");
            assert_eq!(summary["inputs"][0]["records"], 200_000, "a whole summary");
        }
        attempts += 1;
        assert!(attempts < 5, "no kill landed mid-write in {attempts} runs");
        std::fs::write(&r.out, &before).unwrap();
    };
    assert_eq!(
        std::fs::read(&r.out).unwrap(),
        before,
        "the summary is the old one, byte for byte"
    );
    // What the killed run was writing is left beside it, never in its place.
    assert!(dir.join(&partial).exists(), "{partial}");
    assert_ne!(dir.join(&partial), r.out);
}
