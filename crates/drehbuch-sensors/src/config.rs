//! `sensors.yaml`: the description of a sensor network and its provenance.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::SensorError;

/// The whole `sensors.yaml` file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SensorsFile {
    /// IANA time zone of the calendar days (`Europe/Bucharest`); the
    /// command line's `--tz` overrides it.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Where the data comes from and under which terms; copied into the summary.
    #[serde(default)]
    pub provenance: Provenance,
    /// The sensors, in the order they should be listed.
    #[serde(default)]
    pub sensors: Vec<SensorMeta>,
}

/// Provenance of a dataset, copied verbatim into the summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Human-readable title of the dataset, per language (`de`, `en`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub title: BTreeMap<String, String>,
    /// Who produced the data ("Data2Resilience / Ruhr-Universität Bochum").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where the data can be obtained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Licence name ("CC BY 4.0").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Licence URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence_url: Option<String>,
    /// The attribution text that must accompany the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Unit of the temperature values; only `°C` is supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The period the dataset is meant to cover; days without data inside it count as missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Threshold defaults for this dataset (command-line options override them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<ThresholdConfig>,
    /// True when the data is invented (charts then say "synthetic example data").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    /// Free-form notes (processing steps, caveats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// An inclusive date range, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day (inclusive).
    pub from: String,
    /// Last day (inclusive).
    pub to: String,
}

/// Thresholds in °C, as configured in `sensors.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdConfig {
    /// Hot day: daily maximum at or above this (default 30.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hot_day: Option<f64>,
    /// Summer day: daily maximum at or above this (default 25.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summer_day: Option<f64>,
    /// Tropical night: daily minimum at or above this (default 20.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tropical_night: Option<f64>,
    /// Minimum share of a day, in percent, for the day to be complete (default 80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_coverage_pct: Option<f64>,
}

/// One sensor (or weather station).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SensorMeta {
    /// The id used in the summary and in charts.
    pub id: String,
    /// Other ids under which this sensor appears in raw data (device names, station numbers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Display name per language (`de`, `en`, `ro`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub name: BTreeMap<String, String>,
    /// Position (WGS84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// How the sensor is mounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mounting: Option<Mounting>,
    /// True for an official reference station (e.g. DWD).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference: bool,
    /// Nominal reporting interval in minutes (otherwise detected from the data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_minutes: Option<u32>,
}

/// WGS84 position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Latitude in degrees north.
    pub lat: f64,
    /// Longitude in degrees east.
    pub lon: f64,
    /// Height above ground in metres, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_m: Option<f64>,
}

/// Mounting details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mounting {
    /// Exposure of the mounting side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<Exposure>,
    /// Free-form notes per language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<String, String>,
}

/// Sun exposure of a sensor's mounting side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Exposure {
    /// Sunny side: daytime maxima are likely too high.
    Sunny,
    /// Shaded side.
    Shaded,
    /// Partly shaded.
    Partial,
    /// Standard radiation screen (reference station).
    Screened,
}

impl Provenance {
    /// Charts link `source_url` and `licence_url`, so each must be a web
    /// address (`http:`, `https:`) or relative: a `javascript:` URL would
    /// run in every reader's browser. The error names the key (as its path
    /// in the file) and its line in `text`, the file's YAML or JSON.
    pub(crate) fn check_urls(&self, path: &str, text: &str) -> Result<(), SensorError> {
        for (key, url) in [
            ("source_url", &self.source_url),
            ("licence_url", &self.licence_url),
        ] {
            let Some(url) = url.as_deref() else {
                continue;
            };
            if is_web_or_relative(url) {
                continue;
            }
            return Err(SensorError::Input {
                path: path.to_string(),
                line: provenance_line(text, key),
                message: format!(
                    "provenance.{key} is `{url}`, but charts link it, so only http(s) and relative addresses are allowed"
                ),
                hint: "use a web address such as https://example.org/data, or leave the key out"
                    .into(),
            });
        }
        Ok(())
    }
}

/// Whether a URL is one a chart may link: `http:`, `https:` or relative
/// (no scheme). Read as browsers read it: controls and spaces around it
/// are ignored, tabs and newlines anywhere removed, and a scheme is an
/// ASCII letter followed by letters, digits, `+`, `-` and `.`.
fn is_web_or_relative(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return true;
    };
    let mut chars = scheme.chars();
    let is_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// The 1-based line of `key` inside the `provenance` block of a YAML or
/// JSON text (0 when it cannot be found).
fn provenance_line(text: &str, key: &str) -> u64 {
    let from = text.find("provenance").unwrap_or(0);
    let Some(at) = text[from..].find(key).map(|i| from + i) else {
        return 0;
    };
    text[..at].matches('\n').count() as u64 + 1
}

