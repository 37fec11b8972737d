//! What the CMS edits, derived from the site: one [`Collection`] per
//! Markdown section with the section's declared fields as [`Field`]s. The
//! same model writes `config.yml` ([`super::config`]) and is compared with
//! an existing one by `check` ([`super::drift`]).

use crate::config::SiteConfig;
use crate::content::front_matter::{FieldDecl, FieldType};
use crate::content::{Content, PageKind};
use crate::i18n::labels::Labels;

/// How a field's value is written across the languages of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Translation {
    /// Each language file has its own value (`i18n: true`).
    PerLanguage,
    /// The CMS writes the same value into every language file
    /// (`i18n: duplicate`): values that do not depend on the language.
    Shared,
}

/// The editor a field gets (a Decap CMS widget).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Widget {
    /// One line of text.
    String,
    /// Several lines of plain text.
    Text,
    /// The Markdown body.
    Markdown,
    /// One of (or with `multiple`, some of) the allowed values, with labels.
    Select {
        /// (value, label) in declaration order.
        options: Vec<(String, String)>,
        /// A list field: several values.
        multiple: bool,
    },
    /// A list of free text values.
    List,
    /// A number; `integer` for whole numbers.
    Number {
        /// Whether only whole numbers are allowed.
        integer: bool,
    },
    /// true or false.
    Boolean,
    /// A calendar date (`YYYY-MM-DD`).
    Date,
    /// Pages of a collection, by file name (without language and `.md`).
    Relation {
        /// The collection the pages are in.
        collection: String,
    },
    /// A web address.
    Url,
}

/// One field of a collection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    /// The front matter key (`body` for the Markdown body).
    pub(crate) name: String,
    /// The label editors see.
    pub(crate) label: String,
    /// Its editor.
    pub(crate) widget: Widget,
    /// Whether every page must set it.
    pub(crate) required: bool,
    /// Per language or shared.
    pub(crate) translation: Translation,
}

/// One section folder as the CMS edits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Collection {
    /// The collection's name (the folder with `/` as `-`).
    pub(crate) name: String,
    /// The section's title in the default language.
    pub(crate) label: String,
    /// The section folder under `content/` (`cards`, `publication/part-1`).
    pub(crate) dir: String,
    /// Title, description, the declared fields, body.
    pub(crate) fields: Vec<Field>,
}

/// The collection name of a section folder (`pages` for the top of
/// `content/`).
pub(crate) fn collection_name(dir: &str) -> String {
    if dir.is_empty() {
        TOP_PAGES.to_string()
    } else {
        dir.replace('/', "-")
    }
}

/// The fields every page has before its section's declared ones.
fn leading_fields() -> Vec<Field> {
    vec![
        Field {
            name: "title".into(),
            label: "Title".into(),
            widget: Widget::String,
            required: true,
            translation: Translation::PerLanguage,
        },
        Field {
            name: "description".into(),
            label: "Description".into(),
            widget: Widget::Text,
            required: false,
            translation: Translation::PerLanguage,
        },
    ]
}

/// The Markdown body, the last field of every collection.
fn body_field() -> Field {
    Field {
        name: "body".into(),
        label: "Text".into(),
        widget: Widget::Markdown,
        required: false,
        translation: Translation::PerLanguage,
    }
}

/// The collections of a loaded site: one per section folder whose pages
/// are Markdown files (sections whose rows come from a data file are left
/// out: the CMS cannot edit a CSV file's rows), in folder order.
pub(crate) fn collections(
    config: &SiteConfig,
    content: &Content,
    labels: &Labels<'_>,
) -> Vec<Collection> {
    let mut out = Vec::new();
    // Pages at the top of content/ (beside the home page) are a
    // collection of their own.
    let top_pages = content
        .pages
        .iter()
        .any(|p| p.kind == PageKind::Page && p.path.dir.is_empty() && p.data_file.is_none());
    if top_pages {
        let mut fields = leading_fields();
        fields.extend(
            content
                .fields_of("")
                .iter()
                .map(|decl| field(config, content, labels, "", decl)),
        );
        fields.push(body_field());
        out.push(Collection {
            name: TOP_PAGES.into(),
            label: config
                .title
                .get(&config.default_language)
                .cloned()
                .unwrap_or_default(),
            dir: String::new(),
            fields,
        });
    }
    for dir in &content.section_dirs {
        let Some(section) = section_page(config, content, dir) else {
            continue;
        };
        if section.front.source.is_some() {
            continue;
        }
        let mut fields = leading_fields();
        for decl in content.fields_of(dir) {
            fields.push(field(config, content, labels, dir, decl));
        }
        fields.push(body_field());
        out.push(Collection {
            name: collection_name(dir),
            label: section.front.title.clone(),
            dir: dir.clone(),
            fields,
        });
    }
    out
}

/// The collection name of the pages at the top of `content/`.
const TOP_PAGES: &str = "pages";

/// The `_index` page of `dir`, in the default language if it has one.
fn section_page<'a>(
    config: &SiteConfig,
    content: &'a Content,
    dir: &str,
) -> Option<&'a crate::content::Page> {
    let sections = || {
        content
            .pages
            .iter()
            .filter(move |p| p.kind == PageKind::Section && p.path.dir == dir)
            .filter(|p| p.stand_in_for.is_none())
    };
    sections()
        .find(|p| p.lang == config.default_language)
        .or_else(|| sections().next())
}

/// A declared field as the CMS edits it.
fn field(
    config: &SiteConfig,
    content: &Content,
    labels: &Labels<'_>,
    dir: &str,
    decl: &FieldDecl,
) -> Field {
    let lang = config.default_language.as_str();
    let select = |multiple| Widget::Select {
        options: decl
            .allowed
            .iter()
            .map(|v| (v.clone(), labels.value(decl, v, lang)))
            .collect(),
        multiple,
    };
    let (widget, translation) = match decl.kind {
        FieldType::String if !decl.allowed.is_empty() => (select(false), Translation::Shared),
        FieldType::List if !decl.allowed.is_empty() => (select(true), Translation::Shared),
        FieldType::String => (Widget::String, Translation::PerLanguage),
        FieldType::List => (Widget::List, Translation::PerLanguage),
        FieldType::Integer => (Widget::Number { integer: true }, Translation::Shared),
        FieldType::Number => (Widget::Number { integer: false }, Translation::Shared),
        FieldType::Boolean => (Widget::Boolean, Translation::Shared),
        FieldType::Date => (Widget::Date, Translation::Shared),
        FieldType::Url => (Widget::Url, Translation::PerLanguage),
        FieldType::Pages => {
            let target = decl.section.as_deref().unwrap_or(dir);
            let editable = section_page(config, content, target)
                .is_some_and(|section| section.front.source.is_none());
            if editable {
                (
                    Widget::Relation {
                        collection: collection_name(target),
                    },
                    Translation::Shared,
                )
            } else {
                // Rows of a data file are no collection: names by hand.
                (Widget::List, Translation::Shared)
            }
        }
    };
    Field {
        name: decl.name.clone(),
        label: labels.field(decl, lang),
        widget,
        required: decl.required,
        translation,
    }
}
