"""Plotly figures of a program: the timeline (steps and milestones) and pilot against control."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from org.ui.charts import (
    BLUE,
    GREEN,
    GREY,
    GREY_LIGHT,
    GREY_LIGHTER,
    GRID,
    INK,
    RED,
    figure_json,
    series_layout,
    value_axis,
)
from org.ui.dates import day_text, month_starts, month_text

from .choices import MilestoneStatus, StepStatus
from .results import PilotIndicatorResult, ProgramDashboard

STEP_COLORS = {StepStatus.CLOSED: GREEN, StepStatus.ACTIVE: BLUE, StepStatus.PENDING: GREY_LIGHTER}
MILESTONE_COLORS = {
    MilestoneStatus.PLANNED: GREY,
    MilestoneStatus.IN_PROGRESS: BLUE,
    MilestoneStatus.DONE: GREEN,
    MilestoneStatus.CANCELLED: GREY_LIGHT,
    "overdue": RED,
}
DAY_MS = 24 * 3600 * 1000
MAX_MONTH_TICKS = 8


def month_ticks(days: list[dt.date]) -> dict:
    """A date axis labelled by month in the active language (plotly.js would write English month names):
    a tick on the first of the months the days span, every second or third month on long spans."""
    months = month_starts(min(days), max(days))
    every = -(-len(months) // MAX_MONTH_TICKS)
    months = months[::every]
    return {
        "tickmode": "array",
        "tickvals": [m.isoformat() for m in months],
        "ticktext": [month_text(m) for m in months],
    }


def timeline_figure(dashboard: ProgramDashboard) -> dict:
    """A Gantt view: a bar per started step (to its close, or today), milestones as diamonds on their step's row."""
    today = dashboard.today
    figure = go.Figure(
        layout=series_layout(height=300, hovermode="closest", margin={"l": 160, "r": 12, "t": 12, "b": 40})
    )
    labels = {step.number: f"{step.number}. {step.get_number_display()}" for step in dashboard.steps}
    days = [today]
    for step in dashboard.steps:
        if step.started_on is None:
            continue
        end = step.closed_on or today
        days += [step.started_on, end]
        figure.add_trace(
            go.Bar(
                y=[labels[step.number]],
                x=[max((end - step.started_on).days, 1) * DAY_MS],
                base=[step.started_on.isoformat()],
                orientation="h",
                marker={"color": STEP_COLORS[step.status]},
                name=step.get_status_display(),
                showlegend=False,
                hovertemplate=f"{labels[step.number]}<br>{day_text(step.started_on)} – {day_text(end)}<extra></extra>",
            )
        )
    for status, color in MILESTONE_COLORS.items():
        milestones = [m for m in dashboard.program.milestones.all() if m.display_status == status]
        if not milestones:
            continue
        days += [m.due_date for m in milestones]
        figure.add_trace(
            go.Scatter(
                y=[labels[m.step] for m in milestones],
                x=[m.due_date.isoformat() for m in milestones],
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": color, "line": {"width": 1, "color": INK}},
                name=str(_("Overdue") if status == "overdue" else MilestoneStatus(status).label),
                text=[m.title for m in milestones],
                customdata=[day_text(m.due_date) for m in milestones],
                hovertemplate="%{text}<br>%{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        xaxis={"type": "date", "gridcolor": GRID, **month_ticks(days)},
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
                "line": {"color": RED, "dash": "dot", "width": 1},
            }
        ],
    )
    return figure_json(figure)


def pilot_figure(result: PilotIndicatorResult, start: dt.date) -> dict:
    """Monthly mean of the pilot units against the control units, with the pilot's start marked."""
    months = [month_text(month) for month in result.months]
    figure = go.Figure(layout=series_layout(hovermode="x unified", yaxis=value_axis(result.key.indicator.unit)))
    figure.add_trace(
        go.Scatter(x=months, y=result.pilot_means, mode="lines+markers", name=_("Pilot"), line={"color": BLUE})
    )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=result.control_means,
            mode="lines+markers",
            name=_("Control"),
            line={"color": GREY, "dash": "dash"},
        )
    )
    start_label = month_text(start)
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
                    "line": {"color": RED, "dash": "dot", "width": 1},
                }
            ]
        )
    return figure_json(figure)


def radar_comparison_figure(comparison) -> dict | None:
    """The data-derived radar at the baseline against now (0-100; an axis without data is a gap)."""
    rows = comparison.rows()
    labels = [str(row["label"]) for row in rows]
    figure = go.Figure(
        layout=series_layout(
            height=340,
            polar={"radialaxis": {"range": [0, 100], "tickvals": [0, 40, 70, 100]}},
            legend={"orientation": "h", "y": -0.12},
            showlegend=True,
            hovermode="closest",
        )
    )
    for key, name, color in (("data_baseline", _("Baseline"), GREY_LIGHT), ("data_now", _("Now"), BLUE)):
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
    return figure_json(figure)
