//! Any language, any direction (issue 23): fallback chains, language
//! names from CLDR, built-in UI strings of many languages, right-to-left
//! pages, slugs per language and `init` for many languages, as processes
//! on small sites the tests write themselves.

mod common;
mod serve_common;

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
        // A home page of its own, as a site in that language has, so that
        // the language gets its search page and its strings are checked.
        let home = site.root.join(format!("site/content/_index.{lang}.md"));
        if !home.exists() {
            std::fs::write(&home, "---\ntitle: Home\n---\n").unwrap();
        }
        // As CI checks it: with the address it will be published at
        // (init's placeholder `base_url` is a warning of its own).
        let check = site.run(&[
            "check",
            "--root",
            dir,
            "--base-url",
            "http://localhost/",
            "--deny",
            "warnings",
        ]);
        if !check.success || check.stderr.contains("warning") {
            failures.push(format!("{lang}:\n{}{}", check.stdout, check.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn init_names_a_language_in_itself_from_cldr_when_it_has_no_starter_texts() {
    let site = TestSite::empty("init-ar-name");
    let dir = site.root.join("site");
    let dir = dir.to_str().unwrap();
    let init = site.run(&["init", dir, "--languages", "ar,en", "--ci", "none"]);
    assert!(init.success, "{}", init.stderr);
    let config = std::fs::read_to_string(site.root.join("site/site.yaml")).unwrap();
    assert!(
        config.contains("- {code: ar, name: \"العربية\"}"),
        "{config}"
    );
}

/// An Arabic-first site with English: `heat` in both (its Arabic URL in
/// Arabic script), `rain` only in English.
fn arabic_site() -> TestSite {
    let site = TestSite::empty("arabic");
    site.write(
        "site.yaml",
        "title: {ar: دليل, en: Handbook}\nbase_url: https://example.org/\ndefault_language: ar\n\
         languages:\n  - {code: ar, name: العربية}\n  - {code: en, name: English}\n",
    )
    .write(
        "content/_index.ar.md",
        "---\ntitle: الرئيسية\n---\nمرحبا.\n",
    )
    .write("content/_index.en.md", "---\ntitle: Home\n---\nHello.\n")
    .write("content/notes/_index.ar.md", "---\ntitle: ملاحظات\n---\n")
    .write("content/notes/_index.en.md", "---\ntitle: Notes\n---\n")
    .write(
        "content/notes/heat.ar.md",
        "---\ntitle: موجة الحر\nslug: موجة-حر\n---\nاشربوا الماء كثيرا أثناء موجة الحر.\n",
    )
    .write(
        "content/notes/heat.en.md",
        "---\ntitle: Heat wave\n---\nDrink water.\n",
    )
    .write(
        "content/notes/rain.en.md",
        "---\ntitle: Heavy rain\n---\nStay inside.\n",
    );
    site
}

#[test]
fn an_arabic_site_runs_right_to_left_and_marks_english_text_left_to_right() {
    let site = arabic_site();
    site.build_ok(&[]);
    let listing = site.output("ar/notes/index.html");
    assert!(
        listing.contains(r#"<html lang="ar" dir="rtl">"#),
        "{listing}"
    );
    // The switcher's English entry and the English-only page run the
    // other way, and say so.
    assert!(
        listing.contains(r#"<a href="/en/notes/" hreflang="en" lang="en" dir="ltr">English</a>"#),
        "{listing}"
    );
    assert!(
        listing.contains(
            r#"<a href="/en/notes/rain/" lang="en" dir="ltr" hreflang="en">Heavy rain</a>"#
        ),
        "{listing}"
    );
    assert!(listing.contains("باللغة الإنجليزية فقط"), "{listing}");
    // English pages stay left to right, with the Arabic switcher entry
    // marked right to left.
    let english = site.output("en/notes/index.html");
    assert!(
        english.contains(r#"<html lang="en" dir="ltr">"#),
        "{english}"
    );
    assert!(
        english.contains(r#"lang="ar" dir="rtl">العربية</a>"#),
        "{english}"
    );
}

/// `iri` as a URI: every byte outside ASCII percent-encoded (RFC 3987, 3.1).
#[cfg(feature = "search")]
fn to_uri(iri: &str) -> String {
    iri.bytes()
        .map(|b| {
            if b.is_ascii() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn an_arabic_url_is_a_valid_iri_that_links_the_sitemap_and_search_agree_on() {
    let site = arabic_site();
    site.build_ok(&[]);
    let path = "/ar/notes/موجة-حر/";
    // A valid IRI path: no spaces, controls or characters IRIs exclude.
    assert!(
        path.chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>\"{}|\\^`".contains(c)),
        "{path}"
    );
    assert!(site.output_exists("ar/notes/موجة-حر/index.html"));
    let listing = site.output("ar/notes/index.html");
    assert!(
        listing.contains(&format!(r#"<a href="{path}">موجة الحر</a>"#)),
        "{listing}"
    );
    let english = site.output("en/notes/heat/index.html");
    assert!(
        english.contains(&format!(
            r#"hreflang="ar" href="https://example.org{path}""#
        )),
        "{english}"
    );
    let sitemap = site.output("sitemap.xml");
    assert!(
        sitemap.contains(&format!("<loc>https://example.org{path}</loc>")),
        "{sitemap}"
    );
    #[cfg(feature = "search")]
    {
        use std::io::Read;
        let mut indexed = Vec::new();
        for file in site.output_files() {
            if !(file.starts_with("pagefind/ar/") && file.contains("/fragment/")) {
                continue;
            }
            let bytes = std::fs::read(site.root.join("public").join(&file)).unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap();
            let record: serde_json::Value =
                serde_json::from_str(text.strip_prefix("pagefind_dcd").unwrap()).unwrap();
            indexed.push(record["url"].as_str().unwrap().to_string());
        }
        // Pagefind writes the URI form of the same IRI.
        assert!(indexed.contains(&to_uri(path)), "{indexed:?}");
    }
}

/// A Romanian-first site with Hungarian and `extra` site.yaml lines.
fn cluj(extra: &str) -> TestSite {
    let site = TestSite::empty("cluj");
    site.write(
        "site.yaml",
        format!(
            "title: {{ro: Cutie, hu: Doboz}}\nbase_url: https://example.org/\ndefault_language: ro\n\
             languages:\n  - {{code: ro, name: Română}}\n  - {{code: hu, name: Magyar}}\n{extra}"
        ),
    )
    .write("content/_index.ro.md", "---\ntitle: Acasă\n---\nSalut.\n")
    .write("content/_index.hu.md", "---\ntitle: Kezdőlap\n---\nSzia.\n")
    .write("content/spatii/_index.ro.md", "---\ntitle: Spații verzi\n---\n")
    .write("content/spatii/_index.hu.md", "---\ntitle: Terek\n---\n")
    .write(
        "content/spatii/zöldfelületek.hu.md",
        "---\ntitle: Park\n---\n## Összefoglaló és jövőkép\n\nSzöveg.\n",
    );
    site
}

#[test]
fn hungarian_slugs_and_anchors_drop_accents_instead_of_spelling_out_german_umlauts() {
    let site = cluj("");
    let run = site.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    let page = site.output("hu/spatii/zoldfeluletek/index.html");
    assert!(page.contains(r#"id="osszefoglalo-es-jovokep""#), "{page}");
    assert!(site.output_exists("hu/kereses/index.html"));
    assert!(site.output_exists("ro/cautare/index.html"));
}

#[test]
fn a_search_page_keeps_its_url_when_the_site_adds_strings_for_its_language() {
    // Swedish has no built-in strings: its search page is not named by
    // the default language's slug (`/sv/cautare/`) …
    let site = TestSite::empty("stable-search");
    site.write(
        "site.yaml",
        "title: {ro: Cutie, sv: Låda}\nbase_url: https://example.org/\ndefault_language: ro\n\
         languages:\n  - {code: ro, name: Română}\n  - {code: sv, name: Svenska}\n",
    )
    .write("content/_index.ro.md", "---\ntitle: Acasă\n---\n")
    .write("content/_index.sv.md", "---\ntitle: Hem\n---\n");
    site.build_ok(&[]);
    assert!(site.output_exists("sv/search/index.html"));
    assert!(!site.output_exists("sv/cautare/index.html"));
    // … and stays where it is once the site translates the interface.
    site.write("i18n/sv.yaml", "strings:\n  search:\n    title: Sök\n");
    site.build_ok(&[]);
    assert!(site.output_exists("sv/search/index.html"));
}

#[test]
fn cyrillic_urls_are_unicode_by_default_and_transliterated_with_slugs_ascii() {
    let bulgarian = |extra: &str| {
        let site = TestSite::empty("bulgarian");
        site.write(
            "site.yaml",
            format!(
                "title: Наръчник\nbase_url: https://example.org/\ndefault_language: bg\n\
                 languages:\n  - {{code: bg, name: Български}}\n{extra}"
            ),
        )
        .write("content/_index.bg.md", "---\ntitle: Начало\n---\n")
        .write("content/бележки/_index.bg.md", "---\ntitle: Бележки\n---\n")
        .write(
            "content/бележки/щастие.bg.md",
            "---\ntitle: Щастие\n---\nТекст.\n",
        );
        site
    };
    let site = bulgarian("");
    site.build_ok(&[]);
    assert!(site.output_exists("бележки/щастие/index.html"));
    assert!(site.output_exists("търсене/index.html"));
    let site = bulgarian("slugs: ascii\n");
    site.build_ok(&[]);
    assert!(site.output_exists("belezhki/shtastie/index.html"));
    assert!(site.output_exists("tarsene/index.html"));
    let site = bulgarian("slugs: latin\n");
    let errors = site.build_err();
    assert!(
        errors.contains("`slugs` must be `unicode` or `ascii`, not `latin`"),
        "{errors}"
    );
}

#[test]
fn init_normalises_codes_and_shows_languages_without_starter_texts_as_stand_ins() {
    let site = TestSite::empty("init-many");
    let dir = site.root.join("site");
    let dir = dir.to_str().unwrap();
    let init = site.run(&[
        "init",
        dir,
        "--languages",
        "RO, hu",
        "--languages",
        "EN",
        "--ci",
        "none",
    ]);
    assert!(init.success, "{}", init.stderr);
    assert!(!init.stderr.contains("warning"), "{}", init.stderr);
    let config = std::fs::read_to_string(site.root.join("site/site.yaml")).unwrap();
    assert!(config.contains("default_language: ro\n"), "{config}");
    assert!(
        config.contains("  - {code: hu, name: \"Magyar\"}\n"),
        "{config}"
    );
    assert!(
        config.contains("  - {code: en, name: \"English\"}\n"),
        "{config}"
    );
    assert!(config.contains("untranslated: render\n"), "{config}");
    // Hungarian readers see the Romanian pages, and the Romanian title.
    assert!(
        config.contains(
            "title:\n  ro: \"Manualul meu\"\n  hu: \"Manualul meu\"\n  en: \"My handbook\"\n"
        ),
        "{config}"
    );
    // No English text labelled as Hungarian: Hungarian has no pages yet.
    assert!(!site.root.join("site/content/_index.hu.md").exists());
    assert!(site.root.join("site/content/_index.en.md").exists());
    let check = site.run(&[
        "check",
        "--root",
        dir,
        "--base-url",
        "http://localhost/",
        "--deny",
        "warnings",
    ]);
    assert!(check.success, "{}{}", check.stdout, check.stderr);
    site.run(&["build", "--root", dir]);
    let home = std::fs::read_to_string(site.root.join("site/public/hu/index.html")).unwrap();
    assert!(
        home.contains("Ez az oldal még nem érhető el magyar nyelven, ezért eredeti nyelvén (román) jelenik meg."),
        "{home}"
    );
    assert!(home.contains(r#"<div class="prose" lang="ro">"#), "{home}");
    // Hungarian has nothing of its own to search: its readers search the
    // Romanian pages they are shown, on the Romanian search page.
    assert!(
        home.contains(r#"<a class="search-link" href="/ro/cautare/">"#),
        "{home}"
    );
    assert!(!site.root.join("site/public/hu/kereses").exists());
    let status = site.run(&["translations", "status", "--root", dir, "--lang", "hu"]);
    assert!(status.stdout.contains("missing"), "{}", status.stdout);
    assert!(!status.stdout.contains(" ok "), "{}", status.stdout);
}

#[test]
fn init_warns_once_about_languages_without_built_in_strings() {
    let site = TestSite::empty("init-sv");
    let dir = site.root.join("site");
    let dir = dir.to_str().unwrap();
    let init = site.run(&["init", dir, "--languages", "ro,sv,fi", "--ci", "none"]);
    assert!(init.success, "{}", init.stderr);
    let warnings: Vec<&str> = init
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", init.stderr);
    assert!(
        warnings[0].contains("`sv`, `fi`") && warnings[0].contains("i18n/<language>.yaml"),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_print_document_marks_cards_only_in_another_language_in_the_readers_language() {
    let site = cluj("print: [spatii]\n");
    site.write(
        "content/spatii/parc.ro.md",
        "---\ntitle: Parcul Central\n---\nDoar în română.\n",
    );
    site.build_ok(&[]);
    let print = site.output("hu/print/index.html");
    let card = &print[print
        .find("Parcul Central</h2>")
        .expect("the Romanian card is printed")..];
    assert!(
        card.starts_with(
            "Parcul Central</h2>\n    <p class=\"only-in\" lang=\"hu\" dir=\"ltr\">csak román nyelven</p>"
        ),
        "{card}"
    );
}

#[test]
fn fallback_strings_inside_an_article_carry_their_language() {
    let site = TestSite::empty("fallback-strings");
    site.write(
        "site.yaml",
        "title: {ro: Cutie, sv: Låda, en: Box}\nbase_url: https://example.org/\ndefault_language: ro\n\
         languages:\n  - {code: ro, name: Română}\n  - {code: en, name: English}\n  - {code: sv, name: Svenska, fallback: [en]}\n",
    )
    .write("content/_index.ro.md", "---\ntitle: Acasă\n---\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/_index.sv.md", "---\ntitle: Hem\n---\n")
    .write("content/bok/_index.sv.md", "---\ntitle: Bok\nlayout: book\n---\n")
    .write(
        "content/bok/kapitel.sv.md",
        "---\ntitle: Kapitel\ndate: 2026-11-27\n---\nText.\n",
    );
    let run = site.run(&["build"]);
    assert!(run.success, "{}", run.stderr);
    let page = site.output("sv/bok/kapitel/index.html");
    // Swedish has no strings: the chain gives English, marked as such.
    assert!(
        page.contains(
            r#"<span class="chapter-number" data-pagefind-ignore lang="en">Chapter 1</span>"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<span lang="en">Published</span>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<span lang="en">1 minute read</span>"#),
        "{page}"
    );
}

#[test]
fn check_warns_about_chart_strings_a_language_takes_from_another() {
    let site = TestSite::empty("chart-strings");
    let summary = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/shortcodes-chart/data/sensors/fp/summary.json"),
    )
    .unwrap();
    site.write(
        "site.yaml",
        "title: {de: Notizen, sv: Anteckningar}\nbase_url: https://example.org/\ndefault_language: de\n\
         languages:\n  - {code: de, name: Deutsch}\n  - {code: sv, name: Svenska}\nsearch: false\n",
    )
    .write("data/sensors/fp/summary.json", summary)
    .write("content/_index.de.md", "---\ntitle: Start\n---\n")
    .write("content/_index.sv.md", "---\ntitle: Start\n---\n")
    .write("content/chart.sv.md", "---\ntitle: Karta\n---\n{{ hot_days(year=2024) }}\n")
    // Swedish strings for everything the templates show, none for charts.
    .write("i18n/sv.yaml", "strings:\n  nav:\n    home: Start\n");
    let check = site.run(&["check"]);
    assert!(
        check
            .stdout
            .contains("content/chart.sv.md: warning: the UI string `chart.")
            && check
                .stdout
                .contains("has no `sv` text; charts in `sv` show the `de` text"),
        "{}",
        check.stdout
    );
    // The chart is wholly German, and says so.
    site.build_ok(&[]);
    let page = site.output("sv/chart/index.html");
    assert!(page.contains(r#"lang="de">"#), "{page}");
    assert!(
        page.contains("<summary>Zahlen als Tabelle anzeigen</summary>"),
        "{page}"
    );
}

#[test]
fn a_field_chart_in_a_language_without_chart_strings_is_drawn_in_its_fallback_marked_with_lang() {
    let site = TestSite::empty("field-chart-fallback");
    site.write(
        "site.yaml",
        "title: {en: Places, pt: Lugares}\nbase_url: https://example.org/\ndefault_language: en\nsearch: false\n\
         languages:\n  - {code: en, name: English}\n  - {code: pt, name: Português, fallback: [en]}\n",
    )
    .write("i18n/pt.yaml", "strings:\n  nav:\n    home: \"Início\"\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/_index.pt.md", "---\ntitle: Início\n---\n")
    .write(
        "content/places/_index.en.md",
        "---\ntitle: Places\nfields:\n  - {name: kind, type: string, allowed: [x, y]}\n---\n",
    )
    .write("content/places/_index.pt.md", "---\ntitle: Lugares\n---\n")
    .write("content/places/one.en.md", "---\ntitle: One\nkind: x\n---\n")
    .write(
        "content/charts.pt.md",
        "---\ntitle: Gráficos\n---\n{{ field_chart(section=\"places\", field=\"kind\") }}\n",
    );
    site.build_ok(&[]);
    let page = site.output("pt/charts/index.html");
    let start = page.find("<figure").expect("a chart");
    let tag = &page[start..start + page[start..].find('>').unwrap()];
    assert!(tag.contains(" lang=\"en\""), "{tag}");
    // `check` warns at the page about the chart strings it borrowed.
    let check = site.run(&["check"]);
    assert!(
        check.stdout.contains("charts in `pt` show the `en` text"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("content/charts.pt.md: warning: the UI string `chart."),
        "{}",
        check.stdout
    );
}

#[test]
fn a_hungarian_date_ending_a_sentence_in_a_chart_keeps_one_period() {
    let site = TestSite::empty("hu-calendar");
    let summary = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/shortcodes-chart/data/sensors/fp/summary.json"),
    )
    .unwrap();
    site.write(
        "site.yaml",
        "title: Napló\nbase_url: https://example.org/\ndefault_language: hu\n\
         languages:\n  - {code: hu, name: Magyar}\nsearch: false\n",
    )
    .write("data/sensors/fp/summary.json", summary)
    .write("content/_index.hu.md", "---\ntitle: Kezdőlap\n---\n")
    .write(
        "content/naptar.hu.md",
        "---\ntitle: Naptár\n---\n{{ hot_days_calendar(sensor=\"DEC005476\", year=2024) }}\n",
    );
    site.build_ok(&[]);
    let page = site.output("naptar/index.html");
    let desc = &page[page.find("<desc").expect("a chart description")..];
    let desc = &desc[..desc.find("</desc>").unwrap()];
    // CLDR's Hungarian dates end with a period ("2024. augusztus 29."):
    // the list of hot days ends the sentence with it, not with another.
    assert!(desc.contains("hőségnap"), "{desc}");
    assert!(desc.contains(". augusztus "), "{desc}");
    assert!(!desc.contains(".."), "{desc}");
}

#[test]
fn the_preview_overlay_texts_borrowed_from_another_language_carry_its_lang() {
    let site = TestSite::empty("overlay-fallback");
    site.write(
        "site.yaml",
        "title: {de: Notizen, sv: Anteckningar}\nbase_url: https://example.org/\ndefault_language: de\n\
         languages:\n  - {code: de, name: Deutsch}\n  - {code: sv, name: Svenska}\nsearch: false\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\n")
    .write("content/_index.sv.md", "---\ntitle: Start\n---\n")
    // Swedish strings for the home link only: the overlay's are German.
    .write("i18n/sv.yaml", "strings:\n  nav:\n    home: Start\n");
    let server = serve_common::Server::start(&site);
    let page = server.get("/sv/").text();
    let config = &page[page
        .find("window.__drehbuch=")
        .expect("the overlay's texts")..];
    let config = &config[..config.find("</script>").unwrap()];
    assert!(config.contains("\"lang\":\"de\""), "{config}");
    // A German page keeps its own.
    let page = server.get("/de/").text();
    let config = &page[page.find("window.__drehbuch=").unwrap()..];
    let config = &config[..config.find("</script>").unwrap()];
    assert!(config.contains("\"lang\":\"de\""), "{config}");
}
