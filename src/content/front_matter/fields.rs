//! A section's declared `fields`: their types and properties, and how the
//! `fields:` list of a section's `_index` is read into declarations, each
//! problem at its entry.

use std::collections::BTreeMap;
use std::ops::Range;

use yaml_serde::Value;

use super::{BUILT_IN_KEYS, Reader, SECTION_KEYS};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::yaml::Node;

/// The type of a section field, as declared in the section's `_index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// true or false.
    Boolean,
    /// A calendar date.
    Date,
    /// A list of text values.
    List,
    /// A list of other pages of the same section, by file stem.
    Pages,
    /// A web address (`https://…`), shown as a link.
    Url,
}

impl FieldType {
    /// The type's name as written in a declaration.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::List => "list",
            FieldType::Pages => "pages",
            FieldType::Url => "url",
        }
    }

    const NAMES: [&'static str; 8] = [
        "string", "integer", "number", "boolean", "date", "list", "pages", "url",
    ];

    fn parse(name: &str) -> Option<FieldType> {
        Some(match name {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "boolean" => FieldType::Boolean,
            "date" => FieldType::Date,
            "list" => FieldType::List,
            "pages" => FieldType::Pages,
            "url" => FieldType::Url,
            _ => return None,
        })
    }
}

/// One typed field a section lets its pages use at the top level.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldDecl {
    /// The key pages write.
    pub name: String,
    /// Its type.
    pub kind: FieldType,
    /// Allowed values (for `string` and `list`), empty when any value is fine.
    pub allowed: Vec<String>,
    /// Whether every page of the section must set it.
    pub required: bool,
    /// Whether each allowed value gets its own listing page
    /// (`/<lang>/<section>/<field label>/<value label>/`), so readers can
    /// filter without JavaScript.
    pub facet: bool,
    /// The field's label per language (`label:` in the declaration; a plain
    /// text in a language's `_index` is that language's label).
    pub label: BTreeMap<String, String>,
    /// Labels of allowed values: value → language → label.
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// For `pages` fields: the section folder the named pages are in
    /// (default: the declaring section).
    pub section: Option<String>,
    /// `translate:` as declared: `Some(false)` makes the field
    /// language-neutral, `Some(true)` per language; `None` takes the
    /// default of [`FieldDecl::is_shared`].
    pub translate: Option<bool>,
}

impl FieldDecl {
    /// A declaration with just a name and a type (tests, tools).
    pub fn new(name: &str, kind: FieldType) -> FieldDecl {
        FieldDecl {
            name: name.to_string(),
            kind,
            allowed: Vec::new(),
            required: false,
            facet: false,
            label: BTreeMap::new(),
            labels: BTreeMap::new(),
            section: None,
            translate: None,
        }
    }

    /// Whether the field is language-neutral: a translation that leaves it
    /// out takes the original's value, and one that sets another value is
    /// warned about. Fields with allowed values, numbers and dates are
    /// neutral unless declared `translate: true`; text is translated unless
    /// declared `translate: false`.
    pub fn is_shared(&self) -> bool {
        match self.translate {
            Some(translate) => !translate,
            None => {
                !self.allowed.is_empty()
                    || matches!(
                        self.kind,
                        FieldType::Integer | FieldType::Number | FieldType::Date
                    )
            }
        }
    }

    /// Whether `value` may be given: one of `allowed`, or anything when
    /// there are none.
    pub fn allows(&self, value: &str) -> bool {
        self.allowed.is_empty() || self.allowed.iter().any(|a| a == value)
    }
}

/// The properties a field declaration may have.
const PROPERTIES: [&str; 9] = [
    "name",
    "type",
    "allowed",
    "required",
    "facet",
    "label",
    "labels",
    "section",
    "translate",
];

