"""Plotly figures of the diagnosis pages: the capability radar, the heatmap and the trend.

Figures are built here with plotly's Python package on the shared chart look (org.ui.charts) and drawn in
the browser by the locally served plotly.js, never from a CDN.
"""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from org.ui.charts import BLUE, GREY, SCORE_COLORSCALE, TEAL, chart_layout, figure_json, value_axis
from org.ui.formatting import SCORE, hover_value

COLORS = {"self_assessed": BLUE, "data_derived": TEAL}
# Room for the radar's axis labels on both sides.
MARGIN = {"l": 48, "r": 48, "t": 24, "b": 40}


def _layout(**extra) -> dict:
    return chart_layout(**{"margin": MARGIN, **extra})


def radar_figure(series_list) -> dict:
    """Both series on four axes (0-100). An axis without data is a gap, and says so in its label."""
    if not series_list:
        return {}
    axes = series_list[0].axes
    no_data = {axes[i].axis for i in range(len(axes)) if all(s.axes[i].value is None for s in series_list)}
    labels = [f"{axis.label} ({_('no data')})" if axis.axis in no_data else str(axis.label) for axis in axes]
    figure = go.Figure(
        layout=_layout(
            height=380,
            polar={
                "radialaxis": {"range": [0, 100], "tickvals": [0, 40, 70, 100]},
                "angularaxis": {"direction": "clockwise"},
            },
            legend={"orientation": "h", "y": -0.12},
            showlegend=True,
        )
    )
    for series in series_list:
        values = [axis.value for axis in series.axes]
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*labels, labels[0]],
                name=str(series.label),
                mode="lines+markers",
                fill="toself" if all(v is not None for v in values) else "none",
                connectgaps=False,
                line={"color": COLORS.get(series.series, GREY)},
                hovertemplate=f"%{{theta}}: {hover_value(SCORE, axis='r')}",
            )
        )
    return figure_json(figure)


def heatmap_figure(rows: list[dict], columns: list[tuple[str, str]]) -> dict:
    """Root-cause scores by org unit; empty cells are units without a score for that root cause.

    A row is keyed by the unit's code and labelled with its label (``row["label"]``, org.ui.names), so
    that two same-named units stay two rows that read apart."""
    figure = go.Figure(
        layout=_layout(height=max(220, 60 + 28 * len(rows)), margin={"l": 160, "r": 24, "t": 24, "b": 80})
    )
    figure.add_trace(
        go.Heatmap(
            z=[[row["scores"].get(code) for code, _label in columns] for row in rows],
            x=[str(label) for _code, label in columns],
            y=[row["unit"].code for row in rows],
            customdata=[[row["label"]] * len(columns) for row in rows],
            zmin=0,
            zmax=100,
            colorscale=SCORE_COLORSCALE,
            hoverongaps=False,
            hovertemplate=f"%{{customdata}}<br>%{{x}}: {hover_value(SCORE, axis='z')}<extra></extra>",
            colorbar={"title": {"text": _("Score")}},
        )
    )
    figure.update_yaxes(
        autorange="reversed",
        type="category",
        tickmode="array",
        tickvals=[row["unit"].code for row in rows],
        ticktext=[row["label"] for row in rows],
        automargin=True,  # labels with their parents are long: the margin grows to show them whole
    )
    return figure_json(figure)


def trend_figure(points: list[dict], columns: list[tuple[str, str]]) -> dict:
    """One line per root cause over the unit's closed rounds."""
    figure = go.Figure(
        layout=_layout(
            height=320,
            yaxis=value_axis(SCORE, range=[0, 100]),
            legend={"orientation": "h", "y": -0.25},
            hovermode="x unified",
        )
    )
    labels = [point["label"] for point in points]
    for code, label in columns:
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[point["scores"].get(code) for point in points],
                name=str(label),
                mode="lines+markers",
                connectgaps=False,
            )
        )
    figure.update_xaxes(type="category")
    return figure_json(figure)
