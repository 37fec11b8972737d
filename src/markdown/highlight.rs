//! Code highlighting with syntect, as HTML with CSS classes (`hl-…`); the
//! theme ships the stylesheet, so pages carry no inline styles. The syntax
//! set is loaded once, on first use, by the [`Highlighter`] that the site owns.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::text::escape_html;

/// The CSS class prefix of highlighted tokens.
pub(crate) const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// How much code one page may have highlighted, in bytes. Highlighting
/// costs time and memory in proportion to the code (a 2 MB block took
/// 7.5 s and 940 MB); the page's code blocks past this are shown plain.
pub(crate) const PAGE_HIGHLIGHT_BYTES: usize = 256 * 1024;

/// The longest line a highlighted block may have, in bytes: longer lines
/// are minified or generated code, slow to highlight and unreadable
/// anyway.
pub(crate) const HIGHLIGHT_LINE_BYTES: usize = 10 * 1024;

/// What is left of one page's [`PAGE_HIGHLIGHT_BYTES`].
#[derive(Debug)]
pub struct CodeBudget {
    limit: usize,
    left: usize,
    /// Whether a block went past it: later blocks stay plain too.
    spent: bool,
}

impl Default for CodeBudget {
    fn default() -> CodeBudget {
        CodeBudget {
            limit: PAGE_HIGHLIGHT_BYTES,
            left: PAGE_HIGHLIGHT_BYTES,
            spent: false,
        }
    }
}

impl CodeBudget {
    /// No limit but the line length (benchmarks, single blocks).
    fn unlimited() -> CodeBudget {
        CodeBudget {
            limit: usize::MAX,
            left: usize::MAX,
            spent: false,
        }
    }
}

/// Highlights fenced code; cheap to create, loads syntaxes lazily.
#[derive(Debug, Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    /// A highlighter that has not loaded its syntaxes yet.
    pub fn new() -> Highlighter {
        Highlighter::default()
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// The `<pre><code>` HTML of a code block. Unknown or missing languages
    /// are escaped as plain text.
    pub fn block(&self, lang: Option<&str>, code: &str) -> String {
        self.block_within(lang, code, &mut CodeBudget::unlimited())
            .0
    }

    /// [`Highlighter::block`] for one block of a page whose code shares
    /// `budget`: a block is highlighted only if it fits in what is left
    /// (and no earlier block did not) and has no line longer than
    /// [`HIGHLIGHT_LINE_BYTES`]; else it is escaped as plain text, and the
    /// second value says why, as a sentence for a warning (for the budget,
    /// only at the first block past it).
    pub fn block_within(
        &self,
        lang: Option<&str>,
        code: &str,
        budget: &mut CodeBudget,
    ) -> (String, Option<String>) {
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let mut html = String::with_capacity(code.len() * 2);
        let mut plain_because = None;
        match lang {
            Some(lang) => {
                let lang_class: String = lang
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '+' || *c == '_')
                    .collect();
                html.push_str(&format!(
                    "<pre class=\"code\" tabindex=\"0\"><code class=\"language-{lang_class}\">"
                ));
                let syntaxes = self.syntaxes();
                let syntax = syntaxes
                    .find_syntax_by_token(lang)
                    .or_else(|| syntaxes.find_syntax_by_extension(lang));
                let long_line = || {
                    code.split('\n')
                        .enumerate()
                        .find(|(_, line)| line.len() > HIGHLIGHT_LINE_BYTES)
                };
                let highlighted = if let Some(syntax) = syntax {
                    if let Some((number, line)) = long_line() {
                        plain_because = Some(format!(
                            "this code block is not highlighted: its line {} is {} KiB long (highlighting stops at {} KiB per line)",
                            number + 1,
                            line.len().div_ceil(1024),
                            HIGHLIGHT_LINE_BYTES / 1024
                        ));
                        None
                    } else if budget.spent {
                        None
                    } else if code.len() > budget.left {
                        // Said once, at the first block left plain.
                        budget.spent = true;
                        plain_because = Some(format!(
                            "this and later code blocks of the page are not highlighted: a page's code is highlighted up to {} KiB in all, and this block ({} KiB) is past it",
                            budget.limit / 1024,
                            code.len().div_ceil(1024)
                        ));
                        None
                    } else {
                        budget.left -= code.len();
                        highlighted(syntaxes, syntax, code)
                    }
                } else {
                    None
                };
                match highlighted {
                    Some(inner) => html.push_str(&inner),
                    None => html.push_str(&escape_html(code)),
                }
            }
            None => {
                html.push_str("<pre class=\"code\" tabindex=\"0\"><code>");
                html.push_str(&escape_html(code));
            }
        }
        html.push_str("</code></pre>\n");
        (html, plain_because)
    }
}

/// `code` highlighted as `syntax`, or `None` if syntect fails on it.
fn highlighted(syntaxes: &SyntaxSet, syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_not_styles() {
        let html = Highlighter::new().block(Some("rust"), "fn main() {}\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert!(
            html.starts_with("<pre class=\"code\" tabindex=\"0\"><code class=\"language-rust\">")
        );
    }

    #[test]
    fn unknown_language_is_escaped() {
        let html = Highlighter::new().block(Some("nosuchlang"), "<b>\n");
        assert!(html.contains("&lt;b&gt;"));
    }

    #[test]
    fn code_past_the_page_budget_or_with_a_long_line_stays_plain() {
        let highlighter = Highlighter::new();
        let mut budget = CodeBudget::default();
        let block = "let x = 1;\n".repeat(PAGE_HIGHLIGHT_BYTES / 11 / 2 + 1);
        let (html, why) = highlighter.block_within(Some("rust"), &block, &mut budget);
        assert!(html.contains("class=\"hl-"));
        assert_eq!(why, None);
        let (html, why) = highlighter.block_within(Some("rust"), &block, &mut budget);
        assert!(!html.contains("class=\"hl-"));
        assert!(html.contains("let x = 1;"));
        let why = why.expect("a reason");
        assert!(why.starts_with("this and later code blocks of the page are not highlighted: a page's code is highlighted up to 256 KiB"), "{why}");
        // Later blocks, however small, stay plain and are not reported again.
        let (html, why) = highlighter.block_within(Some("rust"), "fn a() {}\n", &mut budget);
        assert!(!html.contains("class=\"hl-"));
        assert_eq!(why, None);

        let mut budget = CodeBudget::default();
        let long = format!("a\n{}\n", "x".repeat(HIGHLIGHT_LINE_BYTES + 1));
        let (html, why) = highlighter.block_within(Some("js"), &long, &mut budget);
        assert!(!html.contains("class=\"hl-"));
        assert_eq!(
            why.as_deref(),
            Some(
                "this code block is not highlighted: its line 2 is 11 KiB long (highlighting stops at 10 KiB per line)"
            )
        );
        // An unknown language is never highlighted, so never reported.
        let (_, why) = highlighter.block_within(Some("nosuchlang"), &long, &mut budget);
        assert_eq!(why, None);
    }
}
