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
    /// For text that is not all ASCII: how many characters come before
    /// each [`CHAR_MARK_BYTES`] block, so a column costs at most one
    /// block's count, however long its line (a diagnostic per `{{` on a
    /// 1 MB line would otherwise count the line once for each).
    char_marks: Vec<usize>,
    /// Where this text starts in the file named by `path` (1-based line and
    /// column), when it is a piece of a larger file: the Markdown body of a
    /// data file's cell. (1, 1) for a whole file.
    origin: (usize, usize),
    /// Whether this is such a piece (see [`SourceFile::embedded`]).
    embedded: bool,
    /// For a piece: the whole file, where the piece starts there (bytes),
    /// and whether the piece stands in it character for character (an
    /// unquoted or plainly quoted cell), so positions map one to one.
    /// Otherwise (escapes, block scalars) problems are reported at the
    /// cell's start.
    host: Option<(std::sync::Arc<SourceFile>, usize, bool)>,
}

/// Bytes per block of [`SourceFile::char_marks`].
const CHAR_MARK_BYTES: usize = 1024;

/// How many characters a source line shows on each side of the caret;
/// longer lines are cut, with `…` where text is left out. Each diagnostic
/// keeps only this window, never the whole line: a 1 MB line with 10,000
/// problems would otherwise be copied 10,000 times.
pub const SOURCE_RADIUS: usize = 80;

/// How many diagnostics of one kind and severity a file shows; the rest
/// are folded into one "and N more like this" line.
pub const FOLD_AFTER: usize = 20;

impl SourceFile {
    /// Wraps `text` (a leading UTF-8 BOM is dropped) and indexes its lines.
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut char_marks = Vec::new();
        if !text.is_ascii() {
            let (mut count, mut from) = (0, 0);
            for block in 0..=text.len() / CHAR_MARK_BYTES {
                let to = floor_char_boundary(&text, block * CHAR_MARK_BYTES);
                count += text[from..to].chars().count();
                char_marks.push(count);
                from = to;
            }
        }
        SourceFile {
            path,
            text,
            line_starts,
            char_marks,
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
            host: Some((std::sync::Arc::clone(host), start, verbatim)),
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
        let col = self.chars_before(offset) - self.chars_before(start);
        (line + 1, col + 1)
    }

    /// How many characters come before the byte `offset` (rounded down to
    /// a character boundary), in at most one block's count.
    fn chars_before(&self, offset: usize) -> usize {
        let offset = floor_char_boundary(&self.text, offset);
        if self.char_marks.is_empty() {
            return offset;
        }
        let block = offset / CHAR_MARK_BYTES;
        let from = floor_char_boundary(&self.text, block * CHAR_MARK_BYTES);
        self.char_marks[block] + self.text[from..offset].chars().count()
    }

    /// The line around byte `at`, cut to [`SOURCE_RADIUS`] characters on
    /// each side of it (with `…` where text is left out), and the 1-based
    /// column of `at` in what is shown. Costs the window, not the line.
    fn window(&self, at: usize) -> (String, usize) {
        let at = floor_char_boundary(&self.text, at);
        let line = match self.line_starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let next = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text[start..next].trim_end_matches(['\n', '\r']);
        cut_window(line, at - start)
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
        let offset = floor_char_boundary(&self.text, range.start);
        // The file whose line is shown, the offset there, and the position.
        let (shown_in, at, (line, col)) = match &self.host {
            // Positions in the data file itself, with its line.
            Some((host, start, true)) => {
                let at = floor_char_boundary(&host.text, start + offset);
                (host.as_ref(), at, host.line_col(at))
            }
            Some((host, start, false)) => (host.as_ref(), *start, self.origin),
            // The caret is placed within the shown (local) line.
            None => (self, offset, self.line_col(offset)),
        };
        let (source_line, source_col) = shown_in.window(at);
        let width = if range.end > range.start {
            let end = floor_char_boundary(&self.text, range.end.min(self.text.len()));
            self.text[offset..end.max(offset)]
                .chars()
                .take_while(|c| *c != '\n' && *c != '\r')
                .take(2 * SOURCE_RADIUS + 1)
                .count()
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
            source_line: Some(source_line),
            source_col: Some(source_col),
            width,
            help: None,
            folded: 0,
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
    /// The offending source line, shown under the message; a window of
    /// it around the problem when the line is long (see [`SOURCE_RADIUS`]).
    pub source_line: Option<String>,
    /// 1-based column of the problem within `source_line` when that is
    /// known to differ from `col` (a window); `None`: at `col`.
    pub source_col: Option<usize>,
    /// How many characters the caret marker covers.
    pub width: usize,
    /// What to do about it.
    pub help: Option<String>,
    /// For a line that stands for repeats left out (see [`fold_repeats`]):
    /// how many; 0 for every other diagnostic.
    pub folded: usize,
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
            source_col: None,
            width: 1,
            help: None,
            folded: 0,
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
            let (shown, col) = match self.source_col {
                Some(col) => (text.clone(), col),
                None => source_window(text, self.col.unwrap_or(1)),
            };
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {shown}")?;
            let lead: String = shown
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            // The caret ends with the shown text (an `…` counts as one).
            let left = shown.chars().count().saturating_sub(lead.chars().count());
            let width = self.width.min(left).max(1);
            writeln!(f, "{pad} | {lead}{}", "^".repeat(width))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  = help: {help}")?;
        }
        Ok(())
    }
}

