//! Code blocks: each block's events become one `Html` event, the block
//! highlighted by the [`Highlighter`] with CSS classes. The page's blocks
//! share one [`CodeBudget`]; a block past it, or with a very long line,
//! is shown plain, with a warning that says why.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::Events;
use crate::diagnostics::{Severity, SourceFile};
use crate::markdown::RenderedMarkdown;
use crate::markdown::highlight::{CodeBudget, Highlighter};

/// Replaces each code block by its highlighted HTML, in place.
pub(crate) fn run(
    events: &mut Events<'_>,
    file: &SourceFile,
    highlighter: &Highlighter,
    facts: &mut RenderedMarkdown,
) {
    let starts_block = |event: &Event<'_>| matches!(event, Event::Start(Tag::CodeBlock(_)));
    let Some(first) = events.iter().position(|(event, _)| starts_block(event)) else {
        return;
    };
    let mut budget = CodeBudget::default();
    // Events before `write` are final; `read` is the next one to look at.
    let (mut write, mut read) = (first, first);
    while read < events.len() {
        let Event::Start(Tag::CodeBlock(kind)) = &events[read].0 else {
            events.swap(write, read);
            (write, read) = (write + 1, read + 1);
            continue;
        };
        // The language is the info string's first word (```rust,ignore).
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().map(str::to_string),
            CodeBlockKind::Indented => None,
        };
        let start = events[read].1.start;
        let mut code = String::new();
        read += 1;
        while let Some((event, range)) = events.get(read) {
            read += 1;
            match event {
                Event::Text(text) => code.push_str(text),
                Event::End(TagEnd::CodeBlock) => {
                    let range = range.clone();
                    let (html, plain_because) =
                        highlighter.block_within(lang.as_deref(), &code, &mut budget);
                    if let Some(why) = plain_because {
                        facts.diagnostics.push(
                            file.diagnostic(Severity::Warning, start..start + 1, why)
                                .with_help("the code is shown, only without colours; split long code into pages of its own, or link to it as a file")
                                .with_kind("code"),
                        );
                    }
                    events[write] = (Event::Html(CowStr::from(html)), range);
                    write += 1;
                    break;
                }
                _ => {}
            }
        }
    }
    events.truncate(write);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::highlight::HIGHLIGHT_LINE_BYTES;
    use crate::markdown::passes::test_support::{events, file, html};

    fn code(text: &str) -> (String, RenderedMarkdown) {
        let mut facts = RenderedMarkdown::default();
        let mut events = events(text);
        run(&mut events, &file(text), &Highlighter::new(), &mut facts);
        (html(events), facts)
    }

    #[test]
    fn blocks_become_one_html_event_and_the_rest_stays() {
        let (html, facts) = code(
            "Text `x < y`\n\n```\n<b> & 'q'\n```\n\n    indented\n\n```nosuchlang {.x}\na\n```\n",
        );
        assert_eq!(
            html,
            "<p>Text <code>x &lt; y</code></p>\n\
             <pre class=\"code\" tabindex=\"0\"><code>&lt;b&gt; &amp; &#39;q&#39;\n</code></pre>\n\
             <pre class=\"code\" tabindex=\"0\"><code>indented\n</code></pre>\n\
             <pre class=\"code\" tabindex=\"0\"><code class=\"language-nosuchlang\">a\n</code></pre>\n"
        );
        assert!(facts.diagnostics.is_empty());
    }

    #[test]
    fn known_languages_are_highlighted_with_classes() {
        let (html, _) = code("```rust,ignore\nlet x = 1;\n```\n");
        assert_eq!(
            html,
            "<pre class=\"code\" tabindex=\"0\"><code class=\"language-rust\">\
             <span class=\"hl-source hl-rust\"><span class=\"hl-storage hl-type hl-rust\">let</span> \
             x <span class=\"hl-keyword hl-operator hl-rust\">=</span> \
             <span class=\"hl-constant hl-numeric hl-integer hl-decimal hl-rust\">1</span>\
             <span class=\"hl-punctuation hl-terminator hl-rust\">;</span>\n</span></code></pre>\n"
        );
    }

    #[test]
    fn a_block_left_plain_is_a_warning_at_its_fence() {
        let text = format!(
            "Intro\n\n```js\n{}\n```\n",
            "x".repeat(HIGHLIGHT_LINE_BYTES + 1)
        );
        let (html, facts) = code(&text);
        assert!(html.starts_with(
            "<p>Intro</p>\n<pre class=\"code\" tabindex=\"0\"><code class=\"language-js\">xxx"
        ));
        let d = &facts.diagnostics[0];
        assert_eq!(facts.diagnostics.len(), 1);
        assert_eq!(
            (d.severity, d.line, d.col, d.kind),
            (Severity::Warning, Some(3), Some(1), "code")
        );
        assert_eq!(
            d.message,
            "this code block is not highlighted: its line 1 is 11 KiB long (highlighting stops at 10 KiB per line)"
        );
    }
}
