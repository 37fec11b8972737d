//! `drehbuch serve` (issue 9): the real binary on an ephemeral port, real
//! HTTP over TCP. Tests wait for the server's reload events, never for a
//! fixed time, and compare the preview byte for byte with a full build.
//! What the preview accepts (issue 19): host names, methods, limits of
//! size, time and connections; tests/serve_load.rs puts it under load.

mod common;
mod serve_common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use common::TestSite;
use serve_common::*;

#[test]
fn pages_assets_types_redirects_and_404() {
    let site = TestSite::fixture("basic");
    site.write("static/files/report.pdf", "%PDF-1.4");
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let server = Server::start(&site);
    let home = server.get("/de/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(
        home.text().contains("/__drehbuch/live.js"),
        "live reload only in serve"
    );
    for (path, kind) in [
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/js/card-filter.js", "text/javascript; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
        ("/files/report.pdf", "application/pdf"),
        ("/img/logo.svg", "image/svg+xml"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(kind), "{path}");
    }
    let redirect = server.get("/de");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/de/"));
    let missing = server.get("/de/nothing-here/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("not-found"),
        "the site's own 404 page"
    );
    let head = server.request("HEAD", "/de/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("content-length").is_some());
    // Percent-encoded paths are decoded.
    assert_eq!(server.get("/de/karten/hitze%2Dcheck/").status, 200);
    // Nothing outside the site is reachable.
    for attack in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/de/..%2f..%2fsite.yaml",
        "/..\\..\\site.yaml",
        "/%00",
        "//etc/passwd",
        "/site.yaml",
        "/content/notes/heat.de.md",
    ] {
        let reply = server.get(attack);
        assert_eq!(reply.status, 404, "{attack}");
        assert!(!reply.text().contains("root:"), "{attack}");
        assert!(!reply.text().contains("base_url"), "{attack}");
    }
}

#[cfg(unix)]
#[test]
fn static_symlinks_out_of_the_site_are_never_served() {
    let site = TestSite::fixture("basic");
    let outside =
        std::env::temp_dir().join(format!("drehbuch-serve-secret-{}", std::process::id()));
    fs::write(&outside, "secret").unwrap();
    std::os::unix::fs::symlink(&outside, site.root.join("static/secret.txt")).unwrap();
    let server = Server::start(&site);
    let reply = server.get("/secret.txt");
    assert_eq!(reply.status, 404);
    assert!(!reply.text().contains("secret"));
    let _ = fs::remove_file(&outside);
}

