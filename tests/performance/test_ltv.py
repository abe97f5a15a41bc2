"""LTV per customer and per cohort, on hand-built contracts (numbers worked out by hand)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from performance.ltv import ltv_recompute
from performance.models import AcquisitionCost, Contract, Customer, CustomerLtv, Indicator, IndicatorValue, LtvCohort

D = dt.date
TODAY = D(2025, 7, 15)


def put_renewal(unit, quarter_start, numerator, denominator):
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="renewal_rate"),
        org_unit=unit,
        period="quarter",
        period_start=quarter_start,
        numerator=numerator,
        denominator=denominator,
        value=Decimal(numerator) * 100 / Decimal(denominator),
        computed_at=timezone.now(),
    )


@pytest.fixture
def book(org_tree, people):
    t1, t3 = org_tree["T1"], org_tree["T3"]
    a = Customer.objects.create(
        external_id="A", name="A", segment="smb", org_unit=t1, owner=people["P1"], acquired_on=D(2024, 2, 1)
    )
    b = Customer.objects.create(
        external_id="B",
        name="B",
        segment="smb",
        org_unit=t1,
        owner=people["P1"],
        acquired_on=D(2024, 3, 1),
        churned_on=D(2025, 3, 1),
    )
    c = Customer.objects.create(external_id="C", name="C", segment="smb", org_unit=t3, acquired_on=D(2025, 5, 1))

    def contract(ext, customer, unit, signed, margin):
        Contract.objects.create(
            external_id=ext,
            customer=customer,
            org_unit=unit,
            kind="new",
            signed_on=signed,
            start_on=signed,
            end_on=signed + dt.timedelta(days=364),
            value=Decimal(margin) * 3,
            gross_margin=Decimal(margin),
        )

    contract("A1", a, t1, D(2024, 2, 1), "1000")
    contract("A2", a, t1, D(2025, 2, 1), "1200")  # in the last 365 days
    contract("B1", b, t1, D(2024, 3, 1), "500")
    contract("C1", c, t3, D(2025, 5, 1), "800")
    # T1 renewed 3 of 4 contracts over the last four complete quarters (2024-07 .. 2025-06)
    put_renewal(t1, D(2024, 10, 1), 1, 2)
    put_renewal(t1, D(2025, 4, 1), 2, 2)
    put_renewal(t1, D(2024, 4, 1), 0, 5)  # too old: not counted
    # the company renewed 1 of 2
    put_renewal(org_tree["ACME"], D(2025, 1, 1), 1, 2)
    AcquisitionCost.objects.create(org_unit=t1, month=D(2024, 2, 1), amount=Decimal("300"))
    AcquisitionCost.objects.create(org_unit=t1, month=D(2024, 3, 1), amount=Decimal("100"))
    ltv_recompute(today=TODAY)
    return a, b, c


def test_customer_ltv_parts(book):
    a, b, c = book
    ltv_a = CustomerLtv.objects.get(customer=a)
    # r = 3/4, expected further years = 0.75 / 0.25 = 3; annual margin = 1200
    assert ltv_a.renewal_probability == Decimal("0.75")
    assert ltv_a.expected_years == Decimal("3")
    assert ltv_a.realized_margin == Decimal("2200")
    assert ltv_a.projected_margin == Decimal("3600")
    assert ltv_a.ltv == Decimal("5800")
    # churned: nothing projected
    ltv_b = CustomerLtv.objects.get(customer=b)
    assert (ltv_b.projected_margin, ltv_b.ltv) == (Decimal("0"), Decimal("500"))
    # T3 has no renewal history: the company's rate 1/2 -> 1 further year
    ltv_c = CustomerLtv.objects.get(customer=c)
    assert (ltv_c.renewal_probability, ltv_c.expected_years, ltv_c.ltv) == (
        Decimal("0.5"),
        Decimal("1"),
        Decimal("1600"),
    )


def test_cohorts_and_cac(book, org_tree, people):
    q1 = LtvCohort.objects.get(org_unit=org_tree["EAST"], cohort=D(2024, 1, 1))
    assert q1.customers == 2
    assert q1.ltv_total == Decimal("6300")
    assert q1.average_ltv == Decimal("3150")
    # costs of T1 in Q1 2024: 400 for 2 customers -> CAC 200 -> LTV/CAC 15.75
    assert q1.acquisition_cost == Decimal("400")
    assert q1.cac == Decimal("200")
    assert q1.ltv_to_cac == Decimal("15.75")
    q2 = LtvCohort.objects.get(org_unit=org_tree["ACME"], cohort=D(2025, 4, 1))
    assert (q2.customers, q2.ltv_total, q2.acquisition_cost) == (1, Decimal("1600"), None)
    person = LtvCohort.objects.get(person=people["P1"], cohort=D(2024, 1, 1))
    assert (person.customers, person.ltv_total) == (2, Decimal("6300"))


def test_recompute_is_idempotent(book):
    before = sorted(CustomerLtv.objects.values_list("customer_id", "ltv"))
    ltv_recompute(today=TODAY)
    assert sorted(CustomerLtv.objects.values_list("customer_id", "ltv")) == before
