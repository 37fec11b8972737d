//! The view structs: the only data templates see, serialized per page.
//! They borrow from the model where they can. Field values reach
//! templates with their labels ([`FactView`]), so a theme shows any
//! declared field without knowing its name.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::PageKind;
use crate::markdown::TocEntry;
use crate::templates::print::PrintPart;

/// A language as templates see it.
#[derive(Clone, Debug, Serialize)]
pub struct LanguageView {
    /// BCP 47 code.
    pub code: String,
    /// Its own name ("Deutsch") in the language switcher; in an "only in"
    /// mark or a stand-in notice, its name in the reader's language
    /// ("germană").
    pub name: String,
    /// Its writing direction (`ltr` or `rtl`), for `dir` attributes.
    pub dir: &'static str,
    /// URL of its home page.
    pub home: String,
}

/// One value of a field with its label.
#[derive(Clone, Debug, Serialize)]
pub struct ValueView {
    /// The value as written in front matter (`schools`).
    pub value: String,
    /// Its label in the page's language (`Schulen`).
    pub label: String,
    /// The value's listing page, for facet fields.
    pub url: Option<String>,
    /// A colour tone 1–6 from the value's place among the allowed values,
    /// so themes can tell values apart without knowing them.
    pub tone: Option<usize>,
}

/// A declared field of a page with its label and its labelled values.
#[derive(Clone, Debug, Serialize)]
pub struct FactView {
    /// Field name (`audience`).
    pub name: String,
    /// Its label (`Zielgruppe`).
    pub label: String,
    /// The field's type (`string`, `list`, `integer`, …).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its values (one for single-valued fields).
    pub values: Vec<ValueView>,
    /// For fields with `allowed` values: the name the search index files
    /// its values under (the label, without the `:` Pagefind's filter
    /// syntax reserves), so readers can search within them.
    pub search_filter: Option<String>,
}

/// The typeset PDF of a print document, for download links.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PdfView {
    /// URL (with base path).
    pub url: String,
    /// Its size in kilobytes (1000 bytes, at least 1), when it is made
    /// before the page (a build; `serve` makes PDFs when asked for).
    pub size_kb: Option<u64>,
    /// The title of its section.
    pub title: String,
}

/// A link to another page, for navigation and listings.
#[derive(Clone, Debug, Serialize)]
pub struct LinkView {
    /// Title of the target.
    pub title: String,
    /// URL (with base path).
    pub url: String,
    /// Language of the target page.
    pub lang: String,
    /// Description of the target, if any.
    pub description: Option<String>,
    /// Set when the target is not available in the current language and
    /// links the original instead: the language it is written in.
    pub only_in: Option<LanguageView>,
    /// Whether this is the page being rendered (or one of its ancestors).
    pub current: bool,
    /// Position in its section (1-based), e.g. chapter numbers.
    pub number: Option<usize>,
    /// The target's typed section fields (raw values).
    pub fields: serde_json::Value,
    /// The target's fields with labels, in declaration order.
    pub facts: Vec<FactView>,
    /// Reading time of the target in minutes.
    pub reading_time: usize,
    /// Publication date of the target.
    pub date: Option<DateView>,
}

/// One entry of the language switcher.
#[derive(Clone, Debug, Serialize)]
pub struct SwitchView {
    /// Language code.
    pub code: String,
    /// Language name.
    pub name: String,
    /// The translation, or the language's home when there is none.
    pub url: String,
    /// Whether a translation of this page exists in that language.
    pub available: bool,
    /// Whether `url` is a copy of the original shown in that language
    /// (`untranslated: render`) rather than the language's home.
    pub stand_in: bool,
    /// Whether this is the page's own language.
    pub current: bool,
}

