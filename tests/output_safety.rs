//! Folders that are not ours, and what is never published (issue 19):
//! only provable leftovers beside the output are removed, a build deletes
//! only what an earlier build of the same output wrote, `--force` never
//! reaches the home folder or a repository, two outputs for one URL are an
//! error, hidden files in `static/` stay private, and `translations
//! confirm` and `init` write exactly what they mean to. One test per
//! finding; each failed on the code before its fix.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Run, TestSite};

static SCRATCH: AtomicUsize = AtomicUsize::new(0);

/// A fresh empty folder of its own under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let n = SCRATCH.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "drehbuch-output-safety-{}-{name}-{n}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A two-language site written by the test: a home page and a section
/// `notes` per language, plus `extra` files.
fn small_site(extra: &[(&str, &str)]) -> TestSite {
    let site = TestSite {
        root: scratch("site"),
    };
    site.write(
        "site.yaml",
        "title: {de: Buch, en: Book}\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\n",
    );
    site.write("content/_index.de.md", "---\ntitle: Start\n---\nHallo.\n");
    site.write("content/_index.en.md", "---\ntitle: Home\n---\nHello.\n");
    site.write(
        "content/notes/_index.de.md",
        "---\ntitle: Notizen\nslug: notizen\n---\n",
    );
    site.write("content/notes/_index.en.md", "---\ntitle: Notes\n---\n");
    for (path, text) in extra {
        site.write(path, text);
    }
    site
}

/// Appends `line` to the site's site.yaml.
fn configure(site: &TestSite, line: &str) {
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}{line}\n"));
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the drehbuch binary runs");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

// ---------------------------------------------------------------------
// 1. Folders next to the output

#[test]
fn issue_19_1_folders_beside_the_output_that_look_like_leftovers_are_kept() {
    let site = small_site(&[]);
    site.build_ok(&[]);
    // The reporter's backup of an earlier build, and similar names.
    fs::rename(
        site.root.join("public"),
        site.root.join("public.old-20240105"),
    )
    .unwrap();
    site.write("public.old-20240105/MY.txt", "edits");
    site.write("public.tmp-4711/MY.txt", "notes");
    // The exact hidden pattern, but without drehbuch's marker inside:
    // not provably ours either.
    site.write(".public.tmp-0123456789abcdef/MY.txt", "mine");
    site.write(".public.old-fedcba9876543210/MY.txt", "mine too");
    site.build_ok(&[]);
    for kept in [
        "public.old-20240105/MY.txt",
        "public.tmp-4711/MY.txt",
        ".public.tmp-0123456789abcdef/MY.txt",
        ".public.old-fedcba9876543210/MY.txt",
    ] {
        assert!(site.root.join(kept).is_file(), "{kept} was deleted");
    }
    // A real leftover (pattern and marker) is removed.
    site.write(".public.tmp-00000000000000ab/.drehbuch-output", "");
    site.write(".public.tmp-00000000000000ab/de/index.html", "half");
    site.build_ok(&[]);
    assert!(!site.root.join(".public.tmp-00000000000000ab").exists());
    assert!(
        site.root
            .join(".public.tmp-0123456789abcdef/MY.txt")
            .is_file()
    );

    // With --output elsewhere, other people's folders there stay too.
    let shared = scratch("shared-tmp");
    fs::create_dir_all(shared.join("site.old-123")).unwrap();
    fs::write(shared.join("site.old-123/theirs.txt"), "theirs").unwrap();
    let out = shared.join("site");
    site.build_ok(&["--output", out.to_str().unwrap()]);
    site.build_ok(&["--output", out.to_str().unwrap()]);
    assert_eq!(
        fs::read_to_string(shared.join("site.old-123/theirs.txt")).unwrap(),
        "theirs"
    );
    let _ = fs::remove_dir_all(&shared);
}

// ---------------------------------------------------------------------
// 2. The marker travels with copies

