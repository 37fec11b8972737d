//! `site.yaml`: read once, validated into a [`SiteConfig`] that later
//! stages trust. Every problem is a diagnostic at its line in `site.yaml`.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_serde::Value;

use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::sources::SiteDir;
use crate::yaml::{LocatedMapping, kind_of, parse_mapping, to_json};

/// One language of the site.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Language {
    /// BCP 47 code used in URLs, file suffixes and `lang` attributes.
    pub code: String,
    /// The language's own name, shown in the language switcher.
    pub name: String,
    /// The languages its readers read next when a page or UI string is
    /// missing, best first (`fallback: [en, de]`); the default language
    /// follows them unless listed ([`SiteConfig::fallback_chain`]).
    pub fallback: Vec<String>,
}

/// What readers of a language see for a page that has no translation in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Untranslated {
    /// Listings show the page with an "only in …" mark linking the original.
    Link,
    /// The original is rendered under the language's URL with a notice.
    Render,
}

/// How scripts in content (`<script>`, `onclick=…`, `javascript:` URLs in
/// raw HTML or links) are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentScripts {
    /// A warning per script (the default).
    Warn,
    /// An error per script: the build fails.
    Error,
    /// Not reported (for sites whose editors are all trusted developers).
    Allow,
}

/// The site's public address, split so a sub-path like `/toolbox/` works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host, e.g. `https://example.org` (empty for relative output).
    pub origin: String,
    /// Path prefix with leading and trailing slash, e.g. `/toolbox/`.
    pub path: String,
}

impl BaseUrl {
    /// Whether this is a placeholder like the `https://example.org/` that
    /// `drehbuch init` writes: the root of a host reserved for examples
    /// (`example.org`, `example.com`, `example.net`, their subdomains,
    /// `*.example`), where no site is published, so feeds, the sitemap
    /// and hreflang would point nowhere. A sub-path there
    /// (`https://example.org/cluj/`) is taken as chosen on purpose, as
    /// the example sites do to show a sub-path.
    pub fn is_placeholder(&self) -> bool {
        if self.path != "/" {
            return false;
        }
        let host = self.origin.split("://").nth(1).unwrap_or_default();
        let host = host
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        ["example.org", "example.com", "example.net"]
            .iter()
            .any(|reserved| host == *reserved || host.ends_with(&format!(".{reserved}")))
            || host.ends_with(".example")
    }

    /// Parses `https://host/sub/path/` style URLs.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        let Some(scheme_end) = url.find("://") else {
            return Err(format!(
                "`{url}` is not an absolute URL; write it like `https://example.org/toolbox/`"
            ));
        };
        let scheme = &url[..scheme_end];
        if scheme != "http" && scheme != "https" {
            return Err(format!("`{url}` must start with http:// or https://"));
        }
        let rest = &url[scheme_end + 3..];
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#', ' ']) {
            return Err(format!(
                "`{url}` is not a valid base URL (no query, fragment or spaces)"
            ));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: format!("{scheme}://{host}"),
            path,
        })
    }

    /// The absolute URL of a site path like `/en/cards/`.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.prefixed(site_path))
    }

    /// A site path with the base path in front: `/en/` → `/toolbox/en/`.
    pub fn prefixed(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }
}

/// The validated contents of `site.yaml`.
#[derive(Clone, Debug)]
pub struct SiteConfig {
    /// Site title per language code.
    pub title: BTreeMap<String, String>,
    /// Optional site description per language code.
    pub description: BTreeMap<String, String>,
    /// Where the site is published.
    pub base_url: BaseUrl,
    /// The site's icon (`favicon:`), a site path like `/img/icon.svg` or an
    /// absolute URL; `None` uses the theme's own.
    pub favicon: Option<String>,
    /// An image shown beside the title in the header (`logo:`), a site path
    /// or an absolute URL.
    pub logo: Option<String>,
    /// `imprint:` — what the cover and imprint of print documents say: one
    /// of [`IMPRINT_FIELDS`] → language code → text.
    pub imprint: BTreeMap<String, BTreeMap<String, String>>,
    /// The language of files without a language suffix and of `x-default`.
    pub default_language: String,
    /// All languages, in the order the switcher shows them.
    pub languages: Vec<Language>,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// How untranslated pages are shown.
    pub untranslated: Untranslated,
    /// Free data for templates (`config.extra`).
    pub extra: serde_json::Value,
    /// Section folders that get a print page with all their pages: the
    /// first at `/<lang>/print/`, the others at `/<lang>/print/<section>/`.
    pub print: Vec<String>,
    /// Where each entry of `print` stands, for errors about entries that
    /// name no section.
    pub print_at: Vec<Diagnostic>,
    /// Where `base_url` stands, for the warning about a placeholder.
    pub base_url_at: Option<Box<Diagnostic>>,
    /// How scripts in content are reported.
    pub content_scripts: ContentScripts,
    /// How URL segments spell letters of non-Latin scripts (`slugs:
    /// unicode`, the default, or `ascii`).
    pub slugs: crate::text::SlugStyle,
    /// Atom feeds: per language, and per section.
    pub feeds: Feeds,
    /// Whether the build writes a full-text search index (Pagefind) and
    /// the theme shows a search field. On by default when drehbuch is
    /// built with the `search` feature (the default), off otherwise.
    pub search: bool,
    /// Hidden files and folders of `static/` that are published anyway
    /// (`publish_hidden: [".htaccess"]`): an entry without `/` names every
    /// file or folder of that name, one with `/` a path in `static/`.
    /// Other hidden files never are (`.well-known/` always is).
    pub publish_hidden: Vec<String>,
    /// Where `publish_hidden` stands, for warnings about entries that name
    /// no file.
    pub publish_hidden_at: Option<Box<Diagnostic>>,
    /// `edit_url:` the pattern of each page's "Edit this page" link, if the
    /// site wants one.
    pub edit_url: Option<EditUrl>,
}

