"""Plotly figures of a program: the timeline (steps and milestones) and pilot against control."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from performance.dashboard_views import _layout

from .choices import MilestoneStatus, StepStatus
from .results import PilotIndicatorResult, ProgramDashboard

STEP_COLORS = {StepStatus.CLOSED: "#16a34a", StepStatus.ACTIVE: "#2563eb", StepStatus.PENDING: "#d1d5db"}
MILESTONE_COLORS = {
    MilestoneStatus.PLANNED: "#6b7280",
    MilestoneStatus.IN_PROGRESS: "#2563eb",
    MilestoneStatus.DONE: "#16a34a",
    MilestoneStatus.CANCELLED: "#9ca3af",
    "overdue": "#dc2626",
}
DAY_MS = 24 * 3600 * 1000


def timeline_figure(dashboard: ProgramDashboard) -> dict:
    """A Gantt view: a bar per started step (to its close, or today), milestones as diamonds on their step's row."""
    today = dashboard.today
    figure = go.Figure(layout=_layout(height=300, hovermode="closest", margin={"l": 160, "r": 12, "t": 12, "b": 40}))
    labels = {step.number: f"{step.number}. {step.get_number_display()}" for step in dashboard.steps}
    for step in dashboard.steps:
        if step.started_on is None:
            continue
        end = step.closed_on or today
        figure.add_trace(
            go.Bar(
                y=[labels[step.number]],
                x=[max((end - step.started_on).days, 1) * DAY_MS],
                base=[step.started_on.isoformat()],
                orientation="h",
                marker={"color": STEP_COLORS[step.status]},
                name=step.get_status_display(),
                showlegend=False,
                hovertemplate=f"{labels[step.number]}<br>{step.started_on} – {end}<extra></extra>",
            )
        )
    for status, color in MILESTONE_COLORS.items():
        milestones = [m for m in dashboard.program.milestones.all() if m.display_status == status]
        if not milestones:
            continue
        figure.add_trace(
            go.Scatter(
                y=[labels[m.step] for m in milestones],
                x=[m.due_date.isoformat() for m in milestones],
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": color, "line": {"width": 1, "color": "#111827"}},
                name=str(_("Overdue") if status == "overdue" else MilestoneStatus(status).label),
                text=[m.title for m in milestones],
                hovertemplate="%{text}<br>%{x}<extra></extra>",
            )
        )
    figure.update_layout(
        xaxis={"type": "date", "gridcolor": "#e5e7eb"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": list(reversed(labels.values()))},
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": today.isoformat(),
                "x1": today.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": "#dc2626", "dash": "dot", "width": 1},
            }
        ],
    )
    return figure.to_plotly_json()


def pilot_figure(result: PilotIndicatorResult, start: dt.date) -> dict:
    """Monthly mean of the pilot units against the control units, with the pilot's start marked."""
    months = [month.strftime("%Y-%m") for month in result.months]
    figure = go.Figure(layout=_layout(hovermode="x unified"))
    figure.add_trace(
        go.Scatter(x=months, y=result.pilot_means, mode="lines+markers", name=_("Pilot"), line={"color": "#2563eb"})
    )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=result.control_means,
            mode="lines+markers",
            name=_("Control"),
            line={"color": "#6b7280", "dash": "dash"},
        )
    )
    start_label = start.replace(day=1).strftime("%Y-%m")
    if start_label in months:
        figure.update_layout(
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": start_label,
                    "x1": start_label,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#dc2626", "dash": "dot", "width": 1},
                }
            ]
        )
    return figure.to_plotly_json()


def radar_comparison_figure(comparison) -> dict | None:
    """The data-derived radar at the baseline against now (0-100; an axis without data is a gap)."""
    rows = comparison.rows()
    labels = [str(row["label"]) for row in rows]
    figure = go.Figure(
        layout=_layout(
            height=340,
            polar={"radialaxis": {"range": [0, 100], "tickvals": [0, 40, 70, 100]}},
            legend={"orientation": "h", "y": -0.12},
            showlegend=True,
            hovermode="closest",
        )
    )
    for key, name, color in (("data_baseline", _("Baseline"), "#9ca3af"), ("data_now", _("Now"), "#2563eb")):
        values = [row[key] for row in rows]
        if all(value is None for value in values):
            continue
        figure.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*labels, labels[0]],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line={"color": color},
            )
        )
    if not figure.data:
        return None
    return figure.to_plotly_json()
