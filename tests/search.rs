//! Full-text search (issue 12): `build` writes a Pagefind index per
//! language with only the pages' own content, the theme links a search
//! page per language, and `search: false` turns all of it off. The index
//! is exercised in a real browser by scripts/validate/search.mjs (CI).

mod common;

use common::TestSite;

/// Pages in the index per language, summed over the language's shards.
fn page_counts(site: &TestSite) -> serde_json::Value {
    let manifest: serde_json::Value =
        serde_json::from_str(&site.output("pagefind/shards.json")).expect("shards.json is JSON");
    let mut counts = serde_json::Map::new();
    for (folder, shards) in manifest["languages"].as_object().expect("languages") {
        let shards = shards["shards"].as_array().expect("shards").len();
        let mut pages = 0;
        for n in 0..shards {
            let entry: serde_json::Value = serde_json::from_str(
                &site.output(&format!("pagefind/{folder}/{n}/pagefind-entry.json")),
            )
            .expect("pagefind-entry.json is JSON");
            for (lang, meta) in entry["languages"].as_object().expect("languages") {
                assert_eq!(lang, folder, "a shard holds its folder's language");
                pages += meta["page_count"].as_u64().expect("page_count");
            }
        }
        counts.insert(folder.clone(), pages.into());
    }
    serde_json::Value::Object(counts)
}

#[test]
fn build_writes_one_index_per_language_of_content_pages_only() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    // A stand-in (German rain page under /en/) must not join the English
    // index, and print documents and facet pages are not indexed.
    site.write(
        "site.yaml",
        format!("{config}untranslated: render\nprint: [notes]\n"),
    );
    site.build_ok(&[]);
    assert!(
        site.output_exists("en/notes/starkregen/index.html"),
        "the stand-in exists"
    );
    assert!(site.output_exists("de/print/index.html"));
    // de: home, section, two notes; en: home, section, one note.
    assert_eq!(page_counts(&site), serde_json::json!({"de": 4, "en": 3}));
    assert!(site.output_exists("pagefind/de/0/pagefind.js"));
    assert!(
        !site.output_exists("pagefind/de/0/pagefind-ui.js"),
        "unused UI files are left out"
    );

    // A search page per language, linked from every page's header.
    let search = site.output("de/suche/index.html");
    assert!(search.contains("<h1>Suche</h1>"), "{search}");
    assert!(search.contains("data-search-ui"));
    assert!(site.output_exists("en/search/index.html"));
    let page = site.output("en/notes/heat/index.html");
    assert!(page.contains("action=\"/en/search/\""), "{page}");
    assert!(page.contains("<main id=\"main\" class=\"wrap\" data-pagefind-body>"));
    assert!(page.contains("<script src=\"/js/search.js\" defer></script>"));
    assert!(site.output_exists("js/search.js"));
    // The search page is no entry of the sitemap.
    assert!(!site.output("sitemap.xml").contains("/suche/"));
}

#[test]
fn fields_with_allowed_values_become_filters_and_navigation_is_ignored() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let page = site.output("de/karten/hitze-check/index.html");
    // `category` declares allowed values: its value is a search filter,
    // filed under the field's label; `audience` (free values) is not.
    assert!(
        page.contains("<span data-pagefind-filter=\"Kategorie\">Hitzevorsorge</span>"),
        "{page}"
    );
    assert_eq!(page.matches("data-pagefind-filter=").count(), 1, "{page}");
    assert!(page.contains("<nav class=\"breadcrumbs\" data-pagefind-ignore"));
}

#[test]
fn search_can_be_turned_off() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}search: false\n"));
    site.build_ok(&[]);
    assert!(!site.output_exists("pagefind/shards.json"));
    assert!(!site.output_exists("de/suche/index.html"));
    let page = site.output("en/notes/heat/index.html");
    assert!(!page.contains("site-search"), "{page}");
    assert!(!page.contains("search.js"));

    site.write("site.yaml", format!("{config}search: maybe\n"));
    let stderr = site.build_err();
    assert!(stderr.contains("site.yaml:"), "{stderr}");
    assert!(
        stderr.contains("`search` must be true or false"),
        "{stderr}"
    );
}

#[test]
fn the_index_is_the_same_on_every_build_and_follows_the_content() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let first = site.snapshot();
    site.build_ok(&[]);
    assert!(first == site.snapshot(), "two builds differ");
    site.write(
        "content/notes/heat.en.md",
        "---\ntitle: Heat\ncategory: heat\n---\n## Steps\n\nA brand new word: zanzibar.\n",
    );
    site.build_ok(&[]);
    let fragments: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("pagefind/en/0/fragment/en_"))
        .collect();
    let texts: String = fragments
        .iter()
        .map(|f| {
            let bytes = std::fs::read(site.root.join("public").join(f)).unwrap();
            let mut text = String::new();
            use std::io::Read;
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .ok();
            text
        })
        .collect();
    assert!(texts.contains("zanzibar"), "the new text is indexed");
}

