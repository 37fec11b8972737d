//! Bad input at the command line: the whole error report of a failed
//! build as printed, and a missing site. Each kind of problem, with its
//! `path:line:col`, source line, caret and help, is compared in
//! tests/cases/ (`expected/diagnostics.txt`).

mod common;

use common::TestSite;

#[test]
fn a_failed_build_prints_every_error_then_one_summary_line() {
    let site = TestSite::empty("errors");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\ncolour: red\n---\n")
    .write("content/seite.de.md", "---\ntitle: Seite\n---\n[x](@/nope.md)\n");
    let stderr = site.build_err();
    assert_eq!(
        stderr,
        "content/_index.de.md:3:1: error: unknown front matter key `colour`
  |
3 | colour: red
  | ^^^^^^
  = help: known keys: title, description, slug, date, updated, weight, draft, translation_key, translated_from, template, extra, fields, layout, group_by, source, feed; free data goes under `extra:`
content/seite.de.md:4:1: error: broken link: there is no content file `nope.md`
  |
4 | [x](@/nope.md)
  | ^^^^^^^^^^^^^^
  = help: `@/` links name a file under content/ without its language suffix, e.g. @/cards/heat-check.md
build failed: 2 error(s) (front-matter 1, link 1), 0 warning(s); nothing was written
"
    );
    assert!(!site.output_exists("index.html"));
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

/// Issue 20: errors inside nested YAML (a section's `fields`, a list)
/// point at the entry they are about, not at the top-level key, and a tab
/// used for indentation is called a tab.
#[test]
fn errors_inside_nested_yaml_point_at_the_entry() {
    let site = TestSite::empty("nested-yaml");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\n")
    .write(
        "content/notes/_index.de.md",
        "---\ntitle: Notizen\nfields:\n  - name: audience\n    type: list\n    allowed: [pupils, teachers]\n  - name: topic\n    allowed: heat\n    colour: red\n  - name: audience\n---\n",
    )
    .write("content/notes/a.de.md", "---\ntitle: A\nextra:\n\tnote: x\n---\n");
    let stderr = site.build_err();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            "content/notes/_index.de.md:8:14: error: `allowed` must be a list like `[a, b]`, found text",
            "content/notes/_index.de.md:9:5: error: field `topic` has unknown property `colour`",
            "content/notes/_index.de.md:10:5: error: field `audience` is declared twice",
            "content/notes/a.de.md:4:1: error: invalid YAML: a tab indents this line",
        ],
        "{stderr}"
    );
}

/// Runs `drehbuch <args>` in `site` with exactly the colour variables
/// given (none inherited) and returns (stdout, stderr).
fn run_coloured(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(args)
        .current_dir(&site.root)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Issue 20: colour only on a terminal (a pipe gets none), unless
/// CLICOLOR_FORCE asks for it; NO_COLOR always wins. The coloured text
/// is the plain text with the severity and file names styled.
#[test]
fn colour_only_on_a_terminal_or_when_forced_and_never_with_no_color() {
    let site = TestSite::empty("colour");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\ncolour: red\n---\n");
    for args in [&["build"][..], &["check"][..]] {
        // `build` reports on stderr, `check` on stdout.
        let (plain_out, plain_err) = run_coloured(&site, args, &[]);
        let plain = format!("{plain_out}{plain_err}");
        assert!(plain.contains("error: unknown front matter key"), "{plain}");
        assert!(!plain.contains('\x1b'), "{plain}");
        let (forced_out, forced_err) = run_coloured(&site, args, &[("CLICOLOR_FORCE", "1")]);
        let forced = format!("{forced_out}{forced_err}");
        assert!(forced.contains("\x1b[31merror:"), "{args:?}: {forced}");
        assert_eq!(strip_escapes(&forced), plain);
        let (out, err) = run_coloured(&site, args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
        assert_eq!((out, err), (plain_out, plain_err));
    }
}

/// `text` without ANSI escape sequences (`ESC [ … letter`).
fn strip_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
