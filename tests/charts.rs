//! Charts in a built site (issue 22): a field value has one colour
//! everywhere, in every chart and in the theme's facet pills.

mod common;

use common::TestSite;

/// A site with a section of places (city: three allowed values, of which
/// the pages use the second and third) and a page with two charts of them.
fn places_site() -> TestSite {
    let site = TestSite::empty("charts");
    site.write(
        "site.yaml",
        "title: Places\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\nsearch: false\n",
    )
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write(
        "content/places/_index.en.md",
        "---\ntitle: Places\nfields:\n  - {name: city, type: string, allowed: [aa, bb, cc], facet: true}\n  - {name: kind, type: string, allowed: [x, y]}\n---\n",
    )
    .write(
        "content/places/one.en.md",
        "---\ntitle: One\ncity: bb\nkind: x\n---\n",
    )
    .write(
        "content/places/two.en.md",
        "---\ntitle: Two\ncity: cc\nkind: y\n---\n",
    )
    .write(
        "content/charts.en.md",
        "---\ntitle: Charts\n---\n{{ field_chart(section=\"places\", field=\"kind\", by=\"city\") }}\n\n{{ field_chart(section=\"places\", field=\"city\") }}\n",
    );
    site
}

/// The chart figure with id `id` in `html`.
fn figure<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let end = start + html[start..].find("</figure>").unwrap();
    &html[start..end]
}

/// The tone number of the `class="tone-N"` at or after `from` in `html`.
fn tone_at(html: &str, from: usize) -> &str {
    let at = from + html[from..].find("class=\"tone-").expect("a toned mark") + 12;
    &html[at..at + html[at..].find('"').unwrap()]
}

#[test]
fn a_value_has_the_tone_of_its_place_in_allowed_in_every_chart_and_pill() {
    let site = places_site();
    site.build_ok(&[]);
    let page = site.output("charts/index.html");
    // Split by city: the legend's swatch for `cc` (third allowed value,
    // second shown) has tone 3, not the second colour.
    let split = figure(&page, "drehbuch-field-chart-places-kind-city");
    let label = split.find(">cc</text>").expect("cc in the legend");
    let swatch = split[..label].rfind("<rect").unwrap();
    assert_eq!(tone_at(split, swatch), "3", "{split}");
    let bb = split.find(">bb</text>").unwrap();
    let swatch = split[..bb].rfind("<rect").unwrap();
    assert_eq!(tone_at(split, swatch), "2", "{split}");
    // Not split: each row's bar has its row value's tone.
    let single = figure(&page, "drehbuch-field-chart-places-city-all");
    let row = single.find(">cc</text>").expect("a row for cc");
    assert_eq!(tone_at(single, row), "3", "{single}");
    // The facet pill of `cc` on the section page: the same tone.
    let section = site.output("places/index.html");
    let pill = section
        .find(">cc (1)<")
        .or_else(|| section.find(">cc<"))
        .expect("a pill for cc");
    let class = section[..pill].rfind("class=\"").unwrap();
    assert!(
        section[class..pill].contains("tone-3"),
        "{}",
        &section[class..pill]
    );
}
