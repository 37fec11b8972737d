//! `drehbuch serve` after each kind of edit (issue 20): the preview renders
//! again only what the edit touches, and is still byte for byte what a
//! full render makes. The server runs with `DREHBUCH_SERVE_VERIFY`, which
//! compares every incremental refresh with a full render and reports any
//! difference as an error ("serve missed a change of …"); each test also
//! checks what readers see, and compares the preview with a real build at
//! the end.

mod common;
mod serve_common;

use std::fs;
use std::path::Path;

use common::TestSite;
use serve_common::{Events, Server, without_live_reload};

/// A small bilingual site: a home page, a section of notes with a facet
/// field, dates, links and a print document, a page only in German, and
/// a data-driven section.
fn site() -> TestSite {
    let site = TestSite::empty("serve-edits");
    site.write(
        "site.yaml",
        "title: {de: Testbuch, en: Test book}\nbase_url: https://example.org/\ndefault_language: de\n\
         languages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\nprint: [notes]\n\
         pdf: false\n",
    );
    // `pdf: false`: the preview makes a print edition's PDF only when it
    // is asked for, so its links there show no size and the pages differ
    // from a build's; the preview's PDFs are tested in src/serve/pdf.rs.
    site.write(
        "i18n/de.yaml",
        "strings:\n  field:\n    tags: {label: Themen, heat: Hitze, rain: Regen}\n",
    );
    site.write(
        "i18n/en.yaml",
        "strings:\n  field:\n    tags: {label: Topics, heat: Heat, rain: Rain}\n",
    );
    for (lang, title, text) in [("de", "Start", "Willkommen."), ("en", "Home", "Welcome.")] {
        site.write(
            &format!("content/_index.{lang}.md"),
            format!("---\ntitle: {title}\n---\n{text}\n"),
        );
    }
    for (lang, title) in [("de", "Notizen"), ("en", "Notes")] {
        site.write(
            &format!("content/notes/_index.{lang}.md"),
            format!(
                "---\ntitle: {title}\nfields:\n  - {{name: tags, type: list, facet: true, allowed: [heat, rain]}}\n---\n{title}.\n"
            ),
        );
    }
    let notes = [
        (
            "a",
            "de",
            "Anfang",
            "2024-01-10",
            "heat",
            "Erster Text. Weiter mit [B](@/notes/b.md).",
        ),
        (
            "a",
            "en",
            "Start",
            "2024-01-10",
            "heat",
            "First text. On to [B](@/notes/b.md), [its part](@/notes/b.md#teil).",
        ),
        (
            "b",
            "de",
            "Mitte",
            "2024-02-10",
            "rain",
            "Zweiter Text.\n\n## Teil {#teil}\n\nMehr.",
        ),
        (
            "b",
            "en",
            "Middle",
            "2024-02-10",
            "rain",
            "Second text.\n\n## Part {#teil}\n\nMore.",
        ),
        (
            "c",
            "de",
            "Ende",
            "2024-03-10",
            "heat",
            "Nur auf Deutsch, zurück zu [A](@/notes/a.md).",
        ),
    ];
    for (stem, lang, title, date, tag, body) in notes {
        let weight = match stem {
            "a" => 1,
            "b" => 2,
            _ => 3,
        };
        site.write(
            &format!("content/notes/{stem}.{lang}.md"),
            format!(
                "---\ntitle: {title}\ndate: {date}\nweight: {weight}\ntags: [{tag}]\n---\n{body}\n"
            ),
        );
    }
    for (lang, title) in [("de", "Leute"), ("en", "People")] {
        site.write(
            &format!("content/people/_index.{lang}.md"),
            format!("---\ntitle: {title}\nsource: data/people.csv\n---\n"),
        );
    }
    site.write(
        "data/people.csv",
        "slug,title_de,title_en\nada,Ada,Ada\nbob,Bob,Bob\n",
    );
    site
}

/// Waits until `holds` is true after an edit, then checks that no refresh
/// so far missed a change.
fn settle(server: &Server, events: &mut Events, holds: impl Fn() -> bool) {
    events.settle(&holds);
    let stderr = server.stderr();
    assert!(!stderr.contains("serve missed"), "{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");
}

/// The page at `path` as served, without the live-reload snippet.
fn page(server: &Server, path: &str) -> String {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "{path}");
    without_live_reload(&reply.text())
}

