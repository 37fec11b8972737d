//! Micro-benchmarks of drehbuch's hot paths, through the public API only.
//!
//! Run with `cargo bench --bench hot_paths` (a quick smoke run that executes
//! every benchmark once: `cargo bench --bench hot_paths -- --test`).
//!
//! Groups:
//! - `markdown`: one realistic page body through the Markdown pipeline;
//! - `highlight`: syntect highlighting of fenced code;
//! - `site`: loading a site and rendering its templates;
//! - `charts`: the SVG hot-day charts of a real sensor summary;
//! - `sensors`: `sensors summarize` on raw readings.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use drehbuch::charts::LocalizedText;
use drehbuch::diagnostics::{Diagnostic, SourceFile};
use drehbuch::markdown::links::ResolvedLink;
use drehbuch::markdown::shortcodes::{ArgSpec, ArgType, ArgValue, ShortcodeCall, Signature};
use drehbuch::markdown::{Highlighter, LinkResolver, MarkdownEnv, ShortcodeHost};
use drehbuch::site::{BuildOptions, Job, OutputSink, Site};
use drehbuch_sensors::{Options, Summary};

fn main() {
    divan::main();
}

/// A path inside the repository.
fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Loads the site in `root` (no drafts, nothing written); panics on errors,
/// so a broken fixture cannot pass for a fast benchmark.
fn load_site(root: PathBuf) -> Site {
    let site = Site::load(&BuildOptions {
        root,
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("site does not load: {d:?}"));
    assert!(
        !site.has_errors(),
        "site has errors: {:?}",
        site.diagnostics
    );
    site
}

/// The small multilingual test site (`tests/sites/basic`), loaded once.
static BASIC: LazyLock<Site> = LazyLock::new(|| load_site(repo("tests/sites/basic")));

mod markdown {
    use super::*;

    /// A realistic handbook page in German: headings, a table, a footnote,
    /// three `@/` links (one with an anchor) and a block shortcode.
    const PAGE: &str = r#"# Hitzeschutz im Schulalltag

Hitzewellen werden in Mitteleuropa häufiger, länger und intensiver. Für Schulen bedeutet das: Räume
heizen sich über Tage auf, die Konzentration sinkt, und Kinder mit Vorerkrankungen sind besonders
gefährdet. Dieses Kapitel zeigt, wie eine Schule mit einfachen Mitteln einen Hitzeaktionsplan
aufstellt, welche Messwerte dabei helfen und wer wofür zuständig ist. Die Grundlagen der Messung
stehen im Kapitel [Temperatur richtig messen](@/messen/temperatur.md), die Auswertung der Daten im
Abschnitt [Heiße Tage zählen](@/daten/heisse-tage.md#zaehlregeln).

## Warum Hitze ein Gesundheitsthema ist

Der menschliche Körper hält seine Kerntemperatur in engen Grenzen. Steigt die Lufttemperatur über
etwa 30 °C, muss er Wärme vor allem durch Schwitzen abgeben. Das gelingt schlechter, wenn die Luft
feucht ist, wenn sich Menschen viel bewegen oder wenn sie zu wenig trinken. Kinder schwitzen weniger
als Erwachsene und merken Durst später; ältere Lehrkräfte und Menschen mit Herz-Kreislauf-Erkrankungen
sind ebenfalls stärker belastet. Schon ab 26 °C im Klassenraum lassen Aufmerksamkeit und
Merkfähigkeit messbar nach.[^studien]

Hitze ist deshalb nicht nur eine Frage des Komforts. Sie betrifft den Arbeitsschutz des Personals,
die Aufsichtspflicht gegenüber den Kindern und die Qualität des Unterrichts. Ein Plan, der vor dem
Sommer abgestimmt ist, nimmt der Schulleitung schwierige Entscheidungen unter Zeitdruck ab.

## Schwellenwerte und Maßnahmen

Die folgende Tabelle fasst zusammen, welche Maßnahmen bei welcher Temperatur im Klassenraum greifen.
Die Werte sind Richtwerte; maßgeblich ist immer die Messung vor Ort, nicht der Wetterbericht.

| Raumtemperatur | Stufe    | Maßnahmen                                                    |
|----------------|----------|--------------------------------------------------------------|
| unter 26 °C    | normal   | morgens und abends querlüften, Sonnenschutz schließen        |
| 26 bis 28 °C   | erhöht   | Trinkpausen, Sport ins Freie am Vormittag, Geräte ausschalten |
| 28 bis 30 °C   | hoch     | Unterricht in kühlere Räume verlegen, Hausaufgaben kürzen    |
| über 30 °C     | extrem   | Hitzefrei prüfen, Eltern informieren, Notfallplan bereithalten |

{{ note(text="Die Stufen gelten für gemessene Raumtemperaturen, nicht für die Außentemperatur.") }}

### Messen statt schätzen

Ein einfaches Thermometer mit Datenspeicher kostet wenig und liefert verlässliche Zahlen. Es hängt
in Kopfhöhe der sitzenden Kinder, nicht an der Außenwand und nicht in der Sonne. Die Daten werden
jede Woche ausgelesen und mit den Werten der nächsten Wetterstation verglichen. So erkennt die
Schule, welche Räume sich besonders stark aufheizen, und kann gezielt nachrüsten: außenliegende
Jalousien, Dachdämmung oder eine Nachtlüftung über gesicherte Fenster.

### Zuständigkeiten klären

Jeder Plan braucht Namen. Die Schulleitung entscheidet über Hitzefrei und verlegte Stunden. Der
Hausmeister schließt morgens die Jalousien und öffnet abends die Oberlichter. Jede Klassenleitung
erinnert an Trinkpausen und achtet auf Kinder, die blass werden oder über Kopfschmerzen klagen. Die
Erste-Hilfe-Beauftragten wissen, wo kühle Tücher und Wasser bereitstehen. Wer welche Aufgabe hat,
steht auf einer Seite, die im Lehrerzimmer und im Sekretariat aushängt.

## Mit den Kindern über Hitze sprechen

Hitzeschutz gelingt besser, wenn die Kinder verstehen, warum er nötig ist. Im Sachunterricht lassen
sich Temperaturen messen, Schatten vergleichen und eigene Regeln entwickeln: eine Trinkflasche auf
jedem Tisch, ein Sonnenhut in der Pause, helle Kleidung am Wandertag. Ältere Klassen werten die
Messreihen ihrer Schule selbst aus und stellen sie beim Elternabend vor. Anregungen dafür sammelt
die Seite [Unterrichtsideen zum Klima](@/unterricht/klima.md).

## Nach dem Sommer auswerten

Nach jeder Hitzeperiode lohnt sich ein kurzer Rückblick: Welche Maßnahmen haben gewirkt, was war
zu aufwendig, wo fehlten Absprachen? Die Messdaten zeigen, wie viele heiße Tage es gab und ob
bauliche Änderungen etwas gebracht haben. Mit diesen Zahlen lassen sich beim Schulträger Mittel für
Verschattung und Begrünung begründen. Ein Plan, der jedes Jahr ein wenig besser wird, schützt die
Gesundheit aller, die in der Schule lernen und arbeiten.

[^studien]: Mehrere Untersuchungen in Schulen zeigen Leistungseinbußen von fünf bis zehn Prozent bei
    Raumtemperaturen über 26 °C; die Effekte sind bei jüngeren Kindern größer.
"#;

    /// Resolves every `@/section/page.md` key to `/{lang}/section/page/`.
    struct Links;

    impl LinkResolver for Links {
        fn resolve(&self, key: &str, lang: &str) -> Option<ResolvedLink> {
            let stem = key.strip_suffix(".md")?;
            Some(ResolvedLink {
                url: format!("/{lang}/{stem}/"),
                group: key.to_string(),
                lang: lang.to_string(),
            })
        }

        fn site_path(&self, path: &str) -> String {
            path.to_string()
        }
    }

    /// Knows one shortcode, `note(text: string)`, rendered as an aside.
    struct Notes;

    impl ShortcodeHost for Notes {
        fn signature(&self, name: &str) -> Option<Signature> {
            (name == "note").then(|| Signature {
                args: vec![ArgSpec {
                    name: "text".into(),
                    kind: Some(ArgType::String),
                    required: true,
                }],
                open: false,
            })
        }

        fn names(&self) -> Vec<String> {
            vec!["note".into()]
        }

        fn render(&self, call: &ShortcodeCall, lang: &str, _: usize) -> Result<String, String> {
            let Some(ArgValue::String(text)) = call.arg("text") else {
                return Err("`note` needs a text".into());
            };
            Ok(format!(
                "<aside class=\"note\" lang=\"{lang}\">{}</aside>",
                drehbuch::text::escape_html(text)
            ))
        }
    }

    /// The whole Markdown pass over a ~600-word German page: shortcode
    /// scan, heading ids and toc, `@/` link resolution, table and footnote
    /// output. Every page of every build goes through it (in parallel), and
    /// `serve` repeats it on each save of a page.
    #[divan::bench]
    fn render_page(bencher: Bencher) {
        let file = SourceFile::new("content/schule/hitzeschutz.md".into(), PAGE.to_string());
        let highlighter = Highlighter::new();
        let env = MarkdownEnv {
            links: &Links,
            shortcodes: &Notes,
            highlighter: &highlighter,
            ui_string: &|_, key| key.to_string(),
        };
        let first = drehbuch::markdown::render(&file, 0..file.text.len(), "de", &env);
        assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
        assert_eq!(first.internal_links.len(), 3);
        assert!(
            first.html.contains("\n<aside class=\"note\""),
            "{}",
            first.html
        );
        assert!(first.word_count > 550, "{} words", first.word_count);
        bencher
            .bench(|| drehbuch::markdown::render(black_box(&file), 0..file.text.len(), "de", &env));
    }
}

mod highlight {
    use super::*;

    const RUST: &str = r#"use std::collections::BTreeMap;

/// Counts hot days per year from daily maxima.
pub fn hot_days(days: &[(i32, u32, u32, f64)], threshold: f64) -> BTreeMap<i32, usize> {
    let mut counts = BTreeMap::new();
    for &(year, _month, _day, max) in days {
        if max >= threshold {
            *counts.entry(year).or_insert(0) += 1;
        }
    }
    counts
}

#[derive(Debug, Clone, PartialEq)]
struct Reading {
    sensor: String,
    at: i64,
    celsius: f32,
}

impl Reading {
    fn is_plausible(&self) -> bool {
        (-40.0..=60.0).contains(&self.celsius) && !self.sensor.is_empty()
    }
}

fn main() {
    let days = vec![(2021, 6, 17, 31.2), (2021, 6, 18, 33.0), (2022, 7, 19, 29.9)];
    let counts = hot_days(&days, 30.0);
    println!("{counts:?} {}", Reading { sensor: "HQ01".into(), at: 0, celsius: 21.5 }.is_plausible());
}
"#;

    const PYTHON: &str = r#"import csv
import gzip
from collections import Counter
from datetime import datetime, timezone


def daily_maxima(path):
    """Daily maximum per sensor and UTC day from canonical CSV."""
    maxima = {}
    with gzip.open(path, "rt", newline="") as f:
        for row in csv.DictReader(f):
            try:
                value = float(row["temperature"])
            except ValueError:
                continue
            at = datetime.fromisoformat(row["timestamp"]).astimezone(timezone.utc)
            key = (row["sensor"], at.date())
            maxima[key] = max(value, maxima.get(key, float("-inf")))
    return maxima


def hot_days(maxima, threshold=30.0):
    counts = Counter()
    for (sensor, day), value in maxima.items():
        if value >= threshold:
            counts[(sensor, day.year)] += 1
    return counts


if __name__ == "__main__":
    for (sensor, year), n in sorted(hot_days(daily_maxima("readings.csv.gz")).items()):
        print(f"{sensor} {year}: {n}")
"#;

    /// A highlighter whose syntaxes are already loaded (they load lazily
    /// on first use, which a build pays once, not per block).
    fn warm() -> Highlighter {
        let highlighter = Highlighter::new();
        let html = highlighter.block(Some("rust"), "fn main() {}\n");
        assert!(html.contains("hl-"), "{html}");
        highlighter
    }

    /// Highlighting a ~30-line Rust snippet: syntect's regex-driven parsing
    /// dominates the Markdown time of code-heavy pages.
    #[divan::bench]
    fn rust(bencher: Bencher) {
        let highlighter = warm();
        bencher.bench(|| highlighter.block(black_box(Some("rust")), black_box(RUST)));
    }

    /// Highlighting a ~30-line Python snippet (a different grammar, for
    /// comparison with Rust).
    #[divan::bench]
    fn python(bencher: Bencher) {
        let highlighter = warm();
        bencher.bench(|| highlighter.block(black_box(Some("python")), black_box(PYTHON)));
    }
}

mod site {
    use super::*;

    /// Accepts every output file and throws it away, so only rendering is
    /// measured, not the disk.
    struct NullSink;

    impl OutputSink for NullSink {
        fn put(&self, _path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
            black_box(bytes);
            Ok(())
        }
    }

    /// A content page job of the basic test site: the German heat page.
    fn page_job(site: &Site) -> Job {
        let jobs = site.jobs();
        jobs.iter()
            .find(|(path, job)| matches!(job, Job::Page(_)) && path.contains("hitze-check"))
            .map(|(_, job)| *job)
            .unwrap_or_else(|| panic!("no hitze-check page among {jobs:?}"))
    }

    /// Rendering one content page through its tera template with warm view
    /// caches: the per-page cost of a build and of every `serve` re-render.
    #[divan::bench]
    fn render_page(bencher: Bencher) {
        let site = &*BASIC;
        let job = page_job(site);
        let views = site.views(false);
        let html = site.render_job(&views, job).expect("page renders");
        assert!(!html.is_empty());
        bencher.bench(|| site.render_job(&views, black_box(job)));
    }

    /// Rendering the same page with fresh views (made outside the timed
    /// part): includes building the shared `site` value and facet caches the
    /// first page of a language and section pays.
    #[divan::bench]
    fn render_page_cold_views(bencher: Bencher) {
        let site = &*BASIC;
        let job = page_job(site);
        bencher
            .with_inputs(|| site.views(false))
            .bench_refs(|views| site.render_job(views, black_box(job)));
    }

    /// Rendering every output file of the basic test site (pages, chooser,
    /// 404, facet pages, sitemap, feeds) into a no-op sink: the template
    /// stage of `drehbuch build` without disk writes.
    #[divan::bench(sample_count = 50)]
    fn render_basic_site(bencher: Bencher) {
        let site = &*BASIC;
        let problems = site.render(&NullSink);
        assert!(problems.is_empty(), "{problems:?}");
        bencher.bench(|| site.render(&NullSink));
    }

    /// Loading the basic test site: config, theme, i18n, content and the
    /// Markdown of every page. What `serve` redoes when `site.yaml` changes.
    #[divan::bench(sample_count = 20)]
    fn load_basic_site() -> Site {
        load_site(repo("tests/sites/basic"))
    }

    /// Loading the example site at the repository root, including its
    /// sensor datasets and charts: the start-up cost of `build`, `check`
    /// and `serve` on a real handbook.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn load_example_site() -> Site {
        load_site(repo(""))
    }
}

mod charts {
    use super::*;
    use drehbuch::charts as chart;

    fn summary(dataset: &str) -> Summary {
        let path = repo(&format!("data/sensors/{dataset}/summary.json"));
        Summary::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Hafenquartier: 30 sensors, one year (2021) of daily values.
    static HAFENQUARTIER: LazyLock<Summary> = LazyLock::new(|| summary("hafenquartier"));
    /// DWD Würzburg and Kitzingen: 74 and 17 years.
    static DWD: LazyLock<Summary> = LazyLock::new(|| summary("dwd-wuerzburg"));

    /// The charts' German text from the basic site's UI strings, as the
    /// chart shortcodes look them up.
    fn text() -> LocalizedText<'static> {
        LocalizedText::new(&BASIC.theme.i18n, "de")
    }

    /// `hot_days`: bars of hot days per sensor in 2021 for the 30 sensors
    /// of the Hafenquartier network, with data table and captions. Charts
    /// are drawn at every build of a page that shows them.
    #[divan::bench]
    fn hot_days(bencher: Bencher) {
        let (summary, text) = (&*HAFENQUARTIER, text());
        let html = chart::hot_days(summary, 2021, &text).expect("chart");
        assert!(html.contains("Heiße Tage 2021"), "{html}");
        bencher.bench(|| chart::hot_days(black_box(summary), 2021, &text));
    }

    /// `hot_days_calendar`: a 12 × 31 grid of daily maxima of one sensor
    /// (HQ01, 2021), the largest SVG of the three.
    #[divan::bench]
    fn hot_days_calendar(bencher: Bencher) {
        let (summary, text) = (&*HAFENQUARTIER, text());
        let html = chart::hot_days_calendar(summary, "HQ01", 2021, &text).expect("chart");
        assert!(html.contains("Tageshöchsttemperatur 2021"), "{html}");
        bencher.bench(|| chart::hot_days_calendar(black_box(summary), "HQ01", 2021, &text));
    }

    /// `hot_days_by_year` for one sensor over 74 years (DWD Würzburg).
    #[divan::bench]
    fn hot_days_by_year(bencher: Bencher) {
        let (summary, text) = (&*DWD, text());
        let html = chart::hot_days_by_year(summary, Some("5705"), &text).expect("chart");
        assert!(html.contains("Heiße Tage pro Jahr"), "{html}");
        bencher.bench(|| chart::hot_days_by_year(black_box(summary), Some("5705"), &text));
    }

    /// `hot_days_by_year` as small multiples of every sensor (Würzburg and
    /// Kitzingen sharing the year axis).
    #[divan::bench]
    fn hot_days_by_year_all(bencher: Bencher) {
        let (summary, text) = (&*DWD, text());
        let html = chart::hot_days_by_year(summary, None, &text).expect("chart");
        assert!(html.contains("Heiße Tage pro Jahr und Sensor"), "{html}");
        bencher.bench(|| chart::hot_days_by_year(black_box(summary), None, &text));
    }
}

mod sensors {
    use super::*;

    /// `drehbuch sensors summarize INPUT --sensors sensors.yaml`, with the
    /// command line's defaults (`Options::default()`) and no progress
    /// shown. `summarize` does not write; `out` points into the temporary
    /// folder all the same.
    fn options(dataset: &str, input: &str) -> Options {
        let dir = repo(&format!("data/sensors/{dataset}"));
        Options {
            inputs: vec![dir.join(input)],
            sensors: Some(dir.join("sensors.yaml")),
            out: std::env::temp_dir()
                .join("drehbuch-bench")
                .join(format!("{dataset}-summary.json")),
            ..Options::default()
        }
    }

    /// Summarizing the Friedensplatz station (Data2Resilience JSON, 5,196
    /// temperature readings joined with the humidity file next to it):
    /// parse, quality checks, days and yearly statistics.
    #[divan::bench(sample_count = 20)]
    fn summarize_friedensplatz(bencher: Bencher) {
        let opts = options(
            "friedensplatz",
            "DEC005476_240810_240831_air_temperature.json",
        );
        drehbuch_sensors::summarize(&opts, &mut ()).expect("summary");
        bencher.bench(|| drehbuch_sensors::summarize(black_box(&opts), &mut ()));
    }

    /// Summarizing a year of 30 synthetic sensors (gzip canonical CSV,
    /// 3 MB compressed): the throughput of the whole sensor pipeline.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn summarize_hafenquartier(bencher: Bencher) {
        let opts = options("hafenquartier", "readings.csv.gz");
        bencher.bench(|| drehbuch_sensors::summarize(black_box(&opts), &mut ()));
    }
}
