//! Charts: a test `ChartText` backed by the site's i18n files, structure and accessibility checks.

mod sensors_common;
use sensors_common::*;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;

use drehbuch::config::SiteConfig;
use drehbuch::content::front_matter::Date;
use drehbuch::i18n::{I18n, Lookup};
use drehbuch::sources::SiteDir;
use drehbuch::sources::layers::Layers;

use drehbuch::charts::{self, ChartError, ChartText};
use drehbuch_sensors::Summary;

/// `ChartText` over the example site's i18n files (the strings pages use);
/// records keys that are missing.
struct Texts {
    i18n: I18n,
    lang: String,
    missing: RefCell<BTreeSet<String>>,
}

impl Texts {
    fn new(lang: &str) -> Texts {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = SiteConfig::load(repo).unwrap();
        let layers = Layers::new(&SiteDir::new(repo).unwrap(), &config.theme).unwrap();
        Texts {
            i18n: I18n::load(&layers, &config).unwrap(),
            lang: lang.into(),
            missing: RefCell::new(BTreeSet::new()),
        }
    }
}

impl ChartText for Texts {
    fn lang(&self) -> &str {
        &self.lang
    }
    fn text(&self, key: &str, count: Option<i64>) -> String {
        match self
            .i18n
            .translate(&self.lang, key, count.map(|c| c as f64), &[])
        {
            Ok(Lookup::Found(t)) => t,
            Ok(Lookup::Fallback { .. }) | Err(_) => {
                self.missing.borrow_mut().insert(key.to_string());
                format!("[{key}]")
            }
        }
    }
    fn number(&self, value: f64, decimals: usize) -> String {
        self.i18n.number(&self.lang, value, decimals)
    }
    fn month_name(&self, month: u32) -> String {
        self.i18n.month(&self.lang, month)
    }
    fn date(&self, year: i32, month: u32, day: u32) -> String {
        self.i18n.date(&self.lang, Date { year, month, day })
    }
}

fn friedensplatz_summary() -> Summary {
    let dir = scratch("chartsfp");
    let yaml = write(
        &dir,
        "sensors.yaml",
        r#"
provenance:
  source: Data2Resilience / Ruhr-Universität Bochum & Stadt Dortmund
  licence: CC BY 4.0
  licence_url: https://creativecommons.org/licenses/by/4.0/
  attribution: "Data: Data2Resilience / Ruhr-Universität Bochum & Stadt Dortmund, CC BY 4.0"
sensors:
  - id: DEC005476
    name: {de: Friedensplatz, en: Friedensplatz}
"#,
    );
    let f = fixture("friedensplatz/DEC005476_240810_240831_air_temperature.json");
    summarize(
        &dir,
        &[f.to_str().unwrap(), "--sensors", yaml.to_str().unwrap()],
    )
    .summary
    .unwrap()
}

