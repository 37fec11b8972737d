//! Inputs whose cost grew with the square of their size, and small
//! validation holes (issue 19: findings 5, 13–16, the CSV header, the
//! `--hot-day` threshold, template loops). These tests assert structure
//! (folded diagnostics, unique ids, bounded source lines, clear errors);
//! speed is measured by `scripts/bench/hostile.py` (docs/performance.md).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::TestSite;

static SITES: AtomicUsize = AtomicUsize::new(0);

/// A one-language site of its own (no shared fixture) whose only chapter,
/// `content/chapters/page.en.md`, has `body` under a title.
fn site(body: &str) -> TestSite {
    let n = SITES.fetch_add(1, Ordering::SeqCst);
    let root = std::env::temp_dir().join(format!("drehbuch-limits-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let site = TestSite { root };
    site.write(
        "site.yaml",
        "title: {en: Limits}\nbase_url: https://limits.klimaschutz-dortmund.de/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\nsearch: false\n",
    )
    .write("content/_index.en.md", "---\ntitle: Home\n---\nHome.\n")
    .write(
        "content/chapters/_index.en.md",
        "---\ntitle: Chapters\n---\nAll.\n",
    )
    .write(
        "content/chapters/page.en.md",
        format!("---\ntitle: Page\n---\n{body}"),
    );
    site
}

/// The diagnostics' headline lines (`path:line:col: error: …`) in `stderr`.
fn headlines<'a>(stderr: &'a str, path: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| l.starts_with(path) && (l.contains(": error: ") || l.contains(": warning: ")))
        .collect()
}

// ---------------------------------------------------------------- finding 13

