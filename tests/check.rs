//! `drehbuch check`, `drehbuch translations` and `build --relative` as
//! processes: exit status, report formats, git, the network and files on
//! disk. What check reports for each kind of problem is compared in
//! tests/cases/ (`check: true`).

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use common::TestSite;

/// A site written by the test: a home page per language, one German
/// page with `body`, no search page.
fn small_site(body: &str) -> TestSite {
    let site = TestSite::empty("check");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://buch.klimaschutz-dortmund.de/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\nsearch: false\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\n")
    .write("content/seite.de.md", format!("---\ntitle: Seite\n---\n{body}"));
    site
}

#[test]
fn clean_site_passes_and_nothing_is_written() {
    let site = small_site("Text.\n");
    let run = site.run(&["check"]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    // Every generated page is checked: three content pages, the language
    // chooser and the 404 page.
    assert_eq!(
        run.stdout.lines().last(),
        Some("checked 5 pages: 0 error(s), 0 warning(s)"),
        "{}",
        run.stdout
    );
    assert!(!site.root.join("public").exists(), "check writes nothing");
}

#[test]
fn the_exit_status_follows_errors_and_deny_warnings() {
    // An error fails the check.
    let site = small_site("![](/bild.png)\n\n#### Zu tief\n");
    site.write("static/bild.png", "png");
    let run = site.run(&["check"]);
    assert!(!run.success, "{}", run.stdout);
    assert_eq!(
        run.stdout.lines().last(),
        Some("checked 5 pages: 1 error(s) (image-alt 1), 1 warning(s) (heading-level 1)"),
        "{}",
        run.stdout
    );
    // Warnings alone pass, unless denied.
    site.write(
        "content/seite.de.md",
        "---\ntitle: Seite\n---\n#### Zu tief\n",
    );
    let run = site.run(&["check"]);
    assert!(run.success, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("content/seite.de.md:4:1: warning: heading level 4 follows level 1"),
        "{}",
        run.stdout
    );
    let run = site.run(&["check", "--deny", "warnings"]);
    assert!(!run.success, "{}", run.stdout);
}

#[test]
fn json_and_github_formats() {
    let site = small_site("![](/x.png)\n");
    site.write("static/x.png", "not really a PNG");
    let run = site.run(&["check", "--format", "json"]);
    assert!(!run.success);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(report["schema"], 1);
    assert_eq!(report["errors"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["kind"], "image-alt");
    assert_eq!(d["file"], "content/seite.de.md");
    assert_eq!(d["line"], 4);
    assert!(report["translations"].is_array());

    let run = site.run(&["check", "--format", "github"]);
    assert!(
        run.stdout.contains(
            "::error file=content/seite.de.md,line=4,col=1,title=image-alt::image without alt text"
        ),
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
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let mut followed = 0;
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
            followed += 1;
        }
        // Every page links at least its stylesheets: none is skipped.
        assert!(followed > 0, "{file}: no link followed");
    }
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
