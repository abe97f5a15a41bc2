"""Browser pages of the enablement module: overview, journey maps, activities with impact, scenarios and drills,
team and person readiness."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.models import OrgUnit, OrgUnitClosure
from org.selectors import ALL_UNITS, org_units_visible, people_visible, scope_root

from .charts import impact_figure, person_radar_figure, team_readiness_figure
from .choices import READY_AT
from .forms import (
    CapabilityItemForm,
    CriterionFormSet,
    DrillScoreForm,
    EnrolmentForm,
    ImpactForm,
    JourneyStageForm,
    LearningActivityForm,
    MapCopyForm,
    ScenarioForm,
)
from .impact import METHOD, impact_of, metric_choices, three_layers
from .models import CapabilityItem, Certification, JourneyMap, JourneyStage, LearningActivity, Scenario
from .readiness import FORMULA, person_readiness, readiness_summary, team_readiness
from .selectors import (
    activities_with_counts,
    coverage_gaps,
    drill_sessions_visible,
    enrolments_visible,
    journey_map_with_details,
    journey_maps_with_gaps,
)
from .services import (
    capability_item_delete,
    capability_item_save,
    drill_session_score,
    enrolment_record,
    journey_map_copy,
    journey_stage_update,
    learning_activity_save,
    scenario_save,
)

PEOPLE_SUGGESTIONS = 500
TEAM_PEOPLE_SHOWN = 200


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named field where the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _people_options(user):
    return people_visible(user).order_by("name").values_list("external_id", "name")[:PEOPLE_SUGGESTIONS]


# --- overview ---------------------------------------------------------------------------


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


# --- journey maps -----------------------------------------------------------------------


@login_required
@permission_required("enablement.view_journeymap", raise_exception=True)
def map_detail(request, pk: int):
    """The visual map: stages as columns with behaviours, pitfalls, capability items, activities and indicators."""
    journey_map = journey_map_with_details(pk)
    if journey_map is None:
        raise Http404
    can_edit = request.user.has_perm("enablement.change_journeymap")
    context = {
        "journey_map": journey_map,
        "gaps": coverage_gaps(journey_map),
        "can_edit": can_edit,
        "copy_form": MapCopyForm(initial={"name_en": journey_map.name_en, "name_zh": journey_map.name_zh})
        if request.user.has_perm("enablement.add_journeymap")
        else None,
        "item_form": CapabilityItemForm() if can_edit else None,
    }
    return render(request, "enablement/map_detail.html", context)


@login_required
@permission_required("enablement.add_journeymap", raise_exception=True)
@require_POST
def map_copy(request, pk: int):
    source = get_object_or_404(JourneyMap, pk=pk)
    form = MapCopyForm(request.POST)
    if form.is_valid():
        try:
            copy = journey_map_copy(source=source, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Map copied. Adapt the copy to the role and segment."))
            return redirect("enablement:map", pk=copy.pk)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("enablement:map", pk=pk)


@login_required
@permission_required("enablement.change_journeymap", raise_exception=True)
def stage_edit(request, pk: int):
    stage = get_object_or_404(JourneyStage.objects.select_related("journey_map"), pk=pk)
    form = JourneyStageForm(request.POST or None, instance=stage)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        indicators = data.pop("indicators")
        try:
            journey_stage_update(stage=stage, indicators=indicators, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Stage saved."))
            return redirect(f"{stage.journey_map.get_absolute_url()}#stage-{stage.code}")
    return render(request, "enablement/stage_form.html", {"form": form, "stage": stage})


@login_required
@permission_required("enablement.change_journeymap", raise_exception=True)
def item_add(request, stage_pk: int):
    stage = get_object_or_404(JourneyStage.objects.select_related("journey_map"), pk=stage_pk)
    return _item_form(request, stage=stage, item=None)


@login_required
@permission_required("enablement.change_journeymap", raise_exception=True)
def item_edit(request, pk: int):
    item = get_object_or_404(CapabilityItem.objects.select_related("stage__journey_map"), pk=pk)
    if request.method == "POST" and request.POST.get("delete"):
        try:
            capability_item_delete(item=item)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("enablement:item-edit", pk=pk)
        messages.success(request, _("Capability item deleted."))
        return redirect(item.stage.journey_map.get_absolute_url())
    return _item_form(request, stage=item.stage, item=item)


def _item_form(request, *, stage: JourneyStage, item: CapabilityItem | None):
    form = CapabilityItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            saved = capability_item_save(item=item, stage=stage, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Capability item saved."))
            return redirect(f"{stage.journey_map.get_absolute_url()}#item-{saved.code}")
    return render(request, "enablement/item_form.html", {"form": form, "stage": stage, "item": item})


# --- learning activities ------------------------------------------------------------------


@login_required
@permission_required("enablement.view_learningactivity", raise_exception=True)
def activity_list(request):
    activities = (
        activities_with_counts(request.user).annotate(items=Count("capability_items", distinct=True)).order_by("code")
    )
    form = None
    if request.user.has_perm("enablement.add_learningactivity"):
        form = LearningActivityForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                activity = learning_activity_save(**form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Activity created."))
                return redirect("enablement:activity", code=activity.code)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "enablement/activity_list.html", {"activities": activities, "form": form})


@login_required
@permission_required("enablement.view_learningactivity", raise_exception=True)
def activity_detail(request, code: str):
    """An activity: what it builds, who enrolled and completed (in scope), and its measured impact."""
    activity = get_object_or_404(LearningActivity, code=code)
    items = activity.capability_items.select_related("stage__journey_map").order_by("stage__position", "position")
    enrolments = enrolments_visible(request.user).filter(activity=activity).order_by("-enrolled_on", "person__name")
    page = Paginator(enrolments, 50).get_page(request.GET.get("page"))
    enrol_form = None
    if request.user.has_perm("enablement.add_enrolment"):
        enrol_form = EnrolmentForm(request.POST or None, people=people_visible(request.user))
        if request.method == "POST" and enrol_form.is_valid():
            try:
                enrolment_record(activity=activity, **enrol_form.cleaned_data)
            except ValidationError as exc:
                _form_errors(enrol_form, exc)
            else:
                messages.success(request, _("Enrolment saved."))
                return redirect("enablement:activity", code=code)
    elif request.method == "POST":
        raise PermissionDenied

    metrics = metric_choices()
    impact = None
    chart = None
    impact_form = ImpactForm(request.GET if "metric" in request.GET else None, metrics=metrics)
    if impact_form.is_bound and impact_form.is_valid():
        try:
            metric, result = impact_of(
                activity=activity,
                metric=impact_form.cleaned_data["metric"],
                pre=impact_form.cleaned_data["pre"],
                post=impact_form.cleaned_data["post"],
                people=people_visible(request.user),
            )
        except ValidationError as exc:
            _form_errors(impact_form, exc)
        else:
            impact = {"metric": metric, "result": result}
            chart = impact_figure(result, metric.name)
    elif not impact_form.is_bound and metrics:
        impact_form = ImpactForm(initial={"metric": metrics[0].code, "pre": 3, "post": 3}, metrics=metrics)
    # The three-layer table runs one estimate per metric: only when the reader asks for an estimate.
    window = (impact_form.cleaned_data["pre"], impact_form.cleaned_data["post"]) if impact else (3, 3)
    layers = (
        three_layers(activity=activity, pre=window[0], post=window[1], people=people_visible(request.user))
        if impact
        else None
    )
    context = {
        "activity": activity,
        "layers": layers,
        "layer_rows": [
            (_("Behaviour (layer 2)"), layers.behaviour),
            (_("Results (layer 3)"), layers.results),
        ]
        if layers
        else [],
        "window": window,
        "items": items,
        "page": page,
        "enrol_form": enrol_form,
        "people_options": _people_options(request.user) if enrol_form else [],
        "impact_form": impact_form,
        "impact": impact,
        "chart": chart,
        "charts": [{"id": "impact-chart", "figure": chart}] if chart else [],
        "method": METHOD,
        "can_edit": request.user.has_perm("enablement.change_learningactivity"),
    }
    return render(request, "enablement/activity_detail.html", context)


@login_required
@permission_required("enablement.change_learningactivity", raise_exception=True)
def activity_edit(request, code: str):
    activity = get_object_or_404(LearningActivity, code=code)
    form = LearningActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            saved = learning_activity_save(activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("enablement:activity", code=saved.code)
    return render(request, "enablement/activity_form.html", {"form": form, "activity": activity})


# --- scenarios and drills -------------------------------------------------------------------


@login_required
@permission_required("enablement.view_scenario", raise_exception=True)
def scenario_list(request):
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
    form = ScenarioForm(request.POST or None, initial={"capability_item": request.GET.get("item")})
    criteria = CriterionFormSet(
        request.POST or None,
        prefix="criteria",
        initial=[{"weight": 1}] * 3 if request.method != "POST" else None,
    )
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        rows = [row for row in criteria.cleaned_data if row]
        try:
            scenario = scenario_save(criteria=rows, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Scenario created."))
            return redirect("enablement:scenario", code=scenario.code)
    return render(request, "enablement/scenario_form.html", {"form": form, "criteria": criteria})


@login_required
@permission_required("enablement.view_scenario", raise_exception=True)
def scenario_detail(request, code: str):
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
            _form_errors(form, exc)
        else:
            values = {"score": session.weighted_score, "threshold": scenario.pass_threshold}
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
        {"form": form, "scenario": scenario, "people_options": _people_options(request.user)},
    )


# --- readiness --------------------------------------------------------------------------------


@login_required
@permission_required("enablement.view_drillsession", raise_exception=True)
def readiness(request):
    """A unit's readiness per stage, its sub-units and its people (lowest first: who needs help first)."""
    units = org_units_visible(request.user).order_by("code")
    code = request.GET.get("unit")
    unit = units.filter(code=code).first() if code else None
    if unit is None:
        root = scope_root(request.user)
        unit = units.filter(pk=root).first() if isinstance(root, int) else units.filter(parent__isnull=True).first()
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
