//! `--relative` builds: links rewritten as paths relative to each page, so
//! the site opens from `file://`, a USB stick or an intranet share.

use crate::html;

/// Rewrites every `href`/`src` of the HTML file at `path` that starts with
/// the base path into a path relative to the page
/// (`../../de/formate/index.html`). Folder links get an explicit
/// `index.html`, which file browsers need.
pub fn relativize_file(path: &str, bytes: &[u8], base_path: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let up = "../".repeat(path.matches('/').count());
    html::rewrite_links(text, &|target| {
        let site_path = target
            .strip_prefix(base_path)
            .filter(|_| target.starts_with('/'))?;
        let (path, fragment) = match site_path.find(['#', '?']) {
            Some(i) => (&site_path[..i], &site_path[i..]),
            None => (site_path, ""),
        };
        let path = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        Some(format!("{up}{path}{fragment}"))
    })
    .into_owned()
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_to_the_root() {
        let html = b"<a href=\"/t/de/\">a</a><img src=\"/t/img.png\"><a href=\"/t/en/#s\">b</a><a href=\"https://e.org/t/\">c</a>";
        let out = relativize_file("de/formate/x/index.html", html, "/t/");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<a href=\"../../../de/index.html\">a</a><img src=\"../../../img.png\"><a href=\"../../../en/index.html#s\">b</a><a href=\"https://e.org/t/\">c</a>"
        );
    }
}
