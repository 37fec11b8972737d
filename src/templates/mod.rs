//! Templates: tera 2 with the theme's templates, overridden file by file by
//! the site's `templates/` folder, plus drehbuch's template functions:
//! `t(key, count)` for UI strings, `format_date` and `number` filters, and
//! `asset(path)` for static files. Shortcode templates are tera components
//! in `templates/shortcodes/`, whose typed parameters declare the arguments.

pub mod i18n;
pub mod views;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ComponentArgType, Context, Kwargs, State, Tera};

use crate::content::files::display_path;
use crate::content::front_matter::Date;
use crate::diagnostics::{Diagnostic, DiagnosticSink};
use crate::markdown::shortcodes::{ArgSpec, ArgType, ShortcodeCall, Signature};
use crate::sources::SiteDir;
use i18n::{I18n, Lookup};

/// The templates a theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 5] = [
    "base.html",
    "home.html",
    "section.html",
    "page.html",
    "404.html",
];

/// The loaded template set and the site's shortcode signatures.
pub struct Templates {
    tera: Tera,
    /// Template name → file it came from, for error messages.
    sources: BTreeMap<String, PathBuf>,
    /// Shortcodes defined as components under `shortcodes/`.
    shortcodes: BTreeMap<String, Signature>,
    /// UI string keys written literally as `t(key="…")`: (file, line, key).
    literal_keys: Vec<(PathBuf, usize, String)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("sources", &self.sources)
            .finish()
    }
}

