//! The yardstick: the bare minimum any static-site generator must do, and
//! nothing else. It reads every `.md` file under a content folder, splits off
//! the YAML front matter (taking only the title, with a trivial parse),
//! renders the Markdown with pulldown-cmark, highlights fenced code with
//! syntect into CSS classes, fills one tera template, and writes one HTML
//! file per Markdown file, in parallel with rayon.
//!
//! ```sh
//! yardstick --content SITE/content --out OUT
//! ```
//!
//! No link resolution, no translations, no listings, no sitemap, no checks.
//! drehbuch's benchmark (scripts/bench/run.py) sets drehbuch's build time in
//! proportion to this one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use tera::{Context, Tera};

/// The one template: a page with its language, title and body.
const TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
<main>
<article>
<h1>{{ title }}</h1>
{{ content | safe }}
</article>
</main>
</body>
</html>
"#;

/// The Markdown extensions drehbuch enables too.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

struct Args {
    content: PathBuf,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut content = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--content" => content = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            "-h" | "--help" => {
                return Err("usage: yardstick --content DIR --out DIR".into());
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match (content, out) {
        (Some(content), Some(out)) => Ok(Args { content, out }),
        _ => Err("usage: yardstick --content DIR --out DIR".into()),
    }
}

/// Every `.md` file under `dir`, recursively.
fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            markdown_files(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    Ok(())
}

/// (front matter, body) of a file that starts with a `---` block.
fn split_front_matter(text: &str) -> (&str, &str) {
    if let Some(rest) = text.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---\n")
    {
        return (&rest[..end], &rest[end + 5..]);
    }
    ("", text)
}

/// The `title:` of the front matter, with surrounding quotes removed.
fn title(front: &str) -> String {
    front
        .lines()
        .find_map(|line| line.strip_prefix("title:"))
        .map(|t| t.trim().trim_matches('"').to_string())
        .unwrap_or_default()
}

/// `de` for `page.de.md`; `und` when the name has no language suffix.
fn language(path: &Path) -> &str {
    path.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit_once('.'))
        .map(|(_, lang)| lang)
        .filter(|l| (2..=3).contains(&l.len()))
        .unwrap_or("und")
}

/// `<pre><code>` with CSS classes for the tokens of `code`.
fn highlight(syntaxes: &SyntaxSet, lang: &str, code: &str) -> Result<String, String> {
    let lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '_'))
        .collect();
    let syntax = syntaxes
        .find_syntax_by_token(&lang)
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .map_err(|e| e.to_string())?;
    }
    Ok(format!(
        "<pre><code class=\"language-{lang}\">{}</code></pre>\n",
        generator.finalize()
    ))
}

/// The HTML of a Markdown body, fenced code highlighted.
fn render_markdown(syntaxes: &SyntaxSet, markdown: &str) -> Result<String, String> {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, body) = code.take().unwrap_or_default();
                events.push(Event::Html(highlight(syntaxes, &lang, &body)?.into()));
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events.into_iter());
    Ok(out)
}

/// Renders one file and writes it to the same relative path under `out`,
/// with `.html` for `.md`.
fn build_page(
    syntaxes: &SyntaxSet,
    tera: &Tera,
    content: &Path,
    out: &Path,
    path: &Path,
) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let text = fs::read_to_string(path).map_err(|e| fail(&e))?;
    let (front, body) = split_front_matter(&text);
    let html = render_markdown(syntaxes, body).map_err(|e| fail(&e))?;
    let mut context = Context::new();
    context.insert("lang", language(path));
    context.insert("title", &title(front));
    context.insert("content", &html);
    let page = tera.render("page.html", &context).map_err(|e| fail(&e))?;
    let relative = path.strip_prefix(content).map_err(|e| fail(&e))?;
    let target = out.join(relative).with_extension("html");
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|e| fail(&e))?;
    }
    fs::write(&target, page).map_err(|e| fail(&e))
}

fn main() -> ExitCode {
    let started = Instant::now();
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut files = Vec::new();
    if let Err(e) = markdown_files(&args.content, &mut files) {
        eprintln!("{}: {e}", args.content.display());
        return ExitCode::FAILURE;
    }
    files.sort();
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let mut tera = Tera::new();
    if let Err(e) = tera.add_raw_template("page.html", TEMPLATE) {
        eprintln!("template: {e}");
        return ExitCode::FAILURE;
    }
    let errors: Vec<String> = files
        .par_iter()
        .filter_map(|path| build_page(&syntaxes, &tera, &args.content, &args.out, path).err())
        .collect();
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        return ExitCode::FAILURE;
    }
    println!(
        "yardstick: rendered {} pages into {} in {} ms",
        files.len(),
        args.out.display(),
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}
