"""Learning impact: did people's monthly numbers change after they completed an activity, beyond what changed anyway?

Pure functions on pandas and numpy, no ORM. One observation is one person's value in one month (a behaviour count
such as needs-discovery interviews, or a person-level indicator value).

In plain words:

* The people who completed the activity are the participants. People in the same roles who never completed it are
  the controls; the caller chooses them.
* Participants who completed in the same month form a cohort. For a cohort that completed in month m, the "before"
  window is the ``pre`` months m − pre … m − 1 and the "after" window is the ``post`` months m + 1 … m + post. The
  completion month itself is left out: the learning happens during it.
* Each cohort is compared with all controls over that cohort's own months. The comparisons are stacked into one
  table, so a control person appears once per cohort, and are then averaged into one estimate.
* The estimate is how much the participants' after-minus-before change exceeds the controls' after-minus-before
  change over the same months: a difference in differences. A trend everyone shares (a good season, a new lead
  source) is in both changes and cancels out; a level difference between participants and controls cancels out too.
* The naive change is the participants' own after-minus-before change, without controls. The gap between the two
  shows how much of the naive change would have happened without the activity.

Formally, the stacked difference in differences is the OLS coefficient β of

    value = α[cohort, person] + γ[cohort, month] + β · (participant × after) + error,

with one fixed effect per person within a cohort and one per month within a cohort. The fixed effects are absorbed
by alternating projections (subtract group means until nothing moves) and β is the slope of the demeaned value on the
demeaned regressor (Frisch–Waugh–Lovell). Standard errors are clustered by person, because a control person appears
in several cohorts and a person's months are not independent. The small-sample factor is G/(G − 1) · (N − 1)/(N − K)
with G persons, N rows and K = 1: only β counts as estimated. The fixed effects are not counted because the person
effects are nested in the person clusters (the convention of Stata's reghdfe and R's fixest for nested effects) and
the month effects are few next to N. With K = 1 the second factor is exactly 1, so the factor is G/(G − 1). The 95%
interval uses the t quantile on G − 1 degrees of freedom.

Participants without at least one observation before and one after their completion are left out (they carry no
before/after comparison), and so are cohorts left without participants. Months without an observation are missing,
never zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

CONFIDENCE = 0.95
# The regressor of interest, participant × after, is the only coefficient counted in the small-sample factor.
REGRESSORS = 1
ABSORB_TOLERANCE = 1e-10
ABSORB_MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class ImpactResult:
    """The stacked DiD estimate and interval (None without enough data), the naive before/after, counts and the
    participants' and controls' mean per month relative to completion."""

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    naive: float | None
    n_treated: int
    n_control: int
    observations: int
    series: list[dict]

    def as_dict(self) -> dict:
        return {
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "naive": self.naive,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "observations": self.observations,
            "series": [dict(point) for point in self.series],
        }


def activity_impact(
    observations: pd.DataFrame,
    completions: pd.DataFrame,
    controls: Iterable | pd.Series,
    *,
    pre: int,
    post: int,
) -> ImpactResult:
    """Stacked difference in differences of a learning activity on a person-level monthly value.

    ``observations``: columns ``person`` (any hashable id), ``month`` (a date, datetime or Timestamp; only its year
    and month are used) and ``value`` (NaN rows dropped; several rows of one person and month are averaged).
    ``completions``: columns ``person`` and ``month`` (the completion month); a person listed more than once counts
    from the earliest completion. ``controls``: candidate control ids; any id that also completed is dropped.
    ``pre`` and ``post``: window lengths in months, at least 1.

    Participants without both a before and an after observation are dropped from the estimate, the naive change, the
    series and ``n_treated``; cohorts left without participants are dropped too. ``n_control`` counts the control
    people with at least one observation in a remaining cohort's window, ``observations`` the rows of the stacked
    table. The estimate and interval are None when no participant or no control remains.
    """
    if pre < 1 or post < 1:
        raise ValueError("pre and post must be at least 1 month")
    values = _observations(observations)
    completed = _completions(completions)
    control_ids = pd.Index(pd.unique(pd.Series(list(controls), dtype=object)))
    control_ids = control_ids[~control_ids.isin(completed["person"])]

    treated = _treated_rows(values, completed, pre=pre, post=post)
    control = _control_rows(values[values["person"].isin(control_ids)], treated["cohort"].unique(), pre=pre, post=post)
    naive = _naive(treated)
    series = _series(treated, control, pre=pre, post=post)
    n_treated = int(treated["person"].nunique())
    n_control = int(control["person"].nunique())
    stacked = pd.concat([treated.assign(treated=True), control.assign(treated=False)], ignore_index=True)
    estimate = ci_low = ci_high = None
    if n_treated and n_control:
        estimate, ci_low, ci_high = _stacked_did(stacked)
    return ImpactResult(estimate, ci_low, ci_high, naive, n_treated, n_control, len(stacked), series)


def _month_index(months: pd.Series) -> pd.Series:
    """Months as integers (year × 12 + month − 1), so that month arithmetic is integer arithmetic."""
    stamps = pd.to_datetime(months)
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_localize(None)
    return (stamps.dt.year * 12 + stamps.dt.month - 1).astype("int64")


def _observations(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.loc[:, ["person", "month", "value"]].dropna(subset=["value", "month"])
    data = data.assign(month=_month_index(data["month"]), value=data["value"].astype(float))
    return data.groupby(["person", "month"], sort=False, as_index=False)["value"].mean()


def _completions(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.loc[:, ["person", "month"]].dropna(subset=["month"])
    data = data.assign(cohort=_month_index(data["month"]))
    return data.groupby("person", sort=False, as_index=False)["cohort"].min()


def _treated_rows(values: pd.DataFrame, completed: pd.DataFrame, *, pre: int, post: int) -> pd.DataFrame:
    """Participants' rows in their own cohort's window, tagged with the offset from completion; only participants
    with at least one row before and one after are kept."""
    rows = values.merge(completed, on="person", how="inner")
    rows["offset"] = rows["month"] - rows["cohort"]
    rows = rows[(rows["offset"] >= -pre) & (rows["offset"] <= post) & (rows["offset"] != 0)]
    rows = rows.assign(post=rows["offset"] > 0)
    sides = rows.groupby("person", sort=False)["post"].agg(["any", "all"])
    both = sides.index[sides["any"] & ~sides["all"]]
    return rows[rows["person"].isin(both)].reset_index(drop=True)


def _control_rows(values: pd.DataFrame, cohorts: Iterable[int], *, pre: int, post: int) -> pd.DataFrame:
    """Control rows once per cohort, in that cohort's window."""
    frames = []
    for cohort in sorted(int(c) for c in cohorts):
        offset = values["month"] - cohort
        in_window = (offset >= -pre) & (offset <= post) & (offset != 0)
        frames.append(values[in_window].assign(cohort=cohort, offset=offset[in_window], post=offset[in_window] > 0))
    if not frames:
        return values.iloc[0:0].assign(cohort=0, offset=0, post=False)
    return pd.concat(frames, ignore_index=True)


