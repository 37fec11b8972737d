//! The typeset PDFs of the print editions, built by the real binary on
//! small sites the tests write, and read back with poppler (pdftotext,
//! pdfinfo, pdffonts, pdfimages) and qpdf. Under CI (`CI=true`) a missing
//! tool fails the test; elsewhere the test says it is skipped.

#![cfg(feature = "pdf")]

mod common;

use std::path::Path;
use std::process::Command;

use common::TestSite;

/// Runs a PDF tool; `None` when it is not installed (outside CI).
fn tool(name: &str, args: &[&str]) -> Option<String> {
    match Command::new(name).args(args).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{name} {args:?} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{name} is missing; .ci/run installs it (poppler-utils, qpdf)")
        }
        Err(_) => {
            eprintln!("SKIPPED: {name} is not installed");
            None
        }
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

const FIELDS: &str = "layout: cards\nfields:\n  - name: category\n    type: string\n    allowed: [heat, water]\n    facet: true\n    label: Kategorie\n    labels: {heat: Hitze, water: Wasser}\n  - name: duration\n    type: string\n    label: Dauer\n";

/// A site with three cards in German, Romanian and Hungarian (the
/// Hungarian edition lacks one card: it is shown in German).
fn cards_site(name: &str) -> TestSite {
    let site = TestSite::empty(name);
    site.write(
        "site.yaml",
        "title: {de: Testhandbuch, ro: Manual de test, hu: Teszt kézikönyv}\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: ro, name: Română}\n  - {code: hu, name: Magyar}\nsearch: false\nprint: [cards]\nimprint:\n  subtitle: {de: Ein Untertitel, ro: Un subtitlu, hu: Egy alcím}\n  date: 2023-10-31\n  licence: CC BY 4.0\n",
    );
    for (lang, home) in [("de", "Start"), ("ro", "Acasă"), ("hu", "Kezdőlap")] {
        site.write(
            &format!("content/_index.{lang}.md"),
            format!("---\ntitle: {home}\n---\n"),
        );
        site.write(
            &format!("content/cards/_index.{lang}.md"),
            format!("---\ntitle: Karten {lang}\n{FIELDS}---\n"),
        );
    }
    site.write(
        "content/cards/01-hitze.de.md",
        "---\ntitle: Hitzecheck an Schulen\ncategory: heat\nduration: 2 Stunden\n---\nSchülerinnen messen die Temperatur in ihrer Schule.\n\n## Ablauf\n\n1. Sensoren aufhängen\n2. Werte lesen\n\n| Ort | Grad |\n| --- | --- |\n| Hof | 31 |\n\nMehr beim [Wetterdienst](https://www.dwd.de/).[^q]\n\n[^q]: Eine Fußnote zum Wetter.\n\n{{ field_chart(section=\"cards\", field=\"category\") }}\n",
    );
    site.write(
        "content/cards/02-wasser.de.md",
        "---\ntitle: Regenwasser sammeln\ncategory: water\nduration: 1 Tag\n---\nZisternen im Quartier planen.\n\n```rust\nfn main() {}\n```\n",
    );
    site.write(
        "content/cards/01-hitze.ro.md",
        "---\ntitle: Verificarea căldurii în școli\ncategory: heat\nduration: 2 ore\n---\nElevii măsoară temperatura în școala lor, în special vara. Știință și țară.\n",
    );
    site.write(
        "content/cards/02-wasser.ro.md",
        "---\ntitle: Colectarea apei de ploaie\ncategory: water\nduration: o zi\n---\nPlanificarea cisternelor în cartier.\n",
    );
    site.write(
        "content/cards/01-hitze.hu.md",
        "---\ntitle: Hőségellenőrzés az iskolákban\ncategory: heat\nduration: 2 óra\n---\nA diákok mérik a hőmérsékletet az iskolában: tűző nap, hőség, fűtőtest, ősz.\n",
    );
    site
}

/// The pages pdftotext finds, split at form feeds.
fn pages(pdf: &Path) -> Option<Vec<String>> {
    let text = tool("pdftotext", &["-layout", path_str(pdf), "-"])?;
    Some(text.split('\u{c}').map(str::to_string).collect())
}

