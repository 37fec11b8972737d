//! Scripts in content: raw HTML is allowed in Markdown (editors need it
//! for things Markdown cannot say), but `<script>` elements, inline event
//! handlers (`onclick=…`) and `javascript:` URLs run code in every
//! reader's browser. This pass finds them so `build` and `check` can warn,
//! or fail when the site sets `content_scripts: error`.
//!
//! The scan is deliberately simple and errs on the side of reporting: it
//! looks at each raw HTML fragment as pulldown-cmark hands it over, decodes
//! numeric character references in attribute values, and ignores case and
//! whitespace inside URL schemes.

/// What kind of script a fragment carries, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptKind {
    /// A `<script>` element.
    Element,
    /// An `on…=` attribute.
    EventHandler,
    /// A `javascript:` (or `vbscript:`) URL.
    Url,
}

impl ScriptKind {
    /// A short description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            ScriptKind::Element => "a <script> element",
            ScriptKind::EventHandler => "an inline event handler (on…=)",
            ScriptKind::Url => "a javascript: URL (or a document in a data: URL)",
        }
    }
}

/// Whether a URL runs script when followed (`javascript:`, `vbscript:`),
/// ignoring case, whitespace and control characters, and character references.
pub fn is_script_url(url: &str) -> bool {
    let decoded = decode_references(url);
    let compact: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    compact.starts_with("javascript:")
        || compact.starts_with("vbscript:")
        // A document in a URL runs its scripts in a frame or object.
        || compact.starts_with("data:text/html")
        || compact.starts_with("data:application/xhtml")
        || compact.starts_with("data:image/svg+xml")
}

/// The scripts found in one raw HTML fragment.
pub fn find_in_html(html: &str) -> Vec<ScriptKind> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        found.push(ScriptKind::Element);
    }
    let mut rest = lower.as_str();
    while let Some(open) = rest.find('<') {
        let tag_end = rest[open..]
            .find('>')
            .map(|e| open + e)
            .unwrap_or(rest.len());
        let tag = &rest[open + 1..tag_end];
        for (name, value) in attributes(tag) {
            if name.starts_with("on")
                && name.len() > 2
                && !found.contains(&ScriptKind::EventHandler)
            {
                found.push(ScriptKind::EventHandler);
            }
            // `<meta http-equiv="refresh" content="0;url=javascript:…">`
            let target = match (name, value.find("url=")) {
                ("content", Some(at)) => value[at + 4..].trim_matches(['\'', '"', ' ']),
                _ => value,
            };
            if is_script_url(target) && !found.contains(&ScriptKind::Url) {
                found.push(ScriptKind::Url);
            }
        }
        rest = &rest[tag_end.min(rest.len())..];
        if rest.is_empty() {
            break;
        }
        rest = &rest[1.min(rest.len())..];
    }
    found
}

/// `name=value` pairs of a tag's text (after `<`, before `>`); values may
/// be quoted or bare.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let bytes = tag.as_bytes();
    let mut out = Vec::new();
    // Skip the element name.
    let mut i = bytes
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(bytes.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=/>".contains(&bytes[i]) {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value_start, value_end) = match bytes.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = tag[i + 1..]
                        .find(q as char)
                        .map(|e| i + 1 + e)
                        .unwrap_or(bytes.len());
                    let v = (i + 1, end);
                    i = (end + 1).min(bytes.len());
                    v
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    (start, i)
                }
            };
            out.push((name, &tag[value_start..value_end]));
        } else if !name.is_empty() {
            out.push((name, ""));
        } else {
            i += 1;
        }
    }
    out
}

/// Decodes numeric character references (`&#106;`, `&#x6A;`) and the
/// named ones browsers honour inside URL schemes (`&colon;`, `&tab;`,
/// `&newline;`).
fn decode_references(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map(|e| e + 1)
            .unwrap_or(rest.len());
        let entity = &rest[1..end];
        let decoded = if let Some(hex) = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = entity.strip_prefix('#') {
            dec.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match entity.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_scripts_handlers_and_script_urls() {
        assert_eq!(
            find_in_html("<SCRIPT>alert(1)</script>"),
            [ScriptKind::Element]
        );
        assert_eq!(
            find_in_html("<img src=x onerror=\"alert(1)\">"),
            [ScriptKind::EventHandler]
        );
        assert_eq!(
            find_in_html("<a href='java&#115;cript:alert(1)'>x</a>"),
            [ScriptKind::Url]
        );
        assert_eq!(
            find_in_html("<a href=\" JaVa\tScript&colon;x\">x</a>"),
            [ScriptKind::Url]
        );
        assert!(find_in_html("<div class=\"note\" data-online=\"1\">on=</div>").is_empty());
        assert!(find_in_html("<a href=\"https://e.org/javascript:\">x</a>").is_empty());
        assert!(is_script_url("javascript:void(0)"));
        assert_eq!(
            find_in_html("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"),
            [ScriptKind::Url]
        );
        assert_eq!(
            find_in_html("<iframe src=\"data:text/html;base64,PHNjcmlwdD4=\"></iframe>"),
            [ScriptKind::Url]
        );
        assert!(find_in_html("<meta http-equiv=\"refresh\" content=\"5;url=/de/\">").is_empty());
        assert!(find_in_html("<img src=\"data:image/png;base64,AAAA\" alt=\"x\">").is_empty());
        assert!(!is_script_url("https://example.org/"));
    }

    #[test]
    fn never_panics_on_fragments() {
        for text in [
            "<",
            "<a",
            "<a href=",
            "<a href='",
            "&#",
            "&#x;",
            "<a b=\"&#99999999;\">",
            "<>",
            "< on",
        ] {
            let _ = find_in_html(text);
            let _ = is_script_url(text);
        }
    }
}