/// `edit_url: "https://forge.example/o/r/edit/main/{path}"`: where the
/// theme's "Edit this page" link leads, with the page's source filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditUrl {
    pattern: String,
}

/// The placeholders `edit_url` may hold, with what each stands for.
pub const EDIT_URL_PLACEHOLDERS: [(&str, &str); 3] = [
    ("path", "the source file relative to the site folder"),
    ("lang", "the language the page is written in"),
    (
        "line",
        "the line the page starts at: 1, or a data row's line",
    ),
];

impl EditUrl {
    /// Checks a pattern: every `{…}` must be a known placeholder. An error
    /// is the byte range of the bad part within `pattern` and a message.
    pub fn parse(pattern: &str) -> Result<EditUrl, (std::ops::Range<usize>, String)> {
        if pattern.trim().is_empty() {
            return Err((0..pattern.len(), "`edit_url` is empty".into()));
        }
        let mut rest = 0;
        while let Some(open) = pattern[rest..].find('{').map(|i| rest + i) {
            let Some(close) = pattern[open..].find('}').map(|i| open + i) else {
                return Err((
                    open..pattern.len(),
                    "`{` in `edit_url` is not closed by `}`".into(),
                ));
            };
            let name = &pattern[open + 1..close];
            if !EDIT_URL_PLACEHOLDERS
                .iter()
                .any(|(known, _)| *known == name)
            {
                return Err((
                    open..close + 1,
                    format!("unknown placeholder `{{{name}}}` in `edit_url`"),
                ));
            }
            rest = close + 1;
        }
        Ok(EditUrl {
            pattern: pattern.to_string(),
        })
    }

    /// The link for a source file (`content/cards/x.en.md`, with `/`
    /// separators) at `line`, written in `lang`. The path is
    /// percent-encoded except for its `/`.
    pub fn fill(&self, path: &str, lang: &str, line: usize) -> String {
        self.pattern
            .replace("{path}", &encode_path(path))
            .replace("{lang}", lang)
            .replace("{line}", &line.to_string())
    }
}

/// A path as a URL path: bytes other than unreserved ones and `/` are
/// percent-encoded, so spaces and non-ASCII names make working links.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `feeds:` in site.yaml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feeds {
    /// Whether any feed is written (`feeds: false` turns them off).
    pub enabled: bool,
    /// The newest entries per feed.
    pub entries: usize,
    /// Whether each section gets its own feed besides the language's.
    pub sections: bool,
}

impl Default for Feeds {
    fn default() -> Feeds {
        Feeds {
            enabled: true,
            entries: 20,
            sections: true,
        }
    }
}

/// The error for `search: true` in a drehbuch compiled without the
/// `search` cargo feature (which brings Pagefind).
pub const BUILT_WITHOUT_SEARCH: &str = "this drehbuch was built without search";

/// The fields of `imprint:` in site.yaml, in the order print documents show them.
pub const IMPRINT_FIELDS: [&str; 7] = [
    "subtitle",
    "edition",
    "date",
    "publisher",
    "editors",
    "licence",
    "funding",
];

const KNOWN_KEYS: [&str; 18] = [
    "edit_url",
    "content_scripts",
    "imprint",
    "favicon",
    "logo",
    "slugs",
    "publish_hidden",
    "feeds",
    "search",
    "title",
    "description",
    "base_url",
    "default_language",
    "languages",
    "theme",
    "untranslated",
    "extra",
    "print",
];

