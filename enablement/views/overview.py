"""The enablement overview page: what the module holds and how ready the reader's part of the company is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from org.models import OrgUnit
from org.selectors import ALL_UNITS, scope_root

from ..choices import READY_AT
from ..models import Scenario
from ..readiness import readiness_summary
from ..selectors import activities_with_counts, drill_sessions_visible, journey_maps_with_gaps


@login_required
@permission_required("enablement.view_journeymap", raise_exception=True)
def index(request):
    """Overview: the maps and their gaps, activities, scenarios, recent drills and the reader's readiness."""
    root = scope_root(request.user)
    if root == ALL_UNITS:
        unit = OrgUnit.objects.filter(parent__isnull=True).order_by("code").first()
    else:  # a login that sees no unit gets no readiness summary, not the company's
        unit = OrgUnit.objects.filter(pk=root).first() if isinstance(root, int) else None
    activities = activities_with_counts(request.user).order_by("code")
    context = {
        "maps": journey_maps_with_gaps(),
        "activities": activities,
        "scenarios": Scenario.objects.filter(is_active=True).select_related("capability_item").order_by("code"),
        "recent_drills": drill_sessions_visible(request.user)[:8],
        "unit": unit,
        "readiness": readiness_summary(unit) if unit is not None else None,
        "ready_at": READY_AT,
    }
    return render(request, "enablement/index.html", context)
