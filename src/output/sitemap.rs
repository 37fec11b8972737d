//! `sitemap.xml`: every page that is its own canonical URL, with its
//! language alternates from the same translation graph as the pages.

use super::OutputFile;
use crate::config::SiteConfig;
use crate::content::Content;
use crate::markdown::escape_html;
use crate::templates::views::ViewBuilder;

/// `sitemap.xml`: every page that is its own canonical URL, with
/// `xhtml:link` alternates from the same translation graph as the pages.
pub fn sitemap(config: &SiteConfig, content: &Content, views: &ViewBuilder<'_>) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut ids: Vec<usize> = (0..content.pages.len())
        .filter(|&id| content.pages[id].stand_in_for.is_none())
        .collect();
    ids.sort_by(|&a, &b| content.pages[a].url.cmp(&content.pages[b].url));
    for id in ids {
        let page = &content.pages[id];
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_html(&config.base_url.absolute(&page.url)));
        xml.push_str("</loc>\n");
        if let Some(date) = page.front.updated.or(page.front.date) {
            xml.push_str(&format!("    <lastmod>{}</lastmod>\n", date.iso()));
        }
        let alternates = views.alternates(id);
        if alternates.len() > 2
            || alternates
                .iter()
                .any(|a| a.hreflang != "x-default" && a.hreflang != page.lang)
        {
            for alternate in alternates {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape_html(&alternate.hreflang),
                    escape_html(&alternate.href)
                ));
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