#[test]
fn every_print_section_and_language_gets_a_pdf_with_its_cards_in_order() {
    let site = cards_site("order");
    site.build_ok(&[]);
    for lang in ["de", "ro", "hu"] {
        assert!(
            site.output_exists(&format!("{lang}/print.pdf")),
            "{lang}/print.pdf"
        );
    }
    let pdf = site.root.join("public/de/print.pdf");
    let Some(pages) = pages(&pdf) else { return };
    let all = pages.join("\n");
    let first = all.find("Hitzecheck an Schulen").expect("first card title");
    let body = all.find("Schülerinnen messen").expect("first card body");
    let second = all.rfind("Regenwasser sammeln").expect("second card title");
    let second_body = all.find("Zisternen im Quartier").expect("second card body");
    assert!(first < body && body < second_body, "cards out of order");
    assert!(second < second_body);
    // The cover and imprint come first.
    assert!(pages[0].contains("Testhandbuch: Karten de"), "{}", pages[0]);
    assert!(pages[0].contains("Ein Untertitel"));
    assert!(pages[1].contains("CC BY 4.0"), "{}", pages[1]);
    // Links are printed as footnoted URLs; footnotes sit on their page.
    assert!(all.contains("https://www.dwd.de/"), "{all}");
    assert!(all.contains("Eine Fußnote zum Wetter."));
}

#[test]
fn contents_page_numbers_name_the_page_each_card_starts_on() {
    let site = cards_site("contents");
    site.build_ok(&[]);
    let pdf = site.root.join("public/de/print.pdf");
    let Some(pages) = pages(&pdf) else { return };
    let contents_at = pages
        .iter()
        .position(|p| p.contains("Inhalt"))
        .expect("a contents page");
    let contents = &pages[contents_at];
    for title in ["Hitzecheck an Schulen", "Regenwasser sammeln"] {
        let line = contents
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title} is not in the contents:\n{contents}"));
        let number: usize = line
            .split_whitespace()
            .last()
            .and_then(|n| n.trim_matches('\u{2060}').parse().ok())
            .unwrap_or_else(|| panic!("no page number in {line:?}"));
        // Page numbers count from the contents page (1); the cover and
        // imprint have none.
        let printed_page = &pages[contents_at + number - 1];
        let first_line = printed_page
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        assert!(
            printed_page.contains(title) && !first_line.is_empty(),
            "{title} is listed at page {number}, which is:\n{printed_page}"
        );
        // The card starts there: the page before does not have its title
        // as a heading (only a running head would repeat it).
        let before = &pages[contents_at + number - 2];
        assert!(
            !before.contains(title) || before == contents,
            "{title} starts earlier"
        );
    }
}

#[test]
fn the_pdf_is_well_formed_with_embedded_fonts_an_outline_and_vector_charts() {
    let site = cards_site("structure");
    site.build_ok(&[]);
    let pdf = site.root.join("public/de/print.pdf");
    let p = path_str(&pdf);
    let Some(info) = tool("pdfinfo", &[p]) else {
        return;
    };
    let count: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    // Cover, imprint, contents and two cards of one or two pages each.
    assert!((5..=8).contains(&count), "{count} pages:\n{info}");
    assert!(
        info.contains("Title:") && info.contains("Testhandbuch: Karten de"),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("CreationDate:") && info.contains("2023"),
        "{info}"
    );

    let Some(fonts) = tool("pdffonts", &[p]) else {
        return;
    };
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        // name type encoding emb sub uni object ID: "emb" is the
        // fourth-last-but-two column.
        let columns: Vec<&str> = row.split_whitespace().collect();
        let emb = columns[columns.len() - 5];
        assert_eq!(emb, "yes", "not embedded: {row}");
    }

    let Some(images) = tool("pdfimages", &["-list", p]) else {
        return;
    };
    assert_eq!(
        images.lines().count(),
        2,
        "raster images in the PDF:\n{images}"
    );

    if let Some(check) = tool("qpdf", &["--check", p]) {
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
    }

    // One outline entry per card: qpdf lists the outline as JSON.
    if let Some(json) = tool("qpdf", &["--json", "--json-key=outlines", p]) {
        let titles = json.matches("\"title\":").count();
        assert_eq!(titles, 2, "{json}");
        assert!(json.contains("Hitzecheck an Schulen") && json.contains("Regenwasser sammeln"));
    }
}

