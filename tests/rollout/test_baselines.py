"""Baselines come from the indicator values of the last complete period before the start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rollout.jobs import program_baselines_fill
from rollout.services import KeyIndicatorInput, program_create

from .conftest import add_value


def test_baseline_is_the_quarter_before_the_start(org_tree, indicators, co_leads):
    sponsor, hr = co_leads
    lcr = indicators["lead_conversion_rate"]
    add_value(lcr, org_tree["EAST"], dt.date(2026, 1, 1), 30)  # Q1: the baseline quarter
    add_value(lcr, org_tree["EAST"], dt.date(2026, 4, 1), 55)  # Q2: the start quarter, not used
    add_value(lcr, org_tree["WEST"], dt.date(2026, 1, 1), 90)  # outside the scope
    program = program_create(
        name="p",
        sponsor=sponsor,
        hr_co_lead=hr,
        org_units=[org_tree["EAST"]],
        focus_dimensions=["talent"],
        key_indicators=[KeyIndicatorInput(i, "lagging") for i in indicators.values()],
        start_date=dt.date(2026, 4, 10),
    )
    key = program.key_indicators.get(indicator=lcr)
    assert key.baseline_value == Decimal("30.0000")
    assert key.baseline_period_start == dt.date(2026, 1, 1)
    assert program.key_indicators.get(indicator=indicators["nps"]).baseline_value is None


def test_baseline_over_several_units_weights_by_denominator_and_skips_nested(org_tree, indicators, co_leads):
    sponsor, hr = co_leads
    lcr = indicators["lead_conversion_rate"]
    add_value(lcr, org_tree["T1"], dt.date(2025, 10, 1), 20, denominator=10)
    add_value(lcr, org_tree["T3"], dt.date(2025, 10, 1), 50, denominator=30)
    add_value(lcr, org_tree["WEST"], dt.date(2025, 10, 1), 50, denominator=30)
    program = program_create(
        name="p",
        sponsor=sponsor,
        hr_co_lead=hr,
        org_units=[org_tree["T1"], org_tree["WEST"], org_tree["T3"]],  # T3 lies inside WEST: counted once
        focus_dimensions=["talent", "performance"],
        key_indicators=[KeyIndicatorInput(i, "lagging") for i in indicators.values()],
        start_date=dt.date(2026, 1, 1),
    )
    # (20 × 10 + 50 × 30) / 40 = 42.5
    assert program.key_indicators.get(indicator=lcr).baseline_value == Decimal("42.5000")


def test_nightly_fills_a_baseline_whose_data_came_later(program, org_tree, indicators):
    nps = indicators["nps"]
    assert program.key_indicators.get(indicator=nps).baseline_value is None
    add_value(nps, org_tree["EAST"], dt.date(2026, 1, 1), 12)
    assert program_baselines_fill()["baselines"] == 1
    assert program.key_indicators.get(indicator=nps).baseline_value == Decimal("12.0000")
