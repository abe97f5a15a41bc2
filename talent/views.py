"""Browser pages of the talent module: success profiles, the candidate list by match score, a candidate."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from org.choices import PersonRole
from org.selectors import org_units_visible
from org.ui.formatting import format_share, format_significant
from org.ui.forms import submit_form
from performance.dashboards import shift_period

from .calibration import MIN_TENURE_DAYS, PUBLISHED_SOURCE, PUBLISHED_VALIDITIES, profile_calibration
from .choices import HIGH_MATCH_SCORE, CustomerScenario
from .figures import calibration_figure, distribution_figures
from .forms import (
    CandidateFilterForm,
    HeadcountPlanForm,
    ProfileBuildForm,
    QuestionFilterForm,
    ScorecardForm,
    WindowForm,
)
from .matching import profile_scores, ranked_matches
from .models import SuccessProfile
from .selectors import (
    candidates_visible,
    current_profiles,
    factor_names,
    interview_questions,
    profile_with_factors,
    profiles_all,
)
from .services import (
    headcount_plan_set,
    interview_scorecard_submit,
    profile_warning_messages,
    success_profile_build,
    success_profile_refit,
)
from .supply import channel_rows, plans_visible, quarter_end, supply_plan


def factor_reading(row) -> str:
    """One factor's result in plain words, e.g. “High performers have on average 3.1 more …”."""
    name = row.factor.display_name
    if row.high is None or row.control is None:
        return _("Not enough values to compare.")
    if row.kind == "numeric":
        difference = row.high - row.control
        if difference >= 0:
            text = _("High performers have on average %(diff)s more %(name)s than the control group")
        else:
            text = _("High performers have on average %(diff)s less %(name)s than the control group")
        groups = _("%(high)s vs %(control)s")
        text = text + " (" + groups + ")."
        return text % {
            "diff": format_significant(abs(difference)),
            "name": name,
            "high": format_significant(row.high),
            "control": format_significant(row.control),
        }
    subject = f"{name}: {row.level}" if row.level else name
    return _("%(subject)s — %(high)s of high performers vs %(control)s of the control group.") % {
        "subject": subject,
        "high": format_share(row.high),
        "control": format_share(row.control),
    }


def _built(profile: SuccessProfile) -> str:
    """The success message for a newly built (or refitted) profile version."""
    return _("Profile version %(version)d built.") % {"version": profile.version}


@login_required
@permission_required("talent.view_successprofile", raise_exception=True)
def profile_list(request):
    """Profile versions; HR leads build a new version here."""
    can_build = request.user.has_perm("talent.add_successprofile")
    if request.method == "POST" and not can_build:
        raise PermissionDenied
    form = ProfileBuildForm(request.POST or None) if can_build else None
    if form is not None:
        response = submit_form(
            request,
            form,
            lambda data: success_profile_build(
                name=data["name"],
                role=data["role"],
                criterion=data["criterion"],
                period=data["period"],
                window_from=data["window_from"],
                window_to=data["window_to"],
                top_share=data["top_share"],
                max_q=data["max_q"],
                min_effect=data["min_effect"],
                user=request.user,
            ),
            success=_built,
            redirect_to=lambda profile: redirect("talent:profile", pk=profile.pk),
            rename={"to": "window_to"},  # the service names the window's end "to"
        )
        if response:
            return response
    profiles = profiles_all().order_by("role", "-version")
    return render(request, "talent/profile_list.html", {"profiles": profiles, "form": form})


@login_required
@permission_required("talent.view_successprofile", raise_exception=True)
def profile_detail(request, pk):
    """The factor table with plain-language readings, the quality figures and the warnings."""
    try:
        profile = profile_with_factors(pk)
    except SuccessProfile.DoesNotExist as exc:
        raise Http404 from exc
    factor_rows = list(profile.factors.all())
    rows = [{"row": row, "reading": factor_reading(row)} for row in factor_rows]
    selected = [item for item in rows if item["row"].selected]
    card = bool(request.GET.get("card"))
    template = "talent/profile_card.html" if card else "talent/profile_detail.html"
    charts = [] if card else distribution_figures(profile, factor_rows)
    questions = _questions_by_scenario(interview_questions(role=profile.role)) if card else []
    return render(
        request,
        template,
        {
            "profile": profile,
            "rows": rows,
            "selected": sorted(selected, key=lambda item: -abs(item["row"].weight or 0)),
            "warnings": profile_warning_messages(profile),
            "charts": charts,
            "questions": questions,
        },
    )


