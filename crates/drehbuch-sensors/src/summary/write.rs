//! Writing a summary: deterministic JSON (pretty-printed, arrays of plain
//! values on one line), replaced atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

use super::Summary;
use crate::SensorError;

impl Summary {
    /// Serialize deterministically: pretty-printed, but arrays of plain values on one line.
    pub fn to_json(&self) -> String {
        let v = serde_json::to_value(self).unwrap_or(Value::Null);
        let mut out = String::with_capacity(1 << 16);
        write_value(&v, 0, &mut out);
        out.push('\n');
        out
    }

    /// Write atomically: a new temporary file with a unique name in the
    /// target's folder, written and flushed to disk, then renamed over `path`
    /// (and the folder flushed). A failed or killed run therefore never leaves
    /// a half-written summary; on errors the temporary file is removed.
    pub fn write_atomic(&self, path: &Path) -> Result<(), SensorError> {
        let json = self.to_json();
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| SensorError::io(dir, e))?;
        let (tmp, mut f) = create_temp(dir, path)?;
        let res = f
            .write_all(json.as_bytes())
            .and_then(|()| f.sync_all())
            .and_then(|()| {
                drop(f);
                std::fs::rename(&tmp, path)
            });
        if let Err(e) = res {
            let _ = std::fs::remove_file(&tmp);
            return Err(SensorError::io(path, e));
        }
        sync_dir(dir);
        Ok(())
    }
}

/// Create a new file `.<name>.tmp-<pid>-<n>` next to `target`; never reuses
/// an existing file.
fn create_temp(dir: &Path, target: &Path) -> Result<(PathBuf, std::fs::File), SensorError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let fname = target
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "summary.json".into());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{fname}.tmp-{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(SensorError::io(&tmp, e)),
        }
    }
}

/// Make a rename in `dir` durable. Best effort: not every file system can
/// flush a folder, and the summary itself is complete either way.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn write_value(v: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', n * 2));
    match v {
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) if a.iter().all(|x| !x.is_array() && !x.is_object()) => {
            out.push_str(&serde_json::to_string(v).unwrap_or_default())
        }
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                pad(indent + 1, out);
                write_value(x, indent + 1, out);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push(']');
        }
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Object(o) => {
            out.push_str("{\n");
            for (i, (k, x)) in o.iter().enumerate() {
                pad(indent + 1, out);
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(": ");
                write_value(x, indent + 1, out);
                out.push_str(if i + 1 < o.len() { ",\n" } else { "\n" });
            }
            pad(indent, out);
            out.push('}');
        }
        _ => out.push_str(&serde_json::to_string(v).unwrap_or_default()),
    }
}
