//! Output: what a build writes and how. Pages are [`OutputFile`]s at
//! paths derived from their URLs; [`sitemap`] lists them; [`feeds`] are
//! the Atom feeds; [`search`] builds the search index; [`relative`]
//! rewrites links for `--relative` builds; [`target`] decides which folder
//! a build may replace, and [`writer`] writes into a temporary folder and
//! swaps it in, so a failed or killed build never leaves a broken site;
//! [`spill`] (from [`crate::content`]) keeps what waits during a build on
//! disk.

pub(crate) mod feeds;
pub mod relative;
pub(crate) mod search;
pub(crate) mod sitemap;
pub(crate) mod target;
pub(crate) mod writer;

pub(crate) use crate::content::spill;
pub use target::OutputTarget;
pub use writer::OutputWriter;

/// One file of the built site.
#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}
