//! The sensors crate is a workspace member (crates/drehbuch-sensors): what
//! builds drehbuch from its sources must see it too.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `pattern` (a `.dockerignore` line without its `!`; `*` within a
/// segment matches any characters but `/`, a trailing `/` names a folder)
/// names `path` or a folder it lies in.
fn names(pattern: &str, path: &str) -> bool {
    fn segment(pattern: &str, name: &str) -> bool {
        match pattern.split_once('*') {
            None => pattern == name,
            Some((head, tail)) => {
                name.starts_with(head)
                    && (0..=name.len() - head.len()).any(|i| {
                        name.is_char_boundary(head.len() + i)
                            && segment(tail, &name[head.len() + i..])
                    })
            }
        }
    }
    let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    pattern.len() <= path.len() && pattern.iter().zip(&path).all(|(p, n)| segment(p, n))
}

/// Every file below `dir` (relative, with `/`), leaving out `target/`,
/// `.git/` and other build outputs.
fn files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ["target", ".git", "public", "node_modules"].contains(&rel.as_str()) {
            continue;
        }
        if path.is_dir() {
            files(root, &path, out);
        } else {
            out.push(rel);
        }
    }
}

/// The Docker image's `source` target builds from the files .dockerignore
/// lets through (`*`, then `!` for each kept path). A workspace member left
/// out would make `cargo build` fail on a missing manifest; here cargo
/// reads the workspace and its lock file from exactly those files.
#[test]
fn the_docker_build_context_holds_every_workspace_member() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ignore = std::fs::read_to_string(repo.join(".dockerignore")).unwrap();
    let mut lines = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    assert_eq!(lines.next(), Some("*"), "the context starts from nothing");
    let kept: Vec<&str> = lines
        .map(|l| l.strip_prefix('!').expect("only `!` lines after `*`"))
        .collect();
    let mut all = Vec::new();
    files(repo, repo, &mut all);
    let context: PathBuf =
        std::env::temp_dir().join(format!("drehbuch-docker-context-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&context);
    for file in all.iter().filter(|f| kept.iter().any(|k| names(k, f))) {
        let to = context.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo.join(file), &to).unwrap();
    }
    assert!(context.join("crates/drehbuch-sensors/src/lib.rs").is_file());
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(&context)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&context);
    assert!(
        out.status.success(),
        "cargo cannot read the workspace from the Docker build context: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dockerignore_patterns_name_files_and_folders_as_docker_does() {
    assert!(names("src/", "src/main.rs"));
    assert!(names(
        "crates/*/src/",
        "crates/drehbuch-sensors/src/run/mod.rs"
    ));
    assert!(names(
        "crates/*/Cargo.toml",
        "crates/drehbuch-sensors/Cargo.toml"
    ));
    assert!(!names(
        "crates/*/src/",
        "crates/drehbuch-sensors/tests/api.rs"
    ));
    assert!(!names("src/", "srcx/main.rs"));
    assert!(names("Cargo.toml", "Cargo.toml"));
    assert!(!names("Cargo.toml", "crates/drehbuch-sensors/Cargo.toml"));
}
