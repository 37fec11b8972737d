//! Where a site's files come from: the site folder on disk, read without
//! following links out of it ([`disk`]).

pub mod disk;
pub mod layers;
pub mod theme;

pub use disk::{SiteDir, WalkedFile};
