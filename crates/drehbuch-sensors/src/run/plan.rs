//! Before anything is read: what each input is (plain, gzip or zip; its
//! format; a Data2Resilience humidity file joined into its temperature
//! file; the same content as an earlier input) and so how it is read.

use std::path::{Path, PathBuf};

use crate::SensorError;
use crate::formats::{self, Format};
use crate::input::{self, Container};

/// How one input is read.
pub(super) enum Plan {
    /// A plain or gzip file of one format (a Data2Resilience temperature
    /// file with the humidity file beside it, if there is one).
    Plain {
        path: PathBuf,
        container: Container,
        format: Format,
        humidity: Option<PathBuf>,
    },
    /// A zip archive: its members are detected by name and content.
    Zip { path: PathBuf },
    /// Nothing but white space: noted, nothing to parse.
    Empty { path: PathBuf },
    /// A Data2Resilience humidity file, read with its temperature file.
    Joined { path: PathBuf, into: PathBuf },
    /// Same content as an earlier input: recorded, not read again.
    Identical {
        path: PathBuf,
        same_as: PathBuf,
        sha256: String,
        bytes: u64,
    },
}

/// A file's name without its folder, as inputs are named in a summary.
pub(super) fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The plan of each input, in order; `forced` is `--format`. A file whose
/// format cannot be told stops the run here, before anything is read.
pub(super) fn plan(paths: &[PathBuf], forced: Option<Format>) -> Result<Vec<Plan>, SensorError> {
    let identical = input::identical_to_earlier(paths)?;
    let mut plans = Vec::new();
    for (p, same) in paths.iter().zip(identical) {
        if let Some(same) = same {
            plans.push(Plan::Identical {
                path: p.clone(),
                same_as: paths[same.earlier].clone(),
                sha256: same.sha256,
                bytes: same.bytes,
            });
            continue;
        }
        let c = input::container_of(p)?;
        if c == Container::Zip {
            plans.push(Plan::Zip { path: p.clone() });
            continue;
        }
        let head = input::head(p, c, 64 * 1024)?;
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            plans.push(Plan::Empty { path: p.clone() });
            continue;
        }
        let format = match forced {
            Some(f) => f,
            None => formats::detect(&file_name(p), &head).ok_or_else(|| {
                let first = String::from_utf8_lossy(&head[..head.len().min(200)]).lines().next().unwrap_or("").to_string();
                SensorError::Input {
                    path: p.display().to_string(),
                    line: 1,
                    message: format!("cannot tell the format of this file; it starts with {:?}", formats::snippet(first.as_bytes())),
                    hint: "name it with --format (csv, element, element-stream, d2r, tts, dwd, dwd-cdc); see docs/sensors.md".into(),
                }
            })?,
        };
        if format == Format::D2r {
            if let Some(t) = input::temperature_sibling(p) {
                plans.push(Plan::Joined {
                    path: p.clone(),
                    into: t,
                });
                continue;
            }
            if file_name(p).contains("_relative_humidity") {
                return Err(SensorError::Input {
                    path: p.display().to_string(),
                    line: 0,
                    message: "this Data2Resilience file holds humidity only, and no matching _air_temperature file is next to it".into(),
                    hint: "put the _air_temperature.json file in the same folder and pass it as input".into(),
                });
            }
        }
        let humidity = if format == Format::D2r {
            input::humidity_sibling(p)
        } else {
            None
        };
        plans.push(Plan::Plain {
            path: p.clone(),
            container: c,
            format,
            humidity,
        });
    }
    Ok(plans)
}
