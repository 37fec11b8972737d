//! `--relative` builds: links rewritten as paths relative to each page, so
//! the site opens from `file://`, a USB stick or an intranet share.

use super::OutputFile;

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
}
