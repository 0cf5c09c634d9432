// Bar charts drawn from the table inside each <figure class="chart">. The table stays
// in the page for readers without JavaScript and for screen readers; Chart.js is the
// vendored copy, so nothing comes from another host.
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#b4322b";

  function draw(figure) {
    var table = figure.querySelector("table");
    var labels = [];
    var values = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      labels.push(row.cells[0].textContent.trim());
      values.push(Number(row.cells[1].textContent));
    });
    var box = document.createElement("div");
    box.className = "chart-box";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", figure.querySelector("figcaption").textContent);
    box.appendChild(canvas);
    figure.insertBefore(box, table);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [{ label: table.tHead.rows[0].cells[1].textContent, data: values, backgroundColor: accent, maxBarThickness: 56 }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    figure.classList.add("drawn");
  }

  document.querySelectorAll("figure.chart").forEach(draw);
}());
