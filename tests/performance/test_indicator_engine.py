"""Exact values of every built-in indicator on hand-built facts (worked out by hand below)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from performance import engine
from performance.engine import indicator_values_recompute, values_recompute
from performance.models import Contract, Customer, Indicator, IndicatorValue, Lead, NpsResponse, Opportunity, Usage

D = dt.date


@pytest.fixture
def facts(org_tree, people):
    """Facts on the ACME tree: T1 and T2 under EAST, T3 under WEST, all under SALES."""
    t1, t2, t3 = org_tree["T1"], org_tree["T2"], org_tree["T3"]
    p1, p2 = people["P1"], people["P2"]
    lead = Lead.objects.create
    lead(
        external_id="L1",
        org_unit=t1,
        owner=p1,
        created_on=D(2025, 1, 1),
        is_qualified=True,
        converted_on=D(2025, 1, 10),
    )
    lead(external_id="L2", org_unit=t1, owner=p1, created_on=D(2025, 1, 31), is_qualified=True)
    lead(
        external_id="L3",
        org_unit=t2,
        owner=p2,
        created_on=D(2025, 3, 31),
        is_qualified=True,
        converted_on=D(2025, 4, 2),
    )
    # Converted but never qualified: counted nowhere, yet it opens a February row for T2 with 0/0.
    lead(
        external_id="L4",
        org_unit=t2,
        created_on=D(2025, 2, 15),
        is_qualified=False,
        converted_on=D(2025, 2, 20),
    )
    lead(
        external_id="L5",
        org_unit=t3,
        owner=people["P3"],
        created_on=D(2025, 4, 1),
        is_qualified=True,
        converted_on=D(2025, 4, 3),
    )

    cust = Customer.objects.create
    c1 = cust(external_id="C1", name="C1", segment="enterprise", org_unit=t1, owner=p1, acquired_on=D(2024, 1, 15))
    # 2024-02-10 -> 2025-02-09 is exactly 365 days (2024 is a leap year): churned within 365 days.
    c2 = cust(
        external_id="C2",
        name="C2",
        segment="smb",
        org_unit=t1,
        owner=p1,
        acquired_on=D(2024, 2, 10),
        churned_on=D(2025, 2, 9),
    )
    # 2024-02-20 -> 2025-02-20 is 366 days: not within 365 days.
    cust(
        external_id="C5",
        name="C5",
        segment="smb",
        org_unit=t1,
        owner=p1,
        acquired_on=D(2024, 2, 20),
        churned_on=D(2025, 2, 20),
    )
    c3 = cust(external_id="C3", name="C3", segment="mid_market", org_unit=t2, owner=p2, acquired_on=D(2024, 3, 1))
    c4 = cust(
        external_id="C4",
        name="C4",
        segment="smb",
        org_unit=t3,
        acquired_on=D(2024, 3, 20),
        churned_on=D(2024, 6, 30),
    )

    opp = Opportunity.objects.create
    opp(
        external_id="O1",
        customer=c1,
        org_unit=t1,
        owner=p1,
        created_on=D(2025, 1, 5),
        closed_on=D(2025, 1, 25),
        status="won",
        amount=Decimal("100000"),
        is_key_account=True,
    )
    opp(
        external_id="O2",
        customer=c3,
        org_unit=t2,
        owner=p2,
        created_on=D(2024, 12, 1),
        closed_on=D(2025, 2, 1),
        status="won",
        amount=Decimal("50000"),
        is_key_account=False,
    )
    opp(
        external_id="O3",
        customer=c3,
        org_unit=t2,
        owner=p2,
        created_on=D(2025, 1, 10),
        closed_on=D(2025, 3, 31),
        status="lost",
        amount=Decimal("20000"),
        is_key_account=True,
    )
    opp(
        external_id="O4",
        customer=c4,
        org_unit=t3,
        created_on=D(2025, 2, 1),
        status="open",
        amount=Decimal("5000"),
        is_key_account=False,
    )

    def contract(ext, customer, unit, owner, kind, signed, end, value, margin, renews=None):
        return Contract.objects.create(
            external_id=ext,
            customer=customer,
            org_unit=unit,
            owner=owner,
            kind=kind,
            signed_on=signed,
            start_on=signed,
            end_on=end,
            value=Decimal(value),
            gross_margin=Decimal(margin),
            renews=renews,
        )

    k1 = contract("K1", c1, t1, p1, "new", D(2024, 1, 15), D(2025, 1, 31), "100000.00", "40000.00")
    k2 = contract("K2", c1, t1, p1, "renewal", D(2025, 1, 20), D(2026, 1, 31), "110000.00", "50000.00", renews=k1)
    contract("K8", c1, t1, p1, "renewal", D(2026, 1, 10), D(2027, 1, 31), "120000.00", "60000.00", renews=k2)
    contract("K3", c3, t2, p2, "new", D(2024, 3, 1), D(2025, 2, 28), "60000.00", "18000.00")
    contract("K4", c3, t2, p2, "upsell", D(2025, 2, 10), D(2026, 2, 9), "30000.00", "15000.00")
    contract("K5", c4, t3, None, "new", D(2024, 3, 20), D(2024, 6, 30), "20000.00", "5000.00")
    contract("K6", c2, t1, p1, "new", D(2024, 2, 10), D(2025, 1, 31), "40000.00", "8000.00")

    nps = NpsResponse.objects.create
    nps(external_id="N1", customer=c1, responded_on=D(2025, 1, 1), score=10)
    nps(external_id="N2", customer=c1, responded_on=D(2025, 1, 31), score=9)
    nps(external_id="N3", customer=c2, responded_on=D(2025, 1, 15), score=6)
    nps(external_id="N4", customer=c3, responded_on=D(2025, 2, 15), score=8)
    nps(external_id="N5", customer=c4, responded_on=D(2025, 3, 31), score=0)

    Usage.objects.create(customer=c1, month=D(2025, 1, 1), active_ratio=Decimal("0.8"))
    Usage.objects.create(customer=c1, month=D(2025, 2, 1), active_ratio=Decimal("0.6"))
    Usage.objects.create(customer=c3, month=D(2025, 1, 1), active_ratio=Decimal("0.5"))
    Usage.objects.create(customer=c4, month=D(2025, 3, 1), active_ratio=Decimal("0.25"))
    indicator_values_recompute()
    return org_tree, people


def value_of(code, period, start, *, unit=None, person=None):
    """The stored value (Decimal or None); fails when the row does not exist."""
    rows = IndicatorValue.objects.filter(indicator__code=code, period=period, period_start=start)
    rows = rows.filter(org_unit__code=unit, person=None) if unit else rows.filter(person__external_id=person)
    row = rows.get()
    return row.value


def has_row(code, period, start, *, unit=None, person=None) -> bool:
    rows = IndicatorValue.objects.filter(indicator__code=code, period=period, period_start=start)
    rows = rows.filter(org_unit__code=unit) if unit else rows.filter(person__external_id=person)
    return rows.exists()


M, Q, Y = "month", "quarter", "year"


@pytest.mark.parametrize(
    ("code", "period", "start", "subject", "expected"),
    [
        # lead_conversion_rate: first and last day of January both count in January.
        ("lead_conversion_rate", M, D(2025, 1, 1), {"unit": "T1"}, "50"),
        ("lead_conversion_rate", M, D(2025, 1, 1), {"person": "P1"}, "50"),
        ("lead_conversion_rate", M, D(2025, 2, 1), {"unit": "T2"}, None),  # 0 / 0: only an unqualified lead
        ("lead_conversion_rate", M, D(2025, 3, 1), {"unit": "T2"}, "100"),  # March 31 is in March and Q1
        (
            "lead_conversion_rate",
            Q,
            D(2025, 1, 1),
            {"unit": "EAST"},
            "66.6667",
        ),  # 2/3, not mean(50, 100) = 75
        ("lead_conversion_rate", Q, D(2025, 1, 1), {"unit": "SALES"}, "66.6667"),  # April 1 lead is in Q2
        ("lead_conversion_rate", Q, D(2025, 4, 1), {"unit": "WEST"}, "100"),
        ("lead_conversion_rate", Y, D(2025, 1, 1), {"unit": "ACME"}, "75"),
        ("lead_conversion_rate", Y, D(2025, 1, 1), {"person": "P2"}, "100"),
        # sales_cycle_days: O1 20 days, O2 62 days (Dec 1 -> Feb 1).
        ("sales_cycle_days", M, D(2025, 1, 1), {"unit": "T1"}, "20"),
        ("sales_cycle_days", M, D(2025, 2, 1), {"unit": "T2"}, "62"),
        ("sales_cycle_days", Q, D(2025, 1, 1), {"unit": "EAST"}, "41"),
        ("sales_cycle_days", Y, D(2025, 1, 1), {"person": "P2"}, "62"),
        # win_rate and key_account_win_rate
        ("win_rate", M, D(2025, 3, 1), {"unit": "T2"}, "0"),
        ("win_rate", Q, D(2025, 1, 1), {"unit": "T2"}, "50"),
        ("win_rate", Q, D(2025, 1, 1), {"unit": "EAST"}, "66.6667"),
        ("win_rate", Q, D(2025, 1, 1), {"person": "P2"}, "50"),
        ("key_account_win_rate", Q, D(2025, 1, 1), {"unit": "EAST"}, "50"),
        ("key_account_win_rate", Q, D(2025, 1, 1), {"unit": "T2"}, "0"),
        # new_contract_value (denominator 1), average_contract_value, first_order_gross_margin
        ("new_contract_value", M, D(2024, 1, 1), {"unit": "T1"}, "100000"),
        ("new_contract_value", Q, D(2024, 1, 1), {"unit": "T1"}, "140000"),
        ("new_contract_value", Q, D(2024, 1, 1), {"unit": "EAST"}, "200000"),
        ("new_contract_value", Y, D(2024, 1, 1), {"unit": "ACME"}, "220000"),
        ("new_contract_value", Y, D(2024, 1, 1), {"person": "P1"}, "140000"),
        ("average_contract_value", Q, D(2024, 1, 1), {"unit": "EAST"}, "66666.6667"),
        ("average_contract_value", Q, D(2024, 1, 1), {"unit": "SALES"}, "55000"),
        ("first_order_gross_margin", Q, D(2024, 1, 1), {"unit": "EAST"}, "33"),
        ("first_order_gross_margin", Q, D(2024, 1, 1), {"unit": "SALES"}, "32.2727"),
        # nps: T1 January has two promoters and one detractor.
        ("nps", M, D(2025, 1, 1), {"unit": "T1"}, "33.3333"),
        ("nps", M, D(2025, 1, 1), {"person": "P1"}, "33.3333"),
        ("nps", M, D(2025, 2, 1), {"unit": "T2"}, "0"),
        ("nps", Q, D(2025, 1, 1), {"unit": "EAST"}, "25"),
        ("nps", Q, D(2025, 1, 1), {"unit": "SALES"}, "0"),
        # product_usage_activity
        ("product_usage_activity", M, D(2025, 1, 1), {"unit": "T1"}, "80"),
        ("product_usage_activity", Q, D(2025, 1, 1), {"unit": "T1"}, "70"),
        ("product_usage_activity", Q, D(2025, 1, 1), {"unit": "EAST"}, "63.3333"),
        ("product_usage_activity", Q, D(2025, 1, 1), {"unit": "SALES"}, "53.75"),
        ("product_usage_activity", Q, D(2025, 1, 1), {"person": "P1"}, "70"),
        # new_customer_churn_rate: a churn exactly 365 days after acquisition counts, 366 does not.
        ("new_customer_churn_rate", M, D(2024, 1, 1), {"unit": "T1"}, "0"),
        ("new_customer_churn_rate", M, D(2024, 2, 1), {"unit": "T1"}, "50"),
        ("new_customer_churn_rate", Q, D(2024, 1, 1), {"unit": "T1"}, "33.3333"),
        ("new_customer_churn_rate", Q, D(2024, 1, 1), {"unit": "EAST"}, "25"),
        ("new_customer_churn_rate", Q, D(2024, 1, 1), {"unit": "SALES"}, "40"),
        ("new_customer_churn_rate", Q, D(2024, 1, 1), {"person": "P1"}, "33.3333"),
        # renewal_rate and first_year_renewal_rate; K1 -> K2 -> K8 is a renewal chain.
        ("renewal_rate", M, D(2025, 1, 1), {"unit": "T1"}, "50"),
        ("renewal_rate", M, D(2025, 2, 1), {"unit": "T2"}, "0"),
        ("renewal_rate", Q, D(2025, 1, 1), {"unit": "EAST"}, "33.3333"),
        ("renewal_rate", M, D(2026, 1, 1), {"unit": "T1"}, "100"),
        ("renewal_rate", Y, D(2027, 1, 1), {"unit": "T1"}, "0"),
        ("renewal_rate", M, D(2024, 6, 1), {"unit": "T3"}, "0"),
        ("first_year_renewal_rate", Q, D(2025, 1, 1), {"unit": "EAST"}, "33.3333"),
        ("first_year_renewal_rate", Y, D(2025, 1, 1), {"person": "P1"}, "50"),
        # upsell_share
        ("upsell_share", Y, D(2025, 1, 1), {"unit": "EAST"}, "21.4286"),
        ("upsell_share", Q, D(2025, 1, 1), {"unit": "T2"}, "100"),
        ("upsell_share", Y, D(2025, 1, 1), {"unit": "T1"}, "0"),
        # repeat_purchase_rate: existing customers at the period's start.
        ("repeat_purchase_rate", Y, D(2025, 1, 1), {"unit": "ACME"}, "50"),
        ("repeat_purchase_rate", Y, D(2025, 1, 1), {"unit": "T1"}, "33.3333"),
        ("repeat_purchase_rate", Y, D(2025, 1, 1), {"unit": "T2"}, "100"),
        ("repeat_purchase_rate", Y, D(2025, 1, 1), {"person": "P1"}, "33.3333"),
        ("repeat_purchase_rate", M, D(2025, 2, 1), {"unit": "EAST"}, "25"),
        ("repeat_purchase_rate", M, D(2025, 2, 1), {"unit": "T1"}, "0"),
        ("repeat_purchase_rate", Y, D(2026, 1, 1), {"unit": "ACME"}, "50"),
        ("repeat_purchase_rate", Y, D(2026, 1, 1), {"unit": "T2"}, "0"),
    ],
)
def test_indicator_value(facts, code, period, start, subject, expected):
    value = value_of(code, period, start, **subject)
    if expected is None:
        assert value is None
    else:
        assert value == Decimal(expected)


@pytest.mark.parametrize(
    ("code", "period", "start", "subject"),
    [
        ("lead_conversion_rate", M, D(2025, 2, 1), {"person": "P2"}),  # L4 has no owner
        ("key_account_win_rate", M, D(2025, 2, 1), {"unit": "T2"}),  # no key-account deal closed in February
        (
            "first_year_renewal_rate",
            M,
            D(2026, 1, 1),
            {"unit": "T1"},
        ),  # K2 is a renewal, not a first contract
        ("repeat_purchase_rate", Y, D(2024, 1, 1), {"unit": "ACME"}),  # nobody was a customer on 2024-01-01
        ("win_rate", M, D(2025, 2, 1), {"unit": "T3"}),  # open opportunities are not closed
    ],
)
def test_no_row_without_facts(facts, code, period, start, subject):
    assert not has_row(code, period, start, **subject)


def test_facts_without_owner_count_for_their_unit_only(facts):
    # K5 (T3, no owner) is in WEST's new contract value but in nobody's personal value.
    assert value_of("new_contract_value", Q, D(2024, 1, 1), unit="WEST") == Decimal("20000")
    personal = IndicatorValue.objects.filter(indicator__code="new_contract_value", person__isnull=False)
    assert sum(row.numerator for row in personal.filter(period=Y)) == Decimal("200000")


def test_zero_denominator_row_keeps_its_counts(facts):
    row = IndicatorValue.objects.get(
        indicator__code="lead_conversion_rate", period=M, period_start=D(2025, 2, 1), org_unit__code="T2"
    )
    assert (row.numerator, row.denominator, row.value) == (Decimal("0"), Decimal("0"), None)


def _dump():
    return sorted(
        IndicatorValue.objects.values_list(
            "id",
            "indicator__code",
            "org_unit_id",
            "person_id",
            "period",
            "period_start",
            "numerator",
            "denominator",
            "value",
            "computed_at",
        )
    )


def test_recompute_twice_gives_identical_rows(facts):
    before = _dump()
    indicator_values_recompute()
    assert _dump() == before


def test_late_fact_changes_exactly_the_affected_values(facts):
    before = {row[0]: row for row in _dump()}
    # given a qualified, converted lead for T3 in May 2025 that arrives late
    Lead.objects.create(
        external_id="L9",
        org_unit=facts[0]["T3"],
        owner=facts[1]["P3"],
        created_on=D(2025, 5, 20),
        is_qualified=True,
        converted_on=D(2025, 5, 25),
    )
    # when
    indicator_values_recompute()
    # then only lead_conversion_rate rows of T3's ancestors and P3, for May, Q2 and 2025, are new or changed
    after = {row[0]: row for row in _dump()}
    changed = {(row[1], row[2], row[3], row[4], row[5]) for key, row in after.items() if before.get(key) != row}
    units = {code: facts[0][code].pk for code in ("T3", "WEST", "SALES", "ACME")}
    p3 = facts[1]["P3"].pk
    expected = set()
    for period, start in ((M, D(2025, 5, 1)), (Q, D(2025, 4, 1)), (Y, D(2025, 1, 1))):
        for unit_id in units.values():
            expected.add(("lead_conversion_rate", unit_id, None, period, start))
        expected.add(("lead_conversion_rate", None, p3, period, start))
    # May is a new month for T3 and P3; Q2 and 2025 rows already existed for them and change in place.
    assert changed == expected
    assert set(before) <= set(after)
    assert value_of("lead_conversion_rate", Q, D(2025, 4, 1), unit="SALES") == Decimal("100")
    assert value_of("lead_conversion_rate", Y, D(2025, 1, 1), unit="ACME") == Decimal("80")


# --- the engine's write path and statistics -------------------------------------------------


def _values_key_map():
    return {
        (row[1], row[2], row[3], row[4], row[5]): (row[6], row[7], row[8])
        for row in IndicatorValue.objects.values_list(
            "id",
            "indicator__code",
            "org_unit_id",
            "person_id",
            "period",
            "period_start",
            "numerator",
            "denominator",
            "value",
        )
    }


def test_second_run_writes_nothing(facts):
    # when the engine runs again on unchanged facts
    report = values_recompute(indicators=list(Indicator.objects.all()))
    # then no row is deleted, updated or inserted
    assert (report["deleted"], report["updated"], report["inserted"], report["written"]) == (0, 0, 0, 0)
    assert report["rows"] == IndicatorValue.objects.exclude(indicator__source="manual").count()


@pytest.fixture(params=["native", "generic"])
def writer(request, monkeypatch):
    """The values writer of the database's vendor, or the one-statement-per-action writer SQLite uses."""
    if request.param == "native":
        return request.param
    monkeypatch.setattr(engine.writers, "write_values_postgresql", engine.writers.write_values_generic)
    return request.param


