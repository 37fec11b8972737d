//! The fonts every PDF is typeset with, compiled into the binary (see
//! fonts/README.md for what they cover and where they come from). No
//! system font is read, so a PDF is the same on every machine.

use std::sync::LazyLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The text family: Latin, Cyrillic, Greek and Arabic.
pub(crate) const TEXT_FAMILY: &str = "DejaVu Sans";
/// The family of code.
pub(crate) const CODE_FAMILY: &str = "DejaVu Sans Mono";

static FILES: [&[u8]; 4] = [
    include_bytes!("../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Oblique.ttf"),
    include_bytes!("../../fonts/DejaVuSansMono.ttf"),
];

/// The shipped fonts with their book, parsed once per process.
pub(crate) struct Fonts {
    /// Every face, in the book's order.
    pub(crate) fonts: Vec<Font>,
    /// What Typst looks fonts up in.
    pub(crate) book: LazyHash<FontBook>,
}

/// The shipped fonts.
pub(crate) static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Fonts { fonts, book }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_is_a_font_of_the_two_families() {
        assert_eq!(FONTS.fonts.len(), 4);
        let families: Vec<&str> = FONTS
            .fonts
            .iter()
            .map(|f| f.info().family.as_str())
            .collect();
        assert_eq!(families.iter().filter(|f| **f == TEXT_FAMILY).count(), 3);
        assert_eq!(families.iter().filter(|f| **f == CODE_FAMILY).count(), 1);
    }

    #[test]
    fn the_text_font_covers_the_site_languages() {
        let text = &FONTS.fonts[0];
        for c in "ăâîșțȘȚőűŐŰäöüßаяїєґбгдقصيدة".chars() {
            assert!(
                text.info().coverage.contains(c as u32),
                "{c} is not covered"
            );
        }
    }
}
