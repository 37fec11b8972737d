//! Data-driven sections (issue 13): a section's `_index` names a CSV, YAML
//! or JSON file and each row becomes a page per language, checked like
//! front matter, reported at `file:line:col`, and linked like any page.

mod common;

use common::TestSite;

const INDEX: &str = "---
title: {title}
slug: {slug}
layout: cards
source: data/{source}
fields:
  - name: city
    type: string
    allowed: [cluj, dortmund]
    required: true
    facet: true
    label: {de: Stadt, en: City}
  - name: kind
    type: list
    allowed: [ngo, university]
  - name: founded
    type: integer
  - name: notes
    type: pages
    section: notes
  - name: website
    type: url
---
Intro {lang}.
";

/// The `basic` fixture plus an `actors` section whose pages come from
/// `data/actors.<ext>`.
fn site_with(source_name: &str, data: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    let index = |lang: &str, title: &str, slug: &str| {
        INDEX
            .replace("{source}", source_name)
            .replace("{title}", title)
            .replace("{slug}", slug)
            .replace("{lang}", lang)
    };
    site.write(
        "content/actors/_index.de.md",
        index("de", "Akteure", "akteure"),
    )
    .write(
        "content/actors/_index.en.md",
        index("en", "Actors", "actors"),
    )
    .write(&format!("data/{source_name}"), data);
    site
}

const CSV: &str = "\
slug,title_de,title_en,slug_en,city,kind,founded,notes,website,description_de,description_en,body_de,body_en
clujul,Clujul Sustenabil,Clujul Sustenabil,,cluj,ngo,2019,heat,https://cs.example.net/,Netzwerk in Cluj.,Network in Cluj.,\"Ein **Netzwerk**, siehe [Hitze](@/notes/heat.md).\",\"A **network**.\"
tu,Technische Universität,Technical University,technical-university,dortmund,university;ngo,1968,,,Hochschule.,University.,Text.,Text.
nur-de,Nur deutsch,,,dortmund,,,,,Nur hier.,,Nur deutscher Text.,
";

#[test]
fn csv_rows_become_pages_in_every_language() {
    let site = site_with("actors.csv", CSV);
    site.write(
        "content/notes/heat.en.md",
        "---\ntitle: Heat\nslug: heat\ncategory: heat\n---\n## Steps\n\nSee [the network](@/actors/clujul.md).\n",
    );
    site.build_ok(&[]);

    let de = site.output("de/akteure/clujul/index.html");
    assert!(de.contains("Clujul Sustenabil"));
    assert!(
        de.contains("<strong>Netzwerk</strong>"),
        "the body is Markdown"
    );
    assert!(
        de.contains("href=\"https://cs.example.net/\""),
        "url fields link"
    );
    assert!(
        de.contains("href=\"/de/karten/hitze-check/\""),
        "the pages field links the note:\n{de}"
    );

    // Localized slug per language, fallback to the row's slug.
    assert!(site.output_exists("en/actors/technical-university/index.html"));
    assert!(site.output_exists("de/akteure/tu/index.html"));
    let tu = site.output("en/actors/technical-university/index.html");
    assert!(tu.contains("Technical University"));
    // Lists split at `;`; integers are numbers.
    assert!(tu.contains("1968"));

    // An `@/` link to a row resolves to the row page in the same language.
    let heat_en = site.output("en/notes/heat/index.html");
    assert!(
        heat_en.contains("href=\"/en/actors/clujul/\""),
        "@/actors/clujul.md resolves:\n{heat_en}"
    );

    // Listings, facet pages and the sitemap know the rows.
    let listing = site.output("en/actors/index.html");
    assert!(listing.contains("Technical University") && listing.contains("Clujul Sustenabil"));
    assert!(site.output_exists("en/actors/city/cluj/index.html"));
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("/en/actors/technical-university/"));
    assert!(sitemap.contains("/de/akteure/clujul/"));

    // The language switcher pairs the two versions of a row.
    assert!(
        de.contains("href=\"/en/actors/clujul/\""),
        "switcher links the English row page"
    );
}

