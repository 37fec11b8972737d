//! `content_scripts: error` is not bypassed (issue 19, item 7): each input
//! that put script into a page while the build succeeded is refused with an
//! error at its `path:line:col`, and nothing is written. The attacks that
//! were already refused stay covered, `warn` and `allow` do what the docs
//! say, feeds never carry scripts, field names and provenance URLs cannot
//! carry markup, and control characters in titles and fields are refused.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Run, TestSite};

/// A one-language site (`en`) with a `notes` section, written by the
/// test, with `content_scripts` as given.
fn site(name: &str, content_scripts: &str) -> TestSite {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let root = std::env::temp_dir().join(format!(
        "drehbuch-scripts-{}-{name}-{n}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();
    let site = TestSite { root };
    site.write(
        "site.yaml",
        format!(
            "title: {{en: Test}}\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {{code: en, name: English}}\ncontent_scripts: {content_scripts}\n"
        ),
    )
    .write("content/_index.en.md", "---\ntitle: Home\n---\nHome.\n")
    .write("content/notes/_index.en.md", "---\ntitle: Notes\n---\n");
    site
}

/// Writes `content/notes/<name>.en.md` with a three-line front matter, so
/// the body's first line is line 4 of the file.
fn page(site: &TestSite, name: &str, body: &str) {
    site.write(
        &format!("content/notes/{name}.en.md"),
        format!("---\ntitle: {name}\n---\n{body}"),
    );
}

/// `build` fails, reports `error: <message…>` at `at`, and writes nothing.
fn assert_refused(site: &TestSite, at: &str, message: &str) -> Run {
    let run = site.run(&["build"]);
    assert!(!run.success, "the build succeeded:\n{}", run.stdout);
    let expected = format!("{at}: error: {message}");
    assert!(
        run.stderr.contains(&expected),
        "expected `{expected}` in:\n{}",
        run.stderr
    );
    assert!(
        !site.root.join("public").exists(),
        "a failed build wrote public/"
    );
    run
}

/// The 1-based column of `needle` in `line`.
fn col(line: &str, needle: &str) -> usize {
    line.find(needle).expect("needle in line") + 1
}

// ---------------------------------------------------------------------
// The nine inputs that built with `content_scripts: error`.

#[test]
fn heading_attributes_cannot_add_an_event_handler() {
    let site = site("heading", "error");
    page(&site, "x", "Intro.\n\n## Hi {onmouseover=alert(1)}\n");
    assert_refused(
        &site,
        "content/notes/x.en.md:6:1",
        "an inline event handler (`onmouseover=`)",
    );
}

#[test]
fn a_tag_split_over_two_lines_is_read_whole() {
    let site = site("split", "error");
    page(
        &site,
        "x",
        "<div>\n<img src=\"a.png\" alt=\"a\"\n     onerror=\"alert(1)\">\n</div>\n",
    );
    assert_refused(
        &site,
        "content/notes/x.en.md:6:6",
        "an inline event handler (`onerror=`)",
    );
}

#[test]
fn a_quoted_greater_than_sign_does_not_end_the_tag() {
    let site = site("quoted", "error");
    let line = "<img alt=\">\" src=\"a.png\" onerror=\"alert(1)\">";
    page(&site, "x", &format!("{line}\n"));
    assert_refused(
        &site,
        &format!("content/notes/x.en.md:4:{}", col(line, "onerror")),
        "an inline event handler (`onerror=`)",
    );
}

#[test]
fn a_base_element_is_refused() {
    let site = site("base", "error");
    page(
        &site,
        "x",
        "<base href=\"https://evil.example/\">\n\nText.\n",
    );
    assert_refused(
        &site,
        "content/notes/x.en.md:4:1",
        "a <base> element in content makes the theme's scripts",
    );
}

#[test]
fn character_references_are_decoded_as_browsers_decode_them() {
    let site = site("entities", "error");
    // The first two built before; the last two were already refused.
    page(
        &site,
        "x",
        "<a href=\"javascript&#58alert(1)\">a</a>\n\n<a href=\"&#106avascript:alert(1)\">b</a>\n\n<a href=\"jav&#x09;ascript&colon;alert(1)\">c</a>\n\n<a href=\"&#x6A;ava&Tab;script:alert(1)\">d</a>\n",
    );
    let run = assert_refused(
        &site,
        "content/notes/x.en.md:4:4",
        "a javascript: URL in `href`",
    );
    for line in [6, 8, 10] {
        let expected = format!("content/notes/x.en.md:{line}:4: error: a javascript: URL");
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
}

#[test]
fn attributes_that_carry_a_whole_document_are_refused() {
    let site = site("srcdoc", "error");
    let line = "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>";
    page(&site, "x", &format!("{line}\n"));
    assert_refused(
        &site,
        &format!("content/notes/x.en.md:4:{}", col(line, "srcdoc")),
        "`srcdoc` holds a whole document",
    );
}

#[test]
fn svg_animation_of_a_link_target_is_refused() {
    let site = site("animate", "error");
    let line = "<svg><a><animate attributeName=\"href\" values=\"x;javascript:alert(1)\"/><text y=\"20\">click</text></a></svg>";
    page(&site, "x", &format!("{line}\n"));
    let run = assert_refused(
        &site,
        &format!("content/notes/x.en.md:4:{}", col(line, "<animate")),
        "an SVG <animate> that sets a link target",
    );
    let values = format!(
        "content/notes/x.en.md:4:{}: error: a javascript: URL in `values`",
        col(line, "values")
    );
    assert!(run.stderr.contains(&values), "{}", run.stderr);
}

/// A section whose field is named to break out of the card tile's
/// `data-field-NAME="…"` attribute.
const HOSTILE_FIELDS: &str = "---\ntitle: Notes\nlayout: cards\nfields:\n  - name: \"x onmouseover=alert(1) y\"\n    type: string\n---\n";

#[test]
fn field_names_are_identifiers() {
    let site = site("field", "error");
    site.write("content/notes/_index.en.md", HOSTILE_FIELDS);
    site.write(
        "content/notes/x.en.md",
        "---\ntitle: X\n\"x onmouseover=alert(1) y\": a\n---\nText.\n",
    );
    assert_refused(
        &site,
        "content/notes/_index.en.md:5:5",
        "the field name `x onmouseover=alert(1) y` may only have",
    );
}

#[test]
fn field_names_are_identifiers_also_for_field_chart() {
    let site = site("field-chart", "error");
    site.write("content/notes/_index.en.md", HOSTILE_FIELDS);
    page(
        &site,
        "x",
        "{{ field_chart(section=\"notes\", field=\"x onmouseover=alert(1) y\") }}\n",
    );
    assert_refused(
        &site,
        "content/notes/_index.en.md:5:5",
        "the field name `x onmouseover=alert(1) y` may only have",
    );
}

/// The repository's DWD summary with its `source_url` replaced.
fn summary_with_source_url(url: &str) -> String {
    let summary = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sensors/dwd-wuerzburg/summary.json"),
    )
    .unwrap();
    let original = "\"source_url\": \"https://cdc.dwd.de/portal/\"";
    assert!(summary.contains(original));
    summary.replace(original, &format!("\"source_url\": \"{url}\""))
}

#[test]
fn a_summary_source_url_must_be_a_web_address() {
    let site = site("summary", "error");
    let summary = summary_with_source_url("javascript:alert(1)");
    let (line, text) = summary
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("\"source_url\""))
        .unwrap();
    site.write("data/sensors/dwd/summary.json", &summary);
    page(&site, "x", "{{ hot_days_by_year(sensor=\"5705\") }}\n");
    assert_refused(
        &site,
        &format!(
            "data/sensors/dwd/summary.json:{}:{}",
            line + 1,
            col(text, "\"source_url")
        ),
        "provenance.source_url is `javascript:alert(1)`",
    );
}

#[test]
fn a_sensors_yaml_source_url_must_be_a_web_address() {
    let dir = std::env::temp_dir().join(format!("drehbuch-scripts-sensors-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("in.csv"),
        "sensor_id,timestamp,temperature_c\na,2021-07-01T10:00:00Z,31.0\na,2021-07-01T11:00:00Z,32.0\n",
    )
    .unwrap();
    fs::write(
        dir.join("sensors.yaml"),
        "provenance:\n  source: Somebody\n  source_url: \" JavaScript:alert(1)\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args([
            "sensors",
            "summarize",
            "in.csv",
            "--sensors",
            "sensors.yaml",
            "--tz",
            "UTC",
            "--out",
            "summary.json",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let written = dir.join("summary.json").exists();
    let _ = fs::remove_dir_all(&dir);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("sensors.yaml:3: provenance.source_url is ` JavaScript:alert(1)`"),
        "{stderr}"
    );
    assert!(!written, "a refused summary was written");
}

#[test]
fn feeds_never_carry_scripts() {
    // `allow` lets the page keep its scripts; the feed still drops them.
    let site = site("feed", "allow");
    site.write(
        "content/notes/x.en.md",
        "---\ntitle: X\ndate: 2024-05-01\n---\n[a](javascript://%0Aalert(1)) and [b](/notes/)\n\n<img src=\"a.png\" alt=\"\" onerror=\"alert(1)\">\n\n<script>alert(2)</script>\n",
    );
    site.build_ok(&[]);
    let page = site.output("notes/x/index.html");
    assert!(page.contains("onerror=\"alert(1)\""), "allow keeps it");
    for feed in ["atom.xml", "notes/atom.xml"] {
        let xml = site.output(feed);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let content = doc
            .descendants()
            .find(|n| n.tag_name().name() == "content")
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("{feed} has the page's content: {xml}"));
        for script in ["javascript", "onerror", "<script", "alert(2)"] {
            assert!(!content.contains(script), "{feed}: {script} in {content}");
        }
        // The rest of the content stays, with absolute links.
        assert!(
            content.contains("<a href=\"https://example.org/notes/\">b</a>"),
            "{content}"
        );
        assert!(
            content.contains("<img src=\"https://example.org/notes/x/a.png\" alt=\"\">"),
            "{content}"
        );
    }
}

// ---------------------------------------------------------------------
// Everything else that loads or runs code, and the attacks that were
// already refused: one site, one page each, every error reported.

#[test]
fn every_other_way_to_run_code_is_refused_at_its_line() {
    let site = site("others", "error");
    let noscript = "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>";
    let cases: Vec<(&str, String, usize, &str)> = vec![
        // Refused before, still refused.
        ("script", "<script>alert(1)</script>".into(), 1, "a <script> element"),
        (
            "onclick",
            "<button onclick=\"go()\">x</button>".into(),
            9,
            "an inline event handler (`onclick=`)",
        ),
        ("link", "[x](javascript:alert(1))".into(), 1, "a javascript: URL in `href`"),
        ("autolink", "<javascript:alert(1)>".into(), 1, "a javascript: URL in `href`"),
        (
            "entity",
            "<a href=\"java&#115;cript:alert(1)\">x</a>".into(),
            4,
            "a javascript: URL in `href`",
        ),
        (
            "meta-js",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">".into(),
            1,
            "a <meta http-equiv> element",
        ),
        (
            "data-url",
            "<iframe src=\"data:text/html;base64,PHNjcmlwdD4=\"></iframe>".into(),
            9,
            "a document in a data: URL in `src`",
        ),
        (
            "form",
            "<form action=\"javascript:alert(1)\"><button>x</button></form>".into(),
            7,
            "a javascript: URL in `action`",
        ),
        (
            "formaction",
            "<button formaction=\"javascript:alert(1)\">x</button>".into(),
            9,
            "a javascript: URL in `formaction`",
        ),
        (
            "xlink",
            "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>".into(),
            9,
            "a javascript: URL in `xlink:href`",
        ),
        ("svg-script", "<svg><script>alert(1)</script></svg>".into(), 6, "a <script> element"),
        // Built before.
        (
            "meta-refresh",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">".into(),
            1,
            "a <meta http-equiv> element",
        ),
        ("object", "<object data=\"evil.svg\"></object>".into(), 1, "an <object> element"),
        ("embed", "<embed src=\"evil.svg\">".into(), 1, "an <embed> element"),
        (
            "import",
            "<link rel=\"import\" href=\"evil.html\">".into(),
            1,
            "a <link rel=import> element",
        ),
        (
            "set",
            "<svg><a><set attributeName=\"href\" to=\"https://evil.example/\"/><text>x</text></a></svg>".into(),
            9,
            "an SVG <set> that sets a link target",
        ),
        (
            "noscript",
            noscript.into(),
            col(noscript, "onerror"),
            "an inline event handler (`onerror=`)",
        ),
        ("comment", "Text.\n<!-- todo".into(), 1, "the content ends inside an unfinished"),
        // Left open at the end, these change how the next page of a print
        // document is read: `<style>` in SVG holds elements, `<xmp>` in a
        // `<select>` is ignored.
        (
            "open-svg",
            "<svg viewBox=\"0 0 10 10\">".into(),
            1,
            "the content ends inside an open <svg> or <math>",
        ),
        (
            "open-select",
            "<select><option>a".into(),
            1,
            "the content ends inside an open <select>",
        ),
        (
            "ambiguous",
            "<select><xmp><script>alert(1)</script></xmp></select>".into(),
            1,
            "a browser may read this markup in two ways",
        ),
    ];
    for (name, body, _, _) in &cases {
        page(&site, name, &format!("{body}\n"));
    }
    // Content split between an HTML block and Markdown: the quote the
    // block leaves open ends at the link's `href="`, so its target becomes
    // attributes of the <div>.
    page(
        &site,
        "split-markdown",
        "<div title=\"\n\n[x](x/onmouseover=alert(1)//)\n",
    );
    // A value left open at the end swallows the markup after the page's
    // body: in a print document, the next page's text.
    page(&site, "unclosed", "Text.\n\n<div title='x\n");
    let run = site.run(&["build"]);
    assert!(!run.success);
    assert!(!site.root.join("public").exists());
    let mut expected: Vec<(String, &str)> = cases
        .iter()
        .map(|(name, body, col, message)| {
            let line = 4 + body.lines().count() - 1;
            (format!("content/notes/{name}.en.md:{line}:{col}"), *message)
        })
        .collect();
    expected.push((
        "content/notes/split-markdown.en.md:6:1".into(),
        "an inline event handler (`onmouseover=`)",
    ));
    expected.push((
        "content/notes/unclosed.en.md:6:1".into(),
        "the content ends inside an unfinished",
    ));
    for (at, message) in expected {
        let line = format!("{at}: error: {message}");
        assert!(run.stderr.contains(&line), "{line}\n{}", run.stderr);
    }
}

// ---------------------------------------------------------------------
// What `warn` and `allow` do, and what is not a script.

#[test]
fn warn_reports_and_keeps_and_allow_is_silent() {
    let site = site("warn", "warn");
    page(
        &site,
        "x",
        "Intro.\n\n<img src=\"a.png\" alt=\"a\" onerror=\"alert(1)\">\n",
    );
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("content/notes/x.en.md:6:26: warning: an inline event handler (`onerror=`)"),
        "{}",
        run.stderr
    );
    // `warn` keeps the markup as written (docs/check.md says so).
    assert!(
        site.output("notes/x/index.html")
            .contains("onerror=\"alert(1)\"")
    );
    let allow = self::site("allow", "allow");
    page(
        &allow,
        "x",
        "Intro.\n\n<img src=\"a.png\" alt=\"a\" onerror=\"alert(1)\">\n",
    );
    let run = allow.build_ok(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn raw_html_without_scripts_builds_clean() {
    let site = site("clean", "error");
    page(
        &site,
        "x",
        "<details><summary>More</summary>\n\n<img src=\"a.png\" alt=\"javascript: the basics\" title=\"onclick=\">\n\n</details>\n\n\
<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Video\"></iframe>\n\n\
<a href=\"https://example.org/javascript:\">a</a> <a href=\"#top\">b</a> <a href=\"mailto:a@example.org\">c</a>\n\n\
<svg viewBox=\"0 0 10 10\" role=\"img\"><a href=\"#x\"><animate attributeName=\"opacity\" to=\"0\"/><text>x</text></a></svg>\n\n\
<img src=\"data:image/png;base64,AAAA\" alt=\"\">\n\n\
`<script>alert(1)</script>` and text about onclick=x and &lt;script&gt;.\n\n\
```html\n<script>alert(1)</script>\n```\n\n\
## Heading {#own .wide data-x=1}\n",
    );
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

// ---------------------------------------------------------------------
// Control characters in titles and fields.

#[test]
fn control_characters_in_titles_and_fields_are_refused_at_their_line() {
    let site = site("control", "error");
    site.write(
        "content/notes/_index.en.md",
        "---\ntitle: Notes\nfields:\n  - {name: audience, type: list}\n---\n",
    );
    site.write(
        "content/notes/x.en.md",
        "---\ntitle: \"Bell\\a ring\"\naudience: [ok, \"esc\\e[31m\"]\n---\nText.\n",
    );
    let run = assert_refused(
        &site,
        "content/notes/x.en.md:2:8",
        "`title` contains the control character U+0007",
    );
    assert!(
        run.stderr.contains(
            "content/notes/x.en.md:3:16: error: `audience` contains the control character U+001B"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn control_characters_in_data_rows_are_refused_at_their_cell() {
    let site = site("control-csv", "error");
    site.write(
        "content/notes/_index.en.md",
        "---\ntitle: Notes\nsource: data/rows.csv\n---\n",
    );
    site.write("data/rows.csv", "slug,title\nok,Fine\nbad,Bell\u{7} ring\n");
    assert_refused(
        &site,
        "data/rows.csv:3:5",
        "`title` contains the control character U+0007",
    );
}