@login_required
@permission_required("talent.view_candidate", raise_exception=True)
def profile_calibration_view(request, pk):
    """Match score at hire against the criterion later, beside published validities; HR leads refit here."""
    try:
        profile = profiles_all().get(pk=pk)
    except SuccessProfile.DoesNotExist as exc:
        raise Http404 from exc
    this_month = timezone.localdate().replace(day=1)
    initial = {"window_from": shift_period(this_month, "month", -11), "window_to": this_month}
    can_refit = request.user.has_perm("talent.add_successprofile")
    refit_form = WindowForm(request.POST or None, prefix="refit", initial=initial) if can_refit else None
    if request.method == "POST":
        if refit_form is None:
            raise PermissionDenied
        response = submit_form(
            request,
            refit_form,
            lambda data: success_profile_refit(
                profile=profile, window_from=data["window_from"], window_to=data["window_to"], user=request.user
            ),
            success=_built,
            redirect_to=lambda new: redirect("talent:profile", pk=new.pk),
            on_fields=False,  # the service's refusal above the form, not on a field
        )
        if response:
            return response
    form = WindowForm(request.GET if "window_from" in request.GET else None, initial=initial)
    window = form.cleaned_data if form.is_bound and form.is_valid() else initial
    window_to = shift_period(window["window_to"], "month", 1) - dt.timedelta(days=1)
    calibration = profile_calibration(
        profile,
        window_from=window["window_from"],
        window_to=window_to,
        candidates=candidates_visible(request.user),
    )
    chart = calibration_figure(calibration)
    return render(
        request,
        "talent/calibration.html",
        {
            "profile": profile,
            "form": form,
            "refit_form": refit_form,
            "calibration": calibration,
            "figures": calibration.figures,
            "hires": calibration.rows.sort_values("score", ascending=False).to_dict("records"),
            "references": PUBLISHED_VALIDITIES,
            "reference_source": PUBLISHED_SOURCE,
            "min_tenure": MIN_TENURE_DAYS,
            "can_refit": can_refit,
            "charts": [{"id": "calibration-plot-data", "figure": chart}] if chart else [],
        },
    )


def _quarters(today: dt.date, count: int = 5) -> list[tuple[dt.date, str]]:
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for step in range(count):
        day = shift_period(start, "month", 3 * step)
        quarters.append((day, f"{day.year} Q{(day.month - 1) // 3 + 1}"))
    return quarters


@login_required
@permission_required("talent.view_candidate", raise_exception=True)
def supply_view(request):
    """Per role and quarter: target, head count, attrition, pipeline, expected hires, bench and gap; channels."""
    today = timezone.localdate()
    quarters = _quarters(today)
    can_plan = request.user.has_perm("talent.add_headcountplan")
    form = None
    if can_plan:
        form = HeadcountPlanForm(
            request.POST if request.method == "POST" else None, units=org_units_visible(request.user), quarters=quarters
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        response = submit_form(
            request,
            form,
            lambda data: headcount_plan_set(
                role=data["role"],
                org_unit=data["org_unit"],
                quarter=data["quarter"],
                target_headcount=data["target_headcount"],
                bench_successors=data["bench_successors"],
                bench_interns=data["bench_interns"],
            ),
            success=_("Head count plan saved."),
            redirect_to="talent:supply",
            on_fields=False,  # the service's refusal above the form, not on a field
        )
        if response:
            return response
    plans = [
        supply_plan(plan, as_of=today)
        for plan in plans_visible(request.user).filter(quarter__gte=quarters[0][0]).order_by("quarter", "role")
    ]
    role = request.GET.get("role") or ""
    candidates = candidates_visible(request.user)
    if role in PersonRole.values:
        candidates = candidates.filter(role=role)
    return render(
        request,
        "talent/supply.html",
        {
            "plans": [{"result": result, "end": quarter_end(result.plan.quarter)} for result in plans],
            "channels": channel_rows(candidates, as_of=today),
            "form": form,
            "roles": PersonRole.choices,
            "role": role,
            "today": today,
        },
    )


@login_required
@permission_required("talent.view_candidate", raise_exception=True)
def candidate_list(request):
    """Candidates of one role ranked by their match against the role's current profile."""
    form = CandidateFilterForm(request.GET or {"role": PersonRole.SALES_REP})
    role, min_score, stage = PersonRole.SALES_REP, None, None
    if form.is_valid():
        role = form.cleaned_data["role"]
        min_score = form.cleaned_data["min_score"]
        stage = form.cleaned_data["stage"] or None
    profile = current_profiles([role]).get(role)
    rows = ranked_matches(profile, request.user, min_score=min_score, stage=stage) if profile else []
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "talent/candidate_list.html",
        {
            "form": form,
            "profile": profile,
            "page": page,
            "query": query.urlencode(),
            "high_match": HIGH_MATCH_SCORE,
        },
    )


