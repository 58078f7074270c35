// Dashboard charts (Chart.js) from the page's json_script data, and the period picker.
(function () {
  "use strict";

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function init() {
    var select = document.querySelector("[data-autosubmit]");
    if (select) {
      select.addEventListener("change", function () {
        var custom = select.form.querySelector(".custom-range");
        if (select.value === "custom") { custom.hidden = false; return; }
        select.form.submit();
      });
    }
    var dataEl = document.getElementById("chart-data");
    if (!dataEl || typeof Chart === "undefined") return;
    var data = JSON.parse(dataEl.textContent);
    var text = cssVar("--muted") || "#666";
    var grid = cssVar("--border") || "#ddd";
    var primary = cssVar("--primary") || "#3b5bdb";
    Chart.defaults.color = text;
    Chart.defaults.borderColor = grid;
    Chart.defaults.font.family = cssVar("--font") || "system-ui";

    var weeks = document.getElementById("chart-weeks");
    if (weeks) {
      new Chart(weeks, {
        type: "bar",
        data: { labels: data.weeks.labels, datasets: [{ label: "Bookings", data: data.weeks.counts, backgroundColor: primary, borderRadius: 4 }] },
        options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
    var services = document.getElementById("chart-services");
    if (services) {
      new Chart(services, {
        type: "doughnut",
        data: { labels: data.services.labels, datasets: [{ data: data.services.counts, backgroundColor: data.services.colors }] },
        options: { maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } }
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
