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

    /// `favicon:` or `logo:` as a URL: a site path gets the base path, an
    /// absolute URL stays as it is.
    fn site_image(&self, r: &Reads, image: &str) -> String {
        if image.starts_with('/') {
            self.url(r, image)
        } else {
            image.to_string()
        }
    }

    /// A language as templates see it.
    pub(super) fn language(&self, r: &Reads, code: &str) -> LanguageView {
        LanguageView {
            code: code.to_string(),
            name: self.model.config(r).language_name(code).to_string(),
            home: self.url(r, &self.model.home_path(r, code)),
        }
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
            favicon: config.favicon.as_deref().map(|f| self.site_image(r, f)),
            logo: config.logo.as_deref().map(|l| self.site_image(r, l)),
            imprint: config
                .imprint
                .iter()
                .filter_map(|(field, texts)| {
                    let text = texts
                        .get(lang)
                        .or_else(|| texts.get(&config.default_language))?;
                    Some((field.as_str(), text.as_str()))
                })
                .collect(),
            logo_permalink: config.logo.as_deref().map(|l| {
                if l.starts_with('/') {
                    config.base_url.absolute(l)
                } else {
                    l.to_string()
                }
            }),
            base_url: config.base_url.absolute("/"),
            origin: &config.base_url.origin,
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
