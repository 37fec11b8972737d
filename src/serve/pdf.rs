//! The print editions' PDFs in the preview: typeset when a browser asks
//! for one, and again only when its edition (every text, body, image and
//! setting it is made of) changed since, so saving a page does not
//! typeset every PDF.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use crate::diagnostics::Diagnostic;
use crate::pdf::{Edition, render_edition};

/// Output path → hash of the edition a PDF was made from, and the PDF.
type Made = Arc<Mutex<HashMap<String, (u64, Arc<Vec<u8>>)>>>;

/// The editions of the site as last published, and the PDFs made of them.
#[derive(Default)]
pub(crate) struct PdfShelf {
    /// Output path (`de/print.pdf`) → the edition's data.
    editions: HashMap<String, Edition>,
    /// Output path → hash of the edition it was made from, and the PDF.
    made: Made,
    /// Set after a rebuild until the editions' new data is in: a PDF asked
    /// for meanwhile waits for it rather than being made of old data.
    pending: bool,
}

impl PdfShelf {
    /// Replaces the editions (after a rebuild); PDFs made before stay
    /// until they are asked for and found out of date.
    pub(crate) fn set(&mut self, editions: Vec<(String, Edition)>) {
        self.editions = editions.into_iter().collect();
        self.pending = false;
    }

    /// Says that the editions changed and their data follows ([`Self::set`]).
    pub(crate) fn mark_pending(&mut self) {
        self.pending = true;
    }

    /// Whether a PDF asked for now must wait for the editions' new data.
    pub(crate) fn is_pending(&self) -> bool {
        self.pending
    }

    /// Output paths of the PDFs the site has.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &String> {
        self.editions.keys()
    }

    /// The edition at `path` with what is needed to make its PDF outside
    /// the preview's lock.
    pub(crate) fn request(&self, path: &str) -> Option<PdfRequest> {
        Some(PdfRequest {
            path: path.to_string(),
            edition: self.editions.get(path)?.clone(),
            made: Arc::clone(&self.made),
        })
    }
}

/// A PDF asked for: made (or taken from the shelf) by [`PdfRequest::make`].
pub(crate) struct PdfRequest {
    path: String,
    edition: Edition,
    made: Made,
}

impl PdfRequest {
    /// The PDF: the one made before if the edition did not change, else
    /// typeset now (and kept). Also says whether it was typeset now.
    pub(crate) fn make(self) -> Result<(Arc<Vec<u8>>, bool), Vec<Diagnostic>> {
        let mut hasher = DefaultHasher::new();
        self.edition.hash(&mut hasher);
        let hash = hasher.finish();
        // One PDF is typeset at a time; requests for it meanwhile wait for
        // it instead of typesetting it again.
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((old, bytes)) = made.get(&self.path)
            && *old == hash
        {
            return Ok((Arc::clone(bytes), false));
        }
        let (bytes, _warnings) = render_edition(&self.edition)?;
        let bytes = Arc::new(bytes);
        made.insert(self.path, (hash, Arc::clone(&bytes)));
        Ok((bytes, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::Part;

    fn edition(body: &str) -> Edition {
        Edition {
            lang: "en".into(),
            title: "T".into(),
            ident: "https://e.org/print.pdf".into(),
            date: (2024, 1, 2),
            parts: vec![Part {
                title: "Card".into(),
                html: body.into(),
                ..Part::default()
            }],
            ..Edition::default()
        }
    }

    #[test]
    fn a_pdf_is_typeset_when_asked_for_and_again_only_after_its_edition_changed() {
        let mut shelf = PdfShelf::default();
        assert!(shelf.request("print.pdf").is_none());
        shelf.set(vec![("print.pdf".into(), edition("<p>one</p>"))]);
        let (first, typeset) = shelf.request("print.pdf").unwrap().make().unwrap();
        assert!(typeset);
        let (again, typeset) = shelf.request("print.pdf").unwrap().make().unwrap();
        assert!(!typeset, "made again although nothing changed");
        assert!(Arc::ptr_eq(&first, &again));
        shelf.set(vec![("print.pdf".into(), edition("<p>two</p>"))]);
        let (changed, typeset) = shelf.request("print.pdf").unwrap().make().unwrap();
        assert!(typeset);
        assert!(changed != first);
    }
}
