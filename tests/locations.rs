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
