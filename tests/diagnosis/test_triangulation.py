"""A reported symptom against the data: the unit's indicator vs. the median of same-level units, same quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from diagnosis.choices import Evidence
from diagnosis.results import round_results, symptom_triangulation
from performance.models import Indicator, IndicatorValue

Q1 = dt.date(2025, 1, 1)


def put(code, unit, value, *, start=Q1):
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        org_unit=unit,
        period="quarter",
        period_start=start,
        numerator=Decimal(value),
        denominator=Decimal(1),
        value=Decimal(value),
        computed_at=timezone.now(),
    )


@pytest.fixture
def teams(org_tree):
    return org_tree["T1"], org_tree["T2"], org_tree["T3"]


def test_confirmed_when_the_unit_is_below_the_median(teams):
    t1, t2, t3 = teams
    put("lead_conversion_rate", t1, "12")
    put("lead_conversion_rate", t2, "20")
    put("lead_conversion_rate", t3, "30")
    check = symptom_triangulation(unit=t1, period_start=Q1, symptom="low_lead_conversion")
    assert check.evidence == Evidence.CONFIRMED
    assert (check.unit_value, check.median, check.peer_count) == (12.0, 20.0, 3)


def test_not_confirmed_when_the_unit_is_above_the_median(teams):
    t1, t2, t3 = teams
    put("lead_conversion_rate", t1, "35")
    put("lead_conversion_rate", t2, "20")
    put("lead_conversion_rate", t3, "30")
    assert symptom_triangulation(unit=t1, period_start=Q1, symptom="low_lead_conversion").evidence == (
        Evidence.NOT_CONFIRMED
    )


def test_churn_is_worse_when_higher(teams):
    t1, t2, t3 = teams
    put("new_customer_churn_rate", t1, "40")
    put("new_customer_churn_rate", t2, "10")
    put("new_customer_churn_rate", t3, "20")
    assert symptom_triangulation(unit=t1, period_start=Q1, symptom="high_new_customer_churn").evidence == (
        Evidence.CONFIRMED
    )


def test_no_data_without_the_units_value_or_enough_peers(teams, org_tree):
    t1, t2, t3 = teams
    put("lead_conversion_rate", t2, "20")
    put("lead_conversion_rate", t3, "30")
    put("lead_conversion_rate", org_tree["EAST"], "5")  # a region is not a peer of a team
    put("lead_conversion_rate", t1, "5", start=dt.date(2024, 10, 1))  # another quarter does not count
    check = symptom_triangulation(unit=t1, period_start=Q1, symptom="low_lead_conversion")
    assert check.evidence == Evidence.NO_DATA
    assert check.unit_value is None
    put("lead_conversion_rate", t1, "5")
    IndicatorValue.objects.filter(org_unit=t3).delete()
    assert symptom_triangulation(unit=t1, period_start=Q1, symptom="low_lead_conversion").evidence == (Evidence.NO_DATA)


def test_round_results_carry_the_triangulation(t1_round, respondents, teams):
    from .test_rounds import submit_three

    t1, t2, t3 = teams
    put("lead_conversion_rate", t1, "12")
    put("lead_conversion_rate", t2, "20")
    put("lead_conversion_rate", t3, "30")
    submit_three(t1_round, respondents)
    (lead,) = round_results(t1_round).symptoms
    assert lead["triangulation"].evidence == Evidence.CONFIRMED
