//! The typeset PDF of each print edition (a `print:` section in one
//! language), next to the edition's HTML: `/de/print/` → `/de/print.pdf`,
//! `/de/print/publikation/` → `/de/print/publikation.pdf`. The editions
//! are made from the same views the HTML print edition gets (titles,
//! facts, bodies with charts) and typeset by [`crate::pdf`] in parallel.

/// The site path of the PDF of the print edition at `print_url`.
pub fn pdf_url(print_url: &str) -> String {
    format!("{}.pdf", print_url.trim_end_matches('/'))
}

#[cfg(feature = "pdf")]
mod typeset {
    use std::collections::HashMap;

    use rayon::prelude::*;

    use super::pdf_url;
    use crate::content::derived::DerivedKind;
    use crate::content::urls::output_path;
    use crate::diagnostics::Diagnostic;
    use crate::pdf::{Edition, Part, render_edition};
    use crate::site::Site;
    use crate::templates::views::{Reads, ViewBuilder};

    /// A rendered PDF: its output path, site path, and bytes (or why it
    /// could not be made), with its warnings.
    pub(crate) struct RenderedPdf {
        /// Output path (`de/print.pdf`).
        pub(crate) path: String,
        /// Site path (`/de/print.pdf`).
        pub(crate) url: String,
        /// The PDF.
        pub(crate) bytes: Result<Vec<u8>, Vec<Diagnostic>>,
        /// Warnings found while typesetting.
        pub(crate) warnings: Vec<Diagnostic>,
    }

    impl Site {
        /// The print editions that get a PDF: index in `derived.pages` and
        /// the PDF's site path. None with `pdf: false` or `--no-pdf`.
        pub(crate) fn pdf_editions(&self) -> Vec<(usize, String)> {
            if !self.config.pdf {
                return Vec::new();
            }
            self.model
                .derived
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == DerivedKind::Print)
                .map(|(i, p)| (i, pdf_url(&p.url)))
                .collect()
        }

        /// Typesets every print edition's PDF (in parallel) into `sink`.
        /// Returns the problems found and each PDF's size by site path.
        pub(crate) fn put_pdfs(
            &self,
            sink: &dyn crate::site::OutputSink,
        ) -> (Vec<Diagnostic>, HashMap<String, u64>) {
            let _t = crate::timing::stage("PDFs");
            let mut problems = Vec::new();
            let mut sizes = HashMap::new();
            for pdf in self.render_pdfs() {
                problems.extend(pdf.warnings);
                match pdf.bytes {
                    Ok(bytes) if !bytes.is_empty() => {
                        sizes.insert(pdf.url, bytes.len() as u64);
                        if let Err(d) = sink.put(&pdf.path, bytes) {
                            problems.push(d);
                        }
                    }
                    Ok(_) => {}
                    Err(errors) => problems.extend(errors),
                }
            }
            (problems, sizes)
        }

        /// Typesets every print edition's PDF, in parallel.
        pub(crate) fn render_pdfs(&self) -> Vec<RenderedPdf> {
            let editions = self.pdf_editions();
            if editions.is_empty() {
                return Vec::new();
            }
            let views = self.views(false).recording(false);
            editions
                .par_iter()
                .map(|(index, url)| self.render_pdf(&views, *index, url))
                .collect()
        }

        /// Every print edition's data by the PDF's output path, for the
        /// preview, which typesets a PDF when it is asked for.
        pub(crate) fn pdf_edition_data(&self) -> Vec<(String, Edition)> {
            let views = self.views(false).recording(false);
            self.pdf_editions()
                .into_iter()
                .filter_map(|(index, url)| {
                    Some((output_path(&url), self.edition(&views, index, &url)?))
                })
                .collect()
        }

        /// Typesets the PDF of the print edition `derived.pages[index]`.
        pub(crate) fn render_pdf(
            &self,
            views: &ViewBuilder<'_>,
            index: usize,
            url: &str,
        ) -> RenderedPdf {
            let path = output_path(url);
            let Some(edition) = self.edition(views, index, url) else {
                return RenderedPdf {
                    path,
                    url: url.to_string(),
                    bytes: Ok(Vec::new()),
                    warnings: Vec::new(),
                };
            };
            let (bytes, warnings) = match render_edition(&edition) {
                Ok((bytes, warnings)) => (Ok(bytes), warnings),
                Err(errors) => (Err(errors), Vec::new()),
            };
            RenderedPdf {
                path,
                url: url.to_string(),
                bytes,
                warnings,
            }
        }

