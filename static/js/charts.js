/* Draw a page's Plotly figures (loaded by templates/base.html on pages with charts; see org/ui/charts.py).
   Each chart container names the json_script element holding its figure (built server-side by plotly's
   Python package) in data-figure. A chart is drawn when it comes near the viewport, so a long page does not
   lay out twenty charts before it can be read; the others are drawn one at a time when the browser is idle (so printing or searching the page finds them drawn). Browsers without
   IntersectionObserver draw them all at once. */
(function () {
  "use strict";
  var CONFIG = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
  };

  function drawOne(element) {
    if (element.dataset.drawn) {
      return;
    }
    var source = document.getElementById(element.dataset.figure);
    if (!source) {
      return;
    }
    element.dataset.drawn = "1";
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG);
  }

  function draw() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    var containers = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
    if (!("IntersectionObserver" in window)) {
      containers.forEach(drawOne);
      return;
    }
    // A margin of about a screen: a chart is ready by the time it scrolls in.
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            drawOne(entry.target);
          }
        });
      },
      { rootMargin: "600px 0px" },
    );
    containers.forEach(function (element) {
      observer.observe(element);
    });
    var idle =
      window.requestIdleCallback ||
      function (callback) {
        return window.setTimeout(callback, 50);
      };
    function drawRest() {
      var next = containers.filter(function (element) {
        return !element.dataset.drawn;
      })[0];
      if (next) {
        observer.unobserve(next);
        drawOne(next);
        idle(drawRest);
      }
    }
    idle(drawRest);
  }

  // Start after the load event: the page (text, tables, figures as numbers) is ready to read first and
  // the charts in view follow in the next frames.
  if (document.readyState === "complete") {
    draw();
  } else {
    window.addEventListener("load", draw);
  }
})();
