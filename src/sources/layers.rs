//! Layered theme files. Templates, static files and UI strings come from up
//! to three layers, lowest first:
//!
//! 1. the built-in theme ([`super::theme`]);
//! 2. `themes/<name>/` on disk, if `site.yaml` names a theme folder (or
//!    `themes/default/` exists, for example after `drehbuch theme eject`);
//! 3. the site itself: `templates/`, `static/`, `i18n/`.
//!
//! A file in a higher layer replaces the file of the same path below it;
//! UI strings are merged key by key (see `i18n`).
//!
//! Hidden files and folders (names starting with `.`) are never layered
//! files: `.env` or `.git/` in `static/` are not published. Exceptions are
//! `.well-known/` and what a site lists under `publish_hidden` in
//! site.yaml ([`Layers::static_files`]); build, check and serve all list
//! static files here, so they agree.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::SiteDir;
use super::theme::{self, BUILTIN_NAME};
use crate::diagnostics::Diagnostic;

/// Where a layered file comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The built-in theme, by its path inside the theme.
    Builtin(&'static str),
    /// A file on disk inside the site folder.
    Disk(PathBuf),
}

/// The kinds of files that layers provide, each a folder in every layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `templates/`: tera templates and shortcode components.
    Templates,
    /// `static/`: files copied into the site as they are.
    Static,
    /// `i18n/`: UI strings per language.
    I18n,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::Templates => "templates",
            Kind::Static => "static",
            Kind::I18n => "i18n",
        }
    }
}

#[derive(Clone, Debug)]
enum Layer {
    Builtin,
    Folder(PathBuf),
}

/// Whether the hidden static file or folder at `relative` (inside
/// `static/`) is published: `.well-known` always is; an entry of
/// `publish_hidden` without `/` names every file or folder of that name,
/// one with `/` the path from `static/`.
pub fn publishes_hidden(relative: &str, publish_hidden: &[String]) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    name == ".well-known"
        || publish_hidden.iter().any(|entry| {
            if entry.contains('/') {
                entry == relative
            } else {
                entry == name
            }
        })
}

/// The layers of one site, lowest first.
#[derive(Clone, Debug)]
pub struct Layers {
    site: SiteDir,
    layers: Vec<Layer>,
}

impl Layers {
    /// The layers for a site using theme `theme`: the built-in theme, then
    /// `themes/<theme>/` if it exists, then the site. A theme other than the
    /// built-in one must exist on disk.
    pub fn new(site: &SiteDir, theme: &str) -> Result<Layers, Diagnostic> {
        let theme_dir = site.root.join("themes").join(theme);
        let mut layers = vec![Layer::Builtin];
        match site.check(&theme_dir) {
            Ok(true) if theme_dir.is_dir() => layers.push(Layer::Folder(theme_dir)),
            Ok(_) if theme == BUILTIN_NAME => {}
            Ok(_) => {
                return Err(Diagnostic::file_error(
                    Path::new("site.yaml"),
                    format!("the theme `{theme}` is not built in, and there is no folder themes/{theme}/"),
                )
                .with_kind("theme")
                .with_help(format!(
                    "remove `theme:` from site.yaml to use the built-in theme, or create themes/{theme}/ (`drehbuch theme eject --to themes/{theme}` copies the built-in theme there to start from)"
                )));
            }
            Err(d) => return Err(d),
        }
        layers.push(Layer::Folder(site.root.clone()));
        Ok(Layers {
            site: site.clone(),
            layers,
        })
    }

    /// The built-in theme and the site's own files, without the theme
    /// folder `site.yaml` names: what stands in when that folder is
    /// missing (an error already), so the site's own templates and
    /// shortcodes still count and are not reported as unknown.
    pub fn without_theme(site: &SiteDir) -> Layers {
        Layers {
            site: site.clone(),
            layers: vec![Layer::Builtin, Layer::Folder(site.root.clone())],
        }
    }

    /// Only the built-in theme: what stands in when the site's own theme
    /// files fail to load, so the rest of the site can still be checked.
    pub fn builtin_only(site: &SiteDir) -> Layers {
        Layers {
            site: site.clone(),
            layers: vec![Layer::Builtin],
        }
    }