impl Templates {
    /// Loads `themes/<theme>/templates` and `templates/` (site overrides).
    pub fn load(
        root: &Path,
        theme: &str,
        i18n: Arc<I18n>,
        base_path: &str,
        warnings: DiagnosticSink,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let theme_dir = root.join("themes").join(theme).join("templates");
        if !theme_dir.is_dir() {
            return Err(vec![Diagnostic::file_error(
                Path::new("site.yaml"),
                format!("the theme `{theme}` has no folder themes/{theme}/templates"),
            )
            .with_help("set `theme:` in site.yaml to a folder under themes/, or remove it to use `default`")]);
        }
        let site = SiteDir::new(root).map_err(|e| {
            vec![Diagnostic::file_error(
                Path::new("templates"),
                format!("cannot open the site folder: {e}"),
            )]
        })?;
        let mut sources: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut walk_errors = Vec::new();
        for dir in [theme_dir, root.join("templates")] {
            let (files, mut problems) = site.walk(&dir, true);
            walk_errors.append(&mut problems);
            for file in files {
                if matches!(
                    Path::new(&file.relative)
                        .extension()
                        .and_then(|e| e.to_str()),
                    Some("html" | "xml" | "txt")
                ) {
                    sources.insert(file.relative, file.path);
                }
            }
        }
        if !walk_errors.is_empty() {
            return Err(walk_errors);
        }
        let mut errors = Vec::new();
        for required in REQUIRED_TEMPLATES {
            if !sources.contains_key(required) {
                errors.push(Diagnostic::file_error(
                    Path::new(&format!("themes/{theme}/templates")),
                    format!("the theme has no `{required}` template"),
                ));
            }
        }
        let mut tera = Tera::new();
        register_functions(&mut tera, i18n, base_path.to_string(), warnings);
        let mut texts = Vec::new();
        for (name, path) in &sources {
            match std::fs::read_to_string(path) {
                Ok(text) => texts.push((name.clone(), text)),
                Err(e) => errors.push(Diagnostic::file_error(
                    &shown(root, path),
                    format!("cannot read template: {e}"),
                )),
            }
        }
        if let Err(e) = tera.add_raw_templates(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            let message = e.to_string();
            let file = sources
                .iter()
                .find(|(name, _)| message.contains(name.as_str()))
                .map(|(_, p)| shown(root, p))
                .unwrap_or_else(|| PathBuf::from("templates"));
            errors.push(Diagnostic::file_error(
                &file,
                format!("template error: {}", one_line(&message)),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let shortcodes = sources
            .keys()
            .filter_map(|name| {
                let stem = name.strip_prefix("shortcodes/")?.strip_suffix(".html")?;
                let info = tera.get_component_definition(stem)?;
                let args = info
                    .args()
                    .iter()
                    .map(|a| ArgSpec {
                        name: a.name().to_string(),
                        kind: a.arg_type().and_then(|t| match t {
                            ComponentArgType::String => Some(ArgType::String),
                            ComponentArgType::Bool => Some(ArgType::Bool),
                            ComponentArgType::Integer => Some(ArgType::Integer),
                            ComponentArgType::Float | ComponentArgType::Number => {
                                Some(ArgType::Number)
                            }
                            _ => None,
                        }),
                        required: a.is_required(),
                    })
                    .collect();
                Some((
                    stem.to_string(),
                    Signature {
                        args,
                        open: info.rest_param().is_some(),
                    },
                ))
            })
            .collect();
        let literal_keys = texts
            .iter()
            .flat_map(|(name, text)| {
                let file = shown(root, &sources[name]);
                literal_ui_keys(text)
                    .into_iter()
                    .map(move |(line, key)| (file.clone(), line, key))
            })
            .collect();
        Ok(Templates {
            tera,
            sources,
            shortcodes,
            literal_keys,
        })
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders a template; errors name the template file.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, String> {
        self.tera.render(name, context).map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            format!("template `{name}` failed: {}", one_line(&message))
        })
    }

    /// UI string keys the templates name literally: (file, line, key).
    /// Keys built from expressions (`"field." ~ name`) are not listed.
    pub fn literal_keys(&self) -> &[(PathBuf, usize, String)] {
        &self.literal_keys
    }

    /// Signatures of the site's shortcode components.
    pub fn shortcodes(&self) -> &BTreeMap<String, Signature> {
        &self.shortcodes
    }

    /// Renders a site shortcode component for a page in `lang`.
    pub fn render_shortcode(&self, call: &ShortcodeCall, lang: &str) -> Result<String, String> {
        let mut args = Context::new();
        for (name, value) in &call.args {
            args.insert(name.clone(), value);
        }
        let mut implicits = Context::new();
        implicits.insert("lang", lang);
        self.tera
            .render_component_with_implicits(&call.name, &args, &implicits, None, true)
            .map_err(|e| {
                format!(
                    "shortcode `{}` failed: {}",
                    call.name,
                    one_line(&e.to_string())
                )
            })
    }
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    PathBuf::from(display_path(root, path))
}

/// `(line, key)` of every `t(key="…")` whose key is a plain literal.
fn literal_ui_keys(text: &str) -> Vec<(usize, String)> {
    let mut keys = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("t(key=") {
            rest = &rest[at + "t(key=".len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let inner = &rest[1..];
            if let Some(end) = inner.find(quote) {
                let after = inner[end + 1..].trim_start();
                // `"field." ~ name` builds the key at render time: skip it.
                if !after.starts_with('~') {
                    keys.push((number + 1, inner[..end].to_string()));
                }
            }
        }
    }
    keys
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn current_lang(kwargs: &Kwargs, state: &State) -> tera::TeraResult<String> {
    if let Some(lang) = kwargs.get::<String>("lang")? {
        return Ok(lang);
    }
    Ok(state.get::<String>("lang")?.unwrap_or_default())
}

fn register_functions(
    tera: &mut Tera,
    i18n: Arc<I18n>,
    base_path: String,
    warnings: DiagnosticSink,
) {
    let strings = Arc::clone(&i18n);
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let key = kwargs.must_get::<String>("key")?;
        let lang = current_lang(&kwargs, state)?;
        let count = kwargs.get::<f64>("count")?;
        let mut vars: Vec<(&str, String)> = Vec::new();
        for (name, value) in kwargs.iter() {
            let name = name.as_str().unwrap_or("");
            if !["key", "count", "lang"].contains(&name) {
                let text = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                vars.push((name, text));
            }
        }
        match strings.translate(&lang, &key, count, &vars) {
            Ok(Lookup::Found(text)) => Ok(text),
            Ok(Lookup::Fallback(text)) => {
                warnings.push(
                    Diagnostic::file_error(
                        Path::new(&format!("i18n/{lang}.yaml")),
                        format!("the UI string `{key}` is missing; pages in `{lang}` show the default language's text"),
                    )
                    .with_help(format!("add `{key}:` under `strings:`"))
                    .warning()
                    .with_kind("i18n"),
                );
                Ok(text)
            }
            Err(message) => Err(tera::Error::message(message)),
        }
    });
    let dates = Arc::clone(&i18n);
    tera.register_filter(
        "format_date",
        move |value: String, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let lang = current_lang(&kwargs, state)?;
            match Date::parse(&value) {
                Some(date) => Ok(dates.date(&lang, date)),
                None => Err(tera::Error::message(format!(
                    "`{value}` is not a date (YYYY-MM-DD)"
                ))),
            }
        },
    );
    let numbers = Arc::clone(&i18n);
    tera.register_filter(
        "number",
        move |value: f64, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let lang = current_lang(&kwargs, state)?;
            let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(0).clamp(0, 10) as usize;
            Ok(numbers.number(&lang, value, decimals))
        },
    );
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path = kwargs.must_get::<String>("path")?;
            Ok(format!("{base_path}{}", path.trim_start_matches('/')))
        },
    );
}