/// Copies every entry of `from` into `to` (as `cp -r from/. to/` does).
fn copy_into(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_into(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn issue_19_2_a_copied_marker_does_not_let_a_build_delete_other_files() {
    let site = small_site(&[]);
    site.build_ok(&[]);
    let web = scratch("web");
    fs::create_dir_all(web.join("otherapp")).unwrap();
    fs::write(web.join("otherapp/index.php"), "<?php").unwrap();
    copy_into(&site.root.join("public"), &web);
    assert!(web.join(".drehbuch-output").is_file());
    let run = site.run(&["build", "--output", web.to_str().unwrap()]);
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains("otherapp/"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            &fs::canonicalize(&site.root)
                .unwrap()
                .join("public")
                .display()
                .to_string()
        ),
        "the error names where the marker was written: {}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(web.join("otherapp/index.php")).unwrap(),
        "<?php"
    );

    // Even a pure copy is refused: the marker names another folder.
    fs::remove_dir_all(web.join("otherapp")).unwrap();
    let run = site.run(&["build", "--output", web.to_str().unwrap()]);
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains("copied"), "{}", run.stderr);
    assert!(web.join("de/index.html").is_file());
    let _ = fs::remove_dir_all(&web);
}

#[test]
fn issue_19_2_files_added_to_an_output_are_never_deleted() {
    let site = small_site(&[]);
    site.build_ok(&[]);
    site.write("public/de/notes.txt", "my notes");
    site.write("public/stats/visits.csv", "1,2");
    let run = site.run(&["build"]);
    assert!(!run.success, "{}", run.stdout);
    assert!(
        run.stderr.contains("de/notes.txt") && run.stderr.contains("stats/"),
        "{}",
        run.stderr
    );
    assert_eq!(site.output("de/notes.txt"), "my notes");
    assert_eq!(site.output("stats/visits.csv"), "1,2");
    // Once they are gone, building works again, and a second build of an
    // unchanged site replaces the first without complaint.
    fs::remove_file(site.root.join("public/de/notes.txt")).unwrap();
    fs::remove_dir_all(site.root.join("public/stats")).unwrap();
    site.build_ok(&[]);
    site.build_ok(&[]);
    // A page removed from the site is removed from the output too (the
    // manifest of the last build lists it).
    site.write(
        "content/notes/extra.de.md",
        "---\ntitle: Extra\n---\nExtra.\n",
    );
    site.build_ok(&[]);
    assert!(site.output_exists("de/notizen/extra/index.html"));
    site.remove("content/notes/extra.de.md");
    site.build_ok(&[]);
    assert!(!site.output_exists("de/notizen/extra/index.html"));
}

#[test]
fn issue_19_2_an_old_marker_without_a_list_is_compared_with_what_the_build_writes() {
    let site = small_site(&[]);
    site.build_ok(&[]);
    // What earlier versions wrote: a marker that lists nothing.
    let old_marker = "This folder was written by `drehbuch build`.\nEach build replaces it as a whole; do not keep your own files here.\n";
    site.write("public/.drehbuch-output", old_marker);
    site.write("public/otherapp/index.php", "<?php");
    let run = site.run(&["build"]);
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains("otherapp/"), "{}", run.stderr);
    assert!(
        run.stderr.contains("earlier version of drehbuch"),
        "{}",
        run.stderr
    );
    assert!(site.output_exists("otherapp/index.php"));
    // Without foreign entries the old output is replaced, and from then
    // on the marker lists what was written.
    fs::remove_dir_all(site.root.join("public/otherapp")).unwrap();
    site.build_ok(&[]);
    let marker = site.output(".drehbuch-output");
    assert!(marker.contains("de/index.html"), "{marker}");
}

// ---------------------------------------------------------------------
// 3. --force has a guard

