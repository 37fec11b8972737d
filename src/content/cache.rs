//! Content files kept between builds. A one-off build reads every file
//! once; `serve` keeps a [`ContentCache`] so that a rebuild re-reads only the
//! files that changed (as the file watcher reports them, or by size and
//! modification time on a full scan) and re-parses only those, plus the
//! pages of a section whose declared fields changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use super::files::{self, Listed};
use super::front_matter::{FieldDecl, FileKind};
use super::{Content, FoundFile, LoadOptions, Page, SectionInfo, parse_file};
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::sources::SiteDir;

/// Size and modification time: a file whose stamp is unchanged is not
/// read again on a full scan.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => (m.len(), m.modified().ok()),
        Err(_) => (u64::MAX, None),
    }
}

/// How a page was parsed: with the fields of this hash, or leniently
/// (its section failed to load).
type FieldsKey = Option<u64>;

struct Entry {
    stamp: Stamp,
    /// The file read, or why it is no page (a warning or an error).
    read: Result<FoundFile, Diagnostic>,
    /// The last parse and the fields it was parsed with.
    parsed: Option<(FieldsKey, Result<Page, Vec<Diagnostic>>)>,
}

/// Every content file of a site with its last parse.
#[derive(Default)]
pub struct ContentCache {
    /// Path relative to `content/` (`/`-separated) → entry.
    entries: BTreeMap<String, Entry>,
    /// Problems of the last full walk (links out of the site, loops).
    walk_problems: Vec<Diagnostic>,
}

fn fields_key(decls: Option<&[FieldDecl]>) -> FieldsKey {
    decls.map(|d| {
        let mut hasher = std::hash::DefaultHasher::new();
        d.hash(&mut hasher);
        hasher.finish()
    })
}

impl ContentCache {
    /// Loads the content: on the first call (or when `changed` is `None`)
    /// by walking `content/`; afterwards only the `changed` paths (absolute
    /// or relative to the working folder, as the watcher reports them) are
    /// read again. A changed folder means a full walk.
    pub fn load(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        options: LoadOptions,
        changed: Option<&[PathBuf]>,
    ) -> (Content, Vec<Diagnostic>) {
        let content_dir = root.join("content");
        let site = match SiteDir::new(root) {
            Ok(s) => s,
            Err(e) => {
                return (
                    Content::default(),
                    vec![Diagnostic::file_error(
                        Path::new("content"),
                        format!("cannot open the site folder: {e}"),
                    )],
                );
            }
        };
        let incremental = match changed {
            Some(paths) if !self.entries.is_empty() || !self.walk_problems.is_empty() => {
                self.update(&site, &content_dir, config, paths)
            }
            _ => false,
        };
        if !incremental {
            self.scan(&site, &content_dir, config);
        }
        self.assemble(&site, config, options)
    }

    /// When every changed path is an existing page whose front matter is
    /// unchanged (an editor saved a change to the text only), re-reads those
    /// files and returns the updated pages without assembling the content
    /// again: the site's structure (URLs, listings, translations) cannot
    /// have changed. `None` (and nothing updated) otherwise.
    pub fn body_changes(&mut self, root: &Path, changed: &[PathBuf]) -> Option<Vec<Page>> {
        let content_dir = root.join("content");
        let mut updates: Vec<(String, FoundFile, Page)> = Vec::new();
        for path in changed {
            let relative = relative_of(&content_dir, path)?;
            let entry = self.entries.get(&relative)?;
            let (Ok(found), Some((_, Ok(page)))) = (&entry.read, &entry.parsed) else {
                return None;
            };
            // A page grown past the size limit takes the full path, which says so.
            if std::fs::metadata(path).ok()?.len() > super::files::MAX_PAGE_BYTES {
                return None;
            }
            let text = std::fs::read_to_string(path).ok()?;
            let text = if text.contains('\0') {
                text.replace('\0', "\u{FFFD}")
            } else {
                text
            };
            let file = crate::diagnostics::SourceFile::new(found.file.path.clone(), text);
            let split = super::front_matter::split(&file).ok()?;
            let old_split = super::front_matter::split(&found.file).ok()?;
            if file.text.get(..split.body.start)? != found.file.text.get(..old_split.body.start)? {
                return None;
            }
            let file = std::sync::Arc::new(file);
            let mut new_page = page.clone();
            new_page.file = std::sync::Arc::clone(&file);
            new_page.body = split.body;
            let new_found = FoundFile {
                path: found.path.clone(),
                file,
            };
            updates.push((relative, new_found, new_page));
        }
        let mut pages = Vec::new();
        for (relative, found, page) in updates {
            if let Some(entry) = self.entries.get_mut(&relative) {
                let key = entry.parsed.as_ref().and_then(|(k, _)| *k);
                entry.stamp = stamp(&content_dir.join(&relative));
                entry.read = Ok(found);
                entry.parsed = Some((key, Ok(page.clone())));
            }
            pages.push(page);
        }
        Some(pages)
    }

