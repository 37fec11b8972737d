//! Where a site's files come from: the site folder on disk, read without
//! following links out of it ([`disk`]), and what git knows about them
//! ([`git`]).

pub(crate) mod disk;
pub(crate) mod git;
pub mod layers;
pub mod theme;

pub use disk::{SiteDir, WalkedFile};

/// Name of the marker file every build writes into its output folder
/// (`output::target`). A site's static files never publish a file of that
/// name, so `site.yaml` cannot ask for one.
pub const OUTPUT_MARKER: &str = ".drehbuch-output";
