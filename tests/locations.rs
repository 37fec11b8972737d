//! Every problem at the place the editor wrote: links checked in the
//! output under a sub-path base URL, near matches for broken links,
//! `pages` fields that take the forms `@/` links take, and errors caused
//! by another file's error reported once, under their cause.

mod common;

use common::TestSite;

const SITE: &str = "title: Buch\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\nsearch: false\n";

/// A site whose German page links a misspelt image and a good one.
fn image_site() -> TestSite {
    let site = TestSite::empty("locations");
    site.write("site.yaml", SITE)
        .write("content/_index.de.md", "---\ntitle: Start\n---\n")
        .write("content/_index.en.md", "---\ntitle: Home\n---\n")
        .write(
            "content/seite.de.md",
            "---\ntitle: Seite\n---\nSiehe ![Sensor](/img/senzor.svg) und [gut](/img/sensor.svg).\n",
        )
        .write(
            "static/img/sensor.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    site
}

#[test]
fn a_broken_link_under_a_sub_path_is_reported_where_it_was_written() {
    let site = image_site();
    let run = site.run(&["check", "--base-url", "https://example.org/toolbox/"]);
    assert!(!run.success);
    let out = run.stdout;
    assert!(
        out.contains("content/seite.de.md:4:17: error: broken link in the generated page: /img/senzor.svg does not exist (published as /toolbox/img/senzor.svg)"),
        "{out}"
    );
    assert!(
        out.contains("4 | Siehe ![Sensor](/img/senzor.svg)"),
        "{out}"
    );
    assert!(out.contains("did you mean `/img/sensor.svg`?"), "{out}");
    let github = site.run(&[
        "check",
        "--base-url",
        "https://example.org/toolbox/",
        "--format",
        "github",
    ]);
    assert!(
        github
            .stdout
            .contains("::error file=content/seite.de.md,line=4,col=17,"),
        "{}",
        github.stdout
    );
}

#[test]
fn a_broken_link_at_the_root_suggests_a_near_match() {
    let site = image_site();
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout
            .contains("content/seite.de.md:4:17: error: broken link in the generated page: /img/senzor.svg does not exist\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("did you mean `/img/sensor.svg`?"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_anchor_of_a_plain_link_is_reported_where_it_was_written() {
    let site = image_site();
    site.write(
        "content/seite.de.md",
        "---\ntitle: Seite\n---\nSiehe [dort](/de/andere/#fehlt).\n",
    )
    .write("content/andere.de.md", "---\ntitle: Andere\n---\n## Da\n");
    let run = site.run(&["check", "--base-url", "https://example.org/toolbox/"]);
    assert!(
        run.stdout.contains(
            "content/seite.de.md:4:14: error: broken anchor in the generated page: /toolbox/de/andere/#fehlt has no id `fehlt`"
        ),
        "{}",
        run.stdout
    );
}

/// A section `metode` (folder `01-metode`) whose pages name each other
/// in a `pages` field written as `related`.
fn pages_site(related: &str) -> TestSite {
    let site = TestSite::empty("pages-forms");
    site.write("site.yaml", SITE)
        .write("content/_index.de.md", "---\ntitle: Start\n---\n")
        .write("content/_index.en.md", "---\ntitle: Home\n---\n")
        .write(
            "content/01-metode/_index.de.md",
            "---\ntitle: Methoden\nlayout: cards\nfields:\n  - {name: related, type: pages}\n---\n",
        )
        .write(
            "content/01-metode/01-plimbare-termica.de.md",
            "---\ntitle: Plimbare\n---\n",
        )
        .write(
            "content/01-metode/02-gradina-de-ploaie.de.md",
            "---\ntitle: Gradina\n---\n",
        )
        .write(
            "content/01-metode/03-start.de.md",
            format!("---\ntitle: Start hier\nrelated: {related}\n---\n"),
        );
    site
}

#[test]
fn a_pages_field_takes_every_form_an_at_link_takes() {
    for form in [
        "gradina-de-ploaie",
        "02-gradina-de-ploaie",
        "02-gradina-de-ploaie.md",
        "02-gradina-de-ploaie.de.md",
        "01-metode/02-gradina-de-ploaie.md",
        "\"@/01-metode/02-gradina-de-ploaie.md\"",
        "\"@/01-metode/02-gradina-de-ploaie.de.md\"",
    ] {
        let site = pages_site(&format!("[{form}]"));
        let run = site.run(&["build"]);
        assert!(run.success, "{form}: {}", run.stderr);
        let page = site.output("de/metode/start/index.html");
        assert!(
            page.contains("href=\"/de/metode/gradina-de-ploaie/\""),
            "{form}: {page}"
        );
    }
}

#[test]
fn a_pages_field_suggests_one_form_whatever_form_was_written() {
    for form in [
        "gradina-de-ploae",
        "02-gradina-de-ploae.md",
        "\"@/01-metode/02-gradina-de-ploae.md\"",
    ] {
        let site = pages_site(&format!("[{form}]"));
        let err = site.build_err();
        assert!(
            err.contains("help: did you mean `02-gradina-de-ploaie.md`? (a file name as in @/ links, or without number and .md: `gradina-de-ploaie`)"),
            "{form}: {err}"
        );
    }
}

#[test]
fn a_link_into_a_translation_that_failed_to_load_is_not_a_second_error() {
    let site = TestSite::empty("caused");
    site.write("site.yaml", SITE)
        .write(
            "content/_index.de.md",
            "---\ntitle: Start\n---\nSiehe [a](@/a.md#teil) und [b](@/a.de.md#teil).\n",
        )
        .write(
            "content/_index.en.md",
            "---\ntitle: Home\n---\nSee [a](@/a.md#part).\n",
        )
        .write(
            "content/a.de.md",
            "---\ntitle: A\nweight: [\n---\n## Teil\n",
        )
        .write("content/a.en.md", "---\ntitle: A\n---\n## Part\n");
    let err = site.build_err();
    assert!(
        err.contains("content/a.de.md:4:1: error: invalid YAML"),
        "{err}"
    );
    assert!(!err.contains("anchor"), "{err}");
    assert!(err.contains("build failed: 1 error(s)"), "{err}");
}