def _naive(treated: pd.DataFrame) -> float | None:
    """Participants' mean over their after windows minus their mean over their before windows."""
    if treated.empty:
        return None
    after = treated.loc[treated["post"], "value"].mean()
    before = treated.loc[~treated["post"], "value"].mean()
    return float(after - before)


def _series(treated: pd.DataFrame, control: pd.DataFrame, *, pre: int, post: int) -> list[dict]:
    """Mean value per month relative to completion. The controls' mean weights each cohort by its number of
    participants, so that both lines mix calendar months the same way."""
    treated_means = treated.groupby("offset")["value"].mean()
    weights = treated.groupby("cohort")["person"].nunique()
    cells = control.groupby(["cohort", "offset"], as_index=False)["value"].mean()
    cells["weight"] = cells["cohort"].map(weights).astype(float)
    cells["weighted"] = cells["value"] * cells["weight"]
    sums = cells.groupby("offset")[["weighted", "weight"]].sum()
    control_means = sums["weighted"] / sums["weight"]
    offsets = [k for k in range(-pre, post + 1) if k != 0]
    return [
        {"offset": k, "treated": _value_at(treated_means, k), "control": _value_at(control_means, k)} for k in offsets
    ]


def _value_at(means: pd.Series, offset: int) -> float | None:
    value = means.get(offset)
    return None if value is None or pd.isna(value) else float(value)


def _stacked_did(stacked: pd.DataFrame) -> tuple[float | None, float | None, float | None]:
    """β of value on participant × after with (cohort, person) and (cohort, month) effects absorbed; clustered by
    person. Returns (estimate, ci_low, ci_high), all None when the regressor has no variation left."""
    units = stacked.groupby(["cohort", "person"], sort=False).ngroup().to_numpy()
    cells = stacked.groupby(["cohort", "month"], sort=False).ngroup().to_numpy()
    clusters, _ids = pd.factorize(stacked["person"])
    regressor = (stacked["treated"].astype(bool) & stacked["post"].astype(bool)).to_numpy(dtype=float)
    demeaned = _absorb(np.column_stack([stacked["value"].to_numpy(dtype=float), regressor]), [units, cells])
    y, x = demeaned[:, 0], demeaned[:, 1]
    n, groups = len(y), int(clusters.max()) + 1
    sxx = float(x @ x)
    if groups < 2 or n <= REGRESSORS or sxx <= 1e-12 * n:
        return None, None, None
    estimate = float(x @ y) / sxx
    scores = np.bincount(clusters, weights=x * (y - estimate * x), minlength=groups)
    factor = groups / (groups - 1) * (n - 1) / (n - REGRESSORS)
    standard_error = float(np.sqrt(factor * float(scores @ scores))) / sxx
    from scipy import stats as scipy_stats  # imported here: see talent.stats

    half = float(scipy_stats.t.ppf(0.5 + CONFIDENCE / 2, groups - 1)) * standard_error
    return estimate, estimate - half, estimate + half


def _absorb(
    columns: np.ndarray,
    groupings: list[np.ndarray],
    *,
    tolerance: float = ABSORB_TOLERANCE,
    max_iterations: int = ABSORB_MAX_ITERATIONS,
) -> np.ndarray:
    """Columns with the fixed effects of every grouping removed (alternating projections, Guimarães–Portugal).

    ``groupings`` are integer codes 0 … g − 1 per row. Each sweep subtracts the group means of one grouping after
    the other; it stops when the largest mean subtracted in a sweep is below ``tolerance`` (relative to the largest
    absolute input value when that exceeds 1), or after ``max_iterations`` sweeps. One sweep is exact on a balanced
    panel.
    """
    result = np.array(columns, dtype=float, copy=True)
    if result.size == 0:
        return result
    sizes = [np.bincount(codes) for codes in groupings]
    threshold = tolerance * max(1.0, float(np.abs(result).max()))
    for _ in range(max_iterations):
        largest = 0.0
        for codes, size in zip(groupings, sizes, strict=True):
            sums = np.column_stack(
                [np.bincount(codes, weights=result[:, j], minlength=len(size)) for j in range(result.shape[1])]
            )
            means = sums / size[:, None]
            result -= means[codes]
            largest = max(largest, float(np.abs(means).max()))
        if largest < threshold:
            break
    return result
