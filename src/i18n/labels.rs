//! Labels of declared fields and of their values, as readers see them: from
//! the field declaration (`label:`, `labels:`), else from the UI strings
//! (`field.<name>.label`, `field.<name>.<value>`; `field.true` and
//! `field.false` for true/false fields), else the raw name or value. A
//! missing label is never an error.

use super::I18n;
use crate::content::derived::Labelling;
use crate::content::front_matter::{FieldDecl, FieldType};

/// Finds labels for one site.
#[derive(Clone, Copy)]
pub(crate) struct Labels<'a> {
    i18n: &'a I18n,
}

impl<'a> Labels<'a> {
    /// Labels over the site's UI strings.
    pub(crate) fn new(i18n: &'a I18n) -> Labels<'a> {
        Labels { i18n }
    }

    /// A UI string without placeholders, if the site or theme has it.
    pub(crate) fn ui_string(&self, lang: &str, key: &str) -> Option<String> {
        self.i18n.get(lang, key, None, &[]).map(|l| l.text())
    }

    /// The label of a field in `lang` (`Zielgruppe` for `audience`).
    pub(crate) fn field(&self, decl: &FieldDecl, lang: &str) -> String {
        decl.label
            .get(lang)
            .cloned()
            .or_else(|| self.ui_string(lang, &format!("field.{}.label", decl.name)))
            .or_else(|| decl.label.values().next().cloned())
            .unwrap_or_else(|| decl.name.clone())
    }

    /// The label of one value of a field in `lang` (`Schulen` for `schools`).
    pub(crate) fn value(&self, decl: &FieldDecl, value: &str, lang: &str) -> String {
        decl.labels
            .get(value)
            .and_then(|by_lang| by_lang.get(lang))
            .cloned()
            .or_else(|| self.ui_string(lang, &format!("field.{}.{value}", decl.name)))
            .or_else(|| {
                // Yes and no in the reader's language for true/false fields.
                (decl.kind == FieldType::Boolean && matches!(value, "true" | "false"))
                    .then(|| self.ui_string(lang, &format!("field.{value}")))
                    .flatten()
            })
            .unwrap_or_else(|| value.to_string())
    }
}

impl Labelling for Labels<'_> {
    fn field(&self, decl: &FieldDecl, lang: &str) -> String {
        Labels::field(self, decl, lang)
    }

    fn value(&self, decl: &FieldDecl, value: &str, lang: &str) -> String {
        Labels::value(self, decl, value, lang)
    }

    fn own_string(&self, lang: &str, key: &str) -> Option<String> {
        match self.i18n.get(lang, key, None, &[])? {
            super::Lookup::Found(text) => Some(text),
            super::Lookup::Fallback { .. } => None,
        }
    }
}
