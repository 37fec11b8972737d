//! Atom feeds (issue 12): every feed the cases in tests/cases/ expect
//! (per language and per section, newest first, dated honestly, with
//! absolute links; compared there byte for byte) is valid against RFC
//! 4287's schema, and pages without a date take their last commit's.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestSite;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// A one-language site written by the test: a dated and an undated page.
fn dated_site() -> TestSite {
    let site = TestSite::empty("feeds");
    site.write(
        "site.yaml",
        "title: Notes\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\nsearch: false\n",
    )
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/places/_index.en.md", "---\ntitle: Places\n---\n")
    .write(
        "content/places/park.en.md",
        "---\ntitle: Park\ndate: 2023-01-01\n---\nGreen.\n",
    )
    .write(
        "content/places/undated.en.md",
        "---\ntitle: Undated\n---\nNo date.\n",
    );
    site
}

struct Entry {
    title: String,
    id: String,
    updated: String,
    published: Option<String>,
    content: Option<String>,
}

fn entries(xml: &str) -> Vec<Entry> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(ATOM));
    assert_eq!(root.tag_name().name(), "feed");
    let child = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text().map(str::to_string))
    };
    root.children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|e| Entry {
            title: child(e, "title").unwrap_or_default(),
            id: child(e, "id").unwrap_or_default(),
            updated: child(e, "updated").unwrap_or_default(),
            published: child(e, "published"),
            content: child(e, "content"),
        })
        .collect()
}

/// Validates with `xmllint --relaxng schemas/atom.rng` when xmllint is
/// installed; CI installs it, so there the check always runs.
fn validate(path: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/atom.rng");
    match Command::new("xmllint")
        .args(["--noout", "--relaxng"])
        .arg(&schema)
        .arg(path)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{} is not valid Atom:\n{}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("xmllint not installed: schema validation skipped (CI runs it)");
        }
        Err(e) => panic!("CI needs xmllint: {e}"),
    }
}

/// Every `atom.xml` under `tests/cases/*/expected/`.
fn expected_feeds() -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().is_some_and(|n| n == "atom.xml")
                && path.components().any(|c| c.as_os_str() == "expected")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases"),
        &mut out,
    );
    out.sort();
    out
}

#[test]
fn every_expected_feed_is_valid_atom_newest_first() {
    let feeds = expected_feeds();
    assert!(
        feeds
            .iter()
            .any(|f| f.ends_with("feeds/expected/en/atom.xml")),
        "{feeds:?}"
    );
    for feed in &feeds {
        let xml = std::fs::read_to_string(feed).unwrap();
        let all = entries(&xml);
        assert!(
            !all.is_empty(),
            "{}: a feed is only written with entries",
            feed.display()
        );
        for pair in all.windows(2) {
            assert!(
                pair[0].updated >= pair[1].updated,
                "{}: {} before {}",
                feed.display(),
                pair[0].id,
                pair[1].id
            );
        }
        for entry in &all {
            assert!(
                entry.id.starts_with("https://"),
                "{}: {}",
                feed.display(),
                entry.id
            );
            assert!(!entry.title.is_empty(), "{}: {}", feed.display(), entry.id);
            assert!(entry.content.is_some(), "{}: {}", feed.display(), entry.id);
            if let Some(published) = &entry.published {
                assert!(
                    published <= &entry.updated,
                    "{}: {}",
                    feed.display(),
                    entry.id
                );
            }
        }
        validate(feed);
    }
}

/// Runs git in the site folder with commit and author dates set to `date`.
fn git(site: &TestSite, args: &[&str], date: &str) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@e.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(&site.root)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_DATE", date)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn undated_pages_take_their_commit_dates_from_git() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs git");
        return;
    }
    let site = dated_site();
    let git = |args: &[&str], date: &str| git(&site, args, date);
    git(&["init", "-q"], "2026-01-01T00:00:00Z");
    git(&["add", "."], "2026-01-01T00:00:00Z");
    git(&["commit", "-qm", "all"], "2026-01-01T00:00:00Z");
    site.write(
        "content/places/undated.en.md",
        "---\ntitle: Undated\n---\nChanged.\n",
    );
    git(&["commit", "-qam", "edit"], "2026-03-04T05:06:07+01:00");
    site.build_ok(&[]);
    let all = entries(&site.output("atom.xml"));
    assert_eq!(all[0].title, "Undated");
    assert_eq!(all[0].updated, "2026-03-04T04:06:07Z");
    // No date was given: the file's first commit is when it was published.
    assert_eq!(all[0].published.as_deref(), Some("2026-01-01T00:00:00Z"));
    // The sitemap dates the page the same way.
    assert!(
        site.output("sitemap.xml")
            .contains("<lastmod>2026-03-04T04:06:07Z</lastmod>")
    );
}

