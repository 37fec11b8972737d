// Search for the built-in theme: shows the header search field, and on
// the search page runs queries against the Pagefind index that
// `drehbuch build` writes to <site>/pagefind/: one index per language of
// the page's <html lang> (pagefind/<lang>/0/), split into shards on large
// sites (pagefind/<lang>/1/, …, listed in pagefind/shards.json) that are
// merged here. Every language searches its own pages.
// Opened from a file (file://), the index cannot be loaded: a note says so.
(function () {
  "use strict";
  // Loaded by base.html and by the search page: run once.
  if (window.drehbuchSearch) return;
  window.drehbuchSearch = true;
  var script = document.currentScript;
  var onFile = location.protocol === "file:";
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  all("[data-search-form]").forEach(function (f) { f.hidden = onFile; });
  all("[data-search-file]").forEach(function (n) { n.hidden = !onFile; });

  var ui = document.querySelector("[data-search-ui]");
  if (!ui || onFile || !script) return;
  var bundle = new URL("../pagefind/", script.src);
  var form = ui.querySelector("[data-search-page-form]");
  var input = form.querySelector("input[type=search]");
  var filtersBox = ui.querySelector("[data-search-filters]");
  var status = ui.querySelector("[data-search-status]");
  var list = ui.querySelector("[data-search-results]");
  var more = ui.querySelector("[data-search-more]");
  var errorNote = ui.querySelector("[data-search-error]");
  form.hidden = false;

  // The language folder, chosen as `drehbuch build` chooses it.
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  if (!/^[a-z0-9-]+$/.test(lang)) lang = "unknown";
  var home = new URL(lang + "/", bundle);
  var options = { baseUrl: new URL("../", bundle).pathname };

  var loading = null;
  function load() {
    if (!loading) {
      var shards = fetch(new URL("shards.json", bundle).href).then(function (response) {
        if (!response.ok) throw new Error("no search index");
        return response.json();
      }).then(function (manifest) {
        return manifest.languages[lang].shards.length;
      });
      loading = Promise.all([import(new URL("0/pagefind.js", home).href), shards])
        .then(function (loaded) {
          var pagefind = loaded[0];
          return pagefind.options(options).then(function () {
            var merged = [];
            for (var n = 1; n < loaded[1]; n++) {
              merged.push(pagefind.mergeIndex(new URL(n + "/", home).pathname, options));
            }
            return Promise.all(merged);
          }).then(function () {
            return pagefind;
          });
        });
    }
    return loading;
  }

  function failed() {
    status.textContent = "";
    errorNote.hidden = false;
  }

  // Filters (the site's fields with fixed values), as checkboxes.
  load().then(function (pagefind) { return pagefind.filters(); }).then(function (filters) {
    Object.keys(filters).sort().forEach(function (name, i) {
      var values = Object.keys(filters[name]).sort();
      if (!values.length) return;
      var set = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = name;
      set.appendChild(legend);
      values.forEach(function (value, j) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.id = "search-filter-" + i + "-" + j;
        label.htmlFor = box.id;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " (" + filters[name][value] + ")"));
        set.appendChild(label);
      });
      filtersBox.appendChild(set);
    });
    var initial = new URLSearchParams(location.search);
    all("[data-search-filters] input").forEach(function (box) {
      if (initial.getAll("f:" + box.name).indexOf(box.value) >= 0) box.checked = true;
    });
    if (filtersBox.querySelector(":checked")) run();
  }).catch(failed);

  function selected() {
    var chosen = {};
    all("[data-search-filters] input:checked").forEach(function (box) {
      (chosen[box.name] = chosen[box.name] || { any: [] }).any.push(box.value);
    });
    return chosen;
  }

  var results = [];
  var shown = 0;
  var ticket = 0;

  function remember(query, filters) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    Object.keys(filters).forEach(function (name) {
      filters[name].any.forEach(function (value) { params.append("f:" + name, value); });
    });
    var search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function run() {
    var query = input.value.trim();
    var filters = selected();
    remember(query, filters);
    var mine = ++ticket;
    list.textContent = "";
    more.hidden = true;
    if (!query && !Object.keys(filters).length) {
      status.textContent = "";
      return;
    }
    status.textContent = ui.dataset.loading;
    load().then(function (pagefind) {
      return pagefind.search(query || null, { filters: filters });
    }).then(function (search) {
      if (mine !== ticket || !search) return;
      results = search.results;
      shown = 0;
      status.textContent = results.length
        ? ui.dataset.status.replace("{hits}", String(results.length))
        : ui.dataset.none;
      return showMore();
    }).catch(failed);
  }

  function showMore() {
    var mine = ticket;
    var batch = results.slice(shown, shown + 10);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== ticket) return;
      items.forEach(function (item) {
        var li = document.createElement("li");
        var heading = document.createElement("h2");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = (item.meta && item.meta.title) || item.url;
        heading.appendChild(link);
        li.appendChild(heading);
        var excerpt = document.createElement("p");
        // Pagefind's excerpt is escaped page text with <mark> around hits.
        excerpt.innerHTML = item.excerpt;
        li.appendChild(excerpt);
        list.appendChild(li);
      });
      more.hidden = shown >= results.length;
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  filtersBox.addEventListener("change", run);
  more.addEventListener("click", function () {
    showMore().catch(failed);
  });

  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    run();
  }
})();
