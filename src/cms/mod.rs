//! A CMS for editors who do not use git: `drehbuch cms init` writes
//! `static/admin/` (`index.html` and `config.yml`, which Decap CMS and
//! Sveltia CMS both read) from `site.yaml` and the sections' field
//! declarations, and `check` warns when that configuration no longer
//! matches the site ([`drift`]).
//!
//! - [`collections`]: what the CMS edits, derived from the loaded site;
//! - [`config`]: the two files' text.

mod collections;
pub mod config;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use yaml_serde::Value;

use crate::diagnostics::{Diagnostic, SourceFile};
use crate::i18n::labels::Labels;
use crate::site::{BuildOptions, Site};
use collections::{Collection, Widget};
pub use config::{Backend, CmsSettings};

/// Where the CMS lives in a site, relative to its folder.
pub const ADMIN_DIR: &str = "static/admin";

/// The CMS configuration, relative to the site folder.
pub const CONFIG_PATH: &str = "static/admin/config.yml";

/// What `cms init` wrote.
#[derive(Debug)]
pub struct InitReport {
    /// The files written, relative to the site folder.
    pub files: Vec<String>,
    /// The section folders that got a collection (`""` for the top of
    /// `content/`).
    pub sections: Vec<String>,
    /// Section folders left out because their pages are rows of a data
    /// file, which the CMS cannot edit.
    pub data_sections: Vec<String>,
    /// Whether an existing `static/admin/` was replaced (`--force`).
    pub replaced: bool,
    /// Whether the replaced configuration's `backend:` block was kept.
    pub kept_backend: bool,
}

/// `drehbuch cms init`: loads the site in `root` (it must load without
/// errors), and writes `static/admin/` as a whole, or nothing. An existing
/// `static/admin/` is replaced only with `force`.
pub fn init(
    root: &Path,
    settings: &CmsSettings,
    force: bool,
) -> Result<InitReport, Vec<Diagnostic>> {
    let site = Site::load(&BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })?;
    if site.has_errors() {
        return Err(site.diagnostics.clone());
    }
    // Never write through a link that leads out of the site.
    site.dir
        .check(&root.join("static"))
        .and_then(|_| site.dir.check(&root.join(ADMIN_DIR)))
        .map_err(|d| vec![d])?;
    let admin = root.join(ADMIN_DIR);
    let exists = fs::symlink_metadata(&admin).is_ok();
    if exists && !force {
        return Err(vec![
            Diagnostic::file_error(
                Path::new(ADMIN_DIR),
                "the site already has a static/admin/ folder; nothing was written",
            )
            .with_help("run `drehbuch cms init --force` to replace it (its `backend:` settings are kept unless you pass --backend, --repo, --branch or --forge-url)"),
        ]);
    }
    if exists && !fs::symlink_metadata(&admin).is_ok_and(|m| m.is_dir()) {
        return Err(vec![
            Diagnostic::file_error(
                Path::new(ADMIN_DIR),
                "static/admin is not a folder; nothing was written",
            )
            .with_help("move it away, then run `drehbuch cms init` again"),
        ]);
    }
    let collections = site_collections(&site);
    let asked = settings.backend.is_some()
        || settings.repo.is_some()
        || settings.branch.is_some()
        || settings.forge_url.is_some();
    let kept_backend = if exists && !asked {
        fs::read_to_string(root.join(CONFIG_PATH))
            .ok()
            .and_then(|text| config::backend_block(&text))
    } else {
        None
    };
    let files = [
        (
            "config.yml",
            config::config_yml(
                &site.config,
                &collections,
                settings,
                kept_backend.as_deref(),
            ),
        ),
        ("index.html", config::index_html(&site.config, settings)),
    ];
    write_admin(root, &files, exists).map_err(|message| {
        vec![
            Diagnostic::file_error(Path::new(ADMIN_DIR), message)
                .with_help("check that the site's static/ folder is writable"),
        ]
    })?;
    let sections: Vec<String> = collections.iter().map(|c| c.dir.clone()).collect();
    Ok(InitReport {
        files: files
            .iter()
            .map(|(name, _)| format!("{ADMIN_DIR}/{name}"))
            .collect(),
        data_sections: site
            .model
            .content
            .section_dirs
            .iter()
            .filter(|d| !sections.contains(d))
            .cloned()
            .collect(),
        sections,
        replaced: exists,
        kept_backend: kept_backend.is_some(),
    })
}

