//! Static facts about a template's source, found by scanning its text:
//! which templates it pulls in (`extends`, `include`, `import`), which UI
//! strings it names (`t(key="…")`, with their lines), and which section
//! fields it reads (`.fields.name`). Diagnostics use them to point at the
//! template line, `check` to look only at templates the site renders, and
//! incremental rebuilds to know which pages a template change touches.

/// What one template's text says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateFacts {
    /// Templates this one extends, includes or imports.
    pub uses: Vec<String>,
    /// `(line, key)` of every `t(key="…")` with a literal key.
    pub keys: Vec<(usize, String)>,
    /// `(line, prefix)` of every `t(key=…)` whose key is built at render
    /// time (`"field." ~ name`): the literal start of the key, maybe empty.
    pub dynamic_keys: Vec<(usize, String)>,
    /// `(line, name)` of every `fields.name` the template reads.
    pub fields: Vec<(usize, String)>,
}

/// Scans a template's text.
pub(crate) fn scan(text: &str) -> TemplateFacts {
    let mut facts = TemplateFacts::default();
    for (number, line) in text.lines().enumerate() {
        let line_no = number + 1;
        scan_uses(line, &mut facts.uses);
        scan_keys(line, line_no, &mut facts);
        scan_fields(line, line_no, &mut facts.fields);
    }
    facts.uses.sort();
    facts.uses.dedup();
    facts
}

/// The quoted string at the start of `text` (after spaces): its content.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &text[1..];
    let end = inner.find(quote)?;
    Some((&inner[..end], &inner[end + 1..]))
}

fn scan_uses(line: &str, uses: &mut Vec<String>) {
    for keyword in ["extends", "include", "import"] {
        let mut rest = line;
        while let Some(at) = rest.find(keyword) {
            let before = rest[..at].trim_end();
            rest = &rest[at + keyword.len()..];
            if !(before.ends_with("{%") || before.ends_with("{%-")) {
                continue;
            }
            if let Some((name, _)) = quoted(rest) {
                uses.push(name.to_string());
            }
        }
    }
}

fn scan_keys(line: &str, line_no: usize, facts: &mut TemplateFacts) {
    let mut rest = line;
    while let Some(at) = rest.find("t(") {
        let preceded_by_ident = rest[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + 2..];
        if preceded_by_ident {
            continue;
        }
        let args = rest.trim_start();
        let Some(value) = args.strip_prefix("key") else {
            continue;
        };
        let Some(value) = value.trim_start().strip_prefix('=') else {
            continue;
        };
        match quoted(value) {
            Some((key, after)) if !after.trim_start().starts_with('~') => {
                facts.keys.push((line_no, key.to_string()));
            }
            Some((prefix, _)) => facts.dynamic_keys.push((line_no, prefix.to_string())),
            None => facts.dynamic_keys.push((line_no, String::new())),
        }
    }
}

fn scan_fields(line: &str, line_no: usize, fields: &mut Vec<(usize, String)>) {
    let mut rest = line;
    while let Some(at) = rest.find(".fields.") {
        rest = &rest[at + ".fields.".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !name.is_empty() {
            fields.push((line_no, name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_uses_keys_and_fields() {
        let facts = scan(
            "{% extends \"base.html\" %}\n{% include 'partials/toc.html' %}\n<p>{{ t(key=\"nav.home\") }} {{ t(key='field.' ~ f) }} {{ page.fields.audience }}</p>\n{{ format(key=\"x\") }}",
        );
        assert_eq!(facts.uses, ["base.html", "partials/toc.html"]);
        assert_eq!(facts.keys, [(3, "nav.home".to_string())]);
        assert_eq!(facts.dynamic_keys, [(3, "field.".to_string())]);
        assert_eq!(facts.fields, [(3, "audience".to_string())]);
    }
}
