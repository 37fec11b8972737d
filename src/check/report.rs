//! Check reports: `human` (grouped by file; colour only on a terminal),
//! `json` (a stable schema, documented in docs/check.md) and `github`
//! (workflow annotations).

use std::collections::BTreeMap;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use super::CheckReport;
use super::translations::Row;
use crate::diagnostics::{Diagnostic, Severity, tally};

/// Output format of `drehbuch check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text grouped by file.
    Human,
    /// One JSON document (schema version 1).
    Json,
    /// GitHub Actions `::error` / `::warning` annotations.
    Github,
}

/// `N errors, M warnings (link 2, i18n 1)`: counts per severity and kind.
/// A fold line ("and N more like this") counts as the N it stands for.
pub fn summary_line(diagnostics: &[Diagnostic]) -> String {
    let (errors, warnings) = tally(diagnostics);
    let mut kinds: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in diagnostics {
        let severity = if d.is_error() { "error" } else { "warning" };
        *kinds.entry((severity, d.kind)).or_default() += d.folded.max(1);
    }
    let detail = |severity: &str| {
        kinds
            .iter()
            .filter(|((s, _), _)| *s == severity)
            .map(|((_, k), n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut line = format!("{errors} error(s)");
    if errors > 0 {
        line.push_str(&format!(" ({})", detail("error")));
    }
    line.push_str(&format!(", {warnings} warning(s)"));
    if warnings > 0 {
        line.push_str(&format!(" ({})", detail("warning")));
    }
    line
}

/// How a file's name heads its diagnostics in colour.
const FILE: Style = Style::new().bold();

/// A diagnostic as text with its severity (`error:`, `warning:`) in
/// colour. Write it through an `anstream` stream, which leaves the colour
/// out where it does not belong (not a terminal, `NO_COLOR`).
pub fn styled(d: &Diagnostic) -> String {
    let (word, style) = match d.severity {
        Severity::Error => ("error:", AnsiColor::Red.on_default().bold()),
        Severity::Warning => ("warning:", AnsiColor::Yellow.on_default().bold()),
    };
    d.to_string()
        .replacen(word, &format!("{style}{word}{style:#}"), 1)
}

/// Human-readable report: diagnostics grouped by file, then the summary;
/// with `colour`, file names and severities styled (see [`styled`]).
pub fn human(report: &CheckReport, colour: bool) -> String {
    let mut out = String::new();
    let mut current: Option<String> = None;
    for d in &report.diagnostics {
        let file = d
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(site)".into());
        if current.as_deref() != Some(file.as_str()) {
            let style = if colour { FILE } else { Style::new() };
            out.push_str(&format!("\n{style}{file}{style:#}\n"));
            current = Some(file);
        }
        out.push_str(&if colour { styled(d) } else { d.to_string() });
    }
    out.push_str(&format!(
        "\nchecked {} pages: {}\n",
        report.pages,
        summary_line(&report.diagnostics)
    ));
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    kind: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    source_line: Option<&'a str>,
    /// The problem's column within `source_line`, which is a window of a
    /// long line.
    source_column: Option<usize>,
    help: Option<&'a str>,
    /// For a line that stands for repeats left out: how many.
    #[serde(skip_serializing_if = "is_zero")]
    folded: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: u32,
    pages: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    translations: &'a [Row],
}

/// The JSON report (schema 1, see docs/check.md).
pub fn json(report: &CheckReport) -> String {
    let diagnostics: Vec<JsonDiagnostic<'_>> = report
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            severity: if d.is_error() { "error" } else { "warning" },
            kind: d.kind,
            file: d.path.as_ref().map(|p| p.display().to_string()),
            line: d.line,
            column: d.col,
            message: &d.message,
            source_line: d.source_line.as_deref(),
            source_column: d.source_line.as_ref().and(d.source_col.or(d.col)),
            help: d.help.as_deref(),
            folded: d.folded,
        })
        .collect();
    let (errors, warnings) = tally(&report.diagnostics);
    let doc = JsonReport {
        schema: 1,
        pages: report.pages,
        errors,
        warnings,
        diagnostics,
        translations: &report.translations,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// GitHub Actions workflow commands, one per diagnostic.
pub fn github(report: &CheckReport) -> String {
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = if d.is_error() { "error" } else { "warning" };
        let mut props = Vec::new();
        if let Some(p) = &d.path {
            props.push(format!("file={}", property(&p.display().to_string())));
        }
        if let Some(l) = d.line {
            props.push(format!("line={l}"));
        }
        if let Some(c) = d.col {
            props.push(format!("col={c}"));
        }
        props.push(format!("title={}", property(d.kind)));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            escape(&message)
        ));
    }
    out.push_str(&format!(
        "checked {} pages: {}\n",
        report.pages,
        summary_line(&report.diagnostics)
    ));
    out
}
