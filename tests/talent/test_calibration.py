"""Calibration: correlations with confidence intervals, AUC, and which hires count, on hand-built data."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from org.models import Person
from performance.models import Indicator
from talent.calibration import (
    MIN_TENURE_DAYS,
    PUBLISHED_VALIDITIES,
    calibration_figures,
    pearson_with_ci,
    profile_calibration,
    spearman_with_ci,
)
from talent.models import Candidate
from talent.services import success_profile_build

from .conftest import (
    CRITERION,
    MONTH,
    SIGNAL_KINDS,
    make_factors,
    make_people,
    set_attributes,
    set_criterion,
    signal_data,
)

X = [1, 2, 3, 4, 5]
Y = [2, 1, 4, 3, 5]  # deviations (-1,-2,1,0,2) against (-2,-1,0,1,2): Σ = 8, Σx² = Σy² = 10, so r = 0.8
Z95 = 1.959963984540054


def test_pearson_interval_is_fishers_z():
    # when
    result = pearson_with_ci(X, Y)
    # then: tanh(atanh(0.8) ± 1.96/√2)
    assert result.r == pytest.approx(0.8)
    assert result.low == pytest.approx(math.tanh(math.atanh(0.8) - Z95 / math.sqrt(2)))
    assert result.low == pytest.approx(-0.2796, abs=1e-4)
    assert result.high == pytest.approx(0.9862, abs=1e-4)


def test_spearman_interval_uses_bonett_wright_standard_error():
    # when: the ranks equal the values, so ρ = 0.8 too
    result = spearman_with_ci(X, Y)
    # then: se = √((1 + 0.8²/2) / (5 − 3)) = √0.66
    se = math.sqrt(0.66)
    assert result.r == pytest.approx(0.8)
    assert result.low == pytest.approx(math.tanh(math.atanh(0.8) - Z95 * se))
    assert result.low == pytest.approx(-0.4572, abs=1e-4)
    assert result.high == pytest.approx(0.9908, abs=1e-4)


def test_too_few_or_constant_values_give_no_correlation():
    assert pearson_with_ci([1, 2, 3], [1, 2, 3]).r is None
    assert spearman_with_ci([1, 1, 1, 1], [1, 2, 3, 4]).r is None


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([False, False, False, True, True], 1.0),  # the two best scores became high performers
        ([False, True, False, True, False], 0.5),  # {2, 4} against {1, 3, 5}: 3 of 6 pairs ordered right
    ],
)
def test_auc_for_becoming_a_high_performer(flags, expected):
    frame = pd.DataFrame({"score": X, "criterion": Y, "is_high": flags})
    figures = calibration_figures(frame)
    assert figures.n == 5
    assert figures.n_high == 2
    assert figures.auc == pytest.approx(expected)


def test_published_reference_includes_structured_interviews():
    assert ("Structured interviews", 0.42) in [(str(name), value) for name, value in PUBLISHED_VALIDITIES]


@pytest.fixture
def built(org_tree):
    columns, performance, _ = signal_data(seed=11, n=200)
    people = make_people(org_tree["T1"], 200)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)
    profile = success_profile_build(
        name="Reps",
        role="sales_rep",
        criterion=Indicator.objects.get(code=CRITERION),
        period="month",
        window_from=MONTH,
        window_to=MONTH,
    )
    return profile, people, factors, columns, performance


def test_hires_need_tenure_and_a_criterion_value(built, org_tree):
    # given: five hires; the candidate's attributes are those of the person they became
    profile, people, factors, columns, performance = built
    hires = []
    for index in range(5):
        hires.append(
            Candidate.objects.create(
                external_id=f"H{index}",
                name=f"Hire {index}",
                role="sales_rep",
                org_unit=org_tree["T1"],
                applied_on=dt.date(2022, 10, 1),
                stage="hired",
                hired_as=people[index],
            )
        )
    set_attributes(hires, factors, {code: values[:5] for code, values in columns.items()})
    # the fifth joined too late to have 180 days in the role by the window's end
    Person.objects.filter(pk=people[4].pk).update(hire_date=MONTH - dt.timedelta(days=MIN_TENURE_DAYS - 31))
    # when
    calibration = profile_calibration(profile, window_from=MONTH, window_to=dt.date(2025, 1, 31))
    # then
    assert list(calibration.rows["candidate"]) == ["H0", "H1", "H2", "H3"]
    assert list(calibration.rows["criterion"]) == pytest.approx([round(v, 4) for v in performance[:4]])
    figures = calibration.figures
    expected = pearson_with_ci(calibration.rows["score"], calibration.rows["criterion"])
    assert figures.pearson.r == pytest.approx(expected.r)
    high_ids = set(profile.members["high"])
    assert list(calibration.rows["is_high"]) == [person.pk in high_ids for person in people[:4]]
    assert calibration.warnings  # fewer than ten hires
