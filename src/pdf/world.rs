//! drehbuch's Typst [`World`]: one in-memory source, the files it names
//! (chart SVGs, images, the logo) in memory too, the shipped fonts, no
//! packages and a fixed date, so the same edition always typesets to the
//! same bytes and nothing outside the site is read.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FONTS;

/// Typst's standard library, made once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// One document to typeset: its Typst source and the files it uses.
pub(crate) struct EditionWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    date: Datetime,
}

/// The id of a file of the document at `path` (like `/chart-3.svg`).
pub(crate) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| {
        VirtualPath::new("/invalid").expect("a plain absolute path is a valid virtual path")
    });
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl EditionWorld {
    /// A world for `source` with the `files` it names (path → bytes) and
    /// the date `today()` answers.
    pub(crate) fn new(source: String, files: Vec<(String, Vec<u8>)>, date: Datetime) -> Self {
        let main = Source::new(file_id("/edition.typ"), source);
        let files = files
            .into_iter()
            .map(|(path, bytes)| (file_id(&path), Bytes::new(bytes)))
            .collect();
        EditionWorld { main, files, date }
    }

    /// The document's Typst source.
    pub(crate) fn source_text(&self) -> &str {
        self.main.text()
    }
}

impl World for EditionWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| {
            FileError::NotFound(id.get().vpath().get_with_slash().to_string().into())
        })
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.date)
    }
}
