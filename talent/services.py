"""Writes of the talent app: building success profiles and refreshing candidates' stored match scores."""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Max
from django.utils import translation
from django.utils.translation import gettext as _

from org.choices import PersonRole
from performance.choices import PeriodKind
from performance.models import Indicator

from . import stats
from .choices import INTERVIEW_FACTOR_PREFIX, RATING_MAX, RATING_MIN, Competency, FactorKind, FactorSource
from .matching import profile_scores
from .models import (
    Candidate,
    CandidateAttribute,
    CandidateScore,
    CandidateStageChange,
    Factor,
    HeadcountPlan,
    InterviewRating,
    InterviewScorecard,
    ProfileFactor,
    SuccessProfile,
)
from .selectors import criterion_values, current_profiles, factor_kinds, person_attribute_frame

MIN_PEOPLE = 4  # below this no split into two groups with a test in each is possible


def _finite(value) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


@transaction.atomic
def success_profile_build(
    *,
    name: str,
    role: str,
    criterion: Indicator,
    period: str,
    window_from: dt.date,
    window_to: dt.date,
    top_share: float = stats.DEFAULT_TOP_SHARE,
    max_q: float = stats.DEFAULT_MAX_Q,
    min_effect: float = stats.DEFAULT_MIN_EFFECT,
    user=None,
) -> SuccessProfile:
    """Build the next version of a role's success profile from the people's criterion values and attributes.

    A profile is never changed afterwards; building again makes a new version. The role's
    candidates are scored against the new version in the same transaction.
    """
    errors = {}
    if role not in PersonRole.values:
        errors["role"] = _("Unknown role.")
    if period not in PeriodKind.values:
        errors["period"] = _("Unknown period.")
    if window_to < window_from:
        errors["to"] = _("The window ends before it starts.")
    if not 0 < top_share < 1:
        errors["top_share"] = _("The high-performer share must lie between 0 and 1.")
    if not 0 < max_q <= 1:
        errors["max_q"] = _("The q-value threshold must lie in (0, 1].")
    if min_effect < 0:
        errors["min_effect"] = _("The minimum effect size cannot be negative.")
    if errors:
        raise ValidationError(errors)
    criterion_series = criterion_values(
        indicator=criterion, role=role, period=period, window_from=window_from, window_to=window_to
    )
    if len(criterion_series) < MIN_PEOPLE:
        raise ValidationError(
            {
                "criterion": _(
                    "Only %(n)d people of this role have a value of the criterion in the window; at least %(min)d "
                    "are needed. Recompute the indicators or widen the window."
                )
                % {"n": len(criterion_series), "min": MIN_PEOPLE}
            }
        )
    kinds = factor_kinds()
    wide = person_attribute_frame(criterion_series.index.tolist())
    fit = stats.build_profile(wide, kinds, criterion_series, top_share=top_share, max_q=max_q, min_effect=min_effect)
    version = (SuccessProfile.objects.filter(role=role).aggregate(v=Max("version"))["v"] or 0) + 1
    profile = SuccessProfile(
        name=name,
        role=role,
        version=version,
        criterion=criterion,
        period=period,
        window_from=window_from,
        window_to=window_to,
        top_share=top_share,
        max_q=max_q,
        min_effect=min_effect,
        n_high=fit.n_high,
        n_control=fit.n_control,
        auc=fit.auc,
        cv_auc=fit.cv_auc,
        warnings=fit.warnings,
        model=fit.model,
        members={
            "high": [int(pk) for pk in fit.is_high.index[fit.is_high.to_numpy(dtype=bool)]],
            "control": [int(pk) for pk in fit.is_high.index[~fit.is_high.to_numpy(dtype=bool)]],
        },
        built_by=user if getattr(user, "is_authenticated", False) else None,
    )
    profile.full_clean()
    profile.save()
    factor_ids = dict(Factor.objects.values_list("code", "pk"))
    ProfileFactor.objects.bulk_create(
        [
            ProfileFactor(
                profile=profile,
                factor_id=factor_ids[row.factor],
                level=row.level,
                kind=kinds[row.factor],
                n_high=int(row.n_high),
                n_control=int(row.n_control),
                high=_finite(row.high),
                control=_finite(row.control),
                high_sd=_finite(row.high_sd),
                control_sd=_finite(row.control_sd),
                effect=_finite(row.effect),
                p=_finite(row.p),
                q=_finite(row.q),
                selected=bool(row.selected),
                weight=_finite(row.weight),
                position=position,
            )
            for position, row in enumerate(fit.tests.itertuples(index=False))
        ]
    )
    candidate_scores_refresh(roles=[role])
    return profile


@transaction.atomic
def candidate_scores_refresh(*, roles=None, candidate_ids=None) -> int:
    """Store every (or the given) candidate's score against the current profile of their role; returns rows written.

    Set-based: one query for the candidates, one for their attributes per role, one upsert.
    """
    profiles = current_profiles(roles)
    candidates = Candidate.objects.filter(role__in=list(profiles))
    if candidate_ids is not None:
        candidates = candidates.filter(pk__in=list(candidate_ids))
    by_role: dict[str, list[int]] = {}
    for pk, role in candidates.values_list("pk", "role"):
        by_role.setdefault(role, []).append(pk)
    rows = []
    for role, ids in by_role.items():
        profile = profiles[role]
        for candidate_id, match in profile_scores(profile, ids).items():
            rows.append(
                CandidateScore(
                    candidate_id=candidate_id,
                    profile=profile,
                    score=match.score,
                    contributions=match.contributions,
                )
            )
    CandidateScore.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["profile", "candidate"],
        update_fields=["score", "contributions", "scored_at"],
    )
    return len(rows)


