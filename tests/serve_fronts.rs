//! `drehbuch serve` after an edit of a page's front matter (issue 20): the
//! page is read again and taken into the loaded site in place, and the
//! preview renders exactly the files that show what changed. Every page
//! that shows the title (the page, its section's listings in both
//! languages, its neighbours, its facet page, the print document, the
//! feed) shows the new one; lists ordered by title or date are reordered;
//! no other file is rewritten. Edits that change the structure (a slug,
//! a new facet value) fall back to the full reload. The server runs with
//! `DREHBUCH_SERVE_VERIFY` (every refresh compared with a full render) and
//! `DREHBUCH_TIMINGS` (which names the path an edit took).

mod common;
mod serve_common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::TestSite;
use serve_common::{Server, Start, without_live_reload};

/// A bilingual site: a section of notes ordered by title, with a facet
/// field and dates (a German-only page among them), printed as one
/// document; and a section of other pages that link to the notes.
fn site() -> TestSite {
    let site = TestSite::empty("serve-fronts");
    site.write(
        "site.yaml",
        "title: {de: Testbuch, en: Test book}\nbase_url: https://example.org/\ndefault_language: de\n\
         languages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\nprint: [notes]\nsearch: false\n\
         pdf: false\n",
    );
    // `pdf: false`: the preview makes a print edition's PDF only when it is
    // asked for, so its links show no size there and pages would differ
    // from a build's (as in serve_edits.rs).
    site.write(
        "i18n/de.yaml",
        "strings:\n  field:\n    tags: {label: Themen, heat: Hitze, rain: Regen, wind: Wind}\n",
    );
    site.write(
        "i18n/en.yaml",
        "strings:\n  field:\n    tags: {label: Topics, heat: Heat, rain: Rain, wind: Wind}\n",
    );
    for (lang, title) in [("de", "Start"), ("en", "Home")] {
        site.write(
            &format!("content/_index.{lang}.md"),
            format!("---\ntitle: {title}\n---\nHallo.\n"),
        );
    }
    for (dir, lang, title, fields) in [
        ("notes", "de", "Notizen", true),
        ("notes", "en", "Notes", true),
        ("misc", "de", "Vermischtes", false),
        ("misc", "en", "Miscellany", false),
    ] {
        let fields = if fields {
            "fields:\n  - {name: tags, type: list, facet: true, allowed: [heat, rain, wind]}\n"
        } else {
            ""
        };
        site.write(
            &format!("content/{dir}/_index.{lang}.md"),
            format!("---\ntitle: {title}\n{fields}---\n{title}.\n"),
        );
    }
    for (stem, lang, title, date, tag) in [
        ("a", "de", "Anfang", "2024-01-10", "heat"),
        ("a", "en", "Beginning", "2024-01-10", "heat"),
        ("b", "de", "Mitte", "2024-02-10", "rain"),
        ("b", "en", "Middle", "2024-02-10", "rain"),
        ("c", "de", "Ende", "2024-03-10", "heat"),
    ] {
        site.write(
            &format!("content/notes/{stem}.{lang}.md"),
            format!("---\ntitle: {title}\ndate: {date}\ntags: [{tag}]\n---\nText {stem}.\n"),
        );
    }
    for lang in ["de", "en"] {
        site.write(
            &format!("content/misc/x.{lang}.md"),
            format!(
                "---\ntitle: X {lang}\n---\nSiehe [das Ende](@/notes/c.md) und [B](@/notes/b.md).\n"
            ),
        );
    }
    site
}

fn start(site: &TestSite) -> Server {
    Server::start_with(
        site,
        Start {
            env: &[("DREHBUCH_TIMINGS", "1")],
            ..Start::default()
        },
    )
}

/// The files a build of the site writes, as the preview's paths.
fn output_paths(site: &TestSite, server: &Server) -> Vec<String> {
    let out = site.root.with_extension("paths");
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
    let mut paths: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p != ".drehbuch-output")
        .collect();
    paths.sort();
    let _ = fs::remove_dir_all(&out);
    paths
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

/// What the preview serves at each of `paths` (pages without the
/// live-reload snippet).
fn served(server: &Server, paths: &[String]) -> BTreeMap<String, String> {
    paths
        .iter()
        .map(|path| {
            let reply = server.get(&format!("/{path}"));
            assert_eq!(reply.status, 200, "{path}");
            (path.clone(), without_live_reload(&reply.text()))
        })
        .collect()
}

