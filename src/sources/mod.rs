//! Where a site's files come from: the site folder on disk, read without
//! following links out of it ([`disk`]), and what git knows about them
//! ([`git`]).

pub mod disk;
pub mod git;
pub mod layers;
pub mod theme;

pub use disk::{SiteDir, WalkedFile};