        /// The edition of `derived.pages[index]` as plain data.
        pub(crate) fn edition(
            &self,
            views: &ViewBuilder<'_>,
            index: usize,
            url: &str,
        ) -> Option<Edition> {
            let prepared = views.prepare(crate::site::Job::Derived(index), &Reads::off())?;
            let config = &self.config;
            let lang = prepared.lang.to_string();
            let i18n = &self.theme.i18n;
            let ui = |key: &str, fallback: &str| {
                i18n.get(&lang, key, None, &[])
                    .map(|l| l.text())
                    .unwrap_or_else(|| fallback.to_string())
            };
            let in_lang = |texts: &std::collections::BTreeMap<String, String>| {
                texts
                    .get(&lang)
                    .or_else(|| texts.get(&config.default_language))
                    .cloned()
            };
            let imprint: Vec<(String, String)> = crate::config::IMPRINT_FIELDS
                .iter()
                .filter_map(|field| {
                    Some((field.to_string(), in_lang(config.imprint.get(*field)?)?))
                })
                .collect();
            let mut imprint_labels: Vec<(String, String)> = [
                "publisher",
                "editors",
                "edition",
                "date",
                "licence",
                "funding",
            ]
            .iter()
            .map(|f| (f.to_string(), ui(&format!("print.imprint_{f}"), f)))
            .collect();
            imprint_labels.push(("source".into(), ui("print.imprint_source", "Online")));
            let pages: HashMap<String, &crate::content::Page> = self
                .model
                .content
                .pages
                .iter()
                .map(|p| (config.base_url.absolute(&p.url), p))
                .collect();
            let statics = self.static_files().0;
            let read_static = |src: &str| -> Option<Vec<u8>> {
                let rel = src
                    .strip_prefix(&config.base_url.path)
                    .or_else(|| src.strip_prefix('/'))?;
                let origin = statics.get(rel)?;
                self.theme.layers.read(origin).ok().map(|b| b.into_owned())
            };
            let mut newest: Option<String> = None;
            let parts: Vec<Part> = prepared
                .page
                .print
                .iter()
                .map(|p| {
                    let page = pages.get(&p.permalink);
                    if let Some(date) = &p.page.date
                        && newest.as_deref().is_none_or(|n| n < date.iso.as_str())
                    {
                        newest = Some(date.iso.clone());
                    }
                    let source = page.map(|pg| pg.file.path.clone()).unwrap_or_default();
                    // A one-off build lets go of the texts once they are
                    // rendered: then the file is read again, only to place
                    // warnings at their lines.
                    let source_text = page
                        .map(|pg| pg.file.text.clone())
                        .filter(|t| !t.is_empty())
                        .or_else(|| std::fs::read_to_string(self.options().root.join(&source)).ok())
                        .unwrap_or_default();
                    let images = image_sources(&p.content)
                        .into_iter()
                        .filter_map(|src| Some((src.clone(), read_static(&src)?)))
                        .collect();
                    Part {
                        source,
                        source_text,
                        lang: p.page.lang.clone(),
                        title: p.page.title.clone(),
                        number: (prepared.page.layout == Some("book"))
                            .then_some(p.page.number)
                            .flatten()
                            .map(|n| n.to_string()),
                        only_in: p.page.only_in.as_ref().map(|l| {
                            i18n.get(&lang, "only_in", None, &[("language", l.name.clone())])
                                .map(|l| l.text())
                                .unwrap_or_else(|| l.name.clone())
                        }),
                        description: p.page.description.clone(),
                        permalink: p.permalink.clone(),
                        facts: if prepared.page.layout == Some("book") {
                            Vec::new()
                        } else {
                            p.facts
                                .iter()
                                .map(|f| {
                                    (
                                        f.label.clone(),
                                        f.values.iter().map(|v| v.label.clone()).collect(),
                                    )
                                })
                                .collect()
                        },
                        tone: p
                            .facts
                            .first()
                            .and_then(|f| f.values.first())
                            .and_then(|v| v.tone)
                            .and_then(|t| u8::try_from(t).ok()),
                        html: p.content.clone(),
                        images,
                    }
                })
                .collect();
            // No edition date and no dated page: the PDF shows no date
            // (and its metadata has none) rather than a made-up one.
            let known = in_lang(config.imprint.get("date").unwrap_or(&Default::default()))
                .filter(|d| parse_date(d).is_some())
                .or(newest)
                .and_then(|iso| parse_date(&iso));
            let date = known.unwrap_or((1970, 1, 1));
            let date_text = known
                .map(|(year, month, day)| {
                    i18n.date(
                        &lang,
                        crate::content::front_matter::Date {
                            year,
                            month: u32::from(month),
                            day: u32::from(day),
                        },
                    )
                })
                .unwrap_or_default();
            let site_title = config
                .title
                .get(&lang)
                .or_else(|| config.title.get(&config.default_language))
                .cloned()
                .unwrap_or_default();
            let logo = config.logo.as_deref().and_then(|l| {
                let extension = l.rsplit('.').next()?.to_ascii_lowercase();
                Some((extension, read_static(l)?))
            });
            Some(Edition {
                title: format!("{site_title}: {}", prepared.page.title),
                section_title: prepared.page.title.clone(),
                imprint,
                imprint_labels,
                imprint_title: ui("print.imprint", "Imprint"),
                contents_title: ui("toc", "Contents"),
                date,
                date_text,
                logo,
                paper: config.paper,
                origin: config.base_url.origin.clone(),
                ident: config.base_url.absolute(url),
                parts,
                lang,
            })
        }
    }

    /// `YYYY-MM-DD` as numbers.
    fn parse_date(text: &str) -> Option<(i32, u8, u8)> {
        let mut fields = text.trim().splitn(3, '-');
        let year = fields.next()?.parse().ok()?;
        let month = fields
            .next()?
            .parse()
            .ok()
            .filter(|m| (1..=12).contains(m))?;
        let day = fields
            .next()?
            .parse()
            .ok()
            .filter(|d| (1..=31).contains(d))?;
        Some((year, month, day))
    }

    /// The `src` of every `<img>` in `html`.
    fn image_sources(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (at, _) in html.match_indices("<img ") {
            let tag = &html[at..];
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            if let Some(start) = tag.find("src=\"") {
                let value = &tag[start + 5..];
                if let Some(end) = value.find('"') {
                    out.push(html_escape::decode_html_entities(&value[..end]).into_owned());
                }
            }
        }
        out
    }
}