impl SensorsFile {
    /// Load and check a `sensors.yaml` file.
    pub(crate) fn load(path: &Path) -> Result<SensorsFile, SensorError> {
        let text = std::fs::read_to_string(path).map_err(|e| SensorError::io(path, e))?;
        let file: SensorsFile = yaml_serde::from_str(&text).map_err(|e| {
            let (line, msg) = match e.location() {
                Some(loc) => (loc.line(), e.to_string()),
                None => (0, e.to_string()),
            };
            SensorError::Input {
                path: path.display().to_string(),
                line: line as u64,
                message: msg,
                hint: "see docs/sensors.md, section \"sensors.yaml\", for the expected fields"
                    .into(),
            }
        })?;
        file.check(path)?;
        if let Some(zone) = &file.time_zone
            && jiff::tz::TimeZone::get(zone).is_err()
        {
            return Err(SensorError::Input {
                path: path.display().to_string(),
                line: text
                    .lines()
                    .position(|l| l.trim_start().starts_with("time_zone:"))
                    .map_or(0, |i| i as u64 + 1),
                message: format!("time_zone: unknown time zone {zone:?}"),
                hint: "use an IANA name such as Europe/Bucharest, Europe/Berlin or UTC".into(),
            });
        }
        file.provenance
            .check_urls(&path.display().to_string(), &text)?;
        Ok(file)
    }

    fn check(&self, path: &Path) -> Result<(), SensorError> {
        let bad = |message: String| SensorError::Input {
            path: path.display().to_string(),
            line: 0,
            message,
            hint: "fix sensors.yaml (see docs/sensors.md)".into(),
        };
        let mut seen = std::collections::BTreeSet::new();
        for s in &self.sensors {
            if s.id.trim().is_empty() {
                return Err(bad("a sensor has an empty id".into()));
            }
            for id in std::iter::once(&s.id).chain(&s.aliases) {
                if !seen.insert(id.clone()) {
                    return Err(bad(format!("sensor id or alias {id:?} appears twice")));
                }
            }
            if let Some(l) = &s.location
                && (!(-90.0..=90.0).contains(&l.lat) || !(-180.0..=180.0).contains(&l.lon))
            {
                return Err(bad(format!(
                    "sensor {}: location lat/lon out of range",
                    s.id
                )));
            }
            if s.interval_minutes == Some(0) {
                return Err(bad(format!(
                    "sensor {}: interval_minutes must be at least 1",
                    s.id
                )));
            }
        }
        if let Some(u) = &self.provenance.unit {
            let u = u.trim();
            if !(u == "°C"
                || u.eq_ignore_ascii_case("degC")
                || u.eq_ignore_ascii_case("celsius")
                || u == "C")
            {
                return Err(bad(format!(
                    "provenance.unit is {u:?}; only °C is supported"
                )));
            }
        }
        if let Some(p) = &self.provenance.period {
            let (Some(a), Some(b)) = (
                super::time::parse_day(&p.from),
                super::time::parse_day(&p.to),
            ) else {
                return Err(bad(
                    "provenance.period.from/to must be dates like 2021-01-01".into(),
                ));
            };
            if a > b {
                return Err(bad(
                    "provenance.period.from is after provenance.period.to".into()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provenance_links_are_web_addresses() {
        let text =
            "sensors: []\nprovenance:\n  source_url: /data/\n  licence_url: \"\\tjavascript:x\"\n";
        let file: SensorsFile = yaml_serde::from_str(text).unwrap();
        let Err(SensorError::Input { line, message, .. }) =
            file.provenance.check_urls("s.yaml", text)
        else {
            panic!("the licence URL is refused");
        };
        assert_eq!(line, 4);
        assert!(
            message.starts_with("provenance.licence_url is `\tjavascript:x`"),
            "{message}"
        );
        let fine = Provenance {
            source_url: Some("https://e.org/".into()),
            licence_url: Some("//e.org/licence".into()),
            ..Provenance::default()
        };
        assert!(fine.check_urls("s.yaml", "").is_ok());
    }

    #[test]
    fn schemes_are_read_as_the_url_standard_reads_them() {
        assert!(is_web_or_relative("https://e.org/"));
        assert!(is_web_or_relative("HTTP://e.org/"));
        assert!(is_web_or_relative("../data/"));
        assert!(is_web_or_relative("//e.org/x:y"));
        assert!(is_web_or_relative("java script:x"));
        assert!(!is_web_or_relative("javascript:alert(1)"));
        assert!(!is_web_or_relative(" javascript://%0Aalert(1)"));
        assert!(!is_web_or_relative(" \u{1}Java\nScript:x"));
        assert!(!is_web_or_relative("data:text/html,x"));
    }
}
