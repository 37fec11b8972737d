//! Markdown to HTML: shortcodes substituted, events collected, small
//! passes over the events, then HTML. Rendering returns facts
//! ([`RenderedMarkdown`]: html, toc, anchors, links, …) so `check` and
//! incremental rebuilds need not re-parse HTML.
//!
//! The steps of [`render`], in order:
//! 1. `placeholders`: shortcode calls (never in code) are checked,
//!    rendered by the [`ShortcodeHost`] and replaced by placeholders of
//!    the same length;
//! 2. events collected from pulldown-cmark, each with its range in the
//!    file, up to [`MAX_BLOCK_NESTING`];
//! 3. the passes (`passes/`), each a `run` over the events and the facts:
//!    1. `code`: code blocks highlighted with CSS classes ([`highlight`]);
//!    2. `text_alternatives`: images without alt text, links without text;
//!    3. `shortcodes`: placeholders become the shortcodes' HTML in text,
//!       raw HTML and inline HTML; one in a link target or a heading
//!       attribute is an error;
//!    4. `placement`: a shortcode alone in its paragraph, or block output
//!       in a sentence, stands as a block;
//!    5. `links`: `@/path.md#anchor` resolved to the page's language
//!       ([`links`]), site paths given the base path;
//!    6. `headings`: stable, unique heading ids, anchors and the toc;
//!    7. `accessible_names`: table regions and task boxes named;
//!    8. `words`: words counted for reading time;
//! 4. HTML written, and the scripts in it found ([`scripts`]) and located
//!    in the file.

pub(crate) mod highlight;
pub mod links;
mod passes;
mod placeholders;
pub(crate) mod scripts;
pub mod shortcodes;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, SourceFile};
pub use highlight::Highlighter;
pub use links::{InternalLink, LinkResolver};
use passes::Events;
use shortcodes::{ShortcodeCall, Signature};

/// Markdown extensions drehbuch enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders shortcodes for the Markdown pass; implemented by the site, which
/// knows the built-in charts and the site's own shortcode templates.
pub trait ShortcodeHost: Sync {
    /// The signature of a shortcode, or `None` if there is no such shortcode.
    fn signature(&self, name: &str) -> Option<Signature>;
    /// All shortcode names, for did-you-mean suggestions.
    fn names(&self) -> Vec<String>;
    /// Renders a checked call for a page in `lang`; `Err` is a message for
    /// the user (unknown sensor, missing data file, …).
    fn render(&self, call: &ShortcodeCall, lang: &str, call_index: usize)
    -> Result<String, String>;
}

/// One heading of the page, for the table of contents.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// 1–6.
    pub level: u8,
    /// The heading's id (anchor).
    pub id: String,
    /// Its plain text.
    pub title: String,
    /// Headings one level below, up to the next heading of this level.
    pub children: Vec<TocEntry>,
}

/// Everything rendering learned about a page.
#[derive(Clone, Debug, Default)]
pub struct RenderedMarkdown {
    /// The HTML body.
    pub html: String,
    /// Nested table of contents (top level = the shallowest headings used).
    pub toc: Vec<TocEntry>,
    /// All anchor ids the page defines (headings, footnotes).
    pub anchors: Vec<String>,
    /// `@/` links, for anchor checks after every page is rendered.
    pub internal_links: Vec<InternalLink>,
    /// Other link targets (`https://…`, relative paths).
    pub external_links: Vec<String>,
    /// Every `@/` key the page links, with what it resolved to
    /// ([`links::written_target`]), so a rebuild knows when to render the
    /// page again.
    pub link_targets: Vec<(String, String)>,
    /// Names of the shortcodes the page calls.
    pub shortcodes: Vec<String>,
    /// A hash of `html`, standing in for it where only changes matter.
    pub html_hash: String,
    /// Headings in order (level, id, text), for heading-level checks.
    pub headings: Vec<(u8, String, String, Range<usize>)>,
    /// Words of prose, for reading time.
    pub word_count: usize,
    /// Images whose alt text is empty (where they stand in the file).
    pub images_without_alt: Vec<Range<usize>>,
    /// Links without any text (where they stand in the file).
    pub empty_links: Vec<Range<usize>>,
    /// Scripts in the rendered body (see [`scripts`]), located in the
    /// file ([`SourceFile::locate`]) for the report after rendering.
    pub scripts: Vec<(Diagnostic, scripts::Script)>,
    /// Problems found while rendering.
    pub diagnostics: Vec<Diagnostic>,
}

