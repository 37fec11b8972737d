//! What every page of a language shows: the site's title and languages,
//! the main navigation, print documents, feeds and search ([`SiteView`]),
//! and the small pieces views share (URLs, dates, languages).

use super::ViewBuilder;
use super::reads::Reads;
use super::types::{DateView, FeedView, LanguageView, LinkView, SiteView};
use crate::content::files;
use crate::content::front_matter::Date;

impl<'a> ViewBuilder<'a> {
    /// A URL with the base path.
    pub(super) fn url(&self, r: &Reads, site_path: &str) -> String {
        self.model.config(r).base_url.prefixed(site_path)
    }

    /// A language as templates see it.
    pub(super) fn language(&self, r: &Reads, code: &str) -> LanguageView {
        LanguageView {
            code: code.to_string(),
            name: self.model.config(r).language_name(code).to_string(),
            dir: crate::i18n::names::direction(code).as_str(),
            home: self.url(r, &self.model.home_path(r, code)),
        }
    }

    /// A language as the UI string `key` of `reader` pages names it: its
    /// `name` is CLDR's name in the language of that text ("engleză" in
    /// Romanian), for messages such as "doar în {language}".
    pub(super) fn language_named(
        &self,
        r: &Reads,
        code: &str,
        reader: &str,
        key: &str,
    ) -> LanguageView {
        let mut view = self.language(r, code);
        if let Some(name) = self.model.strings(r, reader).language_name(code, key) {
            view.name = name.to_string();
        }
        view
    }

    /// A date with its ISO form and its display in `lang`.
    pub(super) fn date(&self, r: &Reads, lang: &str, date: Option<Date>) -> Option<DateView> {
        date.map(|d| DateView {
            iso: d.iso(),
            display: self.model.strings(r, lang).date(d),
        })
    }

    /// Top-level sections for the main navigation in `lang`;
    /// `current_dir` marks the current one.
    pub(super) fn nav(&self, r: &Reads, lang: &str, current_dir: &str) -> Vec<LinkView> {
        let mut dirs = self.model.subsections(r, "");
        dirs.sort_by_cached_key(|d| {
            self.model
                .best_in(r, &files::section_link_key(d), lang)
                .map(|id| self.model.order_key(r, id))
        });
        dirs.iter()
            .filter_map(|dir| {
                let id = self.model.best_in(r, &files::section_link_key(dir), lang)?;
                let mut link = self.link(r, id, lang, None);
                link.current = current_dir == dir || current_dir.starts_with(&format!("{dir}/"));
                Some(link)
            })
            .collect()
    }

    /// Site data for pages in `lang`; `current_dir` marks the navigation.
    pub(super) fn site(&self, r: &Reads, lang: &str, current_dir: &str) -> SiteView<'a> {
        let config = self.model.config(r);
        let multilingual = config.languages.len() > 1;
        SiteView {
            title: config
                .title
                .get(lang)
                .or_else(|| config.title.get(&config.default_language))
                .map(String::as_str)
                .unwrap_or(""),
            description: config.description.get(lang).map(String::as_str),
            base_url: config.base_url.absolute("/"),
            home: self.url(r, &self.model.home_path(r, lang)),
            chooser: multilingual.then(|| self.url(r, "/")),
            ui_lang: self.model.strings(r, lang).ui_lang().to_string(),
            default_language: &config.default_language,
            languages: config
                .languages
                .iter()
                .map(|l| self.language(r, &l.code))
                .collect(),
            multilingual,
            nav: self.nav(r, lang, current_dir),
            extra: &config.extra,
            print: self
                .model
                .print_urls(r, lang)
                .into_iter()
                .map(|(dir, url)| (dir.to_string(), self.url(r, url)))
                .collect(),
            search: self.model.search_url(r, lang).map(|u| self.url(r, u)),
            feeds: self
                .model
                .feeds_for(r, lang, current_dir)
                .into_iter()
                .map(|f| FeedView {
                    title: f.title,
                    url: self.url(r, f.url),
                    lang: f.lang.to_string(),
                })
                .collect(),
        }
    }
}