def test_writer_deletes_updates_and_inserts_exactly_what_changed(facts, writer):
    units, people = facts
    before = _values_key_map()
    # given: L2 disappears (January T1 changes), L5 disappears (T3's only lead: its April rows go),
    # and a lead for T2 in June arrives (new June rows)
    Lead.objects.filter(external_id__in=["L2", "L5"]).delete()
    Lead.objects.create(
        external_id="L10",
        org_unit=units["T2"],
        owner=people["P2"],
        created_on=D(2025, 6, 3),
        is_qualified=True,
    )
    # when
    report = values_recompute(indicators=list(Indicator.objects.filter(code="lead_conversion_rate")))
    # then the stored rows equal a recompute from scratch
    after = _values_key_map()
    IndicatorValue.objects.filter(indicator__code="lead_conversion_rate").delete()
    values_recompute(indicators=list(Indicator.objects.filter(code="lead_conversion_rate")))
    assert after == _values_key_map()
    changed = {key for key in after.keys() & before.keys() if after[key] != before[key]}
    assert report["updated"] == len(changed)
    assert report["inserted"] == len(after.keys() - before.keys())
    assert report["deleted"] == len(before.keys() - after.keys())
    # T3's and P3's April, Q2 and 2025 rows went (L5 was their only lead); June appeared for T2
    t3, p3 = units["T3"].pk, people["P3"].pk
    gone = before.keys() - after.keys()
    assert ("lead_conversion_rate", t3, None, M, D(2025, 4, 1)) in gone
    assert ("lead_conversion_rate", None, p3, Y, D(2025, 1, 1)) in gone
    assert ("lead_conversion_rate", units["T2"].pk, None, M, D(2025, 6, 1)) in after.keys() - before.keys()
    assert value_of("lead_conversion_rate", M, D(2025, 1, 1), unit="T1") == Decimal("100")
    assert value_of("lead_conversion_rate", Q, D(2025, 4, 1), unit="SALES") == Decimal("0")