#[test]
fn romanian_and_hungarian_letters_are_text_and_untranslated_cards_are_marked() {
    let site = cards_site("letters");
    site.build_ok(&[]);
    let Some(ro) = pages(&site.root.join("public/ro/print.pdf")) else {
        return;
    };
    let ro = ro.join("\n");
    for word in ["Știință", "țară", "școala", "Verificarea căldurii în școli"] {
        assert!(
            ro.contains(word),
            "{word} is not in the Romanian text:\n{ro}"
        );
    }
    let Some(hu) = pages(&site.root.join("public/hu/print.pdf")) else {
        return;
    };
    let hu = hu.join("\n");
    for word in ["tűző", "hőség", "ősz", "Hőségellenőrzés"] {
        assert!(
            hu.contains(word),
            "{word} is not in the Hungarian text:\n{hu}"
        );
    }
    // The Hungarian edition shows the German card, marked as the site
    // marks it.
    assert!(hu.contains("Regenwasser sammeln"), "{hu}");
}

#[test]
fn arabic_text_reads_right_to_left() {
    let site = TestSite::empty("arabic");
    site.write(
        "site.yaml",
        "title: {ar: دليل}\nbase_url: https://example.org/\ndefault_language: ar\nlanguages:\n  - {code: ar, name: العربية}\nsearch: false\nprint: [notes]\n",
    )
    .write("content/_index.ar.md", "---\ntitle: الرئيسية\n---\n")
    .write("content/notes/_index.ar.md", "---\ntitle: ملاحظات\n---\n")
    .write(
        "content/notes/heat.ar.md",
        "---\ntitle: موجة حر\n---\nالمدينة حارة جدا في الصيف.\n",
    );
    site.build_ok(&[]);
    let pdf = site.root.join("public/print.pdf");
    let Some(text) = tool("pdftotext", &[path_str(&pdf), "-"]) else {
        return;
    };
    // pdftotext gives the logical order of the words of a right-to-left
    // line; the first word read is the first word written.
    let line = text
        .lines()
        .find(|l| l.contains("حارة"))
        .unwrap_or_else(|| panic!("no Arabic body line in:\n{text}"));
    let first = line.find("المدينة").expect("first word");
    let last = line.find("الصيف").expect("last word");
    assert!(first < last, "{line:?}");
    // The text is set from the right: its layout puts the line's end at
    // the right margin's side (x of the first glyph is larger than the
    // last's).
    let Some(bbox) = tool("pdftotext", &["-bbox", path_str(&pdf), "-"]) else {
        return;
    };
    // -bbox lists glyphs in visual order: a word may come reversed.
    let x_of = |word: &str| -> f64 {
        let reversed: String = word.chars().rev().collect();
        bbox.lines()
            .filter(|l| l.contains("<word "))
            .find(|l| {
                let text = &l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()];
                let text = text.trim_matches(|c: char| c.is_ascii_punctuation());
                text == word || text == reversed
            })
            .and_then(|l| l.split("xMin=\"").nth(1))
            .and_then(|x| x[..x.find('"')?].parse().ok())
            .unwrap_or_else(|| panic!("{word} is not in:\n{bbox}"))
    };
    assert!(x_of("المدينة") > x_of("الصيف"), "not right to left");
    // Page numbers in the numerals of Arabic (١, ٢, …), not 1, 2.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let contents = pages
        .iter()
        .find(|p| p.contains("المحتويات"))
        .unwrap_or_else(|| panic!("no contents page in:\n{text}"));
    assert!(
        contents.contains('١') || contents.contains('٢'),
        "{contents}"
    );
    assert!(!contents.chars().any(|c| c.is_ascii_digit()), "{contents}");
    // Nothing dates this edition (no imprint date, no page date): no date
    // is printed rather than a made-up one.
    assert!(!text.contains("1970"), "{text}");
}

#[test]
fn pdfs_are_byte_identical_across_builds_and_thread_counts() {
    let site = cards_site("identical");
    let one = site.run_with_env(&["build"], &[("RAYON_NUM_THREADS", "1")]);
    assert!(one.success, "{}", one.stderr);
    let first = std::fs::read(site.root.join("public/de/print.pdf")).unwrap();
    let two = site.run_with_env(&["build"], &[("RAYON_NUM_THREADS", "2")]);
    assert!(two.success, "{}", two.stderr);
    let second = std::fs::read(site.root.join("public/de/print.pdf")).unwrap();
    assert!(first == second, "the PDF differs between 1 and 2 threads");
    let three = site.run(&["build"]);
    assert!(three.success);
    let third = std::fs::read(site.root.join("public/de/print.pdf")).unwrap();
    assert!(first == third, "the PDF differs between two builds");
}

