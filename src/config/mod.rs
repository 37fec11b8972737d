//! `site.yaml`: read once, validated into a [`SiteConfig`] that later
//! stages trust. Every problem is a diagnostic at its line in `site.yaml`.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_serde::Value;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::sources::SiteDir;
use crate::yaml::{kind_of, parse_mapping, to_json};

mod edit_url;
mod read;

pub use edit_url::{EDIT_URL_PLACEHOLDERS, EditUrl};
use read::{
    check_keys, read_base_url, read_content_scripts, read_default_language, read_edit_url,
    read_feeds, read_image, read_imprint, read_language_map, read_languages, read_paper, read_pdf,
    read_print, read_publish_hidden, read_search, read_slugs, read_theme, read_untranslated,
};

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
    /// Whether each print edition also gets a typeset PDF (`pdf:`). On by
    /// default when drehbuch is built with the `pdf` feature.
    pub pdf: bool,
    /// The paper size of print editions and PDFs (`paper: a4 | a5`).
    pub paper: Paper,
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

/// The error for `pdf: true` in a drehbuch compiled without the `pdf`
/// cargo feature (which brings Typst).
pub const BUILT_WITHOUT_PDF: &str = "this drehbuch was built without PDFs";

/// The paper size of print editions and their PDFs (`paper:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Paper {
    /// ISO A4 (210 × 297 mm), the default.
    #[default]
    A4,
    /// ISO A5 (148 × 210 mm), a booklet.
    A5,
}

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

const KNOWN_KEYS: [&str; 20] = [
    "paper",
    "pdf",
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
        let pdf = read_pdf(file, &yaml, &mut errors);
        let paper = read_paper(file, &yaml, &mut errors);

        if errors.is_empty() {
            Ok(SiteConfig {
                pdf,
                paper,
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
    fn paper_and_pdf_have_defaults_and_are_checked_at_their_line() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.paper, Paper::A4);
        assert_eq!(c.pdf, cfg!(feature = "pdf"));
        let c = parse(&format!("{GOOD}paper: a5\npdf: false\n")).unwrap();
        assert_eq!((c.paper, c.pdf), (Paper::A5, false));
        let errors = parse(&format!("{GOOD}paper: a6\npdf: sometimes\npfd: true\n")).unwrap_err();
        let messages: Vec<_> = errors
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert!(
            messages.contains(&(Some(7), "`paper` must be `a4` or `a5`, not `a6`")),
            "{messages:?}"
        );
        assert!(
            messages.contains(&(Some(8), "`pdf` must be true or false, found text")),
            "{messages:?}"
        );
        let unknown = errors
            .iter()
            .find(|d| d.line == Some(9))
            .expect("pfd is reported");
        assert!(
            unknown.help.as_deref().unwrap_or("").contains("`pdf`"),
            "{unknown:?}"
        );
        let a6 = errors.iter().find(|d| d.line == Some(7)).unwrap();
        assert!(
            a6.help
                .as_deref()
                .unwrap_or("")
                .contains("did you mean `a4`"),
            "{a6:?}"
        );
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