#[test]
fn a_very_long_page_is_indexed_in_part_with_a_warning() {
    // A 100 MB one-word page made Pagefind abort for lack of memory; the
    // index takes the first 2 MiB of a page's content and says so.
    let site = TestSite::fixture("basic");
    let word = "a".repeat(3 * 1024 * 1024);
    site.write(
        "content/notes/lang.de.md",
        format!("---\ntitle: Lang\ncategory: heat\n---\nAnfang {word} Ende\n"),
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("only the first 2 MiB of this page (3.0 MiB) are in the search index"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/notes/lang.de.md: warning: only the first"),
        "{}",
        run.stderr
    );
    assert!(site.output_exists("pagefind/de/0/pagefind-entry.json"));
}

/// What `build` printed about reused shards, from its summary line.
fn unchanged_shards(stdout: &str) -> Option<&str> {
    let at = stdout.find("search index: ")? + "search index: ".len();
    stdout[at..].split(" shard").next()
}

#[test]
fn large_languages_are_sharded_and_unchanged_shards_are_reused() {
    // Two pages per shard (the default is 1,500): de has 4 pages, en 3.
    let site = TestSite::fixture("basic");
    let env = [("DREHBUCH_SEARCH_SHARD_PAGES", "2")];
    let build = |site: &TestSite| {
        let run = site.run_with_env(&["build"], &env);
        assert!(run.success, "{}{}", run.stdout, run.stderr);
        run.stdout
    };
    let first = build(&site);
    assert_eq!(unchanged_shards(&first), None, "{first}");
    assert_eq!(page_counts(&site), serde_json::json!({"de": 4, "en": 3}));
    let manifest: serde_json::Value =
        serde_json::from_str(&site.output("pagefind/shards.json")).unwrap();
    assert_eq!(
        manifest["languages"]["de"]["shards"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Shard 0 carries Pagefind's scripts and WebAssembly; the others only
    // their index, merged by the search script.
    assert!(site.output_exists("pagefind/de/0/wasm.de.pagefind"));
    assert!(site.output_exists("pagefind/de/1/pagefind-entry.json"));
    assert!(!site.output_exists("pagefind/de/1/pagefind.js"));
    assert!(!site.output_exists("pagefind/de/1/wasm.de.pagefind"));
    let snapshot = site.snapshot();

    // Nothing changed: every shard is reused, the output is the same.
    let again = build(&site);
    assert_eq!(unchanged_shards(&again), Some("4 of 4"), "{again}");
    assert!(snapshot == site.snapshot(), "a rebuild differs");

    // A template change outside <main> leaves every shard as it was.
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{config}extra:\n  footer: Neu im Fuß\n"),
    );
    let themed = build(&site);
    assert!(site.output("de/index.html").contains("Neu im Fuß"));
    assert_eq!(unchanged_shards(&themed), Some("4 of 4"), "{themed}");

    // One page's text edited (not its title or summary, which other pages
    // list): only its shard is indexed again, and the result is what a
    // build from nothing writes.
    let heat = std::fs::read_to_string(site.root.join("content/notes/heat.en.md")).unwrap();
    site.write(
        "content/notes/heat.en.md",
        format!("{heat}\nA brand new word: zanzibar.\n"),
    );
    let edited = build(&site);
    assert_eq!(unchanged_shards(&edited), Some("3 of 4"), "{edited}");
    let reused = site.snapshot();
    std::fs::remove_dir_all(site.root.join("public")).unwrap();
    let fresh = build(&site);
    assert_eq!(unchanged_shards(&fresh), None, "{fresh}");
    let search_files = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .filter(|(path, _)| path.starts_with("pagefind/"))
            .collect()
    };
    assert!(
        search_files(reused) == search_files(site.snapshot()),
        "reused shards differ from fresh ones"
    );
}

#[test]
fn a_bad_shard_size_is_an_error_not_a_silent_default() {
    let site = TestSite::fixture("basic");
    let run = site.run_with_env(&["build"], &[("DREHBUCH_SEARCH_SHARD_PAGES", "many")]);
    assert!(!run.success, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "DREHBUCH_SEARCH_SHARD_PAGES must be a whole number of pages above 0, not `many`"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.output_exists("index.html"), "nothing was written");
}