#[test]
fn a_row_without_a_translation_falls_back_like_a_markdown_page() {
    let site = site_with("actors.csv", CSV);
    site.build_ok(&[]);
    // `nur-de` has no English text; with `untranslated: link` (the default)
    // it gets no English page, exactly like notes/rain.de.md.
    assert!(site.output_exists("de/akteure/nur-de/index.html"));
    assert!(!site.output_exists("en/actors/nur-de/index.html"));
    assert_eq!(
        site.output_exists("en/notes/starkregen/index.html"),
        site.output_exists("en/actors/nur-de/index.html"),
    );

    // With `untranslated: render` it is shown in German under /en/ with the
    // same notice the Markdown page gets.
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}untranslated: render\n"));
    site.build_ok(&[]);
    let row = site.output("en/actors/nur-de/index.html");
    let note = site.output("en/notes/starkregen/index.html");
    let notice = "This page is not yet available in English";
    assert!(note.contains(notice), "{note}");
    assert!(row.contains(notice), "{row}");
    assert!(row.contains("Nur deutscher Text."));
    assert!(
        row.contains("lang=\"de\""),
        "the German text keeps its language"
    );
}

#[test]
fn bad_rows_are_reported_at_their_cell_with_a_caret_all_at_once() {
    let csv = "\
slug,title_de,title_en,city,founded
a,A,A,cluj,1990
b,B,B,berlin,1990
c,C,C,dortmund,soon
";
    let site = site_with("actors.csv", csv);
    let stderr = site.build_err();
    // Line 3, column 7: `berlin`.
    assert!(stderr.contains("data/actors.csv:3:7:"), "{stderr}");
    assert!(
        stderr.contains("b,B,B,berlin,1990"),
        "the source line is shown:\n{stderr}"
    );
    assert!(
        stderr.contains("      ^^^^^^"),
        "a caret under the cell:\n{stderr}"
    );
    // Line 4, column 16: `soon` is no integer; reported in the same run.
    assert!(stderr.contains("data/actors.csv:4:16:"), "{stderr}");
    assert!(stderr.contains("founded"), "{stderr}");
    assert!(!site.output_exists("de/index.html"), "nothing is written");
}

#[test]
fn an_unknown_column_suggests_the_right_one() {
    let csv = "slug,title_de,title_en,citty\na,A,A,cluj\n";
    let site = site_with("actors.csv", csv);
    let stderr = site.build_err();
    assert!(stderr.contains("data/actors.csv:1:24:"), "{stderr}");
    assert!(stderr.contains("citty"), "{stderr}");
    assert!(stderr.contains("city"), "did you mean:\n{stderr}");
}

