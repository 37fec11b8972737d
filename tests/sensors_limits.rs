//! Bounded memory on hostile inputs: each test builds a small file that
//! expands enormously (generated on the fly, see `sensors_common::hostile`),
//! runs the real binary under a virtual-memory limit and expects a clean
//! error or a correct result, never an abort or a signal. Before the limits,
//! every one of these ran out of memory.

mod sensors_common;
use sensors_common::hostile::{gzip_bomb, zip_bomb};
use sensors_common::*;

/// Peak memory allowed for a run (KiB). The binary needs well under
/// 100 MiB for these inputs; without the limits each needed gigabytes.
const LIMIT_KIB: u64 = 128 * 1024;

const HEADER: &str = "sensor_id,timestamp,temperature_c,humidity_pct\n";

/// A clean end: an exit status, no signal, no panic, no allocation failure.
fn assert_clean(r: &Run) {
    assert_eq!(r.signal, None, "killed by a signal: {}", r.stderr);
    assert!(r.code == Some(0) || r.code == Some(2), "{:?}", r.code);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(!r.stderr.contains("memory allocation"), "{}", r.stderr);
}

/// A 4 MB zip whose CSV member is one 4 GiB line.
#[test]
fn zip_expanding_to_4_gib_without_a_newline_stops_at_1_mib() {
    let dir = scratch("bomb-line");
    let zip = dir.join("download.zip");
    let e = zip_bomb(
        &zip,
        "readings.csv",
        b"sensor_id,timestamp,temperature_c,humidity_pct,",
        &vec![b'A'; 1 << 20],
        4095,
    );
    assert!(e.size > 4_290_000_000 && e.compressed < 5_000_000);
    let r = summarize_limited(&dir, &[zip.to_str().unwrap()], LIMIT_KIB);
    assert_clean(&r);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(
            "download.zip/readings.csv:1: a line is longer than 1 MiB; is this really a CSV file?"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    assert!(!r.out.exists(), "nothing written");
}

/// A zip of one reading repeated 1.3 million times: every repeat is a duplicate,
/// and the reorder window does not grow with them.
#[test]
fn zip_of_repeated_lines_is_counted_in_bounded_memory() {
    let dir = scratch("bomb-repeat");
    let zip = dir.join("repeated.zip");
    let line = b"S1,2024-06-01T12:00:00Z,20.5,50\n";
    let chunk = line.repeat((1 << 20) / line.len());
    let reps = 40;
    zip_bomb(&zip, "readings.csv", HEADER.as_bytes(), &chunk, reps);
    let lines = (chunk.len() / line.len()) as u64 * reps;
    let r = summarize_limited(&dir, &[zip.to_str().unwrap()], LIMIT_KIB);
    assert_clean(&r);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let x = s.sensor("S1").unwrap();
    assert_eq!((x.quality.valid, x.quality.duplicate), (1, lines - 1));
    assert_eq!(x.quality.total(), lines, "every line is accounted for");
    assert_eq!(x.days.len(), 1);
    assert_eq!(x.days[0].6, 1, "the day has one reading, not {lines}");
    assert!(
        r.stderr.contains("readings.csv:3: duplicate:"),
        "{}",
        r.stderr
    );
}

/// A gzipped Data2Resilience file whose string never ends (4 GiB).
#[test]
fn gzipped_json_with_an_unterminated_string_stops_at_1_mib() {
    let dir = scratch("bomb-json");
    let gz = dir.join("DEC1_air_temperature.json.gz");
    gzip_bomb(
        &gz,
        br#"{"data": [{"measured_at": "2024-08-10T00:00:00Z", "air_temperature": ""#,
        &vec![b'A'; 1 << 20],
        4095,
    );
    let r = summarize_limited(&dir, &[gz.to_str().unwrap()], LIMIT_KIB);
    assert_clean(&r);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(
            "DEC1_air_temperature.json.gz:1: a JSON string is longer than 1 MiB (an unterminated string?)"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.out.exists());
}

/// A JSON record that is not a string but still endless (an array that never closes).
#[test]
fn json_record_longer_than_1_mib_is_refused() {
    let dir = scratch("bomb-record");
    let gz = dir.join("readings_DEC2.json.gz");
    gzip_bomb(
        &gz,
        b"{\"ok\": true,\n\"body\": [\n{\"data\": [",
        &b"1,".repeat(1 << 19),
        200,
    );
    let r = summarize_limited(
        &dir,
        &[gz.to_str().unwrap(), "--format", "element"],
        LIMIT_KIB,
    );
    assert_clean(&r);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("readings_DEC2.json.gz:3: a JSON record is longer than 1 MiB"),
        "{}",
        r.stderr
    );
}

