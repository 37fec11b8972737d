//! Bad input: each kind gives `path:line:col: error: …`, the source line and
//! advice; all errors of a build are reported together; nothing panics.

mod common;

use common::TestSite;

#[test]
fn malformed_yaml_points_into_the_file() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/bad.de.md",
        "---\ntitle: A\ncategory: [heat\n---\nText\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("content/notes/bad.de.md:"), "{stderr}");
    assert!(stderr.contains("error: invalid YAML"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn unknown_key_has_location_source_line_and_suggestion() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/typo.de.md",
        "---\ntitle: A\ncategory: heat\ndescripton: B\n---\nText\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/typo.de.md:4:1: error: unknown front matter key `descripton`\n  |\n4 | descripton: B\n  | ^^^^^^^^^^\n  = help: did you mean `description`?"),
        "{stderr}"
    );
}

#[test]
fn missing_title_and_wrong_field_value() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/untitled.de.md",
        "---\ncategory: hot\n---\nText\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/untitled.de.md:1:1: error: missing `title`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/notes/untitled.de.md:2:11: error: `hot` is not an allowed value of `category`"
        ),
        "{stderr}"
    );
}

#[test]
fn duplicate_url_names_both_files() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/other.de.md",
        "---\ntitle: B\nslug: hitze-check\ncategory: heat\n---\n",
    );
    let stderr = site.build_err();
    // At the later file's `slug:` line, naming the other's (issue 19).
    assert!(
        stderr.contains("content/notes/other.de.md:3:7: error: this page and content/notes/heat.de.md (`slug: hitze-check` at content/notes/heat.de.md:3:7) both map to the URL /de/karten/hitze-check/"),
        "{stderr}"
    );
}

#[test]
fn broken_link_and_broken_anchor_are_errors_with_location() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/links.de.md",
        "---\ntitle: Links\ncategory: heat\n---\nErst [weg](@/notes/gone.md).\n\nDann [Anker](@/notes/heat.md#nirgends).\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("content/notes/links.de.md:5:6: error: broken link: there is no content file `notes/gone.md`"), "{stderr}");
    assert!(stderr.contains("content/notes/links.de.md:7:6: error: broken anchor: content/notes/heat.de.md has no heading `#nirgends`"), "{stderr}");
    assert!(
        stderr.contains("2 error(s)"),
        "all errors of the build are reported: {stderr}"
    );
}

#[test]
fn slug_escaping_the_output_is_rejected() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/escape.de.md",
        "---\ntitle: X\nslug: ../../etc\ncategory: heat\n---\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("content/notes/escape.de.md:3:7: error: slug `../../etc` would leave its folder in the output"), "{stderr}");
    assert!(!site.root.join("etc").exists());
}

#[test]
fn invalid_utf8_is_reported_with_line() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/latin1.de.md",
        b"---\ntitle: Gr\xf6\xdfe\ncategory: heat\n---\n".as_slice(),
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/latin1.de.md:2:10: error: the file is not valid UTF-8"),
        "{stderr}"
    );
    assert!(stderr.contains("save the file as UTF-8"));
}

#[test]
fn unknown_language_suffix_and_duplicate_translation() {
    let site = TestSite::fixture("basic");
    site.write("content/notes/heat.fr.md", "---\ntitle: Chaleur\n---\n");
    site.write(
        "content/notes/heat-two.de.md",
        "---\ntitle: Zwei\ntranslation_key: x\ncategory: heat\n---\n",
    );
    site.write(
        "content/notes/heat-three.de.md",
        "---\ntitle: Drei\ntranslation_key: x\ncategory: heat\n---\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/heat.fr.md: error: the file name says language `fr`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("are both the `de` version of the same page"),
        "{stderr}"
    );
}

#[test]
fn many_problems_are_collected_in_one_build() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/a.de.md",
        "---\ntitle: A\ncategory: heat\ncolour: red\n---\n",
    );
    site.write("content/notes/b.de.md", "---\ncategory: heat\n---\n");
    site.write(
        "content/notes/c.de.md",
        "---\ntitle: C\ncategory: heat\n---\n[x](@/nope.md)\n",
    );
    site.write("content/notes/d.de.md", "no front matter\n");
    let stderr = site.build_err();
    for expected in [
        "content/notes/a.de.md:4:1: error: unknown front matter key `colour`",
        "content/notes/b.de.md:1:1: error: missing `title`",
        "content/notes/c.de.md:5:1: error: broken link",
        "content/notes/d.de.md:1:1: error: the file does not start with front matter",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert!(stderr.contains("build failed: 4 error(s)"), "{stderr}");
}

#[test]
fn malformed_and_unknown_shortcodes() {
    let site = TestSite::fixture("basic");
    site.write("content/notes/sc.de.md", "---\ntitle: S\ncategory: heat\n---\nText\n\n{{ hot_dayz(year=2021) }}\n\n{{ broken(year=) }}\n");
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/sc.de.md:7:1: error: unknown shortcode `hot_dayz`"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("content/notes/sc.de.md:9:16: error: malformed shortcode: expected a value"),
        "{stderr}"
    );
}

