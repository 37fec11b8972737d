//! A page's body, as the site renders it (HTML from Markdown, shortcodes
//! and charts), turned into Typst markup. Every piece of user-written text
//! goes through [`escape_text`] or [`string_literal`], so no content can
//! become Typst code: the escaping is tested on random text
//! (`escaped_random_text_parses_as_plain_text`).
//!
//! The HTML is drehbuch's own (well-formed, known elements); elements it
//! does not know keep their text and are named in
//! [`Converted::unknown`], so the caller can warn about them.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

/// Appends `text` to `out` as Typst markup that shows exactly these
/// characters: every ASCII punctuation character is escaped with `\`
/// (markup syntax is made of them), line breaks become spaces. Straight
/// quotes stay unescaped, so Typst sets them as the language's quotes.
pub(crate) fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' | '\'' => out.push(c),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// `text` as a Typst string literal (`"…"`), for function arguments.
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as Typst content in brackets (`[…]`), escaped.
pub(crate) fn content(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('[');
    escape_text(text, &mut out);
    out.push(']');
    out
}

/// A body turned into Typst markup.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    /// The markup.
    pub(crate) markup: String,
    /// Files the markup names (`/part-3-svg-1.svg` → bytes): charts and
    /// images.
    pub(crate) files: Vec<(String, Vec<u8>)>,
    /// Elements that are not typeset (their text is kept).
    pub(crate) unknown: BTreeSet<String>,
    /// Images that could not be read (their text alternative is shown).
    pub(crate) missing_images: Vec<String>,
}

/// What the conversion needs from the site.
pub(crate) struct Context<'a> {
    /// Prefix of the file names this body's charts and images get.
    pub(crate) prefix: &'a str,
    /// The site's origin (`https://example.org`), for links that start
    /// with `/`.
    pub(crate) origin: &'a str,
    /// The bytes of an image at a site path (`/img/a.png`), if any.
    pub(crate) image: &'a dyn Fn(&str) -> Option<Vec<u8>>,
}

/// A parsed element or text.
#[derive(Debug)]
enum Node {
    Text(String),
    Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    },
    /// An `<svg>` element, kept as its source.
    Svg(String),
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Node::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
    }

    /// The text of the node and its descendants.
    fn text(&self, out: &mut String) {
        match self {
            Node::Text(t) => out.push_str(t),
            Node::Element { children, .. } => children.iter().for_each(|c| c.text(out)),
            Node::Svg(_) => {}
        }
    }
}

/// An element still open while parsing: name, attributes, children.
type Open = (String, Vec<(String, String)>, Vec<Node>);

const VOID: [&str; 10] = [
    "br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area",
];

/// Parses drehbuch's HTML into nodes. Never fails: an end tag with no
/// open element is ignored, unclosed elements end with the input.
fn parse(html: &str) -> Vec<Node> {
    // Each open element: name, attributes, children so far.
    let mut stack: Vec<Open> = vec![(String::new(), Vec::new(), Vec::new())];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = after[..end].trim().to_ascii_lowercase();
            rest = after.get(end + 1..).unwrap_or("");
            if let Some(open) = stack.iter().rposition(|(n, _, _)| *n == name)
                && open > 0
            {
                while stack.len() > open {
                    close(&mut stack);
                }
            }
            continue;
        }
        let tag_end = tag_end(rest);
        let tag = rest.get(1..tag_end).unwrap_or("");
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // A `<` that starts no tag is text.
            push_text(&mut stack, "<");
            rest = &rest[1..];
            continue;
        }
        if name == "svg" {
            let end = rest.find("</svg>").map_or(rest.len(), |e| e + 6);
            let svg = &rest[..end];
            if let Some(top) = stack.last_mut() {
                top.2.push(Node::Svg(svg.to_string()));
            }
            rest = &rest[end..];
            continue;
        }
        let self_closing = tag.trim_end().ends_with('/');
        let attrs = attributes(&tag[name_end..]);
        rest = rest.get(tag_end + 1..).unwrap_or("");
        if matches!(name.as_str(), "script" | "style" | "template") {
            let close_tag = format!("</{name}");
            rest = match rest.to_ascii_lowercase().find(&close_tag) {
                Some(e) => rest[e..].find('>').map_or("", |g| &rest[e + g + 1..]),
                None => "",
            };
            continue;
        }
        if self_closing || VOID.contains(&name.as_str()) {
            if let Some(top) = stack.last_mut() {
                top.2.push(Node::Element {
                    name,
                    attrs,
                    children: Vec::new(),
                });
            }
        } else {
            stack.push((name, attrs, Vec::new()));
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(|(_, _, c)| c).unwrap_or_default()
}