/// The part of a source line shown under a message when the diagnostic
/// holds the whole line (one made from a template engine's message): all
/// of it if short, else the window [`SourceFile`] would cut around column
/// `col`. Returns the text and the caret's column within it.
fn source_window(text: &str, col: usize) -> (String, usize) {
    if text.chars().count() <= 2 * SOURCE_RADIUS + 1 {
        return (text.to_string(), col);
    }
    let at = text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    cut_window(text, at)
}

/// `line` (one line, without its ending) cut to [`SOURCE_RADIUS`]
/// characters on each side of byte `at`, with `…` where text is left out,
/// and the 1-based column of `at` in the result.
fn cut_window(line: &str, at: usize) -> (String, usize) {
    let at = floor_char_boundary(line, at);
    // A line no wider than the window itself is shown whole: cutting a
    // few characters off a normal line only hides context.
    let width = 2 * SOURCE_RADIUS + 1;
    if line.len() <= width || (line.len() <= 4 * width && line.chars().count() <= width) {
        return (line.to_string(), line[..at].chars().count() + 1);
    }
    let mut from = at;
    for _ in 0..SOURCE_RADIUS {
        if from == 0 {
            break;
        }
        from = floor_char_boundary(line, from - 1);
    }
    let mut to = at;
    for c in line[at..].chars().take(SOURCE_RADIUS + 1) {
        to += c.len_utf8();
    }
    let mut shown = String::with_capacity(to - from + 6);
    let mut caret = line[from..at].chars().count() + 1;
    if from > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.push_str(&line[from..to]);
    if to < line.len() {
        shown.push('…');
    }
    (shown, caret)
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

/// Sorts diagnostics by file, line and column, removes exact duplicates
/// and folds repeats ([`fold_repeats`]).
pub fn sort_diagnostics(all: &mut Vec<Diagnostic>) {
    sort_by_position(all);
    all.dedup();
    fold_repeats(all);
}

fn sort_by_position(all: &mut [Diagnostic]) {
    all.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
}

/// Keeps the first [`FOLD_AFTER`] diagnostics of each kind and severity in
/// each file (by position) and replaces the rest by one line at the first
/// of them: "… and N more like this". A file with 16,000 stray `{{` gives
/// 21 lines, not 16,000. Fold lines already present (from a stage that
/// folded early) are merged, so folding twice changes nothing.
pub fn fold_repeats(all: &mut Vec<Diagnostic>) {
    type Key = (Option<PathBuf>, Severity, &'static str);
    let mut shown: std::collections::HashMap<Key, usize> = std::collections::HashMap::new();
    let mut folds: std::collections::HashMap<Key, Diagnostic> = std::collections::HashMap::new();
    let mut kept = Vec::with_capacity(all.len().min(1024));
    for d in all.drain(..) {
        let key = (d.path.clone(), d.severity, d.kind);
        let count = shown.entry(key.clone()).or_default();
        if d.folded == 0 && *count < FOLD_AFTER {
            *count += 1;
            kept.push(d);
            continue;
        }
        let hidden = d.folded.max(1);
        match folds.get_mut(&key) {
            Some(fold) => fold.folded += hidden,
            None => {
                folds.insert(
                    key,
                    Diagnostic {
                        folded: hidden,
                        ..d
                    },
                );
            }
        }
    }
    let folded_any = !folds.is_empty();
    for (_, mut fold) in folds {
        let what = match (fold.severity, fold.folded) {
            (Severity::Error, 1) => "error",
            (Severity::Error, _) => "errors",
            (Severity::Warning, 1) => "warning",
            (Severity::Warning, _) => "warnings",
        };
        fold.message = format!(
            "and {} more `{}` {what} like this in this file, the first of them here",
            fold.folded, fold.kind
        );
        fold.source_line = None;
        fold.source_col = None;
        fold.width = 1;
        fold.help = Some(format!(
            "only the first {FOLD_AFTER} of a kind are shown; fix them and run again to see the rest"
        ));
        kept.push(fold);
    }
    if folded_any {
        sort_by_position(&mut kept);
    }
    *all = kept;
}

/// Diagnostics for `problems` of one kind, found in position order: made
/// by `make` for the first [`FOLD_AFTER`] and for the one after them,
/// which stands for all the rest ([`fold_repeats`] words it). A stage
/// that can find a problem every few bytes uses this, so 300,000 stray
/// `{{` in a 1 MB page cost 21 diagnostics of memory, not 300,000.
pub fn first_of_many<T>(
    problems: impl IntoIterator<Item = T>,
    mut make: impl FnMut(T) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut made: Vec<Diagnostic> = Vec::new();
    for problem in problems {
        if made.len() <= FOLD_AFTER {
            made.push(make(problem));
        } else if let Some(last) = made.last_mut() {
            last.folded += 1;
        }
    }
    if let Some(last) = made.get_mut(FOLD_AFTER) {
        last.folded += 1;
    }
    made
}

/// How many errors and warnings `diagnostics` report, counting the
/// repeats a fold line stands for.
pub fn tally(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let (mut errors, mut warnings) = (0, 0);
    for d in diagnostics {
        let n = d.folded.max(1);
        match d.severity {
            Severity::Error => errors += n,
            Severity::Warning => warnings += n,
        }
    }
    (errors, warnings)
}

/// The closest candidate to `word` by edit distance (Levenshtein over
/// characters, ignoring case), if it is close enough to be a plausible
/// typo ("did you mean ...?"); the first of equally close ones.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1) + 1 && *d < c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
    fn columns_count_characters_on_long_mixed_lines() {
        // Blocks of the column index end inside multibyte characters.
        let line: String = (0..5000)
            .map(|i| ["a", "ä", "€", "😀"][i % 4])
            .collect::<String>();
        let text = format!("x\n{line}\n");
        let file = SourceFile::new("a.md".into(), text.clone());
        for (chars, (offset, _)) in line.char_indices().enumerate().step_by(97) {
            assert_eq!(file.line_col(2 + offset), (2, chars + 1));
        }
        assert_eq!(file.line_col(text.len()), (3, 1));
    }

    #[test]
    fn a_diagnostic_keeps_a_window_of_a_long_line_not_the_line() {
        let line = format!("{}X{}", "ö".repeat(100_000), "€".repeat(100_000));
        let file = SourceFile::new("x.md".into(), line.clone());
        let at = line.find('X').unwrap();
        let d = file.error(at..at + 1, "here");
        assert_eq!(d.col, Some(100_001));
        let shown = d.source_line.as_deref().unwrap();
        assert_eq!(shown.chars().count(), 2 * SOURCE_RADIUS + 3);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(d.source_col, Some(SOURCE_RADIUS + 2));
        assert_eq!(shown.chars().nth(SOURCE_RADIUS + 1), Some('X'));
        // Near the start of the line, nothing is cut before.
        let d = file.error(2..4, "there");
        assert_eq!(d.source_col, Some(2));
        assert!(d.source_line.unwrap().starts_with("öö"));
    }

    #[test]
    fn a_line_no_wider_than_the_window_is_shown_whole() {
        let line = format!("{}X", "ü".repeat(2 * SOURCE_RADIUS));
        let file = SourceFile::new("x.md".into(), line.clone());
        let at = line.find('X').unwrap();
        let d = file.error(at..at + 1, "here");
        assert_eq!(d.source_line.as_deref(), Some(line.as_str()));
        assert_eq!(d.source_col, Some(2 * SOURCE_RADIUS + 1));
        // One character more, and the window cuts it.
        let longer = format!("ü{line}");
        let file = SourceFile::new("x.md".into(), longer.clone());
        let at = longer.find('X').unwrap();
        let d = file.error(at..at + 1, "here");
        assert!(d.source_line.unwrap().starts_with('…'));
    }

    #[test]
    fn repeats_fold_after_twenty_per_file_kind_and_severity() {
        let file = SourceFile::new("x.md".into(), "ab\n".repeat(50));
        let other = SourceFile::new("y.md".into(), "ab\n".repeat(50));
        let mut all: Vec<Diagnostic> = (0..30)
            .map(|i| file.error(i * 3..i * 3 + 1, format!("problem {i}")))
            .chain((0..25).map(|i| file.error(i * 3 + 1..i * 3 + 2, "odd").warning()))
            .chain((0..5).map(|i| file.error(i * 3..i * 3 + 1, "link").with_kind("link")))
            .chain((0..21).map(|i| other.error(i * 3..i * 3 + 1, "same")))
            .collect();
        sort_diagnostics(&mut all);
        let shown = |path: &str, severity: Severity, kind: &str| {
            all.iter()
                .filter(|d| {
                    d.path.as_deref() == Some(Path::new(path))
                        && d.severity == severity
                        && d.kind == kind
                })
                .map(|d| (d.line.unwrap(), d.folded))
                .collect::<Vec<_>>()
        };
        let errors = shown("x.md", Severity::Error, "content");
        assert_eq!(errors.len(), 21);
        assert_eq!(errors[19], (20, 0));
        assert_eq!(errors[20], (21, 10));
        let warnings = shown("x.md", Severity::Warning, "content");
        assert_eq!(warnings[20], (21, 5));
        assert_eq!(shown("x.md", Severity::Error, "link").len(), 5);
        assert_eq!(shown("y.md", Severity::Error, "content")[20], (21, 1));
        assert_eq!(tally(&all), (30 + 5 + 21, 25));
        let fold = all.iter().find(|d| d.folded == 10).unwrap();
        assert_eq!(
            fold.to_string(),
            "x.md:21:1: error: and 10 more `content` errors like this in this file, the first of them here\n  = help: only the first 20 of a kind are shown; fix them and run again to see the rest\n"
        );
        // Folding again, or folding what a stage folded early, changes nothing.
        let once = all.clone();
        sort_diagnostics(&mut all);
        assert_eq!(all, once);
        let early = first_of_many(0..30, |i| {
            file.error(i * 3..i * 3 + 1, format!("problem {i}"))
        });
        assert_eq!(early.len(), 21);
        assert_eq!(early[20].folded, 10);
        let mut early = early;
        sort_diagnostics(&mut early);
        assert_eq!(early, shown_only(&once, "x.md", Severity::Error, "content"));
    }

    fn shown_only(
        all: &[Diagnostic],
        path: &str,
        severity: Severity,
        kind: &str,
    ) -> Vec<Diagnostic> {
        all.iter()
            .filter(|d| {
                d.path.as_deref() == Some(Path::new(path))
                    && d.severity == severity
                    && d.kind == kind
            })
            .cloned()
            .collect()
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        let keys = ["title", "description", "slug", "weight"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("descripton", keys), Some("description"));
        assert_eq!(did_you_mean("colour", keys), None);
        // Case does not count; characters, not bytes, are edited; the
        // first of two equally close candidates wins.
        assert_eq!(did_you_mean("TITEL", keys), Some("title"));
        assert_eq!(did_you_mean("größe", ["grösse", "gruß"]), Some("grösse"));
        assert_eq!(did_you_mean("ab", ["ax", "ay"]), Some("ax"));
        assert_eq!(did_you_mean("", keys), None);
    }
}
