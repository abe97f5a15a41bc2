"""KPI dashboard pages (Plotly charts) and the local plotly.js bundle they load.

plotly.js is served by ``plotly_js`` straight from the installed ``plotly`` Python package
(``plotly/package_data/plotly.min.js``) rather than from a copy committed under static/:
the figures are built by that same package, so the browser bundle always matches the
figure schema it was made for, an upgrade of ``plotly`` needs no copy step to remember,
and no 4.8 MB generated file lives in the repository. The response carries the package
version as ETag, is cached for a year (the URL carries the version) and is gzipped once
per process.
"""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import plotly
import plotly.graph_objects as go
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from org.months import MonthError, parse_day

from .choices import IndicatorUnit, PeriodKind
from .dashboards import ASC, DESC, NAME, Dashboard, dashboard_build, dashboard_unit, period_label
from .read_cache import cached_page

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_VERSION = plotly.__version__

# Decimal places shown per indicator unit.
DECIMALS = {
    IndicatorUnit.PERCENT: 1,
    IndicatorUnit.DAYS: 1,
    IndicatorUnit.MONEY: 0,
    IndicatorUnit.SCORE: 1,
    IndicatorUnit.COUNT: 0,
    IndicatorUnit.HOURS: 1,
}
COLORS = {"unit": "#2563eb", "target": "#dc2626", "bar": "#0f766e", "realized": "#0f766e", "projected": "#99f6e4"}


# --- plotly.js ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _plotly_bundle() -> tuple[bytes, bytes]:
    raw = PLOTLY_JS.read_bytes()
    return raw, gzip.compress(raw, compresslevel=6, mtime=0)


@require_GET
def plotly_js(request):
    """The plotly.js bundle of the installed plotly package (no CDN; see the module docstring)."""
    etag = f'"plotly-{PLOTLY_VERSION}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    raw, packed = _plotly_bundle()
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(packed if gzipped else raw, content_type="text/javascript; charset=utf-8")
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# --- display helpers -------------------------------------------------------------------------


def format_value(value: Decimal | None, unit: str) -> str:
    """A value as the dashboard prints it: grouped digits, unit-specific decimals, % for percentages."""
    if value is None:
        return "–"
    places = DECIMALS.get(unit, 2)
    # number_format truncates; round half up first so 66.66667 reads 66.7.
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{text} %" if unit == IndicatorUnit.PERCENT else text


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _layout(**extra) -> dict:
    layout = {
        "template": "none",
        "height": 240,
        "margin": {"l": 56, "r": 12, "t": 12, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "xaxis": {"type": "category", "gridcolor": "#e5e7eb"},
        "yaxis": {"gridcolor": "#e5e7eb", "zerolinecolor": "#d1d5db"},
        "legend": {"orientation": "h", "y": -0.22},
        "hovermode": "x unified",
    }
    layout.update(extra)
    return layout


def series_figure(dashboard: Dashboard, series) -> dict:
    """One indicator of the unit over the window, with its target as a dashed line."""
    by_start = {point.period_start: point.value for point in series.points}
    labels = [period_label(start, dashboard.period) for start in dashboard.period_starts]
    figure = go.Figure(layout=_layout(showlegend=series.indicator.target is not None))
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[_float(by_start.get(start)) for start in dashboard.period_starts],
            mode="lines+markers",
            name=dashboard.unit.name,
            line={"color": COLORS["unit"]},
            connectgaps=False,
        )
    )
    if series.indicator.target is not None:
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[float(series.indicator.target)] * len(labels),
                mode="lines",
                name=_("Target"),
                line={"color": COLORS["target"], "dash": "dash"},
            )
        )
    return figure.to_plotly_json()


def children_figure(dashboard: Dashboard) -> dict | None:
    """The child units side by side on one indicator in the latest period."""
    indicator = dashboard.chart_indicator
    if indicator is None or not dashboard.children:
        return None
    names = [row.subject.name for row in dashboard.children]
    figure = go.Figure(layout=_layout(height=280, hovermode="closest", showlegend=False))
    figure.add_trace(
        go.Bar(
            x=names,
            y=[_float(row.values.get(indicator.code)) for row in dashboard.children],
            name=indicator.name,
            marker={"color": COLORS["bar"]},
        )
    )
    if indicator.target is not None:
        # A line across the whole plot (not from the first bar's centre to the last's).
        figure.add_hline(
            y=float(indicator.target),
            line={"color": COLORS["target"], "dash": "dash"},
            annotation_text=_("Target"),
            annotation_position="top right",
        )
    return figure.to_plotly_json()


def ltv_figure(dashboard: Dashboard) -> dict | None:
    """Average LTV per customer by acquisition cohort: realized margin plus the projected part."""
    if not dashboard.ltv_cohorts:
        return None
    labels = [period_label(row.cohort, PeriodKind.QUARTER) for row in dashboard.ltv_cohorts]
    realized = [float(row.realized_total / row.customers) if row.customers else None for row in dashboard.ltv_cohorts]
    projected = [
        float((row.ltv_total - row.realized_total) / row.customers) if row.customers else None
        for row in dashboard.ltv_cohorts
    ]
    figure = go.Figure(
        layout=_layout(height=280, barmode="stack", legend={"orientation": "h", "y": -0.22, "traceorder": "normal"})
    )
    figure.add_trace(go.Bar(x=labels, y=realized, name=_("Realized margin"), marker={"color": COLORS["realized"]}))
    figure.add_trace(go.Bar(x=labels, y=projected, name=_("Projected margin"), marker={"color": COLORS["projected"]}))
    return figure.to_plotly_json()


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.items())) if params else "?"


