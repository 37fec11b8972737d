//! Where rendered Markdown waits during a build. A build renders every
//! page's Markdown first (links and anchors of all pages must be known
//! before any page is written) and its templates afterwards; holding all
//! bodies in memory in between made memory grow with the site. A build
//! therefore appends each body to one unnamed temporary file next to the
//! output as soon as it is rendered, and reads it back when its page is
//! written. The file is deleted as soon as it is created (only the open
//! handle keeps it), so nothing is left behind, whatever happens.

use std::borrow::Cow;
use std::fs::File;
use std::ops::Deref;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::markdown::RenderedMarkdown;

/// An append-only file of page bodies.
#[derive(Debug)]
pub struct Spill {
    file: File,
    /// The end of the space handed out so far: each body reserves its
    /// range here and is written outside any lock.
    end: AtomicU64,
}

/// Where one body stands in a [`Spill`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spilled {
    offset: u64,
    len: u32,
}

impl Spill {
    /// Creates the file in `dir` and removes its name at once.
    pub fn create(dir: &Path) -> std::io::Result<Spill> {
        let path = dir.join(format!(
            ".drehbuch-spill-{}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        std::fs::remove_file(&path)?;
        Ok(Spill {
            file,
            end: AtomicU64::new(0),
        })
    }

    /// Appends `text`; `None` if it could not be written (the caller keeps
    /// the text in memory then).
    pub fn put(&self, text: &str) -> Option<Spilled> {
        let len = u32::try_from(text.len()).ok()?;
        // A failed write leaves an unused gap, which is never read.
        let offset = self.end.fetch_add(u64::from(len), Ordering::Relaxed);
        self.file.write_all_at(text.as_bytes(), offset).ok()?;
        Some(Spilled { offset, len })
    }

    /// Reads a body back.
    pub fn get(&self, at: Spilled) -> String {
        let mut bytes = vec![0; at.len as usize];
        match self.file.read_exact_at(&mut bytes, at.offset) {
            Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_come_back_as_written_and_leave_no_file() {
        let dir = std::env::temp_dir().join(format!("drehbuch-spill-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spill = Spill::create(&dir).unwrap();
        let a = spill.put("<p>Grüße</p>").unwrap();
        let b = spill.put("").unwrap();
        let c = spill.put("<h2>x</h2>").unwrap();
        assert_eq!(spill.get(c), "<h2>x</h2>");
        assert_eq!(spill.get(a), "<p>Grüße</p>");
        assert_eq!(spill.get(b), "");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            0,
            "the name is gone"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