#[test]
fn issue_19_3_force_never_deletes_the_home_folder() {
    let site = small_site(&[]);
    let home = scratch("home");
    fs::write(home.join("thesis.tex"), "years of work").unwrap();
    fs::create_dir_all(home.join("Documents")).unwrap();
    let run = run_in(
        &site.root,
        &["build", "--output", home.to_str().unwrap(), "--force"],
        &[("HOME", home.to_str().unwrap())],
    );
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains("home folder"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 entries (Documents/, thesis.tex)"),
        "{}",
        run.stderr
    );
    assert!(home.join("thesis.tex").is_file());
    let _ = fs::remove_dir_all(&home);
}

#[test]
fn issue_19_3_force_never_deletes_a_repository() {
    let site = small_site(&[]);
    let repo = scratch("repo");
    fs::create_dir_all(repo.join(".git/objects")).unwrap();
    fs::write(repo.join("main.c"), "int main;").unwrap();
    let run = site.run(&["build", "--output", repo.to_str().unwrap(), "--force"]);
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains(".git"), "{}", run.stderr);
    assert!(repo.join("main.c").is_file());
    assert!(repo.join(".git/objects").is_dir());
    // A repository further down counts as well.
    let parent = scratch("repo-parent");
    fs::create_dir_all(parent.join("project/.git")).unwrap();
    let run = site.run(&["build", "--output", parent.to_str().unwrap(), "--force"]);
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains("project/.git"), "{}", run.stderr);
    assert!(parent.join("project/.git").is_dir());
    let _ = fs::remove_dir_all(&repo);
    let _ = fs::remove_dir_all(&parent);
}

#[test]
fn issue_19_3_force_never_deletes_the_working_folder_or_its_ancestors() {
    let site = small_site(&[]);
    let outer = scratch("cwd");
    let cwd = outer.join("work/here");
    fs::create_dir_all(&cwd).unwrap();
    fs::write(cwd.join("draft.txt"), "draft").unwrap();
    let root = site.root.to_str().unwrap();
    for output in [outer.join("work"), cwd.clone()] {
        let run = run_in(
            &cwd,
            &[
                "build",
                "--root",
                root,
                "--output",
                output.to_str().unwrap(),
                "--force",
            ],
            &[],
        );
        assert!(!run.success, "{}", run.stdout);
        assert!(run.stderr.contains("working folder"), "{}", run.stderr);
    }
    assert!(cwd.join("draft.txt").is_file());
    let _ = fs::remove_dir_all(&outer);
}

// ---------------------------------------------------------------------
// 4. Two outputs for one URL

#[test]
fn issue_19_4_a_stand_in_and_a_page_on_one_url_are_an_error() {
    let site = small_site(&[
        (
            "content/notes/a.de.md",
            "---\ntitle: Nur Deutsch\nslug: foo\n---\nDEUTSCH\n",
        ),
        (
            "content/notes/b.en.md",
            "---\ntitle: Only English\nslug: foo\n---\nENGLISH\n",
        ),
    ]);
    // The pages themselves are on /de/notizen/foo/ and /en/notes/foo/.
    configure(&site, "untranslated: render");
    let stderr = site.build_err();
    // The English stand-in of a.de.md would be /en/notes/foo/ like b.en.md,
    // and the German one of b.en.md /de/notizen/foo/ like a.de.md.
    for (at, other) in [
        (
            "content/notes/a.de.md:3:7: error:",
            "content/notes/b.en.md:3:7",
        ),
        (
            "content/notes/b.en.md:3:7: error:",
            "content/notes/a.de.md:3:7",
        ),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(at))
            .unwrap_or_else(|| panic!("no error at {at}: {stderr}"));
        let block: String = stderr[stderr.find(line).unwrap()..]
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(block.contains(other), "{block}");
        assert!(block.contains("stand-in"), "{block}");
    }
    assert!(!site.root.join("public").exists());
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout.contains("content/notes/a.de.md:3:7: error:")
            && run.stdout.contains("content/notes/b.en.md:3:7: error:"),
        "{}",
        run.stdout
    );
}

