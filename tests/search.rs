//! Full-text search (issue 12): `build` writes a Pagefind index per
//! language with only the pages' own content, sharded and reused, and
//! `search: false` writes none. The search page, the header's form and
//! the filters are compared in tests/cases/ (search-page, search-off).
//! The index is exercised in a real browser by
//! scripts/validate/search.mjs (CI). Only with the `search` feature.
#![cfg(feature = "search")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use common::TestSite;

/// Pages in the index per language, summed over the language's shards,
/// as the index's own entry files count them.
fn page_counts(site: &TestSite) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for (folder, shards) in shard_page_counts(site) {
        counts.insert(folder, shards.iter().sum());
    }
    counts
}

/// Pages in each shard of each language, from `pagefind-entry.json`.
fn shard_page_counts(site: &TestSite) -> BTreeMap<String, Vec<u64>> {
    let manifest: serde_json::Value =
        serde_json::from_str(&site.output("pagefind/shards.json")).expect("shards.json is JSON");
    let mut counts = BTreeMap::new();
    for (folder, shards) in manifest["languages"].as_object().expect("languages") {
        let shards = shards["shards"].as_array().expect("shards").len();
        let mut pages = Vec::new();
        for n in 0..shards {
            let entry: serde_json::Value = serde_json::from_str(
                &site.output(&format!("pagefind/{folder}/{n}/pagefind-entry.json")),
            )
            .expect("pagefind-entry.json is JSON");
            let mut in_shard = 0;
            for (lang, meta) in entry["languages"].as_object().expect("languages") {
                assert_eq!(lang, folder, "a shard holds its folder's language");
                in_shard += meta["page_count"].as_u64().expect("page_count");
            }
            pages.push(in_shard);
        }
        counts.insert(folder.clone(), pages);
    }
    counts
}

/// The URL of every page in the index, per language folder, from the
/// index's fragments (gzip, `pagefind_dcd` and a JSON record per page).
fn indexed_urls(site: &TestSite) -> BTreeMap<String, BTreeSet<String>> {
    let mut urls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in site.output_files() {
        let parts: Vec<&str> = file.split('/').collect();
        if parts.len() != 5 || parts[0] != "pagefind" || parts[3] != "fragment" {
            continue;
        }
        let bytes = std::fs::read(site.root.join("public").join(&file)).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("a fragment is gzip");
        let json = text
            .strip_prefix("pagefind_dcd")
            .unwrap_or_else(|| panic!("{file}: {text}"));
        let record: serde_json::Value = serde_json::from_str(json).expect("a fragment is JSON");
        urls.entry(parts[1].to_string())
            .or_default()
            .insert(record["url"].as_str().expect("url").to_string());
    }
    urls
}

fn set(urls: &[&str]) -> BTreeSet<String> {
    urls.iter().map(|u| u.to_string()).collect()
}

/// Every content page of the `basic` fixture, per language.
fn basic_pages() -> BTreeMap<String, BTreeSet<String>> {
    BTreeMap::from([
        (
            "de".to_string(),
            set(&[
                "/de/",
                "/de/karten/",
                "/de/karten/hitze-check/",
                "/de/karten/starkregen/",
            ]),
        ),
        (
            "en".to_string(),
            set(&["/en/", "/en/notes/", "/en/notes/heat/"]),
        ),
    ])
}

#[test]
fn build_writes_one_index_per_language_of_content_pages_only() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    // A stand-in (German rain page under /en/) must not join the English
    // index, and print documents, facet pages and the search pages are
    // not indexed.
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
    assert!(site.output_exists("de/suche/index.html"));
    let urls = indexed_urls(&site);
    assert_eq!(urls, basic_pages());
    // The index's own count agrees with its pages.
    let counted: BTreeMap<String, u64> = urls
        .iter()
        .map(|(lang, pages)| (lang.clone(), pages.len() as u64))
        .collect();
    assert_eq!(page_counts(&site), counted);
    assert!(site.output_exists("pagefind/de/0/pagefind.js"));
    assert!(
        !site.output_exists("pagefind/de/0/pagefind-ui.js"),
        "unused UI files are left out"
    );
    assert!(site.output_exists("js/search.js"));
}

#[test]
fn search_off_writes_no_index() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}search: false\n"));
    site.build_ok(&[]);
    assert!(site.output_exists("de/index.html"));
    assert!(!site.root.join("public/pagefind").exists());
    assert!(!site.output_exists("de/suche/index.html"));
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
    // Two pages per shard (the default is 1,500).
    let site = TestSite::fixture("basic");
    let env = [("DREHBUCH_SEARCH_SHARD_PAGES", "2")];
    let build = |site: &TestSite| {
        let run = site.run_with_env(&["build"], &env);
        assert!(run.success, "{}{}", run.stdout, run.stderr);
        run.stdout
    };
    let first = build(&site);
    assert_eq!(unchanged_shards(&first), None, "{first}");
    // Every page is in the index once; a language has as many shards as
    // two pages each need, none of them empty (pages are placed by a hash
    // of their path, so a shard may hold more than two).
    let urls = indexed_urls(&site);
    assert_eq!(urls, basic_pages());
    let shards = shard_page_counts(&site);
    for (lang, pages) in &shards {
        assert!(pages.iter().all(|n| *n > 0), "{lang}: {pages:?}");
        assert_eq!(
            pages.len(),
            urls[lang].len().div_ceil(2),
            "{lang}: {pages:?}"
        );
    }
    assert!(shards["de"].len() > 1, "German needs more than one shard");
    let total: usize = shards.values().map(Vec::len).sum();
    // Shard 0 carries Pagefind's scripts and WebAssembly; the others only
    // their index, merged by the search script.
    assert!(site.output_exists("pagefind/de/0/wasm.de.pagefind"));
    assert!(site.output_exists("pagefind/de/1/pagefind-entry.json"));
    assert!(!site.output_exists("pagefind/de/1/pagefind.js"));
    assert!(!site.output_exists("pagefind/de/1/wasm.de.pagefind"));
    let snapshot = site.snapshot();

    // Nothing changed: every shard is reused, the output is the same.
    let again = build(&site);
    let all = format!("{total} of {total}");
    assert_eq!(unchanged_shards(&again), Some(all.as_str()), "{again}");
    assert!(snapshot == site.snapshot(), "a rebuild differs");

    // A template change outside <main> leaves every shard as it was.
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{config}extra:\n  footer: Neu im Fuß\n"),
    );
    let themed = build(&site);
    assert!(site.output("de/index.html").contains("Neu im Fuß"));
    assert_eq!(unchanged_shards(&themed), Some(all.as_str()), "{themed}");

    // One page's text edited (not its title or summary, which other pages
    // list): only its shard is indexed again, and the result is what a
    // build from nothing writes.
    let heat = std::fs::read_to_string(site.root.join("content/notes/heat.en.md")).unwrap();
    site.write(
        "content/notes/heat.en.md",
        format!("{heat}\nA brand new word: zanzibar.\n"),
    );
    let edited = build(&site);
    let one_less = format!("{} of {total}", total - 1);
    assert_eq!(
        unchanged_shards(&edited),
        Some(one_less.as_str()),
        "{edited}"
    );
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
