//! Any handbook, not just ours (issue 10): `drehbuch init` and `theme
//! eject` as processes. Overrides, generic layouts, languages without UI
//! strings and single-language sites are compared in tests/cases/.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestSite;

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
    // Only the placeholder address is left to change, and check says so.
    let (ok, stdout, _) = run(&site, &["check", "--deny", "warnings"]);
    assert!(!ok, "{stdout}");
    assert!(
        stdout.contains("0 error(s), 1 warning(s) (config 1)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("`base_url` is https://example.org/, a placeholder"),
        "{stdout}"
    );
    let (ok, stdout, _) = run(
        &site,
        &[
            "check",
            "--deny",
            "warnings",
            "--base-url",
            "https://handbook.example-city.ro/",
        ],
    );
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
    assert!(home.contains("<html lang=\"ro\" dir=\"ltr\">"));
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
