//! Getting drehbuch onto a machine and a handbook onto the web (issue 21):
//! `--version`, shell completions and the man page, `init --ci`, the
//! install script against a release served on 127.0.0.1, the crate
//! package's contents, and the pinned version and repository that the
//! action, the templates and the docs must agree on.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn drehbuch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the drehbuch binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "drehbuch-distribution-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn version_names_the_release_the_commit_the_target_and_the_features() {
    let out = drehbuch(&["--version"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("drehbuch {VERSION}"), "{stdout}");
    // The commit the binary was built from: this checkout's HEAD (CI and
    // developers build from a git checkout; cargo rebuilds the binary
    // when HEAD moves).
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo())
        .output()
        .expect("git runs");
    assert!(head.status.success(), "the tests run in a git checkout");
    let head = text(&head.stdout).trim().to_string();
    assert_eq!(head.len(), 40);
    assert!(
        lines.contains(&format!("commit: {head}").as_str()),
        "{stdout}"
    );
    // No cargo features exist yet; the line says so rather than vanishing.
    assert!(lines.contains(&"features: none"), "{stdout}");
    let target = lines
        .iter()
        .find_map(|l| l.strip_prefix("target: "))
        .unwrap_or_else(|| panic!("no target line: {stdout}"));
    assert!(target.contains(std::env::consts::ARCH), "{target}");
    // -V is the one-line form for bug reports.
    let short = text(&drehbuch(&["-V"]).stdout);
    assert_eq!(
        short.trim(),
        format!("drehbuch {VERSION} ({})", &head[..12]),
        "{short}"
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    let markers = [
        ("bash", "complete -F _drehbuch"),
        ("zsh", "#compdef drehbuch"),
        ("fish", "complete -c drehbuch"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, marker) in markers {
        let out = drehbuch(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        for command in ["build", "check", "serve", "init", "translations"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let out = drehbuch(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("possible values: bash"),
        "{}",
        text(&out.stderr)
    );
}

/// What bash offers after typing `words` and pressing tab, with the
/// completion script drehbuch printed.
fn bash_completes(words: &str) -> Vec<String> {
    let script = drehbuch(&["completions", "bash"]).stdout;
    let dir = scratch(&format!("bash-{}", words.replace(' ', "_")));
    fs::write(dir.join("drehbuch.bash"), script).unwrap();
    let cword = words.split(' ').count() - 1;
    let program = format!(
        "source ./drehbuch.bash; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; _drehbuch drehbuch \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .current_dir(&dir)
        .output()
        .expect("bash runs");
    let _ = fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_subcommands_and_their_flags() {
    let offered = bash_completes("drehbuch bu");
    assert_eq!(offered, ["build"]);
    let offered = bash_completes("drehbuch check --for");
    assert_eq!(offered, ["--format"]);
    let offered = bash_completes("drehbuch completions p");
    assert_eq!(offered, ["powershell"]);
}

#[test]
fn man_page_documents_every_command_and_renders_cleanly() {
    let out = drehbuch(&["man"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.contains(".TH drehbuch 1"), "{page}");
    assert!(page.contains(&format!("drehbuch {VERSION}")), "{page}");
    for command in ["build", "check", "serve", "init", "completions", "man"] {
        assert!(
            page.contains(&format!("drehbuch\\-{command}(1)")),
            "{command} is not listed: {page}"
        );
    }
    // One page per command with its flags, for `man drehbuch-build`.
    let dir = scratch("man");
    let out = drehbuch(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let build = fs::read_to_string(dir.join("drehbuch-build.1")).unwrap();
    assert!(build.contains("\\-\\-base\\-url"), "{build}");
    let eject = fs::read_to_string(dir.join("drehbuch-theme-eject.1")).unwrap();
    assert!(eject.contains("\\-\\-to"), "{eject}");
    // groff renders every page without a warning (`-k`: UTF-8 input, as
    // `man` reads it).
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let out = Command::new("groff")
            .args(["-k", "-man", "-ww", "-z", "-Tutf8"])
            .arg(&path)
            .output()
            .expect("groff (groff-base) is installed; .ci/run installs it");
        assert!(out.status.success(), "{}", path.display());
        assert_eq!(text(&out.stderr), "", "{}", path.display());
    }
    let _ = fs::remove_dir_all(&dir);
}
