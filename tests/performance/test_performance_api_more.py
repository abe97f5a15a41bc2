"""API v1: dashboards, scorecards and their attainment, incentive simulations, LTV cohorts (scoped, paginated)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from org.choices import TokenScope
from org.models import Person
from performance.api.views import parse_period_start
from performance.engine import indicator_values_recompute
from performance.models import (
    Contract,
    Customer,
    IncentivePlan,
    Indicator,
    IndicatorValue,
    Lead,
    LtvCohort,
    TeamIncentiveRule,
)
from performance.scorecards import ItemSpec, scorecard_save

D = dt.date
Q1 = D(2025, 1, 1)


def ind(code):
    return Indicator.objects.get(code=code)


def put(code, value, *, unit=None, person=None, start=Q1, period="quarter"):
    IndicatorValue.objects.create(
        indicator=ind(code),
        org_unit=unit,
        person=person,
        period=period,
        period_start=start,
        numerator=Decimal(value),
        denominator=Decimal(1),
        value=Decimal(value),
        computed_at=timezone.now(),
    )


@pytest.fixture
def manager_client(token_client, east_manager):
    return token_client(TokenScope.READ, user=east_manager)


# --- the period parameter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("2025-Q2", "quarter", D(2025, 4, 1)),
        ("2025-05", "quarter", D(2025, 4, 1)),
        ("2025-05-17", "month", D(2025, 5, 1)),
        ("2025", "year", D(2025, 1, 1)),
        ("2025-Q4", "year", D(2025, 1, 1)),
    ],
)
def test_period_parameter_forms(raw, kind, expected):
    assert parse_period_start(raw, kind) == expected


@pytest.mark.parametrize("raw", ["2025-Q5", "2025-13", "25-01", "last quarter"])
def test_bad_period_parameter_is_a_400(raw):
    with pytest.raises(ValidationError):
        parse_period_start(raw, "quarter")


# --- dashboards ------------------------------------------------------------------------------------------


@pytest.fixture
def leads(org_tree, people):
    """Q1 2025 lead conversion: T1 1/2 = 50 (P1), T2 1/1 = 100 (P2), EAST 2/3; Q2: T3 0/1 (P3)."""

    def lead(ext, unit, owner, created, converted=None):
        Lead.objects.create(
            external_id=ext, org_unit=unit, owner=owner, created_on=created, is_qualified=True, converted_on=converted
        )

    lead("L1", org_tree["T1"], people["P1"], D(2025, 1, 5), D(2025, 1, 9))
    lead("L2", org_tree["T1"], people["P1"], D(2025, 1, 6))
    lead("L3", org_tree["T2"], people["P2"], D(2025, 3, 31), D(2025, 4, 2))
    lead("L4", org_tree["T3"], people["P3"], D(2025, 4, 1))
    indicator_values_recompute(codes=["lead_conversion_rate"])
    Indicator.objects.filter(code="lead_conversion_rate").update(target=Decimal("60"))
    LtvCohort.objects.create(
        org_unit=org_tree["EAST"],
        cohort=D(2024, 10, 1),
        customers=4,
        ltv_total=Decimal("10000.00"),
        realized_total=Decimal("4000.00"),
        acquisition_cost=Decimal("1000.00"),
        computed_at=timezone.now(),
    )


def test_dashboard_json_has_exact_values(read_client, leads):
    answer = read_client.get("/api/v1/dashboards/EAST/", {"period": "quarter"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["org_unit"] == {"code": "EAST", "name": "East", "kind": "region"}
    assert [unit["code"] for unit in body["ancestors"]] == ["ACME", "SALES", "EAST"]
    assert body["period"] == "quarter"
    assert body["latest_period_start"] == "2025-01-01"
    assert body["period_starts"][0] == "2023-04-01"
    assert body["computed_at"] is not None
    [indicator] = body["indicators"]
    assert indicator["code"] == "lead_conversion_rate"
    assert indicator["leading_or_lagging"] == "lagging"
    assert indicator["target"] == 60
    assert indicator["latest"] == pytest.approx(66.6667)
    assert indicator["previous"] is None
    assert indicator["on_target"] is True
    assert indicator["series"] == [
        {"period_start": "2025-01-01", "value": pytest.approx(66.6667), "numerator": 2.0, "denominator": 3.0}
    ]
    assert body["children"]["sort"] == "name"
    assert body["children"]["chart_indicator"] == "lead_conversion_rate"
    assert [(row["code"], row["values"]) for row in body["children"]["results"]] == [
        ("T1", {"lead_conversion_rate": 50.0}),
        ("T2", {"lead_conversion_rate": 100.0}),
    ]
    assert body["people"]["count"] == 2
    assert [(row["external_id"], row["org_unit"], row["values"]) for row in body["people"]["results"]] == [
        ("P1", "T1", {"lead_conversion_rate": 50.0}),
        ("P2", "T2", {"lead_conversion_rate": 100.0}),
    ]
    [cohort] = body["ltv_cohorts"]
    assert (cohort["cohort"], cohort["customers"], cohort["average_ltv"], cohort["cac"], cohort["ltv_to_cac"]) == (
        "2024-10-01",
        4,
        2500.0,
        250.0,
        10.0,
    )


def test_dashboard_sorting_and_people_pages(read_client, leads):
    body = read_client.get(
        "/api/v1/dashboards/SALES/",
        {"sort": "lead_conversion_rate", "order": "desc", "people_sort": "lead_conversion_rate", "page_size": 2},
    ).json()
    # in Q2 only T3 (WEST) has a value: 0 / 1
    assert body["latest_period_start"] == "2025-04-01"
    assert [row["code"] for row in body["children"]["results"]] == ["WEST", "EAST"]
    assert (body["people"]["count"], body["people"]["pages"], body["people"]["page"]) == (3, 2, 1)
    assert [row["external_id"] for row in body["people"]["results"]] == ["P3", "P1"]


def test_dashboard_is_scoped(manager_client, leads):
    assert manager_client.get("/api/v1/dashboards/EAST/").status_code == 200
    assert manager_client.get("/api/v1/dashboards/T2/").status_code == 200
    for code in ("WEST", "SALES", "ACME", "NOPE"):
        assert manager_client.get(f"/api/v1/dashboards/{code}/").status_code == 404
    body = manager_client.get("/api/v1/dashboards/T1/").json()
    assert [unit["code"] for unit in body["ancestors"]] == ["EAST", "T1"]


def test_dashboard_rejects_a_bad_period(read_client, leads):
    answer = read_client.get("/api/v1/dashboards/EAST/", {"period": "decade"})
    assert answer.status_code == 400


def test_dashboard_without_values_is_empty(read_client, org_tree):
    body = read_client.get("/api/v1/dashboards/ACME/").json()
    assert body["indicators"] == []
    assert body["latest_period_start"] is None
    assert body["people"]["count"] == 0
    assert body["computed_at"] is None


def test_dashboard_needs_authentication(client, org_tree):
    assert client.get("/api/v1/dashboards/ACME/").status_code in (401, 403)


# --- scorecards -----------------------------------------------------------------------------------------


@pytest.fixture
def cards(org_tree, people):
    def spec(code, weight, target):
        return ItemSpec(indicator=ind(code), weight=Decimal(weight), target=Decimal(target))

    company, _ = scorecard_save(
        name="Sales rep card",
        role="sales_rep",
        period="quarter",
        items=[spec("win_rate", "40", "40"), spec("sales_cycle_days", "30", "30"), spec("nps", "30", "50")],
    )
    west, _ = scorecard_save(
        name="West only",
        role="sales_rep",
        period="quarter",
        org_unit=org_tree["WEST"],
        items=[spec("win_rate", "40", "40"), spec("product_usage_activity", "30", "60"), spec("nps", "30", "40")],
    )
    return company, west


def test_scorecards_list_with_items_and_warnings(read_client, cards):
    body = read_client.get("/api/v1/scorecards/").json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["name"], first["org_unit"], first["period"]) == ("Sales rep card", None, "quarter")
    assert [(item["indicator"], item["weight"], item["target"]) for item in first["items"]] == [
        ("win_rate", 40.0, 40.0),
        ("sales_cycle_days", 30.0, 30.0),
        ("nps", 30.0, 50.0),
    ]
    assert len(first["warnings"]) == 1
    assert "only lagging" in first["warnings"][0]
    assert (second["name"], second["org_unit"], second["warnings"]) == ("West only", "WEST", [])


def test_scorecards_list_is_scoped(manager_client, cards):
    body = manager_client.get("/api/v1/scorecards/").json()
    assert [card["name"] for card in body["results"]] == ["Sales rep card"]


def test_scorecard_attainment_shows_the_computation(read_client, cards, org_tree, people):
    company, _west = cards
    put("win_rate", "50", person=people["P1"])  # 50 / 40 = 1.25
    put("sales_cycle_days", "60", person=people["P1"])  # lower is better: 30 / 60 = 0.5
    put("nps", "100", person=people["P1"])  # 2, capped at 1.5
    put("win_rate", "20", person=people["P2"])  # 0.5; P2 has nothing else
    put("win_rate", "40", unit=org_tree["EAST"])
    put("sales_cycle_days", "30", unit=org_tree["EAST"])
    put("nps", "25", unit=org_tree["EAST"])

    answer = read_client.get(f"/api/v1/scorecards/{company.pk}/attainment/", {"org_unit": "EAST", "period": "2025-Q1"})

    assert answer.status_code == 200
    body = answer.json()
    assert (body["scorecard"], body["org_unit"], body["period"], body["period_start"]) == (
        company.pk,
        "EAST",
        "quarter",
        "2025-01-01",
    )
    assert body["team"]["score"] == 85.0  # 1 x 40 + 1 x 30 + 0.5 x 30
    assert body["count"] == 2
    by_person = {row["person"]: row for row in body["results"]}
    p1 = by_person["P1"]
    assert p1["score"] == 110.0
    assert [(item["indicator"], item["ratio"], item["contribution"]) for item in p1["items"]] == [
        ("win_rate", 1.25, 50.0),
        ("sales_cycle_days", 0.5, 15.0),
        ("nps", 1.5, 45.0),
    ]
    p2 = by_person["P2"]
    assert (p2["score"], p2["coverage"]) == (50.0, 40.0)  # only win_rate has data: 0.5 x 100
    assert p2["items"][1]["actual"] is None


def test_scorecard_attainment_is_scoped_and_paginated(manager_client, cards, org_tree, people):
    company, west = cards
    assert manager_client.get(f"/api/v1/scorecards/{west.pk}/attainment/").status_code == 404
    url = f"/api/v1/scorecards/{company.pk}/attainment/"
    assert manager_client.get(url, {"org_unit": "WEST"}).status_code == 404
    # without org_unit: the manager's own unit; one person a page
    body = manager_client.get(url, {"period": "2025-02", "page_size": 1}).json()
    assert (body["org_unit"], body["period_start"], body["count"]) == ("EAST", "2025-01-01", 2)
    assert len(body["results"]) == 1
    assert body["next"] is not None
    assert manager_client.get(url, {"period": "2025-Q9"}).status_code == 400


# --- incentive simulation ---------------------------------------------------------------------------------


@pytest.fixture
def plan(org_tree, people):
    """P1 signed X1 (renewed) and X2 (customer churned) in January 2024; both deferred parts fall due in Q1 2025."""
    cs = Person.objects.create(
        external_id="P5", name="Person P5", org_unit=org_tree["T1"], role="customer_success", hire_date=D(2023, 1, 1)
    )
    plan = IncentivePlan.objects.create(
        name="Plan",
        roles=["sales_rep"],
        period="quarter",
        commission_rate=Decimal("5"),
        deferred_share=Decimal("40"),
        deferral_months=12,
    )
    TeamIncentiveRule.objects.create(
        plan=plan, role="customer_success", indicator=ind("nps"), target=Decimal("40"), amount=Decimal("1000")
    )
    t1, p1 = org_tree["T1"], people["P1"]
    kept = Customer.objects.create(external_id="CA", name="CA", segment="smb", org_unit=t1, owner=p1)
    lost = Customer.objects.create(
        external_id="CB", name="CB", segment="smb", org_unit=t1, owner=p1, churned_on=D(2024, 11, 30)
    )

    def contract(ext, customer, kind, signed, value, renews=None):
        return Contract.objects.create(
            external_id=ext,
            customer=customer,
            org_unit=t1,
            owner=p1,
            kind=kind,
            signed_on=signed,
            start_on=signed,
            end_on=signed + dt.timedelta(days=364),
            value=Decimal(value),
            gross_margin=Decimal(value) / 4,
            renews=renews,
        )

    x1 = contract("X1", kept, "new", D(2024, 1, 10), "100000")
    contract("R1", kept, "renewal", D(2024, 12, 20), "100000", renews=x1)
    contract("X2", lost, "new", D(2024, 1, 15), "50000")
    put("nps", "50", unit=org_tree["EAST"])
    return plan, cs


def test_simulation_lines_are_explained(read_client, plan):
    the_plan, _cs = plan
    answer = read_client.get(f"/api/v1/incentives/{the_plan.pk}/simulation/", {"org_unit": "EAST", "period": "2025-Q1"})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["plan"], body["org_unit"], body["period"], body["period_start"]) == (
        the_plan.pk,
        "EAST",
        "quarter",
        "2025-01-01",
    )
    # X1: 100000 x 5 % x 40 % = 2000 released (renewed); X2: 1000 forfeited; P5: NPS 50 / 40 x 1000
    assert body["totals"] == {"paid": 3250.0, "held_back": 0.0, "forfeited": 1000.0}
    by_person = {row["person"]: row for row in body["results"]}
    p1 = by_person["P1"]
    assert (p1["paid"], p1["forfeited"]) == (2000.0, 1000.0)
    lines = {(line["kind"], line["contract"]): line for line in p1["lines"]}
    assert {key: line["amount"] for key, line in lines.items()} == {
        ("released", "X1"): 2000.0,
        ("released", "X2"): 0.0,
        ("forfeited", "X2"): 1000.0,
    }
    assert "renewed on Dec. 20, 2024" in lines["released", "X1"]["explanation"]
    assert "churned on Nov. 30, 2024" in lines["forfeited", "X2"]["explanation"]
    assert lines["forfeited", "X2"]["customer"] == "CB"
    team = by_person["P5"]["lines"]
    assert [(line["kind"], line["amount"], line["contract"]) for line in team] == [("team", 1250.0, None)]


def test_simulation_is_scoped(manager_client, plan):
    the_plan, _cs = plan
    url = f"/api/v1/incentives/{the_plan.pk}/simulation/"
    assert manager_client.get(url, {"org_unit": "WEST", "period": "2025-Q1"}).status_code == 404
    assert manager_client.get(url, {"org_unit": "T1", "period": "2025-Q1"}).status_code == 200
    assert manager_client.get("/api/v1/incentives/99999/simulation/").status_code == 404


# --- LTV cohorts -------------------------------------------------------------------------------------------


@pytest.fixture
def cohorts(org_tree, people):
    now = timezone.now()

    def row(cohort, customers, ltv, realized, cost=None, *, unit=None, person=None):
        LtvCohort.objects.create(
            org_unit=unit,
            person=person,
            cohort=cohort,
            customers=customers,
            ltv_total=Decimal(ltv),
            realized_total=Decimal(realized),
            acquisition_cost=None if cost is None else Decimal(cost),
            computed_at=now,
        )

    row(D(2024, 10, 1), 3, "9000", "3000", "1500", unit=org_tree["EAST"])
    row(D(2025, 1, 1), 2, "5000", "1000", unit=org_tree["EAST"])
    row(D(2024, 10, 1), 1, "2000", "2000", "400", unit=org_tree["WEST"])
    row(D(2024, 10, 1), 2, "6000", "2000", person=people["P1"])
    row(D(2024, 10, 1), 1, "2000", "2000", person=people["P3"])


def test_ltv_cohorts_of_a_unit(read_client, cohorts):
    body = read_client.get("/api/v1/ltv/cohorts/", {"org_unit": "EAST"}).json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["cohort"], first["customers"], first["average_ltv"], first["cac"], first["ltv_to_cac"]) == (
        "2024-10-01",
        3,
        3000.0,
        500.0,
        6.0,
    )
    assert (second["cohort"], second["average_ltv"], second["acquisition_cost"], second["cac"]) == (
        "2025-01-01",
        2500.0,
        None,
        None,
    )
    body = read_client.get("/api/v1/ltv/cohorts/", {"org_unit": "EAST", "from": "2025-01"}).json()
    assert [row["cohort"] for row in body["results"]] == ["2025-01-01"]


def test_ltv_cohorts_of_a_person(read_client, cohorts):
    body = read_client.get("/api/v1/ltv/cohorts/", {"person": "P1"}).json()
    assert [(row["person"], row["org_unit"], row["average_ltv"]) for row in body["results"]] == [("P1", None, 3000.0)]


def test_ltv_cohorts_are_scoped(manager_client, cohorts):
    body = manager_client.get("/api/v1/ltv/cohorts/").json()
    assert [(row["org_unit"], row["person"]) for row in body["results"]] == [
        ("EAST", None),
        ("EAST", None),
        (None, "P1"),
    ]
    assert manager_client.get("/api/v1/ltv/cohorts/", {"org_unit": "WEST"}).json()["count"] == 0


def test_list_endpoints_are_paginated_with_bounded_queries(read_client, cohorts, cards, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):  # token (+ last use), scope, permissions; count, page
        body = read_client.get("/api/v1/ltv/cohorts/", {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (5, 2)
    assert body["next"] is not None
    with django_assert_max_num_queries(10):  # token, scope, permissions; count, page, items, indicators
        body = read_client.get("/api/v1/scorecards/").json()
    assert body["count"] == 2


def test_attainment_and_simulation_have_bounded_queries(read_client, cards, plan, django_assert_max_num_queries):
    company, _west = cards
    the_plan, _cs = plan
    read_client.get("/api/v1/scorecards/")  # stamps the token's last use
    with django_assert_max_num_queries(12):
        assert read_client.get(f"/api/v1/scorecards/{company.pk}/attainment/", {"org_unit": "ACME"}).status_code == 200
    with django_assert_max_num_queries(16):
        answer = read_client.get(f"/api/v1/incentives/{the_plan.pk}/simulation/", {"period": "2025-Q1"})
    assert answer.status_code == 200


def test_new_endpoints_are_in_the_schema(read_client):
    schema = read_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/dashboards/{code}/",
        "/api/v1/scorecards/",
        "/api/v1/scorecards/{id}/attainment/",
        "/api/v1/incentives/{id}/simulation/",
        "/api/v1/ltv/cohorts/",
    ):
        assert "get" in schema["paths"][path], path
    assert {"200", "404"} <= set(schema["paths"]["/api/v1/dashboards/{code}/"]["get"]["responses"])
