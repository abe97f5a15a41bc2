"""The team readiness page: a unit's readiness per stage, its sub-units and its people."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render

from org.models import OrgUnitClosure
from org.selectors import org_units_visible, unit_from_params

from ..charts import team_readiness_figure
from ..choices import READY_AT
from ..readiness import FORMULA, team_readiness

TEAM_PEOPLE_SHOWN = 200


@login_required
@permission_required("enablement.view_drillsession", raise_exception=True)
def readiness(request):
    """A unit's readiness per stage, its sub-units and its people (lowest first: who needs help first)."""
    units = org_units_visible(request.user).order_by("code")
    unit = unit_from_params(request.user, request.GET)
    if unit is None:
        raise Http404
    team = team_readiness(unit)
    chart = team_readiness_figure(team.stages)
    people = sorted(team.people, key=lambda row: (row.overall is None, row.overall or 0, row.person.name))
    children = []
    child_units = list(units.filter(parent=unit))
    if child_units:
        by_unit = {}
        for row in team.people:
            by_unit.setdefault(row.person.org_unit_id, []).append(row)
        links = OrgUnitClosure.objects.filter(ancestor__in=child_units).values_list("ancestor_id", "descendant_id")
        members: dict[int, list] = {}
        for ancestor_id, descendant_id in links:
            members.setdefault(ancestor_id, []).extend(by_unit.get(descendant_id, []))
        for child in child_units:
            rows = [r for r in members.get(child.pk, []) if r.overall is not None]
            children.append(
                {
                    "unit": child,
                    "people": len(members.get(child.pk, [])),
                    "overall": round(sum(r.overall for r in rows) / len(rows), 1) if rows else None,
                    "ready": round(100 * sum(r.ready for r in rows) / len(rows), 1) if rows else None,
                }
            )
    context = {
        "unit": unit,
        "units": units,
        "team": team,
        "people": people[:TEAM_PEOPLE_SHOWN],
        "people_hidden": max(0, len(people) - TEAM_PEOPLE_SHOWN),
        "children": children,
        "chart": chart,
        "charts": [{"id": "readiness-chart", "figure": chart}] if chart else [],
        "formula": FORMULA,
        "ready_at": READY_AT,
    }
    return render(request, "enablement/readiness.html", context)