#[test]
fn pages_link_the_pdf_with_its_size_and_check_follows_the_links() {
    let site = cards_site("links");
    site.build_ok(&[]);
    let size = std::fs::metadata(site.root.join("public/de/print.pdf"))
        .unwrap()
        .len();
    let kb = size.div_ceil(1000);
    let card = site.output("de/cards/hitze/index.html");
    assert!(card.contains("href=\"/de/print.pdf\""), "{card}");
    assert!(card.contains("Als PDF herunterladen"), "{card}");
    assert!(
        card.contains(&format!("({kb} kB)")),
        "{kb} kB not in the card page"
    );
    let print = site.output("de/print/index.html");
    assert!(print.contains("href=\"/de/print.pdf\""));
    let home = site.output("de/index.html");
    assert!(home.contains("href=\"/de/print.pdf\""), "{home}");
    let ro = site.output("ro/index.html");
    assert!(ro.contains("Descarcă în format PDF") || ro.contains("href=\"/ro/print.pdf\""));
    // `check` renders the PDFs too: no link to them is broken (the one
    // warning is the placeholder base URL).
    let check = site.run(&["check"]);
    let report = format!("{}{}", check.stdout, check.stderr);
    assert!(check.success, "{report}");
    assert!(
        report.contains("0 error(s), 1 warning(s) (config 1)"),
        "{report}"
    );
}

#[test]
fn no_pdf_and_pdf_false_leave_the_pdfs_and_their_links_out() {
    let site = cards_site("off");
    site.build_ok(&["--no-pdf"]);
    assert!(!site.output_exists("de/print.pdf"));
    assert!(
        !site
            .output("de/cards/hitze/index.html")
            .contains("print.pdf")
    );
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}pdf: false\n"));
    site.build_ok(&[]);
    assert!(!site.output_exists("de/print.pdf"));
    assert!(!site.output("de/index.html").contains("print.pdf"));
}

#[test]
fn raw_html_in_a_card_is_a_warning_at_its_line() {
    let site = cards_site("raw");
    site.write(
        "content/cards/02-wasser.de.md",
        "---\ntitle: Regenwasser sammeln\ncategory: water\n---\nText.\n\n<marquee>Laut</marquee>\n",
    );
    let run = site.build_ok(&[]);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains(
            "content/cards/02-wasser.de.md:7:1: warning: `<marquee>` cannot be typeset in the PDF"
        ),
        "{all}"
    );
}

#[test]
fn a_card_shows_its_facts_and_its_title_heads_every_page_it_fills_on_a5() {
    let site = cards_site("facts");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}paper: a5\n"));
    // A card long enough for several pages.
    let long: String = (1..=40)
        .map(|n| format!("Absatz {n} über Wasser im Quartier, das im Sommer gebraucht wird.\n\n"))
        .collect();
    site.write(
        "content/cards/02-wasser.de.md",
        format!("---\ntitle: Regenwasser sammeln\ncategory: water\nduration: 1 Tag\n---\n{long}"),
    );
    site.build_ok(&[]);
    let pdf = site.root.join("public/de/print.pdf");
    let Some(info) = tool("pdfinfo", &[path_str(&pdf)]) else {
        return;
    };
    // A5 is 148 × 210 mm: 419.53 × 595.28 pt.
    let size: Vec<f64> = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .expect("a page size")
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        (size[0] - 419.53).abs() < 0.1 && (size[1] - 595.28).abs() < 0.1,
        "{info}"
    );
    let pages = pages(&pdf).unwrap();
    // The facts box: each declared field's label and the value's label.
    let start = pages
        .iter()
        .position(|p| p.contains("Absatz 1 "))
        .expect("the long card");
    let first = &pages[start];
    for fact in ["Kategorie", "Wasser", "Dauer", "1 Tag"] {
        assert!(first.contains(fact), "{fact} missing:\n{first}");
    }
    // Every further page of the card has its title as the running head.
    let end = pages
        .iter()
        .position(|p| p.contains("Absatz 40 "))
        .expect("the card's last paragraph");
    assert!(end > start, "the card fills more than one page");
    for page in &pages[start + 1..=end] {
        let head = page
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        assert!(
            head.contains("Regenwasser sammeln"),
            "running head {head:?}:\n{page}"
        );
    }
}