/// The collections the loaded site asks for.
fn site_collections(site: &Site) -> Vec<Collection> {
    let labels = Labels::new(&site.theme.i18n);
    collections::collections(&site.config, &site.model.content, &labels)
}

/// Writes `files` into a new hidden folder in `static/`, then moves it to
/// `static/admin` in one step (swapping it with the old one when
/// `replace`), so the admin folder is never half-written.
fn write_admin(root: &Path, files: &[(&str, String)], replace: bool) -> Result<(), String> {
    let parent = root.join("static");
    fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".admin.tmp-")
        .tempdir_in(&parent)
        .map_err(|e| format!("cannot write into {}: {e}", parent.display()))?;
    for (name, text) in files {
        let path = staging.path().join(name);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let admin = root.join(ADMIN_DIR);
    if replace {
        swap(staging.path(), &admin)
            .map_err(|e| format!("cannot replace {}: {e}", admin.display()))?;
        // `staging` now holds the old folder and is removed when dropped.
    } else {
        let staged = staging.keep();
        fs::rename(&staged, &admin).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            format!("cannot create {}: {e}", admin.display())
        })?;
    }
    Ok(())
}

/// Exchanges two folders: in one step on Linux, else by two renames.
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    match crate::output::writer::rename_with(a, b, libc::RENAME_EXCHANGE) {
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
        done => return done,
    }
    let aside = a.with_extension("old");
    fs::rename(b, &aside)?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&aside, b);
        return Err(e);
    }
    fs::rename(&aside, a)
}

/// A collection as `config.yml` describes it: its folder and, per field,
/// its widget and the values of a select.
#[derive(Debug, Default)]
struct Written {
    fields: Vec<(String, String, Vec<String>)>,
    /// Where the collection starts in the file (byte offset).
    at: usize,
}

/// `check`: when the site has a `static/admin/config.yml`, warnings for
/// every section or field that differs from what `cms init` would write
/// now, each with the help to write it again.
pub fn drift(site: &Site) -> Vec<Diagnostic> {
    let path = site.dir.root.join(CONFIG_PATH);
    let text = match site.dir.read(&path) {
        Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(None) => return Vec::new(),
        Err(d) => return vec![d.warning()],
    };
    let file = SourceFile::new(PathBuf::from(CONFIG_PATH), text);
    let help =
        "run `drehbuch cms init --force` to write the CMS configuration for the site as it is now";
    let warn = |at: usize, message: String| {
        file.error(at..at, message)
            .warning()
            .with_kind("cms")
            .with_help(help)
    };
    let written = match read_written(&file) {
        Ok(w) => w,
        Err(message) => return vec![warn(0, message)],
    };
    let wanted = site_collections(site);
    let mut out = Vec::new();
    let wanted_dirs: BTreeSet<&str> = wanted.iter().map(|c| c.dir.as_str()).collect();
    for (dir, w) in &written {
        if !wanted_dirs.contains(dir.as_str()) {
            out.push(warn(
                w.at,
                format!(
                    "the CMS edits content/{dir}, which is no longer a section with Markdown pages"
                ),
            ));
        }
    }
    for c in &wanted {
        let folder = if c.dir.is_empty() {
            "content".to_string()
        } else {
            format!("content/{}", c.dir)
        };
        let Some((_, w)) = written.iter().find(|(dir, _)| *dir == c.dir) else {
            let list = file.text.find("\ncollections:").map_or(0, |i| i + 1);
            out.push(warn(
                list,
                format!("the CMS has no collection for {folder}/, a section of the site"),
            ));
            continue;
        };
        for f in &c.fields {
            let (widget, values) = widget_of(&f.widget);
            match w.fields.iter().find(|(name, _, _)| *name == f.name) {
                None => out.push(warn(
                    w.at,
                    format!(
                        "the CMS collection for {folder}/ has no field `{}`, which the section declares",
                        f.name
                    ),
                )),
                Some((_, w_widget, w_values)) if *w_widget != widget => out.push(warn(
                    w.at,
                    format!(
                        "the field `{}` of {folder}/ is edited as `{w_widget}` in the CMS, but needs `{widget}` now",
                        f.name
                    ),
                )),
                Some((_, _, w_values)) if *w_values != values => out.push(warn(
                    w.at,
                    format!(
                        "the allowed values of `{}` in {folder}/ are {} in the site but {} in the CMS",
                        f.name,
                        values.join(", "),
                        w_values.join(", ")
                    ),
                )),
                Some(_) => {}
            }
        }
        for (name, _, _) in &w.fields {
            if !c.fields.iter().any(|f| f.name == *name) {
                out.push(warn(
                    w.at,
                    format!(
                        "the CMS collection for {folder}/ has the field `{name}`, which the section no longer declares"
                    ),
                ));
            }
        }
    }
    out
}

