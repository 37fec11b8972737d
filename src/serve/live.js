// drehbuch serve: live reload. Listens to the server's events; reloads the
// page after each good rebuild (keeping the reading position), swaps
// stylesheets in place when only CSS changed, and shows the build's
// problems in an overlay until the next good build. What the checks find in
// a good build (broken links and images, missing alt text, skipped heading
// levels) is listed in a small panel at the corner that never covers the
// page. Only served in preview.
(function () {
  "use strict";
  var texts = window.__drehbuch || {};
  var key = "drehbuch-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = parseInt(saved, 10) || 0;
    var restore = function () { window.scrollTo(0, y); };
    restore();
    window.addEventListener("load", restore);
  }
  function overlay() { return document.getElementById("drehbuch-overlay"); }
  function clearOverlay() { var o = overlay(); if (o) o.remove(); }
  function showOverlay(data) {
    clearOverlay();
    var o = document.createElement("div");
    o.id = "drehbuch-overlay";
    o.setAttribute("role", "alertdialog");
    o.setAttribute("aria-modal", "true");
    o.setAttribute("aria-labelledby", "drehbuch-overlay-title");
    if (texts.lang) o.setAttribute("lang", texts.lang);
    o.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#f5f5f5;font:15px/1.5 system-ui,sans-serif;padding:2rem";
    var h = document.createElement("h2");
    h.id = "drehbuch-overlay-title";
    h.style.cssText = "margin:0 0 .5rem;color:#ffb3b3;font-size:1.4rem";
    h.textContent = (texts.title || "The last change could not be built") + " (" + data.count + ")";
    var p = document.createElement("p");
    p.style.cssText = "margin:0 0 1rem";
    p.textContent = texts.hint || "Fix the problems below and save again; this page updates by itself.";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;font:14px/1.45 ui-monospace,monospace;background:#111;border:1px solid #555;padding:1rem";
    pre.setAttribute("lang", "en");
    pre.textContent = data.text;
    o.appendChild(h); o.appendChild(p); o.appendChild(pre);
    document.body.appendChild(o);
  }
  function swapStyles() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("drehbuch-reload", String(Date.now()));
      link.href = url.toString();
    });
  }
  var openKey = "drehbuch-problems-open";
  function showProblems(data) {
    var old = document.getElementById("drehbuch-problems");
    if (old) old.remove();
    var list = data.problems || [];
    if (!list.length) return;
    var panel = document.createElement("aside");
    panel.id = "drehbuch-problems";
    panel.setAttribute("aria-label", texts.problems || "Problems found by the checks");
    if (texts.lang) panel.setAttribute("lang", texts.lang);
    panel.style.cssText = "position:fixed;right:.75rem;bottom:.75rem;z-index:2147483646;max-width:min(40rem,calc(100vw - 1.5rem));max-height:50vh;overflow:auto;background:#fffbea;color:#222;border:2px solid #b7791f;border-radius:.4rem;box-shadow:0 2px 10px rgba(0,0,0,.25);font:14px/1.45 system-ui,sans-serif";
    var details = document.createElement("details");
    details.open = sessionStorage.getItem(openKey) === "1";
    details.addEventListener("toggle", function () {
      sessionStorage.setItem(openKey, details.open ? "1" : "0");
    });
    var summary = document.createElement("summary");
    summary.style.cssText = "cursor:pointer;padding:.4rem .7rem;font-weight:600";
    summary.textContent = (texts.problems || "Problems found by the checks") + ": " +
      data.errors + " \u2716 " + data.warnings + " \u26a0";
    details.appendChild(summary);
    var hint = document.createElement("p");
    hint.style.cssText = "margin:0 .7rem .4rem";
    hint.textContent = texts.problems_hint || "The page is built; fix these before publishing. This list updates when you save.";
    details.appendChild(hint);
    var ul = document.createElement("ul");
    ul.style.cssText = "margin:0;padding:0 .7rem .6rem;list-style:none";
    list.forEach(function (p) {
      var li = document.createElement("li");
      li.style.cssText = "margin:.35rem 0;border-top:1px solid #e2d3a8;padding-top:.35rem";
      var where = document.createElement("code");
      where.setAttribute("lang", "en");
      where.style.cssText = "font:13px ui-monospace,monospace;color:" + (p.severity === "error" ? "#9b1c1c" : "#7b4a00");
      where.textContent = (p.location ? p.location + ": " : "") + p.severity + ": " + p.message;
      li.appendChild(where);
      if (p.help) {
        var help = document.createElement("div");
        help.setAttribute("lang", "en");
        help.textContent = "help: " + p.help;
        li.appendChild(help);
      }
      ul.appendChild(li);
    });
    details.appendChild(ul);
    panel.appendChild(details);
    document.body.appendChild(panel);
  }
  var asked = 0;
  function loadProblems() {
    var ask = ++asked;
    fetch("/__drehbuch/problems", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (ask !== asked) return;
        showProblems(data);
        // The checks of the pages run after the reload: ask again.
        if (data.checking) setTimeout(loadProblems, 200);
      })
      .catch(function () {});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", loadProblems);
  } else {
    loadProblems();
  }
  var source = new EventSource("/__drehbuch/events");
  source.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    if (data.css && !overlay()) { swapStyles(); loadProblems(); return; }
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  source.addEventListener("errors", function (e) { showOverlay(JSON.parse(e.data)); });
})();
