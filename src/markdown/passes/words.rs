//! Word count, for reading time: the words of the page's prose (text,
//! inline code, alt text), not of code blocks, raw HTML or shortcodes.

use pulldown_cmark::Event;

use super::Events;
use crate::markdown::RenderedMarkdown;

/// Counts the words of every text and inline code event.
pub(crate) fn run(events: &Events<'_>, facts: &mut RenderedMarkdown) {
    for (event, _) in events {
        if let Event::Text(text) | Event::Code(text) = event {
            facts.word_count += count_words(text);
        }
    }
}

/// The number of words in `text`, as `text.split_whitespace().count()`
/// would count them, without decoding every character: only the four
/// lead bytes that can begin a non-ASCII whitespace character (U+0085,
/// U+00A0, U+1680, U+2000–U+205F, U+3000) are decoded. Word counting ran
/// over every text of every page and was 2 % of a build.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            b @ 0..0x80 => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            },
            // Any other byte is inside a character that is no whitespace.
            _ => (false, 1),
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
        i += len;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Highlighter;
    use crate::markdown::passes::code;
    use crate::markdown::passes::test_support::{events, file};

    #[test]
    fn prose_counts_and_code_blocks_and_html_do_not() {
        let text = "# Zwei Wörter\n\nDrei `inline code` Wörter ![Alt Text](a.png)\n\n\
                    <div>no words here</div>\n\n```\nnot counted either\n```\n";
        let mut events = events(text);
        let mut facts = RenderedMarkdown::default();
        // As in a page: code blocks are HTML by now.
        code::run(&mut events, &file(text), &Highlighter::new(), &mut facts);
        run(&events, &mut facts);
        assert_eq!(facts.word_count, 2 + 6);
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        // Every whitespace character, neighbours of the decoded lead bytes
        // (U+0080, U+1681, U+200B, U+3001, "ä", "€") and plain letters.
        let alphabet: Vec<char> = "\t\n\u{b}\u{c}\r \u{85}\u{a0}\u{1680}\u{2000}\u{2005}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{80}\u{1681}\u{200b}\u{3001}ä€a-😀"
            .chars()
            .collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            for k in 0..(state % 12) {
                let pick = (state >> (k * 5 % 59)) as usize % alphabet.len();
                text.push(alphabet[pick]);
            }
            assert_eq!(
                count_words(&text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        assert_eq!(
            count_words("Größe\u{a0}der  Fläche\u{3000}und\u{2009}mehr"),
            5
        );
        assert_eq!(count_words(""), 0);
    }
}
