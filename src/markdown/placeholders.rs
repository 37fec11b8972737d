//! Step 1 of [`render`](super::render): shortcodes substituted. Calls are
//! found in the body (never in code spans or code blocks), checked against
//! their signature and rendered by the [`ShortcodeHost`]; each call is then
//! replaced in the text by a placeholder of the same length
//! (`xdbsc3qqqq…`), plain letters the Markdown parser leaves alone, so the
//! page parses as if the call were a word and every later byte keeps its
//! offset in the file. [`passes::shortcodes`](super::passes::shortcodes)
//! puts the HTML where the placeholders come out.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::shortcodes::{self, ShortcodeCall, Signature};
use super::{RenderedMarkdown, ShortcodeHost, options};
use crate::diagnostics::{SourceFile, did_you_mean, first_of_many};

/// How every placeholder starts; the call's number and `q`s follow.
pub(crate) const PLACEHOLDER_PREFIX: &str = "xdbsc";

/// One shortcode call: its placeholder, its HTML and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// What stands for the call in the substituted text.
    pub(crate) placeholder: String,
    /// The rendered output (empty when the call is in error).
    pub(crate) html: String,
    /// The call's byte range in the file.
    pub(crate) call: Range<usize>,
}

/// A page body whose shortcode calls are placeholders.
pub(crate) struct Substituted {
    /// The body text, as long as the original.
    pub(crate) text: String,
    /// The calls, by the number in their placeholder.
    pub(crate) expansions: Vec<Expansion>,
}

/// Finds, checks and renders the shortcode calls in `file.text[body]` for
/// a page in `lang`; problems and the names called go into `facts`.
pub(crate) fn substitute(
    file: &SourceFile,
    body: Range<usize>,
    lang: &str,
    host: &dyn ShortcodeHost,
    facts: &mut RenderedMarkdown,
) -> Substituted {
    let base = body.start;
    let text = &file.text[body];
    let (code, html) = code_and_html_ranges(text);
    let (calls, syntax_errors) = shortcodes::find_calls(text, &code);
    // What a rebuild needs to know to render the page again when a
    // shortcode's template, data or counted pages change.
    for call in &calls {
        if !facts.shortcodes.contains(&call.name) {
            facts.shortcodes.push(call.name.clone());
        }
    }
    // A stray `{{` every three bytes must not cost a diagnostic each.
    facts.diagnostics.extend(first_of_many(syntax_errors, |error| {
        let at = base + error.offset;
        let help = if contains(&html, error.offset) {
            "write shortcodes as {{ name(arg=value, …) }}; to show braces literally in HTML, write them as `&#123;`"
        } else {
            "write shortcodes as {{ name(arg=value, …) }}; to show braces literally, put them in `code`"
        };
        file.error(at..at + 1, format!("malformed shortcode: {}", error.message))
            .with_help(help)
            .with_kind("shortcode")
    }));
    let mut substituted = String::with_capacity(text.len());
    let mut expansions = Vec::with_capacity(calls.len());
    let mut ids = ShortcodeIds::default();
    let mut last = 0;
    for (index, call) in calls.iter().enumerate() {
        let span = base + call.span.start..base + call.span.end;
        let html = expand(call, index, &span, file, lang, host, facts);
        // The same chart twice on a page: later copies get their ids (and
        // every reference to them) suffixed, so ids stay unique.
        let html = ids.distinct(html);
        substituted.push_str(&text[last..call.span.start]);
        let mut placeholder = format!("{PLACEHOLDER_PREFIX}{index}q");
        while placeholder.len() < call.span.len() {
            placeholder.push('q');
        }
        substituted.push_str(&placeholder);
        expansions.push(Expansion {
            placeholder,
            html,
            call: span,
        });
        last = call.span.end;
    }
    substituted.push_str(&text[last..]);
    Substituted {
        text: substituted,
        expansions,
    }
}

