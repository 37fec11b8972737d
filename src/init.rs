//! `drehbuch init`: a new site that builds and checks clean at once:
//! `site.yaml`, a home page per language, one section (`layout: book`)
//! with one chapter per language, an empty `static/`, and a README that
//! tells editors what to do next. With `--ci` (or in a git repository
//! with a GitHub or GitLab remote) also the workflow that checks, builds
//! and publishes it. It never overwrites anything and never writes through
//! a link: the files are written into a hidden folder first and moved in
//! only if none of their names exists (dangling links included), so a
//! failed init leaves the folder as it was.

use std::fs;
use std::path::{Path, PathBuf};

use crate::sources::theme;

/// What `drehbuch init` was asked to do.
#[derive(Clone, Debug)]
pub struct InitOptions {
    /// Where the site goes (created if missing; must not hold a site).
    pub dir: PathBuf,
    /// Language codes, the first is the default language.
    pub languages: Vec<String>,
    /// The site's title (same in every language until translated).
    pub title: Option<String>,
    /// The deploy workflow to write; `None`: from the git remote.
    pub ci: Option<Ci>,
}

/// Texts of the starter site in one language.
struct Texts {
    welcome: &'static str,
    home: &'static str,
    section_title: &'static str,
    section_text: &'static str,
    chapter_title: &'static str,
    chapter_description: &'static str,
    chapter: &'static str,
}

const EN: Texts = Texts {
    welcome: "My handbook",
    home: "Welcome! This is the home page. Edit it in `content/_index.{lang}.md`.\n\nThe chapters below are one section of the site; add more sections as folders under `content/`.\n",
    section_title: "Chapters",
    section_text: "Chapters are Markdown files in `content/chapters/`. A number in front of the file name (`01-`) sets their order.\n",
    chapter_title: "Getting started",
    chapter_description: "How to write and publish this handbook.",
    chapter: "## Write\n\nEach page is a Markdown file with a short block of settings (the *front matter*) between `---` lines at the top. Translations share a file name and differ in their language suffix: `01-getting-started.{lang}.md`.\n\n## Preview and publish\n\nRun `drehbuch build` to write the site into `public/`, and `drehbuch check` to find broken links and missing translations before you publish.\n",
};

const DE: Texts = Texts {
    welcome: "Mein Handbuch",
    home: "Willkommen! Dies ist die Startseite. Sie bearbeiten sie in `content/_index.{lang}.md`.\n\nDie Kapitel unten sind ein Bereich der Website; weitere Bereiche legen Sie als Ordner unter `content/` an.\n",
    section_title: "Kapitel",
    section_text: "Kapitel sind Markdown-Dateien in `content/chapters/`. Eine Zahl vor dem Dateinamen (`01-`) legt ihre Reihenfolge fest.\n",
    chapter_title: "Erste Schritte",
    chapter_description: "Wie Sie dieses Handbuch schreiben und veröffentlichen.",
    chapter: "## Schreiben\n\nJede Seite ist eine Markdown-Datei mit einem kurzen Block von Angaben (dem *Front Matter*) zwischen `---`-Zeilen am Anfang. Übersetzungen haben denselben Dateinamen und unterscheiden sich im Sprachkürzel: `01-getting-started.{lang}.md`.\n\n## Ansehen und veröffentlichen\n\n`drehbuch build` schreibt die Website nach `public/`, und `drehbuch check` findet vor dem Veröffentlichen kaputte Links und fehlende Übersetzungen.\n",
};

const RO: Texts = Texts {
    welcome: "Manualul meu",
    home: "Bine ați venit! Aceasta este pagina de start. O editați în `content/_index.{lang}.md`.\n\nCapitolele de mai jos sunt o secțiune a site-ului; alte secțiuni se adaugă ca foldere în `content/`.\n",
    section_title: "Capitole",
    section_text: "Capitolele sunt fișiere Markdown în `content/chapters/`. Un număr în fața numelui fișierului (`01-`) stabilește ordinea lor.\n",
    chapter_title: "Primii pași",
    chapter_description: "Cum scrieți și publicați acest manual.",
    chapter: "## Scrieți\n\nFiecare pagină este un fișier Markdown cu un scurt bloc de setări (*front matter*) între linii `---` la început. Traducerile au același nume de fișier și diferă prin sufixul limbii: `01-getting-started.{lang}.md`.\n\n## Previzualizați și publicați\n\n`drehbuch build` scrie site-ul în `public/`, iar `drehbuch check` găsește linkuri greșite și traduceri lipsă înainte de publicare.\n",
};

