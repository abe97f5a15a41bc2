"""Drill scoring, certification, and the two enablement indicators computed by the engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from enablement.models import Certification, DrillScore
from enablement.services import drill_session_score, enrolment_record, weighted_score
from performance.engine import indicator_values_step
from performance.models import IndicatorValue

from .conftest import scores_for


def test_weighted_score_is_rounded_half_up():
    assert weighted_score([(Decimal(2), 4), (Decimal(1), 3), (Decimal(1), 4)]) == Decimal("3.75")
    assert weighted_score([(Decimal(1), 3), (Decimal(2), 4)]) == Decimal("3.67")


def test_a_passing_drill_certifies_once(scenario, people):
    # given a failed attempt, then two passes
    failed = drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 3, 3, 4), held_on=dt.date(2026, 3, 5)
    )
    passed = drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 4, 3, 4), held_on=dt.date(2026, 3, 20)
    )
    again = drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 5, 5, 5), held_on=dt.date(2026, 4, 1)
    )
    # then
    assert (failed.weighted_score, failed.passed) == (Decimal("3.25"), False)
    assert (passed.weighted_score, passed.passed) == (Decimal("3.75"), True)
    assert again.passed
    certification = Certification.objects.get()
    assert (certification.session, certification.level, certification.certified_on) == (passed, 3, dt.date(2026, 3, 20))
    assert DrillScore.objects.filter(session=passed).count() == 3
    assert passed.org_unit == people["P1"].org_unit


def test_threshold_is_inclusive(scenario, people):
    session = drill_session_score(scenario=scenario, person=people["P1"], scores=scores_for(scenario, 4, 3, 3))
    assert session.weighted_score == Decimal("3.50")
    assert session.passed


@pytest.mark.parametrize(
    ("values", "message"),
    [((4, 3), "Score “Next step” from 1 to 5."), ((4, 3, 6), "“Next step”: a score runs from 1 to 5, not 6.")],
)
def test_every_criterion_needs_a_score_from_1_to_5(scenario, people, values, message):
    scores = {c.pk: v for c, v in zip(scenario.criteria.all(), values, strict=False)}
    with pytest.raises(ValidationError) as caught:
        drill_session_score(scenario=scenario, person=people["P1"], scores=scores)
    assert message in caught.value.messages
    assert not Certification.objects.exists()


def test_certification_pass_rate_and_enablement_hours(scenario, activities, people, org_tree):
    # given: P1 fails then passes in March, P2 passes in April
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 3, 3, 3), held_on=dt.date(2026, 3, 5)
    )
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 4, 4, 4), held_on=dt.date(2026, 3, 20)
    )
    drill_session_score(
        scenario=scenario, person=people["P2"], scores=scores_for(scenario, 5, 4, 4), held_on=dt.date(2026, 4, 2)
    )
    # P1 completes A1 (8 h) in March and A2 (2.5 h) in April; P2 enrolled in A1 without completing
    enrolment_record(
        person=people["P1"],
        activity=activities["a1"],
        enrolled_on=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 3, 10),
    )
    enrolment_record(
        person=people["P1"],
        activity=activities["a2"],
        enrolled_on=dt.date(2026, 3, 25),
        completed_on=dt.date(2026, 4, 1),
    )
    enrolment_record(person=people["P2"], activity=activities["a1"], enrolled_on=dt.date(2026, 3, 1))
    # when
    indicator_values_step()

    # then
    def value(code, **where):
        return IndicatorValue.objects.get(indicator__code=code, **where).value

    march, q1, year = dt.date(2026, 3, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 1)
    assert value("certification_pass_rate", org_unit=org_tree["T1"], period="month", period_start=march) == 50
    assert value("certification_pass_rate", org_unit=org_tree["EAST"], period="quarter", period_start=q1) == 50
    assert value("certification_pass_rate", org_unit=org_tree["EAST"], period="year", period_start=year).quantize(
        Decimal("0.01")
    ) == Decimal("66.67")
    assert (
        value("certification_pass_rate", person=people["P2"], period="month", period_start=dt.date(2026, 4, 1)) == 100
    )
    assert value("enablement_hours", org_unit=org_tree["T1"], period="month", period_start=march) == 8
    assert value("enablement_hours", org_unit=org_tree["EAST"], period="year", period_start=year) == Decimal("10.5")
    assert not IndicatorValue.objects.filter(indicator__code="enablement_hours", person=people["P2"]).exists()


def test_completion_before_enrolment_is_refused(activities, people):
    with pytest.raises(ValidationError) as caught:
        enrolment_record(
            person=people["P1"],
            activity=activities["a1"],
            enrolled_on=dt.date(2026, 3, 10),
            completed_on=dt.date(2026, 3, 1),
        )
    assert "The completion date cannot be before the enrolment date." in caught.value.messages
