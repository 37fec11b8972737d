//! Edits of pages' front matter (title, date, tags, weight, description,
//! …) that keep the site's structure: the same files make the same pages
//! at the same URLs in the same translation groups. Then no page's `@/`
//! links lead elsewhere, so only the edited pages' Markdown (and that of
//! pages whose shortcodes read other pages) is rendered again, and the
//! anchor and script checks are redone for those pages alone; listings,
//! derived pages and feeds are planned again (they order and group by
//! front matter). When the derived pages also stay (no new tag value, say),
//! the structure's generation stays too and `serve` looks only at the
//! inputs such an edit can change ([`Site::take_front_changes`]).
//!
//! Anything else (a new or removed file, a new slug or translation key,
//! a page that fails to load) falls back to the full path of
//! [`Site::apply`], which `DREHBUCH_TIMINGS` reports.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Site, checks, shortcodes, texts};
use crate::content::derived::{self, Derived};
use crate::content::rendered::Rendered;
use crate::content::{Content, Page, PageId};
use crate::i18n::labels::Labels;
use crate::markdown::RenderedMarkdown;
use crate::templates::views::Index;

impl Site {
    /// Takes in edits of the content files `paths`, each an existing page
    /// (not a section index) that loaded without errors before. Returns
    /// the number of pages whose Markdown was rendered.
    pub(super) fn apply_front_changes(&mut self, paths: &[PathBuf]) -> usize {
        if let Some(rendered) = self.front_changes_in_place(paths) {
            return rendered;
        }
        let old = std::mem::take(&mut self.model);
        {
            let _t = crate::timing::stage("content");
            self.load_content(Some(paths));
        }
        if !same_structure(&old.content, &self.model.content) {
            crate::timing::note("front matter: the structure changed, full reload");
            self.loading.generation += 1;
            self.forget_changes();
            let _t = crate::timing::stage("markdown");
            let rendered = self.render_markdown(texts::previous(old), |r| {
                r.shortcodes
                    .iter()
                    .any(|name| shortcodes::reads_other_pages(name))
            });
            drop(_t);
            let _t = crate::timing::stage("finish");
            self.finish();
            return rendered;
        }
        let _t = crate::timing::stage("front matter: markdown");
        let changed = to_render_again(
            &self.model.content.pages,
            old.content.pages.iter().enumerate(),
            &old.rendered,
        );
        let fresh: Vec<(PageId, RenderedMarkdown)> = self.render_markdown_of(&changed);
        let rendered = fresh.len();
        self.model.rendered = old.rendered;
        for (id, markdown) in fresh {
            self.model.rendered.set(id, markdown);
        }
        drop(_t);
        let _t = crate::timing::stage("front matter: structure");
        self.finish_structure();
        let same_jobs = same_derived_pages(&old.derived, &self.model.derived);
        drop(_t);
        self.check_texts_of(&changed);
        let before = changed.iter().map(|&id| (id, &old.content.pages[id]));
        let moved = old.listings.moved(&self.model.listings);
        // The view index was made again, backlinks and all.
        self.note_front_changes(same_jobs, changed.clone(), moved, true, before);
        rendered
    }
}

impl Site {
    /// Takes in the edits of `paths` without assembling the content again:
    /// only the edited pages' translation groups are worked out again
    /// ([`Content::replace_fronts`]), only their sections' listings are
    /// ordered again, and the view index and the structure's problems stay
    /// unless what they are made of changed. `None` (nothing changed) when
    /// the edit needs the whole content stage.
    fn front_changes_in_place(&mut self, paths: &[PathBuf]) -> Option<usize> {
        let _t = crate::timing::stage("front matter: content");
        let edited =
            self.loading
                .cache
                .reparse_pages(&self.options.root, &self.model.content, paths)?;
        let cache = &self.loading.cache;
        let Some(replaced) = self.model.content.replace_fronts(
            &self.config,
            edited,
            &|file| cache.parsed_page(file).cloned(),
            &self.stages.content,
            self.options.drafts,
        ) else {
            crate::timing::note("front matter: a group needs the whole content stage");
            return None;
        };
        drop(_t);
        let _t = crate::timing::stage("front matter: markdown");
        let changed = to_render_again(
            &self.model.content.pages,
            replaced.before.iter().map(|(id, page)| (*id, page)),
            &self.model.rendered,
        );
        let fresh = self.render_markdown_of(&changed);
        let rendered = fresh.len();
        for (id, markdown) in fresh {
            self.model.rendered.set(id, markdown);
        }
        drop(_t);

        let _t = crate::timing::stage("front matter: structure");
        let model = &mut self.model;
        let dirs: BTreeSet<&str> = replaced
            .before
            .iter()
            .map(|(_, page)| page.path.dir.as_str())
            .collect();
        let moved = model
            .listings
            .reorder(&self.config, &model.content, dirs.iter().copied());
        // Derived pages read pages' front matter only through field
        // values (which facet pages exist) and dates (feed entries); the
        // section pages they hang on are not edited on this path.
        let pages = &model.content.pages;
        let plan_again = replaced.before.iter().any(|(id, old)| {
            let (new, old) = (&pages[*id].front, &old.front);
            new.fields != old.fields || (new.date, new.updated) != (old.date, old.updated)
        });
        let mut same_jobs = true;
        if plan_again {
            let (derived, plan_problems) = derived::plan(
                &self.config,
                &model.content,
                &model.listings,
                &Labels::new(&self.theme.i18n),
            );
            same_jobs = same_derived_pages(&model.derived, &derived);
            model.derived = derived;
            if !same_jobs {
                let mut structure = plan_problems;
                structure.extend(checks::output_collisions(&model.content, &model.derived));
                self.stages.structure = structure;
            }
        }
        let pages = &model.content.pages;
        let links = replaced
            .before
            .iter()
            .any(|(id, old)| pages[*id].page_fields != old.page_fields);
        if links {
            model.view_index = Index::new(&model.content);
        }
        drop(_t);

        self.check_texts_of(&changed);
        self.note_front_changes(
            same_jobs,
            changed.into_iter().chain(replaced.ids()).collect(),
            moved,
            links,
            replaced.before.iter().map(|(id, page)| (*id, page)),
        );
        Some(rendered)
    }

