//! `edit_url:` in site.yaml: the pattern of the theme's "Edit this page"
//! link, checked when read and filled per page.

/// `edit_url: "https://forge.example/o/r/edit/main/{path}"`: where the
/// theme's "Edit this page" link leads, with the page's source filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditUrl {
    pattern: String,
}

/// The placeholders `edit_url` may hold, with what each stands for.
pub const EDIT_URL_PLACEHOLDERS: [(&str, &str); 3] = [
    ("path", "the source file relative to the site folder"),
    ("lang", "the language the page is written in"),
    (
        "line",
        "the line the page starts at: 1, or a data row's line",
    ),
];

impl EditUrl {
    /// Checks a pattern: every `{…}` must be a known placeholder. An error
    /// is the byte range of the bad part within `pattern` and a message.
    pub fn parse(pattern: &str) -> Result<EditUrl, (std::ops::Range<usize>, String)> {
        if pattern.trim().is_empty() {
            return Err((0..pattern.len(), "`edit_url` is empty".into()));
        }
        let mut rest = 0;
        while let Some(open) = pattern[rest..].find('{').map(|i| rest + i) {
            let Some(close) = pattern[open..].find('}').map(|i| open + i) else {
                return Err((
                    open..pattern.len(),
                    "`{` in `edit_url` is not closed by `}`".into(),
                ));
            };
            let name = &pattern[open + 1..close];
            if !EDIT_URL_PLACEHOLDERS
                .iter()
                .any(|(known, _)| *known == name)
            {
                return Err((
                    open..close + 1,
                    format!("unknown placeholder `{{{name}}}` in `edit_url`"),
                ));
            }
            rest = close + 1;
        }
        Ok(EditUrl {
            pattern: pattern.to_string(),
        })
    }

    /// The link for a source file (`content/cards/x.en.md`, with `/`
    /// separators) at `line`, written in `lang`. The path is
    /// percent-encoded except for its `/`.
    pub fn fill(&self, path: &str, lang: &str, line: usize) -> String {
        self.pattern
            .replace("{path}", &encode_path(path))
            .replace("{lang}", lang)
            .replace("{line}", &line.to_string())
    }
}

/// A path as a URL path: bytes other than unreserved ones and `/` are
/// percent-encoded, so spaces and non-ASCII names make working links.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