    /// The site folder these layers read from.
    pub fn site(&self) -> &SiteDir {
        &self.site
    }

    /// Every file of `kind`, by its path inside the kind's folder
    /// (`base.html`, `css/site.css`, `de.yaml`); higher layers win. Hidden
    /// files are left out (static ones as [`Layers::static_files`] says).
    pub fn files(&self, kind: Kind) -> (BTreeMap<String, Origin>, Vec<Diagnostic>) {
        let (files, _, problems) = match kind {
            Kind::Static => self.static_files(&[]),
            _ => self.layered(kind, &|_| false),
        };
        (files, problems)
    }

    /// The static files to publish, by output path (higher layers win),
    /// and the hidden files and folders left out (paths inside `static/`,
    /// folders with a trailing `/`, sorted, each once). A hidden one is
    /// published only if it is `.well-known` or `publish_hidden` lists it
    /// ([`publishes_hidden`]).
    pub fn static_files(
        &self,
        publish_hidden: &[String],
    ) -> (BTreeMap<String, Origin>, Vec<String>, Vec<Diagnostic>) {
        self.layered(Kind::Static, &|relative| {
            publishes_hidden(relative, publish_hidden)
        })
    }

    /// Every file of `kind` in every layer, with the hidden ones that
    /// `keep` does not keep left out and returned (see [`SiteDir::walk_hidden`]).
    fn layered(
        &self,
        kind: Kind,
        keep: &dyn Fn(&str) -> bool,
    ) -> (BTreeMap<String, Origin>, Vec<String>, Vec<Diagnostic>) {
        let mut out = BTreeMap::new();
        let mut skipped = std::collections::BTreeSet::new();
        let mut problems = Vec::new();
        let prefix = format!("{}/", kind.folder());
        for layer in &self.layers {
            match layer {
                Layer::Builtin => {
                    for (path, _) in theme::files() {
                        if let Some(relative) = path.strip_prefix(&prefix) {
                            out.insert(relative.to_string(), Origin::Builtin(path));
                        }
                    }
                }
                Layer::Folder(dir) => {
                    let (files, hidden, mut errors) =
                        self.site.walk_hidden(&dir.join(kind.folder()), keep);
                    problems.append(&mut errors);
                    skipped.extend(hidden);
                    for file in files {
                        out.insert(file.relative, Origin::Disk(file.path));
                    }
                }
            }
        }
        (out, skipped.into_iter().collect(), problems)
    }

    /// Every layer's version of one file (`de.yaml` of `i18n`), lowest first.
    pub fn versions(&self, kind: Kind, relative: &str) -> (Vec<Origin>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        let path = format!("{}/{relative}", kind.folder());
        for layer in &self.layers {
            match layer {
                Layer::Builtin => {
                    if let Some(i) = theme::files().iter().position(|(p, _)| *p == path) {
                        out.push(Origin::Builtin(theme::files()[i].0));
                    }
                }
                Layer::Folder(dir) => {
                    let file = dir.join(&path);
                    match self.site.check(&file) {
                        Ok(true) if file.is_file() => out.push(Origin::Disk(file)),
                        Ok(_) => {}
                        Err(d) => problems.push(d),
                    }
                }
            }
        }
        (out, problems)
    }

    /// The bytes of a layered file.
    pub fn read(&self, origin: &Origin) -> Result<Cow<'static, [u8]>, Diagnostic> {
        match origin {
            Origin::Builtin(path) => theme::file(path).map(Cow::Borrowed).ok_or_else(|| {
                Diagnostic::file_error(Path::new(path), "missing from the built-in theme")
            }),
            Origin::Disk(path) => match self.site.read(path)? {
                Some(bytes) => Ok(Cow::Owned(bytes)),
                None => Err(Diagnostic::file_error(
                    &self.site.shown(path),
                    "the file disappeared while reading",
                )),
            },
        }
    }

    /// How a layered file is named in messages: its path in the site, or
    /// `(built-in theme)/templates/base.html`.
    pub fn shown(&self, origin: &Origin) -> PathBuf {
        match origin {
            Origin::Builtin(path) => PathBuf::from(format!("(built-in theme)/{path}")),
            Origin::Disk(path) => self.site.shown(path),
        }
    }
}
