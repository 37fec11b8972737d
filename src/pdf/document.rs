//! The Typst source of an edition: page setup for the language and paper,
//! the cover, the imprint page, the contents, and each card or chapter on
//! pages of its own. Every text from the site goes in escaped
//! ([`markup::content`], [`markup::string_literal`]).

use std::fmt::Write as _;

use super::fonts::{CODE_FAMILY, TEXT_FAMILY};
use super::markup::{self, content, string_literal};
use super::{Edition, Paper};
use crate::diagnostics::{Diagnostic, SourceFile};

/// An edition's Typst source with its files and the warnings found.
pub(super) struct Built {
    /// The Typst source.
    pub(super) source: String,
    /// Files the source names (path → bytes).
    pub(super) files: Vec<(String, Vec<u8>)>,
    /// Elements not typeset, images not found.
    pub(super) warnings: Vec<Diagnostic>,
}

/// The category colours (tones 1–6), the theme's light-scheme `--tone-n`.
const TONES: [&str; 6] = [
    "#005a8e", "#a13d00", "#00684b", "#8c3b6e", "#6b4c00", "#3d4a57",
];

/// Languages Typst has no hyphenation patterns for; their text is set
/// ragged-right instead of justified, so no word is stretched or broken
/// wrongly. Romanian is one (docs/print.md).
fn has_hyphenation(lang: &str) -> bool {
    // Typst's hyphenation (the `hypher` crate) covers these.
    matches!(
        lang,
        "af" | "sq"
            | "be"
            | "bg"
            | "ca"
            | "hr"
            | "cs"
            | "da"
            | "nl"
            | "en"
            | "et"
            | "fi"
            | "fr"
            | "ka"
            | "de"
            | "el"
            | "hu"
            | "is"
            | "it"
            | "ku"
            | "la"
            | "lt"
            | "mn"
            | "nb"
            | "nn"
            | "no"
            | "pl"
            | "pt"
            | "ru"
            | "sr"
            | "sk"
            | "sl"
            | "es"
            | "sv"
            | "tr"
            | "tk"
            | "uk"
    )
}

