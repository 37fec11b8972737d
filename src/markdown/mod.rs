//! Markdown to HTML, as small passes over pulldown-cmark's event stream.
//! Rendering returns facts ([`RenderedMarkdown`]: html, toc, anchors, links)
//! so `check` and incremental rebuilds need not re-parse HTML.
//!
//! Passes, in order:
//! 1. code ranges: where code spans and blocks are, so shortcodes skip them;
//! 2. [`shortcodes`]: `{{ name(args) }}` calls are checked, rendered by the
//!    [`ShortcodeHost`] and replaced by same-length placeholders;
//! 3. headings: stable ids (explicit `{#id}` or slugified text) and the toc;
//! 4. [`links`]: `@/path.md#anchor` links resolved to the page's language;
//! 5. [`highlight`]: fenced code highlighted with CSS classes;
//! 6. HTML output, then placeholders swapped for shortcode HTML.

pub mod highlight;
pub mod links;
pub mod scripts;
pub mod shortcodes;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Severity, SourceFile, did_you_mean, first_of_many};
use crate::text::{escape_html, slugify};
pub use highlight::Highlighter;
pub use links::{InternalLink, LinkResolver};
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

const PLACEHOLDER_PREFIX: &str = "xdbsc";

/// How deep lists and block quotes may nest in a page. pulldown-cmark has
/// no limit of its own: 500,000 nested list markers (`- - - …`, 1 MB)
/// became 11 MB of HTML and over 300 MB of memory.
pub const MAX_BLOCK_NESTING: usize = 100;