/// The starter texts written in a language, if init has them.
fn own_texts(lang: &str) -> Option<&'static Texts> {
    match lang.split('-').next().unwrap_or(lang) {
        "de" => Some(&DE),
        "en" => Some(&EN),
        "ro" => Some(&RO),
        _ => None,
    }
}

/// The starter texts for a language (English for languages without them).
fn texts(lang: &str) -> &'static Texts {
    own_texts(lang).unwrap_or(&EN)
}

/// The languages that get starter pages: those init has texts in. The
/// others are shown as untranslated stand-ins of these (`untranslated:
/// render`), never as English text labelled as another language. If none
/// of the languages has texts, the first gets the English ones.
fn written_languages(languages: &[String]) -> Vec<&String> {
    let written: Vec<&String> = languages
        .iter()
        .filter(|l| own_texts(l).is_some())
        .collect();
    if written.is_empty() {
        languages.iter().take(1).collect()
    } else {
        written
    }
}

/// Normalises `--languages`: entries split at commas and spaces
/// (`"ro, hu"`), each code in BCP 47's canonical case (`HU` → `hu`,
/// `pt-br` → `pt-BR`). Errors name the code that is none.
pub fn normalize_languages(raw: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for code in raw
        .iter()
        .flat_map(|r| r.split([',', ' ', '\t']))
        .filter(|c| !c.is_empty())
    {
        let canonical = icu_locale_core::LanguageIdentifier::try_from_str(code)
            .ok()
            .map(|l| l.to_string())
            .filter(|c| crate::config::is_language_code(c))
            .ok_or_else(|| {
                format!("`{code}` is not a language code; use codes like de, en, ro or pt-BR")
            })?;
        if out.contains(&canonical) {
            return Err(format!("the language `{canonical}` is listed twice"));
        }
        out.push(canonical);
    }
    Ok(out)
}

/// What `init` should tell the user besides the files it wrote: one
/// warning naming the languages the built-in theme has no UI strings for,
/// with what to do.
pub fn warnings(options: &InitOptions) -> Vec<String> {
    let Ok(languages) = normalize_languages(&options.languages) else {
        return Vec::new();
    };
    let without: Vec<String> = languages
        .iter()
        .filter(|l| theme::file(&format!("i18n/{l}.yaml")).is_none())
        .map(|l| format!("`{l}`"))
        .collect();
    if without.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "the built-in theme has no interface texts (menus, buttons, notices) for {}: those pages show the interface of another language until you add i18n/<language>.yaml; run `drehbuch theme eject --to /tmp/theme` and translate a copy of /tmp/theme/i18n/en.yaml (the site's README.md says the same)",
        without.join(", ")
    )]
}

/// A language's own name for the switcher, for common codes; else its
/// name in itself from CLDR (`ar` → العربية); else the code.
fn language_name(code: &str) -> String {
    let name = match code.split('-').next().unwrap_or(code) {
        "de" => "Deutsch",
        "en" => "English",
        "ro" => "Română",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "pt" => "Português",
        "cs" => "Čeština",
        "hu" => "Magyar",
        "tr" => "Türkçe",
        "uk" => "Українська",
        "el" => "Ελληνικά",
        "sv" => "Svenska",
        "da" => "Dansk",
        "fi" => "Suomi",
        "bg" => "Български",
        "hr" => "Hrvatski",
        "sk" => "Slovenčina",
        "sl" => "Slovenščina",
        _ => {
            return crate::i18n::names::display_name(code, code)
                .map_or_else(|| code.to_string(), str::to_string);
        }
    };
    name.to_string()
}

