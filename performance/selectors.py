"""Reads of the performance app: the indicator library and computed values, always scoped."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from org.models import OrgUnitClosure
from org.selectors import ALL_UNITS, NO_UNITS, org_units_visible, scope_root, visible_unit_ids

from .models import IncentivePlan, Indicator, IndicatorValue, LtvCohort, Scorecard


def indicators_all() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def indicator_values_visible(user) -> QuerySet[IndicatorValue]:
    """Values of units in the user's subtree and of people working in it."""
    queryset = IndicatorValue.objects.all()
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(org_unit__in=ids) | Q(person__org_unit__in=ids))


def indicator_values_rows(
    queryset: QuerySet[IndicatorValue],
    *,
    indicator: str | None = None,
    org_unit: str | None = None,
    person: str | None = None,
    period: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    subtree: bool = False,
) -> QuerySet:
    """Filter values and shape them as API rows (codes instead of ids), in a stable order."""
    if indicator:
        queryset = queryset.filter(indicator__code=indicator)
    if org_unit:
        if subtree:
            queryset = queryset.filter(
                org_unit__in=OrgUnitClosure.objects.filter(ancestor__code=org_unit).values("descendant_id")
            )
        else:
            queryset = queryset.filter(org_unit__code=org_unit)
    if person:
        queryset = queryset.filter(person__external_id=person)
    if period:
        queryset = queryset.filter(period=period)
    if start:
        queryset = queryset.filter(period_start__gte=start)
    if end:
        queryset = queryset.filter(period_start__lte=end)
    return queryset.order_by("indicator_id", "period", "period_start", "org_unit_id", "person_id").values(
        "period",
        "period_start",
        "value",
        "numerator",
        "denominator",
        "computed_at",
        indicator_code=F("indicator__code"),
        org_unit_code=F("org_unit__code"),
        person_external_id=F("person__external_id"),
    )


def _concerning(queryset: QuerySet, user) -> QuerySet:
    """Rows that concern the user: company-wide ones (no unit) and those of units above, at or below their
    scope root; rows of another subtree do not."""
    root = scope_root(user)
    if root == ALL_UNITS:
        return queryset
    if root == NO_UNITS:
        return queryset.none()
    ancestors = OrgUnitClosure.objects.filter(descendant_id=root).values("ancestor_id")
    return queryset.filter(
        Q(org_unit__isnull=True) | Q(org_unit__in=org_units_visible(user).values("pk")) | Q(org_unit__in=ancestors)
    )


def scorecards_visible(user) -> QuerySet[Scorecard]:
    """Scorecards that concern the user: company-wide ones and those of units above, at or below their scope root."""
    return _concerning(Scorecard.objects.select_related("org_unit").prefetch_related("items__indicator"), user)


def incentive_plans_visible(user) -> QuerySet[IncentivePlan]:
    """Incentive plans that concern the user, as scorecards do: another subtree's plan (its rules and payouts)
    stays hidden. What a simulation shows is further limited to the unit chosen."""
    return _concerning(IncentivePlan.objects.select_related("org_unit").prefetch_related("team_rules__indicator"), user)


def ltv_cohorts_visible(user) -> QuerySet[LtvCohort]:
    """LTV cohorts of units in the user's subtree and of people working in it."""
    queryset = LtvCohort.objects.select_related("org_unit", "person")
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(org_unit__in=ids) | Q(person__org_unit__in=ids))


def ltv_cohorts_rows(
    queryset: QuerySet[LtvCohort],
    *,
    org_unit: str | None = None,
    person: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[LtvCohort]:
    """Filter cohorts by unit code (that unit's own subtree rows), person external id and cohort range."""
    if org_unit:
        queryset = queryset.filter(org_unit__code=org_unit)
    if person:
        queryset = queryset.filter(person__external_id=person)
    if start:
        queryset = queryset.filter(cohort__gte=start)
    if end:
        queryset = queryset.filter(cohort__lte=end)
    return queryset.order_by(
        F("org_unit__code").asc(nulls_last=True), F("person__external_id").asc(nulls_last=True), "cohort", "pk"
    )
