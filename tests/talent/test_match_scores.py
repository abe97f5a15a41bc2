"""Match scores: ordering, the log-odds decomposition, reproducibility from the stored model."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from performance.models import Indicator
from talent import stats
from talent.matching import profile_scores
from talent.models import Candidate, CandidateScore
from talent.services import success_profile_build

from .conftest import CRITERION, SIGNAL_KINDS, make_factors, make_people, set_attributes, set_criterion, signal_data


@pytest.fixture
def profile(org_tree):
    columns, performance, _linear = signal_data(seed=11, n=400)
    people = make_people(org_tree["T1"], 400)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)
    built = success_profile_build(
        name="Reps",
        role="sales_rep",
        criterion=Indicator.objects.get(code=CRITERION),
        period="month",
        window_from=dt.date(2025, 1, 1),
        window_to=dt.date(2025, 1, 1),
    )
    built.factors_by_code = factors
    return built


def _candidate(org_tree, external_id: str) -> Candidate:
    return Candidate.objects.create(
        external_id=external_id,
        name=external_id,
        role="sales_rep",
        org_unit=org_tree["T1"],
        applied_on=dt.date(2025, 3, 1),
        stage="interviewed",
    )


def _at_group_mean(profile, group: str) -> dict[str, float]:
    """Attribute values equal to the high or control group's mean (proportions rounded to yes/no)."""
    values = {}
    for row in profile.factors.select_related("factor"):
        mean = row.high if group == "high" else row.control
        values[row.factor.code] = (mean >= 0.5) if row.kind == "boolean" else mean
    return values


@pytest.mark.django_db
def test_high_mean_candidate_scores_above_control_mean_candidate(profile, org_tree):
    # given two candidates, one at the high performers' means, one at the control group's
    high, control = _candidate(org_tree, "C-HIGH"), _candidate(org_tree, "C-CONTROL")
    high_values, control_values = _at_group_mean(profile, "high"), _at_group_mean(profile, "control")
    columns = {code: [high_values[code], control_values[code]] for code in high_values}
    set_attributes([high, control], profile.factors_by_code, columns)
    # when they are scored
    matches = profile_scores(profile, [high.pk, control.pk])
    # then the high-mean candidate scores higher, both within 0..100
    assert 0 < matches[control.pk].score < matches[high.pk].score < 100
    assert matches[high.pk].score > 50 > matches[control.pk].score


@pytest.mark.django_db
def test_contributions_add_up_to_the_logit_and_reproduce_from_the_stored_model(profile, org_tree):
    candidate = _candidate(org_tree, "C1")
    set_attributes([candidate], profile.factors_by_code, {"n0": [1.5], "n1": [-0.3], "b0": [True]})
    match = profile_scores(profile, [candidate.pk])[candidate.pk]
    # the decomposition: logit(score / 100) = baseline + Σ contributions
    logit = math.log(match.score / (100 - match.score))
    assert logit == pytest.approx(match.baseline + sum(match.contributions.values()))
    # by hand from the stored means, sds and coefficients; a missing factor (n2) contributes 0
    by_feature = {feature["feature"]: feature for feature in profile.model["features"]}
    given = {"n0": 1.5, "n1": -0.3, "b0": 1.0}
    for name, feature in by_feature.items():
        expected = feature["coef"] * (given[name] - feature["mean"]) / feature["sd"] if name in given else 0.0
        assert match.contributions[name] == pytest.approx(expected)
    assert "n2" in match.missing
    # the stored score of the candidate (written when the attributes arrive or the profile is built) agrees
    assert {f["feature"] for f in profile.model["features"]} >= {"n0", "n1", "n2", "b0"}


@pytest.mark.django_db
def test_building_a_profile_stores_scores_for_the_roles_candidates(org_tree):
    # given a candidate that exists before the profile
    columns, performance, _ = signal_data(seed=3, n=200)
    people = make_people(org_tree["T1"], 200)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)
    candidate = _candidate(org_tree, "EARLY")
    set_attributes([candidate], factors, {"n0": [2.0], "b0": [True]})
    # when the profile is built
    built = success_profile_build(
        name="Reps",
        role="sales_rep",
        criterion=Indicator.objects.get(code=CRITERION),
        period="month",
        window_from=dt.date(2025, 1, 1),
        window_to=dt.date(2025, 1, 1),
    )
    # then the candidate's score is stored against it, equal to the on-the-fly score
    stored = CandidateScore.objects.get(candidate=candidate, profile=built)
    assert stored.score == pytest.approx(profile_scores(built, [candidate.pk])[candidate.pk].score)
    # and the profile's versions count up; the first one is unchanged by the second build
    again = success_profile_build(
        name="Reps",
        role="sales_rep",
        criterion=Indicator.objects.get(code=CRITERION),
        period="month",
        window_from=dt.date(2025, 1, 1),
        window_to=dt.date(2025, 1, 1),
        top_share=0.3,
    )
    assert (built.version, again.version) == (1, 2)
    built.refresh_from_db()
    assert built.top_share == 0.25


def test_match_scores_on_a_hand_built_model():
    model = {
        "intercept": -1.0,
        "features": [
            {"feature": "x", "factor": "x", "level": "", "kind": "numeric", "mean": 10.0, "sd": 2.0, "coef": 0.5},
            {"feature": "c=a", "factor": "c", "level": "a", "kind": "boolean", "mean": 0.5, "sd": 0.5, "coef": 1.0},
        ],
    }
    wide = pd.DataFrame({"x": ["14", None], "c": ["a", "b"]}, index=["one", "two"])
    scores = stats.match_scores(stats.feature_matrix(wide, model["features"]), model)
    # one: z_x = 2 → 1.0; z_c = 1 → 1.0; logit = -1 + 2 = 1 → 73.11
    assert scores.contributions.loc["one"].tolist() == [1.0, 1.0]
    assert scores.score["one"] == pytest.approx(100 / (1 + math.exp(-1)))
    # two: x missing → 0; c = b → z = -1 → -1.0; logit = -2 → 11.92
    assert scores.contributions.loc["two"].tolist() == [0.0, -1.0]
    assert scores.score["two"] == pytest.approx(100 / (1 + math.exp(2)))
