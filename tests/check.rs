//! `drehbuch check`, `drehbuch translations` and `build --relative` on
//! fixture sites, with the real binary.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use common::TestSite;

#[test]
fn clean_site_passes_and_nothing_is_written() {
    let site = TestSite::fixture("basic");
    let run = site.run(&["check"]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("checked 11 pages: 0 error(s), 0 warning(s)"),
        "{}",
        run.stdout
    );
    assert!(!site.root.join("public").exists(), "check writes nothing");
}

#[test]
fn links_made_by_templates_are_checked() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/home.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"{{ site.home }}gibt-es-nicht/\">x</a><a href=\"{{ page.url }}#nirgends\">y</a>{% endblock content %}",
    );
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout.contains("content/_index.de.md: error: broken link in the generated page: /de/gibt-es-nicht/ does not exist"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("broken anchor in the generated page: /de/#nirgends has no id `nirgends`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("error(s) (output-anchor 2, output-link 2)"),
        "{}",
        run.stdout
    );
}

#[test]
fn accessibility_basics_and_deny_warnings() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/a11y.de.md",
        "---\ntitle: Barrieren\ncategory: heat\n---\n![](/bild.png)\n\n[](@/notes/heat.md)\n\n#### Zu tief\n",
    );
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout
            .contains("content/notes/a11y.de.md:5:1: error: image without alt text"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("content/notes/a11y.de.md:7:1: error: link without text"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("content/notes/a11y.de.md:9:1: warning: heading level 4 follows level 1"),
        "{}",
        run.stdout
    );

    // Warnings alone pass, unless denied.
    site.write(
        "content/notes/a11y.de.md",
        "---\ntitle: Barrieren\ncategory: heat\n---\n#### Zu tief\n",
    );
    let run = site.run(&["check"]);
    assert!(run.success, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("0 error(s), 1 warning(s) (heading-level 1)"),
        "{}",
        run.stdout
    );
    let run = site.run(&["check", "--deny", "warnings"]);
    assert!(!run.success);
}

#[test]
fn drafts_linked_from_published_pages_are_errors() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/wip.de.md",
        "---\ntitle: Entwurf\ncategory: heat\ndraft: true\n---\nText\n",
    );
    site.write(
        "content/notes/rain.de.md",
        "---\ntitle: Starkregen\ncategory: rain\n---\nSiehe [Entwurf](@/notes/wip.md).\n",
    );
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout.contains(
            "content/notes/rain.de.md:5:7: error: link to a draft: `notes/wip.md` is not published"
        ),
        "{}",
        run.stdout
    );
    // With --drafts the draft is built, so the link is fine.
    assert!(site.run(&["check", "--drafts"]).success);
    // The same with the language written in the link.
    site.write(
        "content/notes/rain.de.md",
        "---\ntitle: Starkregen\ncategory: rain\n---\nSiehe [Entwurf](@/notes/wip.de.md).\n",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout
            .contains("link to a draft: `notes/wip.de.md` is not published"),
        "{}",
        run.stdout
    );
}

#[test]
fn ui_strings_missing_in_one_language_are_warnings() {
    let site = TestSite::fixture("basic");
    // A string the site adds in German only, used by a template the site
    // renders, in a branch no page takes.
    site.write(
        "i18n/de.yaml",
        "strings:\n  note:\n    extra: Extra\n    never: Nie\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ t(key=\"note.extra\") }}</p>{{ page.content | safe }}\n{% if false %}{{ t(key=\"note.never\") }}{% endif %}\n{% endblock content %}\n",
    );
    // A template the site never renders may name anything.
    site.write("templates/unused.html", "{{ t(key=\"note.unused\") }}");
    let run = site.run(&["check"]);
    assert!(run.success, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "templates/page.html:3: warning: the UI string `note.extra` has no `en` text; pages in `en` show the `de` text"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "templates/page.html:4: warning: the UI string `note.never` has no `en` text"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("note.unused"), "{}", run.stdout);
    // Each (key, language) once.
    assert_eq!(run.stdout.matches("`note.extra` has no `en`").count(), 1);
}

