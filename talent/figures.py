"""Plotly figures of the talent pages, built server-side and drawn by the locally served plotly.js.

Each function returns a plain JSON-ready dict (``org.ui.charts.figure_json``) for the page's ``charts``;
static/js/charts.js draws every ``[data-figure]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from org.ui.charts import BLUE, GREY_LIGHT, chart_layout, figure_json
from org.ui.formatting import PERCENT, SCORE, hover_value

from .selectors import factor_names, person_attribute_frame
from .stats import BOOLEAN, feature_matrix

HIGH_COLOR = BLUE
CONTROL_COLOR = GREY_LIGHT


def _layout(**extra) -> dict:
    # These charts keep plotly's own template (its axis and title styling), which they were drawn with from
    # the start; the other apps' charts use none.
    return chart_layout(
        **{"template": "plotly", "margin": {"l": 48, "r": 16, "t": 36, "b": 40}, "height": 260, "showlegend": False}
        | extra
    )


def distribution_figures(profile, rows) -> list[dict]:
    """One figure per selected factor: box plots of high vs. control (numeric) or the two proportions (yes/no).

    The groups are the profile's stored members; values are the people's current attributes.
    """
    selected = [row for row in rows if row.selected]
    members = profile.members or {}
    high_ids, control_ids = members.get("high", []), members.get("control", [])
    if not selected or not high_ids:
        return []
    wide = person_attribute_frame(high_ids + control_ids)
    specs = [
        {"feature": row.feature, "factor": row.factor.code, "level": row.level, "kind": row.kind} for row in selected
    ]
    matrix = feature_matrix(wide.reindex(high_ids + control_ids), specs)
    is_high = pd.Series([True] * len(high_ids) + [False] * len(control_ids), index=high_ids + control_ids)
    names = factor_names()
    labels = {True: _("High performers"), False: _("Control group")}
    figures = []
    for position, spec in enumerate(specs):
        column = matrix[spec["feature"]]
        title = names.get(spec["factor"], spec["factor"]) + (f": {spec['level']}" if spec["level"] else "")
        figure = go.Figure(layout=_layout(title={"text": title, "font": {"size": 13}}))
        if spec["kind"] == BOOLEAN:
            shares = [100 * float(column[is_high == flag].mean()) for flag in (True, False)]
            figure.add_trace(
                go.Bar(
                    x=[labels[True], labels[False]],
                    y=[None if np.isnan(value) else value for value in shares],
                    marker={"color": [HIGH_COLOR, CONTROL_COLOR]},
                    hovertemplate=f"%{{x}}: {hover_value(PERCENT, decimals=0)}<extra></extra>",
                )
            )
            figure.update_yaxes(title_text=_("Share (%)"), range=[0, 100])
        else:
            for flag in (True, False):
                values = column[is_high == flag].dropna()
                figure.add_trace(
                    go.Box(
                        y=values.tolist(),
                        name=labels[flag],
                        marker={"color": HIGH_COLOR if flag else CONTROL_COLOR},
                        boxmean=True,
                    )
                )
        figures.append(
            {
                "id": f"factor-plot-{position}-data",
                "plot_id": f"factor-plot-{position}",
                "title": title,
                "figure": figure_json(figure),
            }
        )
    return figures


def calibration_figure(calibration) -> dict | None:
    """Scatter of match score at hire against the criterion later; high performers highlighted."""
    rows = calibration.rows
    if rows.empty:
        return None
    figure = go.Figure(
        layout=_layout(
            height=340,
            showlegend=True,
            legend={"orientation": "h", "y": -0.25},
            xaxis={"title": {"text": _("Match score at hire")}, "range": [0, 100]},
            yaxis={"title": {"text": str(calibration.profile.criterion.name)}},
        )
    )
    for flag, name, color in ((True, _("Became a high performer"), HIGH_COLOR), (False, _("Others"), CONTROL_COLOR)):
        part = rows[rows["is_high"] == flag]
        figure.add_trace(
            go.Scatter(
                x=part["score"].round(1).tolist(),
                y=part["criterion"].round(3).tolist(),
                text=part["name"].tolist(),
                mode="markers",
                name=name,
                marker={"color": color, "size": 9},
                hovertemplate=(
                    f"%{{text}}: {hover_value(SCORE, axis='x')}, "
                    f"{hover_value(calibration.profile.criterion.unit, axis='y')}<extra></extra>"
                ),
            )
        )
    return figure_json(figure)
