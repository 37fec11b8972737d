//! Output: the sitemap, and writing the site atomically. Everything goes to
//! a fresh temporary folder beside the output folder, static files are
//! copied in, and only then is the folder swapped in, so a failed build
//! leaves the previous site untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::escape_html;
use crate::templates::views::ViewBuilder;

/// One file of the built site.
#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The file a site path is written to: `/de/formate/` → `de/formate/index.html`.
pub fn path_for_url(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        format!("{trimmed}/index.html")
    }
}

/// `sitemap.xml`: every page that is its own canonical URL, with
/// `xhtml:link` alternates from the same translation graph as the pages.
pub fn sitemap(config: &SiteConfig, content: &Content, views: &ViewBuilder<'_>) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut ids: Vec<usize> = (0..content.pages.len())
        .filter(|&id| content.pages[id].stand_in_for.is_none())
        .collect();
    ids.sort_by(|&a, &b| content.pages[a].url.cmp(&content.pages[b].url));
    for id in ids {
        let page = &content.pages[id];
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_html(&config.base_url.absolute(&page.url)));
        xml.push_str("</loc>\n");
        if let Some(date) = page.front.updated.or(page.front.date) {
            xml.push_str(&format!("    <lastmod>{}</lastmod>\n", date.iso()));
        }
        let alternates = views.alternates(id);
        if alternates.len() > 2
            || alternates
                .iter()
                .any(|a| a.hreflang != "x-default" && a.hreflang != page.lang)
        {
            for alternate in alternates {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape_html(&alternate.hreflang),
                    escape_html(&alternate.href)
                ));
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}

/// Rewrites every `href`/`src` that starts with the base path into a path
/// relative to the page (`../../de/formate/index.html`), so the site works
/// from `file://`, a USB stick or an intranet share. Folder links get an
/// explicit `index.html`, which file browsers need.
pub fn relativize(files: Vec<OutputFile>, base_path: &str) -> Vec<OutputFile> {
    files
        .into_iter()
        .map(|file| {
            if !file.path.ends_with(".html") {
                return file;
            }
            let Ok(html) = String::from_utf8(file.bytes) else {
                return OutputFile {
                    path: file.path,
                    bytes: Vec::new(),
                };
            };
            let depth = file.path.matches('/').count();
            let up = "../".repeat(depth);
            let mut out = String::with_capacity(html.len());
            let mut rest = html.as_str();
            while let Some(at) = find_attribute(rest) {
                let (attribute_end, value_start) = at;
                out.push_str(&rest[..attribute_end]);
                let value = &rest[value_start..];
                let end = value.find('"').unwrap_or(value.len());
                let target = &value[..end];
                match target.strip_prefix(base_path) {
                    Some(site_path) if target.starts_with('/') => {
                        let (path, fragment) = match site_path.find(['#', '?']) {
                            Some(i) => (&site_path[..i], &site_path[i..]),
                            None => (site_path, ""),
                        };
                        let path = if path.is_empty() || path.ends_with('/') {
                            format!("{path}index.html")
                        } else {
                            path.to_string()
                        };
                        out.push_str(&up);
                        out.push_str(&path);
                        out.push_str(fragment);
                    }
                    _ => out.push_str(target),
                }
                rest = &value[end..];
            }
            out.push_str(rest);
            OutputFile {
                path: file.path,
                bytes: out.into_bytes(),
            }
        })
        .collect()
}

/// The next ` href="` or ` src="`: (end of text before the value, start of the value).
fn find_attribute(text: &str) -> Option<(usize, usize)> {
    [" href=\"", " src=\""]
        .iter()
        .filter_map(|a| text.find(a).map(|i| (i + a.len(), i + a.len())))
        .min()
}

fn io_error(path: &Path, action: &str, e: io::Error) -> Diagnostic {
    Diagnostic::global(
        Severity::Error,
        format!("cannot {action} {}: {e}", path.display()),
    )
    .with_help("check that the folder is writable and the disk is not full")
}

/// Writes `files` and the static folders into a temporary folder next to
/// `output`, then swaps it in. Later static folders override earlier ones;
/// generated pages override static files of the same path.
pub fn write_atomically(
    output: &Path,
    files: &[OutputFile],
    static_dirs: &[PathBuf],
) -> Result<(), Diagnostic> {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_error(parent, "create", e))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let pid = std::process::id();
    let temp = parent.join(format!("{name}.tmp-{pid}"));
    let old = parent.join(format!("{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&temp);
    let result = (|| {
        fs::create_dir_all(&temp).map_err(|e| io_error(&temp, "create", e))?;
        for dir in static_dirs {
            if dir.is_dir() {
                copy_tree(dir, &temp)?;
            }
        }
        for file in files {
            let path = temp.join(&file.path);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(|e| io_error(p, "create", e))?;
            }
            fs::write(&path, &file.bytes).map_err(|e| io_error(&path, "write", e))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&temp);
        return Err(e);
    }
    if output.exists() {
        fs::rename(output, &old).map_err(|e| io_error(output, "move aside", e))?;
    }
    if let Err(e) = fs::rename(&temp, output) {
        // Put the previous site back.
        let _ = fs::rename(&old, output);
        let _ = fs::remove_dir_all(&temp);
        return Err(io_error(output, "replace", e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), Diagnostic> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::global(
                Severity::Error,
                format!("cannot read {}: {e}", from.display()),
            )
        })?;
        let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(|e| io_error(&target, "create", e))?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).map_err(|e| io_error(&target, "copy to", e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_to_the_root() {
        let files = vec![OutputFile {
            path: "de/formate/x/index.html".into(),
            bytes: b"<a href=\"/t/de/\">a</a><img src=\"/t/img.png\"><a href=\"/t/en/#s\">b</a><a href=\"https://e.org/t/\">c</a>".to_vec(),
        }];
        let out = relativize(files, "/t/");
        assert_eq!(
            String::from_utf8(out[0].bytes.clone()).unwrap(),
            "<a href=\"../../../de/index.html\">a</a><img src=\"../../../img.png\"><a href=\"../../../en/index.html#s\">b</a><a href=\"https://e.org/t/\">c</a>"
        );
    }

    #[test]
    fn urls_map_to_index_files() {
        assert_eq!(path_for_url("/"), "index.html");
        assert_eq!(path_for_url("/de/formate/"), "de/formate/index.html");
    }
}
