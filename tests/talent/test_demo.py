"""The talent demo step: factors that really track the demo people's skill, candidates, plans and a profile."""

from __future__ import annotations

import datetime as dt

import pytest

from org.demo import seed_demo
from talent.calibration import profile_calibration
from talent.models import Candidate, CandidateScore, CandidateStageChange, HeadcountPlan, SuccessProfile
from talent.supply import supply_plan

REAL = {"industry_years", "systems_thinking", "numeracy", "prior_b2b_sales"}


@pytest.mark.django_db(transaction=True)
def test_demo_profile_finds_the_factors_that_drive_performance():
    today = dt.date(2025, 11, 20)
    report = seed_demo(scale="small", seed=1, today=today)
    step = next(s for s in report["steps"] if s["name"] == "talent")
    assert step["rows"]["profiles"] == 1
    profile = SuccessProfile.objects.get()
    selected = set(profile.factors.filter(selected=True).values_list("factor__code", flat=True))
    # real factors, and at most one noise factor (a small demo has about sixty reps)
    assert len(selected & REAL) >= 2
    assert len(selected - REAL) <= 1
    assert CandidateScore.objects.filter(profile=profile).exists()
    # hires are linked to people, the pipeline has a history, plans exist
    assert Candidate.objects.filter(stage="hired", hired_as__isnull=False).exists()
    assert CandidateStageChange.objects.filter(stage="rejected").exists()
    plan = HeadcountPlan.objects.filter(role="sales_rep").order_by("quarter").first()
    figures = supply_plan(plan, as_of=today)
    assert figures.current > 0
    assert any(stage["conversion"] for stage in figures.stages)
    # the score at hire relates to later results
    calibration = profile_calibration(profile, window_from=dt.date(2024, 12, 1), window_to=dt.date(2025, 11, 30))
    assert calibration.figures.n >= 10
    assert calibration.figures.spearman.r > 0
