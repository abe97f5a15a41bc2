"""A person's readiness page: per stage, the capability radar, certifications, drills and learning."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from org.selectors import people_visible

from ..charts import person_radar_figure
from ..choices import READY_AT
from ..models import Certification, Scenario
from ..readiness import FORMULA, person_readiness
from ..selectors import drill_sessions_visible, enrolments_visible


@login_required
@permission_required("enablement.view_drillsession", raise_exception=True)
def person_detail(request, external_id: str):
    """A person's readiness per stage, capability radar, certifications, drills and learning."""
    person = people_visible(request.user).filter(external_id=external_id).first()
    if person is None:
        raise Http404
    result = person_readiness(person)
    chart = person_radar_figure(result)
    context = {
        "person": person,
        "readiness": result,
        "chart": chart,
        "charts": [{"id": "person-radar", "figure": chart}] if chart else [],
        "certifications": Certification.objects.filter(person=person).select_related("capability_item", "session"),
        "drills": drill_sessions_visible(request.user).filter(person=person)[:50],
        "enrolments": enrolments_visible(request.user).filter(person=person).order_by("-enrolled_on"),
        "scenarios": Scenario.objects.filter(is_active=True).order_by("code")
        if request.user.has_perm("enablement.add_drillsession")
        else [],
        "formula": FORMULA,
        "ready_at": READY_AT,
        "today": timezone.localdate(),
    }
    return render(request, "enablement/person_detail.html", context)
