//! Meaning of the numbers: DST days, fault classes, coverage and threshold
//! boundaries, empty and garbage inputs, reproducibility, robustness.

mod sensors_common;
use sensors_common::*;

use jiff::{SignedDuration, Timestamp};

/// CSV rows: `n` readings of `sensor` every `step_min` minutes from `start` (UTC), values from `f(i)`.
fn rows(sensor: &str, start: &str, n: usize, step_min: i64, f: impl Fn(usize) -> f64) -> String {
    let t0: Timestamp = start.parse().unwrap();
    (0..n)
        .map(|i| {
            let t = t0 + SignedDuration::from_mins(step_min * i as i64);
            format!("{sensor},{},{:.1},60\n", t, f(i))
        })
        .collect()
}

const HEADER: &str = "sensor_id,timestamp,temperature_c,humidity_pct\n";

#[test]
fn dst_days_have_23_and_25_hours() {
    let dir = scratch("dst");
    // Europe/Berlin: 2021-03-28 starts 2021-03-27T23:00Z (23 h); 2021-10-31 starts 2021-10-30T22:00Z (25 h).
    let csv = format!(
        "{HEADER}{}{}",
        rows("S", "2021-03-27T23:10:00Z", 23, 60, |i| 5.0
            + i as f64 * 0.1),
        rows("S", "2021-10-30T22:10:00Z", 25, 60, |i| 10.0
            + i as f64 * 0.1)
    );
    let p = write(&dir, "dst.csv", &csv);
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let x = s.sensor("S").unwrap();
    assert_eq!(x.interval_minutes, Some(60));
    let spring = x.days.iter().find(|d| d.date() == "2021-03-28").unwrap();
    let autumn = x.days.iter().find(|d| d.date() == "2021-10-31").unwrap();
    assert_eq!(
        (spring.6, spring.coverage()),
        (23, 1.0),
        "23 hourly readings fill the 23-hour day"
    );
    assert_eq!(
        (autumn.6, autumn.coverage()),
        (25, 1.0),
        "25 hourly readings fill the 25-hour day"
    );
    assert_eq!(x.days.len(), 2, "no reading spills into a neighbouring day");
    // In UTC the same readings straddle two days each.
    let r = summarize(&dir, &[p.to_str().unwrap(), "--tz", "UTC"]);
    assert_eq!(r.summary.unwrap().sensor("S").unwrap().days.len(), 4);
}

