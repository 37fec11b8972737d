//! Any handbook, not just ours (issue 10): `drehbuch init`, the built-in
//! theme with file-by-file and key-by-key overrides, `theme eject`,
//! generic layouts and field labels, languages without UI strings,
//! single-language sites, and the output fixes found on the way.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestSite, attributes};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_drehbuch"));
    c.env("NO_COLOR", "1");
    c
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "drehbuch-theme-{}-{name}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir(dir) {
        out.push(
            entry
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.push(p.clone());
                out.extend(walkdir(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = bin().args(args).current_dir(dir).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn init_writes_a_site_that_builds_and_checks_clean() {
    let dir = scratch("init");
    let (ok, stdout, stderr) = run(
        &dir,
        &[
            "init",
            "handbook",
            "--languages",
            "ro,en",
            "--title",
            "Trusa",
        ],
    );
    assert!(ok, "{stdout}{stderr}");
    let site = dir.join("handbook");
    let before = tree(&dir);
    assert!(
        before.contains(&"handbook/static".to_string()),
        "{before:?}"
    );
    assert!(before.contains(&"handbook/README.md".to_string()));
    // The output and the build's lock file stay out of version control.
    let ignore = fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(
        ignore.contains("/public/") && ignore.contains("/.public.lock"),
        "{ignore}"
    );
    let readme = fs::read_to_string(site.join("README.md")).unwrap();
    assert!(readme.contains("`page.ro.md`, `page.en.md`"), "{readme}");
    assert!(readme.contains("drehbuch serve"), "{readme}");
    assert!(
        !before
            .iter()
            .any(|p| p.contains("themes") || p.contains("i18n"))
    );
    let (ok, stdout, stderr) = run(&site, &["build"]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stderr.is_empty(), "no warnings expected: {stderr}");
    assert!(stdout.starts_with("built 6 pages (ro 3, en 3)"), "{stdout}");
    let (ok, stdout, _) = run(&site, &["check", "--deny", "warnings"]);
    assert!(ok, "{stdout}");
    assert!(stdout.contains("0 error(s), 0 warning(s)"), "{stdout}");
    // Nothing outside the site folder was touched.
    let after: Vec<String> = tree(&dir)
        .into_iter()
        .filter(|p| !p.starts_with("handbook/public") && !p.starts_with("handbook/.public"))
        .collect();
    assert_eq!(after, before);
    // The Romanian home is in Romanian, with the built-in theme's strings.
    let home = fs::read_to_string(site.join("public/ro/index.html")).unwrap();
    assert!(home.contains("<html lang=\"ro\">"));
    assert!(home.contains("Salt la conținut"), "{home}");

    // It refuses to write over a site.
    let (ok, _, stderr) = run(&dir, &["init", "handbook", "--languages", "de"]);
    assert!(!ok);
    assert!(stderr.contains("already holds a site"), "{stderr}");
    // An empty title would give a site whose first build fails.
    let (ok, _, stderr) = run(
        &dir,
        &["init", "other", "--languages", "de", "--title", " "],
    );
    assert!(!ok);
    assert!(stderr.contains("the title is empty"), "{stderr}");
    assert!(!dir.join("other").exists());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_language_without_ui_strings_falls_back_once_with_the_right_lang() {
    let site = TestSite::fixture("basic");
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        config
            .replace(
                "  - {code: en, name: English}\n",
                "  - {code: en, name: English}\n  - {code: fr, name: Français}\n",
            )
            .replace("en: Test book}", "en: Test book, fr: Livre}"),
    );
    site.write(
        "content/notes/heat.fr.md",
        "---\ntitle: Chaleur\ncategory: heat\n---\n## Étapes\n\nMesurer.\n",
    );
    let run = site.build_ok(&[]);
    assert_eq!(
        run.stderr
            .matches("there are no UI strings for `fr`")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("i18n/fr.yaml: warning: there are no UI strings for `fr`; pages in `fr` show the interface in `de`"), "{}", run.stderr);
    // No misleading errors on other languages' pages, no per-key warnings.
    assert!(!run.stderr.contains("unknown shortcode"));
    assert!(!run.stderr.contains("has no `fr` text"), "{}", run.stderr);
    let page = site.output("fr/notes/heat/index.html");
    assert!(page.contains("<html lang=\"fr\">"));
    // The interface falls back to German and says so.
    assert!(
        page.contains("<header class=\"site-header\" lang=\"de\">"),
        "{page}"
    );
    assert!(page.contains("<footer class=\"site-footer\" lang=\"de\">"));
    assert!(page.contains("Zum Inhalt springen"));
    // The content stays French.
    assert!(page.contains("<article class=\"page\">"));
}

#[test]
fn missing_theme_names_the_real_fix() {
    let site = TestSite::fixture("basic");
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", config.replace("theme: default", "theme: sky"));
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "site.yaml: error: the theme `sky` is not built in, and there is no folder themes/sky/"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("remove `theme:` from site.yaml to use the built-in theme"),
        "{stderr}"
    );
    assert!(stderr.contains("drehbuch theme eject --to themes/sky"));
    // The site's own shortcodes still count: the theme is the one error.
    site.write(
        "templates/shortcodes/tip.html",
        "{% component tip(text: string) %}<aside>{{ text }}</aside>{% endcomponent tip %}\n",
    );
    site.write(
        "content/notes/tipp.de.md",
        "---\ntitle: Tipp\ncategory: heat\n---\n{{ tip(text=\"Wasser\") }}\n",
    );
    let stderr = site.build_err();
    assert!(!stderr.contains("unknown shortcode"), "{stderr}");
    assert!(stderr.contains("build failed: 1 error(s)"), "{stderr}");
    // Without `theme:` the built-in theme is used.
    site.write("site.yaml", config.replace("theme: default\n", ""));
    site.build_ok(&[]);
}

#[test]
fn the_theme_is_overridden_file_by_file_and_strings_key_by_key() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html lang=\"de\"><title>x</title><p>Eigene 404</p></html>",
    );
    site.write("static/css/site.css", "body { color: red }");
    site.write("i18n/en.yaml", "strings:\n  toc: Table of contents\n");
    site.write(
        "content/notes/long.en.md",
        "---\ntitle: Long\ncategory: heat\n---\n## A\n## B\n## C\n",
    );
    site.build_ok(&[]);
    assert!(site.output("404.html").contains("Eigene 404"));
    assert_eq!(site.output("css/site.css"), "body { color: red }");
    // Other theme files still come from the built-in theme.
    assert!(site.output("css/syntax.css").contains(".hl-"));
    let long = site.output("en/notes/long/index.html");
    assert!(long.contains(">Table of contents</h2>"), "{long}");
    // Keys the site does not change keep the theme's text.
    assert!(long.contains("Skip to content"));
}