/// Line limits hold for every line-based format, also in plain files.
#[test]
fn every_line_format_caps_its_lines() {
    let dir = scratch("long-lines");
    let long = "x".repeat((1 << 20) + 10);
    let cases = [
        (
            "a.csv",
            format!("{HEADER}S,2024-06-01T12:00:00Z,20.5,50\n{long}\n"),
            "csv",
            "a.csv:3: a line is longer than 1 MiB; is this really a CSV file?",
        ),
        (
            "b.jsonl",
            format!("{{\"end_device_ids\": {{\"device_id\": \"d\"}}}}\n{long}"),
            "tts",
            "b.jsonl:2: a line is longer than 1 MiB; is this really a JSON-lines file?",
        ),
        (
            "c.txt",
            format!("{{\"measured_at\": \"2024-06-01T12:00:00Z\"}}\n{long}"),
            "element-stream",
            "c.txt:2: a line is longer",
        ),
        (
            "produkt_tu_stunde_x.txt",
            format!("STATIONS_ID;MESS_DATUM;QN_9;TT_TU;RF_TU;eor\n{long}"),
            "dwd",
            "produkt_tu_stunde_x.txt:2: a line is longer than 1 MiB; is this really a DWD station product?",
        ),
        (
            "d.csv",
            format!("\"Produkt_Code\",\"SDO_ID\",\"Zeitstempel\",\"Wert\"\n{long}"),
            "dwd-cdc",
            "d.csv:2: a line is longer",
        ),
    ];
    for (name, content, format, expected) in cases {
        let p = write(&dir, name, &content);
        let r = summarize_limited(&dir, &[p.to_str().unwrap(), "--format", format], LIMIT_KIB);
        assert_clean(&r);
        assert_eq!(r.code, Some(2), "{format}: {}", r.stderr);
        assert!(r.stderr.contains(expected), "{format}: {}", r.stderr);
    }
}

/// Two readings per sensor, in the years 0001 and 9999, for 100 sensors: 8.6 KB
/// of input once made a 394 MB summary. Both years are outside the accepted range.
#[test]
fn readings_in_years_0001_and_9999_are_rejected_and_the_summary_stays_small() {
    let dir = scratch("far-years");
    let mut csv = HEADER.to_string();
    for i in 0..100 {
        csv += &format!("S{i:03},0001-06-15T12:00:00.000Z,21.5,55.0\n");
        csv += &format!("S{i:03},9999-06-15T12:00:00.000Z,21.5,55.0\n");
    }
    assert!(csv.len() > 8_000 && csv.len() < 9_000);
    let p = write(&dir, "far.csv", &csv);
    let r = summarize_limited(&dir, &[p.to_str().unwrap()], LIMIT_KIB);
    assert_clean(&r);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    assert_eq!(s.sensors.len(), 100);
    for x in &s.sensors {
        assert_eq!((x.quality.valid, x.quality.unparseable), (0, 2), "{}", x.id);
        assert!(x.years.is_empty() && x.days.is_empty());
    }
    assert!(s.problems[0].message.contains(
        "timestamp 0001-06-15T12:00:00Z is outside the accepted range 1850-01-01 … 2100-12-31"
    ));
    let bytes = std::fs::metadata(&r.out).unwrap().len();
    assert!(bytes < 100_000, "summary of {bytes} bytes");
}

/// The same within the accepted range: the first and the last possible day.
/// The summary lists years and days with data, not the 251 years between.
#[test]
fn summary_size_follows_the_days_with_data_not_the_span() {
    let dir = scratch("span");
    let mut csv = HEADER.to_string();
    for i in 0..100 {
        csv += &format!("S{i:03},1850-01-01T12:00:00Z,1.5,55.0\n");
        csv += &format!("S{i:03},2100-12-31T12:00:00Z,2.5,55.0\n");
    }
    let p = write(&dir, "span.csv", &csv);
    let r = summarize_limited(&dir, &[p.to_str().unwrap(), "--tz", "UTC"], LIMIT_KIB);
    assert_clean(&r);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let x = s.sensor("S042").unwrap();
    assert_eq!(x.quality.valid, 2);
    let years: Vec<i32> = x.years.iter().map(|y| y.year).collect();
    assert_eq!(years, [1850, 2100]);
    assert_eq!(x.years[0].days_in_period, 365);
    assert_eq!(x.years[1].missing_days, 364);
    assert_eq!(
        x.days.iter().map(|d| d.date()).collect::<Vec<_>>(),
        ["1850-01-01", "2100-12-31"]
    );
    let bytes = std::fs::metadata(&r.out).unwrap().len();
    assert!(bytes < 200_000, "summary of {bytes} bytes");
}

/// More readings inside 6 hours than the reorder window holds (one per second,
/// newest first): the window stays bounded, and every reading still counts once.
#[test]
fn reorder_window_is_bounded_in_readings() {
    let dir = scratch("window");
    let t0 = 1_717_200_000i64; // 2024-06-01T00:00:00Z
    let n = 25_000i64;
    let mut csv = HEADER.to_string();
    for i in (0..n).rev() {
        let t = jiff::Timestamp::from_second(t0 + i).unwrap();
        csv += &format!("S,{t},{:.1},50\n", 15.0 + (i % 7) as f64 * 0.1);
    }
    let p = write(&dir, "newest-first.csv", &csv);
    let r = summarize_limited(&dir, &[p.to_str().unwrap(), "--tz", "UTC"], LIMIT_KIB);
    assert_clean(&r);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let x = s.sensor("S").unwrap();
    assert_eq!(x.quality.valid, n as u64);
    assert_eq!(x.days[0].6, n as u32);
    assert!(
        s.notes
            .iter()
            .any(|n| n.contains("out of time order for the reorder window (6 h or 10000 readings)")),
        "{:?}",
        s.notes
    );
}