/// Builds the site with the preview's base URL and compares every built
/// file with what the preview serves.
fn assert_preview_equals_build(site: &TestSite, server: &Server) {
    let out = site.root.with_extension("build");
    let _ = fs::remove_dir_all(&out);
    let run = site.run(&[
        "build",
        "--base-url",
        &format!("http://127.0.0.1:{}/", server.port),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(run.success, "{}", run.stderr);
    let mut files = Vec::new();
    collect(&out, &mut files);
    assert!(files.len() > 20, "{files:?}");
    for file in files {
        let relative = file
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative == ".drehbuch-output" {
            continue;
        }
        let built = fs::read(&file).unwrap();
        let served = server.get(&format!("/{relative}"));
        assert_eq!(served.status, 200, "{relative}");
        if relative.ends_with(".html") {
            assert_eq!(
                without_live_reload(&served.text()),
                String::from_utf8(built).unwrap(),
                "{relative} differs from the build"
            );
        } else {
            assert_eq!(served.body, built, "{relative} differs from the build");
        }
    }
    let _ = fs::remove_dir_all(&out);
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn replace(site: &TestSite, file: &str, from: &str, to: &str) {
    let text = fs::read_to_string(site.root.join(file)).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    site.write(file, text.replacen(from, to, 1));
}

#[test]
fn a_body_edit_shows_on_the_page_in_the_print_document_and_the_feed() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    replace(
        &site,
        "content/notes/a.en.md",
        "First text.",
        "First text, edited.",
    );
    settle(&server, &mut events, || {
        page(&server, "/en/notes/a/").contains("First text, edited.")
    });
    assert!(page(&server, "/en/print/").contains("First text, edited."));
    assert!(
        server
            .get("/en/atom.xml")
            .text()
            .contains("First text, edited.")
    );
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_title_edit_shows_in_the_listing_the_neighbours_and_the_facet_page() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    replace(
        &site,
        "content/notes/a.de.md",
        "title: Anfang",
        "title: Beginn",
    );
    settle(&server, &mut events, || {
        page(&server, "/de/notes/").contains("Beginn")
    });
    // b's previous page, the facet page of `heat`, the print document.
    assert!(page(&server, "/de/notes/b/").contains("Beginn"));
    assert!(page(&server, "/de/notes/themen/hitze/").contains("Beginn"));
    assert!(page(&server, "/de/print/").contains("Beginn"));
    assert!(!page(&server, "/de/notes/").contains("Anfang"));
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_field_value_edit_moves_the_page_between_facet_pages() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    assert!(page(&server, "/en/notes/topics/heat/").contains("Start"));
    replace(
        &site,
        "content/notes/a.en.md",
        "tags: [heat]",
        "tags: [rain]",
    );
    settle(&server, &mut events, || {
        page(&server, "/en/notes/topics/rain/").contains("Start")
    });
    // `heat` lists only the German original of c now.
    let heat = page(&server, "/en/notes/topics/heat/");
    assert!(!heat.contains("/en/notes/a/"), "{heat}");
    assert!(heat.contains("/de/notes/c/"), "{heat}");
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_date_edit_shows_on_the_page_and_reorders_the_feed() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    replace(
        &site,
        "content/notes/a.en.md",
        "date: 2024-01-10",
        "date: 2025-05-20",
    );
    settle(&server, &mut events, || {
        page(&server, "/en/notes/a/").contains("2025-05-20")
    });
    let feed = server.get("/en/atom.xml").text();
    let first = feed.find("/en/notes/a/").unwrap();
    let second = feed.find("/en/notes/b/").unwrap();
    assert!(first < second, "the newest entry comes first: {feed}");
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_new_page_and_a_deleted_page_change_listings_neighbours_and_links() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    site.write(
        "content/notes/d.de.md",
        "---\ntitle: Nachtrag\nweight: 4\ntags: [rain]\n---\nSpäter.\n",
    );
    settle(&server, &mut events, || {
        page(&server, "/de/notes/").contains("Nachtrag")
    });
    assert!(
        page(&server, "/de/notes/c/").contains("Nachtrag"),
        "the next page"
    );
    assert!(page(&server, "/de/notes/themen/regen/").contains("Nachtrag"));
    let mut events = server.events();
    site.remove("content/notes/b.en.md");
    settle(&server, &mut events, || {
        server.get("/en/notes/b/").status == 404
    });
    // The English listing shows the German original instead.
    assert!(page(&server, "/en/notes/").contains("Mitte"));
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_ui_string_edit_renames_facet_labels_and_their_pages() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    replace(&site, "i18n/de.yaml", "heat: Hitze", "heat: Sommerhitze");
    settle(&server, &mut events, || {
        server.get("/de/notes/themen/sommerhitze/").status == 200
    });
    assert_eq!(server.get("/de/notes/themen/hitze/").status, 404);
    assert!(page(&server, "/de/notes/a/").contains("Sommerhitze"));
    assert_preview_equals_build(&site, &server);
}

/// Issue 20: a template that shows a UI string of another language
/// (`t(key=…, lang="en")`) was not rendered again when that language's
/// strings changed, unless they were in the page language's fallbacks.
#[test]
fn a_ui_string_of_another_language_that_a_template_shows_is_followed() {
    let site = site();
    site.write(
        "site.yaml",
        "title: {de: Testbuch, en: Test book, ro: Carte}\nbase_url: https://example.org/\ndefault_language: de\n\
         languages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\n  - {code: ro, name: Română}\n",
    );
    site.write("i18n/ro.yaml", "strings:\n  greeting: Salut\n");
    // A home page for the new language, which every page's chooser links
    // to (the preview's output checks would report the link otherwise).
    site.write("content/_index.ro.md", "---\ntitle: Acasă\n---\n");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"greeting\">{{ t(key=\"greeting\", lang=\"ro\") }}</p>{{ page.content | safe }}{% endblock content %}",
    );
    let server = Server::start(&site);
    assert!(page(&server, "/de/notes/a/").contains("<p class=\"greeting\">Salut</p>"));
    let mut events = server.events();
    site.write("i18n/ro.yaml", "strings:\n  greeting: Bună\n");
    settle(&server, &mut events, || {
        page(&server, "/de/notes/a/").contains("<p class=\"greeting\">Bună</p>")
    });
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_template_edit_shows_on_every_page_that_uses_it() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }}</p>{{ page.content | safe }}{% endblock content %}",
    );
    settle(&server, &mut events, || {
        page(&server, "/de/notes/c/").contains("<p class=\"custom\">Ende</p>")
    });
    assert!(page(&server, "/en/people/ada/").contains("<p class=\"custom\">Ada</p>"));
    assert!(
        !page(&server, "/de/notes/").contains("class=\"custom\""),
        "sections keep theirs"
    );
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_data_row_edit_shows_on_its_page_and_in_the_listing() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    site.write(
        "data/people.csv",
        "slug,title_de,title_en\nada,Ada Lovelace,Ada Lovelace\nbob,Bob,Bob\ncy,Cy,Cy\n",
    );
    settle(&server, &mut events, || {
        page(&server, "/en/people/ada/").contains("Ada Lovelace")
            && server.get("/de/people/cy/").status == 200
    });
    assert!(page(&server, "/de/people/").contains("Ada Lovelace"));
    assert!(
        page(&server, "/de/people/bob/").contains("Ada Lovelace"),
        "the previous page"
    );
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_section_index_edit_shows_in_navigation_breadcrumbs_and_facets() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    replace(
        &site,
        "content/notes/_index.en.md",
        "title: Notes",
        "title: Notebook",
    );
    settle(&server, &mut events, || {
        page(&server, "/en/").contains("Notebook")
    });
    // The main navigation of every English page, and the breadcrumbs.
    assert!(page(&server, "/en/people/ada/").contains("Notebook"));
    assert!(page(&server, "/en/notes/b/").contains("Notebook"));
    // A field declaration: a new allowed value with a page of its own.
    let mut events = server.events();
    for lang in ["de", "en"] {
        replace(
            &site,
            &format!("content/notes/_index.{lang}.md"),
            "allowed: [heat, rain]",
            "allowed: [heat, rain, wind]",
        );
    }
    replace(
        &site,
        "content/notes/b.en.md",
        "tags: [rain]",
        "tags: [rain, wind]",
    );
    settle(&server, &mut events, || {
        server.get("/en/notes/topics/wind/").status == 200
    });
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_weight_edit_reorders_the_listing_and_the_neighbours() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    replace(&site, "content/notes/c.de.md", "weight: 3", "weight: 0");
    settle(&server, &mut events, || {
        let listing = page(&server, "/de/notes/");
        listing.find("Ende").unwrap() < listing.find("Anfang").unwrap()
    });
    // c now comes before a: a's previous page is c.
    assert!(page(&server, "/de/notes/a/").contains("rel=\"prev\""));
    assert_preview_equals_build(&site, &server);
}

