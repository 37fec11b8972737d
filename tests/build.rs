//! `drehbuch build` on fixture sites: the produced HTML, sitemap and files.

mod common;

use common::{TestSite, attributes};

#[test]
fn builds_pages_per_language_with_summary_line() {
    let site = TestSite::fixture("basic");
    let run = site.build_ok(&[]);
    assert!(
        run.stdout.starts_with("built 7 pages (de 4, en 3)"),
        "{}",
        run.stdout
    );
    for path in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "extra.css",
        "css/site.css",
        "de/index.html",
        "en/index.html",
        "de/karten/index.html",
        "en/notes/index.html",
        "de/karten/hitze-check/index.html",
        "en/notes/heat/index.html",
        "de/karten/starkregen/index.html",
    ] {
        assert!(
            site.output_exists(path),
            "missing {path}: {:?}",
            site.output_files()
        );
    }
}

#[test]
fn pages_carry_lang_canonical_and_reciprocal_alternates() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let de = site.output("de/karten/hitze-check/index.html");
    let en = site.output("en/notes/heat/index.html");
    assert!(de.contains("<html lang=\"de\">"));
    assert!(en.contains("<html lang=\"en\">"));
    assert!(
        de.contains("<link rel=\"canonical\" href=\"https://example.org/de/karten/hitze-check/\">")
    );
    let de_alternates = attributes(&de, "<link rel=\"alternate\" hreflang=", "href");
    let en_alternates = attributes(&en, "<link rel=\"alternate\" hreflang=", "href");
    assert_eq!(
        de_alternates, en_alternates,
        "alternates must be the same set on both translations"
    );
    assert_eq!(
        attributes(&de, "<link rel=\"alternate\" hreflang=", "hreflang"),
        ["de", "en", "x-default"]
    );
    assert!(de_alternates.contains(&"https://example.org/en/notes/heat/".to_string()));
    assert_eq!(
        de_alternates[2],
        "https://example.org/de/karten/hitze-check/"
    );
}

#[test]
fn language_switcher_links_translation_or_home_of_untranslated() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let de = site.output("de/karten/hitze-check/index.html");
    assert!(
        de.contains("<a href=\"/en/notes/heat/\" hreflang=\"en\" lang=\"en\">English</a>"),
        "{de}"
    );
    // rain exists only in German: the English entry goes to the English home
    // and says that there is no translation.
    let rain = site.output("de/karten/starkregen/index.html");
    assert!(
        rain.contains("href=\"/en/\" hreflang=\"en\" lang=\"en\" class=\"untranslated\""),
        "{rain}"
    );
    assert!(rain.contains("this page is not translated") || rain.contains("nicht übersetzt"));
    // Untranslated pages have no alternates except themselves.
    assert_eq!(
        attributes(&rain, "<link rel=\"alternate\" hreflang=", "hreflang"),
        ["de", "x-default"]
    );
}

#[test]
fn untranslated_pages_are_listed_with_only_in_mark_linking_the_original() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let listing = site.output("en/notes/index.html");
    assert!(
        listing
            .contains("href=\"/de/karten/starkregen/\" lang=\"de\" hreflang=\"de\">Starkregen</a>"),
        "{listing}"
    );
    assert!(listing.contains("only in Deutsch"));
    assert!(!site.output_exists("en/notes/rain/index.html"));
}

