"""Done-when: 600 people whose performance depends on 3 of 12 numeric and 1 of 2 yes/no factors.

The profile must select all four true factors and at most one other, and its cross-validated AUC
must lie within 0.05 of the AUC of the generating model (its linear predictor, without the noise)
on the same people. Over seeds 0–99 of the same generator the first condition held for 97 and the
second for 100; the seed below is fixed so the test is reproducible.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from performance.models import Indicator
from talent import stats
from talent.services import success_profile_build

from .conftest import CRITERION, SIGNAL_KINDS, make_factors, make_people, set_attributes, set_criterion, signal_data

TRUE_FACTORS = {"n0", "n1", "n2", "b0"}


@pytest.mark.django_db
def test_profile_recovers_the_generating_factors(org_tree):
    # given 600 sales reps with 14 factors, performance driven by four of them
    columns, performance, linear = signal_data(seed=2026)
    people = make_people(org_tree["T1"], 600)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)

    # when the profile is built from the indicator engine's person values
    profile = success_profile_build(
        name="Sales reps 2025",
        role="sales_rep",
        criterion=Indicator.objects.get(code=CRITERION),
        period="month",
        window_from=dt.date(2025, 1, 1),
        window_to=dt.date(2025, 12, 1),
    )

    # then it selects the four true factors and at most one other
    selected = set(profile.factors.filter(selected=True).values_list("factor__code", flat=True))
    assert selected >= TRUE_FACTORS
    assert len(selected - TRUE_FACTORS) <= 1
    assert (profile.n_high, profile.n_control) == (150, 450)
    assert profile.warnings == []
    # and its cross-validated AUC is close to that of the generating model on the same people
    ids = [person.pk for person in people]
    is_high = pd.Series(performance, index=ids) >= sorted(performance, reverse=True)[149]
    generating_auc = stats.auc(pd.Series(linear, index=ids), is_high)
    assert profile.cv_auc == pytest.approx(generating_auc, abs=0.05)
    assert profile.auc >= profile.cv_auc - 0.05


def test_profile_recovers_the_generating_factors_without_the_database():
    """The same on the pure statistics (no ORM), on another seed."""
    columns, performance, linear = signal_data(seed=7)
    index = [f"P{i:04d}" for i in range(600)]
    wide = pd.DataFrame(
        {
            code: [("true" if v else "false") if code.startswith("b") else repr(float(v)) for v in values]
            for code, values in columns.items()
        },
        index=index,
    )
    fit = stats.build_profile(wide, SIGNAL_KINDS, pd.Series(performance, index=index))
    selected = set(fit.tests.loc[fit.tests["selected"], "feature"])
    assert selected >= TRUE_FACTORS
    assert len(selected - TRUE_FACTORS) <= 1
    assert fit.cv_auc == pytest.approx(stats.auc(pd.Series(linear, index=index), fit.is_high), abs=0.05)
