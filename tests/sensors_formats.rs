//! Every input format, on real files where they exist (see tests/sensors/README.md).

mod sensors_common;
use sensors_common::*;

#[test]
fn friedensplatz_d2r_five_hot_days() {
    let dir = scratch("fp");
    let input = fixture("friedensplatz/DEC005476_240810_240831_air_temperature.json");
    let r = summarize(&dir, &[input.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let fp = s.sensor("DEC005476").expect("sensor id from the file name");
    let y = fp.year(2024).unwrap();
    assert_eq!(y.hot_days, 5, "{y:?}");
    assert_eq!(y.hot_days_partial, 0);
    assert_eq!(
        hot_dates(&s, "DEC005476", 2024, 30.0),
        [
            "2024-08-12",
            "2024-08-13",
            "2024-08-24",
            "2024-08-28",
            "2024-08-29"
        ]
    );
    let max = y.max.as_ref().unwrap();
    assert_eq!((max.value, max.date.as_str()), (34.5, "2024-08-13"));
    // all 5,196 records are readings; none is lost
    assert_eq!(fp.quality.total(), 5196);
    // the humidity sibling was found, joined and listed with its checksum
    assert!(
        s.inputs
            .iter()
            .any(|i| i.file.ends_with("_relative_humidity.json")
                && i.sha256 == "93efdfc3b511a763f98a02efaf3beca02d615c6bbcf23e5b66b93d6f2c336b55")
    );
    assert_eq!(
        s.inputs[0].sha256,
        "0b524360c1362c022fb08dda3c7e985d2476e69225fceb41a1498954ad5f62db"
    );
    // irregular 5/10-minute spacing: every day from 08-11 to 08-31 is complete
    let complete = fp.days.iter().filter(|d| d.complete()).count();
    assert!(complete >= 21, "complete days: {complete}");
    // the same with UTC days (the reference computation)
    let r = summarize(&dir, &[input.to_str().unwrap(), "--tz", "UTC"]);
    assert_eq!(
        r.summary
            .unwrap()
            .sensor("DEC005476")
            .unwrap()
            .year(2024)
            .unwrap()
            .hot_days,
        5
    );
}

#[test]
fn friedensplatz_both_files_given() {
    let dir = scratch("fp2");
    let t = fixture("friedensplatz/DEC005476_240810_240831_air_temperature.json");
    let h = fixture("friedensplatz/DEC005476_240810_240831_relative_humidity.json");
    let r = summarize(&dir, &[h.to_str().unwrap(), t.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    assert_eq!(
        s.sensors.len(),
        1,
        "the humidity file is joined, not a second sensor"
    );
    assert_eq!(s.inputs.len(), 2);
    assert_eq!(
        s.sensor("DEC005476").unwrap().year(2024).unwrap().hot_days,
        5
    );
}

#[test]
fn dwd_cdc_wuerzburg_2021_three_hot_days() {
    let zip = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/sensors/dwd-wuerzburg/cdc_download_2021-09-09_09-30.zip");
    assert!(
        zip.exists(),
        "{} is missing: it is part of the example data (data/sensors/dwd-wuerzburg)",
        zip.display()
    );
    let dir = scratch("cdc");
    let r = summarize(&dir, &[zip.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let w = s.sensor("5705").expect("Würzburg SDO_ID");
    assert_eq!(w.display_name("de"), "Würzburg");
    let y = w.year(2021).unwrap();
    assert_eq!(y.hot_days, 3, "{y:?}");
    assert_eq!(
        hot_dates(&s, "5705", 2021, 30.0),
        ["2021-06-17", "2021-06-18", "2021-06-19"]
    );
    assert_eq!(s.sensor("2600").unwrap().display_name("en"), "Kitzingen");
    assert_eq!(w.years.first().unwrap().year, 1948);
    assert_eq!(w.interval_minutes, Some(60));
    let loc = w.location.as_ref().unwrap();
    assert!((loc.lat - 49.7704).abs() < 1e-6 && (loc.lon - 9.9576).abs() < 1e-6);
}

#[test]
fn dwd_station_zip_product_and_metadata() {
    let dir = scratch("dwd");
    let r = summarize(
        &dir,
        &[
            fixture("dwd/observations_recent_TU_akt.zip")
                .to_str()
                .unwrap(),
            "--tz",
            "UTC",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let st = s.sensor("320").unwrap();
    assert_eq!(st.display_name("de"), "Heinersreuth-Vollhof");
    assert_eq!(st.quality.valid, 10);
    let d = &st.days[0];
    assert_eq!(d.date(), "2018-09-15");
    assert_eq!((d.min(), d.max()), (12.9, 13.9));
    assert!(
        s.inputs[0]
            .format
            .contains("produkt_tu_stunde_20180915_20200317_00320.txt")
    );
}

#[test]
fn dwd_product_plain_latin1_crlf_missing_values() {
    let dir = scratch("dwdplain");
    let txt = b"STATIONS_ID;MESS_DATUM;QN_9;TT_TU;RF_TU;eor\r\n\
        \x20      5705;2021061712;    3;  31.4;  30.0;eor\r\n\
        \x20      5705;2021061713;    3;-999.0;-999.0;eor\r\n\
        \x20      5705;2021061714;    3;  32.0;-999.0;eor\r\n\
        \x20      5705;20210617xx;    3;  32.0;  20.0;eor\r\n";
    let p = dir.join("produkt_tu_stunde_20210617_20210617_05705.txt");
    std::fs::write(&p, txt).unwrap();
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let q = s.sensor("5705").unwrap().quality;
    assert_eq!((q.valid, q.missing_value, q.unparseable), (2, 1, 1));
    assert!(
        s.problems
            .iter()
            .any(|p| p.line == 5 && p.message.contains("MESS_DATUM")),
        "{:?}",
        s.problems
    );
}

#[test]
fn element_paged_and_streamed() {
    let dir = scratch("element");
    let paged = fixture("element/readings_DEC0054A6_short.json");
    let streamed = fixture("element/readings_DEC0054A6_short_streamed.txt");
    let other = fixture("element/readings_DEC0054B0.json");
    let r = summarize(&dir, &[paged.to_str().unwrap(), other.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let a6 = s.sensor("DEC0054A6").unwrap();
    assert_eq!(a6.quality.valid, 2);
    assert_eq!(a6.days[0].max(), 37.2); // 37.200732433051044 rounded to 2 decimals
    assert_eq!(s.sensor("DEC0054B0").unwrap().quality.valid, 1);
    assert_eq!(s.inputs[0].format, "element");
    // the streamed form gives the same readings; together with the paged form they are duplicates
    let r = summarize(&dir, &[streamed.to_str().unwrap()]);
    assert_eq!(
        r.summary.as_ref().unwrap().inputs[0].format,
        "element-stream"
    );
    assert_eq!(
        r.summary
            .unwrap()
            .sensor("DEC0054A6")
            .unwrap()
            .quality
            .valid,
        2
    );
    let r = summarize(&dir, &[paged.to_str().unwrap(), streamed.to_str().unwrap()]);
    let q = r.summary.unwrap().sensor("DEC0054A6").unwrap().quality;
    assert_eq!((q.valid, q.duplicate), (2, 2));
    // --sensor overrides the name taken from the file
    let r = summarize(&dir, &[paged.to_str().unwrap(), "--sensor", "DOTWFH"]);
    assert!(r.summary.unwrap().sensor("DOTWFH").is_some());
}

#[test]
fn tts_uplinks_with_omitted_fields() {
    let dir = scratch("tts");
    let r = summarize(&dir, &[fixture("tts/uplinks.jsonl").to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    assert_eq!(s.inputs[0].format, "tts");
    let q1 = s.sensor("hq-01").unwrap().quality;
    assert_eq!(
        (q1.valid, q1.unparseable),
        (2, 1),
        "one uplink without decoded_payload"
    );
    let q2 = s.sensor("hq-02").unwrap().quality;
    assert_eq!(
        (q2.valid, q2.unparseable),
        (1, 1),
        "Decentlab {{value}} object + storage-API wrapper; one without temperature"
    );
    assert_eq!(s.sensor("hq-02").unwrap().days[0].max(), 31.2);
    let q3 = s.sensor("hq-03").unwrap().quality;
    assert_eq!(
        (q3.unparseable, q3.missing_value),
        (1, 1),
        "join-accept is not an uplink; empty payload is a missing value"
    );
    assert_eq!(
        s.inputs[0].unparseable_unattributed, 1,
        "the truncated last line"
    );
    let lines: Vec<u64> = s.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4, 5, 8]);
    assert!(
        s.problems[0]
            .message
            .contains("fields present: humidity, battery")
    );
}

#[test]
fn tts_custom_field_names() {
    let dir = scratch("tts2");
    let f = fixture("tts/dragino.jsonl");
    let r = summarize(
        &dir,
        &[
            f.to_str().unwrap(),
            "--tts-temperature-field",
            "TempC_SHT",
            "--tts-humidity-field",
            "Hum_SHT",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let x = s.sensor("lht-7").unwrap();
    assert_eq!(x.quality.valid, 2);
    assert_eq!(x.days[0].max(), 28.9);
    let r = summarize(
        &dir,
        &[f.to_str().unwrap(), "--tts-temperature-field", "nope"],
    );
    let s = r.summary.unwrap();
    assert_eq!(s.sensor("lht-7").unwrap().quality.unparseable, 2);
    assert!(
        s.problems[0].message.contains("TempC_SHT"),
        "lists the fields that exist"
    );
}

#[test]
fn gzip_input_gives_the_same_days() {
    use std::io::Write;
    let dir = scratch("gz");
    let src = fixture("friedensplatz/DEC005476_240810_240831_air_temperature.json");
    let gz = dir.join("DEC005476_240810_240831_air_temperature.json.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&std::fs::read(&src).unwrap()).unwrap();
    enc.finish().unwrap();
    let a = summarize(&dir, &[src.to_str().unwrap()]).summary.unwrap();
    let b = summarize(&dir, &[gz.to_str().unwrap()]).summary.unwrap();
    assert_eq!(a.sensors[0].days, b.sensors[0].days);
    assert_eq!(b.inputs[0].format, "d2r (gzip)");
}

/// Canonical CSV quoting follows RFC 4180 within a line: commas inside a
/// quoted field do not split it, so no column shifts.
#[test]
fn csv_quoted_commas_do_not_shift_columns() {
    let s = summary_of(
        "csvquote",
        "shift2.csv",
        "sensor_id,timestamp,comment,temperature_c,humidity_pct\n\
         S1,2024-07-01T12:00:00Z,\"Markt, 35, sunny\",22.0,40\n\
         S1,2024-07-01T13:00:00Z,\"ok\",21.0,40\n",
    );
    let x = s.sensor("S1").unwrap();
    assert_eq!((x.quality.valid, x.quality.unparseable), (2, 0));
    assert_eq!(x.days.len(), 1);
    assert_eq!(
        x.days[0].max(),
        22.0,
        "35 from the comment is not a temperature"
    );
    let y = x.year(2024).unwrap();
    assert_eq!((y.hot_days, y.hot_days_partial), (0, 0), "{y:?}");
    assert_eq!(y.max.as_ref().unwrap().value, 22.0);
}

#[test]
fn csv_quoted_decimal_comma_in_another_column_is_read() {
    let s = summary_of(
        "csvquote2",
        "comma.csv",
        "sensor_id,timestamp,wind,temperature_c,humidity_pct\n\
         S1,2024-07-01T12:00:00Z,\"31,5\",22.0,40\n\
         \"S1\",\"2024-07-01T13:00:00Z\",\"3,2\",\"23.5\",\"41\"\n\
         S1,2024-07-01T14:00:00Z,\"3,0\",\"31,5\",42\n",
    );
    let x = s.sensor("S1").unwrap();
    assert_eq!(
        (x.quality.valid, x.quality.unparseable),
        (2, 1),
        "{:?}",
        s.problems
    );
    assert_eq!((x.days[0].min(), x.days[0].max()), (22.0, 23.5));
    // a decimal comma in the temperature itself is one field, refused as a whole
    assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
    assert_eq!(s.problems[0].line, 4);
    assert!(
        s.problems[0]
            .message
            .contains("temperature is not a number: 31,5"),
        "{:?}",
        s.problems[0]
    );
}

#[test]
fn csv_doubled_quotes_are_literal_quotes() {
    let s = summary_of(
        "csvquote3",
        "escape.csv",
        "sensor_id,comment,timestamp,temperature_c\n\
         \"Platz \"\"Nord\"\", 2\",\"he said \"\"35,0\"\"\",2024-07-01T12:00:00Z,22.0\n\
         \"Platz \"\"Nord\"\", 2\",\"\"\"\",2024-07-01T13:00:00Z,\"21.0\"\n",
    );
    assert_eq!(s.sensors.len(), 1);
    let x = s
        .sensor("Platz \"Nord\", 2")
        .expect("the id with its quotes and comma");
    assert_eq!(
        (x.quality.valid, x.quality.unparseable),
        (2, 0),
        "{:?}",
        s.problems
    );
    assert_eq!(x.days[0].max(), 22.0);
}

#[test]
fn csv_unterminated_quote_is_an_unparseable_record() {
    let dir = scratch("csvquote4");
    let p = write(
        &dir,
        "open.csv",
        "sensor_id,timestamp,comment,temperature_c\n\
         S1,2024-07-01T12:00:00Z,ok,22.0\n\
         S1,2024-07-01T13:00:00Z,\"Markt, 35,23.0\n\
         S1,2024-07-01T14:00:00Z,\"a\"b,24.0\n\
         S1,2024-07-01T15:00:00Z,fine,21.0\n",
    );
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let x = s.sensor("S1").unwrap();
    assert_eq!(x.quality.valid, 2, "{:?}", s.problems);
    assert_eq!(x.days[0].max(), 22.0, "neither 35 nor 23 nor 24 is read");
    assert_eq!(s.inputs[0].unparseable_unattributed, 2);
    let lines: Vec<u64> = s.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4], "{:?}", s.problems);
    assert!(
        s.problems[0].message.contains("field 3")
            && s.problems[0].message.contains("not closed on this line"),
        "{:?}",
        s.problems[0]
    );
    assert!(
        s.problems[1].message.contains("after its closing quote"),
        "{:?}",
        s.problems[1]
    );
}

#[test]
fn csv_quoted_header_name_with_comma() {
    let s = summary_of(
        "csvquote5",
        "header.csv",
        "sensor_id,\"Ort, Nr\",timestamp,\"temperature_c\",\"humidity, %\",humidity_pct\n\
         S1,Markt 3,2024-07-01T12:00:00Z,22.0,x,40\n\
         S1,\"Markt, 3\",2024-07-01T13:00:00Z,21.0,\"y, z\",41\n",
    );
    let x = s.sensor("S1").unwrap();
    assert_eq!(
        (x.quality.valid, x.quality.unparseable),
        (2, 0),
        "{:?}",
        s.problems
    );
    assert_eq!((x.days[0].min(), x.days[0].max()), (21.0, 22.0));
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}