#[test]
fn rows_with_missing_cells_or_duplicate_slugs_are_errors() {
    let csv = "slug,title_de,title_en,city\na,A,A,cluj\nb,B,B\na,C,C,dortmund\n";
    let site = site_with("actors.csv", csv);
    let stderr = site.build_err();
    assert!(stderr.contains("data/actors.csv:3:1:"), "{stderr}");
    assert!(stderr.contains("3 cells"), "{stderr}");
    assert!(stderr.contains("data/actors.csv:4:1:"), "{stderr}");
    assert!(stderr.contains("slug `a`"), "{stderr}");

    // A bad value and a repeated slug in the same rows: both in one run.
    site.write(
        "data/actors.csv",
        "slug,title_de,title_en,city\na,A,A,berlin\na,B,B,cluj\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("berlin"), "{stderr}");
    assert!(stderr.contains("two rows have the slug `a`"), "{stderr}");

    // A spreadsheet's semicolons are named as the problem.
    site.write(
        "data/actors.csv",
        "slug;title_de;title_en;city\na;A;A;cluj\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("separates columns with `;`"), "{stderr}");

    // A file with a header and no rows builds, with a warning.
    site.write("data/actors.csv", "slug,title_de,title_en,city\n");
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("data/actors.csv: warning: the data file has no rows"),
        "{}",
        run.stderr
    );
}

#[test]
fn yaml_rows_with_language_maps() {
    let yaml = "\
- slug: clujul
  title: {de: Clujul Sustenabil, en: Clujul Sustenabil}
  description: {de: Ein Netzwerk., en: A network.}
  city: cluj
  kind: [ngo]
  founded: 2019
  body:
    de: Deutscher *Text*.
    en: English *text*.
- slug: tu
  title: {de: TU, en: TU}
  city: dortmund
  founded: 1968
";
    let site = site_with("actors.yaml", yaml);
    site.build_ok(&[]);
    let en = site.output("en/actors/clujul/index.html");
    assert!(en.contains("English <em>text</em>."), "{en}");
    assert!(en.contains("A network."));
    let de = site.output("de/akteure/clujul/index.html");
    assert!(de.contains("Deutscher <em>Text</em>."));

    // A map without a language falls back like a missing translation
    // (as with CSV columns), instead of failing the build.
    site.write(
        "data/actors.yaml",
        yaml.replace("title: {de: TU, en: TU}", "title: {de: TU Dortmund}"),
    );
    site.build_ok(&[]);
    assert!(site.output_exists("de/akteure/tu/index.html"));
    assert!(!site.output_exists("en/actors/tu/index.html"));
    let listing = site.output("en/actors/index.html");
    assert!(listing.contains("href=\"/de/akteure/tu/\""), "{listing}");

    // A wrong value points into the YAML file.
    let bad = yaml.replace("city: dortmund", "city: paris");
    site.write("data/actors.yaml", bad);
    let stderr = site.build_err();
    assert!(stderr.contains("data/actors.yaml:12:9:"), "{stderr}");
    assert!(stderr.contains("paris"), "{stderr}");
}

#[test]
fn json_rows_become_pages() {
    let json = r#"[
  {"slug": "clujul", "title_de": "Clujul", "title_en": "Clujul", "city": "cluj", "founded": 2019},
  {"slug": "tu", "title_de": "TU", "title_en": "TU", "city": "dortmund", "founded": "x"}
]"#;
    let site = site_with("actors.json", json);
    let stderr = site.build_err();
    assert!(stderr.contains("data/actors.json:3:"), "{stderr}");
    site.write("data/actors.json", json.replace("\"x\"", "1968"));
    site.build_ok(&[]);
    assert!(site.output_exists("en/actors/tu/index.html"));
}

#[test]
fn markdown_errors_in_a_body_cell_point_into_the_data_file() {
    let csv =
        "slug,title_de,title_en,city,body_de\na,A,A,cluj,\"Siehe [weg](@/notes/missing.md).\"\n";
    let site = site_with("actors.csv", csv);
    let stderr = site.build_err();
    // The column in the file, under the file's own line.
    assert!(stderr.contains("data/actors.csv:2:19: error"), "{stderr}");
    assert!(
        stderr.contains("2 | a,A,A,cluj,\"Siehe [weg](@/notes/missing.md).\""),
        "{stderr}"
    );
    assert!(stderr.contains("notes/missing.md"), "{stderr}");

    // A JSON string with escapes cannot be mapped character by character:
    // the problem is reported at the cell, within the file's lines.
    let json = "[{\"slug\": \"a\", \"title_de\": \"A\", \"title_en\": \"A\", \"city\": \"cluj\",\n  \"body_de\": \"Erst\\n\\nSiehe [weg](@/notes/missing.md).\"}]\n";
    let site = site_with("actors.json", json);
    let stderr = site.build_err();
    assert!(stderr.contains("data/actors.json:2:14: error"), "{stderr}");
}

#[test]
fn row_pages_are_printed_and_checked() {
    let site = site_with("actors.csv", CSV);
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}print: [actors]\n"));
    site.build_ok(&[]);
    let print = site.output("en/print/index.html");
    assert!(
        print.contains("Technical University") && print.contains("Clujul Sustenabil"),
        "{print}"
    );
    let check = site.run(&["check"]);
    assert!(check.success, "{}{}", check.stdout, check.stderr);

    // A link to a row that does not exist is an error naming the link.
    site.write(
        "content/notes/heat.de.md",
        "---\ntitle: Hitze\nslug: hitze\ncategory: heat\n---\n[x](@/actors/nobody.md)\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("@/actors/nobody.md"), "{stderr}");
}

