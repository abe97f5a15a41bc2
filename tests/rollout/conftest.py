"""Fixtures of the rollout tests: three library indicators and a program over the East region."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from org.choices import PersonRole
from org.models import Person
from org.services import user_profile_set
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
    """A business co-lead scoped to East and an HR co-lead seeing everything, both people of the company."""
    biz, hr = make_user("biz", "program_member", unit=org_tree["EAST"]), make_user("hrlead", "hr_lead")
    for user, name, unit, role in (
        (biz, "Bea Business", org_tree["EAST"], PersonRole.SALES_MANAGER),
        (hr, "Hana Hr", org_tree["ACME"], PersonRole.OTHER),
    ):
        person = Person.objects.create(
            external_id=f"CL-{user.username}", name=name, org_unit=unit, role=role, hire_date=dt.date(2020, 1, 1)
        )
        user_profile_set(user=user, org_unit=unit if user is biz else None, person=person)
    return biz, hr


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


@pytest.fixture
def member(program, org_tree):
    """A joint-team member from outside the program's scope (membership, not scope, lets them edit)."""
    from rollout.choices import TeamRole
    from rollout.services import member_add

    user = make_user("member1", "program_member", unit=org_tree["WEST"])
    member_add(program=program, user=user, role=TeamRole.MARKETING)
    return user


@pytest.fixture
def west_manager(org_tree):
    """A manager whose scope (West) does not overlap the program's (East)."""
    return make_user("west_manager", "manager", unit=org_tree["WEST"])


@pytest.fixture
def linkables(org_tree, indicators):
    """What a pilot can link: a success profile, a scorecard in East and one in West, a project team in T1."""
    from org.models import Person
    from performance.models import Customer, CustomerProjectTeam, Scorecard
    from talent.models import SuccessProfile

    profile = SuccessProfile.objects.create(
        name="Hunter reps",
        role="sales_rep",
        version=1,
        criterion=indicators["win_rate"],
        period="month",
        window_from=dt.date(2025, 1, 1),
        window_to=dt.date(2025, 12, 1),
        top_share=0.25,
        max_q=0.05,
        min_effect=0.2,
        n_high=1,
        n_control=3,
    )
    owner = Person.objects.create(
        external_id="KAM", name="KAM", org_unit=org_tree["T1"], role="account_manager", hire_date=dt.date(2024, 1, 1)
    )
    customer = Customer.objects.create(
        external_id="KA1", name="Key account", segment="enterprise", org_unit=org_tree["T1"], owner=owner
    )
    return {
        "profile": profile,
        "east_card": Scorecard.objects.create(name="East reps", role="sales_rep", org_unit=org_tree["EAST"]),
        "west_card": Scorecard.objects.create(name="West reps", role="sales_rep", org_unit=org_tree["WEST"]),
        "team": CustomerProjectTeam.objects.create(name="KA1 team", customer=customer, org_unit=org_tree["T1"]),
    }