#[test]
fn untranslated_render_mode_renders_original_with_notice_and_canonical() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}untranslated: render\n"));
    site.build_ok(&[]);
    let stand_in = site.output("en/notes/starkregen/index.html");
    assert!(stand_in.contains("<html lang=\"en\">"));
    assert!(
        stand_in.contains("This page is not yet available in English. It is shown in Deutsch.")
    );
    // The original's texts carry its language; the interface around them
    // (labels, reading time) stays in the reader's.
    assert!(
        stand_in.contains("<div class=\"prose\" lang=\"de\">"),
        "{stand_in}"
    );
    assert!(stand_in.contains("<h1 lang=\"de\">"), "{stand_in}");
    let article = &stand_in[stand_in.find("<article").unwrap()..];
    assert!(article.starts_with("<article class=\"page\">"), "{article}");
    assert!(
        !article[..article.find('>').unwrap()].contains("lang="),
        "{article}"
    );
    assert!(
        stand_in.contains(
            "<link rel=\"canonical\" href=\"https://example.org/de/karten/starkregen/\">"
        )
    );
    assert!(attributes(&stand_in, "<link rel=\"alternate\" hreflang=", "href").is_empty());
    // A copy's `@/` links lead to the pages in the reader's language.
    site.write(
        "content/notes/verweis.de.md",
        "---\ntitle: Verweis\ncategory: heat\n---\nSiehe [Hitze](@/notes/heat.md) und [Schritte](@/notes/heat.md#schritte).\n",
    );
    site.build_ok(&[]);
    let original = site.output("de/karten/verweis/index.html");
    assert!(
        original.contains("href=\"/de/karten/hitze-check/#schritte\""),
        "{original}"
    );
    // The English page has no `#schritte`: the copy links the page.
    let copy = site.output("en/notes/verweis/index.html");
    assert!(copy.contains("href=\"/en/notes/heat/\">Hitze"), "{copy}");
    assert!(copy.contains("href=\"/en/notes/heat/\">Schritte"), "{copy}");
    let run = site.run(&["check"]);
    assert!(!run.stdout.contains("verweis"), "{}", run.stdout);
    // The original's switcher says where its English link leads: the copy.
    let original = site.output("de/karten/starkregen/index.html");
    assert!(
        original.contains("href=\"/en/notes/starkregen/\" hreflang=\"en\" lang=\"en\" class=\"untranslated\" title=\"Noch nicht übersetzt – zeigt die Seite in der Originalsprache\""),
        "{original}"
    );
    let sitemap = site.output("sitemap.xml");
    assert!(
        !sitemap.contains("en/notes/starkregen"),
        "stand-ins are not in the sitemap"
    );
}

#[test]
fn sitemap_lists_every_page_with_alternates() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let sitemap = site.output("sitemap.xml");
    assert_eq!(sitemap.matches("<url>").count(), 7);
    assert!(sitemap.contains("<loc>https://example.org/en/notes/heat/</loc>"));
    assert!(sitemap.contains("<lastmod>2026-11-27</lastmod>"));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://example.org/de/karten/hitze-check/\"/>"
    ));
    // The same set as in the page head.
    let page = site.output("en/notes/heat/index.html");
    for href in attributes(&page, "<link rel=\"alternate\" hreflang=", "href") {
        assert!(
            sitemap.contains(&format!("href=\"{href}\"")),
            "{href} missing in sitemap"
        );
    }
}

#[test]
fn root_is_a_language_chooser_and_404_exists() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let root = site.output("index.html");
    assert!(root.contains("<a href=\"/de/\" hreflang=\"de\" lang=\"de\">Deutsch</a>"));
    assert!(root.contains("<a href=\"/en/\" hreflang=\"en\" lang=\"en\">English</a>"));
    let not_found = site.output("404.html");
    assert!(not_found.contains("Seite nicht gefunden"));
    assert!(not_found.contains("Home page in English"));
}

#[test]
fn internal_links_resolve_to_the_same_language_with_anchor() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    assert!(
        site.output("de/index.html")
            .contains("href=\"/de/karten/hitze-check/#schritte\"")
    );
    assert!(
        site.output("en/index.html")
            .contains("href=\"/en/notes/heat/#steps\"")
    );
    // rain has no English version: the English page links the original.
    assert!(
        site.output("de/karten/hitze-check/index.html")
            .contains("href=\"/de/karten/starkregen/\"")
    );
}

#[test]
fn sub_path_base_url_prefixes_every_internal_url() {
    let site = TestSite::fixture("basic");
    site.build_ok(&["--base-url", "https://example.org/toolbox/"]);
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.output(file);
        for attr in ["href", "src"] {
            for (i, _) in html.match_indices(&format!(" {attr}=\"/")) {
                let value = &html[i + attr.len() + 3..];
                assert!(
                    value.starts_with("/toolbox/"),
                    "{file}: {}",
                    &value[..value.find('"').unwrap_or(0)]
                );
            }
        }
    }
    let page = site.output("de/karten/hitze-check/index.html");
    assert!(page.contains("href=\"https://example.org/toolbox/de/karten/hitze-check/\""));
}

#[test]
fn headings_get_readable_ids_and_code_is_highlighted_with_classes() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let page = site.output("de/karten/hitze-check/index.html");
    assert!(page.contains("<h2 id=\"schritte\">Schritte</h2>"));
    assert!(page.contains("<h2 id=\"groesse-der-gruppe\">Größe der Gruppe</h2>"));
    assert!(
        page.contains("<code class=\"language-rust\"><span class=\"hl-source hl-rust\">"),
        "{page}"
    );
    assert!(!page.contains("style=\""));
}