/// The HTML of one call, or an empty string and an error at `span`.
fn expand(
    call: &ShortcodeCall,
    index: usize,
    span: &Range<usize>,
    file: &SourceFile,
    lang: &str,
    host: &dyn ShortcodeHost,
    facts: &mut RenderedMarkdown,
) -> String {
    let error = |message: String, help: String| {
        file.error(span.clone(), message)
            .with_help(help)
            .with_kind("shortcode")
    };
    let Some(signature) = host.signature(&call.name) else {
        let names = host.names();
        let help = match did_you_mean(&call.name, names.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "available shortcodes: {}; a site adds its own as templates/shortcodes/NAME.html",
                names.join(", ")
            ),
        };
        let message = format!("unknown shortcode `{}`", call.name);
        facts.diagnostics.push(error(message, help));
        return String::new();
    };
    let problems = call.check(&signature);
    if !problems.is_empty() {
        let takes = takes(call, &signature);
        for problem in problems {
            facts.diagnostics.push(error(problem, takes.clone()));
        }
        return String::new();
    }
    host.render(call, lang, index).unwrap_or_else(|message| {
        facts
            .diagnostics
            .push(error(message, takes(call, &signature)));
        String::new()
    })
}

/// What a shortcode takes, for the help line.
fn takes(call: &ShortcodeCall, signature: &Signature) -> String {
    if signature.args.is_empty() {
        return format!("`{}` takes no arguments", call.name);
    }
    let args: Vec<String> = signature
        .args
        .iter()
        .map(|a| format!("{}{}", a.name, if a.required { "" } else { " (optional)" }))
        .collect();
    format!("`{}` takes {}", call.name, args.join(", "))
}

/// Byte ranges in `text` of code (spans and blocks), where shortcodes stay
/// literal, and of raw HTML, where they expand but a malformed one needs
/// other help; both sorted.
fn code_and_html_ranges(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let (mut code, mut html) = (Vec::new(), Vec::new());
    if !text.contains("{{") {
        return (code, html);
    }
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => code.push(range),
            Event::Html(_) | Event::InlineHtml(_) => html.push(range),
            _ => {}
        }
    }
    code.sort_by_key(|r| r.start);
    html.sort_by_key(|r| r.start);
    (code, html)
}

/// Whether `offset` lies in one of the sorted, disjoint `ranges`.
fn contains(ranges: &[Range<usize>], offset: usize) -> bool {
    let before = ranges.partition_point(|r| r.start <= offset);
    before
        .checked_sub(1)
        .is_some_and(|i| ranges[i].contains(&offset))
}

/// The ids the shortcodes of a page used so far.
#[derive(Default)]
struct ShortcodeIds {
    used: HashSet<String>,
    /// Per set of ids, the first suffix not yet tried, so n copies of one
    /// chart cost O(n), not O(n²).
    next: HashMap<String, usize>,
}

impl ShortcodeIds {
    /// Renames the ids of one shortcode's output that an earlier shortcode
    /// of the page already used (`x` → `x-2`), and records the ids it uses.
    fn distinct(&mut self, html: String) -> String {
        let ids: Vec<String> = crate::html::ids(&html)
            .into_iter()
            .map(str::to_string)
            .collect();
        if ids.iter().all(|id| !self.used.contains(id)) {
            self.used.extend(ids);
            return html;
        }
        let n = self.next.entry(ids.join(" ")).or_insert(2);
        while ids
            .iter()
            .any(|id| self.used.contains(&format!("{id}-{n}")))
        {
            *n += 1;
        }
        let n = std::mem::replace(n, *n + 1);
        let renamed = crate::html::rename_ids(&html, &|id| {
            ids.iter().any(|i| i == id).then(|| format!("{id}-{n}"))
        })
        .into_owned();
        self.used.extend(ids.iter().map(|id| format!("{id}-{n}")));
        renamed
    }
}

/// A piece of a text with placeholders in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text as it is (a byte range of the text).
    Text(Range<usize>),
    /// The placeholder of the expansion with this number.
    Shortcode(usize),
}

