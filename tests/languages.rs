//! Any language, any direction (issue 23): fallback chains, language
//! names from CLDR, built-in UI strings of many languages, right-to-left
//! pages, slugs per language and `init` for many languages, as processes
//! on small sites the tests write themselves.

mod common;

use common::TestSite;

/// A German-first site with English and Romanian; Romanian readers fall
/// back to English, then German. `a` exists in German and English, `b`
/// only in German.
fn three_languages(extra: &str) -> TestSite {
    let site = TestSite::empty("fallback-chain");
    site.write(
        "site.yaml",
        format!(
            "title: {{de: Buch, en: Book, ro: Carte}}\nbase_url: https://example.org/\ndefault_language: de\n\
             languages:\n  - {{code: de, name: Deutsch}}\n  - {{code: en, name: English}}\n  - {{code: ro, name: Română, fallback: [en, de]}}\n{extra}"
        ),
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\nHallo.\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\nHello.\n")
    .write(
        "content/_index.ro.md",
        "---\ntitle: Acasă\n---\nVezi [A](@/notes/a.md) și [B](@/notes/b.md).\n",
    )
    .write("content/notes/_index.de.md", "---\ntitle: Notizen\n---\n")
    .write("content/notes/_index.en.md", "---\ntitle: Notes\n---\n")
    .write("content/notes/_index.ro.md", "---\ntitle: Note\n---\n")
    .write("content/notes/a.de.md", "---\ntitle: A auf Deutsch\n---\nDeutsch.\n")
    .write("content/notes/a.en.md", "---\ntitle: A in English\n---\nEnglish.\n")
    .write("content/notes/b.de.md", "---\ntitle: B auf Deutsch\n---\nNur Deutsch.\n");
    site
}

#[test]
fn romanian_readers_fall_back_to_english_then_german_and_read_the_names_in_romanian() {
    let site = three_languages("");
    site.build_ok(&[]);
    let listing = site.output("ro/notes/index.html");
    // `a` links its English version, named in Romanian.
    assert!(
        listing.contains(r#"<a href="/en/notes/a/" lang="en" hreflang="en">A in English</a>"#),
        "{listing}"
    );
    assert!(listing.contains("doar în engleză"), "{listing}");
    // `b` exists only in German: the chain goes on to German.
    assert!(
        listing.contains(r#"<a href="/de/notes/b/" lang="de" hreflang="de">B auf Deutsch</a>"#),
        "{listing}"
    );
    assert!(listing.contains("doar în germană"), "{listing}");
    assert!(!listing.contains("A auf Deutsch"), "{listing}");
    // A link in Romanian content follows the same chain.
    let home = site.output("ro/index.html");
    assert!(home.contains(r#"href="/en/notes/a/""#), "{home}");
    assert!(home.contains(r#"href="/de/notes/b/""#), "{home}");
    // English readers (no fallback given) still fall back to German, and
    // read its name in English.
    let english = site.output("en/notes/index.html");
    assert!(english.contains("only in German"), "{english}");
}

#[test]
fn rendered_stand_ins_follow_the_chain_and_name_both_languages_in_the_readers_language() {
    let site = three_languages("untranslated: render\n");
    site.build_ok(&[]);
    let a = site.output("ro/notes/a/index.html");
    assert!(
        a.contains("English."),
        "the English version is rendered: {a}"
    );
    assert!(!a.contains("Deutsch."), "{a}");
    assert!(
        a.contains("Această pagină nu este încă disponibilă în română. Este afișată în engleză."),
        "{a}"
    );
    let b = site.output("ro/notes/b/index.html");
    assert!(b.contains("Nur Deutsch."), "{b}");
    assert!(b.contains("Este afișată în germană."), "{b}");
}

#[test]
fn a_fallback_outside_the_sites_languages_is_an_error_at_its_line() {
    let site = three_languages("");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        config.replace("fallback: [en, de]", "fallback: [fr]"),
    );
    let errors = site.build_err();
    assert!(
        errors.contains("site.yaml:7:40:")
            && errors.contains("the fallback `fr` of `ro` is not in `languages`"),
        "{errors}"
    );
}

/// Every language the built-in theme has UI strings for.
const BUILT_IN: [&str; 13] = [
    "de", "en", "ro", "tr", "ar", "pl", "bg", "uk", "hu", "fr", "es", "it", "nl",
];

#[test]
fn a_new_site_in_each_built_in_language_checks_clean() {
    let mut failures = Vec::new();
    for lang in BUILT_IN.iter().filter(|l| **l != "en") {
        let site = TestSite::empty(&format!("init-{lang}"));
        let dir = site.root.join("site");
        let dir = dir.to_str().unwrap();
        let languages = format!("{lang},en");
        let init = site.run(&["init", dir, "--languages", &languages, "--ci", "none"]);
        assert!(init.success, "{lang}: {}", init.stderr);
        let check = site.run(&["check", "--root", dir, "--deny", "warnings"]);
        if !check.success || check.stderr.contains("warning") {
            failures.push(format!("{lang}:\n{}{}", check.stdout, check.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