/// Text values with where each stands.
impl Reader<'_> {
    /// The section's `fields:` declarations; a declaration with an error
    /// in its name or type is left out, other errors keep it.
    pub(super) fn field_decls(&mut self, fields: &Node, lang: &str) -> Vec<FieldDecl> {
        if !matches!(fields.value, Value::Sequence(_)) {
            let message = "`fields` must be a list of `{name, type, allowed, required}` entries";
            self.errors
                .push(self.file.error(fields.span.clone(), message));
            return Vec::new();
        }
        let mut decls: Vec<FieldDecl> = Vec::new();
        for item in fields.items() {
            if let Some(decl) = self.field_decl(&item, &decls, lang) {
                decls.push(decl);
            }
        }
        decls
    }

    /// One entry of `fields:`, checked against the fields declared
    /// before it.
    fn field_decl(&mut self, item: &Node, earlier: &[FieldDecl], lang: &str) -> Option<FieldDecl> {
        let file = self.file;
        let text = &file.text;
        let Some((name, here)) = item.get("name").and_then(|entry| {
            let name = entry.node.value.as_str().filter(|n| !n.is_empty())?;
            Some((name.to_string(), entry.whole(text)))
        }) else {
            let help =
                "each entry of `fields` needs `name:`, e.g. `- {name: audience, type: list}`";
            let message = "a field declaration has no `name`";
            return self.fail(self.file.error(item.span.clone(), message).with_help(help));
        };
        if let Some(problem) = self.name_problem(&name, here.clone(), earlier) {
            return self.fail(problem);
        }
        let kind = self.field_type(&name, item)?;
        for entry in item.entries() {
            if !PROPERTIES.contains(&entry.key.as_str()) {
                let message = format!("field `{name}` has unknown property `{}`", entry.key);
                let help = match did_you_mean(&entry.key, PROPERTIES) {
                    Some(p) => format!("did you mean `{p}`?"),
                    None => format!("a field has {}", PROPERTIES.join(", ")),
                };
                self.errors
                    .push(self.file.error(entry.key_span, message).with_help(help));
            }
        }
        let allowed = match item.get("allowed").map(|e| e.value(text)) {
            None => Some(Vec::new()),
            Some(value) if value.value.is_null() => Some(Vec::new()),
            Some(value) if value.value.is_string() => {
                self.fail(self.type_error("allowed", "a list like `[a, b]`", &value))
            }
            Some(value) => self.string_list("allowed", &value),
        };
        let required = self.flag(item, "required");
        let facet = self.flag(item, "facet");
        let translate = item
            .get("translate")
            .map(|e| e.value(text))
            .filter(|v| !v.value.is_null())
            .and_then(|v| self.boolean("translate", &v));
        let facet_without_values = allowed.as_ref().is_some_and(|a| a.is_empty())
            || !matches!(kind, FieldType::String | FieldType::List);
        if facet && allowed.is_some() && facet_without_values {
            let at = item.get("facet").map_or(here.clone(), |e| e.whole(text));
            let message = format!("field `{name}` is a facet but has no `allowed` values");
            let help = "facets need `type: string` or `type: list` with `allowed:` values, one listing page each";
            self.errors
                .push(self.file.error(at, message).with_help(help));
        }
        let allowed: Vec<String> = allowed.into_iter().flatten().map(|(v, _)| v).collect();
        let label = item.get("label").map_or_else(BTreeMap::new, |entry| {
            self.per_language(&entry.value(text), lang).unwrap_or_else(|| {
                let message = format!("the `label` of field `{name}` must be text or a map of language to text");
                let help = "label: {de: Zielgruppe, en: Audience}, or plain text in each language's _index";
                self.errors
                    .push(self.file.error(entry.span(text), message).with_help(help));
                BTreeMap::new()
            })
        });
        let labels = self.value_labels(&name, item, &allowed, lang);
        let section = item.get("section").and_then(|entry| {
            let section = self.text("section", &entry.value(text))?;
            if kind != FieldType::Pages {
                let message =
                    format!("field `{name}` has `section`, which only `pages` fields take");
                self.errors
                    .push(self.file.error(entry.whole(text), message));
            }
            Some(section.trim_matches('/').to_string())
        });
        Some(FieldDecl {
            name,
            kind,
            allowed,
            required,
            facet,
            label,
            labels,
            section,
            translate,
        })
    }

    /// A flag of a field declaration: off when absent or empty.
    fn flag(&mut self, item: &Node, key: &str) -> bool {
        let value = item.get(key).map(|e| e.value(&self.file.text));
        let value = value.filter(|v| !v.value.is_null());
        value.is_some_and(|v| self.boolean(key, &v).unwrap_or(false))
    }

    /// What is wrong with a field's name, if anything: not an identifier,
    /// a built-in key's name, or declared already.
    fn name_problem(
        &self,
        name: &str,
        here: Range<usize>,
        earlier: &[FieldDecl],
    ) -> Option<Diagnostic> {
        if !is_field_name(name) {
            let message = format!(
                "the field name `{name}` may only have lowercase letters a–z, digits and `_`, and must start with a letter"
            );
            let help = format!(
                "field names become parts of HTML attributes (`data-field-NAME`) and template variables; call it `{}`",
                field_name_like(name)
            );
            return Some(self.file.error(here, message).with_help(help));
        }
        if BUILT_IN_KEYS.contains(&name) || SECTION_KEYS.contains(&name) {
            let message = format!("field `{name}` has the name of a built-in key");
            return Some(
                self.file
                    .error(here, message)
                    .with_help("choose another name"),
            );
        }
        let twice = earlier.iter().any(|d| d.name == name);
        twice.then(|| {
            self.file
                .error(here, format!("field `{name}` is declared twice"))
        })
    }

    /// The field's `type:` (text by default); `None` after an error.
    fn field_type(&mut self, name: &str, item: &Node) -> Option<FieldType> {
        let types = FieldType::NAMES.join(", ");
        let value = match item.get("type").map(|e| e.value(&self.file.text)) {
            None => return Some(FieldType::String),
            Some(value) => value,
        };
        let type_name = match value.value {
            Value::Null => return Some(FieldType::String),
            Value::String(type_name) => type_name,
            _ => {
                let error = self.type_error("type", "a type name", &value);
                return self.fail(error.with_help(format!("types: {types}")));
            }
        };
        FieldType::parse(type_name).or_else(|| {
            let message = format!("field `{name}` has unknown type `{type_name}`");
            let help = match did_you_mean(type_name, FieldType::NAMES) {
                Some(t) => format!("did you mean `{t}`? Types: {types}"),
                None => format!("types: {types}"),
            };
            self.fail(self.file.error(value.span.clone(), message).with_help(help))
        })
    }

    /// `labels:` of a field: allowed value → language → label.
    fn value_labels(&mut self, name: &str, item: &Node, allowed: &[String], lang: &str) -> Labels {
        let file = self.file;
        let text = &file.text;
        let mut labels = BTreeMap::new();
        let Some(entry) = item.get("labels").filter(|e| !e.node.value.is_null()) else {
            return labels;
        };
        if !entry.node.value.is_mapping() {
            let message = format!("`labels` of field `{name}` must map values to labels");
            let help = "labels: {heat: {de: Hitzevorsorge, en: Heat}}";
            self.errors
                .push(self.file.error(entry.span(text), message).with_help(help));
            return labels;
        }
        for value in entry.node.entries() {
            let key = &value.key;
            if !allowed.is_empty() && !allowed.contains(key) {
                let message = format!(
                    "`labels` of field `{name}` names `{key}`, which is not an allowed value"
                );
                let mut d = self.file.error(value.key_span.clone(), message);
                if let Some(s) = did_you_mean(key, allowed.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.errors.push(d);
            } else if let Some(map) = self.per_language(&value.value(text), lang) {
                labels.insert(value.key, map);
            } else {
                let message = format!(
                    "the label of `{key}` in field `{name}` must be text or a map of language to text"
                );
                self.errors.push(self.file.error(value.span(text), message));
            }
        }
        labels
    }

    /// A per-language text: plain text (for `lang`) or a map of language
    /// to text; `None` for anything else. A control character in a text
    /// is an error at it.
    fn per_language(&mut self, node: &Node, lang: &str) -> Option<BTreeMap<String, String>> {
        let texts: Vec<(String, Node)> = match node.value {
            Value::Null => Vec::new(),
            Value::String(_) => vec![(lang.to_string(), node.clone())],
            Value::Mapping(_) => node
                .entries()
                .into_iter()
                .map(|e| (e.key, e.node))
                .collect(),
            _ => return None,
        };
        let mut map = BTreeMap::new();
        for (language, text) in texts {
            let label = self.checked("label", text.value.as_str()?, &text);
            map.insert(language, label);
        }
        Some(map)
    }
}

