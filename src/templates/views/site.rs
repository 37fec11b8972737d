//! What every page of a language shows: the site's title and languages,
//! the main navigation, print documents, feeds and search ([`SiteView`]),
//! and the small pieces views share (URLs, dates, languages). Maps of
//! languages in `extra` (`footer: {ro: …, hu: …}`) are resolved to the
//! page's language ([`extra_in`]).

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::ViewBuilder;
use super::reads::Reads;
use super::types::{DateView, FeedView, LanguageView, LinkView, PdfView, SiteView};
use crate::config::SiteConfig;
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
            extra: extra_in(&config.extra, lang, config),
            print: self
                .model
                .print_urls(r, lang)
                .into_iter()
                .map(|(dir, url)| (dir.to_string(), self.url(r, url)))
                .collect(),
            pdf: if self.model.config(r).pdf {
                self.model
                    .print_urls(r, lang)
                    .into_iter()
                    .map(|(dir, url)| {
                        let pdf = crate::site::pdf::pdf_url(url);
                        let size_kb = self.pdf_sizes.get(&pdf).map(|b| b.div_ceil(1000).max(1));
                        let title = self.model.print_title(r, url).unwrap_or(dir).to_string();
                        (
                            dir.to_string(),
                            PdfView {
                                url: self.url(r, &pdf),
                                size_kb,
                                title,
                            },
                        )
                    })
                    .collect()
            } else {
                BTreeMap::new()
            },
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

/// Whether `value` is a map of languages: an object whose keys are all
/// language codes of the site.
fn is_language_map(value: &serde_json::Value, config: &SiteConfig) -> bool {
    value.as_object().is_some_and(|map| {
        !map.is_empty()
            && map
                .keys()
                .all(|key| config.languages.iter().any(|l| &l.code == key))
    })
}

/// Whether `value` holds a map of languages anywhere.
fn has_language_map(value: &serde_json::Value, config: &SiteConfig) -> bool {
    is_language_map(value, config)
        || match value {
            serde_json::Value::Object(map) => map.values().any(|v| has_language_map(v, config)),
            serde_json::Value::Array(items) => items.iter().any(|v| has_language_map(v, config)),
            _ => false,
        }
}

/// `extra` of site.yaml as pages in `lang` see it: every map of languages
/// in it replaced by its value in `lang`, or in the default language when
/// `lang` has none (a map with neither stays a map, and `check` warns
/// where it is printed). Borrowed when there is no map of languages.
pub(crate) fn extra_in<'v>(
    extra: &'v serde_json::Value,
    lang: &str,
    config: &SiteConfig,
) -> Cow<'v, serde_json::Value> {
    if !has_language_map(extra, config) {
        return Cow::Borrowed(extra);
    }
    fn resolve(value: &serde_json::Value, lang: &str, config: &SiteConfig) -> serde_json::Value {
        if is_language_map(value, config)
            && let Some(map) = value.as_object()
            && let Some(chosen) = map.get(lang).or_else(|| map.get(&config.default_language))
        {
            return resolve(chosen, lang, config);
        }
        match value {
            serde_json::Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), resolve(v, lang, config)))
                    .collect(),
            ),
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(|v| resolve(v, lang, config)).collect())
            }
            other => other.clone(),
        }
    }
    Cow::Owned(resolve(extra, lang, config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        let yaml = "title: T\nbase_url: https://example.org/\ndefault_language: ro\nlanguages:\n  - {code: ro, name: Română}\n  - {code: hu, name: Magyar}\n  - {code: en, name: English}\n";
        let file = crate::diagnostics::SourceFile::new("site.yaml".into(), yaml.to_string());
        SiteConfig::parse(&file).expect("a valid site.yaml")
    }

    #[test]
    fn maps_of_languages_in_extra_resolve_to_the_page_language() {
        let config = config();
        let extra = serde_json::json!({
            "footer": {"ro": "Făcut în Cluj", "hu": "Kolozsváron készült"},
            "links": [{"label": {"ro": "Hartă", "hu": "Térkép"}, "url": "/map/"}],
            "colours": {"ro": "red", "blue": "x"},
            "contact": "team@example.org",
        });
        let hu = extra_in(&extra, "hu", &config);
        assert_eq!(hu["footer"], "Kolozsváron készült");
        assert_eq!(hu["links"][0]["label"], "Térkép");
        assert_eq!(
            hu["colours"]["ro"], "red",
            "not all keys are languages: kept"
        );
        assert_eq!(hu["contact"], "team@example.org");
        let en = extra_in(&extra, "en", &config);
        assert_eq!(en["footer"], "Făcut în Cluj", "the default language's");
        let plain = serde_json::json!({"contact": "x"});
        assert!(matches!(extra_in(&plain, "hu", &config), Cow::Borrowed(_)));
    }
}
