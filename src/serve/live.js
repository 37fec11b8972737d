// drehbuch serve: live reload. Listens to the server's events; reloads the
// page after each good rebuild (keeping the reading position), swaps
// stylesheets in place when only CSS changed, and shows the build's
// problems in an overlay until the next good build. Only served in preview.
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
  var source = new EventSource("/__drehbuch/events");
  source.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    if (data.css && !overlay()) { swapStyles(); return; }
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  source.addEventListener("errors", function (e) { showOverlay(JSON.parse(e.data)); });
})();