#[test]
fn every_index_of_a_section_names_the_same_file() {
    let site = site_with("actors.csv", CSV);
    let en = std::fs::read_to_string(site.root.join("content/actors/_index.en.md")).unwrap();
    site.write(
        "content/actors/_index.en.md",
        en.replace("source: data/actors.csv", "source: data/other.csv"),
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/actors/_index.en.md:5:9:"),
        "{stderr}"
    );
    assert!(stderr.contains("data/actors.csv"), "{stderr}");
}

#[test]
fn a_missing_or_unsupported_source_is_an_error_at_the_key() {
    let site = site_with("actors.csv", CSV);
    site.remove("data/actors.csv");
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/actors/_index.de.md:5:9:"),
        "{stderr}"
    );
    assert!(stderr.contains("does not exist"), "{stderr}");

    let site = site_with("actors.xlsx", "x");
    let stderr = site.build_err();
    assert!(stderr.contains(".csv, .yaml or .json"), "{stderr}");

    // A path out of the site is refused at the key, without reading it.
    let site = site_with("../../outside.csv", "x");
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/actors/_index.de.md:5:9: error: `source: data/../../outside.csv` leaves the site folder"),
        "{stderr}"
    );
}

#[test]
fn field_chart_counts_rows_per_value_with_a_table() {
    let site = site_with("actors.csv", CSV);
    let en = std::fs::read_to_string(site.root.join("content/actors/_index.en.md")).unwrap();
    site.write(
        "content/actors/_index.en.md",
        en.replace(
            "Intro en.",
            "{{ field_chart(section=\"actors\", field=\"kind\", by=\"city\") }}",
        ),
    );
    site.build_ok(&[]);
    let html = site.output("en/actors/index.html");
    assert!(html.contains("role=\"img\""), "{html}");
    let table_start = html.find("<table").expect("a data table");
    let table = &html[table_start..html[table_start..].find("</table>").unwrap() + table_start];
    let cells: Vec<String> = table
        .split("<t")
        .filter_map(|c| {
            c.split_once('>')
                .map(|(_, rest)| rest.split('<').next().unwrap_or("").trim().to_string())
        })
        .filter(|c| !c.is_empty())
        .collect();
    // Columns: kind, Cluj, Dortmund, total. English rows: ngo 1+1, university 0+1
    // (`nur-de` has no English page and no kind).
    let row = |name: &str| {
        let at = cells
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("{name} in {cells:?}"));
        cells[at + 1..at + 4].to_vec()
    };
    assert_eq!(row("ngo"), ["1", "1", "2"], "{cells:?}");
    assert_eq!(row("university"), ["0", "1", "1"], "{cells:?}");

    // A field the section does not declare is an error at the shortcode.
    site.write(
        "content/actors/_index.en.md",
        en.replace(
            "Intro en.",
            "{{ field_chart(section=\"actors\", field=\"colour\") }}",
        ),
    );
    let stderr = site.build_err();
    assert!(stderr.contains("content/actors/_index.en.md:"), "{stderr}");
    assert!(stderr.contains("colour"), "{stderr}");

    // Only text and list fields can be counted.
    site.write(
        "content/actors/_index.en.md",
        en.replace(
            "Intro en.",
            "{{ field_chart(section=\"actors\", field=\"founded\") }}",
        ),
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("counts the values of text and list fields; `founded` is not one"),
        "{stderr}"
    );

    // An entry with two `by` values counts once in its total; without
    // `by` the description is a whole sentence; an empty title is not used.
    site.write(
        "data/actors.csv",
        "slug,title_de,title_en,city,kind\nzwei,Zwei,Two,cluj,ngo;university\n",
    );
    site.write(
        "content/actors/_index.en.md",
        en.replace(
            "Intro en.",
            "{{ field_chart(section=\"actors\", field=\"city\", by=\"kind\") }}\n\n{{ field_chart(section=\"actors\", field=\"kind\", title=\"\") }}",
        ),
    );
    site.build_ok(&[]);
    let html = site.output("en/actors/index.html");
    assert!(
        html.contains("<td>1</td><td>1</td><td>1</td></tr>"),
        "one entry, total 1: {html}"
    );
    assert!(
        html.contains("number of entries per kind.</desc>"),
        "{html}"
    );
    assert!(!html.contains("-title\"></title>"), "{html}");
}