def _sort_columns(request, dashboard: Dashboard, *, sort_key: str, order_key: str, active: str, order: str, extra=None):
    """Header links of a sortable table: clicking the active column flips the order."""
    columns = [{"code": NAME, "label": _("Name"), "unit": None}] + [
        {"code": indicator.code, "label": indicator.name, "unit": indicator.unit} for indicator in dashboard.indicators
    ]
    for column in columns:
        is_active = column["code"] == active
        # Names read best A→Z first; values best highest first.
        first = ASC if column["code"] == NAME else DESC
        next_order = (ASC if order == DESC else DESC) if is_active else first
        column["url"] = _query(request, **{sort_key: column["code"], order_key: next_order, **(extra or {})})
        column["active"] = is_active
        column["order"] = order if is_active else None
    return columns


def _rows(rows, indicators) -> list[dict]:
    return [
        {
            "subject": row.subject,
            "cells": [format_value(row.values.get(indicator.code), indicator.unit) for indicator in indicators],
        }
        for row in rows
    ]


def _parse_month(raw: str | None) -> dt.date | None:
    """The ``to`` month of the page; a month that cannot be read is left out (the latest data is shown)."""
    if not raw:
        return None
    try:
        return parse_day(raw)
    except MonthError:
        return None


# --- the page ----------------------------------------------------------------------------------


@login_required
@cached_page
def dashboard(request, code: str | None = None):
    """An org unit's KPI dashboard; 404 for a unit outside the viewer's subtree."""
    unit = dashboard_unit(user=request.user, code=code)
    if unit is None:
        if code:
            raise Http404
        return render(request, "performance/dashboard_no_scope.html")
    period = request.GET.get("period")
    period = period if period in PeriodKind.values else PeriodKind.QUARTER
    data = dashboard_build(
        user=request.user,
        unit=unit,
        period=period,
        to=_parse_month(request.GET.get("to")),
        sort=request.GET.get("sort"),
        order=request.GET.get("order"),
        people_sort=request.GET.get("people_sort"),
        people_order=request.GET.get("people_order"),
        people_page=request.GET.get("page") or 1,
    )
    charts = []

    def chart(figure: dict | None) -> str | None:
        if figure is None:
            return None
        charts.append({"id": f"dashboard-chart-{len(charts)}", "figure": figure})
        return charts[-1]["id"]

    def cards(items):
        return [
            {
                "indicator": item.indicator,
                "latest": format_value(item.latest, item.indicator.unit),
                "previous": format_value(item.previous, item.indicator.unit),
                "target": format_value(item.indicator.target, item.indicator.unit)
                if item.indicator.target is not None
                else None,
                "on_target": item.on_target,
                "chart": chart(series_figure(data, item)),
            }
            for item in items
        ]

    leading, lagging = cards(data.leading), cards(data.lagging)
    children_chart = chart(children_figure(data))
    ltv_chart = chart(ltv_figure(data))
    ltv_rows = [
        {
            "cohort": period_label(row.cohort, PeriodKind.QUARTER),
            "customers": row.customers,
            "average_ltv": format_value(row.average_ltv, IndicatorUnit.MONEY),
            "average_realized": format_value(
                row.realized_total / row.customers if row.customers else None, IndicatorUnit.MONEY
            ),
            "cac": format_value(row.cac, IndicatorUnit.MONEY),
            "ltv_to_cac": format_value(row.ltv_to_cac, IndicatorUnit.DAYS),  # one decimal, like days
        }
        for row in data.ltv_cohorts
    ]
    return render(
        request,
        "performance/dashboard.html",
        {
            "dashboard": data,
            "unit": unit,
            "periods": [
                {
                    "value": value,
                    "label": label,
                    "url": _query(request, period=value, page=None),
                    "active": value == period,
                }
                for value, label in PeriodKind.choices
            ],
            "latest_label": period_label(data.latest_start, period) if data.latest_start else None,
            "leading": leading,
            "lagging": lagging,
            "children_chart": children_chart,
            "chart_indicator": data.chart_indicator,
            "child_columns": _sort_columns(
                request, data, sort_key="sort", order_key="order", active=data.sort, order=data.order
            ),
            "child_rows": _rows(data.children, data.indicators),
            "people_columns": _sort_columns(
                request,
                data,
                sort_key="people_sort",
                order_key="people_order",
                active=data.people_sort,
                order=data.people_order,
                extra={"page": None},
            ),
            "people_rows": _rows(data.people.object_list, data.indicators),
            "people_page": data.people,
            "page_prev": _query(request, page=data.people.previous_page_number())
            if data.people.has_previous()
            else None,
            "page_next": _query(request, page=data.people.next_page_number()) if data.people.has_next() else None,
            "ltv_chart": ltv_chart,
            "ltv_rows": ltv_rows,
            "charts": charts,
            "plotly_version": PLOTLY_VERSION,
        },
    )