#[test]
fn issue_19_13_repeated_errors_are_folded_after_twenty_with_a_count() {
    let site = site(&format!("{}\n", "{{ ".repeat(16_000)));
    let stderr = site.build_err();
    let lines = headlines(&stderr, "content/chapters/page.en.md:4:");
    assert_eq!(lines.len(), 21, "{}", &stderr[..stderr.len().min(3000)]);
    assert!(
        lines[..20]
            .iter()
            .all(|l| l.contains("error: malformed shortcode")),
        "{lines:#?}"
    );
    assert_eq!(
        lines[20],
        "content/chapters/page.en.md:4:64: error: and 15980 more `shortcode` errors like this in this file, the first of them here"
    );
    assert!(
        stderr.contains("build failed: 16000 error(s) (shortcode 16000)"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
    // 21 diagnostics of a few lines each, not 16,000 copies of a 48 KB line.
    assert!(stderr.len() < 10_000, "{} bytes of stderr", stderr.len());
}

#[test]
fn issue_19_13_a_long_line_is_shown_as_a_window_with_the_caret_under_the_problem() {
    // Multibyte text on both sides, the problem far into a 100,000-character line.
    let line = format!(
        "{} {{{{ nope( }}}} {}\n",
        "ä".repeat(50_000),
        "ü".repeat(50_000)
    );
    let site = site(&line);
    let stderr = site.build_err();
    let at = stderr
        .find("content/chapters/page.en.md:4:50011: error: malformed shortcode: expected an argument name")
        .unwrap_or_else(|| panic!("{}", &stderr[..stderr.len().min(2000)]));
    let block: Vec<&str> = stderr[at..].lines().take(4).collect();
    let shown = block[2].strip_prefix("4 | ").expect("the source line");
    let caret = block[3].strip_prefix("  | ").expect("the caret line");
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
    assert!(shown.chars().count() <= 2 * 80 + 3, "{shown}");
    // The error points at `}}`, where an argument name was expected.
    let close = shown.chars().position(|c| c == '}').unwrap();
    let mark = caret.chars().position(|c| c == '^').unwrap();
    assert_eq!(mark, close, "\n{shown}\n{caret}");
    assert_eq!(
        mark, 81,
        "80 characters are shown before the problem, after `…`"
    );
}

#[test]
fn issue_19_13_check_folds_the_same_way_in_json_and_github_formats() {
    let site = site(&format!("{}\n", "{{ ".repeat(16_000)));
    let run = site.run(&["check", "--format", "json"]);
    assert!(!run.success);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", &run.stdout[..run.stdout.len().min(2000)]));
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 21);
    assert_eq!(json["errors"], 16_000);
    assert_eq!(diagnostics[20]["folded"], 15_980);
    assert_eq!(diagnostics[20]["column"], 64);
    for d in &diagnostics[..20] {
        let shown = d["source_line"].as_str().unwrap();
        assert!(shown.chars().count() <= 163, "{shown}");
        let caret = d["source_column"].as_u64().unwrap() as usize;
        // At the next `{{`, after a space: where a name was expected.
        assert_eq!(shown.chars().nth(caret - 1), Some('{'), "{d}");
        assert_eq!(shown.chars().nth(caret - 2), Some(' '), "{d}");
        assert!(d.get("folded").is_none(), "{d}");
    }

    let run = site.run(&["check", "--format", "github"]);
    let annotations: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(annotations.len(), 21, "{}", run.stdout);
    assert!(
        annotations[20].contains("and 15980 more"),
        "{}",
        annotations[20]
    );
    assert!(
        run.stdout
            .ends_with("16000 error(s) (shortcode 16000), 0 warning(s)\n"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------- finding 16

#[test]
fn issue_19_16_code_past_the_page_budget_is_shown_plain_with_a_warning_at_its_fence() {
    let big = "let x = f(1);\n".repeat(300 * 1024 / 14);
    let site = site(&format!(
        "```rust\nfn small() {{}}\n```\n\nText.\n\n```rust\n{big}```\n\n```rust\nfn after() {{}}\n```\n"
    ));
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "content/chapters/page.en.md:10:1: warning: this and later code blocks of the page are not highlighted: a page's code is highlighted up to 256 KiB in all, and this block (300 KiB) is past it"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    let html = site.output("chapters/page/index.html");
    let blocks: Vec<&str> = html.split("<pre class=\"code\"").skip(1).collect();
    assert_eq!(blocks.len(), 3);
    assert!(blocks[0].contains("class=\"hl-"), "the first block fits");
    assert!(!blocks[1].contains("class=\"hl-"));
    assert_eq!(blocks[1].matches("let x = f(1);").count(), 300 * 1024 / 14);
    assert!(
        !blocks[2].contains("class=\"hl-"),
        "later blocks stay plain"
    );
    assert!(blocks[2].contains("fn after() {}"));
}

#[test]
fn issue_19_16_a_code_block_with_a_minified_line_is_not_highlighted() {
    let line = "f(a,b);".repeat(2000);
    let site = site(&format!("Intro.\n\n```js\nvar a = 1;\n{line}\n```\n"));
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains(
            "content/chapters/page.en.md:6:1: warning: this code block is not highlighted: its line 2 is 14 KiB long (highlighting stops at 10 KiB per line)"
        ),
        "{}",
        run.stderr
    );
    let html = site.output("chapters/page/index.html");
    assert!(html.contains(&line));
}

// ---------------------------------------------------------------- finding 15

#[test]
fn issue_19_15_lists_and_quotes_nested_more_than_100_deep_are_refused_at_their_line() {
    let site = site(&format!("Intro.\n\n{}x\n", "- ".repeat(100_000)));
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "content/chapters/page.en.md:6:201: error: lists and block quotes are nested more than 100 deep here"
        ),
        "{stderr}"
    );
    assert_eq!(headlines(&stderr, "content/").len(), 1, "{stderr}");

    let site = self::site(&format!(
        "{}x\n\n{}y\n",
        "> ".repeat(100),
        "> - ".repeat(51)
    ));
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/chapters/page.en.md:6:201: error: lists and block quotes are nested more than 100 deep here"),
        "{stderr}"
    );

    // A hundred levels are allowed.
    let site = self::site(&format!("{}x\n", "> ".repeat(100)));
    site.build_ok(&[]);
    let html = site.output("chapters/page/index.html");
    assert_eq!(html.matches("<blockquote>").count(), 100);
}

// ---------------------------------------------------------------- finding 14