/// What the Markdown pass needs from the rest of the site.
pub struct MarkdownEnv<'a> {
    /// Resolves `@/` links.
    pub links: &'a dyn LinkResolver,
    /// Renders shortcodes.
    pub shortcodes: &'a dyn ShortcodeHost,
    /// Highlights code.
    pub highlighter: &'a Highlighter,
    /// A UI string `(lang, key)` for accessible names the Markdown adds
    /// (`table.label`, `task.done`, `task.open`).
    pub ui_string: &'a (dyn Fn(&str, &str) -> String + Sync),
}

/// How deep lists and block quotes may nest in a page. pulldown-cmark has
/// no limit of its own: 500,000 nested list markers (`- - - …`, 1 MB)
/// became 11 MB of HTML and over 300 MB of memory.
pub const MAX_BLOCK_NESTING: usize = 100;

/// Ids the built-in theme gives its own elements (the skip link's target
/// `main`, the table of contents, the search field, …): a heading such as
/// `## Main` gets `main-1` instead. Listed in docs/themes.md.
pub const RESERVED_IDS: [&str; 11] = [
    "main",
    "top",
    "content",
    "toc-title",
    "facts-title",
    "contents-title",
    "home-sections-title",
    "print-contents",
    "card-filters",
    "search-q",
    "site-search-q",
];

/// Renders the body (`file.text[body]`) of a page published in `lang`.
pub fn render(
    file: &SourceFile,
    body: Range<usize>,
    lang: &str,
    env: &MarkdownEnv<'_>,
) -> RenderedMarkdown {
    let mut facts = RenderedMarkdown::default();
    let base = body.start;
    let substituted = placeholders::substitute(file, body, lang, env.shortcodes, &mut facts);
    let mut events = collect(file, base, &substituted.text, &mut facts);
    passes::code::run(&mut events, file, env.highlighter, &mut facts);
    passes::text_alternatives::run(&events, &mut facts);
    passes::shortcodes::run(&mut events, &substituted.expansions, file, &mut facts);
    passes::placement::run(&mut events);
    passes::links::run(&mut events, file, lang, env.links, &mut facts);
    passes::headings::run(&mut events, file, lang, &mut facts);
    passes::accessible_names::run(&mut events, lang, env.ui_string);
    passes::words::run(&events, &mut facts);
    let (html, origins) = scripts::render_html(file, events, substituted.text.len() * 3 / 2);
    // Scripts, judged in what the page will carry.
    facts.scripts = scripts::find_in_body(&html)
        .into_iter()
        .map(|script| (origins.locate(file, script.offset, script.width()), script))
        .collect();
    facts.html_hash = hash_text(&html);
    facts.html = html;
    facts
}

/// The events of a substituted body (`text`, which starts at `base` in
/// `file`), each with its range in the file. Stops with an error where
/// lists and block quotes nest deeper than [`MAX_BLOCK_NESTING`]: each
/// level costs events, HTML and its copies in print and search, and no
/// reader can follow a hundred levels of indentation.
fn collect<'t>(
    file: &SourceFile,
    base: usize,
    text: &'t str,
    facts: &mut RenderedMarkdown,
) -> Events<'t> {
    let mut events = Vec::new();
    let mut nesting = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let range = base + range.start..base + range.end;
        match &event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => nesting += 1,
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                nesting = nesting.saturating_sub(1)
            }
            _ => {}
        }
        if nesting > MAX_BLOCK_NESTING {
            facts.diagnostics.push(
                file.error(range.start..range.start + 1, format!("lists and block quotes are nested more than {MAX_BLOCK_NESTING} deep here"))
                    .with_help("nest less deeply; to show the characters `-`, `*`, `+` or `>` at the start of a line, escape them with `\\`")
                    .with_kind("content"),
            );
            break;
        }
        events.push((event, range));
    }
    events
}