/// Labels of a field's values: value → language → label.
type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// Whether `name` can name a field: `[a-z][a-z0-9_]*`. Templates write
/// field names into attribute names (`data-field-NAME="…"` on card tiles)
/// and variable paths, where anything else would break out or not work.
pub(crate) fn is_field_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A valid field name close to `name`, for the help line: lowercase, runs
/// of other characters as one `_`.
fn field_name_like(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_');
    match out.chars().next() {
        Some(c) if c.is_ascii_lowercase() => out.to_string(),
        _ => format!("field_{out}").trim_end_matches('_').to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_identifiers() {
        for good in ["audience", "a", "hot_days2"] {
            assert!(is_field_name(good), "{good}");
        }
        for bad in ["", "Audience", "2nd", "_x", "a-b", "a b", "x\"onclick", "ä"] {
            assert!(!is_field_name(bad), "{bad}");
        }
        assert_eq!(
            field_name_like("x onmouseover=alert(1) y"),
            "x_onmouseover_alert_1_y"
        );
        assert_eq!(field_name_like("Target-Group"), "target_group");
        assert_eq!(field_name_like("2nd"), "field_2nd");
        assert_eq!(field_name_like("--"), "field");
        for name in [
            "x onmouseover=alert(1) y",
            "Target-Group",
            "2nd",
            "--",
            "ä",
            "",
        ] {
            assert!(is_field_name(&field_name_like(name)), "{name}");
        }
    }
}
