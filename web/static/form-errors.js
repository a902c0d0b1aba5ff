// A refused form brings its first invalid field into view and gives it focus, on every width:
// on a phone the error banner is far above the screen, and without this the button seems to
// do nothing. Works for a whole page drawn with errors and for a form htmx swaps in (422/409).
(function () {
  "use strict";

  function firstInvalid(root) {
    var scope = root && root.isConnected ? root : document;
    return scope.querySelector('[aria-invalid="true"]') || document.querySelector('[aria-invalid="true"]');
  }

  function bringIntoView(field) {
    if (!field) return;
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center", inline: "nearest" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    bringIntoView(document.querySelector('[aria-invalid="true"]'));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var status = detail.xhr ? detail.xhr.status : 0;
    // Only the answer to a refused submission moves focus; live refreshes never do.
    if (status !== 422 && status !== 409) return;
    bringIntoView(firstInvalid(detail.elt));
  });
})();