@login_required
@permission_required("talent.view_candidate", raise_exception=True)
def candidate_detail(request, external_id):
    """One candidate: the match score as an explicit decision dimension, with its breakdown per factor."""
    candidate = candidates_visible(request.user).filter(external_id=external_id).first()
    if candidate is None:
        raise Http404
    can_score = request.user.has_perm("talent.add_interviewscorecard")
    scorecard_form = None
    if can_score:
        scorecard_form = ScorecardForm(
            request.POST if request.method == "POST" else None, initial={"interviewed_on": timezone.localdate()}
        )
    if request.method == "POST":
        if scorecard_form is None:
            raise PermissionDenied
        response = submit_form(
            request,
            scorecard_form,
            lambda data: interview_scorecard_submit(
                candidate=candidate,
                ratings=scorecard_form.ratings(),
                interviewed_on=data["interviewed_on"],
                interviewer=request.user,
                note=data["note"],
            ),
            success=_("Scorecard saved; the ratings are now attributes of the candidate."),
            redirect_to=lambda scorecard: redirect("talent:candidate", external_id=candidate.external_id),
            on_fields=False,  # the service's refusal above the form, not on a field
        )
        if response:
            return response
    profile = current_profiles([candidate.role]).get(candidate.role)
    match, breakdown = None, []
    if profile is not None:
        match = profile_scores(profile, [candidate.pk])[candidate.pk]
        names = factor_names()
        for feature in profile.model.get("features", []):
            label = names.get(feature["factor"], feature["factor"])
            if feature["level"]:
                label = f"{label}: {feature['level']}"
            breakdown.append(
                {
                    "feature": feature["feature"],
                    "label": label,
                    "contribution": match.contributions[feature["feature"]],
                    "missing": feature["feature"] in match.missing,
                    "training_mean": feature["mean"],
                }
            )
        breakdown.sort(key=lambda item: -abs(item["contribution"]))
    attributes = candidate.attributes.select_related("factor").order_by("factor__code")
    return render(
        request,
        "talent/candidate_detail.html",
        {
            "candidate": candidate,
            "profile": profile,
            "match": match,
            "breakdown": breakdown,
            "attributes": attributes,
            "high_match": HIGH_MATCH_SCORE,
            "scorecard_form": scorecard_form,
            "scorecards": candidate.scorecards.select_related("interviewer__profile__person").prefetch_related(
                "ratings"
            ),
            "questions": _questions_by_scenario(interview_questions(role=candidate.role)),
        },
    )


def _questions_by_scenario(questions) -> list[dict]:
    groups: dict[str, list] = {}
    for question in questions:
        groups.setdefault(question.scenario, []).append(question)
    return [
        {"scenario": value, "label": label, "questions": groups[value]}
        for value, label in CustomerScenario.choices
        if value in groups
    ]


@login_required
@permission_required("talent.view_candidate", raise_exception=True)
def question_bank(request):
    """The situational interview questions per role and customer scenario, with what to look for."""
    form = QuestionFilterForm(request.GET or None)
    role = scenario = None
    if form.is_bound and form.is_valid():
        role = form.cleaned_data["role"] or None
        scenario = form.cleaned_data["scenario"] or None
    questions = interview_questions(role=role, scenario=scenario)
    return render(request, "talent/question_bank.html", {"form": form, "groups": _questions_by_scenario(questions)})