#[test]
fn theme_eject_writes_the_theme_once() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["theme", "eject"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        site.root
            .join("themes/default/templates/base.html")
            .is_file()
    );
    assert!(site.root.join("themes/default/i18n/ro.yaml").is_file());
    assert!(
        site.root
            .join("themes/default/static/css/site.css")
            .is_file()
    );
    // The ejected theme is used: a change there shows up.
    let base = fs::read_to_string(site.root.join("themes/default/templates/base.html")).unwrap();
    site.write(
        "themes/default/templates/base.html",
        base.replace("<body class=", "<body data-ejected=\"yes\" class="),
    );
    site.build_ok(&[]);
    assert!(
        site.output("de/index.html")
            .contains("data-ejected=\"yes\"")
    );
    let again = site.run(&["theme", "eject"]);
    assert!(!again.success);
    assert!(again.stderr.contains("already exist"), "{}", again.stderr);
}

#[test]
fn generic_layout_shows_any_declared_field_with_labels() {
    let site = TestSite::fixture("basic");
    // A cards section whose fields the theme has never heard of; labels
    // come from the declarations, unknown values show as they are.
    site.write(
        "content/tools/_index.de.md",
        "---\ntitle: Werkzeuge\nlayout: cards\nfields:\n  - name: material\n    type: string\n    allowed: [wood, metal]\n    facet: true\n    label: Material\n    labels: {wood: Holz}\n  - name: weight_kg\n    type: number\n    label: Gewicht (kg)\n  - name: tags\n    type: list\n  - name: indoor\n    type: boolean\n---\n",
    );
    site.write(
        "content/tools/hammer.de.md",
        "---\ntitle: Hammer\nmaterial: metal\nweight_kg: 1.5\ntags: [schwer, alt]\nindoor: true\n---\nKlopft.\n",
    );
    site.write(
        "content/tools/bank.de.md",
        "---\ntitle: Bank\nmaterial: wood\n---\nSitzt.\n",
    );
    site.build_ok(&[]);
    let hammer = site.output("de/tools/hammer/index.html");
    assert!(
        hammer
            .contains("<dt>Material</dt><dd><span data-pagefind-filter=\"Material\"><a href=\"/de/tools/material/metal/\">metal</a></span></dd>"),
        "{hammer}"
    );
    assert!(
        hammer.contains("<dt>Gewicht (kg)</dt><dd>1,50</dd>"),
        "{hammer}"
    );
    assert!(
        hammer.contains("<dt>tags</dt><dd>schwer, alt</dd>"),
        "{hammer}"
    );
    assert!(hammer.contains("<dt>indoor</dt><dd>Ja</dd>"), "{hammer}");
    let overview = site.output("de/tools/index.html");
    assert!(overview.contains(">Holz</h2>"), "{overview}");
    // The facet page has its own title and heading and is in the sitemap.
    let facet = site.output("de/tools/material/holz/index.html");
    assert!(
        facet.contains("<title>Material: Holz – Testbuch</title>"),
        "{facet}"
    );
    assert!(facet.contains("<h1>Material: Holz</h1>"));
    assert!(facet.contains(">Bank</a>") && !facet.contains(">Hammer</a>"));
    assert!(overview.contains("href=\"/de/tools/material/holz/\""));
    assert!(
        site.output("sitemap.xml")
            .contains("<loc>https://example.org/de/tools/material/holz/</loc>")
    );
}