/// Builds the Typst source of `edition`.
pub(super) fn build(edition: &Edition) -> Built {
    let mut s = String::with_capacity(64 * 1024);
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let lang = edition.lang.as_str();
    let rtl = matches!(lang, "ar" | "he" | "fa" | "ur");
    let hyphenate = has_hyphenation(lang);
    let (year, month, day) = edition.date;
    let paper = match edition.paper {
        Paper::A4 => "a4",
        Paper::A5 => "a5",
    };
    let (size, margin) = match edition.paper {
        Paper::A4 => ("10.5pt", "(x: 22mm, top: 25mm, bottom: 25mm)"),
        Paper::A5 => ("9pt", "(x: 15mm, top: 20mm, bottom: 20mm)"),
    };
    let numbering = if lang == "ar" { "١" } else { "1" };

    // An edition without any date (`date_text` empty) has none in its
    // metadata either.
    let date = if edition.date_text.is_empty() {
        "none".to_string()
    } else {
        format!("datetime(year: {year}, month: {month}, day: {day})")
    };
    let _ = writeln!(
        s,
        "#set document(title: {}, date: {date})",
        string_literal(&edition.title)
    );
    let _ = writeln!(
        s,
        "#set text(font: ({}, {}), lang: {}, size: {size}, hyphenate: {hyphenate})",
        string_literal(TEXT_FAMILY),
        string_literal(CODE_FAMILY),
        string_literal(lang)
    );
    let _ = writeln!(s, "#set par(justify: {hyphenate}, leading: 0.6em)");
    let _ = writeln!(
        s,
        "#show raw: set text(font: {}, size: 0.9em)",
        string_literal(CODE_FAMILY)
    );
    s.push_str("#show raw.where(block: true): block.with(fill: luma(96%), inset: 6pt, radius: 2pt, width: 100%)\n");
    s.push_str("#show heading: set text(weight: \"bold\")\n");
    s.push_str("#show heading.where(level: 1): set text(size: 1.6em)\n");
    s.push_str("#show heading.where(level: 2): set text(size: 1.2em)\n");
    s.push_str("#set footnote.entry(separator: line(length: 30%, stroke: 0.5pt))\n");
    let _ = writeln!(
        s,
        "#set page(paper: {}, margin: {margin})",
        string_literal(paper)
    );

    // Cover: no number, no head.
    s.push_str("#page(numbering: none, header: none)[\n");
    if let Some((extension, bytes)) = &edition.logo {
        let path = format!("/logo.{extension}");
        files.push((path.clone(), bytes.clone()));
        let _ = writeln!(
            s,
            "#align(start, image({}, height: 22mm))\n#v(1fr)",
            string_literal(&path)
        );
    } else {
        s.push_str("#v(1fr)\n");
    }
    let _ = writeln!(
        s,
        "#block(text(size: 2.2em, weight: \"bold\", hyphenate: false, {}))",
        content(&edition.title)
    );
    let field = |name: &str| {
        edition
            .imprint
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(subtitle) = field("subtitle") {
        let _ = writeln!(
            s,
            "#block(text(size: 1.4em, hyphenate: false, {}))",
            content(subtitle)
        );
    }
    s.push_str("#v(2fr)\n");
    let edition_line: Vec<&str> = [field("edition"), Some(edition.date_text.as_str())]
        .into_iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .collect();
    let _ = writeln!(s, "#block({})", content(&edition_line.join(" · ")));
    if let Some(publisher) = field("publisher") {
        let _ = writeln!(s, "#block({})", content(publisher));
    }
    s.push_str("]\n");

    // Imprint.
    s.push_str("#page(numbering: none, header: none)[\n#v(1fr)\n");
    let _ = writeln!(
        s,
        "#text(weight: \"bold\", {})\n",
        content(&edition.imprint_title)
    );
    s.push_str("#grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.8em,\n");
    for (key, label) in &edition.imprint_labels {
        let value = if key == "date" {
            Some(edition.date_text.as_str())
        } else if key == "source" {
            Some(edition.ident.as_str())
        } else {
            field(key)
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            let _ = writeln!(
                s,
                "  text(weight: \"bold\", {}), {},",
                content(label),
                content(value)
            );
        }
    }
    s.push_str(")\n]\n");

    // Contents, then the parts with running heads and page numbers.
    let _ = writeln!(
        s,
        "#set page(numbering: {}, number-align: center, header: context {{\n  let at = here().page()\n  let heads = query(heading.where(level: 1)).filter(h => h.location().page() <= at)\n  if heads.len() > 0 {{ set text(size: 0.8em, fill: luma(35%)); heads.last().body }}\n}}, foreground: context {{\n  let at = here().page()\n  let tabs = query(<drehbuch-tab>).filter(t => t.location().page() <= at)\n  if tabs.len() > 0 and tabs.last().value != none {{\n    let tab = tabs.last().value\n    place({} + top, dy: 30mm + tab.slot * 16mm, rect(width: 5mm, height: 14mm, fill: rgb(tab.colour)))\n  }}\n}})",
        string_literal(numbering),
        if rtl { "left" } else { "right" }
    );
    s.push_str("#counter(page).update(1)\n");
    let _ = writeln!(
        s,
        "#outline(title: {}, depth: 1, indent: 0pt)",
        content(&edition.contents_title)
    );

    for (index, part) in edition.parts.iter().enumerate() {
        s.push_str("\n#pagebreak(weak: true)\n");
        match part.tone.filter(|t| (1..=6).contains(t)) {
            Some(tone) => {
                let _ = writeln!(
                    s,
                    "#metadata((colour: {}, slot: {})) <drehbuch-tab>",
                    string_literal(TONES[usize::from(tone - 1)]),
                    tone - 1
                );
            }
            None => s.push_str("#metadata(none) <drehbuch-tab>\n"),
        }
        let part_lang = if part.lang.is_empty() {
            lang
        } else {
            part.lang.as_str()
        };
        let _ = writeln!(s, "#[\n#set text(lang: {})", string_literal(part_lang));
        if part_lang != lang {
            let _ = writeln!(
                s,
                "#set par(justify: {})\n#set text(hyphenate: {})",
                has_hyphenation(part_lang),
                has_hyphenation(part_lang)
            );
        }
        let title = match &part.number {
            Some(number) => format!("{number}. {}", part.title),
            None => part.title.clone(),
        };
        let _ = writeln!(s, "#heading(level: 1, {})", content(&title));
        if let Some(only_in) = &part.only_in {
            let _ = writeln!(s, "#text(style: \"italic\", {})\n", content(only_in));
        }
        if let Some(description) = &part.description {
            let _ = writeln!(s, "#text(size: 1.1em, {})\n", content(description));
        }
        let _ = writeln!(
            s,
            "#text(size: 0.8em, fill: luma(35%), raw({}))\n",
            string_literal(&part.permalink)
        );
        if !part.facts.is_empty() {
            let stroke = part
                .tone
                .filter(|t| (1..=6).contains(t))
                .map(|t| TONES[usize::from(t - 1)])
                .unwrap_or("#3d4a57");
            let _ = writeln!(
                s,
                "#block(width: 100%, inset: 8pt, radius: 3pt, fill: luma(96%), stroke: (left: 3pt + rgb({})), breakable: false, grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.6em,",
                string_literal(stroke)
            );
            for (label, values) in &part.facts {
                let _ = writeln!(
                    s,
                    "  text(weight: \"bold\", {}), {},",
                    content(label),
                    content(&values.join(", "))
                );
            }
            s.push_str("))\n");
        }
        let images = &part.images;
        let image = |src: &str| {
            images
                .iter()
                .find(|(path, _)| path == src)
                .map(|(_, bytes)| bytes.clone())
        };
        let prefix = format!("part-{}", index + 1);
        let converted = markup::convert(
            &part.html,
            &markup::Context {
                prefix: &prefix,
                origin: &edition.origin,
                image: &image,
            },
        );
        s.push_str(&converted.markup);
        s.push_str("\n]\n");
        files.extend(converted.files);
        let file = SourceFile::new(part.source.clone(), part.source_text.clone());
        for c in uncovered(&part.html, &part.title) {
            let at = part
                .source_text
                .find(c)
                .map(|start| start..start + c.len_utf8())
                .unwrap_or(0..0);
            warnings.push(
                file.error(at, format!("`{c}` (U+{:04X}) is in no font of the PDF; it is printed as an empty box", c as u32))
                    .warning()
                    .with_kind("pdf")
                    .with_help("the PDF's fonts cover Latin, Greek, Cyrillic and Arabic (fonts/README.md); write the text with these scripts or leave the page out of `print:`"),
            );
        }
        for element in &converted.unknown {
            let needle = format!("<{element}");
            let at = part
                .source_text
                .find(&needle)
                .map(|start| start..start + needle.len())
                .unwrap_or(0..0);
            warnings.push(
                file.error(
                    at,
                    format!(
                        "`<{element}>` cannot be typeset in the PDF; its text is kept without it"
                    ),
                )
                .warning()
                .with_kind("pdf")
                .with_help("use Markdown instead of HTML for what the PDF should show"),
            );
        }
        for src in &converted.missing_images {
            let at = part
                .source_text
                .find(src.as_str())
                .map(|start| start..start + src.len())
                .unwrap_or(0..0);
            warnings.push(
                file.error(at, format!("the image `{src}` cannot be put in the PDF; its text alternative is printed instead"))
                    .warning()
                    .with_kind("pdf")
                    .with_help("use a PNG, JPEG, GIF, WebP or SVG file of the site's static/ or content/ folder"),
            );
        }
    }
    Built {
        source: s,
        files,
        warnings,
    }
}

/// The characters of `texts` that no shipped font has, each once, in
/// order: Typst would print them as empty boxes.
fn uncovered(html: &str, title: &str) -> Vec<char> {
    let fonts = &super::fonts::FONTS.fonts;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for c in title.chars().chain(html.chars()) {
        if c.is_whitespace() || c.is_control() || (c as u32) < 0x80 || !seen.insert(c) {
            continue;
        }
        // Invisible formatting characters (joiners, marks of direction)
        // need no glyph.
        if matches!(c as u32, 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF | 0xAD)
        {
            continue;
        }
        if !fonts.iter().any(|f| f.info().coverage.contains(c as u32)) {
            out.push(c);
        }
    }
    out
}
