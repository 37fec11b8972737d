// Filters the card overview in place by audience and effort. Without
// JavaScript the form stays hidden and the per-category pages still work.
(function () {
  var form = document.getElementById("card-filters");
  if (!form) return;
  form.hidden = false;
  var tiles = Array.prototype.slice.call(document.querySelectorAll(".card-tile"));
  var status = form.querySelector(".filter-status");
  function apply() {
    var audience = (form.querySelector("input[name=audience]:checked") || {}).value || "";
    var effort = (form.querySelector("input[name=effort]:checked") || {}).value || "";
    var shown = 0;
    tiles.forEach(function (tile) {
      var audiences = (tile.getAttribute("data-audience") || "").split(" ");
      var ok = (!audience || audiences.indexOf(audience) >= 0) &&
               (!effort || tile.getAttribute("data-effort") === effort);
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
