//! Views: the only data templates see. A [`ViewBuilder`] makes them from
//! the loaded site, per output [`Job`], by concern:
//!
//! - [`types`]: the serializable view structs (`page`, `site`, links, …);
//! - `job`: which template a job renders and the views it receives,
//!   print documents and derived pages included;
//! - `page`: one page's view, its translations and body;
//! - `listing`: links, listings, neighbours, ancestors, groups;
//! - `facets`: labelled field values, facet navigation, filters;
//! - `site`: what every page of a language shows (`site`);
//! - `model`: the loaded site, reached only through accessors that record
//!   what each view read ([`Reads`], [`Input`]).
//!
//! Building a view records its reads; `serve` keeps them and, after an
//! edit, renders again the jobs that read an input whose value
//! ([`ViewBuilder::value`]) changed. Views shared by many pages (the `site`
//! value of a language and folder, a section's facet counts) are made once
//! per builder and recorded as one input with reads of their own.

mod facets;
mod job;
mod listing;
mod model;
mod page;
mod reads;
mod site;
pub(crate) mod types;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use job::Job;
pub(crate) use job::Prepared;
use model::Model;
pub(crate) use model::{Index, Parts};
pub(crate) use reads::HashWriter;
pub(crate) use reads::{Input, Reads};
pub(crate) use types::{FacetFieldView, FactView, LinkView, SiteView};

/// A view shared by many pages, made once per builder: its value, a hash
/// of it, and what it read.
struct Shared {
    value: SharedValue,
    hash: u64,
    reads: Vec<Input>,
}

enum SharedValue {
    Site(tera::Value),
    Fields(Vec<FacetFieldView>),
}

/// Makes the views of one state of the site, for any number of jobs (in
/// parallel). Shared views are made once and kept.
pub struct ViewBuilder<'a> {
    model: Model<'a>,
    /// Page bodies stand in by their hashes (for fingerprints).
    fingerprint: bool,
    /// Whether shared views keep what they read (a build needs no record).
    recording: bool,
    shared: Mutex<HashMap<Input, Arc<Shared>>>,
    /// The sizes of the print editions' PDFs made so far, by site path
    /// (`/de/print.pdf`), for the links' "(240 kB)".
    pdf_sizes: HashMap<String, u64>,
}

impl<'a> ViewBuilder<'a> {
    /// A builder over the parts of a loaded site.
    pub fn new(parts: Parts<'a>) -> Self {
        ViewBuilder {
            model: Model::new(parts),
            fingerprint: false,
            recording: true,
            shared: Mutex::default(),
            pdf_sizes: HashMap::new(),
        }
    }

    /// Makes page bodies stand in by their hashes: views then fingerprint
    /// a render without copying every body.
    pub fn fingerprint(mut self, on: bool) -> Self {
        self.fingerprint = on;
        self
    }

    /// Whether shared views keep what they read (off for a one-off build).
    pub fn recording(mut self, on: bool) -> Self {
        self.recording = on;
        self
    }

    /// The sizes of the PDFs already made (site path → bytes), shown
    /// beside their links.
    pub fn pdf_sizes(mut self, sizes: HashMap<String, u64>) -> Self {
        self.pdf_sizes = sizes;
        self
    }

    /// Whether page bodies stand in by their hashes.
    pub fn is_fingerprint(&self) -> bool {
        self.fingerprint
    }

    /// A record for one job's reads: keeps them if this builder records.
    pub fn reads(&self) -> Reads {
        if self.recording {
            Reads::new()
        } else {
            Reads::off()
        }
    }

    /// The value of `input` now: a hash of what its accessor returns (for
    /// a shared view, of the view), and for a shared view what it read.
    pub fn value(&self, input: &Input) -> (u64, Option<Vec<Input>>) {
        match input {
            Input::SiteView(lang, dir) => {
                let shared = self.shared(input, |r| {
                    let view = self.site(r, lang, dir);
                    (
                        reads::hash_serialized(&view),
                        SharedValue::Site(tera::Value::from_serializable(&view)),
                    )
                });
                (shared.hash, Some(shared.reads.clone()))
            }
            Input::Facets(dir, lang) => {
                let shared = self.shared(input, |r| {
                    let fields = self.count_facets(r, dir, lang);
                    (reads::hash_serialized(&fields), SharedValue::Fields(fields))
                });
                (shared.hash, Some(shared.reads.clone()))
            }
            Input::Filters(dir, lang) => {
                let shared = self.shared(input, |r| {
                    let fields = self.count_filters(r, dir, lang);
                    (reads::hash_serialized(&fields), SharedValue::Fields(fields))
                });
                (shared.hash, Some(shared.reads.clone()))
            }
            _ => (self.model.value(input), None),
        }
    }

    /// Every shared view made so far: its input, value and reads.
    pub fn shared_views(&self) -> Vec<(Input, u64, Vec<Input>)> {
        self.shared
            .lock()
            .map(|shared| {
                shared
                    .iter()
                    .map(|(input, s)| (input.clone(), s.hash, s.reads.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The shared view `input`, made by `make` the first time.
    fn shared(
        &self,
        input: &Input,
        make: impl FnOnce(&Reads) -> (u64, SharedValue),
    ) -> Arc<Shared> {
        if let Some(found) = self
            .shared
            .lock()
            .ok()
            .and_then(|shared| shared.get(input).cloned())
        {
            return found;
        }
        let reads = self.reads();
        let (hash, value) = make(&reads);
        let made = Arc::new(Shared {
            value,
            hash,
            reads: reads.into_inputs(),
        });
        if let Ok(mut shared) = self.shared.lock() {
            shared.insert(input.clone(), Arc::clone(&made));
        }
        made
    }

    /// The `site` value of [`Input::SiteView`], recorded into `r`.
    fn shared_site(
        &self,
        r: &Reads,
        input: Input,
        make: impl FnOnce(&Reads) -> SiteView<'a>,
    ) -> (tera::Value, u64) {
        let shared = self.shared(&input, |r| {
            let view = make(r);
            (
                reads::hash_serialized(&view),
                SharedValue::Site(tera::Value::from_serializable(&view)),
            )
        });
        r.add(|| input);
        match &shared.value {
            SharedValue::Site(value) => (value.clone(), shared.hash),
            SharedValue::Fields(_) => (tera::Value::none(), shared.hash),
        }
    }

    /// The field views of [`Input::Facets`] or [`Input::Filters`],
    /// recorded into `r`.
    fn shared_fields(
        &self,
        r: &Reads,
        input: Input,
        make: impl FnOnce(&Reads) -> Vec<FacetFieldView>,
    ) -> Vec<FacetFieldView> {
        let shared = self.shared(&input, |r| {
            let fields = make(r);
            (reads::hash_serialized(&fields), SharedValue::Fields(fields))
        });
        r.add(|| input);
        match &shared.value {
            SharedValue::Fields(fields) => fields.clone(),
            SharedValue::Site(_) => Vec::new(),
        }
    }
}