/// Quotes a YAML text value.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A front matter text as the CMS writes it (`drehbuch cms init`): plain
/// when YAML reads it back as the same text, else quoted. Files written
/// this way stay byte for byte the same when an editor saves them
/// unchanged in the CMS (scripts/validate/cms/cms-roundtrip.mjs).
fn plain_or_quoted(text: &str) -> String {
    let plain = text.starts_with(char::is_alphabetic)
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['"', '\\', '\n', '\t', '{', '}', '[', ']'])
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// `site.yaml` of a new site: titles and languages, the placeholder
/// address, an edit link when the repository's forge is known, and
/// `untranslated: render` when some languages start as stand-ins.
fn site_yaml(options: &InitOptions, stand_ins: &[&String]) -> String {
    let languages = &options.languages;
    let default = &languages[0];
    // A language without starter texts shows the first written language's
    // pages (as stand-ins), so its placeholder title is in that language
    // too, not in English.
    let shown = written_languages(languages)[0];
    let title_map: Vec<String> = languages
        .iter()
        .map(|l| {
            let placeholder = own_texts(l).unwrap_or_else(|| texts(shown)).welcome;
            let title = options
                .title
                .clone()
                .unwrap_or_else(|| placeholder.to_string());
            format!("  {l}: {}", quoted(&title))
        })
        .collect();
    let language_list: Vec<String> = languages
        .iter()
        .map(|l| format!("  - {{code: {l}, name: {}}}", quoted(&language_name(l))))
        .collect();
    // "Edit this page" links lead to the forge's web editor when the
    // repository's remote names one; otherwise an example to fill in.
    let edit_url = match repository_of(&options.dir).as_ref().and_then(forge_edit_url) {
        Some(url) => format!("# \"Edit this page\" on every page: the file in the forge's web editor.\nedit_url: {}\n", quoted(&url)),
        None => "# \"Edit this page\" on every page (see docs/editors.md), e.g.:\n# edit_url: \"https://github.com/OWNER/REPOSITORY/edit/main/{path}\"\n".to_string(),
    };
    format!(
        "# The site's settings. See the drehbuch README for every key.\ntitle:\n{}\n# Where the site will be published (a sub-path like /handbook/ works).\nbase_url: \"https://example.org/\"\ndefault_language: {default}\nlanguages:\n{}\n{edit_url}{}",
        title_map.join("\n"),
        language_list.join("\n"),
        if stand_ins.is_empty() {
            String::new()
        } else {
            "# Pages without a translation are shown in their original language,\n# with a notice, under each language's URL.\nuntranslated: render\n".to_string()
        }
    )
}