/// Where the tag starting `rest` (at `<`) ends: its `>`, quotes respected.
fn tag_end(rest: &str) -> usize {
    let mut quote = None;
    for (i, c) in rest.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            _ => {}
        }
    }
    rest.len().saturating_sub(1)
}

fn close(stack: &mut Vec<Open>) {
    if let Some((name, attrs, children)) = stack.pop()
        && let Some(top) = stack.last_mut()
    {
        top.2.push(Node::Element {
            name,
            attrs,
            children,
        });
    }
}

fn push_text(stack: &mut [Open], text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(top) = stack.last_mut() {
        top.2.push(Node::Text(
            html_escape::decode_html_entities(text).into_owned(),
        ));
    }
}

/// The attributes of a tag (after its name).
fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if s.is_empty() {
            return attrs;
        }
        let name_end = s
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        s = s[name_end..].trim_start();
        let value = if let Some(after) = s.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = after[1..].find(q).map_or(after.len(), |e| e + 1);
                    s = after.get(end + 1..).unwrap_or("");
                    &after[1..end.min(after.len())]
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    s = &after[end..];
                    &after[..end]
                }
            }
        } else {
            ""
        };
        if name.is_empty() {
            // Nothing parseable is left (a stray `=`).
            return attrs;
        }
        attrs.push((name, html_escape::decode_html_entities(value).into_owned()));
    }
}

/// Converts a page body to Typst markup.
pub(crate) fn convert(html: &str, context: &Context<'_>) -> Converted {
    let nodes = parse(html);
    let mut converter = Converter {
        context,
        out: Converted::default(),
        footnotes: HashMap::new(),
    };
    collect_footnotes(&nodes, &mut converter.footnotes);
    let mut markup = String::with_capacity(html.len());
    for node in &nodes {
        converter.node(node, &mut markup);
    }
    converter.out.markup = markup;
    converter.out
}

/// The definitions of the body's footnotes by id, so that each reference
/// becomes a Typst footnote at its place.
fn collect_footnotes<'n>(nodes: &'n [Node], into: &mut HashMap<String, &'n Node>) {
    for node in nodes {
        if let Node::Element { children, .. } = node {
            if node.has_class("footnote-definition")
                && let Some(id) = node.attr("id")
            {
                into.insert(id.to_string(), node);
            } else {
                collect_footnotes(children, into);
            }
        }
    }
}

struct Converter<'c, 'n> {
    context: &'c Context<'c>,
    out: Converted,
    footnotes: HashMap<String, &'n Node>,
}