def test_unchanged_rows_keep_their_computed_at(facts, writer):
    stamps = dict(IndicatorValue.objects.values_list("id", "computed_at"))
    Lead.objects.filter(external_id="L1").update(converted_on=None)
    values_recompute(indicators=list(Indicator.objects.all()))
    rewritten = {pk for pk, at in IndicatorValue.objects.values_list("id", "computed_at") if stamps.get(pk) != at}
    touched = IndicatorValue.objects.filter(pk__in=rewritten)
    # only lead_conversion_rate rows of T1 and its ancestors and of P1, for January, Q1 and 2025
    assert set(touched.values_list("indicator__code", flat=True)) == {"lead_conversion_rate"}
    assert touched.count() == 3 * 4 + 3  # (month, quarter, year) x (T1, EAST, SALES, ACME) + P1's three


def test_tables_read_names_the_fact_tables():
    statements = engine.registered_computations()["renewal_rate"].base_statements()
    assert engine._tables_read(statements) == {"performance_contract"}
    customer_based = engine.registered_computations()["nps"].base_statements()
    assert engine._tables_read(customer_based) == {"performance_customer", "performance_npsresponse"}


def test_stale_statistics_are_refreshed_on_postgresql(facts, monkeypatch):
    # given thresholds so low that every table counts as stale (a bulk load would do that for real)
    monkeypatch.setattr(engine.pipeline, "STALE_SHARE", 0.0)
    monkeypatch.setattr(engine.pipeline, "STALE_MIN_ROWS", -1)
    Lead.objects.filter(external_id="L1").update(converted_on=None)
    # when
    report = values_recompute(indicators=list(Indicator.objects.filter(code="lead_conversion_rate")))
    # then PostgreSQL analyzes what the engine reads and, after its write, the values table;
    # SQLite has nothing to refresh
    if connection.vendor == "postgresql":
        assert {"performance_lead", "org_orgunitclosure", "performance_indicatorvalue"} <= set(report["analyzed"])
        assert report["analyzed"].count("performance_indicatorvalue") == 2  # before and after the write
    else:
        assert report["analyzed"] == []
    assert value_of("lead_conversion_rate", M, D(2025, 1, 1), unit="T1") == Decimal("0")


def test_work_mem_is_restored(facts):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
        values_recompute(indicators=list(Indicator.objects.filter(code="nps")))
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before