/// A `<link rel="alternate" hreflang>` entry.
#[derive(Clone, Debug, Serialize)]
pub struct AlternateView {
    /// Language code, or `x-default`.
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

/// A date with its ISO form and its localized display.
#[derive(Clone, Debug, Serialize)]
pub struct DateView {
    /// `2026-11-27`.
    pub iso: String,
    /// `27. November 2026`.
    pub display: String,
}

/// Notice data for a page shown in a language it is not written in.
#[derive(Clone, Debug, Serialize)]
pub struct StandInView {
    /// The page's own language, the one the content is missing in.
    pub missing: LanguageView,
    /// Language the content is written in.
    pub original: LanguageView,
    /// URL of the original page.
    pub original_url: String,
}

/// The value a facet listing page shows.
#[derive(Clone, Debug, Serialize)]
pub struct FacetView {
    /// Field name (`category`).
    pub field: String,
    /// The field's label (`Kategorie`).
    pub field_label: String,
    /// Field value (`heat`).
    pub value: String,
    /// The value's label (`Hitzevorsorge`).
    pub value_label: String,
    /// URL of the unfiltered section page.
    pub section_url: String,
    /// Title of the unfiltered section page.
    pub section_title: String,
}

/// One selectable value of a facet, for filter navigation.
#[derive(Clone, Debug, Serialize)]
pub struct FacetValueView {
    /// Field value.
    pub value: String,
    /// Its label.
    pub label: String,
    /// URL of its listing page.
    pub url: String,
    /// Pages with this value in the listing.
    pub count: usize,
    /// Whether this is the facet page being rendered.
    pub current: bool,
    /// Colour tone 1–6 (see [`ValueView::tone`]).
    pub tone: usize,
}

/// A facet field with all its values.
#[derive(Clone, Debug, Serialize)]
pub struct FacetFieldView {
    /// Field name.
    pub field: String,
    /// Its label.
    pub label: String,
    /// Its values with their listing pages.
    pub values: Vec<FacetValueView>,
}

/// A group of a section's listing: the pages with one value of the
/// section's `group_by` field.
#[derive(Clone, Debug, Serialize)]
pub struct GroupView {
    /// The value.
    pub value: String,
    /// Its label.
    pub label: String,
    /// Colour tone 1–6.
    pub tone: Option<usize>,
    /// The value's facet page, if the field is a facet.
    pub url: Option<String>,
    /// The pages, in listing order.
    pub pages: Vec<LinkView>,
    /// True for the last group, of the pages that have no value (or no
    /// value the listing knows) for the grouping field; its heading is the
    /// UI string `listing.ungrouped`. No page is ever left out of a listing.
    pub ungrouped: bool,
}

/// Pages of one section that link the page being rendered.
#[derive(Clone, Debug, Serialize)]
pub struct LinkedFromView {
    /// The linking section's folder.
    pub section_dir: String,
    /// A heading: the UI string `linked_from.<folder>` if the site has
    /// one, else the linking section's title.
    pub title: String,
    /// The linking pages, by title.
    pub pages: Vec<LinkView>,
}

/// Site-wide data, per language.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SiteView<'a> {
    /// Site title in this language.
    pub title: &'a str,
    /// Site description in this language.
    pub description: Option<&'a str>,
    /// URL of the site's icon (`favicon:` with the base path), `none` for
    /// the theme's own.
    pub favicon: Option<String>,
    /// URL of the header logo (`logo:` with the base path), if any.
    pub logo: Option<String>,
    /// The logo's absolute URL, for social previews (`og:image`).
    pub logo_permalink: Option<String>,
    /// `imprint:` of site.yaml in this language (else the default
    /// language's): `subtitle`, `edition`, `date`, `publisher`, `editors`,
    /// `licence`, `funding`, each only when set.
    pub imprint: BTreeMap<&'a str, &'a str>,
    /// Absolute base URL with path.
    pub base_url: String,
    /// Scheme and host of `base_url` (`https://example.org`), which site
    /// paths (`/toolbox/de/`) follow to make absolute URLs, e.g. for
    /// links printed on paper.
    pub origin: &'a str,
    /// URL of this language's home page.
    pub home: String,
    /// URL of the root language chooser (multilingual sites only).
    pub chooser: Option<String>,
    /// The language the interface texts are in (differs from the page's
    /// language when that language has no UI strings).
    pub ui_lang: String,
    /// Default language code.
    pub default_language: &'a str,
    /// All languages.
    pub languages: Vec<LanguageView>,
    /// Whether the site has more than one language.
    pub multilingual: bool,
    /// Top-level sections, for the main navigation.
    pub nav: Vec<LinkView>,
    /// `config.extra` of site.yaml, with maps of languages resolved to
    /// the page's language.
    pub extra: std::borrow::Cow<'a, serde_json::Value>,
    /// Print documents in this language: section folder → URL.
    pub print: BTreeMap<String, String>,
    /// The typeset PDFs of the print documents in this language (none
    /// with `pdf: false`): section folder → URL and size.
    pub pdf: BTreeMap<String, PdfView>,
    /// Atom feeds for this page: the language's, then its section's
    /// (empty when feeds are off or no page has a date).
    pub feeds: Vec<FeedView>,
    /// URL of this language's search page (`none` with `search: false`).
    pub search: Option<String>,
}

