// Insights: Chart.js charts from the page's json_script data, the heatmap's layer toggle,
// the custom period's dates, and the assistant's suggestions (no inline script anywhere).
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function periodPicker() {
    var select = document.querySelector("[data-period-select]");
    if (!select) return;
    select.addEventListener("change", function () {
      var custom = select.value === "custom";
      select.form.querySelectorAll(".custom-range").forEach(function (el) {
        el.hidden = !custom;
        el.querySelectorAll("input").forEach(function (input) { input.disabled = !custom; });
      });
      if (!custom) select.form.requestSubmit();
    });
  }

  function layers() {
    var toggle = document.querySelector("[data-layer-toggle]");
    if (!toggle) return;
    toggle.hidden = false;
    function show(layer) {
      document.querySelectorAll(".heatmap[data-layer]").forEach(function (t) {
        t.classList.toggle("is-hidden", t.dataset.layer !== layer);
      });
    }
    toggle.addEventListener("change", function (e) { show(e.target.value); });
    show("sessions");
  }

  function charts() {
    var el = document.getElementById("insights-data");
    if (!el || typeof Chart === "undefined") return;
    var data = JSON.parse(el.textContent);
    var primary = cssVar("--primary", "#3b5bdb");
    var danger = cssVar("--danger", "#c92a2a");
    var warning = cssVar("--warning", "#e67700");
    Chart.defaults.color = cssVar("--muted", "#666");
    Chart.defaults.borderColor = cssVar("--border", "#ddd");
    var util = document.getElementById("chart-utilisation");
    if (util && data.utilisation) {
      new Chart(util, {
        type: "bar",
        data: {
          labels: data.utilisation.map(function (w) { return w.week; }),
          datasets: [{ label: "Utilisation %", data: data.utilisation.map(function (w) { return w.utilisation; }), backgroundColor: primary, borderRadius: 4 }]
        },
        options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, suggestedMax: 100 } } }
      });
    }
    var canc = document.getElementById("chart-cancellations");
    if (canc && data.cancellations) {
      var months = data.cancellations;
      new Chart(canc, {
        type: "line",
        data: {
          labels: months.map(function (m) { return m.month; }),
          datasets: [
            { label: "Cancellation rate %", data: months.map(function (m) { return m.cancel_rate; }), borderColor: warning, backgroundColor: warning, tension: 0.2 },
            { label: "No-show rate %", data: months.map(function (m) { return m.no_show_rate; }), borderColor: danger, backgroundColor: danger, tension: 0.2 }
          ]
        },
        options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
      });
    }
    var answer = document.getElementById("chart-answer");
    var chartData = document.getElementById("answer-chart");
    if (answer && chartData) {
      var c = JSON.parse(chartData.textContent);
      new Chart(answer, {
        type: c.type || "bar",
        data: { labels: c.labels, datasets: [{ label: c.label, data: c.values, backgroundColor: primary, borderColor: primary }] },
        options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
      });
    }
  }

  function suggestions() {
    document.querySelectorAll("[data-suggestion]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.getElementById("question");
        if (!input) return;
        input.value = button.dataset.suggestion;
        input.form.requestSubmit();
      });
    });
  }

  function init() { periodPicker(); layers(); charts(); suggestions(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