    /// Whether every changed path is an existing page (not a section's
    /// `_index`) that loaded without errors last time: an edit of such
    /// files may change front matter, but not which files make the site.
    pub fn known_pages(&self, root: &Path, changed: &[PathBuf]) -> bool {
        let content_dir = root.join("content");
        changed.iter().all(|path| {
            let known = relative_of(&content_dir, path)
                .and_then(|relative| self.entries.get(&relative))
                .is_some_and(|e| {
                    matches!((&e.read, &e.parsed), (Ok(f), Some((_, Ok(_)))) if !f.path.is_index)
                });
            known && path.is_file()
        })
    }

    /// Re-reads and parses the changed files, each an existing page (not
    /// a section's `_index`) that parsed without errors with the fields its
    /// section declares in `content`. Returns the new pages as parsed,
    /// before translation groups, URLs and `pages` fields are added, and
    /// keeps them for the next load. `None` when a file cannot be taken
    /// this way (unknown, unreadable, now with an error, parsed leniently
    /// because its section failed); then nothing is kept and the full load
    /// reads the files again and reports what is wrong.
    pub fn reparse_pages(
        &mut self,
        root: &Path,
        content: &Content,
        changed: &[PathBuf],
    ) -> Option<Vec<Page>> {
        let content_dir = root.join("content");
        let site = SiteDir::new(root).ok()?;
        let mut fresh: Vec<(String, Entry)> = Vec::with_capacity(changed.len());
        for path in changed {
            let relative = relative_of(&content_dir, path)?;
            let entry = self.entries.get(&relative)?;
            let (Ok(found), Some((Some(key), Ok(_)))) = (&entry.read, &entry.parsed) else {
                return None;
            };
            let decls = content.fields_of(&found.path.dir);
            if found.path.is_index || fields_key(Some(decls)) != Some(*key) {
                return None;
            }
            let full = content_dir.join(&relative);
            if !matches!(site.check(&full), Ok(true)) || !full.is_file() {
                return None;
            }
            let listed = Listed {
                full: full.clone(),
                shown: found.file.path.to_string_lossy().into_owned(),
                path: Ok(found.path.clone()),
            };
            let mut entry = read_entry(listed, stamp(&full));
            let page = match &entry.read {
                Ok(read) => parse_file(read, FileKind::Page, Some(decls)).ok()?,
                Err(_) => return None,
            };
            entry.parsed = Some((Some(*key), Ok(page)));
            fresh.push((relative, entry));
        }
        let pages = fresh
            .iter()
            .filter_map(|(_, e)| match &e.parsed {
                Some((_, Ok(page))) => Some(page.clone()),
                _ => None,
            })
            .collect();
        self.entries.extend(fresh);
        Some(pages)
    }

