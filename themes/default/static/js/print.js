// "Print this card": the button prints the page it is on; the print
// stylesheet leaves out everything but the card. Without JavaScript the
// button is not shown (CSS `scripting: none`) and the browser's own print
// gives the same result.
(function () {
  "use strict";
  document.querySelectorAll("[data-print-page]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
