"""high_match_candidate_ratio in the indicator engine, on hand-built candidates with known scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from performance.engine import indicator_values_recompute, registered_computations
from performance.models import Indicator, IndicatorValue
from talent.models import Candidate, CandidateAttribute, CandidateScore, Factor, SuccessProfile
from talent.services import candidate_scores_refresh

D = dt.date


@pytest.fixture
def scored(org_tree):
    """A hand-built profile: score = 100 · sigmoid(x), so x = 1 → 73.1, x = 0 → 50, x = 2 → 88.1, x = -1 → 26.9."""
    factor = Factor.objects.create(code="x", name="x", kind="numeric", source="assessment")
    SuccessProfile.objects.create(
        name="hand",
        role="sales_rep",
        version=1,
        criterion=Indicator.objects.get(code="win_rate"),
        period="month",
        window_from=D(2024, 1, 1),
        window_to=D(2024, 12, 1),
        top_share=0.25,
        max_q=0.05,
        min_effect=0.2,
        n_high=1,
        n_control=3,
        model={
            "intercept": 0.0,
            "penalty": 0.01,
            "features": [
                {"feature": "x", "factor": "x", "level": "", "kind": "numeric", "mean": 0.0, "sd": 1.0, "coef": 1.0}
            ],
        },
    )
    rows = [
        # id, unit, role, stage, applied_on, interviewed_on, x
        ("A", "T1", "sales_rep", "rejected", D(2025, 1, 2), D(2025, 1, 10), "1"),
        ("B", "T1", "sales_rep", "interviewed", D(2025, 1, 20), None, "0"),
        ("C", "T2", "sales_rep", "hired", D(2025, 2, 5), None, "2"),
        ("D", "T3", "sales_rep", "screened", D(2025, 1, 5), None, "2"),  # not interviewed
        ("E", "T3", "sales_rep", "rejected", D(2025, 2, 20), D(2025, 3, 1), "-1"),
        ("F", "T1", "presales", "interviewed", D(2025, 1, 12), None, "2"),  # no profile for presales
    ]
    for ext, unit, role, stage, applied, interviewed, x in rows:
        candidate = Candidate.objects.create(
            external_id=ext,
            name=ext,
            role=role,
            org_unit=org_tree[unit],
            stage=stage,
            applied_on=applied,
            interviewed_on=interviewed,
        )
        CandidateAttribute.objects.create(candidate=candidate, factor=factor, value=x)
    assert candidate_scores_refresh() == 5
    return org_tree


def _unit_values(period: str) -> dict:
    rows = IndicatorValue.objects.filter(indicator__code="high_match_candidate_ratio", period=period, person=None)
    return {(row.org_unit.code, row.period_start): (row.numerator, row.denominator, row.value) for row in rows}


@pytest.mark.django_db
def test_high_match_candidate_ratio(scored):
    assert "high_match_candidate_ratio" in registered_computations()
    assert CandidateScore.objects.get(candidate__external_id="A").score == pytest.approx(73.1058, abs=1e-3)
    indicator_values_recompute(codes=["high_match_candidate_ratio"])
    months = _unit_values("month")
    # January: T1 has A (73.1, counted) and B (50, interviewed stage, dated by applied_on)
    assert months[("T1", D(2025, 1, 1))] == (1, 2, Decimal("50"))
    assert months[("T2", D(2025, 2, 1))] == (1, 1, Decimal("100"))
    assert months[("T3", D(2025, 3, 1))] == (0, 1, Decimal("0"))
    quarters = _unit_values("quarter")
    q1 = D(2025, 1, 1)
    assert quarters[("EAST", q1)][:2] == (2, 3)
    assert quarters[("EAST", q1)][2] == pytest.approx(Decimal("66.6667"), abs=Decimal("0.001"))
    assert quarters[("SALES", q1)] == (2, 4, Decimal("50"))
    assert quarters[("ACME", q1)] == (2, 4, Decimal("50"))
    # candidates have no owner: no person values
    assert not IndicatorValue.objects.filter(indicator__code="high_match_candidate_ratio", person__isnull=False)
