"""Fixtures of the rollout tests: three library indicators and a program over the East region."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from performance.models import Indicator, IndicatorValue
from rollout.services import KeyIndicatorInput, program_create
from tests.conftest import make_user

CODES = ["lead_conversion_rate", "win_rate", "nps"]


@pytest.fixture
def indicators(db):
    """The three indicators (the library may already hold them after migrate)."""
    found = {}
    for code in CODES:
        found[code], _created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name_en": code,
                "name_zh": code,
                "category": "acquisition_efficiency",
                "unit": "percent",
                "timing": "lagging",
                "review_cycle": "quarter",
            },
        )
    return found


def add_value(indicator, unit, start: dt.date, value, period="quarter", denominator=1):
    """One indicator value with numerator = value × denominator / 100 (percent scale)."""
    value = Decimal(str(value))
    denominator = Decimal(str(denominator))
    return IndicatorValue.objects.create(
        indicator=indicator,
        org_unit=unit,
        period=period,
        period_start=start,
        numerator=value * denominator / 100,
        denominator=denominator,
        value=value,
        computed_at=timezone.now(),
    )


@pytest.fixture
def co_leads(org_tree):
    """A business co-lead scoped to East and an HR co-lead seeing everything."""
    return make_user("biz", "program_member", unit=org_tree["EAST"]), make_user("hrlead", "hr_lead")


@pytest.fixture
def program(org_tree, indicators, co_leads):
    sponsor, hr = co_leads
    return program_create(
        name="East conversion",
        sponsor=sponsor,
        hr_co_lead=hr,
        org_units=[org_tree["EAST"]],
        focus_dimensions=["enablement"],
        key_indicators=[KeyIndicatorInput(indicator, "lagging", Decimal("40")) for indicator in indicators.values()],
        start_date=dt.date(2026, 4, 10),
        created_by=hr,
    )