/// The files of a new site, by path relative to the site folder.
fn files(options: &InitOptions) -> Vec<(String, String)> {
    let languages = &options.languages;
    let default = &languages[0];
    let written = written_languages(languages);
    let stand_ins: Vec<&String> = languages.iter().filter(|l| !written.contains(l)).collect();
    let mut out = Vec::new();
    out.push(("site.yaml".to_string(), site_yaml(options, &stand_ins)));
    for lang in &written {
        let t = texts(lang);
        let title = options
            .title
            .clone()
            .unwrap_or_else(|| t.welcome.to_string());
        out.push((
            format!("content/_index.{lang}.md"),
            format!(
                "---\ntitle: {}\n---\n{}",
                quoted(&title),
                t.home.replace("{lang}", lang)
            ),
        ));
        out.push((
            format!("content/chapters/_index.{lang}.md"),
            format!(
                "---\ntitle: {}\nlayout: book\n---\n{}",
                quoted(t.section_title),
                t.section_text
            ),
        ));
        out.push((
            format!("content/chapters/01-getting-started.{lang}.md"),
            format!(
                "---\ntitle: {}\ndescription: {}\n---\n{}",
                plain_or_quoted(t.chapter_title),
                plain_or_quoted(t.chapter_description),
                t.chapter.replace("{lang}", lang)
            ),
        ));
    }
    let without_strings: Vec<&String> = languages
        .iter()
        .filter(|l| theme::file(&format!("i18n/{l}.yaml")).is_none())
        .collect();
    let stand_in_note = if stand_ins.is_empty() {
        String::new()
    } else {
        let codes: Vec<String> = stand_ins.iter().map(|l| format!("`{l}`")).collect();
        format!(
            "\n## Languages still to translate\n\nFor {} there are no pages yet: their readers see the pages of {} with a notice that they are not translated (`untranslated: render` in `site.yaml`), and `drehbuch translations status` lists them as missing. Translate a page by writing the same file with the language's suffix, e.g. `content/_index.{}.md`.\n",
            codes.join(", "),
            written
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", "),
            stand_ins[0]
        )
    };
    let strings_note = if without_strings.is_empty() {
        String::new()
    } else {
        format!(
            "\n## Interface texts\n\nThe built-in theme has interface texts (menus, buttons, dates) in German, English, Romanian, Turkish, Arabic, Polish, Bulgarian, Ukrainian, Hungarian, French, Spanish, Italian and Dutch. For {} it shows the default language's until you add `i18n/<language>.yaml`: run `drehbuch theme eject --to /tmp/theme` and translate a copy of `/tmp/theme/i18n/en.yaml`.\n",
            without_strings
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // What a build leaves in the site folder and should not be committed:
    // the output, its lock file and any temporary folder of a killed build.
    out.push((
        ".gitignore".to_string(),
        "/public/\n/.public.lock\n/.public.tmp-*\n/.public.old-*\n/.drehbuch/\n".to_string(),
    ));
    out.push((
        "README.md".to_string(),
        format!(
            "# {title}\n\nThis handbook is built with [drehbuch]({home}). Languages: {langs}.\n\n## What to do next\n\n1. Change the title and `base_url` in `site.yaml`.\n2. Write: edit `content/_index.{default}.md` (the home page) and the chapter in `content/chapters/`. Add pages as new Markdown files{translations}.\n3. Preview: `drehbuch serve` and open the address it prints; the page reloads each time you save. `drehbuch build` writes the site into `public/` for publishing.\n4. Before publishing: `drehbuch check` lists broken links, missing translations and accessibility problems, each with the file, the line and what to do.\n5. Pictures and downloads go into `static/`; they are copied into the site as they are.\n\nThe look comes from drehbuch's built-in theme. To change a template, put a file of the same name into `templates/`; to change everything, `drehbuch theme eject`.\n\nEditors who do not use git: an \"Edit this page\" link on every page (`edit_url` in `site.yaml`) and a CMS in the browser (`drehbuch cms init`); see [the guide for editors]({home}/blob/main/docs/editors.md).\n{stand_in_note}{strings_note}",
            title = options
                .title
                .clone()
                .unwrap_or_else(|| texts(default).welcome.to_string()),
            home = env!("CARGO_PKG_REPOSITORY"),
            langs = languages.join(", "),
            translations = match languages.get(1) {
                Some(other) => format!(
                    "; translations share the file name with another language suffix (`page.{default}.md`, `page.{other}.md`)"
                ),
                None => format!(" ending in `.{default}.md` (`page.{default}.md`)"),
            },
        ),
    ));
    if let Some((path, shown, text)) = ci_workflow(options) {
        if let Some(readme) = out.iter_mut().find(|(p, _)| p == "README.md") {
            readme.1.push_str(&format!(
                "\n## Publishing\n\n`{shown}` checks and builds the handbook on every push and publishes it {}\n",
                if path.ends_with("pages.yml") {
                    "on GitHub Pages; switch that on once: Settings → Pages → Build and deployment → Source: GitHub Actions. Problems that `drehbuch check` finds stop the deploy and are shown on the changed lines."
                } else {
                    "on GitLab Pages (Deploy → Pages shows the address). Problems that `drehbuch check` finds stop the deploy; the job's log lists them."
                }
            ));
        }
        out.push((path, text));
    }
    out
}

/// Creates a new site in `options.dir`. Refuses (writing nothing) if the
/// folder already holds a site or any of the files. Returns the files
/// written, relative to the folder.
pub fn init(options: &InitOptions) -> Result<Vec<String>, String> {
    let options = &InitOptions {
        languages: normalize_languages(&options.languages)?,
        ..options.clone()
    };
    if options.languages.is_empty() {
        return Err("name at least one language, e.g. --languages ro,en".into());
    }
    if options
        .title
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(
            "the title is empty; give one with --title \"…\", or leave --title out for a placeholder"
                .into(),
        );
    }
    let dir = &options.dir;
    let present = |relative: &str| fs::symlink_metadata(dir.join(relative)).is_ok();
    if present("site.yaml") {
        return Err(format!(
            "{} already holds a site (it has a site.yaml); nothing was written",
            dir.display()
        ));
    }
    let (files, outside): (Vec<_>, Vec<_>) = files(options)
        .into_iter()
        .partition(|(path, _)| Path::new(path).is_relative());
    // A deploy workflow at the top of the repository the site folder is in.
    let outside = outside.into_iter().next();
    if let Some((path, _)) = &outside
        && fs::symlink_metadata(path).is_ok()
    {
        return Err(format!(
            "the repository already has {path}; nothing was written (init never overwrites a workflow: leave out --ci, or pass --ci none)"
        ));
    }
    // What init puts into the folder: files and the folders that hold them.
    let mut entries: Vec<&str> = files
        .iter()
        .map(|(p, _)| p.split('/').next().unwrap_or(p))
        .chain(["static"])
        .collect();
    entries.sort_unstable();
    entries.dedup();
    let existing: Vec<String> = entries
        .iter()
        .filter(|e| present(e))
        .map(|e| match fs::read_link(dir.join(e)) {
            Ok(target) => format!("{e} (a symbolic link to {})", target.display()),
            Err(_) => e.to_string(),
        })
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "{} already has {}; nothing was written (choose an empty or new folder; init never writes through a link)",
            dir.display(),
            existing.join(", ")
        ));
    }
    let created = fs::symlink_metadata(dir).is_err();
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let result = write_all_or_nothing(dir, &files, &entries, outside.as_ref());
    if result.is_err() && created {
        let _ = fs::remove_dir(dir);
    }
    result.map(|()| files.into_iter().chain(outside).map(|(p, _)| p).collect())
}

