//! Atom feeds (issue 12): per language and per section, newest first,
//! dated honestly, with absolute links, valid against RFC 4287's schema,
//! and the same bytes on every build.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestSite;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The `basic` fixture with dated pages: two notes and a second section.
fn dated_site() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/heat.en.md",
        "---\ntitle: Heat & shade\ndescription: Keep <cool>.\nslug: heat\ncategory: heat\ndate: 2024-05-01\nupdated: 2025-07-02\n---\n## Steps\n\nSee [rain](@/notes/rain.md) and [steps](#steps) and ![a chart](chart.svg).\n",
    )
    .write(
        "content/notes/rain.en.md",
        "---\ntitle: Rain\nslug: rain\ncategory: rain\ndate: 2025-09-10\n---\nWet.\n",
    )
    .write(
        "content/places/_index.en.md",
        "---\ntitle: Places\n---\n",
    )
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
    summary: Option<String>,
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
            summary: child(e, "summary"),
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

#[test]
fn feeds_list_dated_pages_newest_first_with_absolute_content() {
    let site = dated_site();
    site.build_ok(&[]);
    let xml = site.output("en/atom.xml");
    validate(&site.root.join("public/en/atom.xml"));
    let all = entries(&xml);
    let titles: Vec<&str> = all.iter().map(|e| e.title.as_str()).collect();
    // Rain (2025-09-10) before Heat (updated 2025-07-02) before Park
    // (2023-01-01); the undated page is left out, not given a date.
    assert_eq!(titles, ["Rain", "Heat & shade", "Park"]);
    let heat = &all[1];
    assert_eq!(heat.id, "https://example.org/en/notes/heat/");
    assert_eq!(heat.updated, "2025-07-02T00:00:00Z");
    assert_eq!(heat.published.as_deref(), Some("2024-05-01T00:00:00Z"));
    assert_eq!(heat.summary.as_deref(), Some("Keep <cool>."));
    let content = heat.content.as_deref().unwrap();
    assert!(
        content.contains("href=\"https://example.org/en/notes/rain/\""),
        "{content}"
    );
    assert!(
        content.contains("href=\"https://example.org/en/notes/heat/#steps\""),
        "{content}"
    );
    assert!(
        content.contains("src=\"https://example.org/en/notes/heat/chart.svg\""),
        "{content}"
    );
    assert!(
        xml.contains("<updated>2025-09-10T00:00:00Z</updated>\n  <author>"),
        "the feed's updated is its newest entry:\n{xml}"
    );
    assert!(xml.contains("xml:lang=\"en\""));

    // Section feeds hold their section's pages only.
    let places = entries(&site.output("en/places/atom.xml"));
    assert_eq!(
        places.iter().map(|e| e.title.as_str()).collect::<Vec<_>>(),
        ["Park"]
    );
    validate(&site.root.join("public/en/places/atom.xml"));
    // Each language's feed has its own language's pages.
    let de: Vec<String> = entries(&site.output("de/atom.xml"))
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert_eq!(de, ["Hitze-Check"]);
    // A section without dated pages gets no empty feed.
    assert!(!site.output_exists("de/places/atom.xml"));

    // Pages link their feeds in the head and the footer.
    let page = site.output("en/places/park/index.html");
    assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" hreflang=\"en\" title=\"Test book\" href=\"/en/atom.xml\">"), "{page}");
    assert!(
        page.contains("title=\"Places – Test book\" href=\"/en/places/atom.xml\""),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"feeds\">Subscribe (Atom feed): <a href=\"/en/atom.xml\""),
        "{page}"
    );
    let notes = site.output("en/notes/index.html");
    assert!(
        !notes.contains("/en/places/atom.xml"),
        "a section links its own feed only"
    );
}

#[test]
fn feeds_are_byte_identical_and_can_be_limited_or_turned_off() {
    let site = dated_site();
    site.build_ok(&[]);
    let first = site.output("en/atom.xml");
    site.build_ok(&[]);
    assert_eq!(first, site.output("en/atom.xml"));

    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{config}feeds: {{entries: 1, sections: false}}\n"),
    );
    site.build_ok(&[]);
    assert_eq!(entries(&site.output("en/atom.xml")).len(), 1);
    assert!(!site.output_exists("en/places/atom.xml"));

    site.write("site.yaml", format!("{config}feeds: false\n"));
    site.build_ok(&[]);
    assert!(!site.output_exists("en/atom.xml"));
    assert!(
        !site
            .output("en/notes/heat/index.html")
            .contains("application/atom+xml")
    );

    site.write("site.yaml", format!("{config}feeds: {{entrys: 3}}\n"));
    let stderr = site.build_err();
    assert!(stderr.contains("site.yaml:"), "{stderr}");
    assert!(
        stderr.contains("unknown key `entrys` in `feeds`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `entries`?"), "{stderr}");
}

#[test]
fn a_section_can_stay_out_of_feeds() {
    let site = dated_site();
    site.write(
        "content/places/_index.en.md",
        "---\ntitle: Places\nfeed: false\n---\n",
    );
    site.build_ok(&[]);
    assert!(!site.output_exists("en/places/atom.xml"));
    let titles: Vec<String> = entries(&site.output("en/atom.xml"))
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert_eq!(titles, ["Rain", "Heat & shade"]);
}

#[test]
fn undated_pages_take_their_last_commit_date_from_git() {
    if Command::new("git").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs git");
        return;
    }
    let site = dated_site();
    let git = |args: &[&str], date: &str| {
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
    };
    git(&["init", "-q"], "2026-01-01T00:00:00Z");
    git(&["add", "."], "2026-01-01T00:00:00Z");
    git(&["commit", "-qm", "all"], "2026-01-01T00:00:00Z");
    site.write(
        "content/places/undated.en.md",
        "---\ntitle: Undated\n---\nChanged.\n",
    );
    git(&["commit", "-qam", "edit"], "2026-03-04T05:06:07+01:00");
    site.build_ok(&[]);
    let all = entries(&site.output("en/atom.xml"));
    assert_eq!(all[0].title, "Undated");
    assert_eq!(all[0].updated, "2026-03-04T04:06:07Z");
    assert!(
        all[0].published.is_none(),
        "no date was given, so none is claimed"
    );
    // The sitemap dates the page the same way.
    assert!(
        site.output("sitemap.xml")
            .contains("<lastmod>2026-03-04T04:06:07Z</lastmod>")
    );
}

#[test]
fn data_rows_and_stand_ins_in_feeds() {
    let site = dated_site();
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}untranslated: render\n"));
    site.write(
        "content/people/_index.en.md",
        "---\ntitle: People\nsource: data/people.csv\n---\n",
    )
    .write(
        "data/people.csv",
        "slug,title,date,body\nada,Ada,2026-02-02,Hello **Ada**.\n",
    );
    site.build_ok(&[]);
    let all = entries(&site.output("en/atom.xml"));
    assert_eq!(all[0].title, "Ada");
    assert!(
        all[0]
            .content
            .as_deref()
            .unwrap()
            .contains("<strong>Ada</strong>")
    );
    // The German stand-in of the English-only park page is a copy, not a
    // German entry.
    assert!(
        site.output_exists("de/places/park/index.html"),
        "a stand-in exists"
    );
    let de = entries(&site.output("de/atom.xml"));
    assert!(!de.is_empty());
    assert!(
        de.iter().all(|e| e.title != "Park"),
        "stand-ins are not entries"
    );
}
