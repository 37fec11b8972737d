//! Field values as readers see them: a page's facts with labels, the
//! facet navigation of a section (with counts), its in-place filters and
//! a page's group.

use std::collections::BTreeMap;

use super::ViewBuilder;
use super::reads::{Input, Reads};
use super::types::{FacetFieldView, FacetValueView, FactView, ValueView};
use crate::content::PageId;
use crate::content::front_matter::{Date, FieldDecl, FieldType};

/// A colour tone 1–6 for the value at `index` of the allowed values.
pub(super) fn tone(index: usize) -> usize {
    index % 6 + 1
}

impl<'a> ViewBuilder<'a> {
    /// Whether page `id`'s `field` is `value` (text) or contains it (list).
    pub(super) fn has_value(&self, r: &Reads, id: PageId, field: &str, value: &str) -> bool {
        crate::content::field_has(self.model.fields(r, id).get(field), value)
    }

    /// How many of `pages` have `value` in `field`.
    fn count_with(
        pages: &[&BTreeMap<String, serde_json::Value>],
        field: &str,
        value: &str,
    ) -> usize {
        pages
            .iter()
            .filter(|fields| crate::content::field_has(fields.get(field), value))
            .count()
    }

    /// The page's declared fields that it sets, with labels, in
    /// declaration order (`pages` fields are links, not facts).
    pub(super) fn facts(&self, r: &Reads, id: PageId, lang: &str) -> Vec<FactView> {
        let page = self.model.summary(r, id);
        let dir = page.dir;
        let strings = self.model.strings(r, lang);
        self.model
            .section(r, dir)
            .fields
            .iter()
            .filter(|d| d.kind != FieldType::Pages)
            .filter_map(|decl| {
                let value = page.fields.get(&decl.name)?;
                let values: Vec<String> = match value {
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect(),
                    serde_json::Value::String(s) => vec![s.clone()],
                    serde_json::Value::Null => return None,
                    other => vec![other.to_string()],
                };
                let label = strings.field(decl);
                Some(FactView {
                    name: decl.name.clone(),
                    search_filter: (!decl.allowed.is_empty())
                        .then(|| label.replace([':', '[', ']'], " ").trim().to_string()),
                    label,
                    kind: decl.kind.name(),
                    values: values
                        .into_iter()
                        .map(|v| self.value_view(r, dir, decl, &v, lang))
                        .collect(),
                })
            })
            .collect()
    }

    /// One value of a field with its label, listing page and tone.
    pub(super) fn value_view(
        &self,
        r: &Reads,
        dir: &str,
        decl: &FieldDecl,
        value: &str,
        lang: &str,
    ) -> ValueView {
        let strings = self.model.strings(r, lang);
        let display = match decl.kind {
            FieldType::Date => Date::parse(value)
                .map(|d| strings.date(d))
                .unwrap_or_else(|| value.to_string()),
            FieldType::Number | FieldType::Integer => value
                .parse::<f64>()
                .map(|n| {
                    let decimals = if n.fract() == 0.0 { 0 } else { 2 };
                    strings.number(n, decimals)
                })
                .unwrap_or_else(|_| value.to_string()),
            _ => strings.value(decl, value),
        };
        let url = if decl.kind == FieldType::Url {
            Some(value.to_string())
        } else {
            decl.facet
                .then(|| self.model.facet_url(r, dir, &decl.name, value, lang))
                .flatten()
                .map(|u| self.url(r, u))
        };
        ValueView {
            value: value.to_string(),
            label: display,
            url,
            tone: decl.allowed.iter().position(|a| a == value).map(tone),
        }
    }

    /// The facet fields of a section with their values and listing pages,
    /// `current` marked.
    pub(super) fn facets(
        &self,
        r: &Reads,
        dir: &str,
        lang: &str,
        current: Option<(&str, &str)>,
    ) -> Vec<FacetFieldView> {
        let input = Input::Facets(dir.into(), lang.into());
        let mut facets = self.shared_fields(r, input, |r| self.count_facets(r, dir, lang));
        for field in &mut facets {
            for value in &mut field.values {
                value.current = current == Some((field.field.as_str(), value.value.as_str()));
            }
        }
        facets
    }

    pub(super) fn count_facets(&self, r: &Reads, dir: &str, lang: &str) -> Vec<FacetFieldView> {
        let listing = self.model.listing(r, dir, lang);
        let pages: Vec<_> = listing.iter().map(|e| self.model.fields(r, e.id)).collect();
        let strings = self.model.strings(r, lang);
        self.model
            .section(r, dir)
            .fields
            .iter()
            .filter(|d| d.facet)
            .map(|d| FacetFieldView {
                field: d.name.clone(),
                label: strings.field(d),
                values: d
                    .allowed
                    .iter()
                    .enumerate()
                    .map(|(index, v)| FacetValueView {
                        value: v.clone(),
                        label: strings.value(d, v),
                        url: self
                            .model
                            .facet_url(r, dir, &d.name, v, lang)
                            .map(|u| self.url(r, u))
                            .unwrap_or_default(),
                        count: Self::count_with(&pages, &d.name, v),
                        current: false,
                        tone: tone(index),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The value of page `id`'s section's grouping field.
    pub(super) fn group_of(&self, r: &Reads, id: PageId, lang: &str) -> Option<ValueView> {
        let page = self.model.summary(r, id);
        let decl = self.group_field(r, page.dir)?;
        let value = crate::content::field_values(page.fields.get(&decl.name))
            .into_iter()
            .next()?;
        Some(self.value_view(r, page.dir, decl, &value, lang))
    }

    /// Fields with allowed values, other than the grouping field, with
    /// their values and counts, for filtering a listing in place.
    pub(super) fn filters(&self, r: &Reads, dir: &str, lang: &str) -> Vec<FacetFieldView> {
        let input = Input::Filters(dir.into(), lang.into());
        self.shared_fields(r, input, |r| self.count_filters(r, dir, lang))
    }

    pub(super) fn count_filters(&self, r: &Reads, dir: &str, lang: &str) -> Vec<FacetFieldView> {
        let group = self.group_field(r, dir).map(|d| d.name.as_str());
        let listing = self.model.listing(r, dir, lang);
        let pages: Vec<_> = listing.iter().map(|e| self.model.fields(r, e.id)).collect();
        let strings = self.model.strings(r, lang);
        self.model
            .section(r, dir)
            .fields
            .iter()
            .filter(|d| {
                !d.allowed.is_empty()
                    && matches!(d.kind, FieldType::String | FieldType::List)
                    && Some(d.name.as_str()) != group
            })
            .map(|d| FacetFieldView {
                field: d.name.clone(),
                label: strings.field(d),
                values: d
                    .allowed
                    .iter()
                    .enumerate()
                    .map(|(index, v)| FacetValueView {
                        value: v.clone(),
                        label: strings.value(d, v),
                        url: String::new(),
                        count: Self::count_with(&pages, &d.name, v),
                        current: false,
                        tone: tone(index),
                    })
                    .filter(|v| v.count > 0)
                    .collect(),
            })
            .filter(|f| f.values.len() > 1)
            .collect()
    }
}
