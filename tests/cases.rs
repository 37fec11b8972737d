//! One tiny site per behaviour. Every folder under `tests/cases/` is a
//! site (`site.yaml`, `content/`, …) and a `case.yaml` saying what it
//! shows, with the output it must give under `expected/`:
//!
//! - `diagnostics.txt`: what `drehbuch build` reports, in the human
//!   format, paths relative to the case, and the summary line;
//! - `files.txt`: every file the render writes (pages, feeds, sitemap),
//!   each page with its `<html>` start tag (the language it declares);
//!   empty when an error stops the build;
//! - `<page>.main.html` for each page `<page>.html`: its `<main>` element,
//!   byte for byte (more elements with `elements:` in `case.yaml`);
//! - every other written file (sitemap, feeds) whole;
//! - `check.txt` with `check: true`: what `drehbuch check` reports;
//! - `static.txt` with `static: true`: the static files and their layer.
//!
//! Each case is loaded and rendered in this process through the library
//! (`Site::load`, `Site::render` into memory), from a copy in a temporary
//! folder outside any git repository (so dates never come from git).
//! After an intended change, `DREHBUCH_BLESS=1 cargo test --test cases`
//! writes the expectations anew; review the diff in git before committing.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use drehbuch::check::{CheckOptions, report};
use drehbuch::diagnostics::{Diagnostic, sort_diagnostics};
use drehbuch::site::{BuildOptions, OutputSink, Site};
use drehbuch::sources::layers::Origin;
use serde::Deserialize;

