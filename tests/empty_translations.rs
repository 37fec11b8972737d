//! Empty translations written by a CMS: Decap CMS writes a file for every
//! language of an entry, even one it is not translated into — an empty
//! file, or one with only the shared fields copied from the original. Such
//! a file is no translation (the page stays untranslated there, with a
//! warning); a file with a title or a body still is one.

mod common;

use common::TestSite;

/// An English/Romanian site rendering untranslated pages, with a cards
/// section whose `category` is language-neutral; `a` and `b` are written
/// in English only.
fn site() -> TestSite {
    let site = TestSite::empty("empty-translations");
    site.write(
        "site.yaml",
        "title: Book\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n  - {code: ro, name: Română}\nsearch: false\nuntranslated: render\n",
    )
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/_index.ro.md", "---\ntitle: Acasă\n---\n")
    .write(
        "content/cards/_index.en.md",
        "---\ntitle: Cards\nlayout: cards\nfields:\n  - {name: category, allowed: [green, heat], required: true}\n---\n",
    )
    .write("content/cards/_index.ro.md", "---\ntitle: Fișe\n---\n")
    .write(
        "content/cards/a.en.md",
        "---\ntitle: Alpha\ncategory: green\n---\nAlpha text.\n",
    )
    .write(
        "content/cards/b.en.md",
        "---\ntitle: Beta\ncategory: heat\n---\nBeta text.\n",
    );
    site
}

/// The `translations status --lang ro` state of a file.
fn status(site: &TestSite, file: &str) -> String {
    let run = site.run(&["translations", "status", "--lang", "ro"]);
    let line = run
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(file))
        .unwrap_or_else(|| panic!("no line for {file}: {}", run.stdout));
    line.split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

const WARNING: &str = "warning: an empty translation written by a CMS: translate it or delete it";

#[test]
fn an_empty_file_is_no_translation() {
    let site = site();
    site.write("content/cards/a.ro.md", "");
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains(&format!("content/cards/a.ro.md: {WARNING}")),
        "{}",
        run.stderr
    );
    // The Romanian page is the stand-in of the English original.
    let page = site.output("ro/cards/a/index.html");
    assert!(page.contains("Alpha text."), "{page}");
    assert_eq!(status(&site, "content/cards/a.en.md"), "missing");
}

#[test]
fn a_file_with_only_shared_fields_is_no_translation() {
    let site = site();
    // What Decap CMS writes for a language the entry lacks: the shared
    // field copied, empty translatable fields (one the original does not
    // even set), no body.
    site.write(
        "content/cards/b.ro.md",
        "---\ncategory: heat\ntitle: ''\ndescription:\n---\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains(&format!("content/cards/b.ro.md:1:1: {WARNING}")),
        "{}",
        run.stderr
    );
    let page = site.output("ro/cards/b/index.html");
    assert!(page.contains("Beta text."), "{page}");
    assert_eq!(status(&site, "content/cards/b.en.md"), "missing");
    // `check` passes, but not with warnings denied.
    assert!(site.run(&["check"]).success);
    assert!(!site.run(&["check", "--deny", "warnings"]).success);
}

#[test]
fn a_field_the_original_lacks_keeps_the_file_a_translation() {
    let site = site();
    site.write(
        "content/cards/b.ro.md",
        "---\ncategory: heat\ndescription: Ceva\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/cards/b.ro.md:1:1: error: missing `title`"),
        "{err}"
    );
    assert!(!err.contains("empty translation"), "{err}");
}

#[test]
fn a_title_or_a_body_keeps_the_file_a_translation() {
    let site = site();
    site.write("content/cards/a.ro.md", "---\ntitle: Alfa\n---\n")
        .write(
            "content/cards/b.ro.md",
            "---\ncategory: heat\n---\nText beta.\n",
        );
    // The body without a title is a translation missing its title.
    let err = site.build_err();
    assert!(
        err.contains("content/cards/b.ro.md:1:1: error: missing `title`"),
        "{err}"
    );
    assert!(!err.contains("empty translation"), "{err}");
    site.write(
        "content/cards/b.ro.md",
        "---\ntitle: Beta ro\n---\nText beta.\n",
    );
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("empty translation"), "{}", run.stderr);
    // The title alone is a translation: the page shows it, not the original.
    let page = site.output("ro/cards/a/index.html");
    assert!(page.contains("Alfa"), "{page}");
    assert!(!page.contains("Alpha text."), "{page}");
    assert!(site.output("ro/cards/b/index.html").contains("Text beta."));
    assert_ne!(status(&site, "content/cards/a.en.md"), "missing");
}

#[test]
fn an_empty_file_without_any_other_language_stays_an_error() {
    let site = site();
    site.write("content/cards/c.ro.md", "");
    let err = site.build_err();
    assert!(err.contains("content/cards/c.ro.md"), "{err}");
    assert!(!err.contains("empty translation"), "{err}");
}