#[test]
fn issue_19_4_a_stand_in_on_a_facet_page_url_is_an_error() {
    // The English facet page of `kind: heat` is /en/notes/kind/heat/; so is
    // the English stand-in of the German-only page notes/kind/heat.de.md.
    let site = small_site(&[
        (
            "content/notes/_index.de.md",
            "---\ntitle: Notizen\nslug: notizen\nfields:\n  - name: kind\n    type: string\n    allowed: [heat]\n    facet: true\n    label: {de: art, en: kind}\n---\n",
        ),
        (
            "content/notes/hot.en.md",
            "---\ntitle: Hot\nkind: heat\n---\nHot.\n",
        ),
        ("content/notes/kind/_index.de.md", "---\ntitle: Art\n---\n"),
        (
            "content/notes/kind/heat.de.md",
            "---\ntitle: Hitze\n---\nHeiß.\n",
        ),
    ]);
    configure(&site, "untranslated: render");
    let run = site.run(&["check"]);
    assert!(!run.success, "{}", run.stdout);
    let line = run
        .stdout
        .lines()
        .find(|l| {
            l.starts_with("content/notes/_index.en.md: error: the facet page of `kind: heat`")
        })
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.contains("en/notes/kind/heat/index.html")
            && line.contains("the `en` stand-in of content/notes/kind/heat.de.md"),
        "{line}"
    );
    let stderr = site.build_err();
    assert!(stderr.contains(line), "{stderr}");
}

#[test]
fn issue_19_4_a_data_row_and_a_page_on_one_url_are_an_error() {
    // The row `nur-de` has no English title: its English stand-in takes
    // /en/actors/nur-de/, which own.en.md claims with its slug.
    let site = small_site(&[
        (
            "content/actors/_index.de.md",
            "---\ntitle: Akteure\nsource: data/rows.csv\n---\n",
        ),
        (
            "content/actors/_index.en.md",
            "---\ntitle: Actors\nsource: data/rows.csv\n---\n",
        ),
        (
            "data/rows.csv",
            "slug,title_de,title_en\nclujul,Clujul,Clujul\nnur-de,Nur deutsch,\n",
        ),
        (
            "content/actors/own.en.md",
            "---\ntitle: Own\nslug: nur-de\n---\nX\n",
        ),
    ]);
    configure(&site, "untranslated: render");
    let run = site.run(&["check"]);
    assert!(!run.success, "{}", run.stdout);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("data/rows.csv:3:1: error:"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.contains("/en/actors/nur-de/")
            && line.contains(
                "content/actors/own.en.md (`slug: nur-de` at content/actors/own.en.md:3:7)"
            ),
        "{line}"
    );
}

// ---------------------------------------------------------------------
// 6. Hidden files in static/, and static files generated files replace

