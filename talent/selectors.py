"""Reads of the talent app: the frames the statistics work on, profiles and candidates, always scoped."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.db import connection
from django.db.models import QuerySet, Sum

from org.ingest.validation import key_filter
from org.models import Person
from org.selectors import scope_queryset
from org.text import in_language
from performance.engine import registered_computations
from performance.models import Indicator, IndicatorValue

from .models import Candidate, CandidateAttribute, Factor, PersonAttribute, SuccessProfile


def factor_kinds() -> dict[str, str]:
    """Factor code → kind."""
    return dict(Factor.objects.values_list("code", "kind"))


def factor_names() -> dict[str, str]:
    """Factor code → its name in the viewer's language (the other language where that one is blank)."""
    return {
        code: in_language(name, name_en)
        for code, name, name_en in Factor.objects.values_list("code", "name", "name_en")
    }


def _wide(queryset: QuerySet, index_name: str) -> pd.DataFrame:
    """(subject id, factor id, value) rows → subject × factor code frame of value texts.

    One query, read with a plain cursor (no model or tuple building per row: a profile of
    5,000 people × 30 factors reads 150,000 rows), factor ids mapped to codes once, one pivot.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        frame = pd.DataFrame(cursor.fetchall(), columns=[index_name, "factor", "value"])
    if frame.empty:
        return pd.DataFrame(index=pd.Index([], name=index_name))
    codes = dict(Factor.objects.values_list("pk", "code"))
    frame["factor"] = frame["factor"].map(codes)
    return frame.pivot(index=index_name, columns="factor", values="value")


def person_attribute_frame(person_ids) -> pd.DataFrame:
    """Person id × factor code → value text, for the given people (two queries: attributes, factor codes)."""
    rows = PersonAttribute.objects.filter(key_filter(PersonAttribute._meta.get_field("person"), person_ids))
    return _wide(rows.values_list("person_id", "factor_id", "value"), "person_id")


def candidate_attribute_frame(candidate_ids) -> pd.DataFrame:
    """Candidate id × factor code → value text, for the given candidates (two queries)."""
    rows = CandidateAttribute.objects.filter(key_filter(CandidateAttribute._meta.get_field("candidate"), candidate_ids))
    return _wide(rows.values_list("candidate_id", "factor_id", "value"), "candidate_id")


def criterion_values(
    *, indicator: Indicator, role: str, period: str, window_from: dt.date, window_to: dt.date
) -> pd.Series:
    """Person id → the criterion over the window: numerators and denominators summed over its periods, then divided.

    People of the role only; those whose summed denominator is 0 have no value and are left out.
    """
    rows = (
        IndicatorValue.objects.filter(
            # org_unit IS NULL marks a person value (a check constraint) and matches the partial unique
            # index (indicator, period, person, period_start), so the plan stays good on fresh data.
            indicator=indicator,
            org_unit__isnull=True,
            person__role=role,
            period=period,
            period_start__gte=window_from,
            period_start__lte=window_to,
        )
        .values("person_id")
        .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"))
        .order_by("person_id")
    )
    computation = registered_computations().get(indicator.code)
    scale = float(getattr(computation, "scale", 1))
    values = {
        row["person_id"]: float(row["numerator"]) / float(row["denominator"]) * scale
        for row in rows
        if row["denominator"]
    }
    return pd.Series(values, dtype=float).rename_axis("person_id")


def person_external_ids(person_ids) -> dict[int, str]:
    return dict(Person.objects.filter(pk__in=list(person_ids)).values_list("pk", "external_id"))


def profiles_all() -> QuerySet[SuccessProfile]:
    return SuccessProfile.objects.select_related("criterion", "built_by")


def profile_with_factors(pk: int) -> SuccessProfile:
    """One profile with its factor rows and their factors (two queries)."""
    return profiles_all().prefetch_related("factors__factor").get(pk=pk)


def current_profiles(roles=None) -> dict[str, SuccessProfile]:
    """Role → its latest profile version (the one candidates are scored against)."""
    queryset = SuccessProfile.objects.order_by("role", "-version")
    if roles is not None:
        queryset = queryset.filter(role__in=list(roles))
    current: dict[str, SuccessProfile] = {}
    for profile in queryset:
        current.setdefault(profile.role, profile)
    return current


def candidates_visible(user) -> QuerySet[Candidate]:
    """Candidates applying to units in the user's subtree."""
    return scope_queryset(Candidate.objects.select_related("org_unit", "hired_as"), user)


def interview_questions(*, role: str | None = None, scenario: str | None = None) -> QuerySet:
    """Situational questions for a role (its own and those for every role), optionally of one customer scenario."""
    from django.db.models import Q

    from .models import InterviewQuestion

    questions = InterviewQuestion.objects.all()
    if role:
        questions = questions.filter(Q(role=role) | Q(role=""))
    if scenario:
        questions = questions.filter(scenario=scenario)
    return questions
