//! The loaded theme: the layers files are looked up in (built-in theme,
//! theme folder, site), the UI strings and the templates. A part that
//! fails to load is reported and replaced by the built-in one, so the rest
//! of the build goes on and reports its own problems; whether the
//! templates are the site's or stand-ins is a value ([`TemplateSet`]),
//! which rendering asks before it renders anything.

use std::path::Path;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::i18n::I18n;
use crate::sources::SiteDir;
use crate::sources::layers::Layers;
use crate::templates::Templates;

/// The site's templates, or the built-in ones standing in for them.
pub enum TemplateSet {
    /// The templates of every layer loaded: pages render with them.
    Loaded(Templates),
    /// They failed to load (the diagnostics say why): the built-in
    /// templates stand in for shortcode signatures and UI strings, and
    /// nothing is rendered.
    StandIn(Templates),
}

impl TemplateSet {
    /// The templates, loaded or standing in.
    pub fn any(&self) -> &Templates {
        match self {
            TemplateSet::Loaded(t) | TemplateSet::StandIn(t) => t,
        }
    }

    /// The templates, if they loaded.
    pub fn loaded(&self) -> Option<&Templates> {
        match self {
            TemplateSet::Loaded(t) => Some(t),
            TemplateSet::StandIn(_) => None,
        }
    }
}

/// Layers, UI strings and templates, loaded together.
pub struct Theme {
    /// Built-in theme, theme folder and site, in override order.
    pub layers: Layers,
    /// UI strings and locale formats.
    pub i18n: Arc<I18n>,
    /// Templates and shortcode components.
    pub templates: TemplateSet,
}

impl Theme {
    /// Loads the theme of the site in `dir`; broken site files get the
    /// built-in ones standing in, with their problems returned beside.
    /// `Err` only when the built-in theme itself cannot be loaded.
    pub fn load(
        dir: &SiteDir,
        config: &SiteConfig,
    ) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let layers = match Layers::new(dir, &config.theme) {
            Ok(l) => l,
            Err(d) => {
                diagnostics.push(d);
                Layers::without_theme(dir)
            }
        };
        let builtin = || Layers::builtin_only(dir);
        let (i18n, strings_loaded) = match I18n::load(&layers, config) {
            Ok(i) => (Arc::new(i), true),
            Err(mut e) => {
                diagnostics.append(&mut e);
                (Arc::new(I18n::load(&builtin(), config)?), false)
            }
        };
        // With the site's strings failed (reported above), the stand-in
        // has none of them: no language is really without strings.
        if strings_loaded {
            diagnostics.extend(without_strings(&i18n));
        }
        let base_path = &config.base_url.path;
        let templates = match Templates::load(&layers, Arc::clone(&i18n), base_path) {
            Ok(t) => TemplateSet::Loaded(t),
            Err(mut e) => {
                diagnostics.append(&mut e);
                TemplateSet::StandIn(Templates::load(&builtin(), Arc::clone(&i18n), base_path)?)
            }
        };
        Ok((
            Theme {
                layers,
                i18n,
                templates,
            },
            diagnostics,
        ))
    }
}

/// A warning for each site language without any UI strings.
fn without_strings(i18n: &I18n) -> Vec<Diagnostic> {
    i18n.languages_without_strings()
        .into_iter()
        .map(|(lang, used)| {
            Diagnostic::file_error(
                Path::new(&format!("i18n/{lang}.yaml")),
                format!(
                    "there are no UI strings for `{lang}`; pages in `{lang}` show the interface in `{used}`"
                ),
            )
            .with_help(format!(
                "create i18n/{lang}.yaml with the strings under `strings:` (`drehbuch theme eject` shows every key in i18n/en.yaml)"
            ))
            .warning()
            .with_kind("i18n")
        })
        .collect()
}