#[test]
fn issue_19_6_hidden_static_files_are_never_published() {
    let site = small_site(&[
        ("static/.env", "SECRET=1"),
        ("static/.git/config", "[remote]"),
        ("static/img/.DS_Store", "junk"),
        ("static/.well-known/security.txt", "Contact: x"),
        ("static/.htaccess", "Deny from all"),
        ("static/img/logo.svg", "<svg/>"),
    ]);
    let run = site.build_ok(&[]);
    assert!(!site.output_exists(".env"));
    assert!(!site.output_exists(".git/config"));
    assert!(!site.output_exists("img/.DS_Store"));
    assert!(!site.output_exists(".htaccess"));
    assert!(site.output_exists(".well-known/security.txt"));
    assert!(site.output_exists("img/logo.svg"));
    // One warning naming what was left out.
    assert_eq!(run.stderr.matches("warning: ").count(), 1, "{}", run.stderr);
    for name in [".env", ".git/", ".htaccess", "img/.DS_Store"] {
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
    }
    assert!(run.stderr.contains("publish_hidden"), "{}", run.stderr);
    // `check` says the same.
    let check = site.run(&["check"]);
    assert!(check.stdout.contains("img/.DS_Store"), "{}", check.stdout);

    // Listed in site.yaml, .htaccess is published, and the warning no
    // longer names it.
    configure(&site, "publish_hidden: [\".htaccess\"]");
    let run = site.build_ok(&[]);
    assert_eq!(site.output(".htaccess"), "Deny from all");
    assert!(!site.output_exists(".env"));
    let warning = run
        .stderr
        .lines()
        .find(|l| l.starts_with("static: warning:"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        warning.contains(".env") && !warning.contains(".htaccess"),
        "{warning}"
    );
}

#[test]
fn issue_19_6_publish_hidden_is_checked_like_other_keys() {
    let site = small_site(&[("static/.htaccess", "x")]);
    configure(&site, "publish_hiden: [\".htaccess\"]");
    let stderr = site.build_err();
    assert!(
        stderr.contains("did you mean `publish_hidden`?"),
        "{stderr}"
    );

    // Entries must be hidden paths inside static/.
    let site = small_site(&[("static/.htaccess", "x")]);
    configure(&site, "publish_hidden: [\"../.env\", 3, \"img/logo.svg\"]");
    let stderr = site.build_err();
    assert_eq!(stderr.matches("site.yaml:7:").count(), 3, "{stderr}");
    assert!(stderr.contains("`../.env`"), "{stderr}");
    assert!(stderr.contains("`img/logo.svg` is not hidden"), "{stderr}");

    // An entry that names no file is a typo, most likely.
    let site = small_site(&[("static/.htaccess", "x")]);
    configure(&site, "publish_hidden: [\".htacess\"]");
    let run = site.build_ok(&[]);
    assert!(
        run.stderr.contains("site.yaml:7:") && run.stderr.contains("did you mean `.htaccess`?"),
        "{}",
        run.stderr
    );
    assert!(!site.output_exists(".htaccess"));
}

#[test]
fn issue_19_6_a_static_file_that_a_generated_file_replaces_is_an_error() {
    let site = small_site(&[
        ("static/sitemap.xml", "<mine/>"),
        ("static/404.html", "my 404"),
        ("static/de/notizen/index.html", "my section"),
    ]);
    let stderr = site.build_err();
    for (file, generated) in [
        ("static/sitemap.xml", "sitemap"),
        ("static/404.html", "404"),
        ("static/de/notizen/index.html", "content/notes/_index.de.md"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("{file}: error:")))
            .unwrap_or_else(|| panic!("no error for {file}: {stderr}"));
        assert!(line.contains(generated), "{line}");
    }
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout.contains("static/sitemap.xml: error:"),
        "{}",
        run.stdout
    );
    // The preview shows the same error (and serves the generated file).
    let errors = serve_errors(&site);
    assert!(errors.contains("static/sitemap.xml"), "{errors}");
}

/// Starts `drehbuch serve` on the site and returns the first event of its
/// live-reload stream: the errors the browser's overlay shows.
fn serve_errors(site: &TestSite) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(["serve", "--port", "0"])
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("drehbuch serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let port: u16 = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no URL in {first}"));
    std::thread::spawn(move || for _ in lines {});
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET /__drehbuch/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    // Read up to the end of the first event (a blank line after `data:`).
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&raw);
        if text
            .split_once("data: ")
            .is_some_and(|(_, rest)| rest.contains("\n\n"))
        {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    format!("{first}\n{}", String::from_utf8_lossy(&raw))
}

// ---------------------------------------------------------------------
// Smaller: translations confirm

