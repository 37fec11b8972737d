//! Embeds the built-in theme (`themes/default/`: templates, static files
//! and UI strings) into the binary, so a site without a `themes/` folder
//! builds with it. Generates `$OUT_DIR/builtin_theme.rs` with one
//! `include_bytes!` per file, sorted by path for reproducible builds.
//!
//! Also records what `drehbuch --version` prints besides the version: the
//! commit (`DREHBUCH_COMMIT`) and the target triple (`DREHBUCH_TARGET`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn collect(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, base, out);
        } else if path.is_file() {
            let relative = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, path));
        }
    }
}

/// Runs `git <args>` in `dir`; its trimmed output, or `None` if git is
/// missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !text.is_empty()).then_some(text)
}

/// The commit this binary is built from, and the files whose change means
/// it may be another one now. In order: git, when the crate is the top of
/// a git checkout (not when it is merely inside someone else's repository,
/// as a vendored or packaged crate is); the `DREHBUCH_COMMIT` variable (the
/// release workflow and the container build set it); the commit `cargo
/// package` recorded in `.cargo_vcs_info.json` (`cargo install drehbuch`);
/// else "unknown".
fn commit(manifest: &Path) -> (String, Vec<PathBuf>) {
    let top = git(manifest, &["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    let at_top = top.is_some_and(|top| {
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        canonical(&top) == canonical(manifest)
    });
    if at_top && let Some(head) = git(manifest, &["rev-parse", "HEAD"]) {
        return (head, head_files(manifest));
    }
    if let Ok(commit) = std::env::var("DREHBUCH_COMMIT")
        && !commit.trim().is_empty()
    {
        return (commit.trim().to_string(), Vec::new());
    }
    let vcs_info = manifest.join(".cargo_vcs_info.json");
    if let Ok(json) = std::fs::read_to_string(&vcs_info)
        && let Some(sha) = json
            .split("\"sha1\"")
            .nth(1)
            .and_then(|rest| rest.split('"').nth(1))
    {
        return (sha.to_string(), vec![vcs_info]);
    }
    ("unknown".to_string(), Vec::new())
}

/// The files git changes when HEAD moves: `HEAD` itself, and the branch
/// it points to (a loose ref, or `packed-refs` when it is packed). Only
/// paths that exist: cargo reruns a build script on every build while a
/// named path is missing.
fn head_files(manifest: &Path) -> Vec<PathBuf> {
    let path = |args: &[&str]| git(manifest, args).map(|p| manifest.join(p));
    let (Some(git_dir), Some(common_dir)) = (
        path(&["rev-parse", "--git-dir"]),
        path(&["rev-parse", "--git-common-dir"]),
    ) else {
        return Vec::new();
    };
    let mut files = vec![git_dir.join("HEAD")];
    if let Some(branch) = git(manifest, &["symbolic-ref", "-q", "HEAD"]) {
        let loose = common_dir.join(&branch);
        if loose.is_file() {
            files.push(loose);
        } else {
            // A packed branch: the next commit writes it as a loose file
            // into this folder, without touching packed-refs.
            files.push(common_dir.join("packed-refs"));
            files.extend(loose.parent().map(Path::to_path_buf));
        }
    }
    files.retain(|f| f.exists());
    files
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let (commit, watched) = commit(&manifest);
    println!("cargo:rustc-env=DREHBUCH_COMMIT={commit}");
    println!("cargo:rerun-if-env-changed=DREHBUCH_COMMIT");
    for file in watched {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!(
        "cargo:rustc-env=DREHBUCH_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
    let theme = manifest.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Files of the built-in theme: (path relative to the theme folder, bytes).\npub(crate) static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (relative, path) in &files {
        let _ = writeln!(
            code,
            "    ({relative:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("builtin_theme.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