/// A short hex hash of a text, for change detection.
pub fn hash_text(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use passes::test_support::{Links, Shortcodes};

    fn render_text(text: &str) -> RenderedMarkdown {
        let file = SourceFile::new("p.md".into(), text.into());
        let env = MarkdownEnv {
            links: &Links,
            shortcodes: &Shortcodes,
            highlighter: &Highlighter::new(),
            ui_string: &|_, key| key.to_string(),
        };
        render(&file, 0..text.len(), "de", &env)
    }

    #[test]
    fn a_page_goes_through_every_pass() {
        let r = render_text(
            "## Hitze {{ year() }}\n\nSiehe [Karte](@/cards/heat.md#steps).\n\n\
             {{ box() }}\n\n<div>\n{{ box() }}\n</div>\n\n\
             |a|\n|-|\n|1|\n\n- [x] fertig\n\n```\n<code>\n```\n",
        );
        assert_eq!(
            r.html,
            "<h2 id=\"hitze\">Hitze 2024</h2>\n\
             <p>Siehe <a href=\"/de/cards/heat/#steps\">Karte</a>.</p>\n\
             <aside lang=\"de\">box</aside><div>\n<aside lang=\"de\">box</aside>\n</div>\n\
             <div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"table.label\">\
             <table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td>1</td></tr>\n</tbody></table>\n</div>\n\
             <ul>\n<li><input type=\"checkbox\" disabled checked aria-label=\"task.done\"> fertig</li>\n</ul>\n\
             <pre class=\"code\" tabindex=\"0\"><code>&lt;code&gt;\n</code></pre>\n"
        );
        assert_eq!(r.anchors, ["hitze"]);
        assert_eq!(r.shortcodes, ["year", "box"]);
        assert_eq!(r.word_count, 1 + 3 + 1 + 1 + 1);
        assert_eq!(r.internal_links.len(), 1);
        assert_eq!(r.html_hash, hash_text(&r.html));
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(r.scripts.is_empty());
    }

    /// The bug: a shortcode inside an HTML block stayed literal
    /// `{{ box() }}` in the page, silently.
    #[test]
    fn a_shortcode_in_an_html_block_is_expanded() {
        let r = render_text("<details>\n<summary>Mehr</summary>\n{{ box() }}\n</details>\n");
        assert_eq!(
            r.html,
            "<details>\n<summary>Mehr</summary>\n<aside lang=\"de\">box</aside>\n</details>\n"
        );
        assert_eq!(r.shortcodes, ["box"]);
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn a_shortcode_where_none_can_stand_is_an_error_with_help() {
        let r = render_text("Text\n\n[a]({{year()}})\n\n# T {#{{year()}}}\n\n`{{ year() }}`\n");
        assert_eq!(
            r.html,
            "<p>Text</p>\n<p><a href=\"#\">a</a></p>\n<h1 id=\"t\">T</h1>\n<p><code>{{ year() }}</code></p>\n"
        );
        let shown: Vec<String> = r.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "p.md:3:5: error: a shortcode cannot stand in a link target\n  |\n3 | [a]({{year()}})\n  |     ^^^^^^^^^^\n  = help: a shortcode's output is HTML, not an address: write the target out (`[text](https://…)`, `[text](@/cards/page.md)`); a shortcode may stand in the link text\n",
                "p.md:5:7: error: a shortcode cannot stand in a heading's `{#id .class key=value}`\n  |\n5 | # T {#{{year()}}}\n  |       ^^^^^^^^^^\n  = help: write the id, classes and attributes out; a shortcode may stand in the heading's text\n",
            ]
        );
    }

    #[test]
    fn nesting_past_the_limit_stops_the_page_with_an_error() {
        let text = format!("Vorher\n\n{}x\n", "> ".repeat(MAX_BLOCK_NESTING + 1));
        let r = render_text(&text);
        assert_eq!(
            r.html,
            format!(
                "<p>Vorher</p>\n{}",
                "<blockquote>\n".repeat(MAX_BLOCK_NESTING)
            )
        );
        let d = &r.diagnostics[0];
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!((d.line, d.col), (Some(3), Some(1 + 2 * MAX_BLOCK_NESTING)));
        assert_eq!(
            d.message,
            "lists and block quotes are nested more than 100 deep here"
        );
    }

    #[test]
    fn scripts_are_found_where_they_stand_in_the_file() {
        let r = render_text("Text\n\n<p onclick=\"x()\">{{ box() }}</p>\n");
        let found: Vec<(Option<usize>, Option<usize>, &str)> = r
            .scripts
            .iter()
            .map(|(at, script)| (at.line, at.col, script.name.as_str()))
            .collect();
        assert_eq!(found, [(Some(3), Some(4), "onclick")]);
    }
}
