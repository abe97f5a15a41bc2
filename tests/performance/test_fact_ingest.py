"""The performance datasets through POST /api/v1/ingest/<dataset>/: facts in, indicator values out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from performance.engine import indicator_values_recompute
from performance.models import Contract, Customer, IndicatorValue, Lead, ManualIndicatorValue, Opportunity, Usage
from performance.services import indicator_create_custom


def post(client, dataset, rows):
    return client.post(f"/api/v1/ingest/{dataset}/", rows, format="json")


@pytest.fixture
def customers(write_client, people):
    answer = post(
        write_client,
        "customers",
        [
            {
                "external_id": "C1",
                "name": "Acme Trading",
                "segment": "enterprise",
                "org_unit": "T1",
                "owner": "P1",
                "acquired_on": "2024-01-15",
            },
            {
                "external_id": "C2",
                "name": "Beta Retail",
                "segment": "smb",
                "org_unit": "T2",
                "acquired_on": "2024-02-01",
                "churned_on": "2024-09-01",
            },
        ],
    )
    assert answer.status_code == 200, answer.json()
    return answer


def test_contracts_with_a_renewal_chain_in_one_upload(write_client, customers):
    rows = [
        # the renewal comes first in the file; it refers to a contract defined later
        {
            "external_id": "K2",
            "customer": "C1",
            "org_unit": "T1",
            "owner": "P1",
            "kind": "renewal",
            "signed_on": "2025-01-10",
            "start_on": "2025-01-15",
            "end_on": "2026-01-14",
            "value": "110000",
            "gross_margin": "40000",
            "renews": "K1",
        },
        {
            "external_id": "K1",
            "customer": "C1",
            "org_unit": "T1",
            "owner": "P1",
            "kind": "new",
            "signed_on": "2024-01-15",
            "start_on": "2024-01-15",
            "end_on": "2025-01-14",
            "value": "100000",
            "gross_margin": "35000",
        },
    ]
    answer = post(write_client, "contracts", rows)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 2
    assert Contract.objects.get(external_id="K2").renews.external_id == "K1"
    indicator_values_recompute(codes=["renewal_rate"])
    assert IndicatorValue.objects.get(
        indicator__code="renewal_rate", org_unit__code="T1", period="month", period_start=dt.date(2025, 1, 1)
    ).value == Decimal("100")
    # the same upload again changes nothing
    again = post(write_client, "contracts", rows)
    assert (again.json()["created"], again.json()["updated"]) == (0, 0)


@pytest.mark.parametrize(
    ("dataset", "row", "field", "fragment"),
    [
        (
            "opportunities",
            {
                "external_id": "O1",
                "customer": "C1",
                "org_unit": "T1",
                "created_on": "2025-01-01",
                "status": "won",
                "amount": "100",
                "is_key_account": "false",
            },
            "closed_on",
            "needs closed_on",
        ),
        (
            "opportunities",
            {
                "external_id": "O1",
                "customer": "C9",
                "org_unit": "T1",
                "created_on": "2025-01-01",
                "status": "open",
                "amount": "100",
                "is_key_account": "no",
            },
            "customer",
            "C9",
        ),
        (
            "contracts",
            {
                "external_id": "K1",
                "customer": "C1",
                "org_unit": "T1",
                "kind": "new",
                "signed_on": "2025-01-01",
                "start_on": "2025-01-01",
                "end_on": "2025-12-31",
                "value": "10",
                "gross_margin": "1",
                "renews": "K0",
            },
            "renews",
            "",
        ),
        (
            "nps-responses",
            {"external_id": "N1", "customer": "C1", "responded_on": "2025-01-01", "score": "11"},
            "score",
            "",
        ),
        ("usage", {"customer": "C1", "month": "2025-13", "active_ratio": "0.5"}, "month", ""),
        ("usage", {"customer": "C1", "month": "2025-01", "active_ratio": "1.5"}, "active_ratio", ""),
        ("customers", {"external_id": "C3", "name": "x", "segment": "giant", "org_unit": "T1"}, "segment", ""),
        (
            "leads",
            {"external_id": "L1", "org_unit": "T1", "created_on": "2025-02-01", "is_qualified": "maybe"},
            "is_qualified",
            "",
        ),
    ],
)
def test_bad_fact_rows_name_row_and_field(write_client, customers, dataset, row, field, fragment):
    before = {model: model.objects.count() for model in (Opportunity, Contract, Usage, Lead, Customer)}
    answer = post(write_client, dataset, [row])
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert any(error["row"] == 1 and error["field"] == field and fragment in error["message"] for error in errors), (
        errors
    )
    assert {model: model.objects.count() for model in before} == before


def test_leads_ingested_then_counted(write_client, customers):
    answer = post(
        write_client,
        "leads",
        [
            {
                "external_id": "L1",
                "org_unit": "T1",
                "owner": "P1",
                "created_on": "2025-03-01",
                "is_qualified": "true",
                "converted_on": "2025-03-05",
                "source": "referral",
            },
            {"external_id": "L2", "org_unit": "T1", "created_on": "2025-03-02", "is_qualified": "1"},
        ],
    )
    assert (answer.json()["created"], answer.json()["updated"], answer.json()["unchanged"]) == (2, 0, 0)
    indicator_values_recompute(codes=["lead_conversion_rate"])
    value = IndicatorValue.objects.get(
        indicator__code="lead_conversion_rate", org_unit__code="ACME", period="year", period_start=dt.date(2025, 1, 1)
    ).value
    assert value == Decimal("50")


def test_own_indicator_values_can_be_ingested_but_builtins_cannot(write_client, org_tree):
    indicator_create_custom(
        code="referral_share",
        name_en="Referral share",
        name_zh="转介绍占比",
        category="acquisition_efficiency",
        unit="percent",
        direction="higher",
        timing="leading",
        review_cycle="quarter",
    )
    good = post(
        write_client,
        "indicator-values",
        [
            {
                "indicator": "referral_share",
                "org_unit": "EAST",
                "period": "quarter",
                "period_start": "2025-04-01",
                "value": "12.5",
            }
        ],
    )
    assert good.status_code == 200, good.json()
    assert ManualIndicatorValue.objects.get().value == Decimal("12.5")
    bad = post(
        write_client,
        "indicator-values",
        [
            {
                "indicator": "win_rate",
                "org_unit": "EAST",
                "period": "quarter",
                "period_start": "2025-05-01",
                "value": "1",
            }
        ],
    )
    fields = {error["field"] for error in bad.json()["errors"]}
    assert fields == {"indicator", "period_start"}