#[cfg(unix)]
#[test]
fn issue_19_confirm_keeps_bytes_and_mode_except_the_line_it_changes() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site(&[(
        "content/notes/heat.de.md",
        "---\ntitle: Hitze\n---\nText.\n",
    )]);
    // BOM, CRLF, a NUL byte in the body, mode 0600.
    let english = b"\xEF\xBB\xBF---\r\ntitle: Heat\r\n---\r\nText\0with NUL.\r\n".to_vec();
    let path = site.root.join("content/notes/heat.en.md");
    fs::write(&path, &english).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let run = site.run(&["translations", "confirm", "content/notes/heat.en.md"]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    let after = fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&after).into_owned();
    let hash = text
        .split("translated_from: ")
        .nth(1)
        .and_then(|rest| rest.split('\r').next())
        .unwrap_or_else(|| panic!("no translated_from in {text:?}"))
        .to_string();
    let expected = format!(
        "\u{FEFF}---\r\ntitle: Heat\r\ntranslated_from: {hash}\r\n---\r\nText\0with NUL.\r\n"
    );
    assert_eq!(after, expected.as_bytes());
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o600
    );
    // Confirming again changes only that line, in place.
    let run = site.run(&["translations", "confirm", "content/notes/heat.en.md"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(fs::read(&path).unwrap(), expected.as_bytes());
    // No temporary file is left beside it.
    assert_eq!(
        names_in(&site.root.join("content/notes")),
        ["_index.de.md", "_index.en.md", "heat.de.md", "heat.en.md"]
    );
}

#[cfg(unix)]
#[test]
fn issue_19_confirm_never_writes_through_a_planted_link() {
    let site = small_site(&[
        (
            "content/notes/heat.de.md",
            "---\ntitle: Hitze\n---\nText.\n",
        ),
        ("content/notes/heat.en.md", "---\ntitle: Heat\n---\nText.\n"),
    ]);
    // The name the old code used for its temporary file, planted as a
    // link to another file (inside the site, so the site still loads).
    site.write("notes/victim.txt", "untouched");
    std::os::unix::fs::symlink(
        site.root.join("notes/victim.txt"),
        site.root.join("content/notes/heat.en.md.tmp"),
    )
    .unwrap();
    let run = site.run(&["translations", "confirm", "content/notes/heat.en.md"]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(site.root.join("notes/victim.txt")).unwrap(),
        "untouched"
    );
    let en = site.root.join("content/notes/heat.en.md");
    assert!(fs::symlink_metadata(&en).unwrap().is_file());
    let en = fs::read_to_string(en).unwrap();
    assert!(en.contains("translated_from: "), "{en}");
}

// ---------------------------------------------------------------------
// Smaller: init writes all or nothing, never through links

#[cfg(unix)]
#[test]
fn issue_19_init_never_writes_through_a_dangling_link() {
    let dir = scratch("init-link");
    let elsewhere = scratch("init-elsewhere");
    fs::create_dir_all(dir.join("handbook")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("README.md"), dir.join("handbook/README.md"))
        .unwrap();
    let run = run_in(&dir, &["init", "handbook", "--languages", "de"], &[]);
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains("README.md"), "{}", run.stderr);
    assert!(!elsewhere.join("README.md").exists());
    assert_eq!(names_in(&dir.join("handbook")), ["README.md"]);
    let _ = fs::remove_dir_all(&dir);
    let _ = fs::remove_dir_all(&elsewhere);
}

#[cfg(unix)]
#[test]
fn issue_19_a_failing_init_writes_nothing() {
    let dir = scratch("init-fail");
    fs::create_dir_all(dir.join("handbook")).unwrap();
    // `static` is a link to nowhere: the old code wrote every other file
    // first and then failed on it.
    std::os::unix::fs::symlink("/nonexistent/drehbuch-static", dir.join("handbook/static"))
        .unwrap();
    let run = run_in(&dir, &["init", "handbook", "--languages", "de,en"], &[]);
    assert!(!run.success, "{}", run.stdout);
    assert!(run.stderr.contains("static"), "{}", run.stderr);
    assert_eq!(names_in(&dir.join("handbook")), ["static"]);
    // Into a fresh folder it works, and leaves no temporary folder.
    let run = run_in(&dir, &["init", "fresh", "--languages", "de,en"], &[]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        names_in(&dir.join("fresh")),
        [".gitignore", "README.md", "content", "site.yaml", "static"]
    );
    let _ = fs::remove_dir_all(&dir);
}

