"""GET /api/v1/indicators/ and /api/v1/indicator-values/ as DESIGN.md section 4 says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from performance.engine import indicator_values_recompute
from performance.indicators import builtin_indicators
from performance.models import Lead
from tests.conftest import make_user

D = dt.date


@pytest.fixture
def leads(org_tree, people):
    t1, t2, t3 = org_tree["T1"], org_tree["T2"], org_tree["T3"]
    Lead.objects.create(
        external_id="L1",
        org_unit=t1,
        owner=people["P1"],
        created_on=D(2025, 1, 5),
        is_qualified=True,
        converted_on=D(2025, 1, 9),
    )
    Lead.objects.create(external_id="L2", org_unit=t1, owner=people["P1"], created_on=D(2025, 1, 6), is_qualified=True)
    Lead.objects.create(external_id="L3", org_unit=t2, created_on=D(2025, 2, 6), is_qualified=False)
    Lead.objects.create(
        external_id="L4",
        org_unit=t3,
        owner=people["P3"],
        created_on=D(2025, 3, 6),
        is_qualified=True,
        converted_on=D(2025, 3, 8),
    )
    indicator_values_recompute(codes=["lead_conversion_rate"])


def test_indicator_library_lists_every_builtin(read_client):
    answer = read_client.get("/api/v1/indicators/")
    assert answer.status_code == 200
    codes = [row["code"] for row in answer.json()]
    assert codes == [declaration.code for declaration in builtin_indicators()]
    churn = next(row for row in answer.json() if row["code"] == "new_customer_churn_rate")
    assert churn["category"] == "customer_health"
    assert churn["direction"] == "lower"
    assert churn["leading_or_lagging"] == "lagging"
    assert churn["cycle"] == "quarter"
    assert churn["departments"] == ["sales", "customer_success"]
    assert churn["name_zh"] == "新客户流失率"


def test_values_filtered_by_indicator_unit_period(read_client, leads):
    answer = read_client.get(
        "/api/v1/indicator-values/",
        {"indicator": "lead_conversion_rate", "org_unit": "EAST", "period": "month"},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first == {
        "indicator": "lead_conversion_rate",
        "org_unit": "EAST",
        "person": None,
        "period": "month",
        "period_start": "2025-01-01",
        "value": 50.0,
        "numerator": 1.0,
        "denominator": 2.0,
        "computed_at": first["computed_at"],
    }
    # February has only an unqualified lead: denominator 0, value null.
    assert (second["period_start"], second["value"], second["denominator"]) == ("2025-02-01", None, 0.0)


def test_values_from_to_and_person(read_client, leads):
    answer = read_client.get(
        "/api/v1/indicator-values/", {"person": "P1", "period": "month", "from": "2025-01", "to": "2025-01"}
    )
    assert [(row["person"], row["value"]) for row in answer.json()["results"]] == [("P1", 50.0)]
    answer = read_client.get("/api/v1/indicator-values/", {"org_unit": "ACME", "from": "2025-02", "period": "month"})
    assert [row["period_start"] for row in answer.json()["results"]] == ["2025-02-01", "2025-03-01"]


def test_values_pagination(read_client, leads):
    answer = read_client.get("/api/v1/indicator-values/", {"page_size": 5})
    body = answer.json()
    assert len(body["results"]) == 5
    assert body["next"] is not None
    assert body["count"] > 5


def test_bad_period_is_a_clear_400(read_client):
    answer = read_client.get("/api/v1/indicator-values/", {"period": "week"})
    assert answer.status_code == 400
    assert "period" in answer.json()
    answer = read_client.get("/api/v1/indicator-values/", {"from": "2025/01"})
    assert answer.status_code == 400
    assert "from" in answer.json()


def test_manager_sees_only_own_subtree_values(east_manager, leads, client):
    client.force_login(east_manager)
    rows = client.get("/api/v1/indicator-values/", {"page_size": 1000}).json()["results"]
    units = {row["org_unit"] for row in rows if row["org_unit"]}
    people = {row["person"] for row in rows if row["person"]}
    assert units == {"EAST", "T1", "T2"}
    assert people == {"P1"}
    # asking for another subtree gives nothing rather than its numbers
    assert client.get("/api/v1/indicator-values/", {"org_unit": "WEST"}).json()["count"] == 0


def test_values_query_count_is_bounded(read_client, leads, django_assert_max_num_queries):
    # token, its last-used stamp, the read cache's data version, scope, two permission lookups, the count and
    # the page: never per row
    with django_assert_max_num_queries(8):
        read_client.get("/api/v1/indicator-values/", {"page_size": 5000})


def test_no_token_is_401(client):
    assert client.get("/api/v1/indicator-values/").status_code == 401


def test_value_decimal_exact(hr_lead, leads, client):
    client.force_login(hr_lead)
    row = client.get("/api/v1/indicator-values/", {"org_unit": "SALES", "period": "quarter"}).json()["results"][0]
    # Q1: L1 converted, L2 not, L4 converted; L3 not qualified -> 2 / 3
    assert Decimal(str(row["value"])) == Decimal("66.6667")


def test_user_without_scope_sees_nothing(db, leads, client):
    client.force_login(make_user("nobody", "manager"))
    assert client.get("/api/v1/indicator-values/").json()["count"] == 0