impl SiteConfig {
    /// Reads and validates `<root>/site.yaml`. All problems are returned together.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join("site.yaml");
        let missing = |reason: String| {
            vec![Diagnostic::file_error(
                Path::new("site.yaml"),
                format!("cannot read the site configuration: {reason}"),
            )
            .with_help("run drehbuch in the site's folder or pass --root DIR; the folder needs a site.yaml")]
        };
        let site = SiteDir::new(root).map_err(|e| missing(e.to_string()))?;
        let bytes = site
            .read(&path)
            .map_err(|d| vec![d])?
            .ok_or_else(|| missing("the file does not exist".into()))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            vec![
                Diagnostic::file_error(Path::new("site.yaml"), "the file is not valid UTF-8")
                    .with_help("save it as UTF-8"),
            ]
        })?;
        let file = SourceFile::new("site.yaml".into(), text);
        SiteConfig::parse(&file)
    }

    /// Validates an already read `site.yaml`.
    pub fn parse(file: &SourceFile) -> Result<SiteConfig, Vec<Diagnostic>> {
        let yaml = parse_mapping(file, 0..file.text.len()).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        check_keys(file, &yaml, &mut errors);

        let languages = read_languages(file, &yaml, &mut errors);
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();

        let default_language = read_default_language(file, &yaml, &codes, &mut errors);

        let title = read_language_map(file, &yaml, "title", &codes, true, &mut errors);
        let description = read_language_map(file, &yaml, "description", &codes, false, &mut errors);

        let base_url_at = yaml
            .key_spans
            .contains_key("base_url")
            .then(|| Box::new(file.locate(yaml.value_span(file, "base_url"))));
        let base_url = read_base_url(file, &yaml, &mut errors);

        let favicon = read_image(file, &yaml, "favicon", &mut errors);
        let logo = read_image(file, &yaml, "logo", &mut errors);
        let imprint = read_imprint(file, &yaml, &codes, &mut errors);

        let theme = read_theme(file, &yaml, &mut errors);

        let untranslated = read_untranslated(file, &yaml, &mut errors);

        let extra = yaml
            .mapping
            .get("extra")
            .map(to_json)
            .unwrap_or(serde_json::Value::Object(Default::default()));

        let print = match yaml.mapping.get("print") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(_)) => read_print(file, &yaml, &mut errors),
            Some(other) => {
                errors.push(file.error(
                    yaml.value_span(file, "print"),
                    format!(
                        "`print` must be a list of section folders, found {}",
                        kind_of(other)
                    ),
                ));
                Vec::new()
            }
        };

        let content_scripts = read_content_scripts(file, &yaml, &mut errors);

        let slugs = read_slugs(file, &yaml, &mut errors);

        let feeds = read_feeds(file, &yaml, &mut errors);
        let search = read_search(file, &yaml, &mut errors);

        let publish_hidden = read_publish_hidden(file, &yaml, &mut errors);
        let publish_hidden_at = yaml
            .key_spans
            .contains_key("publish_hidden")
            .then(|| Box::new(file.locate(yaml.value_span(file, "publish_hidden"))));

        let edit_url = read_edit_url(file, &yaml, &mut errors);

        if errors.is_empty() {
            Ok(SiteConfig {
                edit_url,
                publish_hidden,
                publish_hidden_at,
                feeds,
                search,
                print: print.iter().map(|(folder, _)| folder.clone()).collect(),
                print_at: print.into_iter().map(|(_, at)| at).collect(),
                base_url_at,
                content_scripts,
                slugs,
                title,
                description,
                base_url,
                favicon,
                logo,
                imprint,
                default_language,
                languages,
                theme,
                untranslated,
                extra,
            })
        } else {
            Err(errors)
        }
    }

    /// Whether `code` is one of the site's languages.
    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    /// The language's display name, or its code.
    pub fn language_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.languages
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.name.as_str())
            .unwrap_or(code)
    }

    /// The languages whose pages and UI strings readers of `lang` see when
    /// there are none in `lang`, best first: its `fallback` list, then the
    /// default language (unless `lang` is the default language).
    pub fn fallback_chain<'a>(&'a self, lang: &str) -> Vec<&'a str> {
        let mut chain: Vec<&str> = self
            .languages
            .iter()
            .find(|l| l.code == lang)
            .map(|l| l.fallback.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if lang != self.default_language && !chain.contains(&self.default_language.as_str()) {
            chain.push(&self.default_language);
        }
        chain
    }

    /// The position of a language in `languages` (for stable ordering).
    pub fn language_index(&self, code: &str) -> usize {
        self.languages
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(usize::MAX)
    }
}

/// The section folders of `print: [cards, publication]`.
fn read_print(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Diagnostic)> {
    let items = yaml
        .entry("print")
        .map(|e| e.node.items())
        .unwrap_or_default();
    let mut folders = Vec::new();
    for item in items {
        match item.value.as_str() {
            Some(folder) => folders.push((folder.to_string(), file.locate(item.span.clone()))),
            None => errors.push(file.error(
                item.span,
                format!(
                    "an entry of `print` must be a section folder, found {}",
                    kind_of(item.value)
                ),
            )),
        }
    }
    folders
}

