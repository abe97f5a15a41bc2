"""Incentive simulation on hand-built contracts: immediate, held back, released, forfeited, team parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from org.models import Person
from performance.incentives import incentive_simulate
from performance.models import Contract, Customer, IncentivePlan, Indicator, IndicatorValue, TeamIncentiveRule
from tests.conftest import flat

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


def _explained(payouts, external_id):
    return [(line.kind, line.explanation) for line in payouts[external_id].lines]


EXPLANATIONS = {
    "en": {
        "P1": [
            ("immediate", "X4: 5 % of new contract value ¥20,000.00, the part paid now."),
            (
                "held_back",
                "X4: deferred part held back until Feb. 1, 2026, released as the customer renews or expands.",
            ),
            ("released", "X1: deferred part released: renewed on Dec. 20, 2024."),
            (
                "released",
                "X2: deferred part released: the customer churned on Nov. 30, 2024, before the deferral ended.",
            ),
            (
                "forfeited",
                "X2: deferred part not released: the customer churned on Nov. 30, 2024, before the deferral ended.",
            ),
        ],
        "P2": [
            (
                "released",
                "X3: deferred part released: not renewed by then; upsell and cross-sell of ¥10,000.00 against a "
                "contract of ¥40,000.00.",
            ),
            (
                "forfeited",
                "X3: deferred part not released: not renewed by then; upsell and cross-sell of ¥10,000.00 against a "
                "contract of ¥40,000.00.",
            ),
        ],
        "P5": [("team", "Net promoter score of ACME is 50.0 against a target of 40.0: 125.0 % of ¥1,000.00.")],
    },
    "zh-hans": {
        "P1": [
            ("immediate", "X4：新签合同额 ¥20,000.00 的 5 %，本期即时发放部分。"),
            ("held_back", "X4：递延部分暂扣至 2026年2月1日，视客户续约或增购情况发放。"),
            ("released", "X1：递延部分已发放：已于 2024年12月20日 续约。"),
            ("released", "X2：递延部分已发放：客户于 2024年11月30日 流失，早于递延期结束。"),
            ("forfeited", "X2：递延部分不予发放：客户于 2024年11月30日 流失，早于递延期结束。"),
        ],
        "P2": [
            ("released", "X3：递延部分已发放：到期时未续约；合同金额 ¥40,000.00，期间增购及交叉销售 ¥10,000.00。"),
            ("forfeited", "X3：递延部分不予发放：到期时未续约；合同金额 ¥40,000.00，期间增购及交叉销售 ¥10,000.00。"),
        ],
        "P5": [("team", "ACME的净推荐值为 50.0，目标值为 40.0：发放 ¥1,000.00 的 125.0 %。")],
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_line_prints_its_numbers_through_the_formatting_layer(plan, org_tree, language):
    # given the hand-built plan of test_q1_2025_payouts, in either language
    the_plan, _cs = plan
    with translation.override(language):
        # when Q1 2025 is simulated
        payouts = _by_person(
            incentive_simulate(plan=the_plan, org_unit=org_tree["ACME"], period_start=Q1_2025, today=D(2025, 6, 30))
        )
        # then amounts carry the currency and separators, rates and attainments read as percentages
        assert {person: _explained(payouts, person) for person in ("P1", "P2", "P5")} == EXPLANATIONS[language]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Renewal rate of ACME is 60.0 % against a target of 60.0 %: 100.0 % of ¥1,000.00."),
        ("zh-hans", "ACME的老客户续约率为 60.0 %，目标值为 60.0 %：发放 ¥1,000.00 的 100.0 %。"),
    ],
)
def test_a_round_target_never_reads_in_scientific_notation(plan, org_tree, language, expected):
    # given a team rule whose target and value are a round 60 (Decimal("60").normalize() is 6E+1)
    the_plan, cs = plan
    renewal = Indicator.objects.get(code="renewal_rate")
    the_plan.team_rules.all().delete()
    TeamIncentiveRule.objects.create(
        plan=the_plan, role="customer_success", indicator=renewal, target=Decimal("60"), amount=Decimal("1000")
    )
    IndicatorValue.objects.create(
        indicator=renewal,
        org_unit=org_tree["ACME"],
        period="quarter",
        period_start=Q1_2025,
        numerator=Decimal("3"),
        denominator=Decimal("5"),
        value=Decimal("60.0000"),
        computed_at=timezone.now(),
    )
    with translation.override(language):
        payouts = _by_person(
            incentive_simulate(plan=the_plan, org_unit=org_tree["ACME"], period_start=Q1_2025, today=D(2025, 6, 30))
        )
    assert _explained(payouts, cs.external_id) == [("team", expected)]


@pytest.mark.chinese
@pytest.mark.parametrize(
    ("language", "paid"),
    [("en", "¥4,050.00"), ("zh-hans", "¥4,050.00")],
)
def test_simulation_page_shows_totals_with_currency_and_separators(plan, hr_lead, client, language, paid):
    # paid: P1 2,600 + P2 200 + the customer-success person's team part 1,250 (see test_q1_2025_payouts)
    the_plan, _cs = plan
    client.force_login(hr_lead)
    page = client.get(
        f"/performance/incentives/{the_plan.pk}/",
        {"unit": "ACME", "period_start": "2025-01"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    html = flat(page.content.decode())
    assert f'<dd id="total-paid">{paid}</dd>' in html
    assert "E+" not in html
