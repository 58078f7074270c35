// Small behaviours shared by every page: the theme toggle, confirmations, the browser's timezone.
(function () {
  "use strict";
  var root = document.documentElement;

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-theme-toggle]");
    if (!toggle) return;
    var dark = root.dataset.theme === "dark" ||
      (root.dataset.theme === "auto" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    var next = dark ? "light" : "dark";
    root.dataset.theme = next;
    localStorage.setItem("theme", next);
  });

  // <form data-confirm="Archive this client?"> asks before a destructive action.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // A link to page#section opens that <details> section (e.g. "Cancel…" from the bookings list).
  document.addEventListener("DOMContentLoaded", function () {
    if (!location.hash) return;
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      var first = target.querySelector("input, select, textarea, button");
      if (first) first.focus();
    }
  });

  // <select data-browser-timezone> preselects the visitor's timezone when nothing is chosen yet.
  document.addEventListener("DOMContentLoaded", function () {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll("[data-browser-timezone]").forEach(function (el) {
      if (el.dataset.userSet === "true" || !tz) return;
      var option = Array.prototype.find.call(el.options, function (o) { return o.value === tz; });
      if (option) el.value = tz;
    });
  });
})();
