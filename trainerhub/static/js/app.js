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

  // After a refused submit, focus goes to the first field in error (its error is read with it
  // through aria-describedby), or to the form's own error when no field has one, so a
  // keyboard or screen-reader user lands where the fix is instead of at the top of the page.
  function focusFirstError(scope) {
    var field = scope.querySelector('form [aria-invalid="true"]');
    var target = field || scope.querySelector("form .message-error");
    if (!target) return;
    if (!field) target.setAttribute("tabindex", "-1");
    target.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });
  // Only after a form was sent: a search box refreshing a list must not steal the focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (config && config.verb && config.verb.toLowerCase() !== "get") focusFirstError(document);
  });

  // <input data-select-on-focus> (a link to copy) selects itself when clicked.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  // The message preview's picker opens the chosen message's page straight away.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-preview-picker]");
    if (form && event.target.name === "kind") location.href = form.dataset.base + event.target.value + "/";
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

  // A colour that comes from data (a service's, a tag's) reaches its swatch through the CSSOM,
  // which the Content-Security-Policy allows, rather than a style="" attribute, which it does
  // not: <span class="swatch" data-swatch="#2255aa">.
  function paintSwatches(scope) {
    var nodes = scope.querySelectorAll ? scope.querySelectorAll("[data-swatch]") : [];
    Array.prototype.forEach.call(nodes, function (el) {
      el.style.setProperty("--swatch", el.getAttribute("data-swatch"));
    });
    if (scope.matches && scope.matches("[data-swatch]")) {
      scope.style.setProperty("--swatch", scope.getAttribute("data-swatch"));
    }
  }
  document.addEventListener("DOMContentLoaded", function () { paintSwatches(document); });
  document.addEventListener("htmx:load", function (event) { paintSwatches(event.target); });

  // <select data-autosubmit> sends its form when changed (a plain button is offered without JS).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
  });
})();