fn synthetic_summary() -> Summary {
    let dir = scratch("chartssyn");
    let mut csv = String::from("sensor_id,timestamp,temperature_c\n");
    // three sensors, two years, hourly, with a hot spell and a gap
    for (k, sensor) in ["sunny <b>&", "shaded", "gappy"].iter().enumerate() {
        for day in 0..730i64 {
            if *sensor == "gappy" && (100..300).contains(&day) {
                continue;
            }
            for h in 0..24i64 {
                if *sensor == "gappy" && day % 3 == 0 && h > 14 {
                    continue; // incomplete days, some already past 30 °C
                }
                let season = -((day % 365) as f64 / 365.0 * std::f64::consts::TAU).cos();
                let daily = -((h as f64 - 3.0) / 24.0 * std::f64::consts::TAU).cos();
                let v = 11.0
                    + 10.0 * season
                    + 6.0 * daily
                    + (k as f64) * -0.8
                    + if (190..200).contains(&(day % 365)) {
                        6.0
                    } else {
                        0.0
                    };
                let t =
                    jiff::Timestamp::from_second(1_609_459_200 + day * 86_400 + h * 3600).unwrap();
                csv += &format!("{sensor},{t},{v:.1}\n");
            }
        }
    }
    let p = write(&dir, "syn.csv", &csv);
    let yaml = write(
        &dir,
        "sensors.yaml",
        "provenance:\n  source: Generator\n  licence: CC0 1.0\n  synthetic: true\n",
    );
    let r = summarize(
        &dir,
        &[
            p.to_str().unwrap(),
            "--sensors",
            yaml.to_str().unwrap(),
            "--tz",
            "UTC",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    r.summary.unwrap()
}

/// Minimal well-formedness check: tags balance (void HTML elements and `/>` excepted).
fn assert_balanced(html: &str) {
    let void = ["br", "hr", "img", "meta", "link", "input", "col", "wbr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name, "mismatched tags");
        } else if !tag.ends_with('/') && !void.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

fn check(html: &str, texts: &Texts) {
    assert_balanced(html);
    assert!(html.starts_with("<figure"));
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<title id=") && html.contains("<desc id="));
    assert!(html.contains("<details data-pagefind-ignore><summary>") && html.contains("<table>"));
    assert!(html.contains("<figcaption>"));
    assert!(!html.contains("<script"));
    let all = ids(html);
    let unique: BTreeSet<_> = all.iter().collect();
    assert_eq!(all.len(), unique.len(), "ids are unique");
    for id in &all {
        if let Some(rest) = html
            .split(&format!("aria-labelledby=\"{id}-title {id}-desc\""))
            .nth(1)
        {
            assert!(rest.contains(&format!("id=\"{id}-title\"")));
        }
    }
    assert!(
        texts.missing.borrow().is_empty(),
        "keys missing in i18n/*.yaml: {:?}",
        texts.missing.borrow()
    );
    assert!(!html.contains("[chart."), "untranslated key");
    assert!(
        !html.contains("{year}") && !html.contains("{count}"),
        "placeholder left"
    );
}

#[test]
fn hot_days_chart_friedensplatz() {
    let s = friedensplatz_summary();
    for lang in ["de", "en", "ro"] {
        let tx = Texts::new(lang);
        let html = charts::hot_days(&s, 2024, &tx).unwrap();
        check(&html, &tx);
        assert!(html.contains("Friedensplatz"));
        assert!(html.contains("CC BY 4.0"));
        assert!(
            html.contains("<td>5</td>"),
            "the 5 hot days are in the table"
        );
        assert!(!html.contains("ynthetic") && !html.contains("ynthetische"));
    }
    let de = Texts::new("de");
    let html = charts::hot_days(&s, 2024, &de).unwrap();
    assert!(html.contains("Heiße Tage 2024 (Höchstwert ≥ 30,0 °C)"));
    assert!(
        html.contains("Friedensplatz: 5 heiße Tage"),
        "desc lists the numbers"
    );
}

#[test]
fn calendar_marks_hot_days() {
    let s = friedensplatz_summary();
    let de = Texts::new("de");
    let html = charts::hot_days_calendar(&s, "DEC005476", 2024, &de).unwrap();
    check(&html, &de);
    assert_eq!(
        html.matches("<circle").count() - 1,
        5,
        "one dot per hot day (plus the legend)"
    );
    assert!(html.contains("13. August 2024: 34,5 °C"));
    assert!(html.contains("<strong>34,5</strong>"));
    assert!(html.contains("Höchster Wert: 34,5 °C (13. August 2024)."));
    let en = Texts::new("en");
    assert!(
        charts::hot_days_calendar(&s, "DEC005476", 2024, &en)
            .unwrap()
            .contains("August")
    );
}

#[test]
fn by_year_single_and_small_multiples() {
    let s = synthetic_summary();
    for lang in ["en", "de", "ro"] {
        let tx = Texts::new(lang);
        let all = charts::hot_days_by_year(&s, None, &tx).unwrap();
        check(&all, &tx);
        let one = charts::hot_days_by_year(&s, Some("shaded"), &tx).unwrap();
        check(&one, &tx);
        let bars = charts::hot_days(&s, 2021, &tx).unwrap();
        check(&bars, &tx);
        assert!(bars.contains("sunny &lt;b&gt;&amp;"), "names are escaped");
        let cal = charts::hot_days_calendar(&s, "gappy", 2021, &tx).unwrap();
        check(&cal, &tx);
        assert!(cal.contains("-thin)\""), "incomplete days hatched");
    }
    let en = Texts::new("en");
    let all = charts::hot_days_by_year(&s, None, &en).unwrap();
    assert!(all.contains("Synthetic example data"), "synthetic notice");
    let bars = charts::hot_days(&s, 2021, &en).unwrap();
    assert!(bars.contains("low coverage"), "the gappy sensor is marked");
    // In 2022 the gappy sensor has incomplete days that already passed 30 °C.
    let bars_2022 = charts::hot_days(&s, 2022, &en).unwrap();
    assert!(bars_2022.contains("-hatch)\""), "lower-bound parts hatched");
    assert!(
        !bars.contains("-hatch)\""),
        "no hatching (nor its legend) without lower bounds"
    );
    // ids differ between charts, so they can share a page
    let mut seen = BTreeSet::new();
    for h in [&all, &bars] {
        for id in ids(h) {
            assert!(seen.insert(id));
        }
    }
}

#[test]
fn unknown_sensor_or_year_lists_the_known_ones() {
    let s = friedensplatz_summary();
    let en = Texts::new("en");
    let e = charts::hot_days_calendar(&s, "NOPE", 2024, &en).unwrap_err();
    assert_eq!(
        e,
        ChartError::UnknownSensor {
            sensor: "NOPE".into(),
            known: vec!["DEC005476".into()]
        }
    );
    assert!(e.to_string().contains("DEC005476"));
    let e = charts::hot_days(&s, 1999, &en).unwrap_err();
    assert!(e.to_string().contains("2024"), "{e}");
    let e = charts::hot_days_calendar(&s, "DEC005476", 1999, &en).unwrap_err();
    assert!(matches!(e, ChartError::UnknownYear { year: 1999, .. }));
    assert_eq!(s.years(), [2024]);
    assert_eq!(s.sensor_ids(), ["DEC005476"]);
}

/// Writes a page with all charts to target/sensors-charts/*.html for a look in a
/// browser and for the Nu Html Checker (see docs/sensors.md).
#[test]
fn write_preview_pages() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sensors-charts");
    std::fs::create_dir_all(&out).unwrap();
    let fp = friedensplatz_summary();
    let syn = synthetic_summary();
    for lang in ["de", "en", "ro"] {
        let tx = Texts::new(lang);
        let mut body = String::new();
        body += &charts::hot_days(&fp, 2024, &tx).unwrap();
        body += &charts::hot_days_calendar(&fp, "DEC005476", 2024, &tx).unwrap();
        body += &charts::hot_days(&syn, 2021, &tx).unwrap();
        body += &charts::hot_days_calendar(&syn, "gappy", 2021, &tx).unwrap();
        body += &charts::hot_days_by_year(&syn, None, &tx).unwrap();
        body += &charts::hot_days_by_year(&syn, Some("shaded"), &tx).unwrap();
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>drehbuch charts</title>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
        );
        let all = ids(&page);
        let unique: BTreeSet<_> = all.iter().collect();
        assert_eq!(all.len(), unique.len(), "ids unique on the page");
        std::fs::write(out.join(format!("charts-{lang}.html")), page).unwrap();
    }
}

/// The summary lists only years with data; the by-year chart still shows a
/// year without data inside a sensor's range (open marker, "no data"), and
/// the calendar of such a year says which years have data.
#[test]
fn by_year_marks_years_without_data() {
    let dir = scratch("chartsgap");
    let mut csv = String::from("sensor_id,timestamp,temperature_c\n");
    for year in [2019, 2021] {
        for h in 0..24 {
            csv += &format!("S,{year}-07-10T{h:02}:00:00Z,{}\n", 20 + h / 2);
        }
    }
    let p = write(&dir, "gap.csv", &csv);
    let r = summarize(&dir, &[p.to_str().unwrap(), "--tz", "UTC"]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let x = s.sensor("S").unwrap();
    assert_eq!(
        x.years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2019, 2021]
    );
    let en = Texts::new("en");
    let html = charts::hot_days_by_year(&s, Some("S"), &en).unwrap();
    check(&html, &en);
    assert!(html.contains("<title>2020: no data</title>"), "{html}");
    // The table holds only rows with data: the drawing marks the gap.
    assert!(html.contains("<th scope=\"row\">2019</th>"));
    assert!(html.contains("<th scope=\"row\">2021</th>"));
    assert!(!html.contains("<th scope=\"row\">2020</th>"), "{html}");
    let e = charts::hot_days_calendar(&s, "S", 2020, &en).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no data for 2020; years with data: 2019, 2021"
    );
}

