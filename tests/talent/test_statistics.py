"""The statistics of a profile on small hand-built data, checked against hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from talent import stats


def test_top_share_rounds_half_up_and_breaks_ties_by_key():
    # given 10 people, two tied at the boundary
    criterion = pd.Series([9, 8, 7, 7, 5, 4, 3, 2, 1, 0], index=list("ABCDEFGHIJ"), dtype=float)
    # when the top 25% are taken: 2.5 rounds up to 3
    flags = stats.high_performer_flags(criterion, 0.25)
    # then A, B and the first of the tied C/D by key
    assert list(flags[flags].index) == ["A", "B", "C"]
    # NaN criteria are dropped
    criterion["K"] = np.nan
    assert len(stats.high_performer_flags(criterion, 0.25)) == 10


def test_numeric_factor_welch_test_and_cohens_d():
    # high: 4, 6 (mean 5, sd √2); control: 1, 2, 3 (mean 2, sd 1)
    wide = pd.DataFrame({"x": ["4", "6", "1", "2", "3"]}, index=list("abcde"))
    is_high = pd.Series([True, True, False, False, False], index=list("abcde"))
    specs = stats.feature_specs(wide, {"x": "numeric"})
    tests = stats.factor_tests(stats.feature_matrix(wide, specs), specs, is_high)
    row = tests.iloc[0]
    assert (row["high"], row["control"]) == (5.0, 2.0)
    # pooled sd = √((1·2 + 2·1) / 3) = √(4/3); d = 3 / 1.1547 = 2.598
    assert row["effect"] == pytest.approx(3 / math.sqrt(4 / 3))
    # Welch: t = 3 / √(2/2 + 1/3) = 2.598; df = (4/3)² / ((1)²/1 + (1/3)²/2) = 1.684
    t = 3 / math.sqrt(2 / 2 + 1 / 3)
    df = (4 / 3) ** 2 / (1 / 1 + (1 / 9) / 2)
    from scipy.stats import t as student

    assert row["p"] == pytest.approx(2 * student.sf(t, df))


def test_boolean_factor_fisher_test_and_cohens_h():
    # high: 3 of 4 yes; control: 1 of 4 yes
    wide = pd.DataFrame({"b": ["true", "true", "true", "false", "true", "false", "false", "false"]})
    is_high = pd.Series([True] * 4 + [False] * 4)
    specs = stats.feature_specs(wide, {"b": "boolean"})
    row = stats.factor_tests(stats.feature_matrix(wide, specs), specs, is_high).iloc[0]
    assert (row["high"], row["control"]) == (0.75, 0.25)
    assert row["effect"] == pytest.approx(2 * math.asin(math.sqrt(0.75)) - 2 * math.asin(math.sqrt(0.25)))
    # Fisher, two-sided, table [[3, 1], [1, 3]]: P(3)+P(1)+P(4)+P(0) of the hypergeometric = (16+16+1+1)/70
    assert row["p"] == pytest.approx(34 / 70)


def test_categorical_factor_is_one_test_per_level_and_missing_values_are_left_out():
    wide = pd.DataFrame({"industry": ["bank", "bank", "retail", None, "retail", "bank"]})
    is_high = pd.Series([True, True, True, False, False, False])
    specs = stats.feature_specs(wide, {"industry": "categorical"})
    assert [spec["feature"] for spec in specs] == ["industry=bank", "industry=retail"]
    tests = stats.factor_tests(stats.feature_matrix(wide, specs), specs, is_high)
    bank = tests.set_index("feature").loc["industry=bank"]
    # high: bank, bank, retail → 2/3; control (one missing): retail, bank → 1/2
    assert (bank["n_high"], bank["n_control"]) == (3, 2)
    assert bank["high"] == pytest.approx(2 / 3)
    assert bank["control"] == pytest.approx(1 / 2)


def test_benjamini_hochberg_q_values_and_selection():
    # Three tests with p = 0.01, 0.04, 0.03: sorted 0.01, 0.03, 0.04 → q = min over later of p·m/rank:
    # 0.04·3/3 = 0.04, 0.03·3/2 = 0.045 → 0.04, 0.01·3/1 = 0.03
    p = np.array([0.01, 0.04, 0.03])
    from statsmodels.stats.multitest import multipletests

    q = multipletests(p, method="fdr_bh")[1]
    assert q == pytest.approx([0.03, 0.04, 0.04])


def test_selection_needs_both_a_small_q_and_a_large_enough_effect():
    from scipy.stats import norm

    # control: 3,000 evenly spread normal quantiles; high: 1,000 quantiles shifted by 0.1 (d = 0.1) or 0.8
    control = norm.ppf((np.arange(3000) + 0.5) / 3000)
    base = norm.ppf((np.arange(1000) + 0.5) / 1000)
    is_high = pd.Series([True] * 1000 + [False] * 3000)
    wide = pd.DataFrame(
        {
            "strong": np.concatenate([base + 0.8, control]).astype(str),
            "tiny": np.concatenate([base + 0.1, control]).astype(str),
        }
    )
    specs = stats.feature_specs(wide, {"strong": "numeric", "tiny": "numeric"})
    matrix = stats.feature_matrix(wide, specs)
    tests = stats.factor_tests(matrix, specs, is_high).set_index("feature")
    assert tests.loc["strong", "selected"]
    # the tiny difference is significant with this many people, but too small to matter
    assert tests.loc["tiny", "q"] <= 0.05
    assert abs(tests.loc["tiny", "effect"]) < 0.2
    assert not tests.loc["tiny", "selected"]
    # the effect threshold is settable: a larger minimum drops both, a smaller one keeps both
    assert not stats.factor_tests(matrix, specs, is_high, min_effect=5)["selected"].any()
    assert stats.factor_tests(matrix, specs, is_high, min_effect=0.05)["selected"].all()


def test_auc_counts_ties_as_half():
    assert stats.auc([0.9, 0.5, 0.5, 0.1], [True, True, False, False]) == pytest.approx((1 + 1 + 0.5 + 1) / 4)
    assert stats.auc([0.2, 0.3], [True, True]) is None


def test_small_groups_and_no_selection_are_warned():
    wide = pd.DataFrame({"x": ["3", "1", "6", "2", "5", "4"]})
    fit = stats.build_profile(wide, {"x": "numeric"}, pd.Series([1, 2, 3, 4, 5, 6], dtype=float))
    codes = [warning["code"] for warning in fit.warnings]
    assert codes == ["small_group", "no_factor_selected"]
    assert fit.auc is None
    assert fit.cv_auc is None
    # without a selected factor everyone gets the base rate: 2 of 6 are high performers (1.5 rounds to 2)
    assert fit.n_high == 2
    assert 100 * 1 / (1 + math.exp(-fit.model["intercept"])) == pytest.approx(100 * 2 / 6)
