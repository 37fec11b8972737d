//! `sitemap.xml`: every page that is its own canonical URL (content pages
//! and facet listing pages), with `xhtml:link` alternates from the same
//! translation graph as the pages. Above 50,000 URLs, the limit of the
//! sitemap protocol, `sitemap.xml` becomes a sitemap index of
//! `sitemap-1.xml`, `sitemap-2.xml`, … with at most 50,000 URLs each.

use super::OutputFile;
use crate::config::SiteConfig;
use crate::content::derived::{Derived, DerivedKind};
use crate::content::{Content, pairing};
use crate::text::escape_html;

/// URLs per sitemap file, as the sitemap protocol allows at most.
pub(crate) const MAX_URLS: usize = 50_000;

/// One `<url>` entry: site path, last modification, alternates.
struct Entry {
    path: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
}

/// The sitemap file(s) of the site.
pub(crate) fn files(config: &SiteConfig, content: &Content, derived: &Derived) -> Vec<OutputFile> {
    let mut entries: Vec<Entry> = content
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.stand_in_for.is_none())
        .map(|(id, page)| Entry {
            path: page.url.clone(),
            lastmod: match page.front.updated.or(page.front.date) {
                Some(date) => Some(date.iso()),
                // Else the file's last commit, if git knows it.
                None => content
                    .last_change(id)
                    .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
            },
            alternates: pairing::alternates(content, config, id),
        })
        .collect();
    for page in &derived.pages {
        if matches!(page.kind, DerivedKind::Print | DerivedKind::Search) {
            continue;
        }
        let urls = derived.urls_of(content, page);
        let mut alternates: Vec<(String, String)> = Vec::new();
        if !content.single_language {
            alternates = config
                .languages
                .iter()
                .filter_map(|l| urls.get(&l.code).map(|u| (l.code.clone(), u.clone())))
                .collect();
            if let Some(default) = urls.get(&config.default_language) {
                alternates.push(("x-default".into(), default.clone()));
            }
        }
        entries.push(Entry {
            path: page.url.clone(),
            lastmod: None,
            alternates,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    if entries.len() <= MAX_URLS {
        return vec![OutputFile {
            path: "sitemap.xml".into(),
            bytes: urlset(config, &entries).into_bytes(),
        }];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in entries.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape_html(&config.base_url.absolute(&format!("/{name}")))
        ));
        out.push(OutputFile {
            path: name,
            bytes: urlset(config, chunk).into_bytes(),
        });
    }
    index.push_str("</sitemapindex>\n");
    out.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    out
}

fn urlset(config: &SiteConfig, entries: &[Entry]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for entry in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_html(&config.base_url.absolute(&entry.path)));
        xml.push_str("</loc>\n");
        if let Some(date) = &entry.lastmod {
            xml.push_str(&format!("    <lastmod>{date}</lastmod>\n"));
        }
        for (hreflang, path) in &entry.alternates {
            xml.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                escape_html(hreflang),
                escape_html(&config.base_url.absolute(path))
            ));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
