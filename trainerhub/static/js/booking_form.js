// The booking form: a slot button fills the start field; a finished booking closes the dialog;
// the "Repeat" part shows its options when ticked, and the end the trainer chose (a number of
// sessions or a last date). The dates' preview is htmx's (the server's verdicts).
(function () {
  "use strict";

  function refreshPreview(form) {
    var box = form && form.querySelector("#repeat-box");
    var ticked = box && box.querySelector("input[name=repeat]");
    if (ticked && ticked.checked && window.htmx) window.htmx.trigger(box, "change");
  }

  function showRepeat(box) {
    if (!box) return;
    var ticked = box.querySelector("input[name=repeat]");
    var options = box.querySelector("[data-repeat-options]");
    if (ticked && options) options.hidden = !ticked.checked;
    var ends = box.querySelector("input[name=ends]:checked");
    var byDate = ends && ends.value === "until";
    var count = box.querySelector("input[name=count]");
    var until = box.querySelector("input[name=until]");
    // Through the CSSOM: .field's own display would win over a hidden attribute.
    if (count) count.closest(".field").style.display = byDate ? "none" : "";
    if (until) until.closest(".field").style.display = byDate ? "" : "none";
  }

  document.addEventListener("click", function (event) {
    var slot = event.target.closest("[data-slot]");
    if (slot) {
      var form = slot.closest("form");
      var input = form && form.querySelector("input[name=start]");
      if (input) {
        input.value = slot.dataset.slot;
        form.querySelectorAll("[data-slot]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        slot.setAttribute("aria-pressed", "true");
        refreshPreview(form);
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

  document.addEventListener("change", function (event) {
    var box = event.target.closest && event.target.closest("#repeat-box");
    if (box) { showRepeat(box); return; }
    // A new client, service or start changes the dates' verdicts too.
    var form = event.target.closest && event.target.closest("#booking-form");
    if (form && /^(client|service|start|override_rules)$/.test(event.target.name)) refreshPreview(form);
  });

  // Typing a number of weeks or sessions refreshes the dates after a pause (change would
  // wait for the field to lose focus).
  var typing;
  document.addEventListener("input", function (event) {
    var box = event.target.closest && event.target.closest("#repeat-box");
    if (!box || event.target.type !== "number") return;
    clearTimeout(typing);
    typing = setTimeout(function () { if (window.htmx) window.htmx.trigger(box, "change"); }, 400);
  });

  function init(root) { (root || document).querySelectorAll("#repeat-box").forEach(showRepeat); }
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target.parentNode || document); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
})();
