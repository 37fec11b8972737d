//! Locations and diagnostics: every problem a user can fix is a [`Diagnostic`]
//! that points at a file, a line and a column, shows the offending source line
//! and says what to do. Builds collect them all and fail at the end.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site is built, but something deserves attention.
    Warning,
}

/// A text file with a line index, so byte offsets become `line:col`.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    /// The file's text, with a leading BOM removed and CRLF kept as is.
    pub text: String,
    line_starts: Vec<usize>,
    /// Where this text starts in the file named by `path` (1-based line and
    /// column), when it is a piece of a larger file: the Markdown body of a
    /// data file's cell. (1, 1) for a whole file.
    origin: (usize, usize),
    /// Whether this is such a piece (see [`SourceFile::embedded`]).
    embedded: bool,
    /// For a piece: the whole file, and whether the piece stands in it
    /// character for character (an unquoted or plainly quoted cell), so
    /// positions map one to one. Otherwise (escapes, block scalars)
    /// problems are reported at the cell's start.
    host: Option<(std::sync::Arc<SourceFile>, bool)>,
}

impl SourceFile {
    /// Wraps `text` (a leading UTF-8 BOM is dropped) and indexes its lines.
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            path,
            text,
            line_starts,
            origin: (1, 1),
            embedded: false,
            host: None,
        }
    }

    /// A piece of the file at `path` that starts at `line`:`col` there (a
    /// cell of a data file), so positions in it are reported as positions
    /// in that file.
    pub fn embedded(path: PathBuf, text: String, line: usize, col: usize) -> SourceFile {
        SourceFile {
            origin: (line.max(1), col.max(1)),
            embedded: true,
            ..SourceFile::new(path, text)
        }
    }

    /// A piece of `host` (a data file's cell) whose raw text there is
    /// `host.text[span]` and whose value is `text`. Problems in it are
    /// reported at their own line and column of `host` when the value
    /// stands there as it is (also between plain quotes), else at the
    /// cell's start, with `host`'s line shown either way.
    pub fn cell(
        host: &std::sync::Arc<SourceFile>,
        span: std::ops::Range<usize>,
        text: String,
    ) -> SourceFile {
        let raw = host.text.get(span.clone()).unwrap_or("");
        let (start, verbatim) = if raw == text {
            (span.start, true)
        } else if raw.len() >= 2
            && raw.starts_with(['"', '\''])
            && raw.ends_with(['"', '\''])
            && raw[1..raw.len() - 1] == text
        {
            (span.start + 1, true)
        } else {
            (span.start, false)
        };
        let (line, col) = host.line_col(start);
        SourceFile {
            host: Some((std::sync::Arc::clone(host), verbatim)),
            ..SourceFile::embedded(host.path.clone(), text, line, col)
        }
    }

    /// Whether this text is a piece of a data file rather than a whole file.
    pub fn is_embedded(&self) -> bool {
        self.embedded
    }

    /// 1-based line and column (in characters) of a byte offset, in the
    /// file `path` names.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let (line, col) = self.local_line_col(offset);
        if line == 1 {
            (self.origin.0, col + self.origin.1 - 1)
        } else {
            (line + self.origin.0 - 1, col)
        }
    }

    /// 1-based line and column within this text.
    fn local_line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// A diagnostic at a byte range of this file.
    pub fn diagnostic(
        &self,
        severity: Severity,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (local_line, local_col) = self.local_line_col(range.start);
        let (mut line, mut col) = self.line_col(range.start);
        let line_text = match &self.host {
            // Positions in the data file itself, with its line.
            Some((host, true)) => host.line_text(line).to_string(),
            Some((host, false)) => {
                (line, col) = self.origin;
                host.line_text(line).to_string()
            }
            // The caret is placed within the shown (local) line.
            None => {
                col = local_col;
                self.line_text(local_line).to_string()
            }
        };
        let width = if range.end > range.start {
            let end = floor_char_boundary(&self.text, range.end.min(self.text.len()));
            let start = floor_char_boundary(&self.text, range.start);
            self.text[start..end]
                .lines()
                .next()
                .map(|s| s.chars().count())
                .unwrap_or(1)
                .max(1)
        } else {
            1
        };
        Diagnostic {
            severity,
            kind: "content",
            path: Some(self.path.clone()),
            line: Some(line),
            col: Some(col),
            message: message.into(),
            source_line: Some(line_text),
            width,
            help: None,
        }
    }

    /// An error at a byte range of this file.
    pub fn error(&self, range: std::ops::Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, range, message)
    }

    /// Where `range` stands (path, line, column, the source line), kept
    /// for a check that runs after the text is gone; it becomes a
    /// diagnostic with [`Diagnostic::saying`].
    pub fn locate(&self, range: std::ops::Range<usize>) -> Diagnostic {
        self.diagnostic(Severity::Error, range, String::new())
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the user's input, with where it is and what to do.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What sort of problem it is (`link`, `anchor`, `front-matter`, …),
    /// for summaries and machine-readable reports.
    pub kind: &'static str,
    /// File the problem is in, if it belongs to one.
    pub path: Option<PathBuf>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub col: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending source line, shown under the message.
    pub source_line: Option<String>,
    /// How many characters the caret marker covers.
    pub width: usize,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error that belongs to a file but no particular line.
    pub fn file_error(path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: Some(path.to_path_buf()),
            ..Diagnostic::global(Severity::Error, message)
        }
    }

    /// An error that belongs to no file.
    pub fn global(severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            kind: "content",
            path: None,
            line: None,
            col: None,
            message: message.into(),
            source_line: None,
            width: 1,
            help: None,
        }
    }

    /// A located problem ([`SourceFile::locate`]) with its severity and
    /// message.
    pub fn saying(&self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            message: message.into(),
            ..self.clone()
        }
    }

    /// Sets what sort of problem this is.
    pub fn with_kind(mut self, kind: &'static str) -> Diagnostic {
        self.kind = kind;
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Turns the diagnostic into a warning.
    pub fn warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (as much of it as is known).
    pub fn location(&self) -> String {
        let mut s = String::new();
        if let Some(path) = &self.path {
            s.push_str(&path.display().to_string());
            if let Some(line) = self.line {
                s.push_str(&format!(":{line}"));
                if let Some(col) = self.col {
                    s.push_str(&format!(":{col}"));
                }
            }
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let location = self.location();
        if location.is_empty() {
            writeln!(f, "{kind}: {}", self.message)?;
        } else {
            writeln!(f, "{location}: {kind}: {}", self.message)?;
        }
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            let (shown, col) = source_window(text, self.col.unwrap_or(1));
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {shown}")?;
            let lead: String = shown
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let width = self.width.clamp(1, SOURCE_WINDOW);
            writeln!(f, "{pad} | {lead}{}", "^".repeat(width))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// How many characters of a long source line are shown around the caret.
const SOURCE_WINDOW: usize = 120;

/// The part of a source line shown under a message: all of it if short,
/// else a window around column `col` with `…` marking what is cut off.
/// Returns the text and the caret's column within it.
fn source_window(text: &str, col: usize) -> (String, usize) {
    let length = text.chars().count();
    if length <= SOURCE_WINDOW {
        return (text.to_string(), col);
    }
    let start = col
        .saturating_sub(SOURCE_WINDOW / 2)
        .min(length - SOURCE_WINDOW);
    let mut shown = String::new();
    let mut col_in = col - start;
    if start > 0 {
        shown.push('…');
        col_in += 1;
    }
    shown.extend(text.chars().skip(start).take(SOURCE_WINDOW));
    if start + SOURCE_WINDOW < length {
        shown.push('…');
    }
    (shown, col_in)
}

/// A thread-safe collector of diagnostics, shared by parallel stages.
#[derive(Clone, Debug, Default)]
pub struct DiagnosticSink(Arc<Mutex<Vec<Diagnostic>>>);

impl DiagnosticSink {
    /// Records one diagnostic.
    pub fn push(&self, diagnostic: Diagnostic) {
        if let Ok(mut all) = self.0.lock() {
            all.push(diagnostic);
        }
    }

    /// Records many diagnostics.
    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        if let Ok(mut all) = self.0.lock() {
            all.extend(diagnostics);
        }
    }

    /// All diagnostics so far, sorted by file and position, duplicates removed.
    pub fn take_sorted(&self) -> Vec<Diagnostic> {
        let mut all = match self.0.lock() {
            Ok(mut all) => std::mem::take(&mut *all),
            Err(_) => Vec::new(),
        };
        sort_diagnostics(&mut all);
        all
    }
}

/// Sorts diagnostics by file, line and column and removes exact duplicates.
pub fn sort_diagnostics(all: &mut Vec<Diagnostic>) {
    all.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
    all.dedup();
}

/// The closest candidate to `word` by edit distance, if it is close enough
/// to be a plausible typo ("did you mean ...?").
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1) + 1 && *d < c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current[j + 1] = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let file = SourceFile::new("a.md".into(), "äöü\nßx = 1\n".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(2), (1, 2));
        assert_eq!(file.line_col(7), (2, 1));
        assert_eq!(file.line_col(9), (2, 2));
        assert_eq!(file.line_text(2), "ßx = 1");
    }

    #[test]
    fn bom_is_dropped_and_crlf_lines_are_trimmed() {
        let file = SourceFile::new("a.md".into(), "\u{feff}a\r\nb\r\n".into());
        assert_eq!(file.text, "a\r\nb\r\n");
        assert_eq!(file.line_text(1), "a");
        assert_eq!(file.line_text(2), "b");
    }

    #[test]
    fn rendering_shows_location_line_and_caret() {
        let file = SourceFile::new("x.md".into(), "---\ntitel: A\n---\n".into());
        let d = file
            .error(4..9, "unknown key `titel`")
            .with_help("did you mean `title`?");
        let text = d.to_string();
        assert!(
            text.starts_with("x.md:2:1: error: unknown key `titel`\n"),
            "{text}"
        );
        assert!(text.contains("2 | titel: A\n"));
        assert!(text.contains("  | ^^^^^\n"));
        assert!(text.contains("help: did you mean `title`?"));
    }

    #[test]
    fn long_source_lines_are_cut_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let file = SourceFile::new("x.yaml".into(), line.clone());
        let text = file.error(500..501, "here").to_string();
        let shown = text.lines().nth(2).unwrap();
        assert!(shown.len() < 200, "{shown}");
        assert!(shown.contains('X'));
        let caret = text.lines().nth(3).unwrap();
        assert_eq!(
            shown.chars().position(|c| c == 'X'),
            caret.chars().position(|c| c == '^')
        );
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        let keys = ["title", "description", "slug", "weight"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("descripton", keys), Some("description"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
