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

use std::path::PathBuf;
use std::sync::Arc;

use super::{Site, shortcodes, texts};
use crate::content::{Content, PageId};
use crate::markdown::RenderedMarkdown;

impl Site {
    /// Takes in edits of the content files `paths`, each an existing page
    /// (not a section index) that loaded without errors before. Returns
    /// the number of pages whose Markdown was rendered.
    pub(super) fn apply_front_changes(&mut self, paths: &[PathBuf]) -> usize {
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
        let pages = &self.model.content.pages;
        // Pages made from a changed file (stand-ins share their original's
        // file; the rows of data sections are made anew, unchanged), and
        // pages whose shortcodes show other pages.
        let mut changed: Vec<PageId> = pages
            .iter()
            .zip(&old.content.pages)
            .enumerate()
            .filter(|(_, (new, old))| {
                !Arc::ptr_eq(&new.file, &old.file)
                    && (new.file.text != old.file.text || new.body != old.body)
            })
            .map(|(id, _)| id)
            .collect();
        changed.extend(old.rendered.iter().enumerate().filter_map(|(id, r)| {
            r.shortcodes
                .iter()
                .any(|name| shortcodes::reads_other_pages(name))
                .then_some(id)
        }));
        changed.sort_unstable();
        changed.dedup();
        let fresh: Vec<(PageId, RenderedMarkdown)> = self.render_markdown_of(&changed);
        let rendered = fresh.len();
        self.model.rendered = old.rendered;
        for (id, markdown) in fresh {
            self.model.rendered.set(id, markdown);
        }
        drop(_t);
        let _t = crate::timing::stage("front matter: structure");
        self.finish_structure();
        let same_jobs = old.derived.pages.len() == self.model.derived.pages.len()
            && old
                .derived
                .pages
                .iter()
                .zip(&self.model.derived.pages)
                .all(|(a, b)| a.kind == b.kind && a.section == b.section && a.url == b.url);
        drop(_t);
        let _t = crate::timing::stage("front matter: checks");
        self.stages.texts.update(
            &self.config,
            &self.model.content,
            &self.model.rendered,
            &changed,
        );
        self.collect_diagnostics();
        drop(_t);
        if same_jobs {
            let pages = &self.model.content.pages;
            let dates = changed.iter().any(|&id| {
                let (new, old) = (&pages[id].front, &old.content.pages[id].front);
                (new.date, new.updated) != (old.date, old.updated)
            });
            let front = &mut self.loading.front_changes;
            front.pages.extend(changed);
            front.dates |= dates;
        } else {
            crate::timing::note("front matter: the derived pages changed, all inputs compared");
            self.loading.generation += 1;
            self.forget_changes();
        }
        rendered
    }
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