/// A one-language site written by the test: a section of dated cards, a
/// data section of dated rows (newer than every card) whose `_index` adds
/// `extra_front`, and a chart of the rows on a card.
fn cards_and_rows_site(extra_front: &str) -> TestSite {
    let site = TestSite::empty("feeds-rows");
    site.write(
        "site.yaml",
        "title: Notes\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\nsearch: false\n",
    )
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/cards/_index.en.md", "---\ntitle: Cards\n---\n")
    .write(
        "content/cards/old.en.md",
        "---\ntitle: Old card\ndate: 2023-01-01\n---\nOld.\n",
    )
    .write(
        "content/cards/new.en.md",
        "---\ntitle: New card\ndate: 2024-06-01\n---\n{{ field_chart(section=\"people\", field=\"city\") }}\n",
    )
    .write(
        "content/people/_index.en.md",
        format!(
            "---\ntitle: People\nsource: data/people.csv\n{extra_front}fields:\n  - name: city\n    type: string\n    allowed: [cluj, dortmund]\n---\n"
        ),
    )
    .write(
        "data/people.csv",
        "slug,title,date,city,body\nada,Ada,2026-02-02,cluj,Hello.\nbo,Bo,2026-03-03,dortmund,Hi.\n",
    );
    site
}

fn titles(xml: &str) -> Vec<String> {
    entries(xml).into_iter().map(|e| e.title).collect()
}

#[test]
fn the_language_feed_has_cards_and_chapters_not_data_rows() {
    let site = cards_and_rows_site("");
    site.build_ok(&[]);
    // The rows are newer, yet the language's feed shows the written pages.
    assert_eq!(titles(&site.output("atom.xml")), ["New card", "Old card"]);
    // The data section's own feed still has its rows.
    assert_eq!(titles(&site.output("people/atom.xml")), ["Bo", "Ada"]);
    validate(&site.root.join("public/atom.xml"));
}

#[test]
fn an_undated_data_row_is_not_published_at_its_data_files_first_commit() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs git");
        return;
    }
    // Rows without `date`: the data file's first commit says nothing about
    // when a row was added, so an entry has no <published> (as in serve).
    let site = cards_and_rows_site("");
    site.write(
        "data/people.csv",
        "slug,title,city,body\nada,Ada,cluj,Hello.\nbo,Bo,dortmund,Hi.\n",
    );
    git(&site, &["init", "-q"], "2026-01-01T00:00:00Z");
    git(&site, &["add", "."], "2026-01-01T00:00:00Z");
    git(&site, &["commit", "-qm", "all"], "2026-01-01T00:00:00Z");
    site.build_ok(&[]);
    let rows = entries(&site.output("people/atom.xml"));
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row.published, None, "{}", row.title);
        assert_eq!(row.updated, "2026-01-01T00:00:00Z", "{}", row.title);
    }
    // And they stay out of the language's feed.
    assert_eq!(titles(&site.output("atom.xml")), ["New card", "Old card"]);
}

#[test]
fn a_data_section_joins_the_language_feed_when_it_says_feed_true() {
    let site = cards_and_rows_site("feed: true\n");
    site.build_ok(&[]);
    assert_eq!(
        titles(&site.output("atom.xml")),
        ["Bo", "Ada", "New card", "Old card"]
    );
}

#[test]
fn charts_in_feeds_become_their_data_table_and_a_link_to_the_page() {
    let site = cards_and_rows_site("");
    site.build_ok(&[]);
    let page = site.output("cards/new/index.html");
    assert!(page.contains("<svg"), "the page itself keeps its chart");
    let all = entries(&site.output("atom.xml"));
    let content = all[0].content.as_deref().unwrap();
    assert!(!content.contains("<svg"), "{content}");
    assert!(!content.contains("chart-scroll"), "{content}");
    assert!(content.contains("<table>"), "{content}");
    assert!(content.contains("<th scope=\"row\">cluj</th>"), "{content}");
    assert!(!content.contains("<details"), "{content}");
    assert!(!content.contains("<summary"), "{content}");
    // A link to the chart on the page, named by the chart's title.
    let id = common::attributes(&page, "class=\"drehbuch-chart", "id")
        .into_iter()
        .next()
        .expect("the chart has an id");
    let link = format!("<a href=\"https://example.org/cards/new/#{id}\">");
    assert!(content.contains(&link), "{link} in {content}");
    validate(&site.root.join("public/atom.xml"));
}