/// Chart element ids name the sensor with the site's one slugifier, the
/// one URLs and heading ids use (`Süd_1` → `sued_1`; the charts' own,
/// removed, made it `s-d-1`).
#[test]
fn chart_ids_name_the_sensor_with_the_site_slugs() {
    let dir = scratch("chartsslug");
    let mut csv = String::from("sensor_id,timestamp,temperature_c\n");
    for h in 0..24 {
        csv += &format!("Süd_1,2021-07-10T{h:02}:00:00Z,{}\n", 20 + h / 2);
    }
    let p = write(&dir, "slug.csv", &csv);
    let r = summarize(&dir, &[p.to_str().unwrap(), "--tz", "UTC"]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let en = Texts::new("en");
    let calendar = charts::hot_days_calendar(&s, "Süd_1", 2021, &en).unwrap();
    check(&calendar, &en);
    let id = &ids(&calendar)[0];
    assert!(id.starts_with("drehbuch-calendar-sued_1-2021-"), "{id}");
    let by_year = charts::hot_days_by_year(&s, Some("Süd_1"), &en).unwrap();
    check(&by_year, &en);
    let id = &ids(&by_year)[0];
    assert!(id.starts_with("drehbuch-by-year-sued_1-"), "{id}");
}

/// The `fill` of every `<text>` of a chart's drawing.
fn text_fills(html: &str) -> Vec<String> {
    html.split("<text ")
        .skip(1)
        .map(|t| {
            let tag = &t[..t.find('>').unwrap()];
            tag.split("fill=\"")
                .nth(1)
                .map(|f| f[..f.find('"').unwrap()].to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn charts_draw_in_the_text_colour_on_no_panel_so_they_follow_dark_mode() {
    let s = synthetic_summary();
    let tx = Texts::new("en");
    let year = s.years()[0];
    let sensor = s.sensors[0].id.clone();
    for html in [
        charts::hot_days(&s, year, &tx).unwrap(),
        charts::hot_days_calendar(&s, &sensor, year, &tx).unwrap(),
        charts::hot_days_by_year(&s, None, &tx).unwrap(),
        charts::hot_days_by_year(&s, Some(&sensor), &tx).unwrap(),
    ] {
        let id = ids(&html)[0].clone();
        // No white background panel, pattern ground or marker.
        assert!(!html.to_ascii_lowercase().contains("#ffffff"), "{id}");
        let fills = text_fills(&html);
        assert!(!fills.is_empty(), "{id}");
        for fill in &fills {
            assert_eq!(fill, "currentColor", "{id}: every label in the text colour");
        }
    }
}

#[test]
fn calendar_draws_and_tabulates_only_the_months_with_data() {
    let s = friedensplatz_summary();
    let de = Texts::new("de");
    let with_data: BTreeSet<u32> = s
        .sensor("DEC005476")
        .unwrap()
        .days
        .iter()
        .filter_map(|d| d.ymd())
        .filter(|(y, _, _)| *y == 2024)
        .map(|(_, m, _)| m)
        .collect();
    assert!(!with_data.is_empty() && with_data.len() < 12);
    let html = charts::hot_days_calendar(&s, "DEC005476", 2024, &de).unwrap();
    let (drawing, table) = html.split_once("<table>").unwrap();
    for m in 1..=12u32 {
        let name = de.month_name(m);
        let label = format!(">{name}</text>");
        let row = format!("<th scope=\"row\">{name}</th>");
        assert_eq!(drawing.contains(&label), with_data.contains(&m), "{name}");
        assert_eq!(table.contains(&row), with_data.contains(&m), "{name}");
    }
    assert_eq!(table.matches("<th scope=\"row\">").count(), with_data.len());
}

#[test]
fn hot_days_table_leaves_out_sensors_without_data_in_the_year() {
    let dir = scratch("chartsnodata");
    let mut csv = String::from("sensor_id,timestamp,temperature_c\n");
    for (sensor, year) in [("S", 2019), ("T", 2020)] {
        for h in 0..24 {
            csv += &format!("{sensor},{year}-07-10T{h:02}:00:00Z,{}\n", 20 + h / 2);
        }
    }
    let p = write(&dir, "two.csv", &csv);
    let r = summarize(&dir, &[p.to_str().unwrap(), "--tz", "UTC"]);
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    let en = Texts::new("en");
    let html = charts::hot_days(&s, 2020, &en).unwrap();
    check(&html, &en);
    let (drawing, table) = html.split_once("<table>").unwrap();
    // The drawing says S has no data in 2020; the table has T's row only.
    assert!(drawing.contains(">no data</text>"), "{drawing}");
    assert!(table.contains("<th scope=\"row\">T</th>"), "{table}");
    assert!(!table.contains("<th scope=\"row\">S</th>"), "{table}");
    assert!(!table.contains("no data"), "{table}");
}

#[test]
fn caption_names_the_dataset_by_its_title_not_the_generator_script() {
    let dir = scratch("chartstitle");
    let mut csv = String::from("sensor_id,timestamp,temperature_c\n");
    for h in 0..24 {
        csv += &format!("S,2021-07-10T{h:02}:00:00Z,{}\n", 20 + h / 2);
    }
    let p = write(&dir, "one.csv", &csv);
    let yaml = write(
        &dir,
        "sensors.yaml",
        "provenance:\n  title: {de: \"Hafen 2021 (synthetisch)\", en: \"Harbour 2021 (synthetic)\"}\n  source: scripts/gen-harbour.py (drehbuch)\n  source_url: https://example.org/harbour\n  licence: CC0 1.0\n  synthetic: true\n",
    );
    let r = summarize(
        &dir,
        &[p.to_str().unwrap(), "--sensors", yaml.to_str().unwrap()],
    );
    assert!(r.ok, "{}", r.stderr);
    let s = r.summary.unwrap();
    for (lang, title) in [
        ("de", "Hafen 2021 (synthetisch)"),
        ("en", "Harbour 2021 (synthetic)"),
    ] {
        let tx = Texts::new(lang);
        let html = charts::hot_days(&s, 2021, &tx).unwrap();
        let caption = html.split("<figcaption>").nth(1).unwrap();
        let caption = &caption[..caption.find("</figcaption>").unwrap()];
        assert!(
            caption.contains(&format!(
                "<a href=\"https://example.org/harbour\">{title}</a>"
            )),
            "{caption}"
        );
        assert!(!caption.contains("gen-harbour.py"), "{caption}");
        assert!(caption.contains("CC0 1.0"), "{caption}");
    }
}

/// The value labels of a by-year chart's grid: (x, text) of each `<text>`
/// anchored `end` (left of the plot) or `start` (right of it) that is a
/// number.
fn value_labels(html: &str, anchor: &str) -> Vec<String> {
    html.split("<text ")
        .skip(1)
        .filter(|t| t[..t.find('>').unwrap()].contains(&format!("text-anchor=\"{anchor}\"")))
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].to_string())
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

#[test]
fn by_year_numbers_its_value_axis_on_both_sides_for_the_recent_end_on_phones() {
    let s = synthetic_summary();
    let tx = Texts::new("en");
    let sensor = s.sensors[0].id.clone();
    for html in [
        charts::hot_days_by_year(&s, Some(&sensor), &tx).unwrap(),
        charts::hot_days_by_year(&s, None, &tx).unwrap(),
    ] {
        let left = value_labels(&html, "end");
        let right = value_labels(&html, "start");
        assert!(!left.is_empty());
        assert_eq!(left, right, "the same numbers right of the plot");
    }
}