/// The paths whose served bytes differ between two snapshots.
fn differing(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    after
        .iter()
        .filter(|(path, text)| before.get(*path) != Some(*text))
        .map(|(path, _)| path.clone())
        .collect()
}

fn page(server: &Server, path: &str) -> String {
    let reply = server.get(path);
    assert_eq!(reply.status, 200, "{path}");
    without_live_reload(&reply.text())
}

fn replace(site: &TestSite, file: &str, from: &str, to: &str) {
    let text = fs::read_to_string(site.root.join(file)).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    site.write(file, text.replacen(from, to, 1));
}

/// Waits until the server reported the rebuild after an edit (stdout and
/// stderr past `marks`, taken before the edit) and `holds`; returns the
/// new stdout and stderr. Fails on a missed change or an error.
fn rebuilt(server: &Server, marks: (usize, usize), holds: impl Fn() -> bool) -> (String, String) {
    let started = Instant::now();
    loop {
        let out = server.stdout()[marks.0..].to_string();
        let err = server.stderr()[marks.1..].to_string();
        if out.contains("rebuilt ") && holds() {
            assert!(!err.contains("serve missed"), "{err}");
            assert!(!err.contains("error:"), "{err}");
            return (out, err);
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no rebuild: {out}\n{err}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts that the server's timing lines (`err`) show an edit taken in
/// place: only the edited pages' translation groups worked out again,
/// neither the whole content stage nor a full reload.
fn assert_in_place(err: &str) {
    assert!(err.contains("timing: front matter: content"), "{err}");
    assert!(err.contains("timing: front matter: markdown"), "{err}");
    assert!(!err.contains("needs the whole content stage"), "{err}");
    assert!(!err.contains("full reload"), "{err}");
}

fn marks(server: &Server) -> (usize, usize) {
    (server.stdout().len(), server.stderr().len())
}

/// The number in the last `rebuilt N page(s)` line.
fn rebuilt_count(out: &str) -> usize {
    let line = out.lines().rfind(|l| l.starts_with("rebuilt ")).unwrap();
    line["rebuilt ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_title_edit_is_taken_in_place_and_rewrites_exactly_the_files_that_show_it() {
    let site = site();
    let server = start(&site);
    let paths = output_paths(&site, &server);
    let before = served(&server, &paths);
    let at = marks(&server);
    // "Abschluss" sorts before "Anfang": the listing is reordered too.
    replace(
        &site,
        "content/notes/c.de.md",
        "title: Ende",
        "title: Abschluss",
    );
    let (out, err) = rebuilt(&server, at, || {
        page(&server, "/de/notes/c/").contains("Abschluss")
    });
    assert_in_place(&err);
    assert!(!err.contains("all inputs compared"), "{err}");
    let after = served(&server, &paths);
    let changed = differing(&before, &after);
    assert_eq!(
        changed,
        [
            // In German: the feeds' entries, the page itself, its
            // neighbours (c was last, now first: a's previous page, and b
            // is last), the listing, the facet page of `heat`, the print
            // document. In English, where c is listed as "only in German":
            // the same neighbours, listing, facet page and print document.
            "de/atom.xml",
            "de/notes/a/index.html",
            "de/notes/atom.xml",
            "de/notes/b/index.html",
            "de/notes/c/index.html",
            "de/notes/index.html",
            "de/notes/themen/hitze/index.html",
            "de/print/index.html",
            "en/notes/a/index.html",
            "en/notes/b/index.html",
            "en/notes/index.html",
            "en/notes/topics/heat/index.html",
            "en/print/index.html",
        ]
    );
    // Only those were rendered again; the pages linking to c (misc/x)
    // show their own link text and are untouched.
    assert_eq!(rebuilt_count(&out), changed.len(), "{out}");
    let listing = page(&server, "/de/notes/");
    assert!(listing.find("Abschluss").unwrap() < listing.find("Anfang").unwrap());
    assert!(!listing.contains("Ende"), "{listing}");
    assert!(page(&server, "/en/notes/").contains("Abschluss"));
    assert!(page(&server, "/de/print/").contains("Abschluss"));
    assert!(server.get("/de/atom.xml").text().contains("Abschluss"));
    assert!(page(&server, "/de/notes/themen/hitze/").contains("Abschluss"));
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_date_edit_and_a_tag_edit_reorder_and_regroup_in_place() {
    let site = site();
    let server = start(&site);
    let at = marks(&server);
    // a becomes the newest entry of the feed.
    replace(
        &site,
        "content/notes/a.en.md",
        "date: 2024-01-10",
        "date: 2025-05-20",
    );
    let (_, err) = rebuilt(&server, at, || {
        page(&server, "/en/notes/a/").contains("2025-05-20")
    });
    assert_in_place(&err);
    let feed = server.get("/en/atom.xml").text();
    assert!(
        feed.find("/en/notes/a/").unwrap() < feed.find("/en/notes/b/").unwrap(),
        "{feed}"
    );
    // The sitemap dates the page anew (it is made again only after a
    // date edit).
    let sitemap = server.get("/sitemap.xml").text();
    let entry = sitemap
        .split("<url>")
        .find(|e| e.contains("/en/notes/a/</loc>"))
        .unwrap();
    assert!(entry.contains("<lastmod>2025-05-20</lastmod>"), "{sitemap}");
    // c (German only) moves from `heat` to `rain`, a value other pages
    // use already. (A translation's tags that differ from its original's
    // are a warning, which the whole content stage reports: see
    // a_translations_disagreement_is_reported_after_an_edit_and_forgotten_after_the_fix.)
    let at = marks(&server);
    replace(
        &site,
        "content/notes/c.de.md",
        "tags: [heat]",
        "tags: [rain]",
    );
    let (_, err) = rebuilt(&server, at, || {
        page(&server, "/de/notes/themen/regen/").contains("Ende")
    });
    assert_in_place(&err);
    let heat = page(&server, "/de/notes/themen/hitze/");
    assert!(!heat.contains("Ende"), "{heat}");
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_slug_edit_or_a_new_facet_value_falls_back_to_the_full_path() {
    let site = site();
    let server = start(&site);
    let at = marks(&server);
    replace(
        &site,
        "content/notes/b.en.md",
        "title: Middle",
        "title: Middle\nslug: centre",
    );
    let (_, err) = rebuilt(&server, at, || {
        server.get("/en/notes/centre/").status == 200
    });
    assert!(
        err.contains("timing: front matter: the structure changed, full reload"),
        "{err}"
    );
    assert_eq!(server.get("/en/notes/b/").status, 404);
    assert!(page(&server, "/en/misc/x/").contains("/en/notes/centre/"));
    // `wind` is allowed but used by no page yet: its facet pages are new.
    let at = marks(&server);
    replace(
        &site,
        "content/notes/b.de.md",
        "tags: [rain]",
        "tags: [wind]",
    );
    let (_, err) = rebuilt(&server, at, || {
        server.get("/de/notes/themen/wind/").status == 200
    });
    assert!(
        err.contains("timing: front matter: the derived pages changed"),
        "{err}"
    );
    assert!(page(&server, "/de/notes/themen/wind/").contains("Mitte"));
    assert_preview_equals_build(&site, &server);
}

/// Builds the site with the preview's base URL and compares every built
/// file with what the preview serves.
fn assert_preview_equals_build(site: &TestSite, server: &Server) {
    let paths = output_paths(site, server);
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
    for relative in paths {
        let built = fs::read(out.join(&relative)).unwrap();
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

#[test]
fn a_weight_edit_of_an_original_reorders_its_translations_listing_in_place() {
    let site = site();
    let server = start(&site);
    let listing = page(&server, "/en/notes/");
    assert!(listing.find("Beginning").unwrap() < listing.find("Middle").unwrap());
    let at = marks(&server);
    // The English translation has no weight: it takes the original's, and
    // a weighted page comes before those without.
    replace(
        &site,
        "content/notes/b.de.md",
        "title: Mitte",
        "title: Mitte\nweight: 1",
    );
    let (_, err) = rebuilt(&server, at, || {
        let listing = page(&server, "/en/notes/");
        listing.find("Middle").unwrap() < listing.find("Beginning").unwrap()
    });
    assert_in_place(&err);
    // b is now the first page in English: a's previous page.
    let a = page(&server, "/en/notes/a/");
    let prev = a.split("rel=\"prev\" href=\"").nth(1).unwrap();
    assert!(
        prev.split('"').next().unwrap().ends_with("/en/notes/b/"),
        "{a}"
    );
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_title_edit_shows_on_the_stand_in_of_an_untranslated_page() {
    let site = site();
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}untranslated: render\n"));
    let server = start(&site);
    assert!(page(&server, "/en/notes/c/").contains("Ende"));
    let at = marks(&server);
    replace(
        &site,
        "content/notes/c.de.md",
        "title: Ende",
        "title: Abschluss",
    );
    let (_, err) = rebuilt(&server, at, || {
        page(&server, "/en/notes/c/").contains("Abschluss")
    });
    assert_in_place(&err);
    assert!(page(&server, "/en/notes/").contains("Abschluss"));
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_translations_disagreement_is_reported_after_an_edit_and_forgotten_after_the_fix() {
    let site = site();
    let server = start(&site);
    let warning = "`weight` is set here but not in the original";
    let has_warning = |server: &Server| {
        let (_, shown) = server.problems_panel();
        shown
            .iter()
            .any(|p| p.starts_with("content/notes/a.en.md:") && p.contains(warning))
    };
    assert!(!has_warning(&server));
    // The translation sets a weight its original lacks: a warning of the
    // content stage, which the in-place path leaves to the whole stage.
    let at = marks(&server);
    replace(
        &site,
        "content/notes/a.en.md",
        "title: Beginning",
        "title: Beginning\nweight: 3",
    );
    let (_, err) = rebuilt(&server, at, || has_warning(&server));
    assert!(
        err.contains("timing: front matter: a group needs the whole content stage"),
        "{err}"
    );
    assert!(!err.contains("full reload"), "{err}");
    // A title edit elsewhere is taken in place and keeps the warning.
    let at = marks(&server);
    replace(
        &site,
        "content/notes/b.en.md",
        "title: Middle",
        "title: Centre",
    );
    let (_, err) = rebuilt(&server, at, || {
        page(&server, "/en/notes/b/").contains("Centre")
    });
    assert_in_place(&err);
    assert!(has_warning(&server));
    // Mended: the group had a problem, so the whole stage runs again and
    // the warning is gone.
    let at = marks(&server);
    replace(
        &site,
        "content/notes/a.en.md",
        "title: Beginning\nweight: 3",
        "title: Start",
    );
    let (_, err) = rebuilt(&server, at, || {
        page(&server, "/en/notes/a/").contains("Start")
    });
    assert!(
        err.contains("timing: front matter: a group needs the whole content stage"),
        "{err}"
    );
    assert!(!has_warning(&server));
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_save_through_a_temporary_file_renamed_over_the_page_is_the_edit_of_one_page() {
    let site = site();
    let server = start(&site);
    let at = marks(&server);
    // As `sed -i` and many editors save: a new file beside the page,
    // renamed over it. The temporary name comes and goes in one batch.
    let path = site.root.join("content/notes/b.en.md");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replacen("title: Middle", "title: Centre", 1);
    let temporary = site.root.join("content/notes/sedQ2xk9p");
    fs::write(&temporary, text).unwrap();
    fs::rename(&temporary, &path).unwrap();
    let (_, err) = rebuilt(&server, at, || {
        page(&server, "/en/notes/b/").contains("Centre")
    });
    assert_in_place(&err);
    assert_preview_equals_build(&site, &server);
}

#[test]
fn a_pages_field_edit_moves_the_backlink_in_place() {
    let site = site();
    for (lang, title) in [("de", "Vermischtes"), ("en", "Miscellany")] {
        site.write(
            &format!("content/misc/_index.{lang}.md"),
            format!(
                "---\ntitle: {title}\nfields:\n  - {{name: see, type: pages, section: notes}}\n---\n{title}.\n"
            ),
        );
    }
    site.write(
        "content/misc/x.de.md",
        "---\ntitle: X de\nsee: [a]\n---\nText.\n",
    );
    let server = start(&site);
    assert!(page(&server, "/de/notes/a/").contains("X de"));
    assert!(!page(&server, "/de/notes/b/").contains("X de"));
    let at = marks(&server);
    replace(&site, "content/misc/x.de.md", "see: [a]", "see: [b]");
    let (_, err) = rebuilt(&server, at, || {
        page(&server, "/de/notes/b/").contains("X de")
    });
    assert_in_place(&err);
    assert!(!page(&server, "/de/notes/a/").contains("X de"));
    assert_preview_equals_build(&site, &server);
}
