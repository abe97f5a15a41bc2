/* Draw a page's Plotly figures (loaded by templates/base.html on pages with charts; see org/ui/charts.py).
   Each chart container names the json_script element holding its figure (built server-side by plotly's
   Python package) in data-figure. */
(function () {
  "use strict";
  function draw() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    var containers = document.querySelectorAll("[data-figure]");
    Array.prototype.forEach.call(containers, function (element) {
      var source = document.getElementById(element.dataset.figure);
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        displaylogo: false,
        responsive: true,
        modeBarButtonsToRemove: ["select2d", "lasso2d"],
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
