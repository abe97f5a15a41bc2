"""Learning activity pages: the list (and a new activity), an activity with its enrolments and measured impact,
and editing an activity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from org.selectors import people_visible
from org.ui.forms import add_service_errors, submit_form

from ..charts import impact_figure
from ..forms import EnrolmentForm, ImpactForm, LearningActivityForm
from ..impact import METHOD, impact_of, metric_choices, three_layers
from ..models import LearningActivity
from ..selectors import activities_with_counts, enrolments_visible
from ..services import enrolment_record, learning_activity_save


@login_required
@permission_required("enablement.view_learningactivity", raise_exception=True)
def activity_list(request):
    """The activities with their enrolment counts; those who may add one get the form for a new activity."""
    activities = (
        activities_with_counts(request.user).annotate(items=Count("capability_items", distinct=True)).order_by("code")
    )
    form = None
    if request.user.has_perm("enablement.add_learningactivity"):
        form = LearningActivityForm(request.POST or None)
        response = submit_form(
            request,
            form,
            lambda data: learning_activity_save(**data),
            success=_("Activity created."),
            redirect_to=lambda activity: redirect("enablement:activity", code=activity.code),
        )
        if response:
            return response
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
        response = submit_form(
            request,
            enrol_form,
            lambda data: enrolment_record(activity=activity, **data),
            success=_("Enrolment saved."),
            redirect_to=lambda enrolment: redirect("enablement:activity", code=code),
        )
        if response:
            return response
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
            add_service_errors(impact_form, exc)
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
    """Edit an activity; saved, it goes to the activity's page (under its code, which may have changed)."""
    activity = get_object_or_404(LearningActivity, code=code)
    form = LearningActivityForm(request.POST or None, instance=activity)
    response = submit_form(
        request,
        form,
        lambda data: learning_activity_save(activity=activity, **data),
        success=_("Activity saved."),
        redirect_to=lambda saved: redirect("enablement:activity", code=saved.code),
    )
    return response or render(request, "enablement/activity_form.html", {"form": form, "activity": activity})
