//! Rendered Markdown during a build: each page's body waits in the
//! build's [`Spill`] file from when it is rendered until its page is
//! written (see [`super::spill`]).

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::Arc;

use super::spill::{Spill, Spilled};
use crate::markdown::RenderedMarkdown;

/// The rendered Markdown of every page (by page id); in a build, the
/// bodies wait in a [`Spill`] and are read back one at a time.
#[derive(Debug, Default)]
pub struct Rendered {
    pages: Vec<RenderedMarkdown>,
    spill: Option<Arc<Spill>>,
    spilled: Vec<Option<Spilled>>,
}

impl Rendered {
    /// Rendered pages whose bodies are in memory.
    pub fn new(pages: Vec<RenderedMarkdown>) -> Rendered {
        Rendered {
            pages,
            ..Rendered::default()
        }
    }

    /// Rendered pages, where `spilled[id]` says where a body stands in
    /// `spill` (its `html` is then empty).
    pub fn spilled(
        pages: Vec<RenderedMarkdown>,
        spill: Arc<Spill>,
        spilled: Vec<Option<Spilled>>,
    ) -> Rendered {
        Rendered {
            pages,
            spill: Some(spill),
            spilled,
        }
    }

    /// The body HTML of page `id`.
    pub fn body(&self, id: usize) -> Cow<'_, str> {
        match (&self.spill, self.spilled.get(id).copied().flatten()) {
            (Some(spill), Some(at)) => Cow::Owned(spill.get(at)),
            _ => Cow::Borrowed(self.pages.get(id).map(|r| r.html.as_str()).unwrap_or("")),
        }
    }

    /// Replaces one page's rendering (its body in memory).
    pub fn set(&mut self, id: usize, page: RenderedMarkdown) {
        if let Some(slot) = self.spilled.get_mut(id) {
            *slot = None;
        }
        self.pages[id] = page;
    }

    /// The renderings, bodies included (a preview never spills).
    pub fn into_pages(self) -> Vec<RenderedMarkdown> {
        self.pages
    }
}

impl Deref for Rendered {
    type Target = [RenderedMarkdown];
    fn deref(&self) -> &[RenderedMarkdown] {
        &self.pages
    }
}
