//! Language-neutral fields and one order in every language: a translation
//! takes `weight` and neutral fields from its original, is warned about
//! at both places when it disagrees, and sections order by weight, then by
//! their folder's numeric prefix, never by translated titles.

mod common;

use common::TestSite;

/// A German/English site: sections `gamma` (weight only in German),
/// `01-omega`, `02-zeta`, whose English titles sort the other way round.
fn site() -> TestSite {
    let site = TestSite::empty("shared-fields");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\nsearch: false\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/gamma/_index.de.md", "---\ntitle: Gamma\nweight: 0\n---\n")
    .write("content/gamma/_index.en.md", "---\ntitle: Zz last by title\n---\n")
    .write("content/02-zeta/_index.de.md", "---\ntitle: Zeta\n---\n")
    .write("content/02-zeta/_index.en.md", "---\ntitle: Aa first by title\n---\n")
    .write("content/01-omega/_index.de.md", "---\ntitle: Omega\n---\n")
    .write("content/01-omega/_index.en.md", "---\ntitle: Mm\n---\n");
    site
}

/// The hrefs of the main navigation of a built page, in order.
fn nav(site: &TestSite, page: &str) -> Vec<String> {
    let html = site.output(page);
    let start = html
        .find("class=\"main-nav")
        .expect("the page has a main nav");
    let end = start + html[start..].find("</nav>").unwrap();
    common::attributes(&html[start..end], "<a ", "href")
}

#[test]
fn sections_keep_one_order_in_every_language() {
    let site = site();
    site.build_ok(&[]);
    assert_eq!(
        nav(&site, "de/index.html"),
        ["/de/gamma/", "/de/omega/", "/de/zeta/"]
    );
    assert_eq!(
        nav(&site, "en/index.html"),
        ["/en/gamma/", "/en/omega/", "/en/zeta/"]
    );
}

#[test]
fn sections_are_named_without_their_numeric_prefix() {
    let site = site();
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\nsearch: false\nprint: [omega]\n",
    )
    .write(
        "content/02-zeta/_index.de.md",
        "---\ntitle: Zeta\nlayout: cards\nfields:\n  - {name: see, type: pages, section: omega}\n---\n",
    )
    .write("content/01-omega/a.de.md", "---\ntitle: A\n---\n")
    .write("content/02-zeta/z.de.md", "---\ntitle: Z\nsee: [a]\n---\n")
    .write(
        "content/gamma/g.de.md",
        "---\ntitle: G\n---\n{{ field_chart(section=\"nothing\", field=\"x\") }}\n",
    );
    // The chart names a section that does not exist: the error lists the
    // sections by the names references use.
    let err = site.build_err();
    assert!(
        err.contains("there is no section `nothing` (sections: gamma, omega, zeta)"),
        "{err}"
    );
    site.write("content/gamma/g.de.md", "---\ntitle: G\n---\n");
    site.build_ok(&[]);
    assert!(site.output_exists("de/print/index.html"));
    assert!(site.output("de/print/index.html").contains(">A<"));
    let z = site.output("de/zeta/z/index.html");
    assert!(z.contains("href=\"/de/omega/a/\""), "{z}");
}

/// A cards section declaring one field of each sharing kind.
fn cards(site: &TestSite) {
    site.write(
        "content/01-omega/_index.de.md",
        "---\ntitle: Omega\nlayout: cards\nfields:\n  - {name: category, allowed: [heat, water], required: true}\n  - {name: cost, type: number}\n  - {name: note}\n  - {name: region, translate: false}\n  - {name: theme, type: list, allowed: [x, y], translate: true}\n---\n",
    );
}

