// "Copy" buttons: data-copy="text" or data-copy-from="#field"; the nearest status says so.
(function () {
  "use strict";
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy], [data-copy-from]");
    if (!button) return;
    var source = button.dataset.copyFrom && document.querySelector(button.dataset.copyFrom);
    var text = source ? source.value : button.dataset.copy;
    var status = button.closest(".card, form, body").querySelector("[data-copy-status]");
    var copy = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text) : fallbackCopy(text);
    copy.then(function () {
      if (status) status.textContent = "Copied.";
    }, function () {
      if (source) source.select();
      if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected text.";
    });
  });
})();