/// Writes `files` into a fresh hidden folder inside `dir`, then moves the
/// top-level `entries` into `dir`, each only if nothing (not even a
/// dangling link) has its name. A file `outside` the folder (the deploy
/// workflow at the repository's top) is then created exclusively, never
/// through a link. On any failure what was moved is taken back: the
/// folder is left as it was.
fn write_all_or_nothing(
    dir: &Path,
    files: &[(String, String)],
    entries: &[&str],
    outside: Option<&(String, String)>,
) -> Result<(), String> {
    let staging = loop {
        let candidate = dir.join(format!(
            ".drehbuch-init-{:016x}",
            crate::output::writer::random_u64()
        ));
        match fs::create_dir(&candidate) {
            Ok(()) => break candidate,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot write into {}: {e}", dir.display())),
        }
    };
    let written = files
        .iter()
        .try_for_each(|(path, text)| write(&staging, path, text))
        .and_then(|()| {
            fs::create_dir(staging.join("static"))
                .map_err(|e| format!("cannot create {}: {e}", dir.join("static").display()))
        });
    let mut moved: Vec<&str> = Vec::new();
    let result = written.and_then(|()| {
        for entry in entries {
            move_new(&staging.join(entry), &dir.join(entry))
                .map_err(|e| format!("cannot create {}: {e}", dir.join(entry).display()))?;
            moved.push(entry);
        }
        match outside {
            Some((path, text)) => write_new(Path::new(path), text),
            None => Ok(()),
        }
    });
    if result.is_err() {
        for entry in moved {
            let _ = fs::rename(dir.join(entry), staging.join(entry));
        }
    }
    let _ = fs::remove_dir_all(&staging);
    result
}

/// Renames `from` to `to` unless something exists at `to` (on Linux in
/// one step, `RENAME_NOREPLACE`, so nothing can appear in between).
fn move_new(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    match crate::output::writer::rename_with(from, to, libc::RENAME_NOREPLACE) {
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
        done => return done,
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "it exists already",
        ));
    }
    fs::rename(from, to)
}

/// Creates `path` with `text` only if nothing (not even a dangling link)
/// has its name; creates missing folders on the way.
fn write_new(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    // `create_new` is O_CREAT|O_EXCL, which fails on any existing name,
    // links included, and never follows one.
    let mut file = fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write(dir: &Path, relative: &str, text: &str) -> Result<(), String> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Which CI service `drehbuch init --ci` writes a deploy workflow for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// GitHub Actions to GitHub Pages (.github/workflows/pages.yml).
    Github,
    /// GitLab CI to GitLab Pages (.gitlab-ci.yml).
    Gitlab,
    /// No workflow.
    None,
}