#[test]
fn issue_19_14_twenty_thousand_equal_headings_get_unique_ids_that_skip_explicit_ones() {
    let body = format!("## First {{#same-2}}\n\n{}", "## Same\n\n".repeat(20_000));
    let site = site(&body);
    site.build_ok(&[]);
    let html = site.output("chapters/page/index.html");
    // The theme's own `<h2>`s (the table of contents) aside.
    let ids: Vec<String> = common::attributes(&html, "<h2 ", "id")
        .into_iter()
        .filter(|id| id.starts_with("same"))
        .collect();
    assert_eq!(ids.len(), 20_001);
    assert_eq!(ids[..4], ["same-2", "same", "same-1", "same-3"]);
    assert_eq!(ids[20_000], "same-20000");
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 20_001);
}

// ---------------------------------------------------------------- finding 5

/// `site` plus a sensor summary `data/sensors/x/summary.json` written by
/// `drehbuch sensors summarize` (two hot days, 2024 and 2025), returned
/// as text for the test to edit.
fn site_with_summary(body: &str) -> (TestSite, String) {
    let site = site(body);
    site.write(
        "raw/readings.csv",
        "sensor_id,timestamp,temperature_c\nS1,2024-07-01T00:00:00Z,21.5\nS1,2024-07-01T12:00:00Z,31.0\nS1,2025-07-01T00:00:00Z,22.5\nS1,2025-07-01T12:00:00Z,32.0\n",
    );
    let run = site.run(&[
        "sensors",
        "summarize",
        "raw/readings.csv",
        "--interval",
        "12h",
        "--tz",
        "UTC",
        "--quiet",
        "--out",
        "data/sensors/x/summary.json",
    ]);
    assert!(run.success, "{}", run.stderr);
    let text = std::fs::read_to_string(site.root.join("data/sensors/x/summary.json")).unwrap();
    (site, text)
}

/// 1-based line and column of the first `needle` in `text`, plus its length.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in\n{text}"));
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

#[test]
fn issue_19_5_summary_years_out_of_range_are_errors_at_their_json_path_not_an_abort() {
    let (site, text) = site_with_summary("{{ hot_days_by_year(sensor=\"S1\") }}\n");
    site.build_ok(&[]);
    let edited = text
        .replace("\"year\": 2024", "\"year\": -2000000000")
        .replace("\"year\": 2025", "\"year\": 2000000000");
    site.write("data/sensors/x/summary.json", &edited);
    let run = site.run(&["build"]);
    assert!(!run.success);
    assert_eq!(run.stderr.matches("memory allocation").count(), 0);
    let (line, col) = position(&edited, "-2000000000");
    assert!(
        run.stderr.contains(&format!(
            "data/sensors/x/summary.json:{line}:{col}: error: sensors[0].years[0].year: -2000000000 is outside the years a summary may hold, 1850–2100 (the range of raw readings)\n"
        )),
        "{}",
        run.stderr
    );
    let (line, col) = position(&edited, "\"year\": 2000000000");
    assert!(
        run.stderr.contains(&format!(
            "data/sensors/x/summary.json:{line}:{}: error: sensors[0].years[1].year: 2000000000 is outside",
            col + 8
        )),
        "{}",
        run.stderr
    );
    // The page's chart says where to look instead of drawing from it.
    assert!(
        run.stderr
            .contains("could not be read (see the error at that file)"),
        "{}",
        run.stderr
    );
}

