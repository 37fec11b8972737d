//! What a view read. Every input of the site model that a view is built
//! from is recorded by the model's accessors ([`super::model`]) while the
//! view is built, so the record cannot miss what the view shows. `serve`
//! inverts these records into its index of who reads what (its store)
//! and, after an edit, renders again exactly the outputs that read an
//! input whose value changed.

use std::cell::RefCell;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use serde::Serialize;

/// A page, named by what stays the same while the site changes around it:
/// its `@/` key and its language, hashed. (Page ids shift when pages come
/// and go.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageKey(pub(super) u64);

impl PageKey {
    /// The key of the page with `@/` key `link_key` published in `lang`.
    pub(super) fn new(link_key: &str, lang: &str) -> PageKey {
        let mut hasher = DefaultHasher::new();
        (link_key, lang).hash(&mut hasher);
        PageKey(hasher.finish())
    }
}

/// A name in an input: a section folder, a language, a translation group,
/// a template. Shared, so records are cheap to copy.
pub(crate) type Name = Arc<str>;

/// One input of the model a view can read. Its *value* is a hash of what
/// the accessor that records it returns ([`super::ViewBuilder::value`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// `site.yaml` (titles, languages, base URL, `extra`, …).
    Config,
    /// The UI strings and formats of a language, with its fallbacks.
    Strings(Name),
    /// A template by name: its text and what it pulls in, or its absence.
    Template(Name),
    /// What other pages show of a page: title, URL, description, fields,
    /// date, reading time, position in its section.
    Summary(PageKey),
    /// What a page's own view shows beyond its summary: its body, table of
    /// contents, updates, free data, template, `pages` fields.
    Page(PageKey),
    /// The anchors a page defines.
    Anchors(PageKey),
    /// A page's field values, which facet pages, facet counts and filters
    /// test every page of a section for (part of its summary too, which
    /// only the pages shown read): a title edit then does not concern
    /// the facet pages that do not show the page.
    Fields(PageKey),
    /// A translation group: its pages by language, with their URLs.
    Group(Name),
    /// The pages of other sections whose `pages` fields name a group.
    Backlinks(Name),
    /// Where an `@/` key leads for readers of a language.
    Resolve(Name, Name),
    /// A section's listing for readers of a language: which pages, in
    /// which order.
    Listing(Name, Name),
    /// A section folder's declarations: fields, layout, grouping.
    Section(Name),
    /// The child section folders of a folder.
    Subsections(Name),
    /// The derived pages of a section folder (facet, print and search
    /// pages) with their URLs in every language.
    Derived(Name),
    /// The print documents of every language.
    Print,
    /// The Atom feeds: URLs, titles, languages.
    Feeds,
    /// The `site` value of pages in a language and folder: a view shared
    /// by many pages, with reads of its own.
    SiteView(Name, Name),
    /// The facet navigation of a section folder in a language (shared by
    /// the section and its facet pages).
    Facets(Name, Name),
    /// The in-place filters of a section folder in a language.
    Filters(Name, Name),
}

impl Input {
    /// Whether the input is a view shared by many pages, whose value is
    /// worked out from reads of its own.
    pub fn is_shared_view(&self) -> bool {
        matches!(
            self,
            Input::SiteView(..) | Input::Facets(..) | Input::Filters(..)
        )
    }
}

/// The inputs read while building one view, in the order read. A builder
/// that records nothing ([`Reads::off`]) serves a one-off build.
#[derive(Debug)]
pub struct Reads {
    inputs: RefCell<Vec<Input>>,
    on: bool,
}

impl Default for Reads {
    fn default() -> Self {
        Reads::new()
    }
}

impl Reads {
    /// A record that keeps every read.
    pub fn new() -> Reads {
        Reads {
            inputs: RefCell::new(Vec::new()),
            on: true,
        }
    }

    /// A record that keeps nothing (a build renders once).
    pub fn off() -> Reads {
        Reads {
            inputs: RefCell::new(Vec::new()),
            on: false,
        }
    }

    /// Records the input `make` names.
    pub(super) fn add(&self, make: impl FnOnce() -> Input) {
        if self.on {
            self.inputs.borrow_mut().push(make());
        }
    }

    /// The inputs read, sorted, each once.
    pub fn into_inputs(self) -> Vec<Input> {
        let mut inputs = self.inputs.into_inner();
        inputs.sort_unstable();
        inputs.dedup();
        inputs
    }
}

/// A writer that hashes what is written (for hashes of serialized values).
pub(crate) struct HashWriter(pub(crate) DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A hash of `value` as JSON: the value of an input whose accessor returns
/// serializable data.
pub(super) fn hash_serialized(value: &impl Serialize) -> u64 {
    let mut writer = HashWriter(DefaultHasher::new());
    // Writing into a hasher cannot fail; a value that cannot be
    // serialized hashes what was written before the failure.
    let _ = serde_json::to_writer(&mut writer, value);
    writer.0.finish()
}

/// A hash of `value` (for inputs whose data is `Hash`).
pub(super) fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
