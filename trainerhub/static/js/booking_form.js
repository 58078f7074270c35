// The booking form: a slot button fills the start field; a finished booking closes the dialog.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var slot = event.target.closest("[data-slot]");
    if (slot) {
      var form = slot.closest("form");
      var input = form && form.querySelector("input[name=start]");
      if (input) {
        input.value = slot.dataset.slot;
        form.querySelectorAll("[data-slot]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        slot.setAttribute("aria-pressed", "true");
      }
      return;
    }
    var close = event.target.closest("[data-close-dialog]");
    if (close) {
      var dialog = close.closest("dialog");
      if (dialog) dialog.close();
      else if (document.referrer) window.history.back();
    }
  });
})();
