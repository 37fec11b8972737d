//! The two files of `static/admin/`: `config.yml`, which Decap CMS and
//! Sveltia CMS both read, and `index.html`, the page that loads the CMS.
//! Both are written as text here (not through a YAML serializer) so the
//! file keeps its comments and its order, and every string is quoted the
//! same way (as JSON, which YAML reads).

use super::collections::{Collection, Field, Translation, Widget};
use crate::config::SiteConfig;
use crate::text::escape_html as escape;

/// Decap CMS, the version `index.html` loads by default: pinned, with the
/// Subresource Integrity hash of its `dist/decap-cms.js`, so a changed
/// file on the CDN is refused by the browser.
pub const DECAP_VERSION: &str = "3.16.3";

/// `sha384` of `decap-cms@3.16.3/dist/decap-cms.js` (from the npm
/// package, which unpkg serves unchanged).
pub const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the CMS saves: a forge's API (editors sign in there) or Netlify's
/// Git Gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// Netlify Identity with Git Gateway (no forge account for editors).
    GitGateway,
    /// GitHub (sign-in needs an OAuth proxy; see docs/editors.md).
    Github,
    /// GitLab, gitlab.com or your own (sign-in with PKCE, no server).
    Gitlab,
    /// Gitea and Forgejo, e.g. Codeberg (sign-in with PKCE, no server).
    Gitea,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::GitGateway => "git-gateway",
            Backend::Github => "github",
            Backend::Gitlab => "gitlab",
            Backend::Gitea => "gitea",
        }
    }
}

/// What `cms init` was told about the backend and the CMS script. With
/// none of `backend`, `repo`, `branch` and `forge_url` given, an existing
/// configuration's `backend:` block is kept as it is (its filled-in `repo`
/// and `app_id` included); else `github` on `main`.
#[derive(Clone, Debug, Default)]
pub struct CmsSettings {
    /// Where the CMS saves.
    pub backend: Option<Backend>,
    /// `owner/name` of the repository (a placeholder when not given).
    pub repo: Option<String>,
    /// The branch the CMS commits to (`main` when not given).
    pub branch: Option<String>,
    /// The forge's address for `gitlab` and `gitea` (default gitlab.com,
    /// codeberg.org).
    pub forge_url: Option<String>,
    /// The CMS script `index.html` loads instead of Decap from its CDN
    /// (a local copy, or Sveltia CMS); no integrity hash then.
    pub script: Option<String>,
}

/// The `backend:` block of an existing `config.yml` (from its line to the
/// next top-level key), to keep it when the file is written again.
pub(crate) fn backend_block(text: &str) -> Option<String> {
    let mut block = String::new();
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        if inside {
            let top_level = !line.starts_with([' ', '\t', '#', '\n', '\r']);
            if top_level {
                break;
            }
            block.push_str(line);
        } else if line.starts_with("backend:") {
            inside = true;
            block.push_str(line);
        }
    }
    // Comments and blank lines before the next key belong to it.
    loop {
        let body = block.strip_suffix('\n').unwrap_or(&block);
        let last = body.rsplit('\n').next().unwrap_or("");
        if body.len() > last.len() && (last.trim_start().starts_with('#') || last.trim().is_empty())
        {
            block.truncate(body.len() - last.len());
        } else {
            break;
        }
    }
    (!block.is_empty()).then(|| {
        if !block.ends_with('\n') {
            block.push('\n');
        }
        block
    })
}

/// The placeholder written for a repository not given with `--repo`.
pub const REPO_PLACEHOLDER: &str = "OWNER/REPOSITORY";

/// The placeholder for an OAuth application id editors' sign-in needs.
const APP_ID_PLACEHOLDER: &str = "APPLICATION-ID";

/// A string as YAML reads it: a JSON string.
fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The text of `static/admin/config.yml`.
pub(crate) fn config_yml(
    config: &SiteConfig,
    collections: &[Collection],
    settings: &CmsSettings,
    kept_backend: Option<&str>,
) -> String {
    let mut y = String::new();
    y.push_str(
        "# The configuration of the CMS (Decap CMS or Sveltia CMS), written by\n\
         # `drehbuch cms init` from site.yaml and the sections' `fields`. When a\n\
         # section or field changes, `drehbuch check` warns; then run\n\
         # `drehbuch cms init --force`. Sign-in and backends: docs/editors.md.\n",
    );
    match kept_backend {
        Some(block) => {
            y.push_str("# Where the CMS saves, kept from the configuration this one replaced.\n");
            y.push_str(block);
        }
        None => y.push_str(&backend_yml(settings)),
    }
    y.push_str(
        "# With `npx decap-server` running in the site's folder, the CMS edits the\n\
         # files on this computer instead (http://localhost:…/admin/ only).\n\
         local_backend: true\n",
    );
    let site_url = config.base_url.absolute("/");
    y.push_str(&format!(
        "site_url: {}\ndisplay_url: {}\n",
        q(&site_url),
        q(&site_url)
    ));
    y.push_str(
        "# Images editors upload go to static/img/ and are linked as /img/….\n\
         media_folder: static/img\n\
         public_folder: /img\n\
         # New pages get file names drehbuch accepts: ASCII, no accents.\n\
         slug:\n  encoding: ascii\n  clean_accents: true\n",
    );
    let locales: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    y.push_str(&format!(
        "# One file per language, as drehbuch reads them: name.<language>.md.\n\
         # `initial_locales`: Sveltia CMS lets editors switch a language off for an\n\
         # entry, so no empty file is written for it (Decap ignores the key and\n\
         # writes every language; see docs/cms.md).\n\
         i18n:\n  structure: multiple_files\n  locales: [{}]\n  default_locale: {}\n  initial_locales: all\n",
        locales.join(", "),
        config.default_language
    ));
    y.push_str("collections:\n");
    for c in collections {
        let folder = if c.dir.is_empty() {
            "content".to_string()
        } else {
            format!("content/{}", c.dir)
        };
        y.push_str(&format!(
            "  - name: {}\n    label: {}\n    folder: {}\n    create: true\n    extension: md\n    format: frontmatter\n    slug: \"{{{{slug}}}}\"\n    summary: \"{{{{title}}}}\"\n    i18n: true\n    fields:\n",
            q(&c.name),
            q(&c.label),
            q(&folder)
        ));
        for f in &c.fields {
            y.push_str(&field_yml(f));
        }
    }
    y
}

