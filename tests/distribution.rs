//! Getting drehbuch onto a machine and a handbook onto the web (issue 21):
//! `--version`, shell completions and the man page, `init --ci`, the
//! install script against a release served on 127.0.0.1, the crate
//! package's contents, and the pinned version and repository that the
//! action, the templates and the docs must agree on.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

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
    // The features this test binary was built with, as the binary lists
    // them; without any the line says so rather than vanishing.
    let enabled: Vec<&str> = [
        ("search", cfg!(feature = "search")),
        ("pdf", cfg!(feature = "pdf")),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(name, _)| name)
    .collect();
    let features = if enabled.is_empty() {
        "features: none".to_string()
    } else {
        format!("features: {}", enabled.join(", "))
    };
    assert!(lines.contains(&features.as_str()), "{stdout}");
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

#[test]
fn a_closed_pipe_ends_generated_output_quietly() {
    // `drehbuch man | head`: the reader is gone before drehbuch writes.
    for args in [&["man"][..], &["completions", "zsh"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_drehbuch"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "{args:?}");
    }
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

/// The target triple the install script picks on this machine.
fn this_target() -> String {
    let arch = std::env::consts::ARCH;
    match std::env::consts::OS {
        "linux" => format!("{arch}-unknown-linux-musl"),
        "macos" => format!("{arch}-apple-darwin"),
        other => panic!("the install script tests run on Linux or macOS, not {other}"),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A drehbuch release served over HTTP on 127.0.0.1 by this test: archive
/// name → bytes, as the release workflow lays them out.
struct ReleaseServer {
    server: std::sync::Arc<tiny_http::Server>,
    base_url: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ReleaseServer {
    fn start(files: Vec<(String, Vec<u8>)>) -> ReleaseServer {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let thread = {
            let server = server.clone();
            let requests = requests.clone();
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let path = request.url().trim_start_matches("/release/").to_string();
                    requests.lock().unwrap().push(path.clone());
                    let response = match files.iter().find(|(name, _)| *name == path) {
                        Some((_, bytes)) => tiny_http::Response::from_data(bytes.clone()),
                        None => tiny_http::Response::from_data(b"not found".to_vec())
                            .with_status_code(404),
                    };
                    let _ = request.respond(response);
                }
            })
        };
        ReleaseServer {
            server,
            base_url: format!("http://127.0.0.1:{port}/release/"),
            requests,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for ReleaseServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What a fake release archive holds as its binary.
#[derive(Clone, Copy)]
enum Binary {
    /// This build's drehbuch (a debug binary of some 250 MB: packed once).
    Real,
    /// A small script that answers `-V` like drehbuch, for the tests of
    /// the script's other paths.
    StandIn,
}

impl Binary {
    fn bytes(self) -> Vec<u8> {
        match self {
            Binary::Real => fs::read(env!("CARGO_BIN_EXE_drehbuch")).unwrap(),
            Binary::StandIn => {
                format!("#!/bin/sh\necho 'drehbuch {VERSION} (stand-in)'\n").into_bytes()
            }
        }
    }
}

/// The release archive for `target` (tar.gz, or zip with drehbuch.exe for
/// Windows), laid out as the release workflow packs it, and its name.
fn release_archive(target: &str, binary: Binary, work: &Path) -> (String, Vec<u8>) {
    let name = format!("drehbuch-v{VERSION}-{target}");
    let binary = binary.bytes();
    if target.contains("windows") {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
        for (file, bytes) in [
            ("drehbuch.exe", binary.as_slice()),
            ("README.md", b"readme".as_slice()),
        ] {
            zip.start_file(format!("{name}/{file}"), options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        return (format!("{name}.zip"), zip.finish().unwrap().into_inner());
    }
    let folder = work.join("pack").join(&name);
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("drehbuch"), &binary).unwrap();
    fs::write(folder.join("README.md"), "readme").unwrap();
    make_executable(&folder.join("drehbuch"));
    let archive = work.join(format!("{name}.tar.gz"));
    // gzip -1: the debug binary is large, and this tests the layout, not
    // the compression.
    let status = Command::new("sh")
        .arg("-c")
        .arg("tar -cf - -C \"$1\" \"$2\" | gzip -1 > \"$3\"")
        .arg("pack")
        .arg(work.join("pack"))
        .arg(&name)
        .arg(&archive)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = fs::read(&archive).unwrap();
    let _ = fs::remove_dir_all(work.join("pack"));
    let _ = fs::remove_file(&archive);
    (format!("{name}.tar.gz"), bytes)
}

/// The archive and its `.sha256` file (`<hex>  <name>`, as sha256sum
/// writes it), with `checksum_of` the bytes the checksum is taken of.
fn release_files(name: &str, archive: Vec<u8>, checksum_of: &[u8]) -> Vec<(String, Vec<u8>)> {
    let sum = format!("{}  {name}\n", sha256_hex(checksum_of));
    vec![
        (format!("{name}.sha256"), sum.into_bytes()),
        (name.to_string(), archive),
    ]
}

/// Runs scripts/install.sh with `sh` (dash on Debian: POSIX only).
fn install_script(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new("sh")
        .arg(repo().join("scripts/install.sh"))
        .args(args)
        .env_remove("DREHBUCH_VERSION")
        .env_remove("DREHBUCH_INSTALL_DIR")
        .env_remove("DREHBUCH_BASE_URL")
        .env_remove("DREHBUCH_TARGET")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("sh runs")
}

/// A scratch folder, and `target`'s archive served beside its right
/// checksum; the archive's name.
fn serve_release(test: &str, target: &str, binary: Binary) -> (PathBuf, String, ReleaseServer) {
    let work = scratch(test);
    let (name, archive) = release_archive(target, binary, &work);
    let server = ReleaseServer::start(release_files(&name, archive.clone(), &archive));
    (work, name, server)
}

/// The install script fetching from `server` into `bin`, with `work` as
/// home and `args` besides.
fn install_from(server: &ReleaseServer, work: &Path, bin: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "--base-url",
        &server.base_url,
        "--to",
        bin.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    install_script(&all, &[("HOME", work.to_str().unwrap())])
}

#[test]
fn install_script_installs_a_verified_release_that_runs() {
    let (work, name, server) = serve_release("install-ok", &this_target(), Binary::Real);
    let bin = work.join("tools/bin");
    let out = install_from(&server, &work, &bin, &["--version", VERSION]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("checksum verified"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(server.requests(), [name.clone(), format!("{name}.sha256")]);
    let installed = bin.join("drehbuch");
    assert_eq!(
        fs::read(&installed).unwrap(),
        fs::read(env!("CARGO_BIN_EXE_drehbuch")).unwrap()
    );
    let run = Command::new(&installed).arg("--version").output().unwrap();
    assert!(run.status.success());
    assert!(text(&run.stdout).starts_with(&format!("drehbuch {VERSION}\n")));
    // Only the binary lands in the folder: no temporary copy is left.
    let names: Vec<String> = fs::read_dir(&bin)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["drehbuch"]);
    drop(server);
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn install_script_takes_its_settings_from_the_environment_and_a_v_prefix() {
    let (work, _, server) = serve_release("install-env", &this_target(), Binary::StandIn);
    let bin = work.join("env-bin");
    let out = install_script(
        &[],
        &[
            ("HOME", work.to_str().unwrap()),
            ("DREHBUCH_VERSION", &format!("v{VERSION}")),
            ("DREHBUCH_BASE_URL", server.base_url.trim_end_matches('/')),
            ("DREHBUCH_INSTALL_DIR", bin.to_str().unwrap()),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(bin.join("drehbuch").is_file());
    drop(server);
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn install_script_refuses_an_archive_whose_checksum_does_not_match() {
    let work = scratch("install-mismatch");
    let target = this_target();
    let (name, archive) = release_archive(&target, Binary::StandIn, &work);
    // The checksum file names other bytes: a damaged or swapped archive.
    let server = ReleaseServer::start(release_files(&name, archive, b"another archive"));
    let bin = work.join("bin");
    fs::create_dir_all(&bin).unwrap();
    fs::write(bin.join("drehbuch"), "the drehbuch installed before").unwrap();
    let out = install_from(&server, &work, &bin, &[]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "drehbuch install: error: checksum mismatch for {name}: expected {}, got ",
            sha256_hex(b"another archive")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: nothing was installed"), "{stderr}");
    // Nothing was installed: the earlier binary is untouched and alone.
    assert_eq!(
        fs::read_to_string(bin.join("drehbuch")).unwrap(),
        "the drehbuch installed before"
    );
    assert_eq!(fs::read_dir(&bin).unwrap().count(), 1);
    // A checksum file without a checksum is refused too.
    drop(server);
    let (name, archive) = release_archive(&target, Binary::StandIn, &work);
    let server = ReleaseServer::start(vec![
        (format!("{name}.sha256"), b"<html>moved</html>\n".to_vec()),
        (name.clone(), archive),
    ]);
    let out = install_from(&server, &work, &bin, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("error: {name}.sha256 holds no SHA-256 checksum")),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fs::read_dir(&bin).unwrap().count(), 1);
    drop(server);
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn install_script_names_an_unknown_platform_and_downloads_nothing() {
    let work = scratch("install-platform");
    let server = ReleaseServer::start(Vec::new());
    // A `uname` that reports a system without release binaries.
    let shim = work.join("shim");
    fs::create_dir_all(&shim).unwrap();
    fs::write(
        shim.join("uname"),
        "#!/bin/sh\ncase \"$1\" in -s) echo Haiku ;; -m) echo riscv64 ;; *) echo Haiku ;; esac\n",
    )
    .unwrap();
    make_executable(&shim.join("uname"));
    let path = format!(
        "{}:{}",
        shim.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let bin = work.join("bin");
    let out = install_script(
        &[
            "--base-url",
            &server.base_url,
            "--to",
            bin.to_str().unwrap(),
        ],
        &[("PATH", &path), ("HOME", work.to_str().unwrap())],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "drehbuch install: error: there is no drehbuch release binary for this platform (Haiku riscv64)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: elsewhere build it from source: cargo install --locked drehbuch")
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    assert!(!bin.exists());
    drop(server);
    let _ = fs::remove_dir_all(&work);
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn install_script_unpacks_the_windows_zip() {
    let target = "x86_64-pc-windows-msvc";
    let (work, name, server) = serve_release("install-zip", target, Binary::StandIn);
    assert_eq!(name, format!("drehbuch-v{VERSION}-{target}.zip"));
    let bin = work.join("bin");
    let out = install_from(&server, &work, &bin, &["--target", target]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // (This test's "Windows" binary is a script, so it runs here.)
    let run = Command::new(bin.join("drehbuch.exe"))
        .arg("-V")
        .output()
        .unwrap();
    assert_eq!(
        text(&run.stdout),
        format!("drehbuch {VERSION} (stand-in)\n")
    );
    assert!(
        text(&out.stderr).contains(&format!("installed drehbuch {VERSION} (stand-in) into")),
        "{}",
        text(&out.stderr)
    );
    drop(server);
    let _ = fs::remove_dir_all(&work);
}

/// Alpine (the GitLab template's image) has BusyBox's sh, wget, tar and
/// sha256sum and nothing else: the script works with only those.
#[test]
fn install_script_works_with_busybox_alone() {
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_file())
        .expect("busybox is installed (.ci/run installs busybox-static)");
    let (work, _, server) = serve_release("install-busybox", &this_target(), Binary::StandIn);
    let tools = work.join("busybox-bin");
    fs::create_dir_all(&tools).unwrap();
    for tool in [
        "sh",
        "wget",
        "tar",
        "gzip",
        "sha256sum",
        "cut",
        "tr",
        "mktemp",
        "rm",
        "mkdir",
        "cp",
        "chmod",
        "mv",
        "sed",
        "uname",
        "printf",
        "cat",
    ] {
        std::os::unix::fs::symlink(busybox, tools.join(tool)).unwrap();
    }
    let bin = work.join("bin");
    let out = Command::new(tools.join("sh"))
        .arg(repo().join("scripts/install.sh"))
        .args([
            "--base-url",
            &server.base_url,
            "--to",
            bin.to_str().unwrap(),
        ])
        .env_clear()
        .env("PATH", &tools)
        .env("HOME", &work)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        fs::read(bin.join("drehbuch")).unwrap(),
        Binary::StandIn.bytes()
    );
    drop(server);
    let _ = fs::remove_dir_all(&work);
}

/// Runs `git <args>` in `dir`, asserting success.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

/// A new git repository with `remote` as origin, on branch `branch`.
fn repository(name: &str, remote: Option<&str>, branch: &str) -> PathBuf {
    let dir = scratch(name);
    git(&dir, &["init", "-q", "-b", branch]);
    if let Some(url) = remote {
        git(&dir, &["remote", "add", "origin", url]);
    }
    dir
}

/// Runs `drehbuch <args>` in `dir`.
fn drehbuch_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drehbuch"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("the drehbuch binary runs")
}

fn template(path: &str) -> String {
    fs::read_to_string(repo().join(path)).unwrap()
}

#[test]
fn init_ci_github_writes_the_pages_workflow_that_uses_the_action() {
    let dir = scratch("init-ci-github");
    let out = drehbuch_in(&dir, &["init", "handbook", "--ci", "github"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let site = dir.join("handbook");
    let workflow = fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(workflow, template("ci/github/pages.yml"));
    assert!(workflow.contains(&format!("uses: drehbuch/drehbuch@v{VERSION}\n")));
    assert!(
        text(&out.stdout).contains("Source: GitHub Actions"),
        "{}",
        text(&out.stdout)
    );
    let readme = fs::read_to_string(site.join("README.md")).unwrap();
    assert!(readme.contains(".github/workflows/pages.yml"), "{readme}");
    assert!(
        readme.contains(&format!("[drehbuch]({REPOSITORY})")),
        "{readme}"
    );
    assert!(!readme.contains("example.org/drehbuch"), "{readme}");
    // The site still builds and checks clean beside the workflow, with
    // the Pages address the action passes instead of init's placeholder.
    let out = drehbuch_in(
        &site,
        &[
            "check",
            "--deny",
            "warnings",
            "--base-url",
            "https://someone.github.io/handbook/",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stdout));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn init_ci_gitlab_writes_the_gitlab_pipeline() {
    let dir = scratch("init-ci-gitlab");
    let out = drehbuch_in(&dir, &["init", "handbook", "--ci", "gitlab"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pipeline = fs::read_to_string(dir.join("handbook/.gitlab-ci.yml")).unwrap();
    assert_eq!(pipeline, template("ci/gitlab/drehbuch.gitlab-ci.yml"));
    assert!(!dir.join("handbook/.github").exists());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn init_picks_github_for_a_github_repository_and_nothing_elsewhere() {
    // A GitHub remote and another default branch: the workflow deploys
    // from that branch.
    let dir = repository(
        "init-ci-detect",
        Some("git@github.com:someone/handbook.git"),
        "trunk",
    );
    let out = drehbuch_in(&dir, &["init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let workflow = fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(
        workflow,
        template("ci/github/pages.yml").replace("branches: [main]", "branches: [\"trunk\"]")
    );
    // --ci none writes no workflow even there.
    let dir = repository(
        "init-ci-none",
        Some("https://github.com/someone/handbook"),
        "main",
    );
    let out = drehbuch_in(&dir, &["init", "--ci", "none"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!dir.join(".github").exists());
    // A repository without a GitHub remote gets none by default.
    let dir = repository(
        "init-ci-plain",
        Some("https://git.example.org/handbook.git"),
        "main",
    );
    let out = drehbuch_in(&dir, &["init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!dir.join(".github").exists());
    assert!(!dir.join(".gitlab-ci.yml").exists());
    // A GitLab remote gets the GitLab pipeline.
    let dir = repository(
        "init-ci-gitlab-remote",
        Some("https://gitlab.com/someone/handbook.git"),
        "main",
    );
    let out = drehbuch_in(&dir, &["init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join(".gitlab-ci.yml").is_file());
    for name in [
        "init-ci-detect",
        "init-ci-none",
        "init-ci-plain",
        "init-ci-gitlab-remote",
    ] {
        let _ = fs::remove_dir_all(scratch(name));
    }
}

#[test]
fn init_in_a_subfolder_puts_the_workflow_at_the_repository_root() {
    // GitHub reads workflows only from the repository's root, so a
    // handbook in docs/handbook/ gets its workflow there, aimed at it.
    let dir = repository(
        "init-ci-subfolder",
        Some("https://github.com/someone/tools.git"),
        "main",
    );
    fs::create_dir_all(dir.join("docs")).unwrap();
    let out = drehbuch_in(&dir.join("docs"), &["init", "handbook"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!dir.join("docs/handbook/.github").exists());
    let workflow = fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(
        workflow,
        template("ci/github/pages.yml").replace("root: \".\"", "root: \"docs/handbook\"")
    );
    let out = drehbuch_in(&dir, &["init", "other", "--ci", "gitlab"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pipeline = fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap();
    assert_eq!(
        pipeline,
        template("ci/gitlab/drehbuch.gitlab-ci.yml")
            .replace("DREHBUCH_ROOT: \".\"", "DREHBUCH_ROOT: \"other\"")
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn init_never_overwrites_a_workflow() {
    let dir = repository(
        "init-ci-existing",
        Some("https://github.com/someone/handbook"),
        "main",
    );
    fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    fs::write(dir.join(".github/workflows/pages.yml"), "# mine\n").unwrap();
    // Asked for: refused, nothing written.
    let out = drehbuch_in(&dir, &["init", "handbook", "--ci", "github"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    let existing = dir
        .canonicalize()
        .unwrap()
        .join(".github/workflows/pages.yml");
    assert!(
        stderr.contains(&format!(
            "already has {}; nothing was written",
            existing.display()
        )),
        "{stderr}"
    );
    assert!(!dir.join("handbook").exists());
    // Only detected: the site is written, the workflow left alone.
    let out = drehbuch_in(&dir, &["init", "handbook"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.join("handbook/site.yaml").is_file());
    assert_eq!(
        fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap(),
        "# mine\n"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// `owner/name` of the repository in Cargo.toml.
fn repository_slug() -> &'static str {
    REPOSITORY
        .strip_prefix("https://github.com/")
        .expect("the repository is on GitHub")
}

/// What stands at `(*)` in each place `pattern` (`prefix(*)suffix`)
/// matches `text`: a run of letters, digits and `._-` (and `/` for a
/// path, when `(*)` ends the pattern) right after the prefix. A tiny
/// matcher for the fixed shapes below, without a regex crate.
fn captures(text: &str, pattern: &str) -> Vec<String> {
    let (prefix, _) = pattern.split_once("(*)").unwrap();
    let path = pattern.ends_with("(*)");
    text.match_indices(prefix)
        .map(|(i, _)| {
            let after = &text[i + prefix.len()..];
            let end = after
                .find(|c: char| {
                    !(c.is_ascii_alphanumeric() || "._-".contains(c) || (path && c == '/'))
                })
                .unwrap_or(after.len());
            after[..end].trim_end_matches(['.', '/']).to_string()
        })
        .collect()
}

#[test]
fn every_pin_names_this_version_and_this_repository() {
    // Where a version is pinned, by the text around it. Each file must pin
    // at least once, and every pin must be this crate's version.
    let pins: &[(&str, &[&str])] = &[
        ("action.yml", &["default: \"(*)\""]),
        ("scripts/install.sh", &["DREHBUCH_VERSION:-(*)}"]),
        (
            "ci/gitlab/drehbuch.gitlab-ci.yml",
            &["DREHBUCH_VERSION: \"(*)\"", "releases/download/v(*)/"],
        ),
        ("ci/github/pages.yml", &["drehbuch@v(*)"]),
        (
            "docs/deploy.md",
            &["drehbuch@v(*)", "releases/download/v(*)/", "drehbuch:(*) "],
        ),
        ("README.md", &["releases/download/v(*)/", "drehbuch:(*) "]),
    ];
    for (file, patterns) in pins {
        let text = template(file);
        let found: Vec<String> = patterns
            .iter()
            .flat_map(|p| captures(&text, p))
            .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert!(!found.is_empty(), "{file} pins no version");
        for version in found {
            assert_eq!(
                version, VERSION,
                "{file} pins {version}, the crate is {VERSION}"
            );
        }
    }
    // The repository, wherever drehbuch's own address is written.
    let slug = repository_slug();
    assert!(template("scripts/install.sh").contains(&format!("repository=\"{REPOSITORY}\"")));
    assert!(
        template("ci/gitlab/drehbuch.gitlab-ci.yml")
            .contains(&format!("DREHBUCH_REPOSITORY: \"{REPOSITORY}\""))
    );
    assert!(template("ci/github/pages.yml").contains(&format!("uses: {slug}@v{VERSION}")));
    for file in ["docs/deploy.md", "README.md"] {
        let text = template(file);
        let mut named = 0;
        for prefix in [
            "https://github.com/(*)",
            "raw.githubusercontent.com/(*)",
            "ghcr.io/(*)",
        ] {
            for found in captures(&text, prefix) {
                let owner_name: Vec<&str> = found.splitn(3, '/').take(2).collect();
                let owner_name = owner_name.join("/");
                assert_eq!(owner_name, slug, "{file} names {found}");
                named += 1;
            }
        }
        assert!(named > 0, "{file} never names the repository");
    }
    // The Rust the release workflow and the container build with.
    let release = template(".github/workflows/release.yml");
    let dockerfile = template("Dockerfile");
    let rust = captures(&release, "RUST_VERSION: \"(*)\"");
    assert_eq!(rust.len(), 1, "{rust:?}");
    assert!(
        dockerfile.contains(&format!("ARG RUST_VERSION={}\n", rust[0])),
        "the Dockerfile builds with another Rust than release.yml ({})",
        rust[0]
    );
}

#[test]
fn every_install_one_liner_checks_the_script_it_runs() {
    let hash = sha256_hex(&fs::read(repo().join("scripts/install.sh")).unwrap());
    for file in [
        "docs/deploy.md",
        "README.md",
        "ci/gitlab/drehbuch.gitlab-ci.yml",
    ] {
        let text = template(file);
        let mut checked = 0;
        for (i, _) in text.match_indices("install.sh\" | sha256sum -c -") {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            let line = &text[line_start..i];
            let quote = line.rfind("echo \"").expect("echo \"<hash>  install.sh\"");
            let stated = line[quote + 6..].split_whitespace().next().unwrap();
            assert_eq!(
                stated, hash,
                "{file} checks install.sh against {stated}; scripts/install.sh is {hash}: update the hash everywhere (the test lists the files)"
            );
            checked += 1;
        }
        assert!(checked > 0, "{file} runs install.sh without checking it");
        // No other way in: no piping a download into a shell.
        for shell in ["| sh ", "| sh\n", "| sh\"", "| bash"] {
            assert!(
                !text.contains(shell),
                "{file} pipes a download into a shell"
            );
        }
    }
}

#[test]
fn the_documented_github_workflow_is_the_one_init_writes() {
    let docs = template("docs/deploy.md");
    let workflow = template("ci/github/pages.yml");
    assert!(
        docs.contains(&format!("```yaml github-workflow\n{workflow}```\n")),
        "docs/deploy.md's GitHub Pages workflow differs from ci/github/pages.yml"
    );
    // Its deploy step's id is the one the environment URL names.
    assert!(workflow.contains("url: ${{ steps.deployment.outputs.page_url }}"));
    assert!(workflow.contains("- id: deployment\n        uses: actions/deploy-pages@"));
}

/// `[package.metadata.binstall]`'s `key` (the default, not the Windows
/// override) with its placeholders filled in for `target`.
fn binstall(key: &str, target: &str) -> String {
    let manifest = template("Cargo.toml");
    let section = &manifest[manifest.find("[package.metadata.binstall]").unwrap()..];
    let line = section
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
        .unwrap_or_else(|| panic!("no {key}"));
    line.trim_end_matches('"')
        .replace("{ repo }", REPOSITORY)
        .replace("{ name }", "drehbuch")
        .replace("{ version }", VERSION)
        .replace("{ target }", target)
        .replace("{ bin }", "drehbuch")
        .replace("{ binary-ext }", "")
}

#[test]
fn cargo_binstall_fetches_the_archive_the_install_script_fetches() {
    let target = this_target();
    let (work, _, server) = serve_release("binstall", &target, Binary::StandIn);
    let out = install_from(&server, &work, &work.join("bin"), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let requested = server.requests()[0].clone();
    assert_eq!(
        binstall("pkg-url", &target),
        format!("{REPOSITORY}/releases/download/v{VERSION}/{requested}")
    );
    // And the binary's place inside it: the layout release.yml packs.
    assert_eq!(
        binstall("bin-dir", &target),
        format!("drehbuch-v{VERSION}-{target}/drehbuch")
    );
    let release = template(".github/workflows/release.yml");
    assert!(release.contains("name=\"drehbuch-$GITHUB_REF_NAME-$target\""));
    drop(server);
    let _ = fs::remove_dir_all(&work);
}