/// An Atom feed a page links.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FeedView {
    /// "Formate – Drehbuch", or the site title for the language's feed.
    pub title: String,
    /// URL with base path.
    pub url: String,
    /// Language of the feed.
    pub lang: String,
}

/// Everything a page template gets as `page`.
#[derive(Clone, Debug, Serialize)]
pub struct PageView<'a> {
    /// `home`, `section` or `page`.
    pub kind: PageKind,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<&'a str>,
    /// URL with base path.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Canonical absolute URL (the original's, for stand-ins).
    pub canonical: String,
    /// Language the page is published in.
    pub lang: &'a str,
    /// Language its text is written in.
    pub content_lang: &'a str,
    /// The rendered body HTML.
    pub content: Cow<'a, str>,
    /// Table of contents.
    pub toc: &'a [TocEntry],
    /// Publication date.
    pub date: Option<DateView>,
    /// Last update.
    pub updated: Option<DateView>,
    /// Words in the body.
    pub word_count: usize,
    /// Minutes to read (at 200 words a minute, at least 1).
    pub reading_time: usize,
    /// Typed section fields (raw values).
    pub fields: serde_json::Value,
    /// Declared fields with labels, in declaration order (those the page sets).
    pub facts: Vec<FactView>,
    /// `pages` fields resolved to links in this language.
    pub links: BTreeMap<String, Vec<LinkView>>,
    /// Labels of the `pages` fields, by field name.
    pub link_labels: BTreeMap<String, String>,
    /// Pages of other sections whose `pages` fields name this page (e.g.
    /// the actors that name a format card), one entry per section.
    pub linked_from: Vec<LinkedFromView>,
    /// Free front matter data.
    pub extra: &'a serde_json::Value,
    /// hreflang alternates (empty for stand-ins and single-language sites).
    pub alternates: Vec<AlternateView>,
    /// Language switcher entries (empty on a single-language site).
    pub switcher: Vec<SwitchView>,
    /// Set when the page shows an original under another language.
    pub stand_in: Option<StandInView>,
    /// Parent sections from the top, excluding home.
    pub ancestors: Vec<LinkView>,
    /// Previous page in its section.
    pub previous: Option<LinkView>,
    /// Next page in its section.
    pub next: Option<LinkView>,
    /// Position in its section (1-based).
    pub number: Option<usize>,
    /// For sections and home: the pages listed (with untranslated ones marked).
    pub pages: Vec<LinkView>,
    /// For sections: the pages grouped by the section's `group_by` field
    /// (or, for the `cards` layout, its first facet field).
    pub groups: Vec<GroupView>,
    /// For sections and home: child sections.
    pub subsections: Vec<LinkView>,
    /// Content folder of the page (`cards`).
    pub section_dir: &'a str,
    /// The layout of the page's section (`cards`, `book`), if any.
    pub layout: Option<&'a str>,
    /// File stem (language-independent), e.g. `heat-check`.
    pub stem: &'a str,
    /// For sections: facet fields with their listing pages.
    pub facets: Vec<FacetFieldView>,
    /// For sections: fields with allowed values other than the grouping
    /// field, for filtering the listing in place (script-enhanced).
    pub filters: Vec<FacetFieldView>,
    /// For pages: the page's value of its section's grouping field.
    pub group: Option<ValueView>,
    /// For facet listing pages: the value shown.
    pub facet: Option<FacetView>,
    /// For print pages: every page of the section with its content.
    pub print: Vec<PrintPart>,
    /// The file the page comes from (for a data row: the data file and
    /// the row's line); none for pages no file makes.
    pub source: Option<SourceView>,
    /// The page's "Edit this page" link: site.yaml's `edit_url` filled in
    /// with `source` (none without `edit_url`).
    pub edit_url: Option<String>,
}

/// Where a page's text is written, for edit links.
#[derive(Clone, Debug, Serialize)]
pub struct SourceView {
    /// The file relative to the site folder, with `/` separators
    /// (`content/cards/hitze-check.de.md`, `data/actors.csv`).
    pub path: String,
    /// The line the page starts at: 1, or the data row's line.
    pub line: usize,
}
