//! The example site in the repository: the toolbox must keep all eleven
//! cards in German and English with every field and body section, and its
//! category pages, print documents and third language must keep working.

use std::path::{Path, PathBuf};
use std::process::Command;

const CARDS: [&str; 11] = [
    "plenary-sessions",
    "working-groups",
    "local-action-groups",
    "heat-check-school",
    "heat-information-campaign",
    "temperature-sensors",
    "climate-resilient-backyard",
    "water-filling-stations",
    "urban-gardening",
    "reform-your-basement",
    "heavy-rain-action-day",
];
const SECTIONS: [&str; 7] = [
    "what", "who", "steps", "needs", "tips", "dortmund", "transfer",
];
const FIELDS: [&str; 6] = [
    "category",
    "hazards",
    "audience",
    "participants",
    "duration",
    "effort",
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn toolbox_has_eleven_cards_in_german_and_english_with_all_fields_and_sections() {
    for card in CARDS {
        for lang in ["de", "en"] {
            let path = repo().join(format!("content/cards/{card}.{lang}.md"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let front = text.split("\n---").next().unwrap();
            for field in FIELDS {
                assert!(
                    front.contains(&format!("\n{field}:")),
                    "{card}.{lang}: missing field {field}"
                );
            }
            let mut last = 0;
            for section in SECTIONS {
                let marker = format!("{{#{section}}}");
                let at = text
                    .find(&marker)
                    .unwrap_or_else(|| panic!("{card}.{lang}: missing section {marker}"));
                assert!(at > last, "{card}.{lang}: section {marker} out of order");
                last = at;
            }
        }
    }
    let count = std::fs::read_dir(repo().join("content/cards"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name().to_string_lossy().ends_with(".en.md")
                && !e.file_name().to_string_lossy().starts_with('_')
        })
        .count();
    assert_eq!(count, 11, "exactly eleven English cards");
}

fn build_example() -> PathBuf {
    let out = std::env::temp_dir().join(format!("drehbuch-example-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let output = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stderr.contains("warning"),
        "the example site builds without warnings:\n{stderr}"
    );
    out
}

#[test]
fn example_site_builds_cards_categories_print_and_publication() {
    let out = build_example();
    let read =
        |p: &str| std::fs::read_to_string(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));

    let overview = read("de/formate/index.html");
    assert_eq!(overview.matches("class=\"card-tile").count(), 11);
    for group in [
        "Prozessformate",
        "Hitzevorsorge",
        "Stadtgrün",
        "Starkregenvorsorge",
    ] {
        assert!(overview.contains(group), "{group}");
    }
    // One localized listing page per category, without JavaScript.
    let heat = read("de/formate/kategorie/hitzevorsorge/index.html");
    assert_eq!(heat.matches("class=\"card-tile").count(), 3);
    let heat_en = read("en/cards/category/heat-prevention/index.html");
    assert!(heat_en.contains(
        "hreflang=\"de\" href=\"https://example.org/drehbuch/de/formate/kategorie/hitzevorsorge/\""
    ));

    // Fact box with localized labels and related cards.
    let card = read("en/cards/heat-check-school/index.html");
    assert!(card.contains("<dt>Audience</dt>"));
    assert!(card.contains("class=\"related\""));

    // Print documents: every card, each on its own page.
    let print = read("en/print/index.html");
    assert_eq!(
        print.matches("<article class=\"card print-card").count(),
        11
    );
    let chapters = read("de/print/publikation/index.html");
    assert!(chapters.matches("<article class=\"card print-card").count() >= 10);

    // On paper, links become numbered notes with absolute URLs.
    assert!(print.contains("class=\"link-ref\""));
    let part = &print[print
        .find("id=\"card-local-action-groups\"")
        .expect("the card's part")..];
    let key = part
        .split("aria-labelledby=\"")
        .nth(1)
        .and_then(|rest| rest.split("-title\"").next())
        .unwrap();
    assert!(
        print.contains(&format!(
            "<li id=\"{key}-link-1\">https://example.org/drehbuch/"
        )),
        "{print}"
    );

    // Publication: numbered chapters grouped in parts.
    let contents = read("en/publication/index.html");
    assert!(contents.contains("Part 1"));
    assert!(contents.contains("Chapter 1"));

    // Romanian: untranslated cards are listed with a notice, never a dead
    // link; Romanian readers fall back to English first, named in Romanian.
    let ro = read("ro/formate/index.html");
    assert!(ro.contains("doar în engleză"), "{ro}");
    assert!(!ro.contains("doar în germană"), "{ro}");
    for (i, _) in ro.match_indices("href=\"/drehbuch/") {
        let href = &ro[i + 6..];
        let href = &href[..href.find('"').unwrap()];
        let path = href
            .trim_start_matches("/drehbuch/")
            .split('#')
            .next()
            .unwrap();
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        assert!(out.join(&file).exists(), "dead link {href} on /ro/formate/");
    }
    // The base URL has a sub-path: every site-absolute URL carries it.
    for entry in walk(&out) {
        if entry.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(&entry).unwrap();
        for attribute in [" href=\"/", " src=\"/"] {
            for (i, _) in html.match_indices(attribute) {
                let value = &html[i + attribute.len() - 1..];
                assert!(
                    value.starts_with("/drehbuch/"),
                    "{}: {}",
                    entry.display(),
                    &value[..value.find('"').unwrap_or(0)]
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
