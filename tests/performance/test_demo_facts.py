"""Demo facts: deterministic for a seed, internally consistent, and teams really differ."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from org.models import Person
from performance.demo import generate_facts
from performance.engine import indicator_values_recompute
from performance.models import Contract, Customer, IndicatorValue, Lead, Opportunity, Usage

TODAY = dt.date(2026, 1, 1)


@pytest.fixture
def sellers(org_tree):
    """Twelve sales reps in each of the three teams."""
    rows = []
    for team in ("T1", "T2", "T3"):
        for i in range(12):
            rows.append(
                Person(
                    external_id=f"{team}-{i}",
                    name=f"{team} {i}",
                    org_unit=org_tree[team],
                    role="sales_rep",
                    hire_date=dt.date(2023, 1, 1),
                )
            )
    Person.objects.bulk_create(rows)
    return pd.DataFrame(
        list(Person.objects.values("id", "org_unit_id", "role", "hire_date", "exit_date").order_by("id"))
    )


def _build(sellers, org_tree, seed):
    return generate_facts(
        rng=np.random.default_rng(seed),
        people=sellers,
        team_ids=[org_tree["T1"].pk, org_tree["T2"].pk, org_tree["T3"].pk],
        first_month=dt.date(2024, 1, 1),
        months=24,
        today=TODAY,
        lead_rate=10,
    )


def _snapshot():
    return (
        list(Lead.objects.order_by("external_id").values_list("external_id", "owner_id", "created_on", "converted_on")),
        list(Contract.objects.order_by("external_id").values_list("external_id", "kind", "value", "renews_id")),
    )


def test_same_seed_same_facts(sellers, org_tree):
    counts = _build(sellers, org_tree, seed=7)
    first = _snapshot()
    for model in (Usage, Contract, Opportunity, Lead):
        model.objects.all().delete()
    from performance.models import AcquisitionCost, NpsResponse

    NpsResponse.objects.all().delete()
    AcquisitionCost.objects.all().delete()
    Customer.objects.all().delete()
    assert _build(sellers, org_tree, seed=7) == counts
    second = _snapshot()
    assert [row[1:] for row in second[0]] == [row[1:] for row in first[0]]
    assert [row[1:3] for row in second[1]] == [row[1:3] for row in first[1]]


def test_facts_are_consistent(sellers, org_tree):
    counts = _build(sellers, org_tree, seed=3)
    assert counts["leads"] > 3000
    assert counts["contracts"] > 100
    assert not Lead.objects.filter(created_on__gte=TODAY).exists()
    assert not Lead.objects.filter(converted_on__lt=models_f("created_on")).exists()
    # every renewal renews an earlier contract of the same customer
    for renewal in Contract.objects.filter(kind="renewal").select_related("renews")[:200]:
        assert renewal.renews is not None
        assert renewal.renews.customer_id == renewal.customer_id
        assert renewal.renews.signed_on < renewal.signed_on
    assert not Customer.objects.filter(churned_on__lt=models_f("acquired_on")).exists()
    # won opportunities have acquired customers with a new contract
    won = Opportunity.objects.filter(status="won").count()
    assert Contract.objects.filter(kind="new").count() == won
    assert Customer.objects.filter(acquired_on__isnull=False).count() == won


def test_best_team_converts_better_than_worst(sellers, org_tree):
    _build(sellers, org_tree, seed=11)
    indicator_values_recompute(codes=["lead_conversion_rate", "new_customer_churn_rate"])

    def yearly(code, team):
        row = IndicatorValue.objects.get(
            indicator__code=code, org_unit=org_tree[team], period="year", period_start=dt.date(2025, 1, 1)
        )
        return row.value

    # team 0 (T1) is drawn as the best converter, team 1 (T2) as the worst churner
    assert yearly("lead_conversion_rate", "T1") > yearly("lead_conversion_rate", "T2")
    assert yearly("new_customer_churn_rate", "T2") > yearly("new_customer_churn_rate", "T1")


def models_f(name):
    from django.db.models import F

    return F(name)
