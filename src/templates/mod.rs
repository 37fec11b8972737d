//! Templates: tera 2 with the layered theme templates (built-in, theme
//! folder, site `templates/`; see [`crate::sources::layers`]), plus
//! drehbuch's template functions: `t(key, count)` for UI strings,
//! `format_date` and `number` filters, and `asset(path)` for static files.
//! Shortcode templates are tera components in `templates/shortcodes/`,
//! whose typed parameters declare the arguments.
//!
//! Every built-in template can also be named `builtin/<name>`, so a site's
//! `templates/base.html` can extend the built-in one
//! (`{% extends "builtin/base.html" %}`) instead of copying it.
//!
//! A UI string that is missing does not stop a render: `t()` records it in
//! a [`StringLog`] and goes on, so every missing string of a build is
//! reported in one run, each once, at the template line that names it.

pub(crate) mod print;
pub(crate) mod render_limit;
pub(crate) mod scan;
pub(crate) mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tera::{ComponentArgType, Context, Kwargs, State, Tera};

use crate::content::front_matter::Date;
use crate::diagnostics::{Diagnostic, Severity};
use crate::i18n::{I18n, Lookup};
use crate::markdown::shortcodes::{ArgSpec, ArgType, ShortcodeCall, Signature};
use crate::sources::layers::{Kind, Layers, Origin};
use scan::TemplateFacts;

/// The prefix that names a template of the built-in theme, whatever the
/// site's own templates replace (`builtin/base.html`).
pub(crate) const BUILTIN_PREFIX: &str = "builtin/";

/// Context key naming the template being rendered, so template functions
/// can say where a problem comes from.
const TEMPLATE_KEY: &str = "__template";

/// Context key numbering one render, so template functions can say which
/// render read the UI strings of another language.
const RENDER_KEY: &str = "__render";

/// A UI string a render asked for and did not find in the page's language.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StringProblem {
    /// The key.
    pub key: String,
    /// The page's language.
    pub lang: String,
    /// The language whose text was used instead; `None` when no language
    /// defines the key (the key itself was output, and the build fails).
    pub fallback: Option<String>,
    /// The template being rendered when it happened.
    pub template: String,
}

/// Missing UI strings, collected from parallel renders; each (key,
/// language) once.
#[derive(Clone, Debug, Default)]
pub struct StringLog(Arc<Mutex<BTreeMap<(String, String), StringProblem>>>);

impl StringLog {
    fn record(&self, problem: StringProblem) {
        if let Ok(mut all) = self.0.lock() {
            all.entry((problem.key.clone(), problem.lang.clone()))
                .or_insert(problem);
        }
    }

