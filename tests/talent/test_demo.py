"""The talent demo step: factors that really track the demo people's skill, candidates, plans and a profile."""

from __future__ import annotations

import datetime as dt
import re

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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("today", [dt.date(2025, 11, 20), dt.date(2026, 12, 3)])
def test_demo_match_scores_spread_over_the_scale(today):
    # the tester's day once kept one factor, so every candidate scored 43.9 or 5.0 and nobody was a high match
    seed_demo(scale="small", seed=1, today=today)
    profile = SuccessProfile.objects.get()
    selected = set(profile.factors.filter(selected=True).values_list("factor__code", flat=True))
    assert len(selected & REAL) >= 3
    scores = [float(score) for score in CandidateScore.objects.filter(profile=profile).values_list("score", flat=True)]
    assert sum(score >= 70 for score in scores) >= 5
    assert sum(score < 40 for score in scores) >= 20
    assert len({round(score) for score in scores}) >= 30


@pytest.mark.django_db(transaction=True)
def test_demo_sets_targets_that_pages_compare_with(client):
    from performance.models import Indicator, ScorecardItem
    from rollout.models import ProgramIndicator

    seed_demo(scale="small", seed=1, today=dt.date(2026, 12, 3))
    targets = dict(Indicator.objects.filter(target__isnull=False).values_list("code", "target"))
    assert targets["lead_conversion_rate"] == 30
    assert targets["new_customer_churn_rate"] == 8
    assert "new_contract_value" not in targets  # a total over a period of any length: scorecards set it
    assert ScorecardItem.objects.exists()
    assert not ScorecardItem.objects.filter(target__isnull=True).exists()
    assert ProgramIndicator.objects.exists()
    assert not ProgramIndicator.objects.filter(target__isnull=True).exists()
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="hr"))
    page = client.get("/performance/dashboard/")
    assert page.status_code == 200
    # every card compares with a target but the period totals: contract value falls back on its
    # scorecard's target, and HR is offered "Set a target" for hours and playbooks (overview and card)
    html = page.content.decode()
    assert Indicator.objects.filter(target__isnull=True).count() == 3
    offered = re.findall(r'class="set-target" href="/performance/indicators/([a-z_]+)/#id_target"', html)
    assert sorted(offered) == ["enablement_hours"] * 2 + ["playbooks_captured"] * 2
    assert html.count('class="muted target-source"') == 2
    assert "none set" not in html