#[test]
fn many_clients_do_not_block_each_other() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    // Several open event streams and a client that never finishes its request.
    let _streams: Vec<Events> = (0..8).map(|_| server.events()).collect();
    let mut stalled = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stalled
        .write_all(b"GET /de/ HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(server.get("/en/").status, 200);
    }
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn edits_reload_errors_show_an_overlay_and_the_preview_equals_a_build() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);

    // 1. Edit a page's body.
    let mut events = server.events();
    let heat = fs::read_to_string(site.root.join("content/notes/heat.en.md")).unwrap();
    site.write(
        "content/notes/heat.en.md",
        heat.replace("## Steps", "Measured twice.\n\n## Steps"),
    );
    events.until(|name, _| name == "reload");
    assert!(
        server
            .get("/en/notes/heat/")
            .text()
            .contains("Measured twice.")
    );

    // 2. A new title shows in the listing and in the translation's switcher page.
    let mut events = server.events();
    let heat = fs::read_to_string(site.root.join("content/notes/heat.en.md")).unwrap();
    site.write(
        "content/notes/heat.en.md",
        heat.replace("title: Heat check", "title: Heat audit"),
    );
    events.until(|name, _| name == "reload");
    assert!(server.get("/en/notes/").text().contains("Heat audit"));

    // 3. Break a file: an overlay with path:line, the server keeps running.
    let mut events = server.events();
    site.write(
        "content/notes/broken.de.md",
        "---\ntitle: Kaputt\ncategory: heat\ncolour: red\n---\n",
    );
    let (_, data) = events.until(|name, _| name == "errors");
    assert!(
        data.contains("content/notes/broken.de.md:4:1: error: unknown front matter key `colour`"),
        "{data}"
    );
    assert_eq!(
        server.get("/de/").status,
        200,
        "the last good site is still served"
    );
    // A browser that connects now sees the problems at once.
    let mut late = server.events();
    let (name, _) = late.next();
    assert_eq!(name, "errors");

    // 4. Fix it: the page appears.
    let mut events = server.events();
    // A new connection first gets the problems that are still current.
    assert_eq!(events.next().0, "errors");
    site.write(
        "content/notes/broken.de.md",
        "---\ntitle: Repariert\ncategory: heat\n---\nGut.\n",
    );
    events.until(|name, _| name == "reload");
    assert!(server.get("/de/karten/broken/").text().contains("Gut."));

    // 5. A new translation and a rename, at once; then a draft and a deletion.
    let mut events = server.events();
    site.write(
        "content/notes/rain.en.md",
        "---\ntitle: Heavy rain\ncategory: rain\n---\nWet.\n",
    );
    fs::rename(
        site.root.join("content/notes/broken.de.md"),
        site.root.join("content/notes/fixed.de.md"),
    )
    .unwrap();
    events.settle(|| {
        server.get("/de/karten/broken/").status == 404
            && server.get("/de/karten/fixed/").status == 200
            && server.get("/en/notes/rain/").status == 200
    });

    let mut events = server.events();
    let rain = fs::read_to_string(site.root.join("content/notes/rain.de.md")).unwrap();
    site.write(
        "content/notes/rain.de.md",
        rain.replacen("---\n", "---\ndraft: true\n", 1),
    );
    site.remove("content/notes/heat.en.md");
    // The English home linked an anchor of the English page.
    site.write("content/_index.en.md", "---\ntitle: Home\n---\nWelcome.\n");
    // A draft is not served; a deleted page is gone.
    events.settle(|| {
        server.get("/de/karten/starkregen/").status == 404
            && server.get("/en/notes/heat/").status == 404
            && server.get("/en/").status == 200
    });

    // 6. A template and a UI string.
    let mut events = server.events();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ t(key=\"note.hint\") }}</p>{{ page.content | safe }}{% endblock content %}",
    );
    site.write(
        "i18n/en.yaml",
        format!(
            "{}  note:\n    hint: Hint\n",
            fs::read_to_string(site.root.join("i18n/en.yaml")).unwrap()
        ),
    );
    site.write(
        "i18n/de.yaml",
        format!(
            "{}  note:\n    hint: Hinweis\n",
            fs::read_to_string(site.root.join("i18n/de.yaml")).unwrap()
        ),
    );
    events.until(|name, _| name == "reload");
    events.settle(|| {
        server
            .get("/de/karten/fixed/")
            .text()
            .contains("<p class=\"custom\">Hinweis</p>")
    });

    // 7. Only CSS: the browser swaps the stylesheet without reloading.
    let mut events = server.events();
    site.write("static/extra.css", "p { color: teal }");
    let (_, data) = events.until(|name, _| name == "reload");
    assert_eq!(data, "{\"css\":true}");
    assert_eq!(server.get("/extra.css").text(), "p { color: teal }");

    // 8. A data-driven section: its rows appear, and an edit of the data
    //    file shows on the row's page and in the listing.
    let mut events = server.events();
    site.write("data/people.csv", "slug,title_de,title_en\nada,Ada,Ada\n");
    for (lang, title) in [("de", "Leute"), ("en", "People")] {
        site.write(
            &format!("content/people/_index.{lang}.md"),
            format!("---\ntitle: {title}\nsource: data/people.csv\n---\n"),
        );
    }
    events.settle(|| server.get("/en/people/ada/").text().contains("Ada"));
    let mut events = server.events();
    site.write(
        "data/people.csv",
        "slug,title_de,title_en\nada,Ada Lovelace,Ada Lovelace\nbob,Bob,Bob\n",
    );
    events.settle(|| {
        server
            .get("/en/people/ada/")
            .text()
            .contains("Ada Lovelace")
            && server.get("/de/people/").text().contains("Bob")
    });

    // 9. What a page shows from other files: a site shortcode's template,
    //    and a chart that counts the pages of a section; then a static
    //    file added while serving.
    let mut events = server.events();
    site.write(
        "templates/shortcodes/box.html",
        "{% component box(text: string) %}<aside class=\"box\">{{ text }}</aside>{% endcomponent box %}",
    );
    site.write(
        "content/notes/chart.en.md",
        "---\ntitle: Chart\ncategory: heat\n---\n{{ box(text=\"hi\") }}\n\n{{ field_chart(section=\"notes\", field=\"category\") }}\n",
    );
    events.settle(|| {
        server
            .get("/en/notes/chart/")
            .text()
            .contains("<aside class=\"box\">hi</aside>")
    });
    let mut events = server.events();
    site.write(
        "templates/shortcodes/box.html",
        "{% component box(text: string) %}<aside class=\"box v2\">{{ text }}</aside>{% endcomponent box %}",
    );
    events.settle(|| server.get("/en/notes/chart/").text().contains("box v2"));
    let counted = server.get("/en/notes/chart/").text();
    let mut events = server.events();
    site.write(
        "content/notes/more.en.md",
        "---\ntitle: More heat\ncategory: heat\n---\nMore.\n",
    );
    events.settle(|| {
        server.get("/en/notes/more-heat/").status == 200
            || server.get("/en/notes/more/").status == 200
    });
    assert_ne!(
        server.get("/en/notes/chart/").text(),
        counted,
        "the chart counts the new page"
    );
    let mut events = server.events();
    site.write("static/late.txt", "late");
    events.settle(|| server.get("/late.txt").status == 200);

    // The preview equals a full build of the same input with its base URL.
    assert!(preview_equals_build(&site, &server) > 10);
}

