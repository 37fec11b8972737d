//! Test helpers for process-level tests: a site in a fresh temporary
//! folder (copied from `tests/sites/` or written by the test) and runs of
//! the real `drehbuch` binary on it.

#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The result of one run of the binary.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// A fixture site in its own temporary folder.
pub struct TestSite {
    pub root: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl TestSite {
    /// Copies `tests/sites/<name>`; it builds with the built-in theme.
    pub fn fixture(name: &str) -> TestSite {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = TestSite::empty(name);
        copy_dir(&repo.join("tests/sites").join(name), &site.root);
        site
    }

    /// A new empty folder for a site the test writes itself.
    pub fn empty(name: &str) -> TestSite {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let root =
            std::env::temp_dir().join(format!("drehbuch-test-{}-{name}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        TestSite { root }
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    pub fn remove(&self, relative: &str) -> &Self {
        fs::remove_file(self.root.join(relative)).unwrap();
        self
    }

    /// Runs `drehbuch <args…>` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `drehbuch <args…>` in the site folder with extra environment
    /// variables.
    #[allow(dead_code)]
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
            .args(args)
            .current_dir(&self.root)
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

    /// `drehbuch build`, asserting success.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert!(run.success, "build failed:\n{}{}", run.stdout, run.stderr);
        run
    }

    /// `drehbuch build`, asserting failure; returns stderr.
    pub fn build_err(&self) -> String {
        let run = self.run(&["build"]);
        assert!(
            !run.success,
            "build unexpectedly succeeded:\n{}",
            run.stdout
        );
        run.stderr
    }

    /// A file of the built site.
    pub fn output(&self, relative: &str) -> String {
        let path = self.root.join("public").join(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn output_exists(&self, relative: &str) -> bool {
        self.root.join("public").join(relative).exists()
    }

    /// Every file under public/ with its bytes, sorted by path.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        self.output_files()
            .into_iter()
            .map(|f| {
                let bytes = fs::read(self.root.join("public").join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    }

    /// Every file under public/, relative, sorted.
    pub fn output_files(&self) -> Vec<String> {
        let mut out = Vec::new();
        let base = self.root.join("public");
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for entry in fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    walk(&entry.path(), base, out);
                } else {
                    out.push(
                        entry
                            .path()
                            .strip_prefix(base)
                            .unwrap()
                            .to_string_lossy()
                            .into_owned(),
                    );
                }
            }
        }
        walk(&base, &base, &mut out);
        out.sort();
        out
    }
}

impl Drop for TestSite {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// The values of `attribute` in every tag that starts with `marker`
/// (`<h2 `), in document order; for drehbuch's own well-formed output.
#[allow(dead_code)]
pub fn attributes(html: &str, marker: &str, attribute: &str) -> Vec<String> {
    html.match_indices(marker)
        .filter_map(|(i, _)| {
            let tag_end = html[i..].find('>').map(|e| i + e)?;
            let tag = &html[i..tag_end];
            let key = format!("{attribute}=\"");
            let start = tag.find(&key)? + key.len();
            let end = tag[start..].find('"')? + start;
            Some(tag[start..end].to_string())
        })
        .collect()
}