#[test]
fn a_field_the_templates_name_but_no_section_declares_is_reported() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}\n{{ page.content | safe }}\n{% if page.fields.audiense %}x{% endif %}{% endblock content %}",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout.contains("templates/page.html:3: warning: the template reads the field `audiense`, which no section declares"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("did you mean `audience`?"));
}

#[test]
fn a_single_language_site_has_no_chooser_and_no_switcher() {
    let site = TestSite::fixture("basic");
    site.write(
        "site.yaml",
        "title: Notes\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\n",
    );
    for f in [
        "content/_index.de.md",
        "content/notes/_index.de.md",
        "content/notes/heat.de.md",
    ] {
        site.remove(f);
    }
    site.write(
        "content/notes/rain.de.md",
        "---\ntitle: Rain\ncategory: rain\n---\nWet.\n",
    );
    fs::rename(
        site.root.join("content/notes/rain.de.md"),
        site.root.join("content/notes/rain.en.md"),
    )
    .unwrap();
    site.build_ok(&[]);
    let home = site.output("index.html");
    assert!(home.contains("<html lang=\"en\">"));
    assert!(!home.contains("language-switcher"), "{home}");
    assert!(!home.contains("hreflang"), "{home}");
    assert!(site.output_exists("notes/heat/index.html"));
    assert!(!site.output_exists("en/index.html"));
    assert!(!site.output("sitemap.xml").contains("xhtml:link"));
    // The feed sits at the root too.
    assert!(home.contains("href=\"/atom.xml\""), "{home}");
    assert!(
        site.output("atom.xml")
            .contains("<id>https://example.org/notes/heat/</id>")
    );
}

#[test]
fn the_root_chooser_is_every_homes_x_default_and_404_claims_nothing() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    for home in ["de/index.html", "en/index.html"] {
        let html = site.output(home);
        let pairs: Vec<(String, String)> =
            attributes(&html, "<link rel=\"alternate\" hreflang=", "hreflang")
                .into_iter()
                .zip(attributes(
                    &html,
                    "<link rel=\"alternate\" hreflang=",
                    "href",
                ))
                .collect();
        assert!(
            pairs.contains(&("x-default".into(), "https://example.org/".into())),
            "{home}: {pairs:?}"
        );
    }
    let chooser = site.output("index.html");
    assert!(
        chooser.contains(
            "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/\">"
        )
    );
    // Different titles are each shown; one title for every language once.
    assert!(
        chooser.contains("<title>Testbuch · Test book</title>"),
        "{chooser}"
    );
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        config.replace("title: {de: Testbuch, en: Test book}", "title: Testbuch"),
    );
    site.build_ok(&[]);
    let chooser = site.output("index.html");
    assert!(chooser.contains("<title>Testbuch</title>"), "{chooser}");
    assert_eq!(chooser.matches("class=\"chooser-title\"").count(), 1);
    let not_found = site.output("404.html");
    assert!(!not_found.contains("rel=\"canonical\""), "{not_found}");
    assert!(!not_found.contains("hreflang=\"de\" href"), "{not_found}");
}