/// `publish_hidden: [".htaccess", "docs/.nojekyll"]`: hidden paths of
/// `static/` to publish. Each must be a relative path inside `static/`
/// with a hidden part; `.git` and drehbuch's marker never are published.
fn read_publish_hidden(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let help = "list hidden files or folders of static/ to publish, e.g. `publish_hidden: [\".htaccess\"]`";
    let Some(value) = yaml.entry("publish_hidden").map(|e| e.value(&file.text)) else {
        return Vec::new();
    };
    match value.value {
        Value::Null => return Vec::new(),
        Value::Sequence(_) => {}
        other => {
            errors.push(
                file.error(
                    value.span.clone(),
                    format!(
                        "`publish_hidden` must be a list of paths in static/, found {}",
                        kind_of(other)
                    ),
                )
                .with_help(help),
            );
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for item in value.items() {
        let span = || item.span.clone();
        let Some(entry) = item.value.as_str() else {
            errors.push(
                file.error(
                    span(),
                    format!(
                        "an entry of `publish_hidden` must be a path, found {}",
                        kind_of(item.value)
                    ),
                )
                .with_help(help),
            );
            continue;
        };
        let parts: Vec<&str> = entry.split('/').collect();
        let problem = if entry.starts_with('/') || entry.contains('\\') {
            Some(format!(
                "`{entry}` must be a path inside static/, like `.htaccess` or `docs/.nojekyll`"
            ))
        } else if parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == "..")
        {
            Some(format!(
                "`{entry}` must be a path inside static/, without `.`, `..` or empty parts"
            ))
        } else if parts.contains(&".git") || entry == crate::sources::OUTPUT_MARKER {
            Some(format!(
                "`{entry}` is never published: a repository holds your history, the marker drehbuch's list of what a build wrote"
            ))
        } else if !parts.iter().any(|p| p.starts_with('.')) {
            Some(format!(
                "`{entry}` is not hidden: files and folders whose names do not start with `.` are always published"
            ))
        } else {
            None
        };
        match problem {
            Some(message) => errors.push(file.error(span(), message).with_help(help)),
            None => out.push(entry.to_string()),
        }
    }
    out
}

/// `edit_url: "…{path}…"`: checked by [`EditUrl::parse`]; an unknown
/// placeholder is reported where it stands, with the known ones.
fn read_edit_url(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Option<EditUrl> {
    let pattern = get_str(file, yaml, "edit_url", errors)?;
    let known: Vec<String> = EDIT_URL_PLACEHOLDERS
        .iter()
        .map(|(name, meaning)| format!("`{{{name}}}` ({meaning})"))
        .collect();
    match EditUrl::parse(&pattern) {
        Ok(edit_url) => Some(edit_url),
        Err((bad, message)) => {
            let span = yaml.value_span(file, "edit_url");
            // Point at the placeholder itself when the value stands in the
            // file as written (plain or between simple quotes).
            let raw = file.text.get(span.clone()).unwrap_or("");
            let start = if raw == pattern {
                Some(span.start)
            } else if raw.len() >= 2
                && raw.starts_with(['"', '\''])
                && raw.get(1..raw.len() - 1) == Some(pattern.as_str())
            {
                Some(span.start + 1)
            } else {
                None
            };
            let at = start.map_or(span, |s| s + bad.start..s + bad.end);
            errors.push(file.error(at, message).with_help(format!(
                "`edit_url` may use {}, e.g. `https://github.com/owner/repo/edit/main/{{path}}`",
                known.join(", ")
            )));
            None
        }
    }
}

/// Every top-level key of site.yaml must be a known one; an unknown key
/// is an error with a did-you-mean.
fn check_keys(file: &SourceFile, yaml: &LocatedMapping, errors: &mut Vec<Diagnostic>) {
    for (key, _) in &yaml.mapping {
        let key = crate::yaml::key_text(key);
        if !KNOWN_KEYS.contains(&key.as_str()) {
            let mut d = file.error(
                yaml.span_of(&key),
                format!("unknown key `{key}` in site.yaml"),
            );
            d = match did_you_mean(&key, KNOWN_KEYS) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("known keys: {}", KNOWN_KEYS.join(", "))),
            };
            errors.push(d);
        }
    }
}

/// `default_language`: required, and one of `languages`.
fn read_default_language(
    file: &SourceFile,
    yaml: &LocatedMapping,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> String {
    match get_str(file, yaml, "default_language", errors) {
        Some(code) if codes.contains(&code.as_str()) => code,
        Some(code) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "default_language"),
                    format!("default language `{code}` is not in `languages`"),
                )
                .with_help(format!("use one of: {}", codes.join(", "))),
            );
            code
        }
        None => {
            if !yaml.key_spans.contains_key("default_language") {
                errors.push(
                    file.error(0..0, "missing `default_language`")
                        .with_help("add e.g. `default_language: de`"),
                );
            }
            String::new()
        }
    }
}

/// `base_url`: a full URL; `http://localhost/` when absent or wrong.
fn read_base_url(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> BaseUrl {
    match get_str(file, yaml, "base_url", errors) {
        Some(url) => match BaseUrl::parse(&url) {
            Ok(b) => b,
            Err(message) => {
                errors.push(file.error(yaml.value_span(file, "base_url"), message));
                BaseUrl::parse("http://localhost/").expect("constant URL parses")
            }
        },
        None => BaseUrl::parse("http://localhost/").expect("constant URL parses"),
    }
}

/// `theme`: a folder name under themes/ (`default` when absent).
fn read_theme(file: &SourceFile, yaml: &LocatedMapping, errors: &mut Vec<Diagnostic>) -> String {
    let theme = get_str(file, yaml, "theme", errors).unwrap_or_else(|| "default".into());
    if theme.contains(['/', '\\']) || theme.starts_with('.') {
        errors.push(file.error(
            yaml.value_span(file, "theme"),
            "a theme is a folder name under themes/, not a path",
        ));
    }
    theme
}

/// `untranslated`: `link` (the default) or `render`.
fn read_untranslated(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Untranslated {
    match get_str(file, yaml, "untranslated", errors).as_deref() {
        None | Some("link") => Untranslated::Link,
        Some("render") => Untranslated::Render,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "untranslated"),
                    format!("`untranslated` must be `link` or `render`, not `{other}`"),
                )
                .with_help("`link` lists the original with an \"only in …\" mark; `render` renders it under each language with a notice"),
            );
            Untranslated::Link
        }
    }
}

