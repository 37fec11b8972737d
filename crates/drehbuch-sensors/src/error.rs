//! [`SensorError`]: what can go wrong, phrased for humans.

use std::fmt;
use std::path::Path;

use crate::summary::{InvalidValue, MAX_INVALID_SHOWN};

/// Everything that can go wrong in the sensor module, phrased for humans.
#[derive(Debug)]
pub enum SensorError {
    /// Reading or writing a file failed.
    Io {
        /// The file concerned.
        path: String,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// An input or configuration file is unusable.
    Input {
        /// The file concerned.
        path: String,
        /// 1-based line number, 0 when it does not apply.
        line: u64,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// The command line is inconsistent.
    Usage(String),
    /// A summary file holds values out of range (checked when it is
    /// loaded, before any chart is drawn from it).
    Invalid {
        /// The file concerned.
        path: String,
        /// The first problems, each at its JSON path and position (one
        /// more than [`MAX_INVALID_SHOWN`] when there are more: the
        /// first of those not shown).
        problems: Vec<InvalidValue>,
        /// How many problems there are in all.
        total: usize,
    },
    /// A summary file has a schema this version cannot read.
    Schema {
        /// The file concerned.
        path: String,
        /// Schema version found in the file.
        found: u64,
        /// Schema version this program reads.
        expected: u64,
    },
}

impl SensorError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        SensorError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

impl fmt::Display for SensorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SensorError::Io { path, source } => write!(f, "{path}: {source}"),
            SensorError::Input {
                path,
                line,
                message,
                hint,
            } => {
                if *line > 0 {
                    write!(f, "{path}:{line}: {message}")?;
                } else {
                    write!(f, "{path}: {message}")?;
                }
                if !hint.is_empty() {
                    write!(f, "\n  hint: {hint}")?;
                }
                Ok(())
            }
            SensorError::Usage(m) => write!(f, "{m}"),
            SensorError::Invalid {
                path,
                problems,
                total,
            } => {
                let shown = MAX_INVALID_SHOWN;
                for (i, p) in problems.iter().take(shown).enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(
                        f,
                        "{path}:{}:{}: {}: {}",
                        p.line, p.col, p.json_path, p.message
                    )?;
                }
                if let Some(next) = problems.get(shown) {
                    write!(
                        f,
                        "\n{path}:{}:{}: and {} more values out of range, the first of them here",
                        next.line,
                        next.col,
                        total - shown
                    )?;
                }
                write!(
                    f,
                    "\n  hint: a summary holds what `drehbuch sensors summarize` writes; regenerate it rather than editing it by hand"
                )
            }
            SensorError::Schema {
                path,
                found,
                expected,
            } => write!(
                f,
                "{path}: summary schema {found} is not supported (this drehbuch reads schema {expected})\n  hint: regenerate it with `drehbuch sensors summarize`"
            ),
        }
    }
}

impl std::error::Error for SensorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SensorError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
