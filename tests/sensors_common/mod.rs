//! Helpers shared by the sensor integration tests.
#![allow(dead_code)]
#![allow(unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use drehbuch::sensors::Summary;

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
    pub stdout: String,
    pub stderr: String,
    pub summary: Option<Summary>,
    pub out: PathBuf,
}

/// Run `drehbuch sensors summarize <args> --out <dir>/summary.json`.
pub fn summarize(dir: &Path, args: &[&str]) -> Run {
    let out = dir.join("summary.json");
    let _ = std::fs::remove_file(&out);
    let o = Command::new(BIN)
        .args(["sensors", "summarize"])
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
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        summary,
        out,
    }
}

pub fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write fixture");
    p
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
