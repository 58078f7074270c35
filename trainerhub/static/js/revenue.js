// The dashboard's revenue card: a Chart.js bar chart of cash and earned per month, drawn when
// htmx loads the card (its figures are also in the table beside it).
(function () {
  "use strict";

  function cssVar(name, fallback) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
  }

  function draw(root) {
    var canvas = root.querySelector ? root.querySelector("#chart-revenue") : null;
    var dataEl = document.getElementById("revenue-data");
    if (!canvas || !dataEl || typeof Chart === "undefined" || canvas.dataset.drawn) return;
    canvas.dataset.drawn = "1";
    var data = JSON.parse(dataEl.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Cash (" + data.currency + ")", data: data.cash, backgroundColor: cssVar("--primary", "#3b5bdb"), borderRadius: 4 },
          { label: "Earned (" + data.currency + ")", data: data.earned, backgroundColor: cssVar("--muted", "#94a3b8"), borderRadius: 4 }
        ]
      },
      options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
    });
  }

  document.addEventListener("htmx:load", function (event) { draw(event.target); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { draw(document); });
  else draw(document);
})();
