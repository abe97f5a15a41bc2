"""The diagnosis demo step: closed rounds whose answers agree with the facts in some units and not in others."""

from __future__ import annotations

import datetime as dt

import pytest

from diagnosis.choices import Evidence
from diagnosis.models import AssessmentRound, RadarSnapshot
from diagnosis.radar import closed_rounds_with_results
from diagnosis.results import round_results
from org.demo import seed_demo


@pytest.mark.django_db(transaction=True)
def test_demo_rounds_agree_and_disagree_with_the_data():
    report = seed_demo(scale="small", seed=3, today=dt.date(2025, 11, 20))
    step = next(s for s in report["steps"] if s["name"] == "diagnosis_rounds")
    assert step["rows"]["diagnosis_rounds"] >= 9
    closed = list(closed_rounds_with_results())
    assert len(closed) >= 9
    assert AssessmentRound.objects.filter(closed_at__isnull=True, respondents__username="member").exists()
    evidence = set()
    for assessment_round in closed:
        results = round_results(assessment_round)
        assert results.available
        evidence |= {s["triangulation"].evidence for s in results.symptoms}
    assert {Evidence.CONFIRMED, Evidence.NOT_CONFIRMED} <= evidence
    # the nightly recompute after seeding wrote the radars, self-assessed ones included
    assert RadarSnapshot.objects.filter(series="self_assessed", value__isnull=False).exists()