/// Splits `text` at the placeholders of `expansions`.
pub(crate) fn split(text: &str, expansions: &[Expansion]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(PLACEHOLDER_PREFIX) {
        let at = from + found;
        // The number after the prefix names the expansion (looking each
        // one up would cost O(n²) on a page with n shortcodes).
        let digits = &text[at + PLACEHOLDER_PREFIX.len()..];
        let digits = &digits[..digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len())];
        let found = digits
            .parse::<usize>()
            .ok()
            .and_then(|index| Some((index, expansions.get(index)?)))
            .filter(|(_, e)| text[at..].starts_with(e.placeholder.as_str()));
        let Some((index, expansion)) = found else {
            // Not one of ours (an editor wrote the prefix): keep it as text.
            let end = at + PLACEHOLDER_PREFIX.len();
            pieces.push(Piece::Text(from..end));
            from = end;
            continue;
        };
        if at > from {
            pieces.push(Piece::Text(from..at));
        }
        pieces.push(Piece::Shortcode(index));
        from = at + expansion.placeholder.len();
    }
    if from < text.len() {
        pieces.push(Piece::Text(from..text.len()));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::passes::test_support::{Shortcodes, file};

    fn substituted(text: &str) -> (Substituted, RenderedMarkdown) {
        let file = file(text);
        let mut facts = RenderedMarkdown::default();
        let s = substitute(&file, 0..text.len(), "de", &Shortcodes, &mut facts);
        (s, facts)
    }

    #[test]
    fn calls_become_placeholders_of_their_length_except_in_code() {
        let text = "a {{ box() }} `{{ box() }}` <b title=\"{{ year() }}\">\n";
        let (s, facts) = substituted(text);
        assert_eq!(
            s.text,
            "a xdbsc0qqqqq `{{ box() }}` <b title=\"xdbsc1qqqqqq\">\n"
        );
        assert_eq!(s.text.len(), text.len());
        assert_eq!(
            s.expansions,
            [
                Expansion {
                    placeholder: "xdbsc0qqqqq".into(),
                    html: "<aside lang=\"de\">box</aside>".into(),
                    call: 2..13,
                },
                Expansion {
                    placeholder: "xdbsc1qqqqqq".into(),
                    html: "2024".into(),
                    call: 38..50,
                },
            ]
        );
        assert_eq!(facts.shortcodes, ["box", "year"]);
        assert!(facts.diagnostics.is_empty());
    }

    #[test]
    fn a_malformed_call_in_html_says_how_to_write_braces_there() {
        let (_, facts) = substituted("<div>{{ x }}</div>\n\n{{ y }}\n");
        let helps: Vec<String> = facts
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.line.unwrap(),
                    d.col.unwrap(),
                    d.help.as_deref().unwrap()
                )
            })
            .collect();
        assert_eq!(
            helps,
            [
                "1:11 write shortcodes as {{ name(arg=value, …) }}; to show braces literally in HTML, write them as `&#123;`",
                "3:6 write shortcodes as {{ name(arg=value, …) }}; to show braces literally, put them in `code`",
            ]
        );
    }

    #[test]
    fn unknown_shortcode_is_an_error_at_its_line() {
        let (s, facts) = substituted("a\n\n{{ bxo() }}\n");
        assert_eq!(s.expansions[0].html, "");
        let d = &facts.diagnostics[0];
        assert_eq!(facts.diagnostics.len(), 1);
        assert_eq!((d.line, d.col, d.kind), (Some(3), Some(1), "shortcode"));
        assert_eq!(d.message, "unknown shortcode `bxo`");
        assert_eq!(d.help.as_deref(), Some("did you mean `box`?"));
    }

    #[test]
    fn placeholders_are_found_by_their_number() {
        let expansions: Vec<Expansion> = (0..13)
            .map(|i| Expansion {
                placeholder: format!("{PLACEHOLDER_PREFIX}{i}qq"),
                html: format!("<b>{i}</b>"),
                call: 0..0,
            })
            .collect();
        let text = format!(
            "a {PLACEHOLDER_PREFIX}12qq b {PLACEHOLDER_PREFIX}1qq {PLACEHOLDER_PREFIX}99 {PLACEHOLDER_PREFIX}1q"
        );
        let pieces: Vec<String> = split(&text, &expansions)
            .into_iter()
            .map(|p| match p {
                Piece::Text(range) => format!("T({})", &text[range]),
                Piece::Shortcode(i) => format!("S({i})"),
            })
            .collect();
        assert_eq!(
            pieces,
            [
                "T(a )",
                "S(12)",
                "T( b )",
                "S(1)",
                "T( xdbsc)",
                "T(99 xdbsc)",
                "T(1q)"
            ]
        );
    }

    #[test]
    fn repeated_shortcode_ids_get_the_next_free_suffix() {
        let mut ids = ShortcodeIds::default();
        ids.used.insert("c-3".to_string());
        let chart = "<svg id=\"c\"><title id=\"c-t\">T</title></svg>";
        let out: Vec<String> = (0..4).map(|_| ids.distinct(chart.to_string())).collect();
        assert_eq!(
            out,
            [
                chart,
                "<svg id=\"c-2\"><title id=\"c-t-2\">T</title></svg>",
                "<svg id=\"c-4\"><title id=\"c-t-4\">T</title></svg>",
                "<svg id=\"c-5\"><title id=\"c-t-5\">T</title></svg>",
            ]
        );
    }
}
