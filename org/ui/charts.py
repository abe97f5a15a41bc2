"""Charts on every page: the plotly.js bundle, one look (layout defaults and colours) and figures as JSON.

How a page gets a chart: its figure is built server-side with plotly's Python package (an app's ``charts.py``
on ``chart_layout``/``series_layout`` and the palette below) and turned into a plain dict by ``figure_json``.
The view passes ``charts``, a list of ``{"id": <id of the JSON data block>, "figure": <dict>}``, and marks
each chart's container with ``data-figure="<that id>"``. ``templates/base.html`` writes the data blocks
(``json_script``, which the content security policy allows) and, only when ``charts`` is not empty, loads
plotly.js and ``static/js/charts.js`` once; charts.js draws every ``[data-figure]``. No inline script.

plotly.js is served by ``plotly_js`` from ``static/vendor/plotly/plotly-acquisition.min.js``: a partial bundle of
the plotly.js version the installed ``plotly`` package builds its figures for, holding only the trace types the
figures use (``BUNDLED_TRACES``), 1.3 MB instead of the package's 4.8 MB ``plotly.min.js`` (how it is built:
``static/vendor/plotly/README.md``; nothing is fetched from a CDN). The response carries the bundle's digest as
ETag, is cached for a year (the URL carries the digest) and is gzipped once per process.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_GET
from plotly.utils import PlotlyJSONEncoder

from .formatting import axis_format, plotly_separators

PLOTLY_JS = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly" / "plotly-acquisition.min.js"
# The trace types the bundle can draw; a figure of another type would stay blank (tests/org/test_ui_layer.py).
BUNDLED_TRACES = frozenset({"scatter", "bar", "box", "heatmap", "scatterpolar"})

# --- the palette -----------------------------------------------------------------------------------------
# Every colour a chart uses. What each one marks, across the apps:
BLUE = "#2563eb"  # the subject: this unit, high performers, participants, the pilot, now, an active step
TEAL = "#0f766e"  # bars of values, realized margin, the data-derived radar series
TEAL_LIGHT = "#99f6e4"  # projected margin (stacked on the realized part)
RED = "#dc2626"  # targets, today, overdue; the low end of a score scale
AMBER = "#f59e0b"  # the middle of a score scale
GREEN = "#16a34a"  # done, closed, ready; the good end of a score scale
GREEN_DARK = "#166534"  # the top of a score scale
GREY = "#6b7280"  # a control group drawn as a line, planned milestones, a series of no known kind
GREY_LIGHT = "#9ca3af"  # what the subject is compared with: control group, comparable people, baseline
GREY_LIGHTER = "#d1d5db"  # zero lines and markers, pending steps
GRID = "#e5e7eb"  # grid lines
INK = "#111827"  # marker outlines
TRANSPARENT = "rgba(0,0,0,0)"

# A score of 0-100 from weak to strong (the diagnosis heatmap; levels at 40 and 70).
SCORE_COLORSCALE = [[0, RED], [0.4, AMBER], [0.7, GREEN], [1, GREEN_DARK]]

FONT = {"family": "system-ui, sans-serif", "size": 12}

# --- layouts ---------------------------------------------------------------------------------------------


def chart_layout(**extra) -> dict:
    """The look every chart shares: no plotly template, a transparent background, the page's font, the active
    language's decimal and thousands marks (org.ui.formatting).

    ``extra`` adds or replaces top-level layout keys (a key given replaces the default whole, it is not merged).
    """
    layout = {
        "template": "none",
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "font": FONT,
        "separators": plotly_separators(),
    }
    layout.update(extra)
    return layout


def series_layout(**extra) -> dict:
    """``chart_layout`` with the defaults of a chart of values over periods or categories (the dashboards'):
    240 px high, a category x axis, grid lines, the legend below, one hover for all series at an x."""
    return chart_layout(
        **{
            "height": 240,
            "margin": {"l": 56, "r": 12, "t": 12, "b": 40},
            "xaxis": {"type": "category", "gridcolor": GRID},
            "yaxis": value_axis(None),
            "legend": {"orientation": "h", "y": -0.22},
            "hovermode": "x unified",
            **extra,
        }
    )


def value_axis(unit: str | None, **extra) -> dict:
    """A value axis of ``unit`` (an indicator unit, org.ui.formatting): grid lines, and ticks and hovers that read as
    the pages print the unit ("12.5 %", "¥1,500"), never "1e+6" or "300k". ``extra`` adds keys (a range, a title)."""
    return {"gridcolor": GRID, "zerolinecolor": GREY_LIGHTER, "separatethousands": True, **axis_format(unit), **extra}


def figure_json(figure) -> dict:
    """A plotly figure as a plain JSON-ready dict for ``json_script``: numpy arrays become lists, NaN null."""
    return json.loads(json.dumps(figure.to_plotly_json(), cls=PlotlyJSONEncoder))


# --- plotly.js ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _plotly_bundle() -> tuple[bytes, bytes, str]:
    raw = PLOTLY_JS.read_bytes()
    return raw, gzip.compress(raw, compresslevel=6, mtime=0), hashlib.sha256(raw).hexdigest()[:12]


def plotly_bundle_digest() -> str:
    """A short digest of the bundle: the version part of its URL, so a new bundle is fetched at once."""
    return _plotly_bundle()[2]


def plotly_bundle_version() -> str:
    """The plotly.js version the bundle was built from (its first comment line)."""
    match = re.search(rb"plotly\.js v([0-9.]+)", _plotly_bundle()[0][:200])
    return match.group(1).decode() if match else ""


@require_GET
def plotly_js(request):
    """The partial plotly.js bundle vendored under static/ (no CDN; see the module docstring)."""
    raw, packed, digest = _plotly_bundle()
    etag = f'"plotly-{digest}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(packed if gzipped else raw, content_type="text/javascript; charset=utf-8")
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