#[test]
fn dates_are_localized_per_language() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    assert!(
        site.output("de/karten/hitze-check/index.html")
            .contains("<time datetime=\"2026-11-27\">27. November 2026</time>")
    );
    assert!(
        site.output("en/notes/heat/index.html")
            .contains("<time datetime=\"2026-11-27\">November 27, 2026</time>")
    );
}

#[test]
fn builds_are_byte_identical() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let first = site.snapshot();
    site.build_ok(&[]);
    let second = site.snapshot();
    assert_eq!(first, second);
}

#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
    // Pages are rendered, written and indexed for search in parallel; the
    // result must not depend on how the work was spread. Two-page search
    // shards make several shards index side by side.
    let site = TestSite::fixture("basic");
    let mut snapshots = Vec::new();
    for threads in ["1", "2", "5"] {
        let _ = std::fs::remove_dir_all(site.root.join("public"));
        let run = site.run_with_env(
            &["build"],
            &[
                ("RAYON_NUM_THREADS", threads),
                ("DREHBUCH_SEARCH_SHARD_PAGES", "2"),
            ],
        );
        assert!(run.success, "{}{}", run.stdout, run.stderr);
        snapshots.push(site.snapshot());
    }
    assert!(
        snapshots[0]
            .iter()
            .any(|(path, _)| path.starts_with("pagefind/de/1/")),
        "the fixture has more than one German search shard"
    );
    assert_eq!(snapshots[0], snapshots[1], "1 thread and 2 threads");
    assert_eq!(snapshots[0], snapshots[2], "1 thread and 5 threads");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let before = site.output("de/index.html");
    site.write(
        "content/_index.de.md",
        "---\ntitle: Neu\nbogus: 1\n---\nNeu\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(site.output("de/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn drafts_are_built_only_on_request() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/wip.de.md",
        "---\ntitle: Entwurf\ncategory: heat\ndraft: true\n---\nText\n",
    );
    site.build_ok(&[]);
    assert!(!site.output_exists("de/karten/wip/index.html"));
    site.build_ok(&["--drafts"]);
    assert!(site.output_exists("de/karten/wip/index.html"));
}

#[test]
fn bom_and_crlf_files_build() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/notes/crlf.de.md",
        "\u{feff}---\r\ntitle: Fenster\r\ncategory: rain\r\n---\r\n## Kopf\r\n\r\nText\r\n",
    );
    site.build_ok(&[]);
    let page = site.output("de/karten/crlf/index.html");
    assert!(page.contains("<h1>Fenster</h1>"));
    assert!(page.contains("<h2 id=\"kopf\">Kopf</h2>"));
}

#[test]
fn site_templates_override_theme_templates_and_fields_are_typed() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/notes/page.html",
        "{% extends \"page.html\" %}{% block content %}<p id=\"facts\">{{ page.fields.category }}|{% if page.fields.audience %}{{ page.fields.audience | join(sep=',') }}{% endif %}|{% for r in page.links.related %}{{ r.title }}@{{ r.url }}{% endfor %}</p>{% endblock content %}",
    );
    site.build_ok(&[]);
    let page = site.output("en/notes/heat/index.html");
    assert!(
        page.contains("<p id=\"facts\">heat|schools|Starkregen@/de/karten/starkregen/</p>"),
        "{page}"
    );
}

#[test]
fn site_shortcodes_are_typed_components() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/shortcodes/note.html",
        "{% component note(text: string, level: integer = 1) %}<aside class=\"note level-{{ level }}\">{{ text }}</aside>{% endcomponent note %}",
    );
    site.write("content/notes/rain.de.md", "---\ntitle: Starkregen\ncategory: rain\n---\nVorher\n\n{{ note(text=\"Achtung\", level=2) }}\n\n`{{ note() }}` bleibt Code.\n");
    site.build_ok(&[]);
    let page = site.output("de/karten/rain/index.html");
    assert!(
        page.contains("<aside class=\"note level-2\">Achtung</aside>"),
        "{page}"
    );
    assert!(page.contains("<code>{{ note() }}</code>"));

    site.write(
        "content/notes/rain.de.md",
        "---\ntitle: Starkregen\ncategory: rain\n---\nVorher\n\n{{ note(text=3) }}\n",
    );
    let stderr = site.build_err();
    assert!(stderr.contains("content/notes/rain.de.md:7:1: error: argument `text` of `note` must be string, found integer 3"), "{stderr}");
}