/// The GitHub Pages workflow `init --ci github` writes (docs/deploy.md
/// shows the same file).
const GITHUB_WORKFLOW: &str = include_str!("../ci/github/pages.yml");

/// The GitLab Pages pipeline `init --ci gitlab` writes, which is also
/// the template other projects include.
const GITLAB_PIPELINE: &str = include_str!("../ci/gitlab/drehbuch.gitlab-ci.yml");

/// Where a new site's folder sits in a git repository.
struct Repository {
    /// The repository's top folder.
    top: PathBuf,
    /// The site folder relative to the repository's top, `/`-separated;
    /// empty when it is the top.
    site: String,
    /// The URLs of the repository's remotes, origin first.
    remotes: Vec<String>,
    /// The branch checked out (`main` in a new repository).
    branch: Option<String>,
}

/// The repository the site folder `dir` (which may not exist yet) is in.
fn repository_of(dir: &Path) -> Option<Repository> {
    let mut existing = std::path::absolute(dir).ok()?;
    let mut missing = Vec::new();
    while !existing.is_dir() {
        missing.push(existing.file_name()?.to_string_lossy().into_owned());
        existing = existing.parent()?.to_path_buf();
    }
    let git = |args: &[&str]| crate::sources::git::run(&existing, args);
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim())
        .canonicalize()
        .ok()?;
    let inside = existing.canonicalize().ok()?;
    let relative = inside.strip_prefix(&top).ok()?;
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    parts.extend(missing.into_iter().rev());
    let mut remotes: Vec<(bool, String)> = git(&["config", "--get-regexp", r"^remote\..*\.url$"])
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(key, url)| (key != "remote.origin.url", url.trim().to_string()))
        .collect();
    remotes.sort();
    Some(Repository {
        top: top.clone(),
        site: parts.join("/"),
        remotes: remotes.into_iter().map(|(_, url)| url).collect(),
        branch: git(&["symbolic-ref", "--short", "-q", "HEAD"]).map(|b| b.trim().to_string()),
    })
}

/// The `edit_url` of a site in `repository`: the web editor of GitHub,
/// GitLab (any host named gitlab…) or Codeberg/Forgejo for the remote's
/// project, on the current branch (`main` before the first commit), with
/// the site's folder in front of `{path}`. `None` for other remotes.
fn forge_edit_url(repository: &Repository) -> Option<String> {
    let remote = repository.remotes.first()?;
    // https://host/owner/name(.git), ssh://git@host:22/owner/name, git@host:owner/name
    let (host, project) = match remote.split_once("://") {
        Some((scheme, rest)) => {
            let rest = rest
                .rsplit_once('@')
                .map_or(rest, |(_, host_path)| host_path);
            let (host, project) = rest.split_once('/')?;
            let web_host = if scheme.starts_with("http") {
                host
            } else {
                host.split(':').next().unwrap_or(host)
            };
            (web_host, project)
        }
        None => {
            let rest = remote.rsplit_once('@').map_or(remote.as_str(), |(_, h)| h);
            rest.split_once(':')?
        }
    };
    let project = project.trim_matches('/').trim_end_matches(".git");
    if project.is_empty() || project.contains(char::is_whitespace) {
        return None;
    }
    let branch = repository.branch.as_deref().unwrap_or("main");
    let site = if repository.site.is_empty() {
        String::new()
    } else {
        format!("{}/", repository.site)
    };
    let editor = if host == "github.com" {
        "edit"
    } else if host.contains("gitlab") {
        "-/edit"
    } else if host == "codeberg.org" || host.contains("forgejo") || host.contains("gitea") {
        "_edit"
    } else {
        return None;
    };
    Some(format!(
        "https://{host}/{project}/{editor}/{branch}/{site}{{path}}"
    ))
}

