//! The small things an editor trips over, each said where it is and with
//! what to do: a `print:` entry of no section, pages nothing links to, the
//! placeholder base URL of `init`, a number written with a unit, and
//! translation states that cannot be known outside git.

mod common;

use common::TestSite;

const SITE: &str = "title: Buch\nbase_url: https://buch.klimaschutz-dortmund.de/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\nsearch: false\n";

fn site() -> TestSite {
    let site = TestSite::empty("small");
    site.write("site.yaml", SITE)
        .write("content/_index.de.md", "---\ntitle: Start\n---\n")
        .write("content/_index.en.md", "---\ntitle: Home\n---\n");
    site
}

#[test]
fn a_print_entry_of_no_section_is_an_error_at_its_line() {
    let site = site();
    site.write("site.yaml", format!("{SITE}print:\n  - karten\n"));
    let err = site.build_err();
    assert!(
        err.contains("site.yaml:9:5: error: `print` names `karten`, which is no section folder with an _index file"),
        "{err}"
    );
    assert!(err.contains("9 |   - karten"), "{err}");
}

#[test]
fn the_placeholder_base_url_of_init_is_a_warning_under_check() {
    let dir = TestSite::empty("init-placeholder");
    let run = dir.run(&["init", "--title", "Buch", "--languages", "de", "site"]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    let site = TestSite {
        root: dir.root.join("site"),
    };
    let run = site.run(&["check"]);
    assert!(run.success, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("site.yaml:5:11: warning: `base_url` is https://example.org/, a placeholder"),
        "{}",
        run.stdout
    );
    assert!(!site.run(&["check", "--deny", "warnings"]).success);
    // The address it will be published at (as CI passes it) is fine.
    let run = site.run(&[
        "check",
        "--deny",
        "warnings",
        "--base-url",
        "https://buch.klimaschutz-dortmund.de/",
    ]);
    assert!(run.success, "{}", run.stdout);
    // A build is not held up by it: previews and tests build with it.
    let run = site.run(&["build"]);
    assert!(
        run.success && !run.stderr.contains("placeholder"),
        "{}",
        run.stderr
    );
}

#[test]
fn translations_status_outside_git_says_why_it_is_unknown() {
    let site = site();
    site.write("content/seite.de.md", "---\ntitle: Seite\n---\nText.\n")
        .write("content/seite.en.md", "---\ntitle: Page\n---\nText.\n");
    let run = site.run(&["translations", "status"]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("content/seite.de.md"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "unknown: no `translated_from` and no git history (the site folder is not in a git repository)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("drehbuch translations confirm content/_index.en.md"),
        "{}",
        run.stdout
    );
}

#[test]
fn pages_of_a_folder_without_index_that_nothing_links_to_are_a_warning() {
    let site = site();
    site.write(
        "content/extra/seite.de.md",
        "---\ntitle: Seite\n---\nText.\n",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout.contains(
            "content/extra/seite.de.md: warning: nothing links to this page, and its folder content/extra/ has no _index file, so no menu or listing shows it"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1 warning(s) (orphan-page 1)"),
        "{}",
        run.stdout
    );
    // A link from another page reaches it: no warning.
    site.write(
        "content/_index.de.md",
        "---\ntitle: Start\n---\nSiehe [die Seite](@/extra/seite.md).\n",
    );
    let run = site.run(&["check"]);
    assert!(!run.stdout.contains("orphan-page"), "{}", run.stdout);
}

#[test]
fn a_section_whose_index_has_an_error_is_reported_once_not_as_missing() {
    // A field with an unknown type breaks the section's _index file. That
    // is one error at the type; the section's pages must not be called
    // pages of a folder "without _index file" as well, which would send
    // the editor to create a file that exists.
    let only_the_type_error = |site: &TestSite| {
        let run = site.run(&["check"]);
        assert!(!run.success, "{}", run.stdout);
        assert!(
            run.stdout.contains(
                "content/kapitel/_index.de.md:5:11: error: field `dauer` has unknown type `text`"
            ),
            "{}",
            run.stdout
        );
        let last = run.stdout.lines().last().unwrap();
        assert!(
            last.ends_with(": 1 error(s) (front-matter 1), 0 warning(s)"),
            "{}",
            run.stdout
        );
    };
    let site = site();
    site.write(
        "content/kapitel/_index.de.md",
        "---\ntitle: Kapitel\nfields:\n  - name: dauer\n    type: text\n---\n",
    )
    .write(
        "content/kapitel/eins.de.md",
        "---\ntitle: Eins\ndauer: 2 Stunden\n---\nText.\n",
    );
    only_the_type_error(&site);

    // With the English _index fine, the folder is a section; its pages in
    // both languages still use the fields of the broken declaration, and
    // are not errors for it (also `ort`, declared after the broken field).
    site.write(
        "content/kapitel/_index.de.md",
        "---\ntitle: Kapitel\nfields:\n  - name: dauer\n    type: text\n  - name: ort\n---\n",
    )
    .write(
        "content/kapitel/_index.en.md",
        "---\ntitle: Chapters\n---\n",
    )
    .write(
        "content/kapitel/eins.de.md",
        "---\ntitle: Eins\ndauer: 2 Stunden\nort: hier\n---\nText.\n",
    )
    .write(
        "content/kapitel/eins.en.md",
        "---\ntitle: One\ndauer: 2 hours\n---\nText.\n",
    );
    only_the_type_error(&site);
    // Once the declaration is mended, the fields are checked again.
    site.write(
        "content/kapitel/_index.de.md",
        "---\ntitle: Kapitel\nfields:\n  - name: dauer\n    type: string\n---\n",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout
            .contains("content/kapitel/eins.de.md:4:1: error: unknown front matter key `ort`"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_tab_in_a_data_file_or_front_matter_is_called_a_tab() {
    let site = site();
    site.write(
        "content/actors/_index.de.md",
        "---\ntitle: Akteure\nsource: data/actors.yaml\n---\n",
    )
    .write(
        "data/actors.yaml",
        "- slug: a\n  title: A\n-\tslug: b\n\ttitle: B\n",
    )
    .write(
        "content/seite.de.md",
        "---\ntitle: S\nextra:\n  a: 1\n\tb: 2\n---\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("data/actors.yaml:3:2: error: invalid YAML: a tab indents this line"),
        "{err}"
    );
    assert!(
        err.contains("content/seite.de.md:5:1: error: invalid YAML: a tab indents this line"),
        "{err}"
    );
    assert!(
        err.contains("help: YAML indents with spaces only: replace the tab with spaces"),
        "{err}"
    );
}