/// `content_scripts`: `warn` (the default), `error` or `allow`.
fn read_content_scripts(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> ContentScripts {
    match get_str(file, yaml, "content_scripts", errors).as_deref() {
        None | Some("warn") => ContentScripts::Warn,
        Some("error") => ContentScripts::Error,
        Some("allow") => ContentScripts::Allow,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "content_scripts"),
                    format!("`content_scripts` must be `warn`, `error` or `allow`, not `{other}`"),
                )
                .with_help("`warn` reports <script>, on…= handlers and javascript: URLs in content; `error` fails the build; `allow` says nothing"),
            );
            ContentScripts::Warn
        }
    }
}

/// `slugs`: `unicode` (the default) or `ascii`.
fn read_slugs(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> crate::text::SlugStyle {
    match get_str(file, yaml, "slugs", errors).as_deref() {
        None | Some("unicode") => crate::text::SlugStyle::Unicode,
        Some("ascii") => crate::text::SlugStyle::Ascii,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "slugs"),
                    format!("`slugs` must be `unicode` or `ascii`, not `{other}`"),
                )
                .with_help("`unicode` keeps letters of non-Latin scripts in URLs (`/bg/търсене/`); `ascii` transliterates Cyrillic and leaves other scripts out"),
            );
            crate::text::SlugStyle::Unicode
        }
    }
}

/// `search`: true or false; on by default in builds with the `search`
/// feature, and an error when asked for in a build without it.
fn read_search(file: &SourceFile, yaml: &LocatedMapping, errors: &mut Vec<Diagnostic>) -> bool {
    match yaml.mapping.get("search") {
        None | Some(Value::Null) => cfg!(feature = "search"),
        Some(Value::Bool(true)) if !cfg!(feature = "search") => {
            errors.push(
                file.error(yaml.value_span(file, "search"), BUILT_WITHOUT_SEARCH)
                    .with_help("set `search: false` or install a build with search (the release binaries have it)"),
            );
            false
        }
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(
                file.error(
                    yaml.value_span(file, "search"),
                    format!("`search` must be true or false, found {}", kind_of(other)),
                )
                .with_help("`search: false` builds the site without a search index"),
            );
            true
        }
    }
}

/// `feeds: false`, `feeds: true`, or `feeds: {entries: 20, sections: true}`.
fn read_feeds(file: &SourceFile, yaml: &LocatedMapping, errors: &mut Vec<Diagnostic>) -> Feeds {
    let help = "write `feeds: false`, or `feeds: {entries: 20, sections: true}`";
    let mut feeds = Feeds::default();
    let Some(value) = yaml.entry("feeds").map(|e| e.value(&file.text)) else {
        return feeds;
    };
    match value.value {
        Value::Null | Value::Bool(true) => {}
        Value::Bool(false) => feeds.enabled = false,
        Value::Mapping(_) => {
            for entry in value.entries() {
                let span = entry.span(&file.text);
                match (entry.key.as_str(), entry.node.value) {
                    ("entries", Value::Number(n))
                        if n.as_u64().is_some_and(|n| (1..=10_000).contains(&n)) =>
                    {
                        feeds.entries = n.as_u64().unwrap_or(20) as usize;
                    }
                    ("entries", _) => errors.push(
                        file.error(
                            span,
                            "`feeds.entries` must be a whole number from 1 to 10000",
                        )
                        .with_help(help),
                    ),
                    ("sections", Value::Bool(b)) => feeds.sections = *b,
                    ("sections", _) => errors.push(
                        file.error(span, "`feeds.sections` must be true or false")
                            .with_help(help),
                    ),
                    (other, _) => {
                        let mut d = file.error(
                            entry.key_span.clone(),
                            format!("unknown key `{other}` in `feeds`"),
                        );
                        d = match did_you_mean(other, ["entries", "sections"]) {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help(help),
                        };
                        errors.push(d);
                    }
                }
            }
        }
        other => errors.push(
            file.error(
                value.span.clone(),
                format!(
                    "`feeds` must be true, false or a map, found {}",
                    kind_of(other)
                ),
            )
            .with_help(help),
        ),
    }
    feeds
}

