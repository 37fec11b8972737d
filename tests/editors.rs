//! What drehbuch gives editors: "Edit this page" links from `edit_url`
//! (issue 24, item 1), and `cms init`, the CMS configuration made from the
//! site's sections and fields (item 2).

mod common;

use common::TestSite;

/// A two-language site with Markdown pages (one with a numeric prefix, one
/// only in German) and a data section whose rows are pages.
fn editors_site(edit_url: Option<&str>) -> TestSite {
    let site = TestSite::empty("editors");
    let edit_url = edit_url
        .map(|u| format!("edit_url: \"{u}\"\n"))
        .unwrap_or_default();
    site.write(
        "site.yaml",
        format!(
            "title: {{de: Handbuch, en: Handbook}}\nbase_url: https://example.org/\ndefault_language: de\nlanguages:\n  - {{code: de, name: Deutsch}}\n  - {{code: en, name: English}}\nsearch: false\n{edit_url}"
        ),
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\nHallo.\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\nHello.\n")
    .write(
        "content/notes/_index.de.md",
        "---\ntitle: Notizen\n---\n",
    )
    .write("content/notes/_index.en.md", "---\ntitle: Notes\n---\n")
    .write(
        "content/notes/01-heat.de.md",
        "---\ntitle: Hitze\n---\nText.\n",
    )
    .write(
        "content/notes/01-heat.en.md",
        "---\ntitle: Heat\n---\nText.\n",
    )
    .write(
        "content/notes/regen.de.md",
        "---\ntitle: Regen\n---\nNur deutsch.\n",
    )
    .write(
        "content/actors/_index.de.md",
        "---\ntitle: Akteure\nsource: data/actors.csv\nfields:\n  - name: city\n    type: string\n    allowed: [cluj, dortmund]\n---\n",
    )
    .write(
        "content/actors/_index.en.md",
        "---\ntitle: Actors\n---\n",
    )
    .write(
        "data/actors.csv",
        "slug,title_de,title_en,city\nclujul,Clujul Sustenabil,Clujul Sustenabil,cluj\ntu,Technische Universität,Technical University,dortmund\n",
    );
    site
}

/// The `href`s of the edit links in a built page.
fn edit_links(site: &TestSite, page: &str) -> Vec<String> {
    let html = site.output(page);
    html.split("<p class=\"edit-link")
        .skip(1)
        .map(|rest| {
            let href = &rest[rest.find("href=\"").expect("the edit link has an href") + 6..];
            href[..href.find('"').unwrap()].replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn edit_links_name_the_source_file_its_language_and_the_data_row_line() {
    let site = editors_site(Some(
        "https://git.example/o/r/-/edit/main/{path}?lang={lang}&line={line}",
    ));
    site.build_ok(&[]);
    let edit = |path: &str| format!("https://git.example/o/r/-/edit/main/{path}");
    assert_eq!(
        edit_links(&site, "en/notes/heat/index.html"),
        [edit("content/notes/01-heat.en.md?lang=en&line=1")]
    );
    assert_eq!(
        edit_links(&site, "de/notes/heat/index.html"),
        [edit("content/notes/01-heat.de.md?lang=de&line=1")]
    );
    assert_eq!(
        edit_links(&site, "de/notes/index.html"),
        [edit("content/notes/_index.de.md?lang=de&line=1")]
    );
    assert_eq!(
        edit_links(&site, "en/index.html"),
        [edit("content/_index.en.md?lang=en&line=1")]
    );
    // Each data row links the data file at its own line.
    assert_eq!(
        edit_links(&site, "de/actors/clujul/index.html"),
        [edit("data/actors.csv?lang=de&line=2")]
    );
    assert_eq!(
        edit_links(&site, "en/actors/tu/index.html"),
        [edit("data/actors.csv?lang=en&line=3")]
    );
    // The link is in the page's interface language.
    assert!(
        site.output("de/notes/heat/index.html")
            .contains(">Diese Seite bearbeiten</a>")
    );
    assert!(
        site.output("en/notes/heat/index.html")
            .contains(">Edit this page</a>")
    );
    // Pages no file makes have none.
    assert!(edit_links(&site, "index.html").is_empty());
    assert!(edit_links(&site, "404.html").is_empty());
}

#[test]
fn without_edit_url_no_page_has_an_edit_link() {
    let site = editors_site(None);
    site.build_ok(&[]);
    for file in site.output_files() {
        if file.ends_with(".html") {
            assert!(
                !site.output(&file).contains("edit-link"),
                "{file} has an edit link"
            );
        }
    }
}

#[test]
fn an_unknown_placeholder_in_edit_url_is_an_error_at_its_place() {
    let site = editors_site(Some("https://git.example/edit/{file}"));
    let stderr = site.build_err();
    assert!(
        stderr.contains("site.yaml:8:37: error: unknown placeholder `{file}` in `edit_url`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: `edit_url` may use `{path}`"),
        "{stderr}"
    );
}

/// A section whose fields cover every type, beside `editors_site`'s own.
fn cms_site() -> TestSite {
    let site = editors_site(None);
    site.write(
        "content/notes/_index.de.md",
        "---\ntitle: Notizen\nfields:\n  - name: category\n    type: string\n    allowed: [green, heat]\n    required: true\n    label: {de: Kategorie, en: Category}\n  - name: cost\n    type: integer\n  - name: start\n    type: date\n  - name: related\n    type: pages\n  - name: tags\n    type: list\n  - name: website\n    type: url\n---\n",
    )
    .write(
        "content/notes/01-heat.de.md",
        "---\ntitle: Hitze\ncategory: heat\n---\nText.\n",
    )
    .write(
        "content/notes/01-heat.en.md",
        "---\ntitle: Heat\ncategory: heat\n---\nText.\n",
    )
    .write(
        "content/notes/regen.de.md",
        "---\ntitle: Regen\ncategory: green\nrelated: [01-heat]\n---\nNur deutsch.\n",
    )
    .write("i18n/de.yaml", "strings:\n  field:\n    category:\n      green: \"Stadtgrün\"\n");
    site
}

fn yaml(site: &TestSite, path: &str) -> yaml_serde::Value {
    let text = std::fs::read_to_string(site.root.join(path)).unwrap();
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"))
}

#[test]
fn cms_init_writes_one_collection_per_markdown_section_with_its_fields() {
    let site = cms_site();
    let run = site.run(&[
        "cms",
        "init",
        "--backend",
        "gitlab",
        "--repo",
        "city/handbook",
    ]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("note: actors/ is left out: its pages are rows of a data file"),
        "{}",
        run.stdout
    );
    let config = yaml(&site, "static/admin/config.yml");
    assert_eq!(config["backend"]["name"], "gitlab");
    assert_eq!(config["backend"]["repo"], "city/handbook");
    assert_eq!(config["backend"]["auth_type"], "pkce");
    assert_eq!(config["local_backend"], true);
    assert_eq!(config["media_folder"], "static/img");
    assert_eq!(config["i18n"]["structure"], "multiple_files");
    assert_eq!(config["i18n"]["default_locale"], "de");
    assert_eq!(config["i18n"]["initial_locales"], "all");
    assert_eq!(
        config["i18n"]["locales"],
        yaml_serde::from_str::<yaml_serde::Value>("[de, en]").unwrap()
    );
    let collections = config["collections"].as_sequence().unwrap();
    assert_eq!(collections.len(), 1, "{collections:?}");
    let notes = &collections[0];
    assert_eq!(notes["name"], "notes");
    assert_eq!(notes["label"], "Notizen");
    assert_eq!(notes["folder"], "content/notes");
    assert_eq!(notes["i18n"], true);
    let fields = notes["fields"].as_sequence().unwrap();
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "title",
            "description",
            "category",
            "cost",
            "start",
            "related",
            "tags",
            "website",
            "body"
        ]
    );
    let category = field("category");
    assert_eq!(category["widget"], "select");
    assert_eq!(category["label"], "Kategorie");
    assert_eq!(category["required"], true);
    assert_eq!(category["i18n"], "duplicate");
    assert_eq!(category["options"][0]["value"], "green");
    assert_eq!(category["options"][0]["label"], "Stadtgrün");
    assert_eq!(category["options"][1]["value"], "heat");
    assert_eq!(field("cost")["widget"], "number");
    assert_eq!(field("cost")["value_type"], "int");
    assert_eq!(field("cost")["required"], false);
    assert_eq!(field("start")["widget"], "datetime");
    assert_eq!(field("start")["time_format"], false);
    assert_eq!(field("related")["widget"], "relation");
    assert_eq!(field("related")["collection"], "notes");
    assert_eq!(field("related")["value_field"], "{{slug}}");
    assert_eq!(field("tags")["widget"], "list");
    assert_eq!(field("title")["i18n"], true);
    assert_eq!(field("body")["widget"], "markdown");

    let index = std::fs::read_to_string(site.root.join("static/admin/index.html")).unwrap();
    assert!(
        index.contains("<script src=\"https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js\" integrity=\"sha384-"),
        "{index}"
    );
    // The admin page is published with the site, and checks clean.
    site.build_ok(&[]);
    assert!(site.output("admin/config.yml").contains("multiple_files"));
    let check = site.run(&[
        "check",
        "--deny",
        "warnings",
        "--base-url",
        "https://handbook.klimaschutz-dortmund.de/",
    ]);
    assert!(check.success, "{}{}", check.stdout, check.stderr);
}

#[test]
fn cms_init_replaces_an_admin_folder_only_with_force_and_never_half() {
    let site = cms_site();
    site.write("static/admin/config.yml", "# mine\n");
    let run = site.run(&["cms", "init"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains(
            "static/admin: error: the site already has a static/admin/ folder; nothing was written"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    let read = |p: &str| std::fs::read_to_string(site.root.join(p)).unwrap();
    assert_eq!(read("static/admin/config.yml"), "# mine\n");
    assert!(!site.root.join("static/admin/index.html").exists());

    let run = site.run(&["cms", "init", "--force", "--script", "/vendor/decap-cms.js"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("replaced static/admin/config.yml and static/admin/index.html"),
        "{}",
        run.stdout
    );
    assert!(read("static/admin/config.yml").contains("multiple_files"));
    assert!(
        read("static/admin/index.html").contains("<script src=\"/vendor/decap-cms.js\"></script>")
    );
    // No staging or old folder is left beside it.
    let left: Vec<String> = std::fs::read_dir(site.root.join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["admin"]);
}

#[test]
fn cms_init_writes_nothing_for_a_site_with_errors() {
    let site = cms_site();
    site.write(
        "content/notes/01-heat.en.md",
        "---\ntitle: Heat\ncategory: cold\n---\n",
    );
    let run = site.run(&["cms", "init"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("content/notes/01-heat.en.md:3:"),
        "{}",
        run.stderr
    );
    assert!(!site.root.join("static").exists());
}

#[test]
fn check_warns_when_the_cms_configuration_no_longer_matches_the_site() {
    let site = cms_site();
    let run = site.run(&["cms", "init", "--repo", "city/handbook"]);
    assert!(run.success, "{}", run.stderr);
    // A field added, one removed, allowed values changed, a new section.
    let index = std::fs::read_to_string(site.root.join("content/notes/_index.de.md")).unwrap();
    site.write(
        "content/notes/_index.de.md",
        index
            .replace("allowed: [green, heat]", "allowed: [green, heat, rain]")
            .replace(
                "  - name: cost\n    type: integer\n",
                "  - name: duration\n    type: number\n",
            ),
    )
    .write(
        "content/guides/_index.de.md",
        "---\ntitle: Leitfäden\n---\n",
    )
    .write("content/guides/_index.en.md", "---\ntitle: Guides\n---\n");
    let check = site.run(&["check"]);
    let out = format!("{}{}", check.stdout, check.stderr);
    // A missing collection is reported at the `collections:` list.
    let written = std::fs::read_to_string(site.root.join("static/admin/config.yml")).unwrap();
    let list_line = written
        .lines()
        .position(|l| l == "collections:")
        .expect("a collections list")
        + 1;
    let missing_section = format!(
        "static/admin/config.yml:{list_line}:1: warning: the CMS has no collection for content/guides/, a section of the site"
    );
    for warning in [
        missing_section.as_str(),
        "warning: the allowed values of `category` in content/notes/ are green, heat, rain in the site but green, heat in the CMS",
        "warning: the CMS collection for content/notes/ has no field `duration`, which the section declares",
        "warning: the CMS collection for content/notes/ has the field `cost`, which the section no longer declares",
    ] {
        assert!(out.contains(warning), "missing {warning:?} in:\n{out}");
    }
    assert!(
        out.contains("help: run `drehbuch cms init --force`"),
        "{out}"
    );
    // Written again as the warning says, the configuration matches, and
    // the backend settings filled in by hand are kept.
    let config = std::fs::read_to_string(site.root.join("static/admin/config.yml")).unwrap();
    site.write(
        "static/admin/config.yml",
        config.replace(
            "  repo: \"city/handbook\"\n",
            "  repo: \"city/handbook\"\n  base_url: \"https://auth.city.example\"\n",
        ),
    );
    let run = site.run(&["cms", "init", "--force"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stdout.contains("kept the `backend:` settings"),
        "{}",
        run.stdout
    );
    let written = yaml(&site, "static/admin/config.yml");
    assert_eq!(written["backend"]["repo"], "city/handbook");
    assert_eq!(written["backend"]["base_url"], "https://auth.city.example");
    assert_eq!(written["local_backend"], true);
    let check = site.run(&[
        "check",
        "--deny",
        "warnings",
        "--base-url",
        "https://handbook.klimaschutz-dortmund.de/",
    ]);
    assert!(check.success, "{}{}", check.stdout, check.stderr);
}

#[test]
fn the_readme_init_writes_links_the_guide_for_editors() {
    let site = TestSite::empty("init-readme");
    let dir = site.root.join("handbook");
    let run = site.run(&["init", dir.to_str().unwrap(), "--languages", "ro,en"]);
    assert!(run.success, "{}", run.stderr);
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        readme.contains("[the guide for editors](https://github.com/drehbuch/drehbuch/blob/main/docs/editors.md)"),
        "{readme}"
    );
    // The chapter's settings are plain, as the CMS writes them, so saving
    // it unchanged there changes nothing (scripts/validate/cms).
    let chapter =
        std::fs::read_to_string(dir.join("content/chapters/01-getting-started.ro.md")).unwrap();
    assert!(
        chapter.starts_with(
            "---\ntitle: Primii pași\ndescription: Cum scrieți și publicați acest manual.\n---\n"
        ),
        "{chapter}"
    );
}

#[test]
fn init_in_a_repository_with_a_forge_remote_gives_every_page_an_edit_link() {
    let site = TestSite::empty("init-edit");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&site.root)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&[
        "remote",
        "add",
        "origin",
        "git@github.com:city/handbook.git",
    ]);
    let run = site.run(&["init", "handbook", "--languages", "ro,en", "--ci", "none"]);
    assert!(run.success, "{}", run.stderr);
    let config = std::fs::read_to_string(site.root.join("handbook/site.yaml")).unwrap();
    assert!(
        config.contains(
            "\nedit_url: \"https://github.com/city/handbook/edit/main/handbook/{path}\"\n"
        ),
        "{config}"
    );
    let run = site.run(&["build", "--root", "handbook"]);
    assert!(run.success, "{}", run.stderr);
    let page = std::fs::read_to_string(
        site.root
            .join("handbook/public/en/chapters/getting-started/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("href=\"https://github.com/city/handbook/edit/main/handbook/content/chapters/01-getting-started.en.md\""),
        "{page}"
    );
}

#[test]
fn a_page_shown_in_a_language_it_lacks_links_the_file_it_is_written_in() {
    let site = editors_site(Some("https://git.example/edit/{path}?lang={lang}"));
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}untranslated: render\n"));
    site.build_ok(&[]);
    // `regen` is only in German; its English stand-in edits the German file.
    assert_eq!(
        edit_links(&site, "en/notes/regen/index.html"),
        ["https://git.example/edit/content/notes/regen.de.md?lang=de"]
    );
}