#[test]
fn print_documents_rename_ids_in_every_reference() {
    let site = TestSite::fixture("basic");
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}print: [notes]\n"));
    site.write(
        "content/notes/svg.de.md",
        "---\ntitle: Grafik\ncategory: heat\n---\n## Teil\n\n<svg role=\"img\" aria-labelledby=\"t\"><title id=\"t\">T</title><defs><pattern id=\"p\"></pattern></defs><rect fill=\"url(#p)\" width=\"1\" height=\"1\"/></svg>\n\n[hoch](#teil)\n",
    );
    site.build_ok(&[]);
    let print = site.output("de/print/index.html");
    // The page's part: `<article … id="card-svg" … aria-labelledby="pN-title">`.
    let part = &print[print.find("id=\"card-svg\"").expect("the page's part")..];
    let key = part
        .split("aria-labelledby=\"")
        .nth(1)
        .and_then(|rest| rest.split("-title\"").next())
        .unwrap();
    assert!(key.starts_with('p'), "{key}");
    assert!(
        print.contains(&format!("aria-labelledby=\"{key}-c-t\"")),
        "{print}"
    );
    assert!(print.contains(&format!("<title id=\"{key}-c-t\">")));
    assert!(print.contains(&format!("fill=\"url(#{key}-c-p)\"")));
    assert!(print.contains(&format!("href=\"#{key}-c-teil\"")));
    assert!(print.contains(&format!("<h3 id=\"{key}-c-teil\">")));
    // Ids from positions cannot collide with headings named like the
    // part's own ids ("Title", "Link 1") or with other pages' names.
    site.write(
        "content/notes/a.de.md",
        "---\ntitle: A\ncategory: heat\n---\n## Title\n\n## Link 1\n\n[x](https://example.net/)\n",
    );
    site.write(
        "content/notes/a-title.de.md",
        "---\ntitle: B\ncategory: heat\n---\nText.\n",
    );
    site.build_ok(&[]);
    let run = site.run(&["check"]);
    assert!(
        !run.stdout.contains("appears more than once"),
        "{}",
        run.stdout
    );
    // No landmark is repeated with the same name.
    assert!(!print.contains("<section class=\"link-notes\""));
    let check = site.run(&["check"]);
    assert!(!check.stdout.contains("id-reference"), "{}", check.stdout);
}

#[test]
fn check_finds_dangling_id_references_in_any_page() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/aria.de.md",
        "---\ntitle: Aria\ncategory: heat\n---\n<div role=\"region\" aria-labelledby=\"nowhere\">x</div>\n",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout.contains("`aria-labelledby` in the generated page de/karten/aria/index.html names the id `nowhere`"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_shortcode_on_a_heading_line_is_expanded_properly() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/shortcodes/note.html",
        "{% component note(text: string) %}<em>{{ text }}</em>{% endcomponent note %}",
    );
    site.write(
        "content/notes/head.de.md",
        "---\ntitle: Kopf\ncategory: heat\n---\n## Daten {{ note(text=\"x\") }}\n\nText.\n",
    );
    site.build_ok(&[]);
    let html = site.output("de/karten/head/index.html");
    assert!(
        html.contains("<h2 id=\"daten\">Daten <em>x</em></h2>"),
        "{html}"
    );
    assert!(!html.contains("xdbsc"), "{html}");
}

#[test]
fn the_same_chart_twice_on_a_page_gets_distinct_ids() {
    let site = TestSite::fixture("basic");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(site.root.join("data/sensors/fp")).unwrap();
    fs::copy(
        repo.join("data/sensors/friedensplatz/summary.json"),
        site.root.join("data/sensors/fp/summary.json"),
    )
    .unwrap();
    site.write(
        "content/notes/twice.de.md",
        "---\ntitle: Zweimal\ncategory: heat\n---\n{{ hot_days_calendar(sensor=\"DEC005476\", year=2024) }}\n\n{{ hot_days_calendar(sensor=\"DEC005476\", year=2024) }}\n",
    );
    site.build_ok(&[]);
    let html = site.output("de/karten/twice/index.html");
    let ids: Vec<String> = attributes(&html, "<figure", "id");
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    let check = site.run(&["check"]);
    assert!(!check.stdout.contains("id-reference"), "{}", check.stdout);
}