impl<'n> Converter<'_, 'n> {
    fn children(&mut self, node: &'n Node, out: &mut String) {
        if let Node::Element { children, .. } = node {
            for child in children {
                self.node(child, out);
            }
        }
    }

    /// The markup of `node`'s children, in brackets.
    fn bracketed(&mut self, node: &'n Node) -> String {
        let mut inner = String::from("[");
        self.children(node, &mut inner);
        inner.push(']');
        inner
    }

    fn file(&mut self, extension: &str, bytes: Vec<u8>) -> String {
        let path = format!(
            "/{}-{}.{extension}",
            self.context.prefix,
            self.out.files.len() + 1
        );
        self.out.files.push((path.clone(), bytes));
        path
    }

    fn node(&mut self, node: &'n Node, out: &mut String) {
        let (name, children) = match node {
            Node::Text(text) => {
                escape_text(text, out);
                return;
            }
            Node::Svg(svg) => {
                let alt = svg_title(svg);
                let path = self.file("svg", svg.clone().into_bytes());
                let _ = write!(
                    out,
                    "\n\n#block(breakable: false, image({}, width: 100%, alt: {}))\n\n",
                    string_literal(&path),
                    string_literal(&alt)
                );
                return;
            }
            Node::Element { name, children, .. } => (name.as_str(), children),
        };
        match name {
            "p" => {
                out.push_str("\n\n");
                self.children(node, out);
                out.push_str("\n\n");
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = (name.as_bytes()[1] - b'0').max(2);
                let _ = write!(
                    out,
                    "\n\n#heading(level: {level}, outlined: false, bookmarked: false){}\n\n",
                    self.bracketed(node)
                );
            }
            "strong" | "b" => {
                let _ = write!(out, "#strong{}", self.bracketed(node));
            }
            "em" | "i" | "cite" | "dfn" => {
                let _ = write!(out, "#emph{}", self.bracketed(node));
            }
            "del" | "s" => {
                let _ = write!(out, "#strike{}", self.bracketed(node));
            }
            "u" | "ins" => {
                let _ = write!(out, "#underline{}", self.bracketed(node));
            }
            "mark" => {
                let _ = write!(out, "#highlight{}", self.bracketed(node));
            }
            "sub" => {
                let _ = write!(out, "#sub{}", self.bracketed(node));
            }
            "sup" if node.has_class("footnote-reference") => self.footnote(node, out),
            "sup" if node.has_class("link-ref") => {}
            "sup" => {
                let _ = write!(out, "#super{}", self.bracketed(node));
            }
            "code" | "kbd" | "samp" => {
                let mut text = String::new();
                node.text(&mut text);
                let _ = write!(out, "#raw({})", string_literal(&text));
            }
            "pre" => {
                let mut text = String::new();
                node.text(&mut text);
                let lang = children
                    .iter()
                    .find_map(|c| c.attr("class"))
                    .and_then(|c| {
                        c.split_ascii_whitespace()
                            .find_map(|c| c.strip_prefix("language-"))
                    })
                    .map(|l| format!("lang: {}, ", string_literal(l)))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "\n\n#raw(block: true, {lang}{})\n\n",
                    string_literal(text.trim_end_matches('\n'))
                );
            }
            "a" => {
                self.children(node, out);
                let href = node.attr("href").unwrap_or("");
                if !href.is_empty() && !href.starts_with('#') {
                    let absolute = if href.starts_with('/') {
                        format!("{}{href}", self.context.origin)
                    } else {
                        href.to_string()
                    };
                    let _ = write!(
                        out,
                        "#footnote(link({}, raw({})))",
                        string_literal(&absolute),
                        string_literal(&absolute)
                    );
                }
            }
            "ul" | "ol" => {
                let start = node
                    .attr("start")
                    .and_then(|s| s.parse::<u64>().ok())
                    .filter(|_| name == "ol");
                let function = if name == "ol" { "enum" } else { "list" };
                out.push_str("\n\n#");
                out.push_str(function);
                out.push('(');
                if let Some(start) = start {
                    let _ = write!(out, "start: {start}, ");
                }
                for child in children {
                    if matches!(child, Node::Element { name, .. } if name == "li") {
                        out.push_str(&self.bracketed(child));
                        out.push_str(", ");
                    }
                }
                out.push_str(")\n\n");
            }
            "li" | "dd" => {
                // Outside a list: a paragraph.
                out.push_str("\n\n");
                self.children(node, out);
                out.push_str("\n\n");
            }
            "dt" | "summary" | "caption" => {
                let _ = write!(out, "\n\n#strong{}\n\n", self.bracketed(node));
            }
            "figcaption" => {
                let _ = write!(out, "\n\n#emph{}\n\n", self.bracketed(node));
            }
            "blockquote" => {
                let _ = write!(out, "\n\n#quote(block: true){}\n\n", self.bracketed(node));
            }
            "hr" => out.push_str("\n\n#line(length: 100%, stroke: 0.5pt + luma(60%))\n\n"),
            "br" => out.push_str("#linebreak()"),
            "img" => self.image(node, out),
            "table" => self.table(node, out),
            "div" if node.has_class("footnote-definition") => {}
            "input" | "button" | "select" | "textarea" | "noscript" | "meta" | "link" | "wbr"
            | "source" | "col" | "area" => {}
            "div" | "span" | "section" | "article" | "aside" | "header" | "footer" | "main"
            | "figure" | "details" | "nav" | "abbr" | "small" | "q" | "time" | "dl" | "thead"
            | "tbody" | "tfoot" | "tr" | "th" | "td" | "bdi" | "bdo" | "data" | "var"
            | "picture" | "address" | "colgroup" => self.children(node, out),
            other => {
                self.out.unknown.insert(other.to_string());
                self.children(node, out);
            }
        }
    }

    fn footnote(&mut self, node: &'n Node, out: &mut String) {
        let target = match node {
            Node::Element { children, .. } => children
                .iter()
                .find_map(|c| c.attr("href"))
                .and_then(|h| h.strip_prefix('#')),
            _ => None,
        };
        match target.and_then(|t| self.footnotes.get(t).copied()) {
            Some(definition) => {
                let mut inner = String::new();
                if let Node::Element { children, .. } = definition {
                    for child in children {
                        if !child.has_class("footnote-definition-label") {
                            self.node(child, &mut inner);
                        }
                    }
                }
                // One paragraph: the note's paragraphs are joined.
                let inner = inner.split_whitespace().collect::<Vec<_>>().join(" ");
                let _ = write!(out, "#footnote([{inner}])");
            }
            None => {
                let _ = write!(out, "#super{}", self.bracketed(node));
            }
        }
    }

    fn image(&mut self, node: &'n Node, out: &mut String) {
        let src = node.attr("src").unwrap_or("");
        let alt = node.attr("alt").unwrap_or("");
        let bytes = (self.context.image)(src);
        let extension = src
            .rsplit('.')
            .next()
            .filter(|e| e.len() <= 4)
            .unwrap_or("img")
            .to_ascii_lowercase();
        match bytes {
            Some(bytes)
                if matches!(
                    extension.as_str(),
                    "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp"
                ) =>
            {
                let path = self.file(&extension, bytes);
                let _ = write!(
                    out,
                    "#box(image({}, width: 100%, alt: {}))",
                    string_literal(&path),
                    string_literal(alt)
                );
            }
            _ => {
                self.out.missing_images.push(src.to_string());
                out.push('[');
                escape_text(alt, out);
                out.push(']');
            }
        }
    }

    fn table(&mut self, node: &'n Node, out: &mut String) {
        let mut caption = None;
        let mut header: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<String>> = Vec::new();
        self.rows(node, &mut caption, &mut header, &mut rows, false);
        let columns = rows
            .iter()
            .map(Vec::len)
            .chain([header.len()])
            .max()
            .unwrap_or(1)
            .max(1);
        if let Some(caption) = caption {
            let _ = write!(out, "\n\n#strong{caption}\n");
        }
        let _ = write!(
            out,
            "\n\n#table(columns: {columns}, stroke: 0.5pt + luma(70%), inset: 4pt, align: start, "
        );
        if !header.is_empty() {
            out.push_str("table.header(");
            for cell in &header {
                let _ = write!(out, "strong({cell}), ");
            }
            out.push_str("), ");
        }
        for row in rows {
            let len = row.len();
            for cell in row {
                out.push_str(&cell);
                out.push_str(", ");
            }
            for _ in len..columns {
                out.push_str("[], ");
            }
        }
        out.push_str(")\n\n");
    }

    fn rows(
        &mut self,
        node: &'n Node,
        caption: &mut Option<String>,
        header: &mut Vec<String>,
        rows: &mut Vec<Vec<String>>,
        in_head: bool,
    ) {
        let Node::Element { children, .. } = node else {
            return;
        };
        for child in children {
            let Node::Element {
                name,
                children: cells,
                ..
            } = child
            else {
                continue;
            };
            match name.as_str() {
                "caption" => *caption = Some(self.bracketed(child)),
                "thead" => self.rows(child, caption, header, rows, true),
                "tbody" | "tfoot" => self.rows(child, caption, header, rows, false),
                "tr" => {
                    let row: Vec<String> = cells
                        .iter()
                        .filter(|c| matches!(c, Node::Element { name, .. } if name == "td" || name == "th"))
                        .map(|c| self.bracketed(c))
                        .collect();
                    if in_head && header.is_empty() {
                        *header = row;
                    } else {
                        rows.push(row);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The `<title>` of an SVG (its text alternative).
fn svg_title(svg: &str) -> String {
    svg.find("<title")
        .and_then(|s| {
            let open = s + svg[s..].find('>')? + 1;
            let close = open + svg[open..].find("</title>")?;
            Some(html_escape::decode_html_entities(&svg[open..close]).into_owned())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    fn no_images(_: &str) -> Option<Vec<u8>> {
        None
    }

    fn context() -> Context<'static> {
        Context {
            prefix: "p1",
            origin: "https://e.org",
            image: &no_images,
        }
    }

    /// The leaves of parsed markup, with errors.
    fn leaves(node: &SyntaxNode, into: &mut Vec<(SyntaxKind, String)>) {
        if node.children().len() == 0 && node.kind() != SyntaxKind::Markup {
            into.push((node.kind(), node.leaf_text().to_string()));
        }
        for child in node.children() {
            leaves(child, into);
        }
    }

    /// A tiny deterministic generator (xorshift), so the test needs no
    /// crate and every run checks the same texts.
    struct Random(u64);
    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn escaped_random_text_parses_as_plain_text() {
        // Markup syntax, whitespace, quotes, letters of several scripts.
        let alphabet: Vec<char> =
            "#*_`$<>@=-+/\\[]{}()~'\":;.,!?%&|^0123456789 \n\t\raZșőЖقé…–—\u{0}\u{200b}"
                .chars()
                .collect();
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = (random.next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(random.next() % alphabet.len() as u64) as usize])
                .collect();
            let mut markup = String::new();
            escape_text(&text, &mut markup);
            let root = typst::syntax::parse(&markup);
            let mut found = Vec::new();
            leaves(&root, &mut found);
            let mut shown = String::new();
            for (kind, leaf) in &found {
                match kind {
                    SyntaxKind::Text | SyntaxKind::SmartQuote => shown.push_str(leaf),
                    SyntaxKind::Escape => shown.push_str(&leaf[1..]),
                    SyntaxKind::Space => shown.push(' '),
                    other => panic!("{text:?} → {markup:?} gave {other:?} ({leaf:?})"),
                }
            }
            let expected: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            assert_eq!(
                shown.split_whitespace().collect::<Vec<_>>(),
                expected.split_whitespace().collect::<Vec<_>>(),
                "{text:?} → {markup:?}"
            );
        }
    }

    #[test]
    fn random_text_in_a_string_literal_stays_one_string() {
        let alphabet: Vec<char> = "\"\\n{}#$ aș\n\r\t\u{0}".chars().collect();
        let mut random = Random(12345);
        for _ in 0..5_000 {
            let len = (random.next() % 30) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(random.next() % alphabet.len() as u64) as usize])
                .collect();
            let code = string_literal(&text);
            let root = typst::syntax::parse_code(&code);
            assert!(
                root.errors_and_warnings().0.is_empty(),
                "{text:?} → {code:?}"
            );
            let kinds: Vec<SyntaxKind> = root.children().map(|c| c.kind()).collect();
            assert_eq!(kinds, [SyntaxKind::Str], "{text:?} → {code:?}");
        }
    }

    #[test]
    fn elements_become_typst_and_text_stays_escaped() {
        let html = "<h2 id=\"a\">Step #1</h2>\n<p>Use <strong>*care*</strong> &amp; <a href=\"/de/x/\">this</a>.</p>\n<ul>\n<li>one</li>\n<li>two = 2</li>\n</ul>\n<pre class=\"code\"><code class=\"language-rust\">fn main() {\"}\"}</code></pre>";
        let converted = convert(html, &context());
        assert_eq!(
            converted.markup,
            "\n\n#heading(level: 2, outlined: false, bookmarked: false)[Step \\#1]\n\n \n\nUse #strong[\\*care\\*] \\& this#footnote(link(\"https://e.org/de/x/\", raw(\"https://e.org/de/x/\")))\\.\n\n \n\n#list([one], [two \\= 2], )\n\n \n\n#raw(block: true, lang: \"rust\", \"fn main() {\\\"}\\\"}\")\n\n"
        );
        assert!(converted.unknown.is_empty());
        assert!(
            typst::syntax::parse(&converted.markup)
                .errors_and_warnings()
                .0
                .is_empty()
        );
    }

    #[test]
    fn footnotes_move_to_their_reference_and_unknown_elements_are_named() {
        let html = "<p>Text<sup class=\"footnote-reference\"><a href=\"#n\">1</a></sup> <blink>on</blink></p><div class=\"footnote-definition\" id=\"n\"><sup class=\"footnote-definition-label\">1</sup>\n<p>The note.</p></div>";
        let converted = convert(html, &context());
        assert!(
            converted.markup.contains("Text#footnote([The note\\.]) on"),
            "{}",
            converted.markup
        );
        assert!(!converted.markup.contains("The note\\.\n"));
        assert_eq!(converted.unknown.iter().collect::<Vec<_>>(), ["blink"]);
    }

    #[test]
    fn charts_become_files_and_tables_keep_their_cells() {
        let html = "<figure><svg viewBox=\"0 0 10 10\"><title>Hot &amp; dry</title><rect width=\"5\" height=\"5\"/></svg><figcaption>Fig</figcaption></figure><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></tbody></table>";
        let converted = convert(html, &context());
        assert_eq!(converted.files.len(), 1);
        assert_eq!(converted.files[0].0, "/p1-1.svg");
        assert!(
            converted
                .markup
                .contains("image(\"/p1-1.svg\", width: 100%, alt: \"Hot & dry\")")
        );
        assert!(
            converted
                .markup
                .contains("table.header(strong([a]), strong([b]), ), [1], [2], [3], [], )"),
            "{}",
            converted.markup
        );
        assert!(
            typst::syntax::parse(&converted.markup)
                .errors_and_warnings()
                .0
                .is_empty()
        );
    }
}
