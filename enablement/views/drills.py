"""Scenario and drill pages: the scenarios, a new scenario with its criteria, a scenario's sessions, and the
evaluator's scoring sheet for a drill."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from org.selectors import people_visible
from org.ui.formatting import format_number
from org.ui.forms import add_service_errors, submit_form

from ..forms import CriterionFormSet, DrillScoreForm, ScenarioForm
from ..models import Scenario
from ..selectors import drill_sessions_visible
from ..services import drill_session_score, scenario_save


@login_required
@permission_required("enablement.view_scenario", raise_exception=True)
def scenario_list(request):
    """The scenarios (active first) with their capability item and number of criteria."""
    scenarios = (
        Scenario.objects.select_related("capability_item__stage__journey_map")
        .annotate(criteria_count=Count("criteria", distinct=True))
        .order_by("-is_active", "code")
    )
    return render(
        request,
        "enablement/scenario_list.html",
        {"scenarios": scenarios, "can_add": request.user.has_perm("enablement.add_scenario")},
    )


@login_required
@permission_required("enablement.add_scenario", raise_exception=True)
def scenario_new(request):
    """A new scenario with its scoring criteria (three blank rows to start; blank rows are left out)."""
    form = ScenarioForm(request.POST or None, initial={"capability_item": request.GET.get("item")})
    criteria = CriterionFormSet(
        request.POST or None,
        prefix="criteria",
        initial=[{"weight": 1}] * 3 if request.method != "POST" else None,
    )
    response = submit_form(
        request,
        form,
        lambda data: scenario_save(criteria=[row for row in criteria.cleaned_data if row], **data),
        success=_("Scenario created."),
        redirect_to=lambda scenario: redirect("enablement:scenario", code=scenario.code),
        formsets=[criteria],
    )
    return response or render(request, "enablement/scenario_form.html", {"form": form, "criteria": criteria})


@login_required
@permission_required("enablement.view_scenario", raise_exception=True)
def scenario_detail(request, code: str):
    """A scenario, its criteria and the drill sessions held on it (in the reader's scope)."""
    scenario = get_object_or_404(
        Scenario.objects.select_related("capability_item__stage__journey_map").prefetch_related("criteria"), code=code
    )
    sessions = drill_sessions_visible(request.user).filter(scenario=scenario)
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enablement/scenario_detail.html",
        {
            "scenario": scenario,
            "page": page,
            "can_drill": request.user.has_perm("enablement.add_drillsession") and scenario.is_active,
        },
    )


@login_required
@permission_required("enablement.add_drillsession", raise_exception=True)
def drill_new(request, code: str):
    """The evaluator's scoring sheet for one drill session of a scenario."""
    scenario = get_object_or_404(
        Scenario.objects.select_related("capability_item").prefetch_related("criteria"), code=code, is_active=True
    )
    people = people_visible(request.user)
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = DrillScoreForm(request.POST or None, scenario=scenario, people=people, initial=initial)
    # Not submit_form: a session that did not pass is a warning, not a success message.
    if request.method == "POST" and form.is_valid():
        try:
            session = drill_session_score(
                scenario=scenario,
                person=form.cleaned_data["person"],
                scores=form.scores(),
                held_on=form.cleaned_data["held_on"],
                evaluator=request.user,
                notes=form.cleaned_data["notes"],
                recording_url=form.cleaned_data["recording_url"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            values = {
                "score": format_number(session.weighted_score, decimals=2),
                "threshold": format_number(scenario.pass_threshold, decimals=2),
            }
            if session.passed:
                messages.success(
                    request, _("Passed: weighted score %(score)s (threshold %(threshold)s); certified.") % values
                )
            else:
                messages.warning(request, _("Not passed: weighted score %(score)s (threshold %(threshold)s).") % values)
            return redirect("enablement:person", external_id=session.person.external_id)
    return render(
        request,
        "enablement/drill_form.html",
        {"form": form, "scenario": scenario},
    )