#[test]
fn a_translation_takes_neutral_fields_and_weight_from_its_original() {
    let site = site();
    cards(&site);
    site.write(
        "content/01-omega/a.de.md",
        "---\ntitle: A\nweight: 2\ncategory: heat\ncost: 3\nnote: Notiz\nregion: nord\ntheme: [x]\n---\n",
    )
    .write("content/01-omega/a.en.md", "---\ntitle: A\n---\n")
    .write(
        "content/01-omega/b.de.md",
        "---\ntitle: B\nweight: 1\ncategory: water\n---\n",
    )
    .write("content/01-omega/b.en.md", "---\ntitle: B\n---\n");
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let en = site.output("en/omega/index.html");
    let tile = |title: &str| -> String {
        let at = en.find(&format!(">{title}<")).expect("the tile is listed");
        let start = en[..at].rfind("<li class=\"card-tile").unwrap();
        en[start..at].to_string()
    };
    let a = tile("A");
    assert!(a.contains("data-field-category=\"heat\""), "{a}");
    assert!(a.contains("data-field-cost=\"3.0\""), "{a}");
    assert!(a.contains("data-field-region=\"nord\""), "{a}");
    // Text and fields declared `translate: true` stay per language.
    assert!(!a.contains("data-field-note"), "{a}");
    assert!(!a.contains("data-field-theme"), "{a}");
    // The German weights order the English listing too: B (1) before A (2).
    assert!(en.find(">B<").unwrap() < en.find(">A<").unwrap(), "{en}");
}

#[test]
fn a_translation_that_disagrees_is_warned_about_at_both_places() {
    let site = site();
    cards(&site);
    site.write(
        "content/01-omega/a.de.md",
        "---\ntitle: A\nweight: 2\ncategory: heat\ncost: 3\n---\n",
    )
    .write(
        "content/01-omega/a.en.md",
        "---\ntitle: A\nweight: 5\ncategory: water\ncost: 3\nnote: Other\n---\n",
    );
    let run = site.build_ok(&[]);
    let out = run.stderr;
    assert!(
        out.contains("content/01-omega/a.en.md:4:11: warning: `category` is `water` here, but `heat` in the original content/01-omega/a.de.md:4:11"),
        "{out}"
    );
    assert!(
        out.contains("content/01-omega/a.en.md:3:9: warning: `weight` is `5` here, but `2` in the original content/01-omega/a.de.md:3:9"),
        "{out}"
    );
    assert!(out.contains("translate: true"), "{out}");
    // Equal values and translatable text are no disagreement.
    assert!(!out.contains("`cost`"), "{out}");
    assert!(!out.contains("`note`"), "{out}");
    let check = site.run(&["check", "--deny", "warnings"]);
    assert!(!check.success, "{}", check.stdout);
}

#[test]
fn a_required_neutral_field_is_missing_only_when_the_original_lacks_it_too() {
    let site = site();
    cards(&site);
    site.write("content/01-omega/a.de.md", "---\ntitle: A\n---\n")
        .write("content/01-omega/a.en.md", "---\ntitle: A\n---\n");
    let err = site.build_err();
    assert!(
        err.contains("content/01-omega/a.de.md:1:1: error: missing required field `category`"),
        "{err}"
    );
    assert!(
        err.contains("content/01-omega/a.en.md:1:1: error: missing required field `category`"),
        "{err}"
    );
    site.write(
        "content/01-omega/a.de.md",
        "---\ntitle: A\ncategory: heat\n---\n",
    );
    site.build_ok(&[]);
}

#[test]
fn a_neutral_value_only_in_a_translation_is_warned_about() {
    let site = site();
    cards(&site);
    // The English section sets the weight its German original lacks: only
    // the English menu would move it.
    site.write(
        "content/02-zeta/_index.en.md",
        "---\ntitle: Aa first by title\nweight: -1\n---\n",
    )
    .write(
        "content/01-omega/a.de.md",
        "---\ntitle: A\ncategory: heat\n---\n",
    )
    .write("content/01-omega/a.en.md", "---\ntitle: A\ncost: 4\n---\n");
    let run = site.build_ok(&[]);
    let out = run.stderr;
    assert!(
        out.contains("content/02-zeta/_index.en.md:3:9: warning: `weight` is set here but not in the original content/02-zeta/_index.de.md"),
        "{out}"
    );
    assert!(
        out.contains("content/01-omega/a.en.md:3:7: warning: `cost` is set here but not in the original content/01-omega/a.de.md"),
        "{out}"
    );
    assert!(
        out.contains("help: set it in the original, which every language takes it from"),
        "{out}"
    );
}