/// `imprint: {subtitle: …, publisher: {de: …, en: …}, …}`: each field one
/// text for every language or a map of language to text.
fn read_imprint(
    file: &SourceFile,
    yaml: &LocatedMapping,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let help = "write e.g. `imprint: {subtitle: {de: …, en: …}, publisher: …, licence: CC BY 4.0}`";
    let mut imprint = BTreeMap::new();
    let Some(value) = yaml.entry("imprint").map(|e| e.value(&file.text)) else {
        return imprint;
    };
    match value.value {
        Value::Null => {}
        Value::Mapping(_) => {
            for entry in value.entries() {
                let field = entry.key.as_str();
                if !IMPRINT_FIELDS.contains(&field) {
                    let d = file.error(
                        entry.key_span.clone(),
                        format!("unknown key `{field}` in `imprint`"),
                    );
                    errors.push(match did_you_mean(field, IMPRINT_FIELDS) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(format!("known keys: {}", IMPRINT_FIELDS.join(", "))),
                    });
                    continue;
                }
                let mut texts = BTreeMap::new();
                match entry.node.value {
                    Value::String(text) => {
                        for code in codes {
                            texts.insert(code.to_string(), text.clone());
                        }
                    }
                    Value::Mapping(_) => {
                        for language in entry.node.entries() {
                            match language.node.value.as_str() {
                                _ if !codes.contains(&language.key.as_str()) => errors.push(
                                    file.error(
                                        language.key_span.clone(),
                                        format!("`imprint.{field}` has an entry for `{}`, which is not in `languages`", language.key),
                                    )
                                    .with_help(format!("use one of: {}", codes.join(", "))),
                                ),
                                Some(text) => {
                                    texts.insert(language.key.clone(), text.to_string());
                                }
                                None => errors.push(
                                    file.error(
                                        language.span(&file.text),
                                        format!("`imprint.{field}.{}` must be text", language.key),
                                    )
                                    .with_help(help),
                                ),
                            }
                        }
                    }
                    other => errors.push(
                        file.error(
                            entry.span(&file.text),
                            format!(
                                "`imprint.{field}` must be text or a map of language to text, found {}",
                                kind_of(other)
                            ),
                        )
                        .with_help(help),
                    ),
                }
                imprint.insert(field.to_string(), texts);
            }
        }
        other => errors.push(
            file.error(
                yaml.value_span(file, "imprint"),
                format!("`imprint` must be a map, found {}", kind_of(other)),
            )
            .with_help(help),
        ),
    }
    imprint
}

/// `favicon:` or `logo:`: an absolute http(s) URL, or a file of the site
/// (`img/logo.svg` or `/img/logo.svg`, from `static/`), returned as a site
/// path with a leading slash.
fn read_image(
    file: &SourceFile,
    yaml: &LocatedMapping,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = get_str(file, yaml, key, errors)?;
    let value = value.trim();
    if value.starts_with("https://") || value.starts_with("http://") {
        return Some(value.to_string());
    }
    let path = value.trim_start_matches('/');
    let bad = path.is_empty()
        || path.contains("://")
        || path.contains(['"', '<', '>', '\\', ' ', '?', '#'])
        || path
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty());
    if bad {
        errors.push(
            file.error(
                yaml.value_span(file, key),
                format!("`{key}` must be a file of the site like `img/{key}.svg` or an http(s) URL, not `{value}`"),
            )
            .with_help(format!("put the image under static/ and write its path, e.g. `{key}: img/{key}.svg`")),
        );
        return None;
    }
    Some(format!("/{path}"))
}

fn get_str(
    file: &SourceFile,
    yaml: &LocatedMapping,
    key: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    match yaml.mapping.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => {
            errors.push(file.error(
                yaml.value_span(file, key),
                format!("`{key}` must be text, found {}", kind_of(other)),
            ));
            None
        }
    }
}

