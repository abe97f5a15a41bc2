"""Pages about units across rounds: a unit's radar, its trend over rounds, and the heatmap comparing units."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from org.choices import OrgUnitKind
from org.models import OrgUnit
from org.selectors import unit_in_scope
from org.ui.names import request_unit_labels

from ..charts import heatmap_figure, radar_figure, trend_figure
from ..comparison import heatmap_rows, root_cause_columns, trend_points
from ..radar import SELF_FORMULA, unit_radar
from ..selectors import VIEW_ROUNDS
from .results import radar_rows


def _unit_in_scope(request, code: str) -> OrgUnit:
    if not request.user.has_perm(VIEW_ROUNDS):
        raise PermissionDenied
    return unit_in_scope(request.user, code)


@login_required
def unit_radar_page(request, code):
    """A unit's capability radar: both series, each axis's formula and inputs, when each was computed."""
    unit = _unit_in_scope(request, code)
    radar = unit_radar(unit)
    series = [radar.self_assessed, radar.data_derived]
    return render(
        request,
        "diagnosis/unit_radar.html",
        {
            "unit": unit,
            "radar": radar,
            "radar_rows": radar_rows(radar.self_assessed, radar.data_derived),
            "self_formula": SELF_FORMULA,
            "charts": [{"id": "radar-figure", "figure": radar_figure(series)}],
        },
    )


@login_required
def compare_page(request):
    """Heatmap: root-cause scores of each visible unit's latest closed round."""
    if not request.user.has_perm(VIEW_ROUNDS):
        raise PermissionDenied
    kind = request.GET.get("kind") or ""
    if kind not in OrgUnitKind.values:
        kind = ""
    rows = heatmap_rows(request.user, kind=kind or None, labels=request_unit_labels(request))
    columns = root_cause_columns()
    return render(
        request,
        "diagnosis/compare.html",
        {
            "rows": [{**row, "cells": [row["scores"].get(code) for code, _label in columns]} for row in rows],
            "columns": columns,
            "kinds": [("", _("All levels")), *OrgUnitKind.choices],
            "kind": kind,
            "charts": [{"id": "heatmap-figure", "figure": heatmap_figure(rows, columns)}] if rows else [],
        },
    )


@login_required
def unit_trend_page(request, code):
    """One unit's root-cause scores over its closed rounds."""
    unit = _unit_in_scope(request, code)
    points = trend_points(unit)
    columns = root_cause_columns()
    return render(
        request,
        "diagnosis/unit_trend.html",
        {
            "unit": unit,
            "points": [{**p, "cells": [p["scores"].get(code) for code, _label in columns]} for p in points],
            "columns": columns,
            "charts": [{"id": "trend-figure", "figure": trend_figure(points, columns)}] if points else [],
        },
    )
