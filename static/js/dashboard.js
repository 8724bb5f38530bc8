/* Draws the dashboard charts from the JSON the page embeds (json_script).
   The tables beside each chart carry the same numbers: the page is complete without
   this script, which only adds pictures. No inline script, so a strict CSP holds. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Colour-blind-safe palette (Okabe–Ito), dark enough on white.
  var palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

  function datasets(series, kind) {
    return series.map(function (s, i) {
      var colour = palette[i % palette.length];
      return {
        label: s.label,
        data: s.data,
        backgroundColor: colour,
        borderColor: colour,
        fill: false,
        spanGaps: true,
        tension: kind === "line-percent" ? 0.2 : 0
      };
    });
  }

  function draw(canvas) {
    var chart = data[canvas.dataset.chart];
    if (!chart || !chart.labels || chart.labels.length === 0) {
      return;
    }
    var kind = chart.kind;
    // The value axis: counts in whole numbers (never 0.5 of a filing), rates in whole
    // percent from 0 to 100.
    var values = { beginAtZero: true, ticks: { precision: 0 } };
    if (kind === "line-percent") {
      values.max = 100;
      values.ticks.callback = function (value) { return value + "%"; };
    }
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: chart.series.length > 1 } },
      scales: { x: {}, y: values }
    };
    if (kind === "bar-stacked") {
      options.scales.x.stacked = true;
      options.scales.y.stacked = true;
    }
    if (kind === "bar-horizontal") {
      options.indexAxis = "y";
      options.scales = { x: values, y: {} };
    }
    canvas.hidden = false;
    new window.Chart(canvas, {
      type: kind === "line-percent" ? "line" : "bar",
      data: { labels: chart.labels, datasets: datasets(chart.series, kind) },
      options: options
    });
    canvas.dataset.drawn = "true";
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
})();
