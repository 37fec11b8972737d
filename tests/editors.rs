//! What drehbuch gives editors: "Edit this page" links from `edit_url`
//! (issue 24, item 1), and `cms init`, the CMS configuration made from the
//! site's sections and fields (item 2).

mod common;

use common::TestSite;

/// A two-language site with Markdown pages (one with a numeric prefix, one
/// only in German) and a data section whose rows are pages.
fn editors_site(edit_url: Option<&str>) -> TestSite {
    let site = TestSite::empty("editors");
    let edit_url = edit_url
        .map(|u| format!("edit_url: \"{u}\"\n"))
        .unwrap_or_default();
    site.write(
        "site.yaml",
        format!(
            "title: {{de: Handbuch, en: Handbook}}\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {{code: de, name: Deutsch}}\n  - {{code: en, name: English}}\nsearch: false\n{edit_url}"
        ),
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\nHallo.\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\nHello.\n")
    .write(
        "content/notes/_index.de.md",
        "---\ntitle: Notizen\n---\n",
    )
    .write("content/notes/_index.en.md", "---\ntitle: Notes\n---\n")
    .write(
        "content/notes/01-heat.de.md",
        "---\ntitle: Hitze\n---\nText.\n",
    )
    .write(
        "content/notes/01-heat.en.md",
        "---\ntitle: Heat\n---\nText.\n",
    )
    .write(
        "content/notes/regen.de.md",
        "---\ntitle: Regen\n---\nNur deutsch.\n",
    )
    .write(
        "content/actors/_index.de.md",
        "---\ntitle: Akteure\nsource: data/actors.csv\nfields:\n  - name: city\n    type: string\n    allowed: [cluj, dortmund]\n---\n",
    )
    .write(
        "content/actors/_index.en.md",
        "---\ntitle: Actors\n---\n",
    )
    .write(
        "data/actors.csv",
        "slug,title_de,title_en,city\nclujul,Clujul Sustenabil,Clujul Sustenabil,cluj\ntu,Technische Universität,Technical University,dortmund\n",
    );
    site
}

/// The `href`s of the edit links in a built page.
fn edit_links(site: &TestSite, page: &str) -> Vec<String> {
    let html = site.output(page);
    html.split("<p class=\"edit-link")
        .skip(1)
        .map(|rest| {
            let href = &rest[rest.find("href=\"").expect("the edit link has an href") + 6..];
            href[..href.find('"').unwrap()].replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn edit_links_name_the_source_file_its_language_and_the_data_row_line() {
    let site = editors_site(Some(
        "https://git.example/o/r/-/edit/main/{path}?lang={lang}&line={line}",
    ));
    site.build_ok(&[]);
    let edit = |path: &str| format!("https://git.example/o/r/-/edit/main/{path}");
    assert_eq!(
        edit_links(&site, "en/notes/heat/index.html"),
        [edit("content/notes/01-heat.en.md?lang=en&line=1")]
    );
    assert_eq!(
        edit_links(&site, "de/notes/heat/index.html"),
        [edit("content/notes/01-heat.de.md?lang=de&line=1")]
    );
    assert_eq!(
        edit_links(&site, "de/notes/index.html"),
        [edit("content/notes/_index.de.md?lang=de&line=1")]
    );
    assert_eq!(
        edit_links(&site, "en/index.html"),
        [edit("content/_index.en.md?lang=en&line=1")]
    );
    // Each data row links the data file at its own line.
    assert_eq!(
        edit_links(&site, "de/actors/clujul/index.html"),
        [edit("data/actors.csv?lang=de&line=2")]
    );
    assert_eq!(
        edit_links(&site, "en/actors/tu/index.html"),
        [edit("data/actors.csv?lang=en&line=3")]
    );
    // The link is in the page's interface language.
    assert!(
        site.output("de/notes/heat/index.html")
            .contains(">Diese Seite bearbeiten</a>")
    );
    assert!(
        site.output("en/notes/heat/index.html")
            .contains(">Edit this page</a>")
    );
    // Pages no file makes have none.
    assert!(edit_links(&site, "index.html").is_empty());
    assert!(edit_links(&site, "404.html").is_empty());
}

#[test]
fn without_edit_url_no_page_has_an_edit_link() {
    let site = editors_site(None);
    site.build_ok(&[]);
    for file in site.output_files() {
        if file.ends_with(".html") {
            assert!(
                !site.output(&file).contains("edit-link"),
                "{file} has an edit link"
            );
        }
    }
}

#[test]
fn an_unknown_placeholder_in_edit_url_is_an_error_at_its_place() {
    let site = editors_site(Some("https://git.example/edit/{file}"));
    let stderr = site.build_err();
    assert!(
        stderr.contains("site.yaml:8:37: error: unknown placeholder `{file}` in `edit_url`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: `edit_url` may use `{path}`"),
        "{stderr}"
    );
}