#[test]
fn datasets_without_source_or_licence_are_warnings() {
    let site = TestSite::fixture("basic");
    let summary = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/sensors/friedensplatz/summary.json"
    ))
    .unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&summary).unwrap();
    json["provenance"]
        .as_object_mut()
        .unwrap()
        .remove("licence");
    site.write(
        "data/sensors/x/summary.json",
        serde_json::to_string(&json).unwrap(),
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout
            .contains("data/sensors/x/summary.json: warning: the dataset has no licence"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_and_github_formats() {
    let site = TestSite::fixture("basic");
    site.write("static/x.png", "not really a PNG");
    site.write(
        "content/notes/a11y.de.md",
        "---\ntitle: B\ncategory: heat\n---\n![](/x.png)\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert!(!run.success);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(report["schema"], 1);
    assert_eq!(report["errors"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["kind"], "image-alt");
    assert_eq!(d["file"], "content/notes/a11y.de.md");
    assert_eq!(d["line"], 5);
    assert!(report["translations"].is_array());

    let run = site.run(&["check", "--format", "github"]);
    assert!(
        run.stdout.contains("::error file=content/notes/a11y.de.md,line=5,col=1,title=image-alt::image without alt text"),
        "{}",
        run.stdout
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn translations_confirm_then_outdated_with_changed_lines() {
    let site = TestSite::fixture("basic");
    git(&site.root, &["init", "-q"]);
    git(&site.root, &["add", "."]);
    git(&site.root, &["commit", "-qm", "start"]);
    let run = site.run(&["translations", "confirm", "content/notes/heat.en.md"]);
    assert!(run.success, "{}", run.stderr);
    let en = std::fs::read_to_string(site.root.join("content/notes/heat.en.md")).unwrap();
    assert!(en.contains("\ntranslated_from: "), "{en}");
    let run = site.run(&["translations", "status"]);
    assert!(
        run.stdout.contains("content/notes/heat.de.md"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("original    ok"), "{}", run.stdout);

    // Confirming the original is refused.
    assert!(
        !site
            .run(&["translations", "confirm", "content/notes/heat.de.md"])
            .success
    );

    // The original changes: the translation is outdated, with the line.
    git(&site.root, &["add", "."]);
    git(&site.root, &["commit", "-qm", "confirm"]);
    let de = std::fs::read_to_string(site.root.join("content/notes/heat.de.md")).unwrap();
    site.write(
        "content/notes/heat.de.md",
        de.replace(
            "Erst messen, dann handeln.",
            "Erst messen, dann gemeinsam handeln.",
        ),
    );
    let run = site.run(&["check"]);
    assert!(
        run.success,
        "outdated translations are warnings: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("content/notes/heat.en.md: warning: translation is outdated: content/notes/heat.de.md changed since it was translated (translated_from)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("line 11: Erst messen, dann gemeinsam handeln."),
        "{}",
        run.stdout
    );
    let run = site.run(&["translations", "status", "--lang", "en"]);
    assert!(run.stdout.contains("OUTDATED"), "{}", run.stdout);
    let run = site.run(&["translations", "status", "--lang", "xx"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("the site has no language `xx`"),
        "{}",
        run.stderr
    );
}

#[test]
fn translations_without_record_use_git_and_say_when_the_clone_is_shallow() {
    let site = TestSite::fixture("basic");
    git(&site.root, &["init", "-q"]);
    git(&site.root, &["add", "."]);
    git(&site.root, &["commit", "-qm", "start"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.write(
        "content/notes/heat.de.md",
        std::fs::read_to_string(site.root.join("content/notes/heat.de.md")).unwrap() + "\nNeu.\n",
    );
    git(&site.root, &["commit", "-qam", "original changed"]);
    let run = site.run(&["translations", "status"]);
    assert!(run.stdout.contains("OUTDATED"), "{}", run.stdout);

    let shallow = site.root.with_extension("shallow");
    let _ = std::fs::remove_dir_all(&shallow);
    let url = format!("file://{}", site.root.display());
    let clone = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&shallow)
        .output()
        .unwrap();
    assert!(clone.status.success());
    let output = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(["translations", "status"])
        .current_dir(&shallow)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("unknown"), "{stdout}");
    assert!(stderr.contains("this is a shallow git clone"), "{stderr}");
    let _ = std::fs::remove_dir_all(&shallow);
}

#[test]
fn relative_build_works_from_disk() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--relative", "--base-url", "https://example.org/toolbox/"]);
    let mut checked = 0;
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.output(file);
        // The search form in the header too.
        assert!(
            !html.contains(" action=\"/"),
            "{file}: absolute form action"
        );
        let dir = site.root.join("public").join(file);
        let dir = dir.parent().unwrap();
        for target in drehbuch::html::link_targets(&html) {
            if target.starts_with("http")
                || target.starts_with('#')
                || target.starts_with("mailto:")
            {
                continue;
            }
            assert!(!target.starts_with('/'), "{file}: absolute link {target}");
            let path = target.split(['#', '?']).next().unwrap();
            assert!(
                dir.join(path).is_file(),
                "{file}: {target} does not open from disk"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "followed {checked} links");
}

/// A tiny HTTP server on loopback answering 200 for /ok and 404 otherwise.
fn serve(requests: usize) -> (u16, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let status = if request.starts_with("HEAD /ok ") || request.starts_with("GET /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (port, handle)
}

#[test]
fn external_links_only_when_asked_and_cached() {
    if Command::new("curl").arg("--version").output().is_err() {
        panic!("curl is needed for --external (CI installs it)");
    }
    let site = TestSite::fixture("basic");
    let (port, server) = serve(2);
    site.write(
        "content/notes/rain.de.md",
        format!("---\ntitle: Starkregen\ncategory: rain\n---\n[gut](http://127.0.0.1:{port}/ok) und [weg](http://127.0.0.1:{port}/gone)\n"),
    );
    let run = site.run(&["check"]);
    assert!(
        run.success,
        "external links are not checked by default: {}",
        run.stdout
    );
    let run = site.run(&["check", "--external"]);
    assert!(!run.success);
    assert!(
        run.stdout.contains(&format!("content/notes/rain.de.md: error: external link http://127.0.0.1:{port}/gone answers HTTP 404")),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("/ok answers"));
    server.join().unwrap();
    let cache = std::fs::read_to_string(site.root.join(".drehbuch/external-links.json")).unwrap();
    assert!(cache.contains(&format!("http://127.0.0.1:{port}/ok")));
}

#[test]
fn relative_protocol_relative_and_own_absolute_links() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/links.de.md",
        "---\ntitle: Verweise\ncategory: heat\n---\nAndere: [a](//example.net/seite) und ![b](//cdn.example.net/b.png).\n\nHier: [c](../hitze-check/) [d](../gibt-es-nicht/)\n\n[e](fehlt.png) [f](https://example.org/de/fehlt/) [g](https://example.org/de/) [h](mailto:a@example.org)\n",
    );
    let run = site.run(&["check"]);
    let out = &run.stdout;
    assert!(!run.success, "{out}");
    // Other hosts are external (checked only with --external).
    assert!(!out.contains("example.net/seite does not"), "{out}");
    assert!(!out.contains("b.png does not"), "{out}");
    // Relative links resolve against the page; existing ones pass.
    assert!(!out.contains("../hitze-check/ does not"), "{out}");
    for (line_col, target) in [
        ("7:32", "../gibt-es-nicht/"),
        ("9:5", "fehlt.png"),
        ("9:20", "https://example.org/de/fehlt/"),
    ] {
        assert!(
            out.contains(&format!(
                "content/notes/links.de.md:{line_col}: error: broken link in the generated page: {target} does not exist"
            )),
            "{target}: {out}"
        );
    }
    assert!(out.contains("3 error(s)"), "{out}");
}

#[test]
fn duplicate_ids_are_reported_and_headings_avoid_the_themes_ids() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/ids.de.md",
        "---\ntitle: Ids\ncategory: heat\n---\n## Main\n\n## 1\n\nText.[^1]\n\n<div id=\"doppelt\"></div>\n<p id=\"doppelt\">x</p>\n\n[^1]: Fußnote.\n",
    );
    let run = site.run(&["check"]);
    let out = &run.stdout;
    assert!(!run.success, "{out}");
    assert!(
        out.contains("content/notes/ids.de.md: error: the id `doppelt` appears more than once in the generated page"),
        "{out}"
    );
    // The heading ids stepped aside for the theme's `main` and the footnote.
    assert!(!out.contains("`main`") && !out.contains("`1`"), "{out}");
    assert!(out.contains("1 error(s)"), "{out}");
}

#[test]
fn ui_strings_are_checked_only_in_the_languages_a_template_renders() {
    // A template only German pages use, with a string only German has:
    // no warning about English, which never renders it.
    let site = TestSite::fixture("basic");
    site.write(
        "templates/nurde/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>{{ t(key=\"nurde.hinweis\") }}</p>{{ page.content | safe }}{% endblock content %}",
    );
    let de = std::fs::read_to_string(site.root.join("i18n/de.yaml")).unwrap();
    site.write(
        "i18n/de.yaml",
        format!("{de}\n  nurde.hinweis: \"Nur auf Deutsch\"\n"),
    );
    site.write(
        "content/nurde/_index.de.md",
        "---\ntitle: Nur deutsch\n---\n",
    );
    site.write(
        "content/nurde/seite.de.md",
        "---\ntitle: Seite\n---\nText.\n",
    );
    let run = site.run(&["check", "--deny", "warnings"]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("nurde.hinweis"), "{}", run.stdout);
}

#[test]
fn raw_html_images_without_alt_are_reported() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/bild.de.md",
        "---\ntitle: Bild\ncategory: heat\n---\nText.\n\n<img src=\"/roh.png\">\n\n<img src=\"/deko.png\" alt=\"\">\n",
    );
    site.write("static/roh.png", "png");
    site.write("static/deko.png", "png");
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout
            .contains("content/notes/bild.de.md:7:11: error: image without alt text: /roh.png"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("deko.png"), "{}", run.stdout);
}

#[test]
fn a_broken_link_is_reported_once_not_again_for_each_print_document() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}print: [notes]\n"));
    site.write(
        "content/notes/kaputt.de.md",
        "---\ntitle: Kaputt\ncategory: heat\n---\nSiehe [weg](/de/gibt-es-nicht/).\n",
    );
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout.contains("content/notes/kaputt.de.md:5:13: error: broken link in the generated page: /de/gibt-es-nicht/ does not exist"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 error(s)"), "{}", run.stdout);
}
