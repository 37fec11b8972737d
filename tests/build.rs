//! `drehbuch build` as a process: its summary line, the files it writes
//! beside the rendered pages, and that the output does not depend on
//! when or how it was made. What pages contain is compared per behaviour
//! in tests/cases/ (see tests/README.md).

mod common;

use common::TestSite;

/// A site written by the test: two German pages, one English, a static
/// file and a hidden one.
fn small_site() -> TestSite {
    let site = TestSite::empty("small");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/seite.de.md", "---\ntitle: Seite\n---\nText.\n")
    .write("static/extra.css", "body { color: #222; }")
    .write("static/.env", "SECRET=1");
    site
}

#[test]
fn the_summary_line_counts_pages_per_language_and_static_files_are_copied() {
    let site = small_site();
    let run = site.build_ok(&[]);
    assert!(
        run.stdout.starts_with("built 3 pages (de 2, en 1) into "),
        "{}",
        run.stdout
    );
    assert_eq!(site.output("extra.css"), "body { color: #222; }");
    // The built-in theme's own static files come along.
    assert!(site.output("css/site.css").contains("body"));
    assert!(
        !site.output_exists(".env"),
        "hidden files are never published"
    );
    assert!(
        run.stderr
            .contains("static: warning: 1 hidden file or folder is not published: .env"),
        "{}",
        run.stderr
    );
}

#[test]
fn builds_are_byte_identical() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let first = site.snapshot();
    site.build_ok(&[]);
    let second = site.snapshot();
    assert_eq!(first, second);
}

#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
    // Pages are rendered, written and indexed for search in parallel; the
    // result must not depend on how the work was spread. Two-page search
    // shards make several shards index side by side.
    let site = TestSite::fixture("basic");
    let mut snapshots = Vec::new();
    for threads in ["1", "2", "5"] {
        let _ = std::fs::remove_dir_all(site.root.join("public"));
        let run = site.run_with_env(
            &["build"],
            &[
                ("RAYON_NUM_THREADS", threads),
                ("DREHBUCH_SEARCH_SHARD_PAGES", "2"),
            ],
        );
        assert!(run.success, "{}{}", run.stdout, run.stderr);
        snapshots.push(site.snapshot());
    }
    // With search (the default when drehbuch has it), the fixture has more
    // than one German search shard.
    assert_eq!(
        snapshots[0]
            .iter()
            .any(|(path, _)| path.starts_with("pagefind/de/1/")),
        cfg!(feature = "search"),
    );
    assert_eq!(snapshots[0], snapshots[1], "1 thread and 2 threads");
    assert_eq!(snapshots[0], snapshots[2], "1 thread and 5 threads");
}

#[test]
fn maps_shown_by_templates_come_out_in_the_same_order_every_build() {
    // Templates iterate maps (each language's PDFs on the home page, a
    // page's `pages` fields); tera's maps once iterated in a random order,
    // so two builds of the same site differed.
    let site = TestSite::empty("map-order");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\n\
         languages:\n  - {code: de, name: Deutsch}\nprint: [zwei, eins, drei]\nsearch: false\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\n");
    for name in ["eins", "zwei", "drei"] {
        site.write(
            &format!("content/{name}/_index.de.md"),
            format!(
                "---\ntitle: Teil {name}\nfields:\n  - {{name: a, type: pages, section: eins}}\n  - {{name: b, type: pages, section: eins}}\n  - {{name: c, type: pages, section: eins}}\n---\n"
            ),
        )
        .write(
            &format!("content/{name}/seite.de.md"),
            "---\ntitle: Seite\nc: [seite]\na: [seite]\nb: [seite]\n---\nText.\n",
        );
    }
    let mut pages = Vec::new();
    for _ in 0..5 {
        site.build_ok(&[]);
        pages.push((
            site.output("index.html"),
            site.output("zwei/seite/index.html"),
        ));
    }
    for other in &pages[1..] {
        assert_eq!(&pages[0], other);
    }
    let home = &pages[0].0;
    let positions: Vec<usize> = ["Teil drei", "Teil eins", "Teil zwei"]
        .iter()
        .map(|title| {
            home.find(&format!(">{title}</a> <span class=\"pdf-size\""))
                .unwrap_or(usize::MAX)
        })
        .collect();
    if cfg!(feature = "pdf") {
        assert!(
            positions
                .windows(2)
                .all(|w| w[0] < w[1] && w[1] != usize::MAX),
            "{home}"
        );
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let before = site.output("de/index.html");
    site.write(
        "content/_index.de.md",
        "---\ntitle: Neu\nbogus: 1\n---\nNeu\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(site.output("de/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}