    /// Records the front-matter edit of `changed` for `serve`: the pages
    /// (with `before`, the touched pages as they were, to tell whether a
    /// date changed) when the derived pages stayed, else a new generation.
    fn note_front_changes<'a>(
        &mut self,
        same_jobs: bool,
        mut changed: Vec<PageId>,
        moved: Vec<PageId>,
        links: bool,
        before: impl Iterator<Item = (PageId, &'a Page)>,
    ) {
        if !same_jobs {
            crate::timing::note("front matter: the derived pages changed, all inputs compared");
            self.loading.generation += 1;
            self.forget_changes();
            return;
        }
        let pages = &self.model.content.pages;
        let mut dates = false;
        for (id, old) in before {
            let (new, old) = (&pages[id].front, &old.front);
            dates |= (new.date, new.updated) != (old.date, old.updated);
        }
        changed.sort_unstable();
        changed.dedup();
        let front = &mut self.loading.front_changes;
        front.pages.extend(changed);
        front.moved.extend(moved);
        front.links |= links;
        front.dates |= dates;
    }
}

impl Site {
    /// Checks anchors and scripts again in the texts of `changed`, and
    /// gathers the diagnostics.
    fn check_texts_of(&mut self, changed: &[PageId]) {
        let _t = crate::timing::stage("front matter: checks");
        self.stages.texts.update(
            &self.config,
            &self.model.content,
            &self.model.rendered,
            changed,
        );
        self.collect_diagnostics();
    }
}

/// The pages whose Markdown must be rendered again after a front-matter
/// edit: those of `before` (id and page as it was) made from a changed
/// file (stand-ins share their original's file; the rows of data sections
/// are made anew, unchanged), and pages whose shortcodes show other pages.
fn to_render_again<'a>(
    pages: &[Page],
    before: impl Iterator<Item = (PageId, &'a Page)>,
    rendered: &Rendered,
) -> Vec<PageId> {
    let mut changed: Vec<PageId> = before
        .filter(|(id, old)| {
            let new = &pages[*id];
            !Arc::ptr_eq(&new.file, &old.file)
                && (new.file.text != old.file.text || new.body != old.body)
        })
        .map(|(id, _)| id)
        .collect();
    changed.extend(rendered.iter().enumerate().filter_map(|(id, r)| {
        r.shortcodes
            .iter()
            .any(|name| shortcodes::reads_other_pages(name))
            .then_some(id)
    }));
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// Whether two plans have the same derived pages (kind, section, URL) in
/// the same order: then the same jobs render them.
fn same_derived_pages(old: &Derived, new: &Derived) -> bool {
    old.pages.len() == new.pages.len()
        && old
            .pages
            .iter()
            .zip(&new.pages)
            .all(|(a, b)| a.kind == b.kind && a.section == b.section && a.url == b.url)
}

/// Whether `new` has the pages of `old` in the same order, from the same
/// files, at the same URLs and in the same translation groups, and `@/`
/// links resolve as before.
fn same_structure(old: &Content, new: &Content) -> bool {
    old.pages.len() == new.pages.len()
        && old.pages.iter().zip(&new.pages).all(|(a, b)| {
            a.file.path == b.file.path
                && a.path.link_key == b.path.link_key
                && a.lang == b.lang
                && a.kind == b.kind
                && a.url == b.url
                && a.group == b.group
                && a.stand_in_for == b.stand_in_for
        })
        && old.groups == new.groups
        && old.link_keys == new.link_keys
        && old.section_dirs == new.section_dirs
        && old.draft_link_keys == new.draft_link_keys
        && old.failed_link_keys == new.failed_link_keys
        && old.failed_pages == new.failed_pages
}