/// Builds the site with the preview's base URL and compares every file
/// of the build with what the preview serves at its path. Returns how
/// many files were compared.
fn preview_equals_build(site: &TestSite, server: &Server) -> usize {
    let out = site.root.with_extension("build");
    let _ = fs::remove_dir_all(&out);
    let run = site.run(&[
        "build",
        "--base-url",
        &format!("http://127.0.0.1:{}/", server.port),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(run.success, "{}", run.stderr);
    let mut compared = 0;
    for file in walk(&out) {
        let relative = file
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative == ".drehbuch-output" {
            continue;
        }
        let built = fs::read(&file).unwrap();
        let path = format!("/{relative}");
        let served = server.get(&path);
        assert_eq!(served.status, 200, "{path}");
        if relative.ends_with(".html") {
            assert_eq!(
                without_live_reload(&served.text()),
                String::from_utf8(built).unwrap(),
                "{path} differs from the build"
            );
        } else {
            assert_eq!(served.body, built, "{path} differs from the build");
        }
        compared += 1;
    }
    let _ = fs::remove_dir_all(&out);
    compared
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Issue 19, finding 6 (the preview's part): `/pagefinder.txt` was 404 in
/// the preview and published by a build, because every path starting
/// with `pagefind` was taken for the search bundle. Preview and build
/// serve the same files.
#[test]
fn static_files_named_like_the_search_bundle_are_served_as_in_a_build() {
    let site = new_site();
    site.write("static/pagefinder.txt", "finder");
    site.write("static/pagefind-notes/a.txt", "notes");
    let server = Server::start(&site);
    assert_eq!(server.get("/pagefinder.txt").text(), "finder");
    assert_eq!(server.get("/pagefind-notes/a.txt").text(), "notes");
    // The search bundle itself is there when drehbuch has search.
    let bundle = if cfg!(feature = "search") { 200 } else { 404 };
    assert_eq!(server.get("/pagefind/shards.json").status, bundle);
    assert!(preview_equals_build(&site, &server) > 5);
}

/// Issue 19, finding 6: the preview publishes hidden static files exactly
/// as a build does: never `.env`, always `.well-known/`, and what
/// `publish_hidden` lists.
#[test]
fn hidden_static_files_are_served_exactly_as_a_build_publishes_them() {
    let site = new_site();
    site.write("static/.env", "SECRET=1");
    site.write("static/.git/config", "[remote]");
    site.write("static/.well-known/security.txt", "Contact: x");
    site.write("static/.htaccess", "Deny from all");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{yaml}\npublish_hidden: [\".htaccess\"]\n"),
    );
    let server = Server::start(&site);
    assert_eq!(server.get("/.env").status, 404);
    assert_eq!(server.get("/.git/config").status, 404);
    assert_eq!(server.get("/.well-known/security.txt").text(), "Contact: x");
    assert_eq!(server.get("/.htaccess").text(), "Deny from all");
    assert!(preview_equals_build(&site, &server) > 5);
}

/// Issue 19, finding 8: a web page whose own host name resolves to
/// 127.0.0.1 (DNS rebinding) must not read the preview through the
/// editor's browser. Only this computer's names, IP addresses and the
/// names given with `--allowed-host` are served; others get a page that
/// says why and how to allow the name.
#[test]
fn only_local_names_addresses_and_allowed_hosts_are_served() {
    let site = new_site();
    let server = Server::start_with(
        &site,
        Start {
            args: &[
                "--allowed-host",
                "preview.test",
                "--allowed-host",
                ".team.test",
            ],
            ..Start::default()
        },
    );
    let port = server.port;
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        "LocalHost".into(),
        "localhost.".into(),
        "app.localhost".into(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "192.168.1.20".into(),
        "preview.test".into(),
        "Preview.Test:80".into(),
        "team.test".into(),
        "docs.team.test".into(),
    ] {
        let reply = server.request_for_host("GET", "/", &host);
        assert_eq!(reply.status, 200, "{host}");
        assert!(reply.text().contains("My handbook"), "{host}");
    }
    for host in [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        "localhost.attacker.example".into(),
        "preview.test.attacker.example".into(),
        "evilteam.test".into(),
        "127.0.0.1.nip.io".into(),
    ] {
        let reply = server.request_for_host("GET", "/", &host);
        assert_eq!(reply.status, 403, "{host}");
        let text = reply.text();
        assert!(!text.contains("My handbook"), "{host}: {text}");
        let name = host.split(':').next().unwrap().to_ascii_lowercase();
        assert!(
            text.contains(&format!("--allowed-host {name}")),
            "{host}: {text}"
        );
        assert!(text.contains("DNS rebinding"), "{text}");
    }
    // HEAD gets the status alone; live reload is refused alike.
    let head = server.request_for_host("HEAD", "/chapters/", "attacker.example");
    assert_eq!(head.status, 403);
    assert!(head.body.is_empty());
    let events = server.request_for_host("GET", "/__drehbuch/events", "attacker.example");
    assert_eq!(events.status, 403);
    // A missing, repeated or malformed Host header is a bad request ...
    for raw in [
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: <script>\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: \r\n\r\n",
    ] {
        let reply = server.exchange(raw.as_bytes()).expect("an answer");
        assert_eq!(reply.status, 400, "{raw:?}");
        assert!(!reply.text().contains("My handbook"), "{raw:?}");
        assert!(!reply.text().contains("<script>"), "{raw:?}");
    }
    // ... except in HTTP/1.0, which has no Host header.
    let old = server
        .exchange(b"GET / HTTP/1.0\r\n\r\n")
        .expect("an answer");
    assert_eq!(old.status, 200);
    // The terminal says it once per name (waiting for the line to arrive;
    // the repeats came before it).
    let stderr = server.stderr_when(|s| s.contains("--allowed-host attacker.example"));
    assert_eq!(
        stderr.matches("--allowed-host attacker.example").count(),
        1,
        "{stderr}"
    );
    // A name that is no host name is refused at the start.
    let run = site.run(&["serve", "--port", "0", "--allowed-host", "a/b"]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("error: --allowed-host `a/b`"),
        "{}",
        run.stderr
    );
}

/// Issue 19, finding 9: the preview only reads; every other method gets
/// 405 with the methods it takes.
#[test]
fn only_get_and_head_are_answered() {
    let site = new_site();
    let server = Server::start(&site);
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "BREW", "get",
    ] {
        let reply = server.request(method, "/");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{method}");
        assert!(!reply.text().contains("My handbook"), "{method}");
    }
    let post = server
        .exchange(b"POST /chapters/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nfile=x\n")
        .expect("an answer");
    assert_eq!(post.status, 405);
    assert_eq!(server.get("/").status, 200);
    let head = server.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

/// Issue 19, finding 10: with `ulimit -n 256`, 300 connections made the
/// HTTP library's accept thread panic, and the preview never answered
/// again while still saying "serving". Connections beyond what the
/// file handles allow get 503 now, and the preview serves again once
/// they are gone.
#[cfg(unix)]
#[test]
fn running_out_of_file_handles_never_stops_the_preview() {
    let site = new_site();
    let mut server = Server::start_with(
        &site,
        Start {
            open_files: Some(256),
            ..Start::default()
        },
    );
    let held: Vec<TcpStream> = (0..300).map(|_| server.connect()).collect();
    // Connections are taken in order, so when this one is answered, every
    // held one has a place or has been told that the preview is busy.
    let busy = server.get("/");
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.header("retry-after"), Some("1"));
    let (mut refused, mut waiting) = (0, 0);
    for mut stream in &held {
        stream.set_nonblocking(true).unwrap();
        let mut start = [0u8; 12];
        match stream.read(&mut start) {
            Ok(n) if start[..n].starts_with(b"HTTP/1.1 503") => refused += 1,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => waiting += 1,
            other => panic!("{other:?}: {}", String::from_utf8_lossy(&start)),
        }
    }
    assert!(
        refused > 0 && waiting > 0,
        "{refused} refused, {waiting} waiting"
    );
    assert_eq!(refused + waiting, 300);
    drop(held);
    let started = Instant::now();
    loop {
        let reply = server.get("/");
        if reply.status == 200 {
            break;
        }
        assert_eq!(reply.status, 503);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the preview stays busy"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}

/// Issue 19, finding 11: a 1,000 MB header line took 1.58 GB of memory,
/// and half-sent requests held a thread each forever. The request line,
/// each header line, the whole header and the time to send it are
/// limited now.
#[test]
fn oversized_and_slow_requests_are_cut_off() {
    let site = new_site();
    let server = Server::start(&site);
    std::thread::scope(|scope| {
        // A head that never ends: 408 when time is up (ten seconds).
        let slow = scope.spawn(|| {
            let mut stream = server.connect();
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nAccept: te")
                .unwrap();
            Reply::parse(&read_all(&mut stream))
        });
        // A connection that never sends anything is closed, unanswered.
        let silent = scope.spawn(|| read_all(&mut server.connect()));

        let line = format!(
            "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "a".repeat(100_000)
        );
        assert_eq!(server.exchange(line.as_bytes()).unwrap().status, 414);
        let header = format!(
            "GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: {}\r\n\r\n",
            "b".repeat(100_000)
        );
        assert_eq!(server.exchange(header.as_bytes()).unwrap().status, 431);
        let many = format!(
            "GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
            "X-A: 1\r\n".repeat(5_000)
        );
        assert_eq!(server.exchange(many.as_bytes()).unwrap().status, 431);

        // A header line without end, up to 256 MB: answered and closed
        // long before it is sent, and the server's memory does not grow
        // with it.
        #[cfg(target_os = "linux")]
        let peak_before = proc_status_kb(server.child.id(), "VmHWM");
        let (reply, sent) = server.endless_header(256 << 20);
        assert_eq!(reply.expect("an answer").status, 431);
        assert!(
            sent < 64 << 20,
            "the server read {sent} bytes of one header"
        );
        #[cfg(target_os = "linux")]
        {
            let peak = proc_status_kb(server.child.id(), "VmHWM");
            assert!(
                peak < peak_before + 32 * 1024,
                "peak memory grew from {peak_before} kB to {peak} kB"
            );
        }

        let slow = slow.join().unwrap().expect("an answer to the slow client");
        assert_eq!(slow.status, 408);
        assert!(silent.join().unwrap().is_empty());
    });
    assert_eq!(server.get("/").status, 200);
}

/// Issue 19, finding 12: `--bind 0.0.0.0` printed `http://127.0.0.1:…`
/// and nothing else. It names the address it listens on and warns that
/// other machines can open the preview, drafts included.
#[test]
fn binding_every_interface_names_the_address_and_warns() {
    let site = new_site();
    let server = Server::start_with(
        &site,
        Start {
            args: &["--bind", "0.0.0.0", "--drafts"],
            ..Start::default()
        },
    );
    // Startup messages are written before the line with the address.
    let started = Instant::now();
    while !server.stderr().contains("warning:") && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let stderr = server.stderr();
    assert!(
        stderr.contains(&format!("listening on 0.0.0.0:{}", server.port)),
        "{stderr}"
    );
    assert!(stderr.contains("drafts included"), "{stderr}");
    assert!(stderr.contains("other machines"), "{stderr}");
    assert_eq!(server.get("/").status, 200);

    let local = Server::start(&site);
    assert_eq!(local.get("/").status, 200);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !local.stderr().contains("other machines"),
        "{}",
        local.stderr()
    );
}

/// The preview's private socket lives in a folder of its own in the
/// temporary folder while it runs; Ctrl-C or `SIGTERM` remove it.
#[cfg(unix)]
#[test]
fn stopping_the_preview_leaves_nothing_behind() {
    let site = new_site();
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let mut server = Server::start(&site);
        let pid = server.child.id();
        let leftovers = || {
            fs::read_dir(std::env::temp_dir())
                .unwrap()
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .starts_with(&format!("drehbuch-serve-{pid}-"))
                })
                .count()
        };
        assert_eq!(leftovers(), 1, "the private folder exists while serving");
        // SAFETY: kill(2) with the id of a child this test started.
        unsafe { libc::kill(pid as libc::pid_t, signal) };
        let status = server.child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(signal), "ended by the signal");
        assert_eq!(leftovers(), 0, "signal {signal}");
    }
}

