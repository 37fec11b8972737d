//! [`render_edition`] on plain editions: it typesets, warns where the site
//! should hear about something, and gives the same bytes every time. The
//! PDFs' structure (text order, outline, fonts, contents page numbers) is
//! checked with poppler and qpdf on built sites in tests/pdf.rs.

use super::*;

fn part(title: &str, html: &str) -> Part {
    Part {
        source: PathBuf::from(format!("content/cards/{title}.md")),
        source_text: format!("---\ntitle: {title}\n---\n\n{html}\n"),
        lang: "de".into(),
        title: title.into(),
        permalink: format!("https://e.org/de/cards/{title}/"),
        facts: vec![("Dauer".into(), vec!["2 Stunden".into()])],
        tone: Some(2),
        html: html.into(),
        ..Part::default()
    }
}

fn edition(parts: Vec<Part>) -> Edition {
    Edition {
        lang: "de".into(),
        title: "Drehbuch: Formate".into(),
        section_title: "Formate".into(),
        imprint: vec![("subtitle".into(), "Ein Untertitel".into())],
        imprint_labels: vec![("subtitle".into(), "Untertitel".into())],
        imprint_title: "Impressum".into(),
        contents_title: "Inhalt".into(),
        date: (2023, 10, 31),
        date_text: "31. Oktober 2023".into(),
        origin: "https://e.org".into(),
        ident: "https://e.org/de/print.pdf".into(),
        parts,
        ..Edition::default()
    }
}

#[test]
fn an_edition_typesets_to_the_same_pdf_every_time() {
    let e = edition(vec![
        part(
            "Hitzecheck",
            "<p>Ein <em>Text</em> mit = # $ und [Klammern].</p>",
        ),
        part(
            "Spaziergang",
            "<h2>Schritte</h2><ol><li>eins</li><li>zwei</li></ol>",
        ),
    ]);
    let (first, warnings) = render_edition(&e).expect("typesets");
    assert!(first.starts_with(b"%PDF-"), "not a PDF");
    assert!(warnings.is_empty(), "{warnings:?}");
    let (second, _) = render_edition(&e).expect("typesets");
    assert!(first == second, "two renders differ");
}

#[test]
fn raw_html_is_a_warning_at_its_line() {
    let mut p = part("Roh", "<p>vor <marquee>laut</marquee> nach</p>");
    p.source_text = "---\ntitle: Roh\n---\n\nvor <marquee>laut</marquee> nach\n".into();
    let (_, warnings) = render_edition(&edition(vec![p])).expect("typesets");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(!w.is_error());
    assert_eq!(
        w.path.as_deref(),
        Some(std::path::Path::new("content/cards/Roh.md"))
    );
    assert_eq!(w.line, Some(5));
    assert!(w.message.contains("`<marquee>`"), "{}", w.message);
}

#[test]
fn a_character_no_font_has_is_a_warning_naming_it() {
    let p = part("Schrift", "<p>Kanji 漢 here</p>");
    let (_, warnings) = render_edition(&edition(vec![p])).expect("typesets");
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("`漢` (U+6F22)") && w.line == Some(5)),
        "{warnings:?}"
    );
}

#[test]
fn a_missing_image_is_a_warning_and_its_alternative_is_kept() {
    let p = part(
        "Bild",
        "<p><img src=\"/img/none.png\" alt=\"Ein Bild\"></p>",
    );
    let (_, warnings) = render_edition(&edition(vec![p])).expect("typesets");
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("`/img/none.png`")),
        "{warnings:?}"
    );
}
