//! The pages' Markdown, rendered with the site's environment (links,
//! shortcodes, highlighter, UI strings): every page at load; after an
//! edit, only the pages whose text, link targets or shortcode inputs
//! changed, the others keep their rendering.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::shortcodes::SiteShortcodes;
use super::{Model, Site};
use crate::content::links::SiteLinks;
use crate::content::rendered::Rendered;
use crate::content::spill::Spilled;
use crate::content::{Page, PageId};
use crate::diagnostics::SourceFile;
use crate::markdown::links::written_target;
use crate::markdown::{self, MarkdownEnv, RenderedMarkdown};

/// Rendered Markdown of a previous load, by (`@/` key, language), with the
/// file it was rendered from.
pub(super) type Previous = HashMap<(String, String), (Arc<SourceFile>, RenderedMarkdown)>;

/// The renderings of `old`'s pages, to be reused where nothing changed.
pub(super) fn previous(old: Model) -> Previous {
    old.content
        .pages
        .into_iter()
        .zip(old.rendered.into_pages())
        .filter(|(p, _)| p.stand_in_for.is_none())
        .map(|(p, r)| ((p.path.link_key.clone(), p.lang.clone()), (p.file, r)))
        .collect()
}

impl Site {
    /// The Markdown of the pages `ids` rendered again, in parallel (not
    /// stand-ins: they show their original's); for edits of a few pages.
    pub(super) fn render_markdown_of(&self, ids: &[PageId]) -> Vec<(PageId, RenderedMarkdown)> {
        let pages = &self.model.content.pages;
        self.with_markdown_env(|env, _| {
            ids.par_iter()
                .filter(|id| pages[**id].stand_in_for.is_none())
                .map(|&id| {
                    let page = &pages[id];
                    (
                        id,
                        markdown::render(&page.file, page.body.clone(), &page.lang, env),
                    )
                })
                .collect()
        })
    }

    /// Runs `f` with the Markdown environment of the site as it is now.
    pub(super) fn with_markdown_env<R>(
        &self,
        f: impl FnOnce(&MarkdownEnv<'_>, &SiteLinks<'_>) -> R,
    ) -> R {
        let content = &self.model.content;
        let links = SiteLinks {
            content,
            config: &self.config,
        };
        let shortcodes = SiteShortcodes {
            templates: &self.theme.templates,
            datasets: &self.datasets,
            i18n: &self.theme.i18n,
            content,
        };
        let i18n = &self.theme.i18n;
        let ui_string = |lang: &str, key: &str| {
            i18n.get(lang, key, None, &[])
                .map(|l| l.text())
                .unwrap_or_else(|| key.to_string())
        };
        let env = MarkdownEnv {
            links: &links,
            shortcodes: &shortcodes,
            highlighter: &self.highlighter,
            ui_string: &ui_string,
        };
        f(&env, &links)
    }

    /// Renders every page's Markdown in parallel, reusing the previous
    /// result of a page whose file is unchanged, whose `@/` links resolve
    /// as before, and for which `render_again` does not hold. Returns how
    /// many pages were rendered.
    pub(super) fn render_markdown(
        &mut self,
        mut previous: Previous,
        render_again: impl Fn(&RenderedMarkdown) -> bool + Sync,
    ) -> usize {
        let spill = self.loading.spill.clone();
        // A one-off build hands each page's text to its rendering and lets
        // go of it right after, so texts and renderings never all sit in
        // memory together (later checks use locations taken while
        // rendering).
        let texts: Vec<Option<Arc<SourceFile>>> = match &spill {
            Some(_) => self
                .model
                .content
                .pages
                .iter()
                .map(|p| Some(Arc::clone(&p.file)))
                .collect(),
            None => vec![None; self.model.content.pages.len()],
        };
        if spill.is_some() {
            self.release_sources();
        }
        let (rendered, spilled, fresh) = self.with_markdown_env(|env, links| {
            let pages = &self.model.content.pages;
            let reusable: Vec<Option<RenderedMarkdown>> = pages
                .iter()
                .map(|page| {
                    let key = (page.path.link_key.clone(), page.lang.clone());
                    let (file, old) = previous.remove(&key)?;
                    let same_source = Arc::ptr_eq(&file, &page.file) || file.text == page.file.text;
                    let same_links = old
                        .link_targets
                        .iter()
                        .all(|(k, target)| written_target(k, &page.lang, links) == *target);
                    (same_source && same_links && !render_again(&old)).then_some(old)
                })
                .collect();
            let fresh = reusable.iter().filter(|r| r.is_none()).count();
            let (rendered, spilled): (Vec<RenderedMarkdown>, Vec<Option<Spilled>>) = pages
                .par_iter()
                .zip(reusable.into_par_iter())
                .zip(texts.into_par_iter())
                .map(|((page, reused), text)| {
                    let file = text.as_ref().unwrap_or(&page.file);
                    let mut r = match (page.stand_in_for, reused) {
                        (Some(_), _) => RenderedMarkdown::default(),
                        (None, Some(old)) => old,
                        (None, None) => markdown::render(file, page.body.clone(), &page.lang, env),
                    };
                    drop(text);
                    // A build sets the body aside until its page is written.
                    let at = spill.as_ref().and_then(|s| s.put(&r.html));
                    if at.is_some() {
                        r.html = String::new();
                    }
                    (r, at)
                })
                .unzip();
            (rendered, spilled, fresh)
        });
        self.model.rendered = match spill {
            Some(spill) => Rendered::spilled(rendered, spill, spilled),
            None => Rendered::new(rendered),
        };
        fresh
    }

    /// Takes in new texts of pages whose front matter did not change:
    /// renders their Markdown again and checks anchors and scripts; the
    /// structure (URLs, listings, derived pages) stays. Returns how many
    /// pages were rendered.
    pub(super) fn apply_text_changes(&mut self, pages: Vec<Page>) -> usize {
        let _t = crate::timing::stage("text");
        let mut changed: Vec<PageId> = Vec::new();
        for new in &pages {
            for (id, page) in self.model.content.pages.iter_mut().enumerate() {
                if page.file.path == new.file.path {
                    page.file = Arc::clone(&new.file);
                    page.body = new.body.clone();
                    changed.push(id);
                }
            }
        }
        let fresh: Vec<(PageId, RenderedMarkdown)> = self.render_markdown_of(&changed);
        let rendered = fresh.len();
        for (id, markdown) in fresh {
            self.model.rendered.set(id, markdown);
        }
        self.stages.texts.update(
            &self.config,
            &self.model.content,
            &self.model.rendered,
            &changed,
        );
        self.loading.text_changes.extend(changed);
        self.collect_diagnostics();
        rendered
    }

    /// For a one-off build: replaces the pages' texts by empty ones with
    /// the same paths (a page's body range stays, for its rendering). A
    /// data row keeps a (now empty) data file: what is a row must not
    /// change when the text is released.
    fn release_sources(&mut self) {
        let released =
            |file: &SourceFile| Arc::new(SourceFile::new(file.path.clone(), String::new()));
        for page in &mut self.model.content.pages {
            page.file = released(&page.file);
            if let Some(data_file) = &page.data_file {
                page.data_file = Some(released(data_file));
            }
        }
    }
}
