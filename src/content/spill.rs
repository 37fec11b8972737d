//! Where data waits during a build, out of memory. A build renders every
//! page's Markdown first (links and anchors of all pages must be known
//! before any page is written) and its templates afterwards, and the
//! search index can only be built once every page is rendered; holding
//! all of that in memory in between made memory grow with the site. A
//! build therefore appends each body (and each page's indexed text) to one
//! unnamed temporary file next to the output as soon as it is made, and
//! reads it back when it is needed. The file is deleted as soon as it is
//! created (only the open handle keeps it), so nothing is left behind,
//! whatever happens.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// An append-only file of texts (page bodies, indexed page text).
#[derive(Debug)]
pub struct Spill {
    file: File,
    /// The end of the space handed out so far: each text reserves its
    /// range here and is written outside any lock.
    end: AtomicU64,
}

/// Where one text stands in a [`Spill`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spilled {
    offset: u64,
    len: u32,
}

impl Spill {
    /// Creates the file in `dir` without a name that outlives it:
    /// tempfile opens it unnamed (`O_TMPFILE`) where the file system can,
    /// else under a random name it removes at once.
    pub fn create(dir: &Path) -> std::io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile_in(dir)?,
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

    /// Reads a text back.
    pub fn get(&self, at: Spilled) -> String {
        let mut bytes = vec![0; at.len as usize];
        match self.file.read_exact_at(&mut bytes, at.offset) {
            Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
            Err(_) => String::new(),
        }
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
