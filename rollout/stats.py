"""Pilot against control: difference in differences with a 95% interval, and the naive before/after.

Pure functions on pandas, no ORM (DESIGN.md section 6). One observation is one unit's value in one
month. The estimate is the coefficient d of pilot × post in an OLS model:

* without unit and period columns, the saturated two-by-two model
  y = a + b·pilot + c·post + d·(pilot × post) + e, so that
  d = (mean pilot post − mean pilot pre) − (mean control post − mean control pre) and its standard
  error is sqrt(s² · Σ 1/n_cell), s² the residual variance on N − 4 degrees of freedom;
* with a ``unit`` column, unit fixed effects replace ``pilot`` (units differ in level, not in trend);
  with a ``period`` column, period fixed effects replace ``post`` (a month that is bad for everyone,
  seasonality, is taken out). On a balanced panel d is still the difference of the four means; the
  interval is tighter because level and month differences no longer count as noise.

The interval uses the t quantile on the model's residual degrees of freedom (N − rank).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

CONFIDENCE = 0.95


@dataclass(frozen=True)
class DidResult:
    """The estimate, its interval (None without enough observations) and the naive pilot before/after."""

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    naive: float | None
    pilot_pre: float | None
    pilot_post: float | None
    control_pre: float | None
    control_post: float | None
    observations: int

    def as_dict(self) -> dict:
        return {
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "naive": self.naive,
            "pilot_pre": self.pilot_pre,
            "pilot_post": self.pilot_post,
            "control_pre": self.control_pre,
            "control_post": self.control_post,
            "observations": self.observations,
        }


def _mean(values: pd.Series) -> float | None:
    return float(values.mean()) if len(values) else None


def difference_in_differences(frame: pd.DataFrame) -> DidResult:
    """DiD on rows with columns ``pilot`` (bool), ``post`` (bool), ``value`` (float; NaN rows dropped) and,
    optionally, ``unit`` and ``period`` (for fixed effects)."""
    data = frame.dropna(subset=["value"]).astype({"pilot": bool, "post": bool, "value": float})
    cells = {
        (pilot, post): data.loc[(data["pilot"] == pilot) & (data["post"] == post), "value"]
        for pilot in (True, False)
        for post in (False, True)
    }
    means = {key: _mean(values) for key, values in cells.items()}
    pilot_pre, pilot_post = means[(True, False)], means[(True, True)]
    control_pre, control_post = means[(False, False)], means[(False, True)]
    naive = pilot_post - pilot_pre if pilot_pre is not None and pilot_post is not None else None
    if pilot_pre is None or pilot_post is None or control_pre is None or control_post is None:
        return DidResult(None, None, None, naive, pilot_pre, pilot_post, control_pre, control_post, len(data))
    estimate = (pilot_post - pilot_pre) - (control_post - control_pre)
    ci_low = ci_high = None
    design = _design(data)
    if len(data) > np.linalg.matrix_rank(design):
        from statsmodels.regression.linear_model import OLS  # imported here: see talent.stats

        fit = OLS(data["value"].to_numpy(), design).fit()
        estimate = float(fit.params[0])
        low, high = fit.conf_int(alpha=1 - CONFIDENCE)[0]
        if math.isfinite(low) and math.isfinite(high):
            ci_low, ci_high = float(low), float(high)
    return DidResult(estimate, ci_low, ci_high, naive, pilot_pre, pilot_post, control_pre, control_post, len(data))


def _design(data: pd.DataFrame) -> np.ndarray:
    """Columns: pilot × post first, then the intercept and the group and time terms (or fixed effects)."""
    pilot = data["pilot"].to_numpy(dtype=float)
    post = data["post"].to_numpy(dtype=float)
    columns = [pilot * post, np.ones(len(data))]
    if "unit" in data:
        columns += list(pd.get_dummies(data["unit"], drop_first=True, dtype=float).to_numpy().T)
    else:
        columns.append(pilot)
    if "period" in data:
        columns += list(pd.get_dummies(data["period"], drop_first=True, dtype=float).to_numpy().T)
    else:
        columns.append(post)
    return np.column_stack(columns)