/// Runs `script` with `sh` in a new user and mount namespace, where it
/// may mount file systems. `None` when this system does not allow it.
fn in_mount_namespace(script: &str) -> Option<std::process::Output> {
    let probe = Command::new("unshare")
        .args(["-rm", "sh", "-c", "true"])
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("NO_COLOR", "1")
        .output()
        .ok()
}

#[cfg(target_os = "linux")]
#[test]
fn issue_19_an_init_that_runs_out_of_space_writes_nothing() {
    // A file system of one page: the second file cannot be written. The
    // old code left site.yaml (and more) behind.
    let dir = scratch("init-full");
    let bin = env!("CARGO_BIN_EXE_drehbuch");
    let script = format!(
        "set -e; mount -t tmpfs -o size=4k none '{d}'; cd '{d}'; \
         if '{bin}' init . --languages de,en 2>&1; then echo INIT-OK; else echo INIT-FAILED; fi; \
         echo LISTING; ls -A",
        d = dir.display()
    );
    let Some(output) = in_mount_namespace(&script) else {
        eprintln!("skipped: no unprivileged mount namespaces here (unshare -rm)");
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(stdout.contains("INIT-FAILED"), "{stdout}");
    assert!(stdout.contains("No space left"), "{stdout}");
    let listing = stdout.split("LISTING\n").nth(1).unwrap_or("x");
    assert_eq!(listing.trim(), "", "init left files behind: {stdout}");
    let _ = fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------
// Smaller: an output folder that is a mount point

#[cfg(target_os = "linux")]
#[test]
fn issue_19_an_output_that_is_a_mount_point_is_replaced_in_place() {
    let site = small_site(&[]);
    let backing = scratch("mount-backing");
    let out = site.root.join("public");
    fs::create_dir_all(&out).unwrap();
    let bin = env!("CARGO_BIN_EXE_drehbuch");
    // Two builds (the second replaces the first inside the mount), then a
    // file of someone else's in the mount, which a third build refuses to
    // delete (the folder is listed from inside the namespace). Last, the
    // state of a replacement killed half-way: the marker and part of the
    // previous site already moved into an `old` folder; a build finishes.
    let script = format!(
        "set -e; mount --bind '{b}' '{o}'; cd '{r}'; \
         '{bin}' build; echo FIRST-OK; \
         '{bin}' build; echo SECOND-OK; \
         echo theirs > '{o}/theirs.txt'; \
         if '{bin}' build 2>&1; then echo THIRD-BUILT; else echo THIRD-REFUSED; fi; \
         ls -A '{o}'; rm '{o}/theirs.txt'; \
         mkdir '{o}/.public.old-00000000000000aa'; \
         mv '{o}/.drehbuch-output' '{o}/de' '{o}/.public.old-00000000000000aa/'; \
         '{bin}' build; echo FOURTH-OK",
        b = backing.display(),
        o = out.display(),
        r = site.root.display(),
    );
    let Some(output) = in_mount_namespace(&script) else {
        eprintln!("skipped: no unprivileged mount namespaces here (unshare -rm)");
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(stdout.contains("FIRST-OK"), "{stdout}{stderr}");
    assert!(stdout.contains("SECOND-OK"), "{stdout}{stderr}");
    assert!(stdout.contains("THIRD-REFUSED"), "{stdout}{stderr}");
    assert!(stdout.contains("theirs.txt"), "{stdout}");
    assert!(stdout.contains("FOURTH-OK"), "{stdout}{stderr}");
    // The site went into the mounted folder, without leftovers.
    assert!(backing.join("de/index.html").is_file());
    assert!(backing.join(".drehbuch-output").is_file());
    let hidden: Vec<String> = names_in(&backing)
        .into_iter()
        .filter(|n| n.starts_with('.') && n != ".drehbuch-output")
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    let _ = fs::remove_dir_all(&backing);
}