/// Renders the body (`file.text[body]`) of a page published in `lang`.
pub fn render(
    file: &SourceFile,
    body: Range<usize>,
    lang: &str,
    env: &MarkdownEnv<'_>,
) -> RenderedMarkdown {
    let base = body.start;
    let text = &file.text[body];
    let mut out = RenderedMarkdown::default();

    // 1. Code ranges.
    let code = code_ranges(text);

    // 2. Shortcodes.
    let (calls, syntax_errors) = shortcodes::find_calls(text, &code);
    // What a rebuild needs to know to render the page again when a
    // shortcode's template, data or counted pages change.
    for call in &calls {
        if !out.shortcodes.contains(&call.name) {
            out.shortcodes.push(call.name.clone());
        }
    }
    // A stray `{{` every three bytes must not cost a diagnostic each.
    out.diagnostics.extend(first_of_many(syntax_errors, |error| {
        file.error(base + error.offset..base + error.offset + 1, format!("malformed shortcode: {}", error.message))
            .with_help("write shortcodes as {{ name(arg=value, …) }}; to show braces literally, put them in `code`")
    }));
    let mut substituted = String::with_capacity(text.len());
    let replacements = {
        let mut replacements: Vec<(String, String)> = Vec::new();
        let mut shortcode_ids: HashSet<String> = HashSet::new();
        let mut shortcode_suffixes: HashMap<String, usize> = HashMap::new();
        let mut last = 0;
        for (index, call) in calls.iter().enumerate() {
            let span = base + call.span.start..base + call.span.end;
            let html = match env.shortcodes.signature(&call.name) {
                None => {
                    let names = env.shortcodes.names();
                    let mut d =
                        file.error(span.clone(), format!("unknown shortcode `{}`", call.name));
                    d = match did_you_mean(&call.name, names.iter().map(String::as_str)) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(format!(
                        "available shortcodes: {}; a site adds its own as templates/shortcodes/NAME.html",
                        names.join(", ")
                    )),
                };
                    out.diagnostics.push(d);
                    String::new()
                }
                Some(signature) => {
                    let problems = call.check(&signature);
                    // What the shortcode takes, for the help line.
                    let takes = if signature.args.is_empty() {
                        format!("`{}` takes no arguments", call.name)
                    } else {
                        format!(
                            "`{}` takes {}",
                            call.name,
                            signature
                                .args
                                .iter()
                                .map(|a| format!(
                                    "{}{}",
                                    a.name,
                                    if a.required { "" } else { " (optional)" }
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    if problems.is_empty() {
                        match env.shortcodes.render(call, lang, index) {
                            Ok(html) => html,
                            Err(message) => {
                                out.diagnostics
                                    .push(file.error(span.clone(), message).with_help(takes));
                                String::new()
                            }
                        }
                    } else {
                        for problem in problems {
                            out.diagnostics
                                .push(file.error(span.clone(), problem).with_help(takes.clone()));
                        }
                        String::new()
                    }
                }
            };
            // The same chart twice on a page: later copies get their ids (and
            // every reference to them) suffixed, so ids stay unique.
            let html = distinct_ids(html, &mut shortcode_ids, &mut shortcode_suffixes);
            substituted.push_str(&text[last..call.span.start]);
            let mut placeholder = format!("{PLACEHOLDER_PREFIX}{index}q");
            let original_len = call.span.len();
            while placeholder.len() < original_len {
                placeholder.push('q');
            }
            substituted.push_str(&placeholder);
            replacements.push((placeholder, html));
            last = call.span.end;
        }
        substituted.push_str(&text[last..]);
        replacements
    };
    for d in &mut out.diagnostics {
        d.kind = "shortcode";
    }

    // 3–5. Event passes. Each event keeps its range in the file, so the
    // script check can point into the file.
    let mut events: Vec<(Event<'_>, Range<usize>)> = Vec::new();
    let mut heading: Option<HeadingBuffer<'_>> = None;
    // The open code block: its language, its text so far, where it starts.
    let mut code_block: Option<(Option<String>, String, usize)> = None;
    let mut code_budget = highlight::CodeBudget::default();
    // Heading ids must not take an id the theme gives its own elements,
    // nor a footnote's (pulldown-cmark names a footnote by its label).
    let mut used_ids = HeadingIds::default();
    for id in RESERVED_IDS.iter().map(|id| id.to_string()) {
        used_ids.take(id);
    }
    for label in footnote_labels(&substituted) {
        used_ids.take(label);
    }
    let mut flat_toc: Vec<TocEntry> = Vec::new();
    // Alt text of the open image, and whether the open link has text.
    let mut open_image: Option<(Range<usize>, String)> = None;
    let mut open_link: Option<(Range<usize>, bool)> = None;
    // How many lists and block quotes are open.
    let mut nesting = 0usize;

    for (event, range) in Parser::new_ext(&substituted, options()).into_offset_iter() {
        let range = base + range.start..base + range.end;
        match &event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => nesting += 1,
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                nesting = nesting.saturating_sub(1)
            }
            _ => {}
        }
        if nesting > MAX_BLOCK_NESTING {
            // Refused, and nothing more is rendered: each level costs
            // events, HTML and its copies in print and search, and no
            // reader can follow a hundred levels of indentation.
            out.diagnostics.push(
                file.error(range.start..range.start + 1, format!("lists and block quotes are nested more than {MAX_BLOCK_NESTING} deep here"))
                    .with_help("nest less deeply; to show the characters `-`, `*`, `+` or `>` at the start of a line, escape them with `\\`")
                    .with_kind("content"),
            );
            break;
        }
        if let Some((_, buffer, _)) = &mut code_block {
            match event {
                Event::Text(t) => buffer.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang_tag, buffer, start) = code_block.take().unwrap_or_default();
                    let (html, plain_because) = env.highlighter.block_within(
                        lang_tag.as_deref(),
                        &buffer,
                        &mut code_budget,
                    );
                    if let Some(why) = plain_because {
                        out.diagnostics.push(
                            file.diagnostic(Severity::Warning, start..start + 1, why)
                                .with_help("the code is shown, only without colours; split long code into pages of its own, or link to it as a file")
                                .with_kind("code"),
                        );
                    }
                    events.push((Event::Html(CowStr::from(html)), range));
                }
                _ => {}
            }
            continue;
        }
        track_text_alternatives(&event, &range, &mut open_image, &mut open_link, &mut out);
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang_tag = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                code_block = Some((lang_tag, String::new(), range.start));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(HeadingBuffer {
                    level: level as u8,
                    heading_level: level,
                    explicit_id: id.map(|i| i.to_string()),
                    classes,
                    attrs,
                    inner: Vec::new(),
                    text: String::new(),
                    range,
                });
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(h) = heading.take() {
                    let level_tag = h.heading_level;
                    let id = match &h.explicit_id {
                        Some(id) => {
                            if RESERVED_IDS.contains(&id.as_str()) {
                                out.diagnostics.push(
                                    file.error(
                                        h.range.clone(),
                                        format!("the anchor id `{id}` is taken by the theme's page layout"),
                                    )
                                    .with_help("choose another `{#id}` for this heading"),
                                );
                            } else if !used_ids.take(id.clone()) {
                                out.diagnostics.push(
                                    file.error(
                                        h.range.clone(),
                                        format!("the anchor id `{id}` is used twice on this page"),
                                    )
                                    .with_help("give each heading its own `{#id}`"),
                                );
                            }
                            id.clone()
                        }
                        None => used_ids.unique(&slugify(&h.text)),
                    };
                    out.headings.push((
                        h.level,
                        id.clone(),
                        h.text.trim().to_string(),
                        h.range.clone(),
                    ));
                    flat_toc.push(TocEntry {
                        level: h.level,
                        id: id.clone(),
                        title: h.text.trim().to_string(),
                        children: Vec::new(),
                    });
                    out.anchors.push(id.clone());
                    events.push((
                        Event::Start(Tag::Heading {
                            level: level_tag,
                            id: Some(CowStr::from(id)),
                            classes: h.classes,
                            attrs: h.attrs,
                        }),
                        h.range.clone(),
                    ));
                    events.extend(h.inner);
                    events.push((Event::End(TagEnd::Heading(level)), h.range));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                push(&mut heading, &mut events, event, range);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = links::rewrite(file, &range, &dest_url, lang, env.links, &mut out);
                push(
                    &mut heading,
                    &mut events,
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(dest),
                        title,
                        id,
                    }),
                    range,
                );
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = links::rewrite_image(&dest_url, env.links);
                push(
                    &mut heading,
                    &mut events,
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(dest),
                        title,
                        id,
                    }),
                    range,
                );
            }
            // Wide tables scroll in a focusable region, so keyboard users can
            // scroll them too (WCAG 2.1.1).
            Event::Start(Tag::Table(alignments)) => {
                let label = escape_html(&(env.ui_string)(lang, "table.label"));
                events.push((Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">"
                ))), range.clone()));
                events.push((Event::Start(Tag::Table(alignments)), range));
            }
            Event::End(TagEnd::Table) => {
                events.push((Event::End(TagEnd::Table), range.clone()));
                events.push((Event::Html(CowStr::from("</div>\n")), range));
            }
            // Task list boxes get an accessible name (WCAG 4.1.2).
            Event::TaskListMarker(done) => {
                let key = if done { "task.done" } else { "task.open" };
                let label = escape_html(&(env.ui_string)(lang, key));
                let checked = if done { " checked" } else { "" };
                push(
                    &mut heading,
                    &mut events,
                    Event::Html(CowStr::from(format!(
                        "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
                    ))),
                    range,
                );
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.anchors.push(label.to_string());
                events.push((Event::Start(Tag::FootnoteDefinition(label)), range));
            }
            Event::Text(t) if !replacements.is_empty() && t.contains(PLACEHOLDER_PREFIX) => {
                for piece in split_placeholders(&t, &replacements) {
                    match piece {
                        Piece::Text(text) => {
                            out.word_count += count_words(text);
                            if let Some(h) = &mut heading {
                                h.text.push_str(text);
                            }
                            push(
                                &mut heading,
                                &mut events,
                                Event::Text(CowStr::from(text.to_string())),
                                range.clone(),
                            );
                        }
                        Piece::Shortcode(index) => {
                            // Marked with a leading NUL (which content cannot
                            // contain) until the block pass below.
                            let html = format!("{SHORTCODE_MARK}{}", replacements[index].1);
                            let call = &calls[index].span;
                            push(
                                &mut heading,
                                &mut events,
                                Event::InlineHtml(CowStr::from(html)),
                                base + call.start..base + call.end,
                            );
                        }
                    }
                }
            }
            Event::Text(t) => {
                out.word_count += count_words(&t);
                if let Some(h) = &mut heading {
                    h.text.push_str(&t);
                }
                push(&mut heading, &mut events, Event::Text(t), range);
            }
            Event::Code(t) => {
                out.word_count += count_words(&t);
                if let Some(h) = &mut heading {
                    h.text.push_str(&t);
                }
                push(&mut heading, &mut events, Event::Code(t), range);
            }
            other => push(&mut heading, &mut events, other, range),
        }
    }

    // 6. A shortcode alone in its paragraph is a block: drop the paragraph,
    // so block HTML stays valid.
    let events = place_shortcodes(events);
    let (html, origins) = scripts::render_html(file, events, substituted.len() * 3 / 2);
    // 7. Scripts, judged in what the page will carry.
    out.scripts = scripts::find_in_body(&html)
        .into_iter()
        .map(|script| {
            let at = origins.locate(file, script.offset, script.width());
            (at, script)
        })
        .collect();
    out.html_hash = hash_text(&html);
    out.html = html;
    out.toc = nest_toc(flat_toc);
    out
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

