//! Charts drawn at build time: pure functions returning accessible HTML
//! fragments for the chart shortcodes.
//!
//! - sensor charts of a summary of the `drehbuch-sensors` crate:
//!   [`hot_days`] (bars per sensor in a year), [`hot_days_calendar`]
//!   (daily maxima as a month × day grid) and [`hot_days_by_year`] (hot days
//!   per year), drawn from the site's [`Datasets`] by the shortcodes of
//!   [`NAMES`] ([`render`]);
//! - the field chart (`field_chart`): pages per value of a field.
//!
//! Each chart is a `<figure>` with an inline SVG (`role="img"`, `<title>`,
//! `<desc>` in the page's language), the same numbers as a table, and a
//! caption (for sensor charts, with the dataset's provenance); see
//! `figure`. Shared pieces have a file each: colours and patterns
//! (`palette`), value scales (`scale`), axes (`axes`), legends (`legend`),
//! the data table (`table`) and the words (`text`, [`ChartText`]).

mod axes;
mod by_year;
mod calendar;
mod datasets;
mod field_counts;
mod figure;
mod hot_days;
mod legend;
mod palette;
mod scale;
mod shortcodes;
mod table;
mod text;

use std::fmt;

use drehbuch_sensors::{SensorSummary, Summary, YearSummary};

pub use by_year::hot_days_by_year;
pub use calendar::hot_days_calendar;
pub use datasets::Datasets;
pub(crate) use field_counts::{render as render_field_counts, signature as field_counts_signature};
pub use hot_days::hot_days;
pub use shortcodes::{Chart, NAMES, render, signature};
pub use text::{ChartText, LocalizedText};

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartError {
    /// The sensor id is not in the summary.
    UnknownSensor {
        /// Requested id.
        sensor: String,
        /// Ids in the summary.
        known: Vec<String>,
    },
    /// No statistics for this year.
    UnknownYear {
        /// Requested year.
        year: i32,
        /// Years in the summary (for the sensor, if one was given).
        known: Vec<i32>,
    },
    /// The summary has no sensors with data at all.
    NoData,
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::UnknownSensor { sensor, known } => {
                write!(
                    f,
                    "unknown sensor {sensor:?}; the summary has: {}",
                    known.join(", ")
                )
            }
            ChartError::UnknownYear { year, known } => {
                let k: Vec<String> = known.iter().map(i32::to_string).collect();
                if k.is_empty() {
                    write!(f, "no data for {year}; the summary has no years with data")
                } else {
                    write!(f, "no data for {year}; years with data: {}", k.join(", "))
                }
            }
            ChartError::NoData => write!(f, "the summary holds no sensor data"),
        }
    }
}

impl std::error::Error for ChartError {}

/// The sensor with this id, or the error that lists the known ones.
fn sensor<'a>(s: &'a Summary, id: &str) -> Result<&'a SensorSummary, ChartError> {
    s.sensor(id).ok_or_else(|| ChartError::UnknownSensor {
        sensor: id.to_string(),
        known: s.sensors.iter().map(|x| x.id.clone()).collect(),
    })
}

/// Whether a year's coverage is below the summary's complete-day threshold.
fn low_coverage(s: &Summary, y: &YearSummary) -> bool {
    y.coverage * 100.0 < s.thresholds.min_coverage_pct
}
