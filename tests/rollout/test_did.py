"""Pilot against control: the DiD estimate and interval on hand-built values with a known answer."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from scipy import stats as scipy_stats

from rollout.pilots import pilot_create
from rollout.results import pilot_results
from rollout.stats import difference_in_differences

from .conftest import add_value

# pilot pre 10, 12 (mean 11), post 20, 22 (21); control pre 10, 14 (12), post 15, 17 (16)
CELLS = [
    (True, False, [10, 12]),
    (True, True, [20, 22]),
    (False, False, [10, 14]),
    (False, True, [15, 17]),
]


def _frame():
    rows = [(pilot, post, value) for pilot, post, values in CELLS for value in values]
    return pd.DataFrame(rows, columns=["pilot", "post", "value"])


def test_did_known_answer_and_interval():
    result = difference_in_differences(_frame())
    assert result.estimate == pytest.approx(6.0)  # (21 − 11) − (16 − 12)
    assert result.naive == pytest.approx(10.0)  # what the pilot alone suggests
    # residual sum of squares 1+1 + 1+1 + 4+4 + 1+1 = 14 on 8 − 4 = 4 df; se = sqrt(3.5 × 4 × 1/2) = sqrt(7)
    half = scipy_stats.t.ppf(0.975, 4) * math.sqrt(7)
    assert result.ci_low == pytest.approx(6 - half)
    assert result.ci_high == pytest.approx(6 + half)
    assert result.observations == 8


def test_did_without_a_control_cell_gives_no_estimate():
    frame = _frame()
    frame = frame[~((~frame["pilot"]) & frame["post"])]
    result = difference_in_differences(frame)
    assert result.estimate is None
    assert result.ci_low is None
    assert result.naive == pytest.approx(10.0)


def test_pilot_results_from_monthly_indicator_values(program, org_tree, indicators):
    lcr = indicators["lead_conversion_rate"]
    months = {"pre": [dt.date(2026, 3, 1), dt.date(2026, 4, 1)], "post": [dt.date(2026, 5, 1), dt.date(2026, 6, 1)]}
    for is_pilot, is_post, values in CELLS:
        unit = org_tree["T1"] if is_pilot else org_tree["T2"]
        for month, value in zip(months["post" if is_post else "pre"], values, strict=True):
            add_value(lcr, unit, month, value, period="month")
    add_value(lcr, org_tree["T1"], dt.date(2026, 1, 1), 99, period="month")  # before the pre window
    pilot = pilot_create(
        program=program,
        name="T1 pilot",
        pilot_units=[org_tree["T1"]],
        control_units=[org_tree["T2"]],
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 6, 30),
        pre_months=2,
    )
    keys = list(program.key_indicators.select_related("indicator"))
    results = pilot_results(pilot, keys, today=dt.date(2026, 7, 15))
    by_code = {item.key.indicator.code: item for item in results.indicators}
    item = by_code["lead_conversion_rate"]
    assert item.did.estimate == pytest.approx(6.0)
    assert item.did.naive == pytest.approx(10.0)
    assert item.months == [dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert item.pilot_means == [10.0, 12.0, 20.0, 22.0]
    assert by_code["nps"].did.estimate is None


def test_pilot_units_and_controls_must_differ(program, org_tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        pilot_create(
            program=program,
            name="bad",
            pilot_units=[org_tree["T1"]],
            control_units=[org_tree["T1"]],
            start=dt.date(2026, 5, 1),
            end=dt.date(2026, 6, 1),
        )


def test_unit_and_month_fixed_effects_take_out_levels_and_seasons():
    # given: three units with different levels, a shared month pattern, and +5 in the pilot after the start
    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    season = {"2026-01": 0.0, "2026-02": -3.0, "2026-03": 4.0, "2026-04": -1.0}
    levels = {"P": 50.0, "C1": 20.0, "C2": 35.0}
    rows = []
    for unit, level in levels.items():
        for month in months:
            post = month >= "2026-03"
            rows.append(
                {
                    "unit": unit,
                    "period": month,
                    "pilot": unit == "P",
                    "post": post,
                    "value": level + season[month] + (5.0 if unit == "P" and post else 0.0),
                }
            )
    # when
    result = difference_in_differences(pd.DataFrame(rows))
    # then: the effect exactly, with no noise left to widen the interval
    assert result.estimate == pytest.approx(5.0)
    assert result.ci_low == pytest.approx(5.0, abs=1e-6)
    assert result.ci_high == pytest.approx(5.0, abs=1e-6)
    assert result.naive == pytest.approx(5.0 + (4.0 - 1.0) / 2 - (0.0 - 3.0) / 2)
