//! Empty translations written by a CMS. Decap CMS writes a file for every
//! language of an entry, even one the entry is not translated into: an
//! empty file, or one holding only the language-neutral fields it copied
//! from the original (decaporg/decap-cms#6932). Such a file is no
//! translation: the page stays untranslated in that language (stand-in or
//! link, as the site says), with a warning at the file, instead of failing
//! the build for its missing title.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::FoundFile;
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::yaml::parse_mapping;

/// The top-level front matter keys that hold something (see
/// [`holds_nothing`]) of a file that has no title and no body: an empty
/// file has none. `None` when the file has a title or a
/// body, or its front matter cannot be read (then it is reported as
/// usual).
fn blank_keys(file: &SourceFile) -> Option<BTreeSet<String>> {
    if file.text.trim().is_empty() {
        return Some(BTreeSet::new());
    }
    let split = super::front_matter::split(file).ok()?;
    if !file.text[split.body].trim().is_empty() {
        return None;
    }
    let yaml = parse_mapping(file, split.yaml).ok()?;
    let keys: BTreeSet<String> = yaml
        .entries()
        .into_iter()
        .filter(|e| !holds_nothing(e.node.value))
        .map(|e| e.key)
        .collect();
    let titled = keys.contains("title");
    (!titled).then_some(keys)
}

/// Whether a value is what a CMS writes for an empty field: nothing,
/// `''`, `[]`, `{}`. Such a key sets nothing.
fn holds_nothing(value: &yaml_serde::Value) -> bool {
    match value {
        yaml_serde::Value::Null => true,
        yaml_serde::Value::String(s) => s.trim().is_empty(),
        yaml_serde::Value::Sequence(items) => items.is_empty(),
        yaml_serde::Value::Mapping(map) => map.is_empty(),
        _ => false,
    }
}

/// The top-level keys of a file's front matter, if it can be read.
fn front_keys(file: &SourceFile) -> Option<BTreeSet<String>> {
    let split = super::front_matter::split(file).ok()?;
    let yaml = parse_mapping(file, split.yaml).ok()?;
    Some(yaml.entries().into_iter().map(|e| e.key).collect())
}

/// Of the files that failed to load (`failed`, by their key in the
/// content cache), those that are empty translations: no title, no body,
/// and only keys that the group's original (a file of another language
/// with the same `@/` key, which is not empty itself) also sets. `all`
/// holds every file that was read.
pub(crate) fn find<'a>(
    failed: &[(&'a str, &'a FoundFile)],
    all: &[&'a FoundFile],
    config: &SiteConfig,
) -> BTreeSet<&'a str> {
    let blanks: Vec<(&str, &FoundFile, BTreeSet<String>)> = failed
        .iter()
        .filter_map(|&(key, found)| blank_keys(&found.file).map(|keys| (key, found, keys)))
        .collect();
    if blanks.is_empty() {
        return BTreeSet::new();
    }
    let blank_files: BTreeSet<(&str, &str)> = blanks
        .iter()
        .map(|(_, f, _)| (f.path.link_key.as_str(), f.path.lang.as_str()))
        .collect();
    // `@/` key → language → file, for the files that are not blank.
    let mut written: HashMap<&str, BTreeMap<&str, &FoundFile>> = HashMap::new();
    for found in all {
        let id = (found.path.link_key.as_str(), found.path.lang.as_str());
        if !blank_files.contains(&id) {
            written.entry(id.0).or_default().insert(id.1, found);
        }
    }
    blanks
        .into_iter()
        .filter(|(_, found, keys)| {
            let Some(others) = written.get(found.path.link_key.as_str()) else {
                return false;
            };
            let original = others.iter().min_by_key(|(lang, _)| {
                if **lang == config.default_language {
                    0
                } else {
                    1 + config.language_index(lang)
                }
            });
            original
                .and_then(|(_, original)| front_keys(&original.file))
                .is_some_and(|set| keys.is_subset(&set))
        })
        .map(|(key, _, _)| key)
        .collect()
}

/// The warning at an empty translation.
pub(crate) fn warning(file: &SourceFile) -> Diagnostic {
    let message = "an empty translation written by a CMS: translate it or delete it";
    let diagnostic = if file.text.trim().is_empty() {
        Diagnostic::file_error(&file.path, message)
    } else {
        file.error(0..3, message)
    };
    diagnostic
        .with_help("this file has no title and no text of its own, so the page is shown as untranslated in this language; give it a `title:` and text, or delete it")
        .with_kind("empty-translation")
        .warning()
}
