"use strict";
// The trace types the app's figures use (org/ui/charts.py lists them); scatter is part of the core.
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/box"),
  require("plotly.js/lib/heatmap"),
  require("plotly.js/lib/scatterpolar"),
]);

module.exports = Plotly;
