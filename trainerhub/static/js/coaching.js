// Coaching pages: drag to reorder a program's days and exercises (Sortable), and the
// measurement charts (Chart.js, with the table beside them for screen readers).
(function () {
  "use strict";

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setupBuilder() {
    var root = document.querySelector("[data-reorder-url]");
    if (!root || typeof Sortable === "undefined") return;
    var url = root.dataset.reorderUrl;
    var status = document.getElementById("reorder-status");

    function send(body) {
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(body)
      }).then(function (r) {
        if (status) status.textContent = r.ok ? "Order saved." : "The order could not be saved; reload the page.";
      }).catch(function () {
        if (status) status.textContent = "Offline: the order was not saved.";
      });
    }

    function itemLayout() {
      var layout = {};
      root.querySelectorAll("ol.program-items").forEach(function (list) {
        layout[list.dataset.day] = Array.prototype.map.call(
          list.querySelectorAll("li[data-item]"), function (li) { return li.dataset.item; });
      });
      return layout;
    }

    root.querySelectorAll("ol.program-items").forEach(function (list) {
      Sortable.create(list, {
        group: "program-items",
        handle: ".drag-handle",
        draggable: "li[data-item]",
        animation: 150,
        onEnd: function () { send({ items: itemLayout() }); }
      });
    });
    Sortable.create(root, {
      handle: ".day-handle",
      draggable: ".program-day",
      animation: 150,
      onEnd: function () {
        send({ days: Array.prototype.map.call(root.querySelectorAll(".program-day"), function (d) { return d.dataset.day; }) });
      }
    });
  }

  function setupCharts() {
    var holder = document.querySelector("[data-chart-source]");
    if (!holder || typeof Chart === "undefined") return;
    var source = document.getElementById(holder.dataset.chartSource);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#2563eb";
    holder.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      var series = data[canvas.dataset.series];
      if (!series) return;
      new Chart(canvas, {
        type: "line",
        data: {
          labels: series.points.map(function (p) { return p[0]; }),
          datasets: [{ label: canvas.dataset.series + " (" + series.unit + ")", data: series.points.map(function (p) { return p[1]; }), borderColor: accent, tension: 0.2 }]
        },
        options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: false } } }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupBuilder();
    setupCharts();
  });
})();
