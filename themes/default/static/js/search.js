// Search for the built-in theme: hides the header field where search cannot
// run (file://), and on the search page runs queries against the Pagefind index that
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
  if (ui) ui.querySelector("[data-search-page-form]").hidden = onFile;
  if (!ui || onFile || !script) return;
  var bundle = new URL("../pagefind/", script.src);
  var form = ui.querySelector("[data-search-page-form]");
  var input = form.querySelector("input[type=search]");
  var panel = ui.querySelector("[data-search-filter-panel]");
  var filtersBox = ui.querySelector("[data-search-filters]");
  var status = ui.querySelector("[data-search-status]");
  var list = ui.querySelector("[data-search-results]");
  var more = ui.querySelector("[data-search-more]");
  var errorNote = ui.querySelector("[data-search-error]");
  var pageTitle = document.title;

  // The language folder, chosen as `drehbuch build` chooses it.
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  if (!/^[a-z0-9-]+$/.test(lang)) lang = "unknown";
  var home = new URL(lang + "/", bundle);
  var options = { baseUrl: new URL("../", bundle).pathname };

  // "6 Ergebnisse für „Keller“": the page renders the message for sample
  // counts (n=text|…); the sample with the same CLDR plural category as
  // the count gives the form, its number is replaced by the count.
  var found = (ui.dataset.found || "").split("|").map(function (entry) {
    var at = entry.indexOf("=");
    return { n: Number(entry.slice(0, at)), text: entry.slice(at + 1) };
  });
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || undefined) : null;
  var numbers = window.Intl ? new Intl.NumberFormat(document.documentElement.lang || undefined) : null;
  function countText(count, query) {
    var sample = found.filter(function (f) {
      return plural ? plural.select(f.n) === plural.select(count) : f.n === (count === 1 ? 1 : 2);
    })[0] || found[found.length - 1];
    return sample.text
      .replace(String(sample.n), numbers ? numbers.format(count) : String(count))
      .replace("{query}", query);
  }

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
            // Searches count filter values only once the filters are loaded.
            return pagefind.filters();
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

  // The filter choice asked for in the address, until the panel shows it.
  var initial = new URLSearchParams(location.search);
  var wanted = {};
  initial.forEach(function (value, key) {
    if (key.indexOf("f:") === 0) (wanted[key.slice(2)] = wanted[key.slice(2)] || []).push(value);
  });

  function selected() {
    var chosen = {};
    Object.keys(wanted).forEach(function (name) {
      if (wanted[name].length) chosen[name] = { any: wanted[name].slice() };
    });
    return chosen;
  }

  // Filters for the current results: only fields and values the results
  // hold (and those chosen), with their counts for this query.
  function showFilters(counts) {
    filtersBox.textContent = "";
    var names = Object.keys(counts).sort();
    var shownAny = false;
    names.forEach(function (name, i) {
      var values = Object.keys(counts[name]).sort().filter(function (value) {
        return counts[name][value] > 0 || (wanted[name] || []).indexOf(value) >= 0;
      });
      if (!values.length) return;
      shownAny = true;
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
        box.checked = (wanted[name] || []).indexOf(value) >= 0;
        label.htmlFor = box.id;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " (" + counts[name][value] + ")"));
        set.appendChild(label);
      });
      filtersBox.appendChild(set);
    });
    panel.hidden = !shownAny;
    if (Object.keys(selected()).length) panel.open = true;
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

  // Runs the query; `focus` moves focus to the results heading once the
  // count is known (after a search was sent, not while typing).
  function run(focus) {
    var query = input.value.trim();
    var filters = selected();
    remember(query, filters);
    var mine = ++ticket;
    list.textContent = "";
    more.hidden = true;
    if (!query && !Object.keys(filters).length) {
      status.textContent = "";
      panel.hidden = true;
      document.title = pageTitle;
      return;
    }
    status.textContent = ui.dataset.loading;
    load().then(function (pagefind) {
      return pagefind.search(query || null, { filters: filters });
    }).then(function (search) {
      if (mine !== ticket || !search) return;
      results = search.results;
      shown = 0;
      showFilters(search.filters || {});
      // The count, the title and the focus once the first results are shown.
      return showMore().then(function () {
        if (mine !== ticket) return;
        status.textContent = results.length
          ? countText(results.length, query)
          : ui.dataset.none.replace("{query}", query);
        document.title = ui.dataset.title.replace("{query}", query);
        if (focus) status.focus();
      });
    }).catch(failed);
  }

  // Pagefind's excerpt begins with the page's heading when the match is
  // near the top: that is the result's title already, so it goes.
  function withoutTitle(excerpt, title) {
    var text = excerpt.textContent;
    var at = 0;
    while (at < text.length && /\s/.test(text[at])) at++;
    if (!title || text.slice(at, at + title.length) !== title) return;
    var left = at + title.length;
    var walker = document.createTreeWalker(excerpt, NodeFilter.SHOW_TEXT);
    var node;
    while (left > 0 && (node = walker.nextNode())) {
      var take = Math.min(left, node.data.length);
      node.data = node.data.slice(take);
      left -= take;
    }
    // Marks left empty go; the text starts at its first word.
    Array.prototype.slice.call(excerpt.querySelectorAll("mark")).forEach(function (mark) {
      if (!mark.textContent.trim()) mark.replaceWith(document.createTextNode(mark.textContent));
    });
    excerpt.normalize();
    walker = document.createTreeWalker(excerpt, NodeFilter.SHOW_TEXT);
    while ((node = walker.nextNode())) {
      node.data = node.data.replace(/^[\s.:–-]+/, "");
      if (node.data) break;
    }
  }

  function showMore() {
    var mine = ticket;
    var batch = results.slice(shown, shown + 10);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== ticket) return;
      items.forEach(function (item) {
        var li = document.createElement("li");
        var heading = document.createElement("h3");
        var link = document.createElement("a");
        var title = (item.meta && item.meta.title) || item.url;
        link.href = item.url;
        link.textContent = title;
        heading.appendChild(link);
        li.appendChild(heading);
        var excerpt = document.createElement("p");
        // Pagefind's excerpt is escaped page text with <mark> around hits.
        excerpt.innerHTML = item.excerpt;
        withoutTitle(excerpt, title);
        li.appendChild(excerpt);
        list.appendChild(li);
      });
      more.hidden = shown >= results.length;
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(false); }, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(true);
  });
  filtersBox.addEventListener("change", function (event) {
    var box = event.target;
    var values = wanted[box.name] = wanted[box.name] || [];
    var at = values.indexOf(box.value);
    if (box.checked && at < 0) values.push(box.value);
    if (!box.checked && at >= 0) values.splice(at, 1);
    run(false);
  });
  more.addEventListener("click", function () {
    showMore().catch(failed);
  });

  var query = initial.get("q");
  if (query) input.value = query;
  if (query || Object.keys(selected()).length) run(true);
})();