#[test]
fn bad_site_yaml_is_reported() {
    let site = TestSite::fixture("basic");
    site.write("site.yaml", "title: T\nbase_url: example.org\ndefault_language: de\nlanguages: [{code: de, name: D}]\ntheme: default\nlanguage: x\n");
    let stderr = site.build_err();
    assert!(
        stderr.contains("site.yaml:2:11: error: `example.org` is not an absolute URL"),
        "{stderr}"
    );
    assert!(
        stderr.contains("site.yaml:6:1: error: unknown key `language` in site.yaml"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `languages`?"));
}

#[test]
fn missing_ui_string_falls_back_with_warning_and_missing_everywhere_fails() {
    let site = TestSite::fixture("basic");
    // `toc` exists in the built-in theme's German; a site that removes no
    // key but adds one only in German gets a fallback with a warning.
    site.write("i18n/de.yaml", "strings:\n  note: Hinweis\n");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}\n<p class=\"note\">{{ t(key=\"note\") }}</p>{% endblock content %}",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "templates/page.html:2: warning: the UI string `note` has no `en` text; pages in `en` show the `de` text"
        ),
        "{}",
        run.stderr
    );
    assert!(
        site.output("en/notes/heat/index.html")
            .contains("<p class=\"note\">Hinweis</p>")
    );

    // Keys no language defines fail the build, all of them in one run,
    // each once, at the template line that names it.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}\n{{ t(key=\"no.such.key\") }}\n{{ t(key=\"also.missing\") }}{% endblock content %}",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "templates/page.html:2: error: the UI string `no.such.key` is defined in no i18n file"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates/page.html:3: error: the UI string `also.missing`"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("`no.such.key`").count(), 1, "{stderr}");
}

#[test]
fn no_site_yaml_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("drehbuch-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("site.yaml: error: cannot read the site configuration"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn chart_shortcodes_render_and_report_unknown_sensor_year_and_missing_summary() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/chart.de.md",
        "---\ntitle: Karte\ncategory: heat\n---\nText\n\n{{ hot_days(year=1999) }}\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/chart.de.md:7:1: error: `hot_days` needs a sensor summary"),
        "{stderr}"
    );

    let summary = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/sensors/friedensplatz/summary.json"
    ))
    .unwrap();
    site.write("data/sensors/fp/summary.json", summary);
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/chart.de.md:7:1: error: `hot_days`:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2024"),
        "the error lists the known years: {stderr}"
    );

    site.write("content/notes/chart.de.md", "---\ntitle: Karte\ncategory: heat\n---\n{{ hot_days_calendar(sensor=\"NOPE\", year=2024) }}\n");
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/chart.de.md:5:1: error: `hot_days_calendar`:")
            && stderr.contains("DEC005476"),
        "{stderr}"
    );

    site.write(
        "content/notes/chart.de.md",
        "---\ntitle: Karte\ncategory: heat\n---\n{{ hot_days(year=2024) }}\n",
    );
    site.build_ok(&[]);
    let page = site.output("de/karten/chart/index.html");
    assert!(
        page.contains("<svg") && page.contains("role=\"img\""),
        "{page}"
    );
    assert!(
        page.contains("<details>") || page.contains("<details "),
        "data table present"
    );
}

#[test]
fn language_suffixes_must_match_site_yaml() {
    // `x.EN.md` was published as a German page `/de/…/x-en/`.
    let site = TestSite::fixture("basic");
    site.write("content/notes/x.EN.md", "---\ntitle: X\n---\nText\n");
    site.write("content/notes/y.fr.md", "---\ntitle: Y\n---\nText\n");
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/x.EN.md: error: the language suffix `.EN` must be written as in site.yaml: `.en.md`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/notes/y.fr.md: error: the file name says language `fr`"),
        "{stderr}"
    );
}

#[test]
fn a_template_error_is_reported_once_at_its_template_line() {
    // It was one squashed line per page that met it.
    let site = TestSite::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.nope.deeper }}</p>\n{% endblock content %}\n",
    );
    let stderr = site.build_err();
    assert_eq!(
        stderr.matches("templates/page.html:4:").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("4 | <p>{{ page.nope.deeper }}</p>"),
        "{stderr}"
    );
    assert!(stderr.contains("^"), "{stderr}");
    assert!(stderr.contains("more page"), "{stderr}");
    assert!(
        !stderr.contains("-->"),
        "tera's own layout is not repeated: {stderr}"
    );
}

#[test]
fn a_template_that_does_not_exist_is_an_error_at_the_key() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/t.de.md",
        "---\ntitle: T\ncategory: heat\ntemplate: gibt-es-nicht.html\n---\nText\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "content/notes/t.de.md:4:11: error: the template `gibt-es-nicht.html` does not exist"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("build failed: 1 error(s)"), "{stderr}");
}

#[test]
fn shortcode_argument_errors_say_what_the_shortcode_takes() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/args.de.md",
        "---\ntitle: Args\ncategory: heat\n---\n{{ hot_days(year=\"zwei\", farbe=1) }}\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/args.de.md:5:1: error: `hot_days` has no argument `farbe`"),
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches("= help: `hot_days` takes year, dataset (optional)")
            .count(),
        2,
        "{stderr}"
    );
}

#[test]
fn a_chart_of_an_unreadable_summary_says_so_once_with_one_help() {
    let site = TestSite::fixture("basic");
    site.write("data/sensors/alt/summary.json", "{\"schema\": 99}");
    site.write(
        "content/notes/alt.de.md",
        "---\ntitle: Alt\ncategory: heat\n---\n{{ hot_days(dataset=\"alt\", year=2021) }}\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("data/sensors/alt/summary.json: error: summary schema 99 is not supported"),
        "{stderr}"
    );
    assert!(stderr.contains("could not be read"), "{stderr}");
    assert!(!stderr.contains("there is no sensor summary"), "{stderr}");
    assert!(
        !stderr.contains("hint:"),
        "the fix is said once, as help: {stderr}"
    );
}
