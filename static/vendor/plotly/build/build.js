// Rebuild: npm install --ignore-scripts && npm run build (in this folder); see ../README.md.
// The options are plotly.js's own (its esbuild-config.js), minified, with its licence as the banner.
const esbuild = require("esbuild");
const { environmentPlugin } = require("esbuild-plugin-environment");
const { glsl } = require("esbuild-plugin-glsl");
const InlineCSSPlugin = require("esbuild-plugin-inline-css");
const version = require("plotly.js/package.json").version;

esbuild
  .build({
    entryPoints: ["./entry.js"],
    outfile: "../plotly-acquisition.min.js",
    format: "iife",
    globalName: "Plotly",
    bundle: true,
    minify: true,
    legalComments: "external",
    banner: {
      js:
        `/**\n* plotly.js v${version} (partial bundle of Acquisition HR: scatter, bar, box, heatmap, scatterpolar)\n` +
        "* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/",
    },
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: "@plotly/regl", stream: "stream-browserify" },
    define: { global: "window", "define.amd": "false" },
    target: "es2016",
    logLevel: "info",
  })
  .catch(() => process.exit(1));