#[test]
fn issue_19_5_every_number_of_a_summary_is_checked_when_it_is_loaded() {
    let (site, text) = site_with_summary("{{ hot_days(year=2024) }}\n");
    let edits = [
        (
            "\"hot_days\": 1,",
            "\"hot_days\": 4000000000,",
            "sensors[0].years[0].hot_days: 4000000000 is more than complete_days (1)",
        ),
        (
            "\"days_in_period\": 184,",
            "\"days_in_period\": 4000000,",
            "sensors[0].years[0].days_in_period: 4000000 is more than the 366 days of 2024",
        ),
        (
            "\"coverage\": 0.005",
            "\"coverage\": -3",
            "sensors[0].years[0].coverage: -3 is not a share from 0 to 1",
        ),
        (
            "\"value\": 31.0",
            "\"value\": 1e300",
            "sensors[0].years[0].max.value: 1e300 is not a temperature (°C) from -100 to 100",
        ),
        (
            "\"hot_day_c\": 30.0",
            "\"hot_day_c\": -1e12",
            "thresholds.hot_day_c: -1e12 is not a temperature (°C) from -100 to 100",
        ),
        (
            "\"interval_minutes\": 720,\n      \"interval_configured\"",
            "\"interval_minutes\": 0,\n      \"interval_configured\"",
            "sensors[0].interval_minutes: 0 is not an interval; at least 1 minute",
        ),
        (
            "[\"2025-07-01\",22.5",
            "[\"2024-07-01\",22.5",
            "sensors[0].days[1][0]: 2024-07-01 follows 2024-07-01: days must be in ascending order, each once",
        ),
        (
            "\"first\": \"2024-07-01\"",
            "\"first\": \"1700-01-01\"",
            "period.first: 1700-01-01 is outside the days a summary may hold, 1850-01-01 … 2100-12-31",
        ),
    ];
    for (from, to, message) in edits {
        assert!(text.contains(from), "{from}");
        site.write("data/sensors/x/summary.json", text.replacen(from, to, 1));
        let run = site.run(&["build"]);
        assert!(!run.success, "{to}");
        let (line, col) = position(&text.replacen(from, to, 1), to);
        let value_col = col + to.find(": ").map_or(0, |i| i + 2);
        let value_col = if to.starts_with('[') {
            col + 1
        } else {
            value_col
        };
        assert!(
            run.stderr.contains(&format!(
                "data/sensors/x/summary.json:{line}:{value_col}: error: {message}\n"
            )),
            "{to}:\n{}",
            run.stderr
        );
    }
}

// ---------------------------------------------------------------- --hot-day NaN

#[test]
fn issue_19_non_finite_thresholds_and_float_flags_are_refused_with_nothing_written() {
    let site = site("Text.\n");
    site.write(
        "raw/readings.csv",
        "sensor_id,timestamp,temperature_c\nS1,2024-07-01T00:00:00Z,21.5\nS1,2024-07-01T12:00:00Z,31.0\n",
    );
    let summarize = |extra: &[&str]| {
        let mut args = vec![
            "sensors",
            "summarize",
            "raw/readings.csv",
            "--out",
            "out/summary.json",
            "--quiet",
        ];
        args.extend_from_slice(extra);
        site.run(&args)
    };
    for (flag, value) in [
        ("--hot-day", "NaN"),
        ("--hot-day", "inf"),
        ("--summer-day", "-inf"),
        ("--tropical-night", "nan"),
        ("--spike-delta", "inf"),
        ("--stuck-hours", "NaN"),
    ] {
        let run = summarize(&[flag, value]);
        assert!(!run.success, "{flag} {value}");
        assert!(
            run.stderr
                .contains(&format!("invalid value '{value}' for '{flag} <"))
                && run
                    .stderr
                    .contains(&format!("{value} is not a finite number")),
            "{flag} {value}: {}",
            run.stderr
        );
        assert!(!site.root.join("out").exists());
    }
    let run = summarize(&["--hot-day", "1e6"]);
    assert!(
        run.stderr
            .contains("1000000 °C is out of range; a threshold is from -100 to 100 °C"),
        "{}",
        run.stderr
    );

    // sensors.yaml values: YAML can write `.nan`, and a period from 1700
    // is one sensors.yaml allows but a summary cannot hold.
    for (yaml, expected) in [
        (
            "provenance:\n  thresholds: {hot_day: .nan}\n",
            "raw/sensors.yaml: provenance.thresholds.hot_day is NaN; it must be a number from -100 to 100",
        ),
        (
            "provenance:\n  period: {from: 1700-01-01, to: 2024-12-31}\n",
            "out/summary.json: the summary would hold 1 value(s) out of range, so it was not written; the first: period.first: 1700-01-01 is outside",
        ),
    ] {
        site.write("raw/sensors.yaml", yaml);
        let run = summarize(&["--sensors", "raw/sensors.yaml"]);
        assert!(!run.success);
        assert!(run.stderr.contains(expected), "{}", run.stderr);
        assert!(!site.root.join("out").exists());
    }
    site.remove("raw/sensors.yaml");

    let run = summarize(&["--hot-day", "29.5", "--tropical-night", "-5"]);
    assert!(run.success, "{}", run.stderr);
    let written = std::fs::read_to_string(site.root.join("out/summary.json")).unwrap();
    assert!(written.contains("\"hot_day_c\": 29.5"));
}

