"""Plotly figures of the KPI dashboard: an indicator over the window, the sub-units side by side, LTV by cohort.

They build on the shared chart look (org.ui.charts); the dashboard page passes them to its template.
"""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from org.ui.charts import BLUE, GRID, RED, TEAL, TEAL_LIGHT, figure_json, series_layout, value_axis
from org.ui.formatting import MONEY

from .choices import PeriodKind
from .dashboards import Dashboard, period_axis_label

# Labels under the axis are never cut: the margin grows to fit them (tilted when they do not fit flat),
# and the legend sits above the plot where it cannot collide with tilted labels.
X_AXIS = {"type": "category", "gridcolor": GRID, "automargin": True}
LEGEND_ON_TOP = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"}

COLORS = {"unit": BLUE, "target": RED, "bar": TEAL, "realized": TEAL, "projected": TEAL_LIGHT}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def series_figure(dashboard: Dashboard, series) -> dict:
    """One indicator of the unit over the window, with its target as a dashed line; the value axis starts at 0,
    so a move of a tenth of a point does not look like a cliff."""
    by_start = {point.period_start: point.value for point in series.points}
    labels = [period_axis_label(start, dashboard.period) for start in dashboard.period_starts]
    figure = go.Figure(
        layout=series_layout(
            showlegend=series.target is not None,
            margin={"l": 56, "r": 12, "t": 28, "b": 32},
            xaxis=X_AXIS,
            yaxis=value_axis(series.indicator.unit, rangemode="tozero"),
            legend=LEGEND_ON_TOP,
        )
    )
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
    if series.target is not None:
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[float(series.target)] * len(labels),
                mode="lines",
                name=_("Target"),
                line={"color": COLORS["target"], "dash": "dash"},
            )
        )
    return figure_json(figure)


def children_figure(dashboard: Dashboard) -> dict | None:
    """The child units side by side on one indicator in the latest period."""
    indicator = dashboard.chart_indicator
    if indicator is None or not dashboard.children:
        return None
    names = [row.subject.name for row in dashboard.children]
    figure = go.Figure(
        layout=series_layout(
            height=280,
            hovermode="closest",
            showlegend=False,
            xaxis=X_AXIS,
            yaxis=value_axis(indicator.unit, rangemode="tozero"),
        )
    )
    figure.add_trace(
        go.Bar(
            x=names,
            y=[_float(row.values.get(indicator.code)) for row in dashboard.children],
            name=indicator.name,
            marker={"color": COLORS["bar"]},
        )
    )
    target = dashboard.target_of(indicator)
    if target is not None:
        # A line across the whole plot (not from the first bar's centre to the last's).
        figure.add_hline(
            y=float(target),
            line={"color": COLORS["target"], "dash": "dash"},
            annotation_text=_("Target"),
            annotation_position="top right",
        )
    return figure_json(figure)


def ltv_figure(dashboard: Dashboard) -> dict | None:
    """Average LTV per customer by acquisition cohort: realized margin plus the projected part."""
    if not dashboard.ltv_cohorts:
        return None
    labels = [period_axis_label(row.cohort, PeriodKind.QUARTER) for row in dashboard.ltv_cohorts]
    realized = [float(row.realized_total / row.customers) if row.customers else None for row in dashboard.ltv_cohorts]
    projected = [
        float((row.ltv_total - row.realized_total) / row.customers) if row.customers else None
        for row in dashboard.ltv_cohorts
    ]
    figure = go.Figure(
        layout=series_layout(
            height=280,
            barmode="stack",
            margin={"l": 72, "r": 12, "t": 28, "b": 32},
            legend=LEGEND_ON_TOP,
            xaxis=X_AXIS,
            yaxis=value_axis(MONEY, rangemode="tozero"),
        )
    )
    figure.add_trace(go.Bar(x=labels, y=realized, name=_("Realized margin"), marker={"color": COLORS["realized"]}))
    figure.add_trace(go.Bar(x=labels, y=projected, name=_("Projected margin"), marker={"color": COLORS["projected"]}))
    return figure_json(figure)
