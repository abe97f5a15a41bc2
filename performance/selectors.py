"""Reads of the performance app: the indicator library and computed values, always scoped."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from org.models import OrgUnitClosure
from org.selectors import visible_unit_ids

from .models import Indicator, IndicatorValue


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
