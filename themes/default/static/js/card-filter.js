// Filters a card overview in place: one select per field (the form is
// rendered by the server in its final place, so nothing moves when this
// runs). Each tile lists its values of a field in data-field-<name>. The
// choice is kept in the address (?field=value) and restored on load; when
// nothing matches, a message with a reset button says so. Without
// JavaScript the form is not shown (CSS `scripting: none`) and the facet
// pages (one per value) still work.
(function () {
  "use strict";
  var form = document.getElementById("card-filters");
  if (!form) return;
  var tiles = Array.prototype.slice.call(document.querySelectorAll(".card-tile"));
  var selects = Array.prototype.slice.call(form.querySelectorAll(".filter select"));
  var status = form.querySelector(".filter-status");
  var empty = form.querySelector(".filter-empty");
  var statuses = (form.getAttribute("data-statuses") || "").split("|");

  function apply(keep) {
    var wanted = selects.map(function (s) { return [s.name, s.value]; });
    var shown = 0;
    tiles.forEach(function (tile) {
      var ok = wanted.every(function (pair) {
        if (!pair[1]) return true;
        var values = (tile.getAttribute("data-field-" + pair[0]) || "").split(" ");
        return values.indexOf(pair[1]) >= 0;
      });
      tile.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll(".card-group").forEach(function (group) {
      group.hidden = !group.querySelector(".card-tile:not([hidden])");
    });
    var filtered = wanted.some(function (pair) { return pair[1]; });
    if (status) status.textContent = filtered ? (statuses[shown] || shown + " / " + tiles.length) : "";
    if (empty) empty.hidden = shown > 0;
    if (keep) {
      var params = new URLSearchParams(location.search);
      wanted.forEach(function (pair) {
        if (pair[1]) params.set(pair[0], pair[1]); else params.delete(pair[0]);
      });
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
  }

  // Restore the choice from the address.
  var initial = new URLSearchParams(location.search);
  var restored = false;
  selects.forEach(function (s) {
    var value = initial.get(s.name);
    if (value && s.querySelector('option[value="' + CSS.escape(value) + '"]')) {
      s.value = value;
      restored = true;
    }
  });
  if (restored) apply(false);
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("reset", function () {
    // The form's own reset runs after this event: apply once it has.
    setTimeout(function () { apply(true); selects[0] && selects[0].focus(); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
})();
