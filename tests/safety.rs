//! Never lose a user's files (issue 8): `--output` only replaces drehbuch's
//! own folders, symlinks never lead out of the site, interrupted and
//! concurrent builds leave a complete site, hostile YAML is refused fast,
//! and scripts in content are reported. One test per finding.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

fn files_in(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn issue_8_output_that_is_the_site_itself_is_refused() {
    let site = TestSite::fixture("basic");
    let before = files_in(&site.root);
    let run = site.run(&["build", "--root", ".", "--output", "."]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("refusing to use . as the output folder: it is the site folder itself, so the build would replace your sources"),
        "{}",
        run.stderr
    );
    assert_eq!(files_in(&site.root), before, "nothing may be touched");
    // The same with the site given by another name.
    let run = site.run(&["build", "--output", "../"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("it contains the site folder"),
        "{}",
        run.stderr
    );
    // Even --force does not allow it.
    let run = site.run(&["build", "--output", ".", "--force"]);
    assert!(!run.success, "{}", run.stdout);
    assert!(site.root.join("site.yaml").is_file());
    assert!(site.root.join("content/notes/heat.de.md").is_file());
}

#[test]
fn issue_8_output_inside_a_source_folder_is_refused() {
    let site = TestSite::fixture("basic");
    for output in [
        "content",
        "content/notes",
        "static",
        "i18n",
        "themes/x",
        "templates",
    ] {
        let run = site.run(&["build", "--output", output, "--force"]);
        assert!(!run.success, "{output}: {}", run.stdout);
        let name = output.split('/').next().unwrap();
        assert!(
            run.stderr.contains(&format!(
                "it is inside the site's `{name}`, which holds sources"
            )),
            "{output}: {}",
            run.stderr
        );
    }
    assert!(site.root.join("content/notes/heat.de.md").is_file());
    assert!(site.root.join("i18n/de.yaml").is_file());
}

#[test]
fn issue_8_unrelated_folder_with_files_is_refused_unless_forced() {
    let site = TestSite::fixture("basic");
    let other = tempdir("unrelated");
    fs::write(other.join("thesis.tex"), "my work").unwrap();
    let out = other.to_string_lossy().into_owned();
    let run = site.run(&["build", "--output", &out]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("it is not empty (1 entry) and not a drehbuch output folder"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pass --force to delete its contents"));
    assert_eq!(
        fs::read_to_string(other.join("thesis.tex")).unwrap(),
        "my work"
    );
    // --force replaces it and says what it deleted.
    let run = site.run(&["build", "--output", &out, "--force"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr.contains("deleted the 1 entry it held"),
        "{}",
        run.stderr
    );
    assert!(other.join("de/index.html").is_file());
    assert!(other.join(".drehbuch-output").is_file());
    // From now on it is drehbuch's own: no --force needed.
    let run = site.run(&["build", "--output", &out]);
    assert!(run.success, "{}", run.stderr);
    let _ = fs::remove_dir_all(&other);
}

#[test]
fn issue_8_unmarked_folder_inside_the_site_is_refused_even_with_force() {
    let site = TestSite::fixture("basic");
    site.write("notes/todo.txt", "keep me");
    let run = site.run(&["build", "--output", "notes", "--force"]);
    assert!(!run.success);
    assert!(run.stderr.contains("delete it yourself"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(site.root.join("notes/todo.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn issue_8_existing_file_as_output_is_refused() {
    let site = TestSite::fixture("basic");
    site.write("report.pdf", "PDF");
    let run = site.run(&["build", "--output", "report.pdf", "--force"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("it is a file, not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(site.root.join("report.pdf")).unwrap(),
        "PDF"
    );
    assert!(
        files_in(&site.root)
            .iter()
            .all(|f| !f.contains("report.pdf."))
    );
}

#[test]
fn issue_8_empty_and_new_folders_are_fine() {
    let site = TestSite::fixture("basic");
    fs::create_dir_all(site.root.join("empty")).unwrap();
    site.build_ok(&["--output", "empty"]);
    assert!(site.root.join("empty/de/index.html").is_file());
    site.build_ok(&["--output", "new/deeper/out"]);
    assert!(site.root.join("new/deeper/out/de/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn issue_8_static_symlinked_out_of_the_site_is_an_error() {
    let site = TestSite::fixture("basic");
    let outside = tempdir("secrets");
    fs::write(outside.join("shadow"), "root:x").unwrap();
    fs::remove_dir_all(site.root.join("static")).unwrap();
    std::os::unix::fs::symlink(&outside, site.root.join("static")).unwrap();
    let stderr = site.build_err();
    assert!(
        stderr.contains("static: error: this is a symbolic link to"),
        "{stderr}"
    );
    assert!(stderr.contains("outside the site folder"), "{stderr}");
    assert!(!site.output_exists("shadow"));
    let _ = fs::remove_dir_all(&outside);
}

#[cfg(unix)]
#[test]
fn issue_8_symlinks_inside_the_site_are_followed_and_outside_ones_reported() {
    let site = TestSite::fixture("basic");
    // A Markdown file linked from elsewhere in the site is built.
    site.write(
        "drafts/wind.de.md",
        "---\ntitle: Wind\ncategory: rain\n---\nWindig.\n",
    );
    std::os::unix::fs::symlink(
        site.root.join("drafts/wind.de.md"),
        site.root.join("content/notes/wind.de.md"),
    )
    .unwrap();
    // A static file linked inside the site is copied.
    site.write("assets/logo.svg", "<svg/>");
    std::os::unix::fs::symlink(
        site.root.join("assets/logo.svg"),
        site.root.join("static/logo.svg"),
    )
    .unwrap();
    site.build_ok(&[]);
    assert!(site.output("de/karten/wind/index.html").contains("Windig."));
    assert_eq!(site.output("logo.svg"), "<svg/>");

    // One pointing outside is an error naming the link, never dropped silently.
    let outside = tempdir("outside-md");
    fs::write(
        outside.join("x.de.md"),
        "---\ntitle: X\ncategory: heat\n---\nsecret\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.join("x.de.md"),
        site.root.join("content/notes/x.de.md"),
    )
    .unwrap();
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/x.de.md: error: this is a symbolic link to"),
        "{stderr}"
    );
    let _ = fs::remove_dir_all(&outside);
}

#[test]
fn issue_8_leftovers_of_killed_builds_are_removed() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    // What a killed build leaves: the exact hidden names, each with the
    // marker a build writes into its temporary folders (issue 19).
    for leftover in [
        ".public.tmp-0123456789abcdef",
        ".public.old-fedcba9876543210",
    ] {
        fs::create_dir_all(site.root.join(leftover).join("de")).unwrap();
        fs::write(site.root.join(leftover).join(".drehbuch-output"), "").unwrap();
    }
    // Names earlier versions used, and look-alikes: not provably ours.
    for other in ["public.tmp-4711", "public.old-1", "public.tmp-notes"] {
        fs::create_dir_all(site.root.join(other)).unwrap();
    }
    site.build_ok(&[]);
    let names = files_in(&site.root);
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with(".public.tmp-") || n.starts_with(".public.old-")),
        "{names:?}"
    );
    for other in ["public.tmp-4711", "public.old-1", "public.tmp-notes"] {
        assert!(names.contains(&other.to_string()), "{other}: {names:?}");
    }
}

#[test]
fn issue_8_a_missing_output_is_restored_from_an_old_folder() {
    // A build killed between the two renames of a non-atomic swap leaves
    // the previous site under an old name and no output folder.
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    fs::rename(
        site.root.join("public"),
        site.root.join(".public.old-00000000000000aa"),
    )
    .unwrap();
    // A failing build must not lose it either.
    site.write("content/notes/bad.de.md", "---\ntitle: [\n---\n");
    let _ = site.build_err();
    site.remove("content/notes/bad.de.md");
    site.build_ok(&[]);
    assert!(site.output_exists("de/index.html"));
    assert!(!site.root.join(".public.old-00000000000000aa").exists());
}

#[test]
fn issue_8_concurrent_build_on_the_same_output_is_refused() {
    let site = TestSite::fixture("basic");
    let lock = fs::File::create(site.root.join(".public.lock")).unwrap();
    lock.lock().unwrap();
    let run = site.run(&["build"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("another drehbuch build is writing"),
        "{}",
        run.stderr
    );
    lock.unlock().unwrap();
    site.build_ok(&[]);
}

/// Writes `n` pages whose body says which `version` of the site they are.
fn write_pages(site: &TestSite, n: usize, version: &str) {
    for i in 0..n {
        site.write(
            &format!("content/notes/p{i:04}.de.md"),
            format!(
                "---\ntitle: Seite {i}\ncategory: heat\n---\n## Teil\n\n{version} {}\n",
                "Wort ".repeat(200)
            ),
        );
    }
}

#[cfg(unix)]
#[test]
fn issue_8_killed_builds_leave_the_old_or_the_new_site_never_none() {
    let site = TestSite::fixture("basic");
    let pages = 800;
    write_pages(&site, pages, "version-old");
    site.build_ok(&[]);
    write_pages(&site, pages, "version-new");
    // How long a full build takes here, to spread the kills over it.
    let started = Instant::now();
    site.build_ok(&["--output", "probe"]);
    let full = started.elapsed();
    let _ = fs::remove_dir_all(site.root.join("probe"));
    write_pages(&site, pages, "version-old");
    site.build_ok(&[]);
    write_pages(&site, pages, "version-new");

    let mut outcomes = Vec::new();
    for step in 1..=8u32 {
        let delay = full * step / 8;
        let mut child = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
            .arg("build")
            .current_dir(&site.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let public = site.root.join("public");
        assert!(
            public.join("de/index.html").is_file(),
            "output missing after kill at {delay:?}"
        );
        let sample = [0, pages / 2, pages - 1];
        let versions: Vec<bool> = sample
            .iter()
            .map(|i| {
                let html = fs::read_to_string(public.join(format!("de/karten/p{i:04}/index.html")))
                    .unwrap();
                assert!(html.contains("version-old") || html.contains("version-new"));
                html.contains("version-new")
            })
            .collect();
        assert!(
            versions.iter().all(|v| *v == versions[0]),
            "a mix of two builds after a kill at {delay:?}"
        );
        outcomes.push(versions[0]);
        if versions[0] {
            // The new site made it: go back to old content for the next kill.
            write_pages(&site, pages, "version-old");
            site.build_ok(&[]);
            write_pages(&site, pages, "version-new");
        }
    }
    // The next complete build cleans up whatever the kills left behind.
    site.build_ok(&[]);
    let leftovers: Vec<String> = files_in(&site.root)
        .into_iter()
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(
        site.output("de/karten/p0000/index.html")
            .contains("version-new"),
        "outcomes: {outcomes:?}"
    );
}

#[test]
fn issue_8_deeply_nested_yaml_is_refused_quickly() {
    let site = TestSite::fixture("basic");
    let depth = 100_000;
    site.write(
        "content/notes/deep.de.md",
        format!(
            "---\ntitle: Tief\ncategory: heat\nextra: {}1{}\n---\n",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        ),
    );
    let started = Instant::now();
    let stderr = site.build_err();
    let took = started.elapsed();
    assert!(
        stderr.contains("content/notes/deep.de.md:4:")
            && stderr.contains("error: the YAML nests deeper than 64 levels"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    // Generous bound for slow CI machines; it took minutes before the fix.
    assert!(took < Duration::from_secs(20), "took {took:?}");

    site.remove("content/notes/deep.de.md");
    site.write(
        "site.yaml",
        format!(
            "{}extra: {}\n",
            fs::read_to_string(site.root.join("site.yaml")).unwrap(),
            "[".repeat(depth)
        ),
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("site.yaml:8:") && stderr.contains("error: the YAML nests deeper"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
}

#[test]
fn issue_8_nul_in_markdown_becomes_replacement_character() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/nul.de.md",
        "---\ntitle: Nullzeichen\ncategory: heat\n---\nA\0B\n",
    );
    site.build_ok(&[]);
    let html = site.output("de/karten/nul/index.html");
    assert!(html.contains("A\u{FFFD}B"), "{html}");
    assert!(!html.contains('\0'));
}

#[test]
fn issue_8_impossible_times_in_dates_are_rejected() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/late.de.md",
        "---\ntitle: Spät\ncategory: heat\nupdated: 2021-01-01T25:99:99Z\n---\n",
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/notes/late.de.md:4:10: error:"),
        "{stderr}"
    );
}

#[test]
fn issue_8_scripts_in_content_are_reported_and_can_fail_the_build() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/js.de.md",
        "---\ntitle: JS\ncategory: heat\n---\n<script>alert(1)</script>\n\n<button onclick=\"go()\">x</button>\n\n[klick](javascript:alert(1))\n",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stdout
            .contains("content/notes/js.de.md:5:1: warning: a <script> element in content"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("js.de.md:7:9: warning: an inline event handler"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("js.de.md:9:1: warning: a javascript: URL"),
        "{}",
        run.stdout
    );
    // Raw HTML stays allowed: the build succeeds with warnings.
    site.build_ok(&[]);
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}content_scripts: error\n"));
    let stderr = site.build_err();
    assert!(
        stderr.contains("js.de.md:5:1: error: a <script> element"),
        "{stderr}"
    );
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "drehbuch-safety-{}-{name}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_errors_not_merged() {
    // `a\xff.txt` and `a\xfe.txt` were both published as `a�.txt`, one
    // silently lost.
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::fixture("basic");
    for (byte, text) in [(0xffu8, "ONE"), (0xfe, "TWO")] {
        let bytes = [b'a', byte, b'.', b't', b'x', b't'];
        let name = std::ffi::OsStr::from_bytes(&bytes);
        fs::write(site.root.join("static").join(name), text).unwrap();
    }
    let stderr = site.build_err();
    assert_eq!(
        stderr
            .matches("error: this file name is not valid UTF-8")
            .count(),
        2,
        "{stderr}"
    );
    assert!(!site.root.join("public").exists());
    let run = site.run(&["check"]);
    assert!(!run.success);
    assert!(
        run.stdout.contains("2 error(s) (files 2)"),
        "{}",
        run.stdout
    );
}