/// The deploy workflow of a new site: where to write it, what to call it
/// in the site's README, and its text; `None` for none. Asked for with
/// `--ci`, or else chosen by the git remote (GitHub, GitLab) and left out
/// if that file is there already. In a repository the file goes to the
/// repository's top (the only place GitHub and GitLab read it from),
/// aimed at the site's folder; the place to write it is then an absolute
/// path, as `site/../x` cannot be resolved before the site folder exists.
fn ci_workflow(options: &InitOptions) -> Option<(String, String, String)> {
    let repository = repository_of(&options.dir);
    let ci = options.ci.unwrap_or_else(|| {
        let remote = repository.as_ref().and_then(|r| r.remotes.first());
        match remote {
            Some(url) if url.contains("github.com") => Ci::Github,
            Some(url) if url.contains("gitlab") => Ci::Gitlab,
            _ => Ci::None,
        }
    });
    let (site, branch, top) = match &repository {
        Some(r) => (r.site.as_str(), r.branch.as_deref(), Some(&r.top)),
        None => ("", None, None),
    };
    let root = if site.is_empty() { "." } else { site };
    let (file, text) = match ci {
        Ci::None => return None,
        Ci::Github => {
            let mut text =
                GITHUB_WORKFLOW.replace("root: \".\"", &format!("root: {}", quoted(root)));
            if let Some(branch) = branch.filter(|b| *b != "main") {
                text = text.replace(
                    "branches: [main]",
                    &format!("branches: [{}]", quoted(branch)),
                );
            }
            (".github/workflows/pages.yml", text)
        }
        Ci::Gitlab => (
            ".gitlab-ci.yml",
            GITLAB_PIPELINE.replace(
                "DREHBUCH_ROOT: \".\"",
                &format!("DREHBUCH_ROOT: {}", quoted(root)),
            ),
        ),
    };
    let (path, shown) = match top {
        Some(top) if !site.is_empty() => (
            top.join(file).to_string_lossy().into_owned(),
            format!("{}{file}", "../".repeat(site.split('/').count())),
        ),
        _ => (file.to_string(), file.to_string()),
    };
    if options.ci.is_none() && options.dir.join(&path).exists() {
        return None;
    }
    Some((path, shown, text))
}

/// What to do after `init` wrote a deploy workflow (`files` as `init`
/// returns them), or `None` when it wrote none.
pub fn ci_next_step(files: &[String]) -> Option<String> {
    files.iter().find_map(|file| {
        if file.ends_with(".github/workflows/pages.yml") {
            Some(format!(
                "{file} publishes the site on GitHub Pages on every push to the branch it names; switch that on once: Settings → Pages → Build and deployment → Source: GitHub Actions"
            ))
        } else if file.ends_with(".gitlab-ci.yml") {
            Some(format!(
                "{file} publishes the site on GitLab Pages on every push to the default branch (Deploy → Pages shows the address)"
            ))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{Repository, forge_edit_url, plain_or_quoted};

    #[test]
    fn edit_urls_come_from_github_gitlab_and_codeberg_remotes() {
        let url = |remote: &str, site: &str, branch: Option<&str>| {
            forge_edit_url(&Repository {
                top: "/r".into(),
                site: site.into(),
                remotes: vec![remote.into()],
                branch: branch.map(str::to_string),
            })
        };
        assert_eq!(
            url("git@github.com:city/handbook.git", "", Some("main")).as_deref(),
            Some("https://github.com/city/handbook/edit/main/{path}")
        );
        assert_eq!(
            url(
                "https://gitlab.com/group/sub/handbook.git",
                "docs/site",
                Some("dev")
            )
            .as_deref(),
            Some("https://gitlab.com/group/sub/handbook/-/edit/dev/docs/site/{path}")
        );
        assert_eq!(
            url("ssh://git@codeberg.org:22/city/handbook.git", "", None).as_deref(),
            Some("https://codeberg.org/city/handbook/_edit/main/{path}")
        );
        assert_eq!(url("https://example.org/x/y.git", "", None), None);
    }

    #[test]
    fn front_matter_texts_are_plain_as_the_cms_writes_them_unless_yaml_would_misread_them() {
        assert_eq!(plain_or_quoted("Primii pași"), "Primii pași");
        assert_eq!(
            plain_or_quoted("Wie Sie dieses Handbuch schreiben, ja."),
            "Wie Sie dieses Handbuch schreiben, ja."
        );
        assert_eq!(plain_or_quoted("Note: read"), "\"Note: read\"");
        assert_eq!(plain_or_quoted("yes"), "\"yes\"");
        assert_eq!(plain_or_quoted("#1"), "\"#1\"");
        assert_eq!(plain_or_quoted("2024"), "\"2024\"");
        assert_eq!(plain_or_quoted("a [b]"), "\"a [b]\"");
    }
}
