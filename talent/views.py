"""Browser pages of the talent module: success profiles, the candidate list by match score, a candidate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from org.choices import PersonRole

from .choices import HIGH_MATCH_SCORE
from .forms import CandidateFilterForm, ProfileBuildForm
from .matching import profile_scores, ranked_matches
from .models import SuccessProfile
from .selectors import candidates_visible, current_profiles, factor_names, profile_with_factors, profiles_all
from .services import profile_warning_messages, success_profile_build


def factor_reading(row) -> str:
    """One factor's result in plain words, e.g. “High performers have on average 3.1 more …”."""
    name = row.factor.name
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
            "diff": f"{abs(difference):.3g}",
            "name": name,
            "high": f"{row.high:.3g}",
            "control": f"{row.control:.3g}",
        }
    subject = f"{name}: {row.level}" if row.level else name
    return _("%(subject)s — %(high)s%% of high performers vs %(control)s%% of the control group.") % {
        "subject": subject,
        "high": f"{100 * row.high:.0f}",
        "control": f"{100 * row.control:.0f}",
    }


@login_required
@permission_required("talent.view_successprofile", raise_exception=True)
def profile_list(request):
    """Profile versions; HR leads build a new version here."""
    can_build = request.user.has_perm("talent.add_successprofile")
    form = ProfileBuildForm(request.POST or None) if can_build else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            profile = success_profile_build(
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
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = {"to": "window_to", "criterion": "criterion"}.get(field, field)
                form.add_error(target if target in form.fields else None, errors)
        else:
            messages.success(request, _("Profile version %(version)d built.") % {"version": profile.version})
            return redirect("talent:profile", pk=profile.pk)
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
    rows = [{"row": row, "reading": factor_reading(row)} for row in profile.factors.all()]
    selected = [item for item in rows if item["row"].selected]
    template = "talent/profile_card.html" if request.GET.get("card") else "talent/profile_detail.html"
    return render(
        request,
        template,
        {
            "profile": profile,
            "rows": rows,
            "selected": sorted(selected, key=lambda item: -abs(item["row"].weight or 0)),
            "warnings": profile_warning_messages(profile),
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
        },
    )
