//! Helpers shared by the sensor integration tests.
#![allow(dead_code)]
#![allow(unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use drehbuch_sensors::Summary;

pub mod hostile;

pub const BIN: &str = env!("CARGO_BIN_EXE_drehbuch");

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sensors")
        .join(rel)
}

/// A fresh scratch folder for one call: unique per process and call, since
/// tests run in parallel and may ask for the same name at once.
pub fn scratch(name: &str) -> PathBuf {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::SeqCst);
    let d = std::env::temp_dir().join(format!(
        "drehbuch-sensors-{name}-{}-{call}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

pub struct Run {
    pub ok: bool,
    pub code: Option<i32>,
    /// The signal that ended the process, if one did (a crash, an abort).
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub summary: Option<Summary>,
    pub out: PathBuf,
}

/// Run `drehbuch sensors summarize <args> --out <dir>/summary.json`.
pub fn summarize(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(["sensors", "summarize"]);
    run(cmd, dir, args)
}

/// Like [`summarize`], asserting that the run's peak resident memory stays
/// under `limit_kib`. The process's virtual memory is limited too (`ulimit
/// -v`, to eight times that: the allocator reserves address space it never
/// touches), so that unbounded memory use ends the run instead of the
/// machine.
pub fn summarize_limited(dir: &Path, args: &[&str], limit_kib: u64) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", limit_kib * 8))
        .arg(BIN)
        .args(["sensors", "summarize"]);
    let r = run(cmd, dir, args);
    let peak = children_peak_rss_kib();
    assert!(
        peak < limit_kib,
        "a run used {peak} KiB of memory, more than {limit_kib} KiB: {}",
        r.stderr
    );
    r
}

/// The largest peak resident memory of any child process this test binary
/// has waited for, in KiB (every child here must stay under the limit, so
/// the largest is the one to check).
#[cfg(unix)]
fn children_peak_rss_kib() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    usage.ru_maxrss.max(0) as u64
}

fn run(mut cmd: Command, dir: &Path, args: &[&str]) -> Run {
    let out = dir.join("summary.json");
    let _ = std::fs::remove_file(&out);
    let o = cmd
        .args(args)
        .arg("--out")
        .arg(&out)
        .arg("--progress")
        .arg("never")
        .output()
        .expect("run drehbuch");
    let summary = if o.status.success() {
        Some(Summary::load(&out).expect("summary loads"))
    } else {
        None
    };
    Run {
        ok: o.status.success(),
        code: o.status.code(),
        signal: signal(&o.status),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        summary,
        out,
    }
}

#[cfg(unix)]
fn signal(s: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    s.signal()
}

#[cfg(not(unix))]
fn signal(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Files in `dir` whose name marks a temporary summary.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect()
}

pub fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write fixture");
    p
}

/// Writes `content` as the file `name` into a new scratch folder `dir`,
/// summarizes it, asserts that worked and returns the summary.
#[allow(dead_code)]
pub fn summary_of(dir: &str, name: &str, content: &str) -> Summary {
    let dir = scratch(dir);
    let p = write(&dir, name, content);
    let r = summarize(&dir, &[p.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    r.summary.unwrap()
}

/// Dates of complete hot days of a sensor in a year, from the day rows.
pub fn hot_dates(s: &Summary, sensor: &str, year: i32, threshold: f64) -> Vec<String> {
    let x = s.sensor(sensor).expect("sensor");
    x.days
        .iter()
        .filter(|d| d.complete() && d.date().starts_with(&year.to_string()) && d.max() >= threshold)
        .map(|d| d.date().to_string())
        .collect()
}