/// When the preview can no longer answer (here its private socket was
/// deleted, as a cleaner of the temporary folder might), it says so and
/// exits with status 1 instead of printing "serving" while nothing
/// answers (issue 19, finding 10).
#[cfg(unix)]
#[test]
fn a_preview_that_cannot_answer_says_so_and_exits() {
    let site = new_site();
    let mut server = Server::start(&site);
    assert_eq!(server.get("/").status, 200);
    let pid = server.child.id();
    let folder = fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("drehbuch-serve-{pid}-"))
        })
        .expect("the private folder")
        .path();
    fs::remove_dir_all(&folder).unwrap();
    let mut stream = server.connect();
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert!(read_all(&mut stream).is_empty(), "no answer");
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    // The thread that reads stderr may still be taking the last line.
    let started = Instant::now();
    while !server.stderr().contains("error:") && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let stderr = server.stderr();
    assert!(
        stderr.contains("error: the preview's HTTP server cannot be reached at")
            && stderr.contains("start drehbuch serve again"),
        "{stderr}"
    );
}

/// Polls the panel until the checks are done and `holds` is true for it (or 20 s pass): the time
/// it took, and what the panel showed last.
fn poll_panel(server: &Server, holds: impl Fn(&[String]) -> bool) -> (Duration, Vec<String>) {
    let started = Instant::now();
    loop {
        let (checking, shown) = server.problems_panel();
        if (!checking && holds(&shown)) || started.elapsed() > Duration::from_secs(20) {
            return (started.elapsed(), shown);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn the_preview_panel_shows_what_check_finds_in_the_output_and_clears_it_when_fixed() {
    let site = TestSite::empty("serve-panel");
    site.write(
        "site.yaml",
        "title: Book\nbase_url: https://example.org/\ndefault_language: en\nlanguages:\n  - {code: en, name: English}\nsearch: false\nfeeds: false\n",
    );
    site.write("content/_index.en.md", "---\ntitle: Home\n---\nHi.\n");
    site.write("content/notes/_index.en.md", "---\ntitle: Notes\n---\n");
    let clean = "---\ntitle: Walk\n---\nA walk.\n\n## Route\n\n![The route](/img/route.svg)\n";
    site.write("content/notes/walk.en.md", clean);
    site.write(
        "static/img/route.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let server = Server::start(&site);
    let (_, shown) = poll_panel(&server, |_| true);
    assert!(
        !shown.iter().any(|p| p.contains("walk.en.md")),
        "{shown:#?}"
    );

    // A broken image, an image without alt text, a broken plain link, a
    // heading that skips a level and raw HTML without alt: the page
    // still reloads (no overlay), and the panel lists each at its place.
    let mut events = server.events();
    site.write(
        "content/notes/walk.en.md",
        "---\ntitle: Walk\n---\nA walk.\n\n## Route\n\n![The sensor](/img/sensor.svg)\n\n![](/img/route.svg)\n\nSee [the map](/nowhere/).\n\n##### Deep\n\n<img src=\"/img/route.svg\">\n",
    );
    let saved = Instant::now();
    events.until(|name, _| name == "reload");
    let (_, shown) = poll_panel(&server, |shown| {
        shown.iter().any(|p| p.contains("sensor.svg"))
    });
    let appeared = saved.elapsed();
    let expected = [
        "content/notes/walk.en.md:8:15 error: broken link in the generated page: /img/sensor.svg does not exist",
        "content/notes/walk.en.md:10:1 error: image without alt text",
        "content/notes/walk.en.md:12:15 error: broken link in the generated page: /nowhere/ does not exist",
        "content/notes/walk.en.md:14:1 warning: heading level 5 follows level 2: “Deep” skips a level",
        "content/notes/walk.en.md:16:11 error: image without alt text: /img/route.svg",
    ];
    for line in expected {
        assert!(shown.iter().any(|p| p == line), "{line} not in {shown:#?}");
    }
    eprintln!("the broken image appeared in the panel {appeared:?} after saving");
    assert!(
        server.get("/notes/walk/").text().contains("Deep"),
        "the page itself is served, with the edit"
    );

    // Fixed: the panel clears.
    let mut events = server.events();
    site.write("content/notes/walk.en.md", clean);
    events.until(|name, _| name == "reload");
    let (_, shown) = poll_panel(&server, |shown| {
        !shown.iter().any(|p| p.contains("walk.en.md"))
    });
    assert!(
        !shown.iter().any(|p| p.contains("walk.en.md")),
        "{shown:#?}"
    );
}

/// The text of a PDF (poppler's pdftotext); `None` when it is not
/// installed outside CI.
#[cfg(feature = "pdf")]
fn pdf_text(bytes: &[u8], name: &str) -> Option<String> {
    let path =
        std::env::temp_dir().join(format!("drehbuch-serve-{}-{name}.pdf", std::process::id()));
    fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output();
    let _ = fs::remove_file(&path);
    match out {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI needs pdftotext (poppler-utils)")
        }
        Err(_) => None,
    }
}

#[cfg(feature = "pdf")]
#[test]
fn a_pdf_asked_for_right_after_a_save_has_the_saved_text() {
    // The preview takes the print editions' data after the reload; a PDF
    // asked for as soon as the browser reloads must not be made of the
    // text before the save.
    let site = TestSite::empty("serve-pdf");
    site.write(
        "site.yaml",
        "title: Buch\nbase_url: https://example.org/\ndefault_language: de\n\
         languages:\n  - {code: de, name: Deutsch}\nprint: [notes]\nsearch: false\n",
    )
    .write("content/_index.de.md", "---\ntitle: Start\n---\n")
    .write("content/notes/_index.de.md", "---\ntitle: Notizen\n---\n")
    .write(
        "content/notes/a.de.md",
        "---\ntitle: Anfang\n---\nErster Text.\n",
    );
    // Enough pages that taking the editions' data takes a while.
    for n in 0..300 {
        site.write(
            &format!("content/notes/n{n:03}.de.md"),
            format!(
                "---\ntitle: Notiz {n}\n---\nText der Notiz {n}, mit [einem Link](@/notes/a.md).\n"
            ),
        );
    }
    let server = Server::start(&site);
    let first = server.get("/print.pdf");
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), Some("application/pdf"));
    let Some(text) = pdf_text(&first.body, "first") else {
        return;
    };
    assert!(text.contains("Erster Text."), "{text}");
    let mut events = server.events();
    for n in 1..=3 {
        site.write(
            "content/notes/a.de.md",
            format!("---\ntitle: Anfang\n---\nFassung {n} des Textes.\n"),
        );
        events.until(|name, _| name == "reload");
        let pdf = server.get("/print.pdf");
        assert_eq!(pdf.status, 200);
        let text = pdf_text(&pdf.body, "edited").unwrap();
        assert!(text.contains(&format!("Fassung {n} des Textes.")), "{text}");
    }
}