/// The widget name `config.yml` uses for a field, and a select's values.
fn widget_of(widget: &Widget) -> (String, Vec<String>) {
    match widget {
        Widget::String | Widget::Url => ("string".into(), Vec::new()),
        Widget::Text => ("text".into(), Vec::new()),
        Widget::Markdown => ("markdown".into(), Vec::new()),
        Widget::Select { options, .. } => (
            "select".into(),
            options.iter().map(|(v, _)| v.clone()).collect(),
        ),
        Widget::List => ("list".into(), Vec::new()),
        Widget::Number { .. } => ("number".into(), Vec::new()),
        Widget::Boolean => ("boolean".into(), Vec::new()),
        Widget::Date => ("datetime".into(), Vec::new()),
        Widget::Relation { .. } => ("relation".into(), Vec::new()),
    }
}

/// The folder collections of a `config.yml` under `content/`, by section
/// folder (`""` for `content` itself).
fn read_written(file: &SourceFile) -> Result<Vec<(String, Written)>, String> {
    let value: Value = yaml_serde::from_str(&file.text)
        .map_err(|e| format!("the CMS configuration cannot be read: {e}"))?;
    let Some(Value::Sequence(list)) = value.get("collections") else {
        return Err("the CMS configuration has no `collections` list".into());
    };
    let mut out = Vec::new();
    let mut search_from = 0;
    for c in list {
        let Some(folder) = c.get("folder").and_then(Value::as_str) else {
            continue;
        };
        let folder = folder.trim_end_matches('/');
        let dir = match folder.strip_prefix("content") {
            Some("") => String::new(),
            Some(rest) if rest.starts_with('/') => rest[1..].to_string(),
            _ => continue,
        };
        // Where its `folder:` line stands, for the warning's line.
        let at = find_from(&file.text, search_from, folder);
        search_from = at;
        let fields = match c.get("fields") {
            Some(Value::Sequence(fields)) => fields
                .iter()
                .filter_map(|f| {
                    let name = f.get("name")?.as_str()?.to_string();
                    let widget = f
                        .get("widget")
                        .and_then(Value::as_str)
                        .unwrap_or("string")
                        .to_string();
                    let values = match f.get("options") {
                        Some(Value::Sequence(options)) => options
                            .iter()
                            .filter_map(|o| match o {
                                Value::String(s) => Some(s.clone()),
                                other => other.get("value").map(scalar_text),
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    Some((name, widget, values))
                })
                .collect(),
            _ => Vec::new(),
        };
        out.push((dir, Written { fields, at }));
    }
    Ok(out)
}

/// A YAML scalar as text (`3` → `3`).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The offset of the line holding `folder: …<folder>` at or after `from`.
fn find_from(text: &str, from: usize, folder: &str) -> usize {
    let mut offset = from;
    for line in text[from.min(text.len())..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("folder:") && trimmed.contains(folder) {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    from
}
