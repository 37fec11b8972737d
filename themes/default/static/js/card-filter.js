// Filters a card overview in place. Each fieldset of the form names a
// field (data-field); each tile lists its values of that field in
// data-field-<name>. Without JavaScript the form stays hidden, and the
// facet pages (one per value) still work.
(function () {
  var form = document.getElementById("card-filters");
  if (!form) return;
  form.hidden = false;
  var tiles = Array.prototype.slice.call(document.querySelectorAll(".card-tile"));
  var fields = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-field]"));
  var status = form.querySelector(".filter-status");
  function apply() {
    var wanted = fields.map(function (set) {
      var field = set.getAttribute("data-field");
      var checked = set.querySelector("input:checked");
      return [field, checked ? checked.value : ""];
    });
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
    if (status) status.textContent = shown + " / " + tiles.length;
  }
  form.addEventListener("change", apply);
})();
