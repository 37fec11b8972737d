//! Code highlighting with syntect, as HTML with CSS classes (`hl-…`); the
//! theme ships the stylesheet, so pages carry no inline styles. The syntax
//! set is loaded once, on first use, by the [`Highlighter`] that the site owns.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape_html;

/// The CSS class prefix of highlighted tokens.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let mut html = String::with_capacity(code.len() * 2);
        match lang {
            Some(lang) => {
                let lang_class: String = lang
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '+' || *c == '_')
                    .collect();
                html.push_str(&format!(
                    "<pre class=\"code\" tabindex=\"0\"><code class=\"language-{lang_class}\">"
                ));
                match self.highlighted(lang, code) {
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
        html
    }

    fn highlighted(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes();
        let syntax = syntaxes
            .find_syntax_by_token(lang)
            .or_else(|| syntaxes.find_syntax_by_extension(lang))?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
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
}
