"""Incentive simulation on hand-built contracts: immediate, held back, released, forfeited, team parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from org.models import Person
from performance.incentives import incentive_simulate
from performance.models import Contract, Customer, IncentivePlan, Indicator, IndicatorValue, TeamIncentiveRule

D = dt.date
Q1_2025 = D(2025, 1, 1)


@pytest.fixture
def plan(org_tree, people):
    cs = Person.objects.create(
        external_id="P5", name="Person P5", org_unit=org_tree["T1"], role="customer_success", hire_date=D(2023, 1, 1)
    )
    plan = IncentivePlan.objects.create(
        name="2025 sales plan",
        roles=["sales_rep"],
        period="quarter",
        commission_rate=Decimal("5"),
        deferred_share=Decimal("40"),
        deferral_months=12,
    )
    TeamIncentiveRule.objects.create(
        plan=plan,
        role="customer_success",
        indicator=Indicator.objects.get(code="nps"),
        target=Decimal("40"),
        amount=Decimal("1000"),
    )
    t1, t2 = org_tree["T1"], org_tree["T2"]
    p1, p2 = people["P1"], people["P2"]

    def customer(ext, unit, owner, acquired, churned=None):
        return Customer.objects.create(
            external_id=ext,
            name=ext,
            segment="smb",
            org_unit=unit,
            owner=owner,
            acquired_on=acquired,
            churned_on=churned,
        )

    def contract(ext, cust, owner, kind, signed, value, renews=None):
        return Contract.objects.create(
            external_id=ext,
            customer=cust,
            org_unit=cust.org_unit,
            owner=owner,
            kind=kind,
            signed_on=signed,
            start_on=signed,
            end_on=signed + dt.timedelta(days=364),
            value=Decimal(value),
            gross_margin=Decimal(value) / 3,
            renews=renews,
        )

    ca = customer("CA", t1, p1, D(2024, 1, 10))
    cb = customer("CB", t1, p1, D(2024, 2, 15), churned=D(2024, 11, 30))
    cc = customer("CC", t2, p2, D(2024, 3, 1))
    cd = customer("CD", t1, p1, D(2025, 2, 1))
    x1 = contract("X1", ca, p1, "new", D(2024, 1, 10), "100000")
    contract("R1", ca, p1, "renewal", D(2024, 12, 20), "100000", renews=x1)
    contract("X2", cb, p1, "new", D(2024, 2, 15), "50000")
    contract("X3", cc, p2, "new", D(2024, 3, 1), "40000")
    contract("U1", cc, p2, "upsell", D(2024, 9, 1), "10000")
    contract("X4", cd, p1, "new", D(2025, 2, 1), "20000")
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="nps"),
        org_unit=org_tree["ACME"],
        period="quarter",
        period_start=Q1_2025,
        numerator=Decimal("1"),
        denominator=Decimal("2"),
        value=Decimal("50"),
        computed_at=timezone.now(),
    )
    return plan, cs


def _by_person(payouts):
    return {payout.person.external_id: payout for payout in payouts}


def test_q1_2025_payouts(plan, org_tree):
    the_plan, _cs = plan
    payouts = _by_person(
        incentive_simulate(plan=the_plan, org_unit=org_tree["ACME"], period_start=Q1_2025, today=D(2025, 6, 30))
    )
    p1 = payouts["P1"]
    assert p1.total("immediate") == Decimal("600.00")  # X4: 20000 x 5 % x 60 %
    assert p1.held_back == Decimal("400.00")  # X4: 20000 x 5 % x 40 %
    assert p1.total("released") == Decimal("2000.00")  # X1 renewed before its due date
    assert p1.forfeited == Decimal("1000.00")  # X2: the customer churned before the deferral ended
    assert p1.paid == Decimal("2600.00")
    x2 = [line for line in p1.lines if line.contract == "X2"]
    assert [(line.kind, line.amount) for line in x2] == [
        ("released", Decimal("0.00")),
        ("forfeited", Decimal("1000.00")),
    ]
    assert "churned on Nov. 30, 2024" in x2[1].explanation
    p2 = payouts["P2"]
    # X3 not renewed; an upsell of 10000 against 40000 releases a quarter of the 800 held back
    assert (p2.total("released"), p2.forfeited) == (Decimal("200.00"), Decimal("600.00"))
    # the customer-success person earns the team part: NPS 50 against 40 -> 1.25 x 1000
    assert payouts["P5"].total("team") == Decimal("1250.00")
    assert "P3" not in payouts or payouts["P3"].paid == Decimal("0")


def test_deferred_part_not_yet_due_is_pending(plan, org_tree):
    the_plan, _cs = plan
    payouts = _by_person(
        incentive_simulate(plan=the_plan, org_unit=org_tree["T1"], period_start=D(2026, 1, 1), today=D(2025, 6, 30))
    )
    lines = [line for line in payouts["P1"].lines if line.contract == "X4"]
    assert [(line.kind, line.amount) for line in lines] == [("pending", Decimal("400.00"))]
    assert payouts["P1"].paid == Decimal("0")


def test_team_part_without_value_pays_nothing(plan, org_tree):
    the_plan, _cs = plan
    payouts = _by_person(
        incentive_simulate(plan=the_plan, org_unit=org_tree["T1"], period_start=Q1_2025, today=D(2025, 6, 30))
    )
    team_line = next(line for line in payouts["P5"].lines if line.kind == "team")
    assert team_line.amount == Decimal("0")
    assert "no value" in team_line.explanation


def test_simulation_page_explains_lines(plan, org_tree, hr_lead, client):
    the_plan, _cs = plan
    client.force_login(hr_lead)
    page = client.get(
        f"/performance/incentives/{the_plan.pk}/",
        {"unit": "ACME", "period_start": "2025-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "churned on Nov. 30, 2024" in text
    assert "X4" in text


def test_manager_simulates_only_in_scope(plan, east_manager, client):
    the_plan, _cs = plan
    client.force_login(east_manager)
    assert client.get(f"/performance/incentives/{the_plan.pk}/", {"unit": "WEST"}).status_code == 404
    assert client.get(f"/performance/incentives/{the_plan.pk}/", {"unit": "EAST"}).status_code == 200