/// `backend:` for the chosen backend, with placeholders to fill in.
fn backend_yml(settings: &CmsSettings) -> String {
    let repo = settings.repo.as_deref().unwrap_or(REPO_PLACEHOLDER);
    let backend = settings.backend.unwrap_or(Backend::Github);
    let mut y = format!(
        "# Where the CMS saves (`drehbuch cms init --backend …`); see docs/editors.md.\n\
         backend:\n  name: {}\n  branch: {}\n",
        backend.name(),
        q(settings.branch.as_deref().unwrap_or("main"))
    );
    match backend {
        Backend::GitGateway => {}
        Backend::Github => y.push_str(&format!("  repo: {}\n", q(repo))),
        Backend::Gitlab => {
            let forge = settings
                .forge_url
                .as_deref()
                .unwrap_or("https://gitlab.com")
                .trim_end_matches('/');
            y.push_str(&format!(
                "  repo: {}\n  auth_type: pkce\n  # The id of an OAuth application on {forge} (Settings → Applications,\n  # scope `api`, redirect URI: the address of this admin page).\n  app_id: {}\n  base_url: {}\n  api_root: {}\n",
                q(repo),
                q(APP_ID_PLACEHOLDER),
                q(forge),
                q(&format!("{forge}/api/v4"))
            ));
        }
        Backend::Gitea => {
            let forge = settings
                .forge_url
                .as_deref()
                .unwrap_or("https://codeberg.org")
                .trim_end_matches('/');
            y.push_str(&format!(
                "  repo: {}\n  # The client id of an OAuth2 application on {forge} (Settings →\n  # Applications; redirect URI: the address of this admin page).\n  app_id: {}\n  base_url: {}\n  api_root: {}\n",
                q(repo),
                q(APP_ID_PLACEHOLDER),
                q(forge),
                q(&format!("{forge}/api/v1"))
            ));
        }
    }
    y
}

/// One entry of a collection's `fields:`.
fn field_yml(f: &Field) -> String {
    let mut y = format!(
        "      - name: {}\n        label: {}\n",
        q(&f.name),
        q(&f.label)
    );
    let line = |y: &mut String, text: &str| {
        y.push_str("        ");
        y.push_str(text);
        y.push('\n');
    };
    match &f.widget {
        Widget::String => line(&mut y, "widget: string"),
        Widget::Text => line(&mut y, "widget: text"),
        Widget::Markdown => line(&mut y, "widget: markdown"),
        Widget::Url => {
            line(&mut y, "widget: string");
            line(
                &mut y,
                "pattern: [\"^https?://\", \"a web address starting with https://\"]",
            );
        }
        Widget::Select { options, multiple } => {
            line(&mut y, "widget: select");
            if *multiple {
                line(&mut y, "multiple: true");
            }
            line(&mut y, "options:");
            for (value, label) in options {
                line(
                    &mut y,
                    &format!("  - {{value: {}, label: {}}}", q(value), q(label)),
                );
            }
        }
        Widget::List => line(&mut y, "widget: list"),
        Widget::Number { integer } => {
            line(&mut y, "widget: number");
            line(
                &mut y,
                if *integer {
                    "value_type: int"
                } else {
                    "value_type: float"
                },
            );
        }
        Widget::Boolean => line(&mut y, "widget: boolean"),
        Widget::Date => {
            line(&mut y, "widget: datetime");
            line(&mut y, "format: \"YYYY-MM-DD\"");
            line(&mut y, "date_format: \"YYYY-MM-DD\"");
            line(&mut y, "time_format: false");
        }
        Widget::Relation { collection } => {
            line(&mut y, "widget: relation");
            line(&mut y, &format!("collection: {}", q(collection)));
            line(&mut y, "multiple: true");
            line(&mut y, "value_field: \"{{slug}}\"");
            line(&mut y, "search_fields: [title]");
            line(&mut y, "display_fields: [title]");
        }
    }
    line(
        &mut y,
        if f.required {
            "required: true"
        } else {
            "required: false"
        },
    );
    line(
        &mut y,
        match f.translation {
            Translation::PerLanguage => "i18n: true",
            Translation::Shared => "i18n: duplicate",
        },
    );
    y
}

/// The text of `static/admin/index.html`: loads the CMS, which reads
/// `config.yml` beside it.
pub fn index_html(config: &SiteConfig, settings: &CmsSettings) -> String {
    let title = config
        .title
        .get(&config.default_language)
        .map(String::as_str)
        .unwrap_or("");
    let script = match &settings.script {
        Some(src) => format!("<script src=\"{}\"></script>", escape(src)),
        None => format!(
            "<!-- Decap CMS {DECAP_VERSION}, pinned; the browser refuses the file if it differs. -->\n<script src=\"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js\" integrity=\"{DECAP_INTEGRITY}\" crossorigin=\"anonymous\"></script>"
        ),
    };
    format!(
        "<!doctype html>\n<!-- Written by `drehbuch cms init`; see docs/editors.md. -->\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>CMS – {}</title>\n</head>\n<body>\n{script}\n</body>\n</html>\n",
        escape(&config.default_language),
        escape(title)
    )
}