/// Declares one test per case folder; `every_case_folder_has_a_test`
/// makes sure none is forgotten.
/// A case whose site has search on (the default) expects the search
/// field and script, so it runs only in a build with the `search` feature.
macro_rules! cases {
    ($($(#[$attr:meta])* $name:ident),* $(,)?) => {
        $(
            #[test]
            $(#[$attr])*
            fn $name() {
                run_case(&stringify!($name).replace('_', "-"));
            }
        )*
        const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

cases! {
    #[cfg(feature = "search")]
    base_url_sub_path,
    #[cfg(feature = "search")]
    bom_and_crlf,
    book_layout,
    cards_layout,
    chart_unknown_year_and_sensor,
    chart_unreadable_summary,
    chart_without_summary,
    check_accessibility,
    check_dangling_ids,
    check_datasets,
    check_heading_levels,
    check_links,
    check_template_links,
    code_highlighting,
    config_errors,
    content_scripts,
    content_scripts_error,
    data_csv,
    data_csv_bad_cells,
    data_csv_bad_rows,
    data_csv_body_link_error,
    data_csv_link_to_missing_row,
    data_csv_no_rows,
    data_csv_print,
    data_csv_render,
    data_csv_semicolons,
    data_csv_unknown_column,
    data_json,
    data_json_body_link_error,
    data_json_errors,
    data_source_errors,
    data_source_mismatch,
    data_yaml,
    data_yaml_errors,
    dates_localized,
    drafts,
    drafts_included,
    drafts_linked,
    feeds,
    feeds_data_and_stand_ins,
    feeds_limited,
    feeds_off,
    feeds_section_off,
    field_chart,
    field_chart_errors,
    field_chart_totals,
    front_matter_errors,
    headings_and_toc,
    internal_links,
    language_chooser_single_title,
    language_suffixes,
    language_without_strings,
    links_broken,
    listings,
    missing_theme,
    nul_character,
    print_broken_link,
    print_document,
    print_imprint,
    #[cfg(feature = "search")]
    relative_build,
    search_off,
    #[cfg(feature = "search")]
    search_page,
    section_load_error,
    shortcodes_chart,
    shortcodes_errors,
    shortcodes_in_html,
    shortcodes_in_targets,
    shortcodes_site,
    single_language,
    slugs,
    static_collision,
    template_errors,
    template_fields,
    template_override,
    theme_head,
    templates_builtin_unknown,
    templates_circular_extend,
    theme_branding,
    theme_overrides,
    translations_link,
    translations_render,
    ui_string_fallback,
    ui_string_missing,
    ui_strings_per_language,
    unknown_keys,
    url_collisions,
}

/// What a case asks for, from its `case.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CaseOptions {
    /// One sentence: the behaviour this case shows.
    about: String,
    /// `--drafts`.
    drafts: bool,
    /// `--relative`.
    relative: bool,
    /// `--base-url`.
    base_url: Option<String>,
    /// Elements of each page to compare (`main` if none are named).
    elements: Vec<String>,
    /// Also compare what `drehbuch check` reports.
    check: bool,
    /// Also compare the list of static files and where each comes from.
    #[serde(rename = "static")]
    statics: bool,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

#[test]
fn every_case_folder_has_a_test() {
    let mut folders: Vec<String> = fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.replace('_', "-")).collect();
    listed.sort();
    assert_eq!(
        folders, listed,
        "every folder under tests/cases/ needs its name in `cases!` (with _ for -), and only those"
    );
}

/// Rendered files, kept in memory.
#[derive(Default)]
struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
    /// The base path links are made relative to (`--relative`).
    relative_base: Option<String>,
}

impl OutputSink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let bytes = match &self.relative_base {
            Some(base) if path.ends_with(".html") => {
                drehbuch::output::relative::relativize_file(path, &bytes, base)
            }
            _ => bytes,
        };
        let previous = self.files.lock().unwrap().insert(path.to_string(), bytes);
        assert!(previous.is_none(), "{path} was rendered twice");
        Ok(())
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The case's site, copied into a fresh temporary folder.
struct Scratch(PathBuf);

impl Scratch {
    fn copy_of(case: &Path, name: &str) -> Scratch {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let root =
            std::env::temp_dir().join(format!("drehbuch-case-{}-{name}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        copy_dir(case, &root, &["expected", "case.yaml"]);
        Scratch(root)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Copies a folder, leaving out the entries named in `skip` at its top
/// (a case's `expected/` and `case.yaml` are not part of its site).
fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target, &[]);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Loads, renders and compares one case (or writes its expectations).
fn run_case(name: &str) {
    let dir = cases_dir().join(name);
    let options = case_options(name);
    let scratch = Scratch::copy_of(&dir, name);
    let actual = outputs(&scratch.0, &options);
    let expected_dir = dir.join("expected");
    if std::env::var_os("DREHBUCH_BLESS").is_some_and(|v| v == "1") {
        let _ = fs::remove_dir_all(&expected_dir);
        for (path, text) in &actual {
            let file = expected_dir.join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, text).unwrap();
        }
        return;
    }
    let expected = read_tree(&expected_dir);
    let mut problems = String::new();
    for (path, text) in &actual {
        match expected.get(path) {
            None => writeln!(problems, "expected/{path} is missing").unwrap(),
            Some(want) if want != text => writeln!(
                problems,
                "expected/{path} differs:\n{}",
                first_difference(want, text)
            )
            .unwrap(),
            Some(_) => {}
        }
    }
    for path in expected.keys().filter(|p| !actual.contains_key(*p)) {
        writeln!(problems, "expected/{path} is no longer produced").unwrap();
    }
    assert!(
        problems.is_empty(),
        "tests/cases/{name} ({}):\n{problems}\nIf the change is intended: DREHBUCH_BLESS=1 cargo test --test cases {}, then review `git diff tests/cases`.",
        options.about.trim(),
        name.replace('-', "_"),
    );
}

/// A case's `case.yaml`.
fn case_options(name: &str) -> CaseOptions {
    let path = cases_dir().join(name).join("case.yaml");
    let options: CaseOptions = match fs::read_to_string(&path) {
        Ok(text) => yaml_serde::from_str(&text)
            .unwrap_or_else(|e| panic!("tests/cases/{name}/case.yaml: {e}")),
        Err(e) => panic!("tests/cases/{name}/case.yaml: {e}"),
    };
    assert!(
        !options.about.trim().is_empty(),
        "tests/cases/{name}/case.yaml: say in `about:` what the case shows"
    );
    options
}

/// What `drehbuch build` is asked to do for a case copied to `root`.
fn build_options(root: &Path, case: &CaseOptions) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: case.base_url.clone(),
        drafts: case.drafts,
        relative: case.relative,
        // Golden cases hold text; the print editions' PDFs (and their
        // links) are tested in tests/pdf.rs.
        no_pdf: true,
        ..BuildOptions::default()
    }
}

/// The in-process render is what `drehbuch build` writes: for cases with
/// drafts, relative links under a sub-path, and feeds, every file the
/// render gives is in a real build's output with the same bytes.
#[test]
fn the_binary_writes_what_the_cases_render() {
    for name in [
        "translations-link",
        "relative-build",
        "feeds",
        "drafts-included",
    ] {
        let case = case_options(name);
        let scratch = Scratch::copy_of(&cases_dir().join(name), name);
        let site = Site::load(&build_options(&scratch.0, &case))
            .unwrap_or_else(|_| panic!("{name} loads"));
        let (diagnostics, files, _) = render(&site, case.relative);
        assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");
        assert!(!files.is_empty(), "{name}");
        let mut build = std::process::Command::new(env!("CARGO_BIN_EXE_drehbuch"));
        build
            .arg("build")
            .arg("--no-pdf")
            .arg("--root")
            .arg(&scratch.0);
        if case.drafts {
            build.arg("--drafts");
        }
        if case.relative {
            build.arg("--relative");
        }
        if let Some(url) = &case.base_url {
            build.args(["--base-url", url]);
        }
        let run = build.output().expect("the drehbuch binary runs");
        assert!(
            run.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let output = scratch.0.join("public");
        for (path, bytes) in &files {
            let written = fs::read(output.join(path))
                .unwrap_or_else(|e| panic!("{name}: {path} was not written: {e}"));
            assert!(written == *bytes, "{name}: {path} differs from the build's");
        }
    }
}

/// Every expected file of a case, by path relative to `expected/`.
fn outputs(root: &Path, case: &CaseOptions) -> BTreeMap<String, String> {
    let build = build_options(root, case);
    let mut out = BTreeMap::new();
    // Paths are shown relative to the case, whichever way the temporary
    // folder is spelled (it may lie behind a symbolic link).
    let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let local = |text: String| {
        text.replace(&format!("{}/", root.display()), "")
            .replace(&format!("{}/", real_root.display()), "")
    };
    let (diagnostics, files, statics) = match Site::load(&build) {
        Err(diagnostics) => (diagnostics, BTreeMap::new(), None),
        Ok(site) => render(&site, case.relative),
    };
    let mut text: String = diagnostics.iter().map(ToString::to_string).collect();
    text.push_str(&report::summary_line(&diagnostics));
    text.push('\n');
    out.insert("diagnostics.txt".to_string(), local(text));
    // Each page with its `<html>` start tag: the language it declares.
    let listing: String = files
        .iter()
        .map(|(path, bytes)| {
            let html = std::str::from_utf8(bytes)
                .ok()
                .filter(|_| path.ends_with(".html"));
            match html.and_then(|html| start_tag(html, "html")) {
                Some(tag) => format!("{path} {tag}\n"),
                None => format!("{path}\n"),
            }
        })
        .collect();
    out.insert("files.txt".to_string(), listing);
    let elements: Vec<&str> = if case.elements.is_empty() {
        vec!["main"]
    } else {
        case.elements.iter().map(String::as_str).collect()
    };
    for (path, bytes) in &files {
        let text =
            String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{path} is not UTF-8"));
        match path.strip_suffix(".html") {
            Some(page) => {
                for element in &elements {
                    if let Some(html) = element_html(&text, element) {
                        out.insert(format!("{page}.{element}.html"), html);
                    }
                }
            }
            None => {
                out.insert(path.clone(), text);
            }
        }
    }
    if case.check {
        let check = drehbuch::check::run(&CheckOptions {
            build,
            external: false,
        });
        let text = match check {
            Ok(report) => report::human(&report, false),
            Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
        };
        out.insert("check.txt".to_string(), local(text));
    }
    if case.statics {
        let statics = statics.unwrap_or_default();
        out.insert("static.txt".to_string(), local(statics));
    }
    out
}

/// What `build` reports for a loaded site, the files it renders and the
/// static files it copies (`path <- origin`), as `build` does: nothing is
/// rendered when loading found an error.
fn render(
    site: &Site,
    relative: bool,
) -> (Vec<Diagnostic>, BTreeMap<String, Vec<u8>>, Option<String>) {
    let mut diagnostics = site.diagnostics.clone();
    let (statics, static_problems) = site.static_files();
    let listing = statics
        .iter()
        .map(|(path, origin)| match origin {
            Origin::Builtin(from) => format!("{path} <- built-in {from}\n"),
            Origin::Disk(from) => format!("{path} <- {}\n", from.display()),
        })
        .collect();
    if site.has_errors() {
        sort_diagnostics(&mut diagnostics);
        return (diagnostics, BTreeMap::new(), Some(listing));
    }
    diagnostics.extend(static_problems);
    let sink = MemorySink {
        relative_base: relative.then(|| site.config.base_url.path.clone()),
        ..MemorySink::default()
    };
    diagnostics.extend(site.render(&sink));
    sort_diagnostics(&mut diagnostics);
    let files = sink.files.into_inner().unwrap();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (diagnostics, BTreeMap::new(), Some(listing));
    }
    (diagnostics, files, Some(listing))
}

/// The first `<name>` element of a page, from its start tag to its end
/// tag, exactly as written.
fn element_html(html: &str, name: &str) -> Option<String> {
    let (start_tag, end) = element_span(html, name)?;
    match end {
        Some(end) => Some(html[start_tag.start..end].to_string()),
        None => panic!("<{name}> has no end tag in:\n{html}"),
    }
}

/// The start tag of the first `<name>` element, exactly as written.
fn start_tag(html: &str, name: &str) -> Option<String> {
    let (start_tag, _) = element_span(html, name)?;
    Some(html[start_tag].to_string())
}

/// Where the first `<name>` element's start tag is and where its end
/// tag ends, found with lol_html's HTML tokenizer, so a `<main>` in a
/// comment, a script or an attribute value is not taken.
fn element_span(html: &str, name: &str) -> Option<(std::ops::Range<usize>, Option<usize>)> {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use lol_html::{EndTagHandler, HtmlRewriter, Settings, element};

    let start: Rc<RefCell<Option<std::ops::Range<usize>>>> = Rc::default();
    let end: Rc<Cell<Option<usize>>> = Rc::default();
    let (start_in, end_in) = (Rc::clone(&start), Rc::clone(&end));
    let settings = Settings::new().append_element_content_handler(element!(name, move |el| {
        if start_in.borrow().is_none() {
            *start_in.borrow_mut() = Some(el.source_location().bytes());
            let end = Rc::clone(&end_in);
            if let Some(handlers) = el.end_tag_handlers() {
                let at_end: EndTagHandler<'static> = Box::new(move |tag| {
                    end.set(Some(tag.source_location().bytes().end));
                    Ok(())
                });
                handlers.push(at_end);
            }
        }
        Ok(())
    }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    rewriter
        .write(html.as_bytes())
        .expect("lol_html reads the page");
    rewriter.end().expect("lol_html reads the page");
    let start_tag = start.borrow_mut().take()?;
    Some((start_tag, end.get()))
}

/// Every file under `dir`, by path relative to it.
fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let relative = path.strip_prefix(base).unwrap().to_string_lossy();
                let text =
                    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.insert(relative.replace('\\', "/"), text);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The first line where two texts differ, with two lines before it.
fn first_difference(expected: &str, actual: &str) -> String {
    let want: Vec<&str> = expected.lines().collect();
    let have: Vec<&str> = actual.lines().collect();
    let at = want
        .iter()
        .zip(&have)
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(have.len()));
    let mut out = String::new();
    for line in &want[at.saturating_sub(2)..at] {
        writeln!(out, "    {line}").unwrap();
    }
    for line in want.iter().skip(at).take(3) {
        writeln!(out, "  - {line}").unwrap();
    }
    for line in have.iter().skip(at).take(3) {
        writeln!(out, "  + {line}").unwrap();
    }
    if want.len() == have.len() && at == want.len() {
        out.push_str("  (they differ in line endings or a final newline)\n");
    }
    out
}