fn read_languages(
    file: &SourceFile,
    yaml: &LocatedMapping,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let span = yaml.span_of("languages");
    let Some(entry) = yaml.entry("languages") else {
        errors.push(
            file.error(0..0, "missing `languages`")
                .with_help("list the site's languages, e.g. `languages: [{code: de, name: Deutsch}, {code: en, name: English}]`"),
        );
        return Vec::new();
    };
    if !matches!(entry.node.value, Value::Sequence(_)) {
        errors.push(file.error(
            entry.span(&file.text),
            "`languages` must be a list of `{code, name}` entries",
        ));
        return Vec::new();
    }
    let mut languages: Vec<Language> = Vec::new();
    let mut fallback_spans = Vec::new();
    for item in entry.node.items() {
        let code_entry = item.get("code");
        // Errors about the entry point at its code, or at the entry.
        let at = code_entry
            .as_ref()
            .map_or(item.span.clone(), |e| e.span(&file.text));
        let code = code_entry
            .as_ref()
            .and_then(|e| e.node.value.as_str())
            .unwrap_or("");
        let name = item
            .get("name")
            .and_then(|e| e.node.value.as_str())
            .unwrap_or(code);
        if !is_language_code(code) {
            errors.push(
                file.error(at, format!("`{code}` is not a language code"))
                    .with_help(
                        "each entry needs `code` (like `de`, `en`, `ro`, `pt-BR`) and `name`",
                    ),
            );
            continue;
        }
        if languages.iter().any(|l| l.code == code) {
            errors.push(file.error(at, format!("language `{code}` is listed twice")));
            continue;
        }
        let fallback = read_fallback(file, &item, code, errors);
        if let Some(e) = item.get("fallback") {
            fallback_spans.push((code.to_string(), e.span(&file.text)));
        }
        languages.push(Language {
            code: code.to_string(),
            name: name.to_string(),
            fallback,
        });
    }
    if languages.is_empty() && errors.is_empty() {
        errors.push(
            file.error(span.clone(), "`languages` is empty")
                .with_help("list at least one language"),
        );
    }
    for language in &languages {
        for code in &language.fallback {
            if !languages.iter().any(|l| &l.code == code) {
                let at = fallback_spans
                    .iter()
                    .find(|(c, _)| *c == language.code)
                    .map_or(span.clone(), |(_, at)| at.clone());
                errors.push(
                    file.error(
                        at,
                        format!(
                            "the fallback `{code}` of `{}` is not in `languages`",
                            language.code
                        ),
                    )
                    .with_help(format!(
                        "fall back to languages of the site: {}",
                        languages
                            .iter()
                            .map(|l| l.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
        }
    }
    languages
}

/// The `fallback: [en, de]` list of one `languages` entry: language codes,
/// not the language itself, none twice.
fn read_fallback(
    file: &SourceFile,
    item: &crate::yaml::Node,
    code: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let Some(entry) = item.get("fallback") else {
        return Vec::new();
    };
    let at = entry.span(&file.text);
    let help = "list the languages to show instead, best first, e.g. `fallback: [en, de]`";
    let values: Vec<Option<&str>> = match &entry.node.value {
        Value::Null => Vec::new(),
        Value::String(s) => vec![Some(s.as_str())],
        Value::Sequence(items) => items.iter().map(Value::as_str).collect(),
        other => {
            errors.push(
                file.error(
                    at,
                    format!(
                        "`fallback` must be a list of language codes, found {}",
                        kind_of(other)
                    ),
                )
                .with_help(help),
            );
            return Vec::new();
        }
    };
    let mut out: Vec<String> = Vec::new();
    for value in values {
        match value {
            Some(c) if c == code => errors.push(
                file.error(at.clone(), format!("`{code}` cannot fall back to itself"))
                    .with_help(help),
            ),
            Some(c) if is_language_code(c) => {
                if !out.iter().any(|o| o == c) {
                    out.push(c.to_string());
                }
            }
            other => errors.push(
                file.error(
                    at.clone(),
                    format!("`{}` is not a language code", other.unwrap_or("")),
                )
                .with_help(help),
            ),
        }
    }
    out
}

fn read_language_map(
    file: &SourceFile,
    yaml: &LocatedMapping,
    key: &str,
    codes: &[&str],
    required: bool,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let entry = yaml.entry(key);
    match entry.as_ref().map(|e| e.node.value) {
        None | Some(Value::Null) => {
            if required {
                errors.push(
                    file.error(0..0, format!("missing `{key}`"))
                        .with_help(format!("add `{key}:` with one entry per language, e.g. `{key}: {{de: …, en: …}}`")),
                );
            }
        }
        Some(Value::String(s)) => {
            for code in codes {
                map.insert(code.to_string(), s.clone());
            }
        }
        Some(Value::Mapping(_)) => {
            for language in entry.iter().flat_map(|e| e.node.entries()) {
                let k = language.key;
                if !codes.contains(&k.as_str()) {
                    errors.push(file.error(
                        language.key_span,
                        format!("`{key}` has an entry for `{k}`, which is not in `languages`"),
                    ));
                }
                if let Some(s) = language.node.value.as_str() {
                    map.insert(k, s.to_string());
                }
            }
            if required {
                for code in codes {
                    if !map.contains_key(*code) {
                        errors.push(
                            file.error(
                                yaml.span_of(key),
                                format!("`{key}` has no entry for language `{code}`"),
                            )
                            .with_help(format!("add `{code}: …` under `{key}`")),
                        );
                    }
                }
            }
        }
        Some(other) => errors.push(file.error(
            yaml.value_span(file, key),
            format!(
                "`{key}` must be text or a map of language to text, found {}",
                kind_of(other)
            ),
        )),
    }
    map
}

/// `de`, `en`, `pt-BR`, `sr-Latn`: lowercase primary tag, optional subtags.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(&SourceFile::new("site.yaml".into(), text.into()))
    }

    const GOOD: &str = "title: {de: Drehbuch, en: Toolbox}\nbase_url: https://example.org/toolbox\ndefault_language: de\nlanguages:\n  - {code: de, name: Deutsch}\n  - {code: en, name: English}\n";

    #[test]
    fn reads_a_good_config_with_sub_path() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.base_url.origin, "https://example.org");
        assert_eq!(c.base_url.path, "/toolbox/");
        assert_eq!(
            c.base_url.absolute("/en/x/"),
            "https://example.org/toolbox/en/x/"
        );
        assert_eq!(c.theme, "default");
        assert_eq!(c.untranslated, Untranslated::Link);
        assert_eq!(c.title["en"], "Toolbox");
    }

    #[test]
    fn favicon_and_logo_are_site_paths_or_urls() {
        let c = parse(&format!(
            "{GOOD}favicon: img/icon.svg\nlogo: https://cdn.example.org/logo.png\n"
        ))
        .unwrap();
        assert_eq!(c.favicon.as_deref(), Some("/img/icon.svg"));
        assert_eq!(c.logo.as_deref(), Some("https://cdn.example.org/logo.png"));
        let c = parse(GOOD).unwrap();
        assert_eq!((c.favicon, c.logo), (None, None));
    }

    #[test]
    fn imprint_fields_are_text_per_language() {
        let c = parse(&format!(
            "{GOOD}imprint:\n  subtitle: {{de: Ein Drehbuch, en: A toolbox}}\n  licence: CC BY 4.0\n"
        ))
        .unwrap();
        assert_eq!(c.imprint["subtitle"]["en"], "A toolbox");
        assert_eq!(c.imprint["licence"]["de"], "CC BY 4.0");
        assert_eq!(c.imprint["licence"]["en"], "CC BY 4.0");
    }

    #[test]
    fn imprint_errors_name_the_field_and_line() {
        let errors = parse(&format!(
            "{GOOD}imprint:\n  licnse: CC BY\n  subtitle: {{fr: Boîte}}\n  funding: [1]\n"
        ))
        .unwrap_err();
        let messages: Vec<_> = errors
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert_eq!(messages[0], (Some(8), "unknown key `licnse` in `imprint`"));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `licence`?"));
        assert_eq!(messages[1].0, Some(9));
        assert!(messages[1].1.contains("`fr`"), "{messages:?}");
        assert_eq!(messages[2].0, Some(10));
        assert!(
            messages[2].1.contains("must be text or a map"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_logo_outside_the_site_is_refused_at_its_line() {
        let errors = parse(&format!("{GOOD}logo: ../secret.png\n")).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(7));
        assert!(
            errors[0]
                .message
                .contains("`logo` must be a file of the site"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn unknown_key_gets_a_suggestion_and_a_line() {
        let errors = parse(&format!("{GOOD}themes: x\n")).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(7));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn default_language_must_be_listed_and_titles_complete() {
        let errors = parse("title: {de: X}\nbase_url: https://e.org/\ndefault_language: fr\nlanguages: [{code: de, name: D}, {code: en, name: E}]\n").unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages.contains(&"default language `fr` is not in `languages`"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"`title` has no entry for language `en`"),
            "{messages:?}"
        );
    }

    #[test]
    #[cfg(feature = "search")]
    fn search_is_on_by_default_with_the_search_feature() {
        assert!(parse(GOOD).unwrap().search);
        assert!(parse(&format!("{GOOD}search: true\n")).unwrap().search);
        assert!(!parse(&format!("{GOOD}search: false\n")).unwrap().search);
    }

    #[test]
    #[cfg(not(feature = "search"))]
    fn search_is_off_without_the_search_feature_and_cannot_be_turned_on() {
        assert!(!parse(GOOD).unwrap().search);
        assert!(!parse(&format!("{GOOD}search: false\n")).unwrap().search);
        let errors = parse(&format!("{GOOD}search: true\n")).unwrap_err();
        assert_eq!(errors.len(), 1);
        let text = errors[0].to_string();
        assert_eq!(
            text,
            "site.yaml:7:9: error: this drehbuch was built without search\n  |\n7 | search: true\n  |         ^^^^\n  = help: set `search: false` or install a build with search (the release binaries have it)\n"
        );
    }

    #[test]
    fn errors_in_nested_values_point_at_the_entry() {
        let text = "title: {de: T, fr: X}
base_url: https://e.org/
default_language: de
languages:
  - {code: de, name: D}
  - {code: DE, name: X}
  - code: de
feeds:
  entries: 0
  section: true
publish_hidden:
  - .htaccess
  - /etc/passwd
print: [cards, [x]]
";
        let found: Vec<String> = parse(text)
            .unwrap_err()
            .iter()
            .map(|d| format!("{}:{}: {}", d.line.unwrap(), d.col.unwrap(), d.message))
            .collect();
        assert_eq!(
            found,
            [
                "6:12: `DE` is not a language code",
                "7:11: language `de` is listed twice",
                "1:16: `title` has an entry for `fr`, which is not in `languages`",
                "14:16: an entry of `print` must be a section folder, found a list",
                "9:12: `feeds.entries` must be a whole number from 1 to 10000",
                "10:3: unknown key `section` in `feeds`",
                "13:5: `/etc/passwd` must be a path inside static/, like `.htaccess` or `docs/.nojekyll`",
            ]
        );
    }

    #[test]
    fn edit_url_fills_placeholders_and_reports_unknown_ones_where_they_stand() {
        let c = parse(&format!(
            "{GOOD}edit_url: https://git.example/o/r/edit/main/{{path}}?lang={{lang}}#L{{line}}\n"
        ))
        .unwrap();
        assert_eq!(
            c.edit_url
                .unwrap()
                .fill("content/cards/hitze check.ă.md", "ro", 7),
            "https://git.example/o/r/edit/main/content/cards/hitze%20check.%C4%83.md?lang=ro#L7"
        );
        assert!(parse(GOOD).unwrap().edit_url.is_none());

        let errors = parse(&format!(
            "{GOOD}edit_url: \"https://x.example/{{file}}/{{line}}\"\n"
        ))
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "site.yaml:7:30: error: unknown placeholder `{file}` in `edit_url`\n  |\n7 | edit_url: \"https://x.example/{file}/{line}\"\n  |                              ^^^^^^\n  = help: `edit_url` may use `{path}` (the source file relative to the site folder), `{lang}` (the language the page is written in), `{line}` (the line the page starts at: 1, or a data row's line), e.g. `https://github.com/owner/repo/edit/main/{path}`\n"
        );
        let errors = parse(&format!("{GOOD}edit_url: https://x.example/{{path\n")).unwrap_err();
        assert_eq!(errors[0].message, "`{` in `edit_url` is not closed by `}`");
        assert_eq!((errors[0].line, errors[0].col), (Some(7), Some(29)));
    }

    #[test]
    fn language_codes_are_checked() {
        assert!(is_language_code("de"));
        assert!(is_language_code("pt-BR"));
        assert!(!is_language_code("../x"));
        assert!(!is_language_code("DE"));
    }
}