    /// Everything recorded so far, sorted by key and language.
    pub fn problems(&self) -> Vec<StringProblem> {
        self.0
            .lock()
            .map(|all| all.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Forgets everything (before a rebuild).
    pub fn clear(&self) {
        if let Ok(mut all) = self.0.lock() {
            all.clear();
        }
    }
}

/// The languages besides the page's own whose UI strings or formats each
/// render asked for (`t(key=…, lang="en")`), by render number: what a
/// page's template read beyond its views.
#[derive(Clone, Debug, Default)]
struct LanguageLog(Arc<Mutex<BTreeMap<u64, BTreeSet<String>>>>);

impl LanguageLog {
    fn record(&self, render: u64, lang: &str) {
        if let Ok(mut all) = self.0.lock() {
            all.entry(render).or_default().insert(lang.to_string());
        }
    }

    fn take(&self, render: u64) -> BTreeSet<String> {
        self.0
            .lock()
            .ok()
            .and_then(|mut all| all.remove(&render))
            .unwrap_or_default()
    }
}

/// One loaded template: where it comes from and what its text says.
#[derive(Clone, Debug)]
pub struct TemplateSource {
    /// The file as shown to users.
    pub shown: PathBuf,
    /// A hash of its text.
    pub hash: u64,
    /// Its origin in the layers.
    pub origin: Origin,
    /// Facts from scanning its text.
    pub facts: TemplateFacts,
}

/// The loaded template set and the site's shortcode signatures.
pub struct Templates {
    tera: Tera,
    /// Template name → source, for messages and dependencies.
    sources: BTreeMap<String, TemplateSource>,
    /// Shortcodes defined as components under `shortcodes/`.
    shortcodes: BTreeMap<String, Signature>,
    /// UI strings asked for and not found, by every render.
    log: StringLog,
    /// Other languages asked for, by render.
    languages: LanguageLog,
    /// Numbers renders for [`LanguageLog`].
    renders: std::sync::atomic::AtomicU64,
    /// Names of the templates rendered so far (pages' own templates).
    /// Template name → languages it was rendered for.
    rendered: Mutex<BTreeMap<String, BTreeSet<String>>>,
    /// How long one render may take ([`render_limit`]); `None`: no limit.
    render_limit: Option<std::time::Duration>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("sources", &self.sources.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Templates {
    /// Loads every template of every layer (higher layers replace lower
    /// ones file by file) and registers drehbuch's functions.
    pub fn load(
        layers: &Layers,
        i18n: Arc<I18n>,
        base_path: &str,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let (mut files, mut errors) = layers.files(Kind::Templates);
        let unknown = add_builtin_names(layers, &mut files);
        if !unknown.is_empty() {
            // tera would only repeat them, less clearly.
            errors.extend(unknown);
            return Err(errors);
        }
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut sources = BTreeMap::new();
        for (name, origin) in files {
            if !matches!(
                Path::new(&name).extension().and_then(|e| e.to_str()),
                Some("html" | "xml" | "txt")
            ) {
                continue;
            }
            let shown = layers.shown(&origin);
            let text = match layers.read(&origin) {
                Ok(bytes) => match String::from_utf8(bytes.into_owned()) {
                    Ok(t) => t,
                    Err(_) => {
                        errors.push(Diagnostic::file_error(
                            &shown,
                            "the file is not valid UTF-8",
                        ));
                        continue;
                    }
                },
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            let hash = {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::hash::DefaultHasher::new();
                text.hash(&mut hasher);
                hasher.finish()
            };
            sources.insert(
                name.clone(),
                TemplateSource {
                    shown,
                    hash,
                    origin,
                    facts: scan::scan(&text),
                },
            );
            texts.push((name, text));
        }
        let log = StringLog::default();
        let languages = LanguageLog::default();
        let mut tera = Tera::new();
        register_functions(
            &mut tera,
            i18n,
            base_path.to_string(),
            log.clone(),
            languages.clone(),
        );
        if let Err(e) = tera.add_raw_templates(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            let message = e.to_string();
            let mut diagnostic = match circular_extend(&message, &sources, &texts) {
                Some(d) => d,
                None => tera_diagnostic(&message, &sources, "template error: "),
            };
            if diagnostic.path.is_none() {
                diagnostic.path = Some(
                    sources
                        .iter()
                        .find(|(name, _)| message.contains(name.as_str()))
                        .map(|(_, s)| s.shown.clone())
                        .unwrap_or_else(|| PathBuf::from("templates")),
                );
            }
            errors.push(diagnostic);
        }
        let render_limit = render_limit::from_env().unwrap_or_else(|message| {
            errors.push(Diagnostic::global(Severity::Error, message).with_kind("config"));
            None
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        let shortcodes = shortcode_signatures(&tera, &sources);
        Ok(Templates {
            tera,
            sources,
            shortcodes,
            log,
            languages,
            renders: Default::default(),
            rendered: Mutex::default(),
            render_limit,
        })
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The loaded templates by name.
    pub fn sources(&self) -> &BTreeMap<String, TemplateSource> {
        &self.sources
    }

    /// `name` and every template it pulls in, directly or indirectly.
    pub fn closure(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![name.to_string()];
        while let Some(next) = stack.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            if let Some(source) = self.sources.get(&next) {
                stack.extend(source.facts.uses.iter().cloned());
            }
        }
        seen
    }

    /// A hash of the texts of `name` and every template it pulls in: it
    /// changes exactly when what renders with `name` may change.
    pub fn closure_hash(&self, name: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        for template in self.closure(name) {
            template.hash(&mut hasher);
            self.sources
                .get(&template)
                .map(|s| s.hash)
                .hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Renders a template with `context`, and says which languages
    /// besides `lang` it asked UI strings or formats of. An error is
    /// located at the template line tera names (with the source line and
    /// a caret), or has no path when tera names none.
    pub fn render_reading(
        &self,
        name: &str,
        lang: &str,
        context: &mut Context,
    ) -> (Result<String, Diagnostic>, BTreeSet<String>) {
        let render = self
            .renders
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        context.insert(RENDER_KEY, &render);
        let html = self.render(name, lang, context);
        (html, self.languages.take(render))
    }

    /// Renders a template with `context` (see [`Templates::render_reading`]).
    pub fn render(
        &self,
        name: &str,
        lang: &str,
        context: &mut Context,
    ) -> Result<String, Diagnostic> {
        context.insert(TEMPLATE_KEY, name);
        // Looked up by &str; only a first use allocates.
        if let Ok(mut rendered) = self.rendered.lock()
            && !rendered.get(name).is_some_and(|langs| langs.contains(lang))
        {
            rendered
                .entry(name.to_string())
                .or_default()
                .insert(lang.to_string());
        }
        let shown = self.shown(name);
        let watched = render_limit::Watched::start(self.render_limit, &shown, || {
            match context
                .get("page")
                .and_then(|page| page.get_from_path("url"))
                .and_then(tera::Value::as_str)
            {
                Some(url) => format!("the page {url} ({lang})"),
                None => format!("a page in `{lang}`"),
            }
        });
        let rendered = self.tera.render(name, context);
        drop(watched);
        rendered.map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            tera_diagnostic(
                &message,
                &self.sources,
                &format!("template {shown} failed: "),
            )
        })
    }

    /// A template's path as the user sees it (`templates/page.html`).
    fn shown(&self, name: &str) -> String {
        self.sources
            .get(name)
            .map(|s| s.shown.display().to_string())
            .unwrap_or_else(|| name.to_string())
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
        let template = format!("shortcodes/{}.html", call.name);
        implicits.insert(TEMPLATE_KEY, &template);
        let _watched =
            render_limit::Watched::start(self.render_limit, &self.shown(&template), || {
                format!("a call of the shortcode `{}` ({lang})", call.name)
            });
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

    /// The templates rendered so far, with the language of the page each
    /// was rendered for (without what they pull in; see
    /// [`Templates::closure`]).
    pub fn rendered_names(&self) -> BTreeSet<(String, String)> {
        self.rendered
            .lock()
            .map(|r| {
                r.iter()
                    .flat_map(|(name, langs)| langs.iter().map(|l| (name.clone(), l.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// UI strings asked for and not found since the last [`StringLog::clear`].
    pub fn string_log(&self) -> &StringLog {
        &self.log
    }

    /// Where a UI string is named: the first template line in `template`'s
    /// closure that names the key literally, or else builds a key with its
    /// prefix; the template file itself if neither is found.
    pub fn locate_key(&self, template: &str, key: &str) -> (PathBuf, Option<usize>) {
        let closure = self.closure(template);
        let in_closure = || closure.iter().filter_map(|name| self.sources.get(name));
        if let Some((source, line)) = in_closure().find_map(|s| {
            s.facts
                .keys
                .iter()
                .find(|(_, k)| k == key)
                .map(|(line, _)| (s, *line))
        }) {
            return (source.shown.clone(), Some(line));
        }
        let best = in_closure()
            .flat_map(|s| s.facts.dynamic_keys.iter().map(move |(l, p)| (s, *l, p)))
            .filter(|(_, _, prefix)| key.starts_with(prefix.as_str()))
            .max_by_key(|(_, _, prefix)| prefix.len());
        if let Some((source, line, _)) = best {
            return (source.shown.clone(), Some(line));
        }
        match self.sources.get(template) {
            Some(s) => (s.shown.clone(), None),
            None => (PathBuf::from(template), None),
        }
    }

    /// Diagnostics for the recorded UI string problems: an error for each
    /// key no language defines, a warning for each (key, language) that fell
    /// back to another language. Languages in `silent` (those without any UI
    /// strings, reported once as a whole) get no per-key warnings.
    pub fn string_diagnostics(&self, i18n: &I18n, silent: &[&str]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut missing_reported = BTreeSet::new();
        for problem in self.log.problems() {
            let (path, line) = self.locate_key(&problem.template, &problem.key);
            let mut d = match &problem.fallback {
                None => {
                    if !missing_reported.insert(problem.key.clone()) {
                        continue;
                    }
                    let message = i18n
                        .translate(&problem.lang, &problem.key, None, &[])
                        .err()
                        .unwrap_or_else(|| format!("the UI string `{}` is missing", problem.key));
                    Diagnostic::file_error(&path, message).with_help(format!(
                        "add `{}: …` under `strings:` in i18n/{}.yaml",
                        problem.key, problem.lang
                    ))
                }
                Some(_) if silent.contains(&problem.lang.as_str()) => continue,
                Some(used) => Diagnostic {
                    severity: Severity::Warning,
                    ..Diagnostic::file_error(
                        &path,
                        format!(
                            "the UI string `{}` has no `{}` text; pages in `{}` show the `{used}` text",
                            problem.key, problem.lang, problem.lang
                        ),
                    )
                }
                .with_help(format!(
                    "add `{}: …` under `strings:` in i18n/{}.yaml",
                    problem.key, problem.lang
                )),
            };
            d.line = line;
            out.push(d.with_kind("i18n"));
        }
        out
    }
}

/// The signatures of the shortcode components under `shortcodes/`, from
/// their typed parameters.
fn shortcode_signatures(
    tera: &Tera,
    sources: &BTreeMap<String, TemplateSource>,
) -> BTreeMap<String, Signature> {
    sources
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
                        ComponentArgType::Float | ComponentArgType::Number => Some(ArgType::Number),
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
        .collect()
}

/// A diagnostic from a tera error message, located at the template line
/// tera points at (`--> cards/page.html:6:40`, then the source line and a
/// caret). Without such a pointer it has no path and the whole message,
/// after `unlocated_prefix`.
/// Adds the built-in templates that a template names as `builtin/<name>`
/// (in `extends`, `include` or `import`) under that name. Only those: the
/// others would be parsed for nothing. Shortcode components are not
/// offered, as two components of one name cannot be loaded. Returns an
/// error for each such name the built-in theme does not have, at the line
/// that names it.
fn add_builtin_names(layers: &Layers, files: &mut BTreeMap<String, Origin>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut wanted: Vec<(String, Diagnostic)> = Vec::new();
    for origin in files.values() {
        if matches!(origin, Origin::Builtin(_)) {
            continue;
        }
        let Ok(bytes) = layers.read(origin) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let file = crate::diagnostics::SourceFile::new(layers.shown(origin), text.to_string());
        for name in scan::scan(&text).uses {
            if !name.starts_with(BUILTIN_PREFIX) {
                continue;
            }
            let at = match file.text.find(&name) {
                Some(i) => file.locate(i..i + name.len()),
                None => Diagnostic::file_error(&file.path, ""),
            };
            wanted.push((name, at));
        }
    }
    for (name, at) in wanted {
        let relative = &name[BUILTIN_PREFIX.len()..];
        let inside = format!("templates/{relative}");
        match crate::sources::theme::files()
            .iter()
            .find(|(path, _)| *path == inside)
        {
            Some((path, _)) if !relative.starts_with("shortcodes/") => {
                files.insert(name, Origin::Builtin(path));
            }
            _ => {
                let mut known: Vec<&str> = crate::sources::theme::files()
                    .iter()
                    .filter_map(|(path, _)| path.strip_prefix("templates/"))
                    .filter(|p| !p.starts_with("shortcodes/"))
                    .collect();
                known.sort_unstable();
                let d = at.saying(
                    Severity::Error,
                    format!("the built-in theme has no template `{relative}` to use as `{name}`"),
                );
                errors.push(
                    match crate::diagnostics::did_you_mean(relative, known.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{BUILTIN_PREFIX}{s}`?")),
                        None => d.with_help(format!("built-in templates: {}", known.join(", "))),
                    }
                    .with_kind("template"),
                );
            }
        }
    }
    errors
}

/// tera's "Circular extend detected" as an error at the `extends` line of
/// the template that extends itself (usually a site's `base.html` with
/// `{% extends "base.html" %}`), saying how to extend the built-in one.
fn circular_extend(
    message: &str,
    sources: &BTreeMap<String, TemplateSource>,
    texts: &[(String, String)],
) -> Option<Diagnostic> {
    if !message.contains("Circular extend detected") {
        return None;
    }
    let chain = message.split("Inheritance chain: `[").nth(1)?;
    let chain = chain.split(']').next()?;
    let names: Vec<&str> = chain
        .split(',')
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    let looped = *names.last()?;
    let source = sources.get(looped)?;
    let text = texts.iter().find(|(n, _)| n == looped).map(|(_, t)| t)?;
    let mut d = Diagnostic::file_error(
        &source.shown,
        format!(
            "`{looped}` extends itself (inheritance: {})",
            names.join(" → ")
        ),
    );
    let needle = format!("\"{looped}\"");
    if let Some((number, line)) = text.lines().enumerate().find(|(_, l)| {
        l.contains("extends") && (l.contains(&needle) || l.contains(&format!("'{looped}'")))
    }) {
        let col = line
            .find("extends")
            .map_or(1, |i| line[..i].chars().count() + 1);
        d.line = Some(number + 1);
        d.col = Some(col);
        d.source_line = Some(line.to_string());
        d.width = "extends".len();
    }
    Some(
        d.with_help(format!(
            "a template of the site replaces the theme's of the same name, so it cannot extend it by that name; to change parts of the built-in one, write `{{% extends \"{BUILTIN_PREFIX}{looped}\" %}}` and override its blocks"
        ))
        .with_kind("template"),
    )
}

fn tera_diagnostic(
    message: &str,
    sources: &BTreeMap<String, TemplateSource>,
    unlocated_prefix: &str,
) -> Diagnostic {
    let lines: Vec<&str> = message.lines().collect();
    let arrow = lines
        .iter()
        .position(|l| l.trim_start().starts_with("--> "));
    let location = arrow.and_then(|i| {
        let target = lines[i].trim_start().strip_prefix("--> ")?.trim();
        let mut parts = target.rsplitn(3, ':');
        let col: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let path = sources
            .get(name)
            .map(|s| s.shown.clone())
            .unwrap_or_else(|| Path::new("templates").join(name));
        let numbered = format!("{line} |");
        let source_index = lines[i..]
            .iter()
            .position(|l| l.trim_start().starts_with(&numbered))
            .map(|j| i + j);
        let source_line = source_index.map(|j| {
            let l = lines[j].trim_start();
            l[numbered.len()..]
                .strip_prefix(' ')
                .unwrap_or(&l[numbered.len()..])
                .to_string()
        });
        let width = source_index
            .and_then(|j| lines.get(j + 1))
            .map(|l| l.matches('^').count())
            .filter(|&w| w > 0)
            .unwrap_or(1);
        Some((path, line, col, source_line, width))
    });
    match location {
        Some((path, line, col, source_line, width)) => {
            let text: Vec<&str> = lines[..arrow.unwrap_or(0)]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            let text = text.join(" ");
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            Diagnostic {
                path: Some(path),
                line: Some(line),
                col: Some(col),
                source_line,
                width,
                ..Diagnostic::global(Severity::Error, text)
            }
            .with_kind("template")
        }
        None => Diagnostic::global(
            Severity::Error,
            format!("{unlocated_prefix}{}", one_line(message)),
        )
        .with_kind("template"),
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The language a template function works in: its `lang` argument, else
/// the page's. Another language than the page's is noted in `log`.
fn current_lang(kwargs: &Kwargs, state: &State, log: &LanguageLog) -> tera::TeraResult<String> {
    let page = state.get::<String>("lang")?.unwrap_or_default();
    match kwargs.get::<String>("lang")? {
        Some(lang) if lang != page => {
            if let Some(render) = state.get::<u64>(RENDER_KEY)? {
                log.record(render, &lang);
            }
            Ok(lang)
        }
        _ => Ok(page),
    }
}

fn register_functions(
    tera: &mut Tera,
    i18n: Arc<I18n>,
    base_path: String,
    log: StringLog,
    languages: LanguageLog,
) {
    register_t(tera, Arc::clone(&i18n), log, languages.clone());
    let dates = Arc::clone(&i18n);
    let asked = languages.clone();
    tera.register_filter(
        "format_date",
        move |value: String, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let lang = current_lang(&kwargs, state, &asked)?;
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
            let lang = current_lang(&kwargs, state, &languages)?;
            let decimals = kwargs.get::<i64>("decimals")?.unwrap_or(0).clamp(0, 10) as usize;
            Ok(numbers.number(&lang, value, decimals))
        },
    );
    // Writing directions from CLDR: `{{ lang | direction }}` is `ltr` or
    // `rtl`; `{{ dir_attr(lang=x) | safe }}` is ` dir="…"` where `x` runs
    // the other way than the page's language (text of another language
    // inside the page), else nothing.
    tera.register_filter(
        "direction",
        |value: String, _: Kwargs, _: &State| -> tera::TeraResult<String> {
            Ok(crate::i18n::names::direction(&value).as_str().to_string())
        },
    );
    // `{{ t_lang(key="published") | safe }}`: ` lang="…"` (and `dir`) when
    // the page's language has no text of its own for the key, so text of
    // the fallback chain is marked with its language; else nothing.
    let fallbacks = Arc::clone(&i18n);
    tera.register_function(
        "t_lang",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let page = state.get::<String>("lang")?.unwrap_or_default();
            let key = kwargs.must_get::<String>("key")?;
            let used = fallbacks.source_lang(&page, &key);
            if used == page || !fallbacks.defines(&key) {
                return Ok(String::new());
            }
            let mut attr = format!(" lang=\"{used}\"");
            let dir = crate::i18n::names::direction(used);
            if dir != crate::i18n::names::direction(&page) {
                attr.push_str(&format!(" dir=\"{}\"", dir.as_str()));
            }
            Ok(attr)
        },
    );
    tera.register_function(
        "dir_attr",
        |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let page = state.get::<String>("lang")?.unwrap_or_default();
            let other = kwargs.must_get::<String>("lang")?;
            let (page, other) = (
                crate::i18n::names::direction(&page),
                crate::i18n::names::direction(&other),
            );
            Ok(if page == other {
                String::new()
            } else {
                format!(" dir=\"{}\"", other.as_str())
            })
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

/// `{{ t(key="…", count=…, name=value) }}`: the UI string `key` in the
/// page's language (or the one given as `lang`), along the fallback chain,
/// with its placeholders filled; every fallback and every missing key is
/// recorded in `log` for `check`.
fn register_t(tera: &mut Tera, i18n: Arc<I18n>, log: StringLog, languages: LanguageLog) {
    let asked = languages.clone();
    let strings = i18n;
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key = kwargs.must_get::<String>("key")?;
            let lang = current_lang(&kwargs, state, &asked)?;
            let count = kwargs.get::<f64>("count")?;
            let mut vars: Vec<(&str, String)> = Vec::new();
            for (name, value) in kwargs.iter() {
                let name = name.as_str().unwrap_or("");
                if !["key", "count", "lang"].contains(&name) {
                    let text = value
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| value.to_string());
                    vars.push((name, text));
                }
            }
            let template = state.get::<String>(TEMPLATE_KEY)?.unwrap_or_default();
            match strings.translate(&lang, &key, count, &vars) {
                Ok(Lookup::Found(text)) => Ok(text),
                Ok(Lookup::Fallback { text, lang: used }) => {
                    log.record(StringProblem {
                        key,
                        lang,
                        fallback: Some(used),
                        template,
                    });
                    Ok(text)
                }
                Err(_) => {
                    log.record(StringProblem {
                        key: key.clone(),
                        lang,
                        fallback: None,
                        template,
                    });
                    // The build fails on this; go on to find the others.
                    Ok(key)
                }
            }
        },
    );
}