/// A short hex hash of a text, for change detection.
pub fn hash_text(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Renames the ids of one shortcode's output that an earlier shortcode of
/// the page already used (`x` → `x-2`), and records the ids it uses.
/// `next` remembers, per set of ids, the first suffix not yet tried, so n
/// copies of one chart cost O(n), not O(n²).
fn distinct_ids(
    html: String,
    used: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
) -> String {
    let ids: Vec<String> = crate::html::ids(&html)
        .into_iter()
        .map(str::to_string)
        .collect();
    if ids.iter().all(|id| !used.contains(id)) {
        used.extend(ids);
        return html;
    }
    let n = next.entry(ids.join(" ")).or_insert(2);
    while ids.iter().any(|id| used.contains(&format!("{id}-{n}"))) {
        *n += 1;
    }
    let n = std::mem::replace(n, *n + 1);
    let renamed = crate::html::rename_ids(&html, &|id| {
        ids.iter().any(|i| i == id).then(|| format!("{id}-{n}"))
    })
    .into_owned();
    used.extend(ids.iter().map(|id| format!("{id}-{n}")));
    renamed
}

/// A piece of a text event: plain text or a shortcode's placeholder.
enum Piece<'a> {
    Text(&'a str),
    Shortcode(usize),
}

/// Splits `text` at the placeholders of `replacements` (by their index).
fn split_placeholders<'a>(text: &'a str, replacements: &[(String, String)]) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(PLACEHOLDER_PREFIX) {
        // The number after the prefix names the replacement (looking each
        // one up would cost O(n²) on a page with n shortcodes).
        let digits = &rest[at + PLACEHOLDER_PREFIX.len()..];
        let digits = &digits[..digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len())];
        let found = digits
            .parse::<usize>()
            .ok()
            .and_then(|index| Some((index, replacements.get(index)?)))
            .filter(|(_, (placeholder, _))| rest[at..].starts_with(placeholder.as_str()));
        let Some((index, (placeholder, _))) = found else {
            // Not one of ours (an editor wrote the prefix): keep it as text.
            let end = at + PLACEHOLDER_PREFIX.len();
            pieces.push(Piece::Text(&rest[..end]));
            rest = &rest[end..];
            continue;
        };
        if at > 0 {
            pieces.push(Piece::Text(&rest[..at]));
        }
        pieces.push(Piece::Shortcode(index));
        rest = &rest[at + placeholder.len()..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// Marks shortcode output among inline HTML events until
/// [`place_shortcodes`] runs.
const SHORTCODE_MARK: char = '\0';

/// Places shortcode output: a paragraph holding nothing but one shortcode
/// becomes that shortcode's HTML as a block (a chart or aside is not
/// wrapped in `<p>`); elsewhere the output stays inline.
fn place_shortcodes(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    fn shortcode(event: &(Event<'_>, Range<usize>)) -> bool {
        matches!(&event.0, Event::InlineHtml(h) if h.starts_with(SHORTCODE_MARK))
    }
    fn unmark(html: CowStr<'_>) -> CowStr<'_> {
        CowStr::from(html.trim_start_matches(SHORTCODE_MARK).to_string())
    }
    let mut out: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(events.len());
    let mut i = 0;
    let mut events: Vec<Option<(Event<'_>, Range<usize>)>> = events.into_iter().map(Some).collect();
    // Open tags, innermost last: whether each is a paragraph.
    let mut open: Vec<bool> = Vec::new();
    while i < events.len() {
        let alone = matches!(events[i], Some((Event::Start(Tag::Paragraph), _)))
            && events
                .get(i + 1)
                .and_then(Option::as_ref)
                .is_some_and(shortcode)
            && matches!(
                events.get(i + 2),
                Some(Some((Event::End(TagEnd::Paragraph), _)))
            );
        if alone {
            if let Some((Event::InlineHtml(html), range)) = events[i + 1].take() {
                out.push((Event::Html(unmark(html)), range));
            }
            i += 3;
            continue;
        }
        match events[i].take() {
            Some((Event::InlineHtml(html), range)) if html.starts_with(SHORTCODE_MARK) => {
                let html = unmark(html);
                if is_block_html(&html) && open.last() == Some(&true) {
                    // Block output (an aside, a chart) inside a sentence:
                    // the paragraph is split around it, since a <p> cannot
                    // hold it.
                    if matches!(out.last(), Some((Event::Start(Tag::Paragraph), _))) {
                        out.pop();
                    } else {
                        out.push((Event::End(TagEnd::Paragraph), range.clone()));
                    }
                    out.push((Event::Html(html), range.clone()));
                    if matches!(
                        events.get(i + 1),
                        Some(Some((Event::End(TagEnd::Paragraph), _)))
                    ) {
                        events[i + 1] = None;
                        open.pop();
                    } else {
                        out.push((Event::Start(Tag::Paragraph), range));
                    }
                } else {
                    out.push((Event::InlineHtml(html), range));
                }
            }
            Some(event) => {
                match &event.0 {
                    Event::Start(tag) => open.push(matches!(tag, Tag::Paragraph)),
                    Event::End(_) => {
                        open.pop();
                    }
                    _ => {}
                }
                out.push(event);
            }
            None => {}
        }
        i += 1;
    }
    out
}

/// Whether shortcode output starts with an element a paragraph cannot
/// contain (`<aside>`, `<figure>`, `<div>`, a table, a list, …).
fn is_block_html(html: &str) -> bool {
    const BLOCKS: [&str; 26] = [
        "address",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ];
    let Some(rest) = html.trim_start().strip_prefix('<') else {
        return false;
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// Records images without alt text and links without text, for `check`.
fn track_text_alternatives(
    event: &Event<'_>,
    range: &Range<usize>,
    open_image: &mut Option<(Range<usize>, String)>,
    open_link: &mut Option<(Range<usize>, bool)>,
    out: &mut RenderedMarkdown,
) {
    match event {
        Event::Start(Tag::Image { .. }) => {
            *open_image = Some((range.clone(), String::new()));
            if let Some((_, has_text)) = open_link {
                *has_text = true;
            }
        }
        Event::End(TagEnd::Image) => {
            if let Some((r, alt)) = open_image.take()
                && alt.trim().is_empty()
            {
                out.images_without_alt.push(r);
            }
        }
        Event::Start(Tag::Link { .. }) => *open_link = Some((range.clone(), false)),
        Event::End(TagEnd::Link) => {
            if let Some((r, false)) = open_link.take() {
                out.empty_links.push(r);
            }
        }
        Event::Text(t) | Event::Code(t) => {
            if let Some((_, alt)) = open_image {
                alt.push_str(t);
            }
            if let Some((_, has_text)) = open_link
                && !t.trim().is_empty()
            {
                *has_text = true;
            }
        }
        _ => {}
    }
}

struct HeadingBuffer<'a> {
    level: u8,
    heading_level: pulldown_cmark::HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<(Event<'a>, Range<usize>)>,
    text: String,
    range: Range<usize>,
}

fn push<'a>(
    heading: &mut Option<HeadingBuffer<'a>>,
    events: &mut Vec<(Event<'a>, Range<usize>)>,
    event: Event<'a>,
    range: Range<usize>,
) {
    match heading {
        Some(h) => h.inner.push((event, range)),
        None => events.push((event, range)),
    }
}

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

/// The labels of footnote definitions (`[^label]: …` at the start of a
/// line, possibly indented) in `text`.
fn footnote_labels(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("[^")?;
            let end = rest.find("]:")?;
            Some(rest[..end].to_string())
        })
        .collect()
}

/// The ids a page's headings and footnotes have taken, and for each
/// readable id the next number to try when another heading wants it, so
/// that `n` headings with the same text cost O(n) tries, not O(n²).
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
    /// How many candidates were tried, for the test that keeps it linear.
    #[cfg(test)]
    tries: usize,
}

impl HeadingIds {
    /// Marks `id` as taken (an explicit `{#id}`, a footnote, the theme's);
    /// false if it already was.
    fn take(&mut self, id: String) -> bool {
        self.used.insert(id)
    }

    /// `base` if free, else the first free `base-N`. Numbers once taken
    /// stay taken (ids are never released), so the search for the next
    /// one resumes where the last one stopped.
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        #[cfg(test)]
        {
            self.tries += 1;
        }
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            #[cfg(test)]
            {
                self.tries += 1;
            }
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Byte ranges of code spans and code blocks in `text`.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    if !text.contains("{{") {
        return Vec::new();
    }
    let mut ranges = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Code(_)
            | Event::Start(Tag::CodeBlock(_))
            | Event::Html(_)
            | Event::InlineHtml(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    ranges
}

/// Nests a flat heading list: each heading owns the deeper ones after it.
fn nest_toc(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    fn take(
        level: u8,
        items: &mut std::iter::Peekable<std::vec::IntoIter<TocEntry>>,
    ) -> Vec<TocEntry> {
        let mut out: Vec<TocEntry> = Vec::new();
        while let Some(next) = items.peek() {
            if next.level < level {
                break;
            }
            let Some(mut entry) = items.next() else { break };
            entry.children = take(entry.level + 1, items);
            out.push(entry);
        }
        out
    }
    let top = flat.iter().map(|e| e.level).min().unwrap_or(1);
    take(top, &mut flat.into_iter().peekable())
}

#[cfg(test)]
mod tests {
    use super::*;
    use links::ResolvedLink;

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, key: &str, lang: &str) -> Option<ResolvedLink> {
            (key == "cards/heat.md").then(|| ResolvedLink {
                url: format!("/{lang}/cards/heat/"),
                group: "cards/heat.md".into(),
                lang: lang.into(),
            })
        }
        fn site_path(&self, path: &str) -> String {
            path.to_string()
        }
    }

    struct Shorts;
    impl ShortcodeHost for Shorts {
        fn signature(&self, name: &str) -> Option<Signature> {
            (name == "box").then(Signature::default)
        }
        fn names(&self) -> Vec<String> {
            vec!["box".into()]
        }
        fn render(&self, _: &ShortcodeCall, lang: &str, _: usize) -> Result<String, String> {
            Ok(format!("<aside lang=\"{lang}\">box</aside>"))
        }
    }

    fn render_text(text: &str) -> RenderedMarkdown {
        let file = SourceFile::new("p.md".into(), text.into());
        let env = MarkdownEnv {
            links: &NoLinks,
            shortcodes: &Shorts,
            highlighter: &Highlighter::new(),
            ui_string: &|_, key| key.to_string(),
        };
        render(&file, 0..text.len(), "de", &env)
    }

    #[test]
    fn heading_ids_avoid_the_themes_ids_and_footnotes() {
        let r = render_text("## Main\n\n## 1\n\nText.[^1]\n\n[^1]: Note.\n");
        assert!(r.html.contains("<h2 id=\"main-1\">Main</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"1-1\">1</h2>"), "{}", r.html);
        assert_eq!(r.html.matches("id=\"1\"").count(), 1, "{}", r.html);
    }

    #[test]
    fn heading_ids_are_readable_and_unique() {
        let r = render_text("## Größe\n\n## Größe\n\n### Schritt für Schritt {#steps}\n");
        assert_eq!(r.anchors, ["groesse", "groesse-1", "steps"]);
        assert!(
            r.html.contains("<h2 id=\"groesse\">Größe</h2>"),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "steps");
    }

    #[test]
    fn equal_headings_get_distinct_ids_in_linear_tries() {
        let mut ids = HeadingIds::default();
        ids.take("same-3".to_string());
        let got: Vec<String> = (0..20_000).map(|_| ids.unique("same")).collect();
        assert_eq!(got[..4], ["same", "same-1", "same-2", "same-4"]);
        assert_eq!(got[19_999], "same-20000");
        let distinct: HashSet<&String> = got.iter().collect();
        assert_eq!(distinct.len(), 20_000);
        assert!(!got.contains(&"same-3".to_string()));
        // One try per heading, plus one for the number taken by `{#same-3}`
        // and one for each heading after the first (the bare id is taken).
        assert_eq!(ids.tries, 20_000 + 19_999 + 1);
    }

    #[test]
    fn placeholders_are_found_by_their_number() {
        let replacements: Vec<(String, String)> = (0..13)
            .map(|i| (format!("{PLACEHOLDER_PREFIX}{i}qq"), format!("<b>{i}</b>")))
            .collect();
        let text = format!(
            "a {PLACEHOLDER_PREFIX}12qq b {PLACEHOLDER_PREFIX}1qq {PLACEHOLDER_PREFIX}99 {PLACEHOLDER_PREFIX}1q"
        );
        let pieces: Vec<String> = split_placeholders(&text, &replacements)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => format!("T({t})"),
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
        let mut used: HashSet<String> = ["c-3".to_string()].into();
        let mut next = HashMap::new();
        let chart = "<svg id=\"c\"><title id=\"c-t\">T</title></svg>";
        let out: Vec<String> = (0..4)
            .map(|_| distinct_ids(chart.to_string(), &mut used, &mut next))
            .collect();
        assert_eq!(out[0], chart);
        assert!(out[1].contains("id=\"c-2\"") && out[1].contains("id=\"c-t-2\""));
        assert!(out[2].contains("id=\"c-4\"") && out[2].contains("id=\"c-t-4\""));
        assert!(out[3].contains("id=\"c-5\""), "{}", out[3]);
    }

    #[test]
    fn the_shortcodes_a_page_calls_are_recorded() {
        let r = render_text("{{ box() }}\n\nText {{ box() }}\n\n`{{ other() }}`\n");
        assert_eq!(r.shortcodes, ["box"]);
    }

    #[test]
    fn block_shortcode_inside_a_sentence_splits_the_paragraph() {
        let r = render_text("Text {{ box() }} more.\n\nStart {{ box() }}\n\n*{{ box() }}*\n");
        assert!(
            r.html
                .contains("<p>Text </p>\n<aside lang=\"de\">box</aside>\n<p> more.</p>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<p>Start </p>\n<aside lang=\"de\">box</aside>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<p></p>"), "{}", r.html);
        // Inside emphasis it stays where it is.
        assert!(r.html.contains("<em><aside"), "{}", r.html);
    }

    #[test]
    fn block_shortcode_replaces_its_paragraph_and_code_is_left_alone() {
        let r = render_text("Text\n\n{{ box() }}\n\n`{{ box() }}`\n\n```\n{{ box() }}\n```\n");
        assert!(
            r.html.contains("<aside lang=\"de\">box</aside>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<p><aside"));
        assert_eq!(r.html.matches("<aside").count(), 1);
        assert!(r.html.contains("<code>{{ box() }}</code>"));
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn unknown_shortcode_is_an_error_at_its_line() {
        let r = render_text("a\n\n{{ bxo() }}\n");
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].line, Some(3));
        assert_eq!(
            r.diagnostics[0].help.as_deref(),
            Some("did you mean `box`?")
        );
    }

    #[test]
    fn internal_links_resolve_and_missing_ones_fail() {
        let r = render_text("See [heat](@/cards/heat.md#steps) and\n[gone](@/cards/gone.md).\n");
        assert!(
            r.html.contains("href=\"/de/cards/heat/#steps\""),
            "{}",
            r.html
        );
        assert_eq!(r.internal_links.len(), 1);
        assert_eq!(r.internal_links[0].anchor.as_deref(), Some("steps"));
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].line, Some(2));
    }

    #[test]
    fn tables_footnotes_tasks_and_strikethrough() {
        let r =
            render_text("|a|b|\n|-|-|\n|1|2|\n\nx[^n]\n\n[^n]: note\n\n- [x] done\n\n~~old~~\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
        assert!(
            r.html
                .contains("<input type=\"checkbox\" disabled checked aria-label=\"task.done\">")
        );
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.anchors.contains(&"n".to_string()));
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