def profile_warning_messages(profile: SuccessProfile) -> list[str]:
    """The stored warning codes of a profile as sentences in the current language."""
    messages = []
    for warning in profile.warnings:
        params = warning.get("params", {})
        if warning.get("code") == "small_group":
            messages.append(
                _(
                    "Small groups: %(n_high)d high performers and %(n_control)d in the control group (fewer than "
                    "%(minimum)d in a group makes the tests and the model unreliable)."
                )
                % params
            )
        elif warning.get("code") == "no_factor_selected":
            messages.append(
                _(
                    "No factor sets the high performers apart clearly enough; every candidate gets the same score. "
                    "Add factors or widen the window."
                )
            )
    return messages


@transaction.atomic
def success_profile_refit(*, profile: SuccessProfile, window_from: dt.date, window_to: dt.date, user=None):
    """Build the next version of a profile's role on a newer window, keeping its criterion and settings.

    The calibration page's "refit": the earlier version stays as it was, so the two can be compared.
    """
    if window_to <= profile.window_to:
        raise ValidationError({"to": _("A refit needs a window that ends after the profile's window.")})
    return success_profile_build(
        name=profile.name,
        role=profile.role,
        criterion=profile.criterion,
        period=profile.period,
        window_from=window_from,
        window_to=window_to,
        top_share=profile.top_share,
        max_q=profile.max_q,
        min_effect=profile.min_effect,
        user=user,
    )


@transaction.atomic
def headcount_plan_set(
    *, role: str, org_unit, quarter: dt.date, target_headcount: int, bench_successors: int = 0, bench_interns: int = 0
) -> HeadcountPlan:
    """Enter (or change) the target head count and bench of a role in a unit for a quarter."""
    plan = HeadcountPlan.objects.filter(role=role, org_unit=org_unit, quarter=quarter).first() or HeadcountPlan(
        role=role, org_unit=org_unit, quarter=quarter
    )
    plan.target_headcount = target_headcount
    plan.bench_successors = bench_successors
    plan.bench_interns = bench_interns
    plan.full_clean()
    plan.save()
    return plan


def candidate_stage_changes_record(*, candidate_ids, today: dt.date) -> int:
    """Record the day each candidate entered their current stage, where it is not recorded yet.

    Called by the candidates import: a first import dates ``sourced`` by ``applied_on`` and
    ``interviewed`` by ``interviewed_on`` when given; any other new stage is entered today.
    """
    rows = [
        CandidateStageChange(
            candidate_id=pk,
            stage=stage,
            entered_on=applied_on
            if stage == "sourced"
            else (interviewed_on if stage == "interviewed" and interviewed_on else today),
        )
        for pk, stage, applied_on, interviewed_on in Candidate.objects.filter(pk__in=list(candidate_ids)).values_list(
            "pk", "stage", "applied_on", "interviewed_on"
        )
    ]
    CandidateStageChange.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def interview_scorecard_submit(
    *, candidate: Candidate, ratings: dict[str, int], interviewed_on: dt.date, interviewer=None, note: str = ""
) -> InterviewScorecard:
    """Record a structured interview scorecard and turn its results into candidate attributes.

    Each rated competency becomes the numeric factor ``interview_<competency>`` (created on
    first use, source "assessment"); the candidate's value is the mean rating over all their
    scorecards, so a profile can test it and the match score uses it. The candidate is rescored.
    """
    errors = {}
    unknown = sorted(set(ratings) - set(Competency.values))
    if unknown:
        errors["ratings"] = _("Unknown competency: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif not ratings:
        errors["ratings"] = _("Rate at least one competency.")
    if any(not RATING_MIN <= int(value) <= RATING_MAX for value in ratings.values()):
        errors["ratings"] = _("Ratings run from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    scorecard = InterviewScorecard(
        candidate=candidate,
        interviewer=interviewer if getattr(interviewer, "is_authenticated", False) else None,
        interviewed_on=interviewed_on,
        note=note,
    )
    scorecard.full_clean()
    scorecard.save()
    InterviewRating.objects.bulk_create(
        [InterviewRating(scorecard=scorecard, competency=code, rating=int(value)) for code, value in ratings.items()]
    )
    for code in ratings:
        label = Competency(code).label
        with translation.override("zh-hans"):
            name = str(label)
        with translation.override("en"):
            name_en = str(label)
        Factor.objects.get_or_create(
            code=f"{INTERVIEW_FACTOR_PREFIX}{code}",
            defaults={"name": name, "name_en": name_en, "kind": FactorKind.NUMERIC, "source": FactorSource.ASSESSMENT},
        )
    factor_ids = dict(
        Factor.objects.filter(code__in=[f"{INTERVIEW_FACTOR_PREFIX}{code}" for code in ratings]).values_list(
            "code", "pk"
        )
    )
    means = (
        InterviewRating.objects.filter(scorecard__candidate=candidate, competency__in=list(ratings))
        .values("competency")
        .annotate(mean=Avg("rating"))
    )
    CandidateAttribute.objects.bulk_create(
        [
            CandidateAttribute(
                candidate=candidate,
                factor_id=factor_ids[f"{INTERVIEW_FACTOR_PREFIX}{row['competency']}"],
                value=format(round(float(row["mean"]), 2), "g"),
            )
            for row in means
        ],
        update_conflicts=True,
        unique_fields=["candidate", "factor"],
        update_fields=["value", "updated_at"],
    )
    # The first interview dates the candidate's interview (high_match_candidate_ratio counts by it).
    Candidate.objects.filter(pk=candidate.pk, interviewed_on__isnull=True).update(interviewed_on=interviewed_on)
    candidate_scores_refresh(candidate_ids=[candidate.pk])
    return scorecard
