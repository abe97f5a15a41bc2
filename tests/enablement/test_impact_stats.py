"""Learning impact: the stacked DiD on a hand-built panel with a known answer, and on simulated panels with a
planted effect, no effect and gaps."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats as scipy_stats

from enablement.stats import activity_impact

# One cohort completing in March 2024, pre = post = 2: before is Jan, Feb; after is Apr, May.
# person: (Jan, Feb, Apr, May); each person's after-minus-before change d in the comment.
HAND_TREATED = {"A": (10, 12, 20, 24), "B": (14, 16, 22, 26)}  # d = 11, 9: mean before 13, after 23
HAND_CONTROLS = {"C": (5, 7, 9, 11), "D": (9, 11, 11, 13)}  # d = 4, 2: mean before 8, after 11
HAND_MONTHS = [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 4, 1), dt.date(2024, 5, 1)]
COMPLETION = dt.date(2024, 3, 1)


def _hand_observations() -> pd.DataFrame:
    rows = [
        (person, month, value)
        for person, values in {**HAND_TREATED, **HAND_CONTROLS}.items()
        for month, value in zip(HAND_MONTHS, values, strict=True)
    ]
    # the completion month and a month before the window must not count
    rows += [(person, COMPLETION, 999.0) for person in "ABCD"]
    rows += [(person, dt.date(2023, 12, 1), -999.0) for person in "ABCD"]
    return pd.DataFrame(rows, columns=["person", "month", "value"])


def _hand_completions() -> pd.DataFrame:
    return pd.DataFrame({"person": ["A", "B"], "month": [COMPLETION, COMPLETION]})


def _hand_impact(observations=None, completions=None, controls=("C", "D")):
    return activity_impact(
        _hand_observations() if observations is None else observations,
        _hand_completions() if completions is None else completions,
        controls,
        pre=2,
        post=2,
    )


def test_hand_built_panel_gives_the_difference_of_the_four_means():
    result = _hand_impact()
    assert result.estimate == pytest.approx(7.0)  # (23 − 13) − (11 − 8)
    assert result.naive == pytest.approx(10.0)  # 23 − 13, what the participants alone suggest
    # Balanced panel: the demeaned regressor is ±1/4 on each of 16 rows (Σx̃² = 1) and each person's score is
    # ±(d − mean d of the person's group)/2 = ±1/2, so the sandwich is 4 × 1/4 = 1, times G/(G − 1) = 4/3.
    half = scipy_stats.t.ppf(0.975, 3) * math.sqrt(4 / 3)
    assert result.ci_low == pytest.approx(7.0 - half)
    assert result.ci_high == pytest.approx(7.0 + half)
    assert (result.n_treated, result.n_control, result.observations) == (2, 2, 16)


def test_hand_built_series_per_month_from_completion():
    result = _hand_impact()
    assert result.series == [
        {"offset": -2, "treated": pytest.approx(12.0), "control": pytest.approx(7.0)},
        {"offset": -1, "treated": pytest.approx(14.0), "control": pytest.approx(9.0)},
        {"offset": 1, "treated": pytest.approx(21.0), "control": pytest.approx(10.0)},
        {"offset": 2, "treated": pytest.approx(25.0), "control": pytest.approx(12.0)},
    ]
    assert result.as_dict()["series"] == result.series
    assert result.as_dict()["estimate"] == pytest.approx(7.0)


@pytest.mark.parametrize(
    "as_month",
    [
        pytest.param(pd.Timestamp, id="timestamp"),
        pytest.param(lambda day: day.replace(day=15), id="mid-month date"),
        pytest.param(lambda day: dt.datetime(day.year, day.month, 1, 9, 30), id="datetime"),  # noqa: DTZ001
    ],
)
def test_months_are_normalised(as_month):
    observations = _hand_observations()
    observations["month"] = [as_month(day) for day in observations["month"]]
    completions = _hand_completions()
    completions["month"] = [as_month(day) for day in completions["month"]]
    result = _hand_impact(observations, completions)
    assert result.estimate == pytest.approx(7.0)
    assert result.observations == 16


def test_a_control_who_also_completed_is_excluded():
    result = _hand_impact(controls=["C", "D", "A"])
    assert result.n_control == 2
    assert result.estimate == pytest.approx(7.0)


def test_participants_without_an_after_observation_are_not_counted():
    observations = pd.concat(
        [_hand_observations(), pd.DataFrame({"person": ["E", "E"], "month": HAND_MONTHS[:2], "value": [50.0, 60.0]})]
    )
    completions = pd.concat([_hand_completions(), pd.DataFrame({"person": ["E"], "month": [COMPLETION]})])
    result = _hand_impact(observations, completions)
    assert result.n_treated == 2
    assert result.estimate == pytest.approx(7.0)
    assert result.naive == pytest.approx(10.0)


def test_missing_values_are_dropped_not_zero():
    observations = _hand_observations()
    observations.loc[len(observations)] = ["A", dt.date(2024, 6, 1), float("nan")]
    observations.loc[len(observations)] = ["C", dt.date(2024, 1, 1), float("nan")]  # a second, empty row
    result = _hand_impact(observations)
    assert result.estimate == pytest.approx(7.0)
    assert result.observations == 16


def test_without_controls_there_is_no_estimate_but_a_naive_change():
    result = _hand_impact(controls=[])
    assert (result.estimate, result.ci_low, result.ci_high) == (None, None, None)
    assert result.naive == pytest.approx(10.0)
    assert (result.n_treated, result.n_control) == (2, 0)
    assert [point["control"] for point in result.series] == [None, None, None, None]


def test_controls_without_data_in_the_window_count_as_no_controls():
    observations = _hand_observations()
    observations = observations[~observations["person"].isin(["C", "D"]) | (observations["month"] == COMPLETION)]
    result = _hand_impact(observations)
    assert result.estimate is None
    assert result.n_control == 0


def test_without_participants_before_and_after_there_is_nothing_to_compare():
    observations = _hand_observations()
    observations = observations[~(observations["person"].isin(["A", "B"]) & (observations["month"] > COMPLETION))]
    result = _hand_impact(observations)
    assert (result.estimate, result.naive) == (None, None)
    assert (result.n_treated, result.n_control, result.observations) == (0, 0, 0)


@pytest.mark.parametrize(("pre", "post"), [(0, 2), (2, 0)])
def test_windows_are_at_least_one_month(pre, post):
    with pytest.raises(ValueError, match="at least 1"):
        activity_impact(_hand_observations(), _hand_completions(), ["C", "D"], pre=pre, post=post)


MONTHS = pd.date_range("2023-01-01", periods=24, freq="MS")


def _simulated(*, effect: float, treated: int = 200, controls: int = 400, missing: float = 0.1, seed: int = 20260):
    """Everyone trends up 0.3 a month; participants start 3.0 higher; completions are staggered over months 5–18
    (0-based); after completion participants gain ``effect``. About ``missing`` of the person-months are absent."""
    rng = np.random.default_rng(seed)
    people = np.arange(treated + controls)
    is_treated = people < treated
    level = rng.normal(0.0, 1.0, len(people)) + 3.0 * is_treated
    completion = np.full(len(people), 10_000)
    completion[is_treated] = rng.integers(5, 19, treated)
    month_shock = rng.normal(0.0, 0.3, len(MONTHS))
    person, month = (grid.ravel() for grid in np.meshgrid(people, np.arange(len(MONTHS)), indexing="ij"))
    value = (
        level[person]
        + 0.3 * month
        + month_shock[month]
        + rng.normal(0.0, 1.0, len(person))
        + effect * (month > completion[person])
    )
    kept = rng.random(len(person)) >= missing
    observations = pd.DataFrame({"person": person[kept], "month": MONTHS[month[kept]], "value": value[kept]})
    completions = pd.DataFrame({"person": people[is_treated], "month": MONTHS[completion[is_treated]]})
    return observations, completions, pd.Series(people[~is_treated])


def test_planted_effect_is_recovered_where_the_naive_change_is_not():
    observations, completions, controls = _simulated(effect=2.0)
    result = activity_impact(observations, completions, controls, pre=4, post=4)
    assert result.estimate == pytest.approx(2.0, rel=0.2)
    assert result.ci_low < 2.0 < result.ci_high
    # the shared trend adds about 0.3 × (mean after offset 2.5 − mean before offset −2.5) = 1.5 to the naive change
    assert abs(result.naive - 2.0) > 0.5
    assert (result.n_treated, result.n_control) == (200, 400)


def test_no_effect_interval_covers_zero():
    observations, completions, controls = _simulated(effect=0.0)
    result = activity_impact(observations, completions, controls, pre=4, post=4)
    assert result.ci_low < 0.0 < result.ci_high
    assert result.naive > 1.0  # the trend alone


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.SingularMatrixWarning")
def test_unbalanced_stacked_panel_matches_ols_with_dummies():
    """Gaps, staggered cohorts and controls shared between cohorts: the absorbed estimate and clustered standard
    error equal an OLS with explicit (cohort, person) and (cohort, month) dummies."""
    observations, completions, controls = _simulated(effect=1.0, treated=12, controls=15, missing=0.3, seed=7)
    pre = post = 3
    result = activity_impact(observations, completions, controls, pre=pre, post=post)

    cohort = completions.set_index("person")["month"]
    frames = []
    for month in cohort.unique():
        offset = (observations["month"].dt.year - month.year) * 12 + observations["month"].dt.month - month.month
        in_window = offset.between(-pre, post) & (offset != 0)
        is_cohort = observations["person"].map(cohort).eq(month)
        rows = observations[in_window & (is_cohort | observations["person"].isin(controls))]
        frames.append(rows.assign(cohort=str(month.date()), d=(is_cohort & (offset > 0)).astype(float)))
    stacked = pd.concat(frames)
    participants = stacked[stacked["person"].isin(completions["person"])]
    sides = participants.groupby("person")["d"].agg(["min", "max"])
    dropped = sides.index[sides["min"] == sides["max"]]  # only before or only after
    stacked = stacked[~stacked["person"].isin(dropped)]
    stacked = stacked[stacked["cohort"].isin(stacked.loc[stacked["person"].isin(completions["person"]), "cohort"])]
    stacked = stacked.assign(
        unit=stacked["cohort"] + "/" + stacked["person"].astype(str),
        cell=stacked["cohort"] + "/" + stacked["month"].astype(str),
    )
    fit = smf.ols("value ~ d + C(unit) + C(cell)", data=stacked).fit(
        cov_type="cluster", cov_kwds={"groups": stacked["person"].to_numpy(), "use_correction": False}
    )
    clusters = stacked["person"].nunique()
    half = scipy_stats.t.ppf(0.975, clusters - 1) * fit.bse["d"] * math.sqrt(clusters / (clusters - 1))

    assert result.observations == len(stacked)
    assert result.estimate == pytest.approx(fit.params["d"], abs=1e-8)
    assert result.ci_high - result.estimate == pytest.approx(half, rel=1e-6)
