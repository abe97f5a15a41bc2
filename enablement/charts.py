"""Plotly figures of the enablement pages: impact over time, a person's capability radar, team readiness."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from org.ui.charts import (
    BLUE,
    GREEN,
    GREY_LIGHT,
    GREY_LIGHTER,
    TRANSPARENT,
    figure_json,
    series_layout,
    value_axis,
)
from org.ui.formatting import SCORE

from .choices import READY_AT
from .readiness import PersonReadiness
from .stats import ImpactResult

TREATED_COLOR = BLUE
CONTROL_COLOR = GREY_LIGHT


def impact_figure(result: ImpactResult, metric_name: str) -> dict | None:
    """Participants and comparable people, month by month around the completion (0 = completion month)."""
    if not result.series:
        return None
    offsets = [point["offset"] for point in result.series]
    figure = go.Figure(
        layout=series_layout(
            height=280,
            xaxis={"title": {"text": _("Months from completion")}, "zeroline": True, "dtick": 1},
            yaxis=value_axis(None, title={"text": metric_name}),
        )
    )
    for key, label, color, dash in (
        ("treated", _("Participants"), TREATED_COLOR, "solid"),
        ("control", _("Comparable people who did not take part"), CONTROL_COLOR, "dash"),
    ):
        figure.add_trace(
            go.Scatter(
                x=offsets,
                y=[point[key] for point in result.series],
                mode="lines+markers",
                name=label,
                line={"color": color, "dash": dash, "width": 2},
                connectgaps=False,
            )
        )
    figure.add_vline(x=0, line={"color": GREY_LIGHTER, "dash": "dot"})
    return figure_json(figure)


def person_radar_figure(readiness: PersonReadiness) -> dict | None:
    """One axis per capability item: the level certified against the level required (0-4)."""
    if not readiness.items:
        return None
    names = [item.name for item in readiness.items]
    closed = names + names[:1]
    certified = [item.certified_level for item in readiness.items]
    required = [item.required_level for item in readiness.items]
    figure = go.Figure(
        layout=series_layout(
            height=380,
            hovermode="closest",
            polar={"radialaxis": {"range": [0, 4], "dtick": 1}, "bgcolor": TRANSPARENT},
            margin={"l": 64, "r": 64, "t": 24, "b": 24},
        )
    )
    figure.add_trace(
        go.Scatterpolar(
            r=required + required[:1],
            theta=closed,
            name=_("Level required"),
            line={"color": CONTROL_COLOR, "dash": "dash"},
        )
    )
    figure.add_trace(
        go.Scatterpolar(
            r=certified + certified[:1],
            theta=closed,
            name=_("Level certified"),
            fill="toself",
            line={"color": TREATED_COLOR},
        )
    )
    return figure_json(figure)


def team_readiness_figure(stages: list[dict]) -> dict | None:
    """Mean readiness per stage, with the ready line at 70."""
    if not stages:
        return None
    figure = go.Figure(layout=series_layout(height=260, yaxis=value_axis(SCORE, range=[0, 100])))
    figure.add_trace(
        go.Bar(
            x=[stage["name"] for stage in stages],
            y=[stage["value"] for stage in stages],
            marker={"color": TREATED_COLOR},
            name=_("Mean readiness"),
        )
    )
    figure.add_hline(y=READY_AT, line={"color": GREEN, "dash": "dash"})
    return figure_json(figure)
