//! drehbuch: a static-site generator for multilingual, data-illustrated
//! handbooks.
//!
//! The build is a pipeline of stages that hand plain data to the next:
//!
//! 1. [`config`]: `site.yaml` → [`config::SiteConfig`];
//! 2. [`content`]: `content/**/*.md` → [`content::Content`] (pages, sections,
//!    languages, URLs, translation groups);
//! 3. [`markdown`]: each body → [`markdown::RenderedMarkdown`] (HTML, toc,
//!    anchors, links), in parallel;
//! 4. [`templates`]: tera templates, i18n strings and typed views → HTML;
//! 5. [`output`]: sitemap and an atomic write of the site.
//!
//! [`charts`] draws sensor summaries and field counts as SVG charts for the
//! chart shortcodes; the summaries come from the workspace crate
//! `drehbuch-sensors` (crates/drehbuch-sensors), which [`sensors_cli`]
//! runs as `drehbuch sensors summarize`.
//!
//! [`site`] runs the stages in order and collects every diagnostic
//! ([`diagnostics`]) before deciding whether to write anything.

pub mod charts;
pub mod check;
pub mod cms;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod html;
pub mod i18n;
pub mod init;
pub mod markdown;
pub mod output;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod sensors_cli;
pub mod serve;
pub mod site;
pub mod sources;
pub(crate) mod templates;
pub mod text;
pub(crate) mod timing;
pub(crate) mod yaml;