#[test]
fn dependent_errors_are_not_repeated() {
    let site = TestSite::fixture("basic");
    // A section that fails to load: its pages' fields are not reported,
    // and links to its pages are not "broken".
    site.write(
        "content/notes/_index.de.md",
        "---\ntitle: Karten\nslug: karten\nfields: [\n---\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("content/notes/_index.de.md:"), "{stderr}");
    assert!(
        !stderr.contains("unknown front matter key `category`"),
        "{stderr}"
    );
    assert!(!stderr.contains("broken link"), "{stderr}");
}

#[test]
fn a_value_that_is_not_allowed_is_one_error() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/bad.de.md",
        "---\ntitle: Falsch\ncategory: hot\n---\nText\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("`hot` is not an allowed value of `category`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("missing required field `category`"),
        "{stderr}"
    );
}

#[test]
fn a_broken_anchor_is_reported_with_front_matter_errors() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/bad.de.md",
        "---\ntitle: Falsch\ncategory: heat\ncolour: red\n---\n[x](@/notes/heat.md#nirgends)\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("unknown front matter key `colour`"),
        "{stderr}"
    );
    let site2 = TestSite::fixture("basic");
    site2.write(
        "content/notes/other.de.md",
        "---\ntitle: Anders\ncategory: heat\ncolour: red\n---\nText\n",
    );
    site2.write(
        "content/notes/link.de.md",
        "---\ntitle: Verweis\ncategory: heat\n---\n[x](@/notes/heat.md#nirgends)\n",
    );
    let stderr = site2.build_err();
    assert!(
        stderr.contains("unknown front matter key `colour`"),
        "{stderr}"
    );
    assert!(stderr.contains("broken anchor"), "{stderr}");
}

#[test]
fn listings_never_drop_pages_and_mark_other_languages() {
    let site = TestSite::fixture("basic");
    let cards = "layout: cards\nfields:\n  - {name: material, type: string, allowed: [wood, metal], facet: true}\n";
    site.write(
        "content/tools/_index.de.md",
        format!("---\ntitle: Werkzeuge\n{cards}---\n"),
    );
    site.write(
        "content/tools/_index.en.md",
        format!("---\ntitle: Tools\n{cards}---\n"),
    );
    site.write(
        "content/tools/a-hammer.de.md",
        "---\ntitle: Hammer\nmaterial: metal\n---\nKlopft.\n",
    );
    site.write(
        "content/tools/a-hammer.en.md",
        "---\ntitle: Hammer\nmaterial: metal\n---\nKnocks.\n",
    );
    // Only in German, so the English listing links the original.
    site.write(
        "content/tools/b-bank.de.md",
        "---\ntitle: Bank\nmaterial: wood\n---\nSitzt.\n",
    );
    // No value for the grouping field.
    site.write(
        "content/tools/c-kiste.de.md",
        "---\ntitle: Kiste\n---\nHält.\n",
    );
    let book = "layout: book\ngroup_by: part\nfields:\n  - {name: part, type: string, allowed: [basics]}\n";
    site.write(
        "content/guide/_index.en.md",
        format!("---\ntitle: Guide\n{book}---\n"),
    );
    site.write(
        "content/guide/01-start.en.md",
        "---\ntitle: Start\npart: basics\n---\nGo.\n",
    );
    site.write(
        "content/guide/02-extra.en.md",
        "---\ntitle: Extra\n---\nMore.\n",
    );
    site.build_ok(&[]);

    // Pages without a value are listed last under "Other", never dropped.
    let de = site.output("de/tools/index.html");
    assert!(
        de.contains("<h2 id=\"group-ungrouped\">Weitere</h2>"),
        "{de}"
    );
    assert!(de.contains("href=\"/de/tools/c-kiste/\""), "{de}");
    let guide = site.output("en/guide/index.html");
    assert!(guide.contains(">Other</h3>"), "{guide}");
    assert!(guide.contains("href=\"/en/guide/extra/\""), "{guide}");

    // A value only an untranslated original has still gets its facet page
    // in the other language, so no facet link is empty.
    let en = site.output("en/tools/index.html");
    assert!(!en.contains("href=\"\""), "{en}");
    assert!(en.contains("href=\"/en/tools/material/wood/\""), "{en}");
    assert!(
        site.output("en/tools/material/wood/index.html")
            .contains(">Bank</a>")
    );

    // Previous/next to a page in another language says so.
    let hammer = site.output("en/tools/a-hammer/index.html");
    for link in hammer.split("<a class=\"pager-").skip(1) {
        if link.contains("href=\"/de/") {
            assert!(link.contains("hreflang=\"de\""), "{link}");
            assert!(link.contains("class=\"only-in\""), "{link}");
        }
    }
    assert!(
        hammer.contains("href=\"/de/tools/b-bank/\" hreflang=\"de\""),
        "{hammer}"
    );
}