#[test]
fn coverage_boundary_exactly_80_percent() {
    let dir = scratch("cov");
    // 2021-10-31 (25 h): 20 of 25 hourly slots = exactly 80 % → complete; 19 → partial.
    let csv = format!(
        "{HEADER}{}{}",
        rows("A", "2021-10-30T22:00:00Z", 20, 60, |i| 27.0
            + i as f64 * 0.2),
        rows("B", "2021-10-30T22:00:00Z", 19, 60, |i| 27.0
            + i as f64 * 0.2)
    );
    let p = write(&dir, "cov.csv", &csv);
    let r = summarize(&dir, &[p.to_str().unwrap(), "--interval", "60"]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let a = &s.sensor("A").unwrap().days[0];
    let b = &s.sensor("B").unwrap().days[0];
    assert_eq!((a.coverage(), a.complete()), (0.8, true));
    assert_eq!((b.coverage(), b.complete()), (0.76, false));
    let ya = s.sensor("A").unwrap().year(2021).unwrap();
    let yb = s.sensor("B").unwrap().year(2021).unwrap();
    assert_eq!((ya.hot_days, ya.hot_days_partial), (1, 0));
    assert_eq!(
        (yb.hot_days, yb.hot_days_partial),
        (0, 1),
        "partial day over the threshold is a lower bound"
    );
    // --min-coverage 76 makes B complete
    let r = summarize(
        &dir,
        &[
            p.to_str().unwrap(),
            "--interval",
            "60",
            "--min-coverage",
            "76",
        ],
    );
    assert!(r.summary.unwrap().sensor("B").unwrap().days[0].complete());
}

#[test]
fn readings_seconds_apart_do_not_inflate_coverage() {
    let dir = scratch("burst");
    // 30-min sensor, 24 readings in the first half of the day, each sent twice 3 s apart.
    let t0: Timestamp = "2021-07-09T22:05:00Z".parse().unwrap();
    let mut csv = HEADER.to_string();
    for i in 0..24 {
        let t = t0 + SignedDuration::from_mins(30 * i);
        csv += &format!("S,{t},20.0,50\n");
        csv += &format!("S,{},20.1,50\n", t + SignedDuration::from_secs(3));
    }
    let p = write(&dir, "burst.csv", &csv);
    let s = summarize(&dir, &[p.to_str().unwrap()]).summary.unwrap();
    let x = s.sensor("S").unwrap();
    assert_eq!(
        x.interval_minutes,
        Some(30),
        "spacings under a minute are not an interval"
    );
    assert_eq!(x.days[0].coverage(), 0.5);
    assert_eq!(
        x.quality.valid, 48,
        "near-duplicates are valid readings, only exact same-second ones are duplicates"
    );
}

#[test]
fn threshold_exactly_30_and_above() {
    let dir = scratch("thr");
    let csv = format!(
        "{HEADER}{}",
        rows("S", "2021-07-09T22:00:00Z", 48, 30, |i| 30.0
            - (i as f64 - 30.0).abs() * 0.2)
    );
    let p = write(&dir, "thr.csv", &csv);
    let y = |args: &[&str]| {
        let mut a = vec![p.to_str().unwrap()];
        a.extend_from_slice(args);
        summarize(&dir, &a)
            .summary
            .unwrap()
            .sensor("S")
            .unwrap()
            .year(2021)
            .unwrap()
            .clone()
    };
    let ge = y(&[]);
    assert_eq!((ge.hot_days, ge.summer_days, ge.tropical_nights), (1, 1, 1));
    let gt = y(&["--above"]);
    assert_eq!((gt.hot_days, gt.summer_days), (0, 1));
    let custom = y(&["--hot-day", "29.5", "--tropical-night", "24.5"]);
    assert_eq!((custom.hot_days, custom.tropical_nights), (1, 0));
}

#[test]
fn every_fault_class_is_counted_with_line_numbers() {
    let dir = scratch("faults");
    let mut csv = HEADER.to_string();
    // day 1 (Berlin 2021-07-10), 30-min readings, gentle values
    let t0: Timestamp = "2021-07-09T22:00:00Z".parse().unwrap();
    let at = |i: i64| t0 + SignedDuration::from_mins(30 * i);
    for i in 0..48 {
        let v = 20.0 + (i % 7) as f64 * 0.3;
        let v = match i {
            10 => 85.0,    // out of range
            20 => v + 9.0, // spike
            _ => v,
        };
        csv += &format!("S,{},{v:.1},55\n", at(i));
        if i == 5 {
            csv += &format!("S,{},{v:.1},55\n", at(i)); // duplicate (line 8)
        }
    }
    // day 2: stuck at 18.3 for 8 hours (17 readings), then moving again
    for i in 48..96 {
        let v = if (60..77).contains(&i) {
            18.3
        } else {
            17.0 + (i % 5) as f64 * 0.2
        };
        csv += &format!("S,{},{v:.1},55\n", at(i));
    }
    csv += "S,yesterday,20.0,50\n";
    csv += &format!("S,{},twenty,50\n", at(200));
    csv += "this is not csv\n";
    csv += &format!("S,{},19.0,150\n", at(201)); // impossible humidity: dropped, temperature kept
    let p = write(&dir, "faults.csv", &csv);
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let q = s.sensor("S").unwrap().quality;
    assert_eq!(q.duplicate, 1);
    assert_eq!(q.out_of_range, 1);
    assert_eq!(q.spike, 1);
    assert_eq!(
        q.stuck, 16,
        "the first reading of the stuck run stays valid"
    );
    assert_eq!(q.unparseable, 2);
    assert_eq!(q.humidity_rejected, 1);
    assert_eq!(s.inputs[0].unparseable_unattributed, 1);
    assert_eq!(
        q.total() + 1,
        48 + 1 + 48 + 4,
        "every line is accounted for"
    );
    let find = |class: &str| {
        s.problems
            .iter()
            .filter(|p| p.class == class)
            .map(|p| p.line)
            .collect::<Vec<_>>()
    };
    assert_eq!(find("duplicate"), [8]);
    assert_eq!(find("out_of_range"), [13]);
    assert_eq!(find("spike"), [23]);
    assert_eq!(find("unparseable"), [99, 100, 101]);
    assert!(
        r.stderr.contains("faults.csv:99: unparseable:"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("Quality of readings"));
}

#[test]
fn naive_timestamps_need_input_tz() {
    let dir = scratch("naive");
    let p = write(
        &dir,
        "naive.csv",
        &format!("{HEADER}S,2021-07-10 14:00:00,31.0,40\nS,2021-07-10 14:30,31.5,40\n"),
    );
    let s = summarize(&dir, &[p.to_str().unwrap()]).summary.unwrap();
    assert_eq!(s.sensor("S").unwrap().quality.unparseable, 2);
    assert!(s.problems[0].message.contains("--input-tz"));
    let s = summarize(&dir, &[p.to_str().unwrap(), "--input-tz", "Europe/Berlin"])
        .summary
        .unwrap();
    let x = s.sensor("S").unwrap();
    assert_eq!(x.quality.valid, 2);
    assert_eq!(x.days[0].date(), "2021-07-10");
}

#[test]
fn empty_input() {
    let dir = scratch("empty");
    let p = write(&dir, "empty.csv", "");
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    assert!(s.sensors.is_empty());
    assert_eq!(s.inputs[0].format, "empty");
    assert!(r.stderr.contains("no valid readings"));
    // header only
    let p = write(&dir, "header.csv", HEADER);
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(r.ok && r.summary.unwrap().sensors.is_empty());
}

#[test]
fn garbage_only() {
    let dir = scratch("garbage");
    let p = write(
        &dir,
        "garbage.txt",
        "%PDF-1.4 not data\n\u{0}\u{1}\u{2}binary\nmore junk;;;\n",
    );
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(!r.ok);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("garbage.txt:1: cannot tell the format"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--format"));
    assert!(!r.out.exists(), "no output on failure");
    // forced as CSV: every line is counted as unparseable, nothing disappears
    let r = summarize(&dir, &[p.to_str().unwrap(), "--format", "csv"]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    assert_eq!(s.inputs[0].unparseable_unattributed, 3);
    assert_eq!(
        s.problems.iter().map(|p| p.line).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // as JSON formats
    for f in ["d2r", "element", "element-stream", "tts"] {
        let r = summarize(&dir, &[p.to_str().unwrap(), "--format", f]);
        assert!(r.ok, "{f}: {}", r.stderr);
        let s = r.summary.unwrap();
        let bad: u64 = s.inputs[0].unparseable_unattributed
            + s.sensors.iter().map(|x| x.quality.unparseable).sum::<u64>();
        assert!(bad >= 1, "{f}: garbage must be reported");
    }
}

#[test]
fn same_input_gives_byte_identical_output() {
    let dir = scratch("repro");
    let csv = format!(
        "{HEADER}{}{}",
        rows("B", "2021-07-09T22:00:00Z", 100, 30, |i| 20.0
            + (i % 13) as f64),
        rows("A", "2021-07-09T22:00:00Z", 100, 30, |i| 19.0
            + (i % 11) as f64)
    );
    let p = write(&dir, "r.csv", &csv);
    let r1 = summarize(&dir, &[p.to_str().unwrap()]);
    let a = std::fs::read(&r1.out).unwrap();
    let r2 = summarize(&dir, &[p.to_str().unwrap()]);
    let b = std::fs::read(&r2.out).unwrap();
    assert_eq!(a, b);
    let text = String::from_utf8(a).unwrap();
    assert!(text.starts_with("{\n  \"schema\": 1,"));
    assert_eq!(
        r1.summary.unwrap().sensor_ids(),
        ["A", "B"],
        "sorted by id without sensors.yaml"
    );
    // no temporary files left behind
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn out_of_order_input_is_sorted_per_sensor() {
    let dir = scratch("order");
    let fwd = rows("S", "2021-07-09T22:00:00Z", 48, 30, |i| {
        20.0 + (i % 9) as f64 * 0.5
    });
    let mut lines: Vec<&str> = fwd.lines().collect();
    lines.reverse();
    let p1 = write(&dir, "fwd.csv", &format!("{HEADER}{fwd}"));
    let p2 = write(&dir, "rev.csv", &format!("{HEADER}{}\n", lines.join("\n")));
    let a = summarize(&dir, &[p1.to_str().unwrap()]).summary.unwrap();
    let b = summarize(&dir, &[p2.to_str().unwrap()]).summary.unwrap();
    assert_eq!(a.sensors[0].days, b.sensors[0].days);
    assert_eq!(a.sensors[0].quality, b.sensors[0].quality);
}

#[test]
fn sensors_yaml_provenance_aliases_and_order() {
    let dir = scratch("yaml");
    let p = write(
        &dir,
        "d.csv",
        &format!(
            "{HEADER}{}{}",
            rows("dev-1", "2021-07-09T22:00:00Z", 48, 30, |i| 20.0
                + i as f64 * 0.125),
            rows("zz", "2021-07-09T22:00:00Z", 48, 30, |i| 15.0
                + i as f64 * 0.1)
        ),
    );
    let y = write(
        &dir,
        "sensors.yaml",
        r#"
provenance:
  source: Test
  licence: CC BY 4.0
  attribution: "Data: Test"
  unit: °C
  period: {from: 2021-07-01, to: 2021-07-31}
  thresholds: {hot_day: 25.5}
  synthetic: true
sensors:
  - id: HQ01
    aliases: [dev-1]
    name: {de: Speicherstraße, en: Speicher Street}
    location: {lat: 51.52, lon: 7.44}
    mounting: {side: sunny}
  - id: HQ02
    name: {de: Ohne Daten}
"#,
    );
    let r = summarize(
        &dir,
        &[p.to_str().unwrap(), "--sensors", y.to_str().unwrap()],
    );
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    assert_eq!(s.sensor_ids(), ["HQ01", "HQ02", "zz"]);
    assert!(s.provenance.synthetic);
    assert_eq!(s.thresholds.hot_day_c, 25.5);
    let hq = s.sensor("HQ01").unwrap();
    assert_eq!(hq.display_name("en"), "Speicher Street");
    let y = hq.year(2021).unwrap();
    assert_eq!((y.days_in_period, y.missing_days, y.hot_days), (31, 30, 1));
    assert!(s.sensor("HQ02").unwrap().years.is_empty());
    assert!(s.notes.iter().any(|n| n.contains("zz")));

    let bad = write(&dir, "bad.yaml", "sensors:\n  - id: A\n    colour: red\n");
    let r = summarize(
        &dir,
        &[p.to_str().unwrap(), "--sensors", bad.to_str().unwrap()],
    );
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("bad.yaml:3"), "{}", r.stderr);
}

#[test]
fn schema_version_is_checked() {
    let dir = scratch("schema");
    let p = write(&dir, "s.json", "{\"schema\": 99}");
    let e = drehbuch_sensors::Summary::load(&p).unwrap_err();
    assert!(e.to_string().contains("schema 99"), "{e}");
    let p = write(&dir, "t.json", "{\"hello\": 1}");
    assert!(drehbuch_sensors::Summary::load(&p).is_err());
}

/// Fuzz-ish: random bytes and mangled real records never crash the run.
#[test]
fn random_garbage_never_panics() {
    let dir = scratch("fuzz");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let real = std::fs::read(fixture(
        "friedensplatz/DEC005476_240810_240831_air_temperature.json",
    ))
    .unwrap();
    let csv_line = b"S,2021-07-10T12:00:00+02:00,21.5,50\n";
    for round in 0..12 {
        let mut buf = Vec::new();
        match round % 3 {
            0 => (0..4000).for_each(|_| buf.push((next() & 0xff) as u8)),
            1 => {
                buf.extend_from_slice(&real[..20_000]);
                for _ in 0..200 {
                    let i = (next() as usize) % buf.len();
                    let pool = b"{}[],:\"\\0123456789.-eE \n";
                    buf[i] = pool[(next() as usize) % pool.len()];
                }
            }
            _ => {
                buf.extend_from_slice(HEADER.as_bytes());
                for _ in 0..300 {
                    let mut l = csv_line.to_vec();
                    let i = (next() as usize) % (l.len() - 1);
                    l[i] = (next() & 0xff) as u8;
                    buf.extend_from_slice(&l);
                }
            }
        }
        let p = dir.join(format!("fuzz{round}.bin"));
        std::fs::write(&p, &buf).unwrap();
        for f in [
            "csv",
            "d2r",
            "element",
            "element-stream",
            "tts",
            "dwd",
            "dwd-cdc",
        ] {
            let r = summarize(&dir, &[p.to_str().unwrap(), "--format", f]);
            assert!(r.ok, "round {round} as {f}: {}", r.stderr);
            assert!(!r.stderr.contains("panicked"));
        }
    }
}

/// A day of hourly readings written with the UTC offset `offset`
/// (`+03:00`), from local midnight of 2024-07-01.
fn local_day(offset: &str) -> String {
    let mut csv = HEADER.to_string();
    for h in 0..24 {
        csv.push_str(&format!(
            "S,2024-07-01T{h:02}:00:00{offset},{}.5,60\n",
            18 + h % 12
        ));
    }
    csv
}

#[test]
fn the_time_zone_comes_from_sensors_yaml_the_tz_flag_overrides_it_and_the_default_is_said() {
    let dir = scratch("tz-yaml");
    let p = write(&dir, "day.csv", &local_day("+03:00"));
    let input = p.to_str().unwrap();
    // Neither: Europe/Berlin, and the run says so.
    let r = summarize(&dir, &[input]);
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(r.summary.unwrap().time_zone, "Europe/Berlin");
    assert!(
        r.stderr.contains(
            "note: calendar days are counted in Europe/Berlin, the default; give `time_zone:` in sensors.yaml or --tz"
        ),
        "{}",
        r.stderr
    );
    // sensors.yaml names it.
    let yaml = write(&dir, "sensors.yaml", "time_zone: Europe/Bucharest\n");
    let yaml = yaml.to_str().unwrap();
    let r = summarize(&dir, &[input, "--sensors", yaml]);
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(r.summary.unwrap().time_zone, "Europe/Bucharest");
    assert!(!r.stderr.contains("the default"), "{}", r.stderr);
    // --tz wins over it.
    let r = summarize(&dir, &[input, "--sensors", yaml, "--tz", "UTC"]);
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(r.summary.unwrap().time_zone, "UTC");
    // A zone that does not exist is an error naming the file.
    let bad = write(&dir, "bad.yaml", "time_zone: Europe/Klausenburg\n");
    let r = summarize(&dir, &[input, "--sensors", bad.to_str().unwrap()]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains("bad.yaml") && r.stderr.contains("Europe/Klausenburg"),
        "{}",
        r.stderr
    );
}

#[test]
fn utc_offsets_that_disagree_with_the_time_zone_are_warned_about() {
    let dir = scratch("tz-offsets");
    let p = write(&dir, "day.csv", &local_day("+03:00"));
    let input = p.to_str().unwrap();
    let r = summarize(&dir, &[input, "--tz", "Europe/Berlin"]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "note: 24 timestamps of the input carry the UTC offset +03:00, but Europe/Berlin is at +02:00 then, so their calendar days may be shifted"
        ),
        "{}",
        r.stderr
    );
    let r = summarize(&dir, &[input, "--tz", "Europe/Bucharest"]);
    assert!(r.ok, "{}", r.stderr);
    assert!(!r.stderr.contains("UTC offset"), "{}", r.stderr);
    // Offsets of UTC itself (`Z`) say nothing about where the sensor is.
    let utc = write(&dir, "utc.csv", &local_day("Z"));
    let r = summarize(&dir, &[utc.to_str().unwrap(), "--tz", "Europe/Bucharest"]);
    assert!(!r.stderr.contains("UTC offset"), "{}", r.stderr);
}

#[test]
fn without_out_the_summary_goes_next_to_sensors_yaml_where_charts_read_it() {
    let site = scratch("default-out");
    let folder = site.join("data/sensors/cluj");
    std::fs::create_dir_all(&folder).unwrap();
    write(&folder, "sensors.yaml", "time_zone: Europe/Bucharest\n");
    let input = write(&site, "day.csv", &local_day("+03:00"));
    let o = std::process::Command::new(BIN)
        .current_dir(&site)
        .args(["sensors", "summarize"])
        .arg(&input)
        .args([
            "--sensors",
            "data/sensors/cluj/sensors.yaml",
            "--progress",
            "never",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let written = folder.join("summary.json");
    assert!(written.is_file(), "{stderr}");
    assert!(!site.join("summary.json").exists());
    assert!(
        stderr.contains(
            "wrote data/sensors/cluj/summary.json; a chart shows it as {{ hot_days(year=2024, dataset=\"cluj\") }} in a page"
        ),
        "{stderr}"
    );
}