#[test]
fn an_anchor_an_edit_removes_is_reported_where_it_is_linked() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    replace(&site, "content/notes/b.en.md", "## Part {#teil}", "## Part");
    let (_, data) = events.until(|name, _| name == "errors");
    assert!(
        data.contains("content/notes/a.en.md:7:") && data.contains("broken anchor"),
        "{data}"
    );
    let mut events = server.events();
    // A new connection first gets the problems that are still current.
    assert_eq!(events.next().0, "errors");
    replace(&site, "content/notes/b.en.md", "## Part", "## Part {#teil}");
    events.until(|name, _| name == "reload");
    assert!(page(&server, "/en/notes/a/").contains("/en/notes/b/#teil"));
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_page_asked_for_while_the_preview_rebuilds_is_served_not_missing() {
    let site = site();
    let server = Server::start(&site);
    let mut events = server.events();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        // A reader keeps asking for a page while a template change renders
        // every page again (the longest rebuild there is).
        let reader = scope.spawn(|| {
            let mut statuses = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                statuses.push(server.get("/de/notes/c/").status);
            }
            statuses
        });
        site.write(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }}</p>{{ page.content | safe }}{% endblock content %}",
        );
        settle(&server, &mut events, || {
            page(&server, "/de/notes/c/").contains("<p class=\"custom\">Ende</p>")
        });
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let statuses = reader.join().unwrap();
        let missing = statuses.iter().filter(|&&s| s != 200).count();
        assert_eq!(
            missing,
            0,
            "{missing} of {} requests failed",
            statuses.len()
        );
    });
}