// ---------------------------------------------------------------- CSV header

#[test]
fn issue_19_a_csv_header_with_a_column_twice_is_an_error_at_the_second() {
    let site = site("Text.\n");
    site.write(
        "content/actors/_index.en.md",
        "---\ntitle: Actors\nsource: data/actors.csv\n---\nAll.\n",
    )
    .write(
        "data/actors.csv",
        "slug,title,title,body\nclujul,First,Second,Text.\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "data/actors.csv:1:12: error: the column `title` appears twice in the header (columns 2 and 3)\n  |\n1 | slug,title,title,body\n  |            ^^^^^\n"
        ),
        "{stderr}"
    );
    assert_eq!(headlines(&stderr, "data/").len(), 1, "{stderr}");
}

// ---------------------------------------------------------------- template loops

/// Runs `drehbuch build` in `site` with `env`, killing it (and failing the
/// test) if it is still running after `seconds`.
fn build_within(site: &TestSite, env: &[(&str, &str)], seconds: u64) -> (bool, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .arg("build")
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            return (status.success(), stderr);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build was still running after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn issue_19_a_template_loop_that_runs_for_hours_stops_the_build_naming_template_and_page() {
    let site = site("Text.\n");
    site.write(
        "templates/page.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}done\n",
    );
    let (success, stderr) = build_within(&site, &[("DREHBUCH_RENDER_LIMIT", "1")], 120);
    assert!(!success);
    assert!(
        stderr.contains(
            "templates/page.html: error: rendering the page /chapters/page/ (en) took more than 1 s, so the build was stopped\n  = help: a loop in this template"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("DREHBUCH_RENDER_LIMIT=SECONDS (0: no limit)"),
        "{stderr}"
    );
    assert!(!site.output_exists("index.html"), "nothing was published");

    // A bad limit is an error before anything is rendered.
    let (success, stderr) = build_within(&site, &[("DREHBUCH_RENDER_LIMIT", "soon")], 120);
    assert!(!success);
    assert!(
        stderr.contains("error: DREHBUCH_RENDER_LIMIT must be a number of seconds from 0 (no limit) to 86400, not `soon`"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------- page size

#[test]
fn issue_19_a_markdown_file_over_4_mib_is_refused_with_its_size_and_the_limit() {
    let site = site(&"Some words in a paragraph.\n\n".repeat(170_000));
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "content/chapters/page.en.md: error: the page is 4.5 MiB; a Markdown file may be at most 4 MiB\n  = help: split it into several pages"
        ),
        "{stderr}"
    );
    // Just under the limit, the page builds.
    let site = self::site(&"Some words in a paragraph.\n\n".repeat(149_000));
    site.build_ok(&[]);
}

#[test]
fn issue_19_serve_refuses_a_page_that_an_edit_grows_past_4_mib() {
    use std::io::BufRead;
    let site = site("Short.\n");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(["serve", "--port", "0"])
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Both streams' lines, as they come.
    let (lines, received) = std::sync::mpsc::channel::<String>();
    let streams: [Box<dyn std::io::Read + Send>; 2] = [
        Box::new(child.stdout.take().unwrap()),
        Box::new(child.stderr.take().unwrap()),
    ];
    for stream in streams {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stream)
                .lines()
                .map_while(Result::ok)
            {
                let _ = lines.send(line);
            }
        });
    }
    let wait_for = |needle: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match received.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!(
            "`{needle}` never came; the server said:\n{}",
            seen.join("\n")
        );
    };
    wait_for("http://127.0.0.1:");
    // Only the body changes: the preview's fast path for text edits.
    site.write(
        "content/chapters/page.en.md",
        format!(
            "---\ntitle: Page\n---\n{}",
            "Some words in a paragraph.\n\n".repeat(170_000)
        ),
    );
    let line = wait_for("a Markdown file may be at most 4 MiB");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("content/chapters/page.en.md: error: the page is 4.5 MiB"),
        "{line}"
    );
}
