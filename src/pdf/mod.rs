//! The typeset PDF of a print edition: every page of a `print:` section in
//! one language, as a brochure (cover, imprint, contents with page
//! numbers, bookmarks, running heads, page numbers, each card on a page of
//! its own with its facts and category tab, charts as vector graphics,
//! footnoted links), typeset by Typst as a library.
//!
//! The API is narrow: an [`Edition`] is plain data (texts, HTML bodies,
//! image bytes) and [`render_edition`] makes its PDF bytes, with the
//! problems found on the way as drehbuch [`Diagnostic`]s. Nothing outside
//! the edition is read (no system fonts, no packages, no clock): the same
//! edition gives the same bytes on every machine and thread count.

mod document;
mod fonts;
mod markup;
mod world;

use std::path::PathBuf;

use typst::diag::Severity as TypstSeverity;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

pub use crate::config::Paper;
use crate::diagnostics::{Diagnostic, Severity};

/// One print edition: a section in one language, as plain data.
#[derive(Clone, Debug, Default, Hash)]
pub struct Edition {
    /// Language code of the edition (`de`), for hyphenation, quotes,
    /// numerals and the PDF's language.
    pub lang: String,
    /// The document title: site title and section title.
    pub title: String,
    /// The section's title (the cover's second line, the running head
    /// before the first card).
    pub section_title: String,
    /// `imprint:` of site.yaml in this language: field → text.
    pub imprint: Vec<(String, String)>,
    /// Labels of the imprint fields in the UI language (field → label).
    pub imprint_labels: Vec<(String, String)>,
    /// The heading of the imprint page.
    pub imprint_title: String,
    /// The heading of the contents.
    pub contents_title: String,
    /// The edition's date (year, month, day): the cover, the imprint and
    /// the PDF's metadata. From `imprint.date`, else the newest page.
    pub date: (i32, u8, u8),
    /// The date as the language writes it, for the cover and imprint.
    pub date_text: String,
    /// The logo (SVG or raster bytes with its extension), if any.
    pub logo: Option<(String, Vec<u8>)>,
    /// Paper size.
    pub paper: Paper,
    /// The site's origin (`https://example.org`), for links that start
    /// with `/`.
    pub origin: String,
    /// A stable identifier of the edition (its URL), for the PDF's id.
    pub ident: String,
    /// The cards or chapters, in order.
    pub parts: Vec<Part>,
}

/// One card or chapter of an edition.
#[derive(Clone, Debug, Default, Hash)]
pub struct Part {
    /// Its source file (for warnings).
    pub source: PathBuf,
    /// The Markdown source text, to place warnings at their line.
    pub source_text: String,
    /// Language of the text (differs from the edition's for a card shown
    /// untranslated).
    pub lang: String,
    /// Title.
    pub title: String,
    /// Chapter number (books), shown before the title.
    pub number: Option<String>,
    /// The note that the card is not translated ("Only in English"), if
    /// so.
    pub only_in: Option<String>,
    /// The lead (description).
    pub description: Option<String>,
    /// The page's address on the web.
    pub permalink: String,
    /// Facts: label and values.
    pub facts: Vec<(String, Vec<String>)>,
    /// The category tone (1–6) of its first fact, for the edge tab.
    pub tone: Option<u8>,
    /// The body as the site renders it (HTML).
    pub html: String,
    /// Images the body shows: site path → bytes.
    pub images: Vec<(String, Vec<u8>)>,
}

/// Typesets `edition` into PDF bytes. Warnings (elements that cannot be
/// typeset, missing images or glyphs) come with the bytes; errors instead
/// of them.
pub fn render_edition(edition: &Edition) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let built = document::build(edition);
    let mut warnings = built.warnings;
    let (year, month, day) = edition.date;
    let date = Datetime::from_ymd(year, month, day)
        .or_else(|| Datetime::from_ymd(1970, 1, 1))
        .expect("1970-01-01 is a date");
    let world = world::EditionWorld::new(built.source, built.files, date);
    let compiled = typst::compile::<PagedDocument>(&world);
    for warning in compiled.warnings.iter() {
        warnings.push(typst_diagnostic(
            edition,
            &world,
            warning,
            Severity::Warning,
        ));
    }
    let document = compiled.output.map_err(|errors| {
        errors
            .iter()
            .map(|e| typst_diagnostic(edition, &world, e, Severity::Error))
            .collect::<Vec<_>>()
    })?;
    let options = PdfOptions {
        ident: Smart::Custom(edition.ident.clone()),
        creator: Smart::Custom(Some(format!("drehbuch {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(date)),
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| {
        errors
            .iter()
            .map(|e| typst_diagnostic(edition, &world, e, Severity::Error))
            .collect::<Vec<_>>()
    })?;
    Ok((bytes, warnings))
}

/// A Typst problem as a drehbuch diagnostic about the edition. Typst's
/// messages name the text (e.g. a glyph no font has); the place in the
/// generated source means nothing to a user, so the edition is named
/// instead, with the text around the place.
fn typst_diagnostic(
    edition: &Edition,
    world: &world::EditionWorld,
    problem: &typst::diag::SourceDiagnostic,
    severity: Severity,
) -> Diagnostic {
    use typst::WorldExt;
    let around = world
        .range(problem.span)
        .and_then(|r| world.source_text().get(r))
        .map(|t| {
            let t: String = t.chars().take(80).collect();
            format!(" (at `{t}`)")
        })
        .unwrap_or_default();
    let severity = match problem.severity {
        TypstSeverity::Error => Severity::Error,
        TypstSeverity::Warning => severity,
    };
    let hints: Vec<&str> = problem.hints.iter().map(|h| h.v.as_str()).collect();
    let mut diagnostic = Diagnostic::global(
        severity,
        format!(
            "the PDF of {} ({}): {}{around}",
            edition.ident, edition.lang, problem.message
        ),
    )
    .with_kind("pdf");
    diagnostic = diagnostic.with_help(if hints.is_empty() {
        "the PDF is typeset with the fonts drehbuch ships (fonts/README.md); report text it cannot set".to_string()
    } else {
        hints.join("; ")
    });
    diagnostic
}

#[cfg(test)]
mod tests;
