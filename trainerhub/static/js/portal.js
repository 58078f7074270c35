// The public booking pages: the visitor's timezone, where focus goes, and the embedded mode.
(function () {
  "use strict";

  // Show times in the visitor's own zone: add ?tz=<browser zone> once, when the page has none.
  // Only pages reached by GET ask for it (data-detect-tz="reload"); a page that answers a
  // form already knows the zone, and reloading its address would lose the form.
  function detectTimezone() {
    var marker = document.querySelector("[data-detect-tz]");
    if (!marker) return;
    var url = new URL(window.location.href);
    if (url.searchParams.get("tz")) return;
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!tz) return;
    document.querySelectorAll("input[name=tz][data-auto]").forEach(function (i) { i.value = tz; });
    if (marker.dataset.detectTz === "reload") {
      url.searchParams.set("tz", tz);
      window.location.replace(url.toString());
    }
  }

  // A page that answers a POST (e.g. "that time was just taken") names the address of what
  // it shows, so the address bar, a reload and a shared link all lead to the fresh times.
  function showPageAddress() {
    var marker = document.querySelector("[data-page-address]");
    if (marker && window.history.replaceState) {
      window.history.replaceState(null, "", marker.dataset.pageAddress);
    }
  }

  // After a failed submit, focus goes to the first field in error (or the form's message),
  // and each field in error says so to screen readers.
  function focusFirstError() {
    var first = null;
    document.querySelectorAll("form .field.has-error").forEach(function (field) {
      var input = field.querySelector("input, select, textarea");
      var error = field.querySelector(".error[id]");
      if (!input) return;
      input.setAttribute("aria-invalid", "true");
      if (error) {
        var described = (input.getAttribute("aria-describedby") || "").split(" ");
        if (described.indexOf(error.id) < 0) described.push(error.id);
        input.setAttribute("aria-describedby", described.join(" ").trim());
      }
      if (!first) first = input;
    });
    var summary = document.querySelector("form .message-error, main .message-error[data-focus]");
    var target = first || summary;
    if (!target) return;
    if (!first) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  // The picker is swapped by htmx: remember what was used to swap it, then put focus where
  // the visitor expects it (the first free time after choosing a day, the same arrow after
  // changing month) instead of losing it to the top of the page.
  var lastTrigger = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var el = event.detail.elt;
    if (!el || !el.closest("#picker")) return;
    lastTrigger = { day: el.dataset.day || "", label: el.getAttribute("aria-label") || "" };
  });
  document.addEventListener("htmx:afterSettle", function () {
    var picker = document.getElementById("picker");
    if (!picker || !lastTrigger) return;
    var trigger = lastTrigger;
    lastTrigger = null;
    var target = null;
    if (trigger.day) {
      target = picker.querySelector(".times [data-time]") || picker.querySelector("#times-heading");
    } else if (trigger.label) {
      target = picker.querySelector('[aria-label="' + trigger.label + '"]') ||
        picker.querySelector("#month-heading");
    }
    if (target) target.focus();
  });

  // Arrow keys move between the free days of the month grid (Tab still reaches each one).
  document.addEventListener("keydown", function (event) {
    var day = event.target.closest && event.target.closest(".month a[data-day]");
    if (!day) return;
    var step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
    if (!step) return;
    var days = Array.prototype.slice.call(day.closest(".month").querySelectorAll("a[data-day]"));
    var wanted = new Date(day.dataset.day + "T12:00:00Z");
    wanted.setUTCDate(wanted.getUTCDate() + step);
    var iso = wanted.toISOString().slice(0, 10);
    var next = days.filter(function (d) { return d.dataset.day === iso; })[0];
    if (!next && Math.abs(step) === 1) next = days[days.indexOf(day) + step];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  // Embedded in a trainer's site (?embed=1 in an iframe): tell the opener when a booking is
  // done, and let the Escape key close the overlay.
  function embedded() {
    if (window.parent === window) return;
    var done = document.querySelector("[data-booked]");
    if (done) window.parent.postMessage({ trainerhub: "booked" }, "*");
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") window.parent.postMessage({ trainerhub: "close" }, "*");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    detectTimezone();
    showPageAddress();
    focusFirstError();
    embedded();
  });
})();