    /// The page a content file parsed to, before translation groups, URLs
    /// and `pages` fields were added (`file` as shown in diagnostics,
    /// `content/…`).
    pub fn parsed_page(&self, file: &Path) -> Option<&Page> {
        let key = relative_of(Path::new("content"), file)?;
        match &self.entries.get(&key)?.parsed {
            Some((_, Ok(page))) if page.file.path == file => Some(page),
            _ => None,
        }
    }

    /// Whether `path` (under `content/`) came and went between two loads:
    /// it is gone and was never read, nor anything under it (an editor's
    /// or a tool's temporary file, renamed over the file it saved). Such a
    /// path changes nothing.
    pub fn is_transient(&self, root: &Path, path: &Path) -> bool {
        let Some(relative) = relative_of(&root.join("content"), path) else {
            return false;
        };
        let prefix = format!("{relative}/");
        std::fs::symlink_metadata(path).is_err()
            && !self.entries.contains_key(&relative)
            && !self
                .entries
                .range(prefix.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// A full walk: reads new and changed files, forgets removed ones.
    fn scan(&mut self, site: &SiteDir, content_dir: &Path, config: &SiteConfig) {
        let (listed, problems) = files::list(site, content_dir, config);
        self.walk_problems = problems;
        let mut seen = BTreeSet::new();
        let fresh: Vec<(String, Entry)> = listed
            .into_par_iter()
            .filter_map(|l| {
                let relative = relative_of(content_dir, &l.full)?;
                let now = stamp(&l.full);
                if let Some(old) = self.entries.get(&relative)
                    && old.stamp == now
                {
                    return Some((relative, None));
                }
                Some((relative, Some(read_entry(l, now))))
            })
            .map(|(relative, entry)| (relative, entry))
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|(relative, entry)| {
                seen.insert(relative.clone());
                entry.map(|e| (relative, e))
            })
            .collect();
        self.entries.retain(|k, _| seen.contains(k));
        self.entries.extend(fresh);
    }

    /// Re-reads the changed files; `false` when a full walk is needed (a
    /// folder changed, or a path is not understood).
    fn update(
        &mut self,
        site: &SiteDir,
        content_dir: &Path,
        config: &SiteConfig,
        changed: &[PathBuf],
    ) -> bool {
        let content_real = std::fs::canonicalize(content_dir).unwrap_or(content_dir.into());
        for path in changed {
            let in_content = path.starts_with(content_dir) || path.starts_with(&content_real);
            if !in_content {
                continue;
            }
            let base = if path.starts_with(content_dir) {
                content_dir
            } else {
                &content_real
            };
            let Some(relative) = relative_of(base, path) else {
                return false;
            };
            if relative.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            match std::fs::symlink_metadata(path) {
                Ok(m) if m.is_dir() => return false,
                Ok(_) => {
                    let full = content_dir.join(&relative);
                    let shown = files::display_path(&site.root, &full);
                    if let Err(d) = site.check(&full) {
                        // A link out of the site: reported as the walk would.
                        self.entries.insert(
                            relative,
                            Entry {
                                stamp: (0, None),
                                read: Err(d),
                                parsed: None,
                            },
                        );
                        continue;
                    }
                    let listed = Listed {
                        full: full.clone(),
                        path: files::describe(&shown, &relative, config),
                        shown,
                    };
                    let now = stamp(&full);
                    self.entries.insert(relative, read_entry(listed, now));
                }
                Err(_) => {
                    // Removed: a file, or a whole folder.
                    let prefix = format!("{relative}/");
                    if self.entries.keys().any(|k| k.starts_with(&prefix)) {
                        return false;
                    }
                    self.entries.remove(&relative);
                }
            }
        }
        true
    }

    /// Parses what needs parsing and builds the [`Content`]: sections
    /// first, then pages against their section's fields, then the pages
    /// of data-driven sections.
    fn assemble(
        &mut self,
        site: &SiteDir,
        config: &SiteConfig,
        options: LoadOptions,
    ) -> (Content, Vec<Diagnostic>) {
        let mut diagnostics = self.walk_problems.clone();
        let (sections, failed_sections) = self.parse_sections(config);
        self.parse_pages(&sections, &failed_sections);
        let empty = self.empty_translations(config);
        let mut pages = Vec::new();
        let mut drafts = BTreeSet::new();
        let mut failed_link_keys = BTreeSet::new();
        let mut failed_pages = BTreeSet::new();
        for (key, entry) in self.entries.iter_mut() {
            match (&entry.read, &entry.parsed) {
                (Err(d), _) => diagnostics.push(d.clone()),
                (Ok(found), Some((_, Err(_)))) if empty.contains(key) => {
                    diagnostics.push(super::empty_translations::warning(&found.file));
                }
                (Ok(found), Some((_, Err(errors)))) => {
                    failed_link_keys.insert(found.path.link_key.clone());
                    failed_pages.insert((found.path.link_key.clone(), found.path.lang.clone()));
                    diagnostics.extend(errors.iter().cloned());
                }
                (Ok(_), Some((_, Ok(page)))) => {
                    if !options.drafts && page.front.draft {
                        drafts.insert(page.path.link_key.clone());
                    } else if options.once {
                        if let Some((_, Ok(page))) = entry.parsed.take() {
                            pages.push(page);
                        }
                    } else {
                        pages.push(page.clone());
                    }
                }
                (Ok(_), None) => {}
            }
        }
        let rows = data_source_pages(
            site,
            config,
            &sections,
            &pages,
            options.drafts,
            &mut diagnostics,
        );
        pages.extend(rows);
        let content = Content {
            pages,
            draft_link_keys: drafts,
            section_fields: sections.fields,
            section_layouts: sections.layouts,
            section_group_by: sections.group_by,
            failed_link_keys,
            failed_pages,
            single_language: config.languages.len() == 1,
            slugs: config.slugs,
            ..Content::default()
        };
        super::finish(content, config, diagnostics)
    }

    /// Parses the section `_index` files that need it (their `fields`
    /// decide what pages may use) and gathers their settings; also the
    /// folders whose `_index` failed to load.
    fn parse_sections(&mut self, config: &SiteConfig) -> (SectionInfo, BTreeSet<String>) {
        self.entries
            .par_iter_mut()
            .filter(|(_, e)| matches!(&e.read, Ok(f) if f.path.is_index) && e.parsed.is_none())
            .for_each(|(_, e)| {
                if let Ok(found) = &e.read {
                    e.parsed = Some((None, parse_file(found, FileKind::Section, Some(&[]))));
                }
            });
        let mut sections = SectionInfo::default();
        let mut loaded_dirs = BTreeSet::new();
        for entry in self.entries.values() {
            if let Some((_, Ok(page))) = &entry.parsed
                && page.path.is_index
            {
                sections.add(page, config);
                loaded_dirs.insert(page.path.dir.clone());
            }
        }
        sections.inherit_layouts();
        // Folders whose fields are unknown: no _index loaded, or one that
        // declares `fields:` failed (its error names the broken declaration;
        // pages using those fields must not be called wrong for it).
        let failed_sections: BTreeSet<String> = self
            .entries
            .values()
            .filter_map(|e| match (&e.read, &e.parsed) {
                (Ok(f), parsed) if f.path.is_index => Some((f, parsed)),
                _ => None,
            })
            .filter(|(f, parsed)| {
                let broken_fields =
                    matches!(parsed, Some((_, Err(_)))) && declares_fields(&f.file.text);
                !loaded_dirs.contains(&f.path.dir) || broken_fields
            })
            .map(|(f, _)| f.path.dir.clone())
            .collect();
        (sections, failed_sections)
    }

    /// Parses the pages that need it: new or changed files, and pages whose
    /// section's fields changed since they were parsed.
    /// The keys of files a CMS wrote for languages an entry is not
    /// translated into: they failed for their missing title, and are no
    /// translation ([`super::empty_translations`]).
    fn empty_translations(&self, config: &SiteConfig) -> BTreeSet<String> {
        let failed: Vec<(&str, &FoundFile)> = self
            .entries
            .iter()
            .filter_map(|(key, e)| match (&e.read, &e.parsed) {
                (Ok(found), Some((_, Err(_)))) => Some((key.as_str(), found)),
                _ => None,
            })
            .collect();
        if failed.is_empty() {
            return BTreeSet::new();
        }
        let all: Vec<&FoundFile> = self
            .entries
            .values()
            .filter_map(|e| e.read.as_ref().ok())
            .collect();
        super::empty_translations::find(&failed, &all, config)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    fn parse_pages(&mut self, sections: &SectionInfo, failed_sections: &BTreeSet<String>) {
        let keys: HashMap<String, (FieldsKey, Option<Vec<FieldDecl>>)> = self
            .entries
            .values()
            .filter_map(|e| e.read.as_ref().ok())
            .filter(|f| !f.path.is_index)
            .map(|f| f.path.dir.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|dir| {
                // A page whose section failed to load is checked leniently:
                // its fields are unknown, and the section's error says why.
                let decls = if failed_sections.contains(&dir) {
                    None
                } else {
                    Some(sections.fields.get(&dir).cloned().unwrap_or_default())
                };
                let key = fields_key(decls.as_deref());
                (dir, (key, decls))
            })
            .collect();
        self.entries
            .par_iter_mut()
            .filter(|(_, e)| matches!(&e.read, Ok(f) if !f.path.is_index))
            .for_each(|(_, e)| {
                let Ok(found) = &e.read else { return };
                let Some((key, decls)) = keys.get(&found.path.dir) else {
                    return;
                };
                if matches!(&e.parsed, Some((k, _)) if k == key) {
                    return;
                }
                e.parsed = Some((*key, parse_file(found, FileKind::Page, decls.as_deref())));
            });
    }
}

/// Whether an `_index` file's front matter has a top-level `fields:` key
/// (read from the text: the file failed to parse).
fn declares_fields(text: &str) -> bool {
    text.lines()
        .skip(1)
        .take_while(|line| line.trim_end() != "---")
        .any(|line| line.starts_with("fields:"))
}

/// The pages of data-driven sections. Each data file is read once per
/// section, through the index in the default language if there is one;
/// an index of another language naming a different file is an error.
fn data_source_pages(
    site: &SiteDir,
    config: &SiteConfig,
    sections: &SectionInfo,
    pages: &[Page],
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let mut sourced: BTreeMap<&str, &Page> = BTreeMap::new();
    for section in pages {
        if section.path.is_index && section.front.source.is_some() {
            let slot = sourced.entry(section.path.dir.as_str()).or_insert(section);
            if section.lang == config.default_language {
                *slot = section;
            }
        }
    }
    for other in pages {
        if let Some((path, span)) = &other.front.source
            && let Some(chosen) = sourced.get(other.path.dir.as_str())
            && let Some((chosen_path, _)) = &chosen.front.source
            && chosen_path != path
        {
            diagnostics.push(
                other
                    .file
                    .error(span.clone(), format!("this section's pages come from `{chosen_path}` in its `{}` index, not `{path}`", chosen.lang))
                    .with_help("name the same data file in every language's `_index`; per-language texts go in columns like `title_de`"),
            );
        }
    }
    let mut rows = Vec::new();
    for section in sourced.into_values() {
        let decls = sections
            .fields
            .get(&section.path.dir)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (more, problems) = super::source::load(site, config, section, decls, drafts);
        diagnostics.extend(problems);
        rows.extend(more);
    }
    rows
}

fn relative_of(base: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn read_entry(listed: Listed, stamp: Stamp) -> Entry {
    let read = listed
        .path
        .and_then(|path| files::read_file(&listed.full, listed.shown, path));
    Entry {
        stamp,
        read,
        parsed: None,
    }
}
