"""Customer lifetime value (nightly step ``customer_ltv``).

Per acquired customer, on the day of the computation:

    realized margin  = gross margin of every contract signed so far
    annual margin    = gross margin of the contracts signed in the last 365 days
    r                = renewal probability of the customer's unit: its renewal_rate over the
                       last four complete quarters (numerators and denominators summed), falling
                       back to the company's; capped at 0.95
    expected years   = r / (1 - r) for a customer that has not churned (the mean number of
                       further yearly renewals when each renews with probability r), else 0
    projected margin = annual margin x expected years
    LTV              = realized margin + projected margin

Cohorts group customers by the quarter they were acquired in, per unit subtree and per owner;
CAC = the unit subtree's acquisition costs in that quarter / customers acquired in it.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.bulkcopy import frame_insert
from org.jobs import nightly_step
from org.models import OrgUnitClosure

from .models import AcquisitionCost, Customer, CustomerLtv, IndicatorValue, LtvCohort
from .services import period_floor

MAX_RENEWAL_PROBABILITY = 0.95


def _quarter(days: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(days)
    return pd.to_datetime({"year": stamps.dt.year, "month": (stamps.dt.month - 1) // 3 * 3 + 1, "day": 1}).dt.date


def renewal_probabilities(today: dt.date) -> tuple[dict[int, float], float]:
    """Each unit's renewal rate over the last four complete quarters, and the company-wide fallback."""
    current_quarter = period_floor(today, "quarter")
    first = dt.date(current_quarter.year - 1, current_quarter.month, 1)
    rows = pd.DataFrame(
        IndicatorValue.objects.filter(
            indicator__code="renewal_rate",
            org_unit__isnull=False,
            period="quarter",
            period_start__gte=first,
            period_start__lt=current_quarter,
        ).values_list("org_unit_id", "numerator", "denominator"),
        columns=["org_unit_id", "numerator", "denominator"],
    )
    if rows.empty:
        return {}, 0.0
    sums = rows.astype({"numerator": float, "denominator": float}).groupby("org_unit_id").sum()
    sums = sums[sums["denominator"] > 0]
    rates = (sums["numerator"] / sums["denominator"]).clip(upper=MAX_RENEWAL_PROBABILITY)
    roots = set(
        OrgUnitClosure.objects.filter(ancestor__parent__isnull=True, depth=0).values_list("ancestor_id", flat=True)
    )
    company = [rates[root] for root in roots if root in rates.index]
    return rates.to_dict(), float(np.mean(company)) if company else 0.0


def _money(value) -> Decimal:
    """A summed margin as Decimal: 0 where there is none (None or NaN); floats (SQLite) through their text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def customer_ltv_frame(today: dt.date) -> pd.DataFrame:
    """One row per acquired customer with the LTV parts (see the module docstring)."""
    customers = pd.DataFrame(
        Customer.objects.filter(acquired_on__isnull=False, acquired_on__lte=today).values_list(
            "id", "org_unit_id", "owner_id", "acquired_on", "churned_on"
        ),
        columns=["customer_id", "org_unit_id", "owner_id", "acquired_on", "churned_on"],
    )
    if customers.empty:
        return customers
    year_ago = today - dt.timedelta(days=365)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT customer_id,
                   SUM(gross_margin),
                   SUM(CASE WHEN signed_on > %s THEN gross_margin ELSE 0 END)
            FROM performance_contract WHERE signed_on <= %s GROUP BY customer_id
            """,
            (year_ago, today),
        )
        margins = pd.DataFrame(cursor.fetchall(), columns=["customer_id", "realized_margin", "annual_margin"])
    frame = customers.merge(margins, on="customer_id", how="left")
    for column in ("realized_margin", "annual_margin"):
        # A customer with no contract yet (the usual order a CRM sends them in) has no row in ``margins``: the
        # merge leaves NaN there, which is margin 0, not a missing value.
        frame[column] = frame[column].map(_money).astype(object)
    rates, company = renewal_probabilities(today)
    frame["renewal_probability"] = frame["org_unit_id"].map(rates).fillna(company).round(4)
    churned = frame["churned_on"].notna() & (frame["churned_on"].map(lambda d: d is not None and d <= today))
    r = frame["renewal_probability"].astype(float)
    frame["expected_years"] = np.where(churned, 0.0, r / (1 - r)).round(4)
    annual = frame["annual_margin"].astype(float)
    frame["projected_margin"] = (annual * frame["expected_years"]).round(2)
    frame["ltv"] = (frame["realized_margin"].astype(float) + frame["projected_margin"]).round(2)
    frame["cohort"] = _quarter(frame["acquired_on"])
    return frame


@transaction.atomic
def ltv_recompute(*, today: dt.date | None = None) -> dict:
    """Recompute every customer's LTV and the cohort summaries (units through the closure, people by owner)."""
    today = today or timezone.localdate()
    now = timezone.now()
    frame = customer_ltv_frame(today)
    CustomerLtv.objects.all().delete()
    LtvCohort.objects.all().delete()
    if frame.empty:
        return {"customers": 0, "cohorts": 0}
    frame["computed_at"] = now.isoformat()
    columns = [
        "customer_id",
        "org_unit_id",
        "owner_id",
        "cohort",
        "realized_margin",
        "annual_margin",
        "renewal_probability",
        "expected_years",
        "projected_margin",
        "ltv",
        "computed_at",
    ]
    frame_insert(CustomerLtv, frame[columns].astype({"owner_id": object}).where(frame[columns].notna(), None))

    closure = pd.DataFrame(
        OrgUnitClosure.objects.values_list("ancestor_id", "descendant_id"), columns=["unit", "org_unit_id"]
    )
    numeric = frame.assign(ltv=frame["ltv"].astype(float), realized=frame["realized_margin"].astype(float))
    by_unit = (
        numeric.merge(closure, on="org_unit_id")
        .groupby(["unit", "cohort"])
        .agg(customers=("customer_id", "size"), ltv_total=("ltv", "sum"), realized_total=("realized", "sum"))
        .reset_index()
    )
    costs = pd.DataFrame(
        AcquisitionCost.objects.values_list("org_unit_id", "month", "amount"),
        columns=["org_unit_id", "month", "amount"],
    )
    if not costs.empty:
        costs["cohort"] = _quarter(costs["month"])
        costs["amount"] = costs["amount"].astype(float)
        unit_costs = (
            costs.merge(closure, on="org_unit_id")
            .groupby(["unit", "cohort"])["amount"]
            .sum()
            .rename("acquisition_cost")
        )
        by_unit = by_unit.merge(unit_costs.reset_index(), on=["unit", "cohort"], how="left")
    else:
        by_unit["acquisition_cost"] = None
    by_person = (
        numeric[numeric["owner_id"].notna()]
        .groupby(["owner_id", "cohort"])
        .agg(customers=("customer_id", "size"), ltv_total=("ltv", "sum"), realized_total=("realized", "sum"))
        .reset_index()
    )
    rows = pd.concat(
        [
            by_unit.rename(columns={"unit": "org_unit_id"}).assign(person_id=None),
            by_person.rename(columns={"owner_id": "person_id"}).assign(org_unit_id=None, acquisition_cost=None),
        ],
        ignore_index=True,
    )
    rows["computed_at"] = now.isoformat()
    rows[["ltv_total", "realized_total"]] = rows[["ltv_total", "realized_total"]].round(2)
    rows["acquisition_cost"] = rows["acquisition_cost"].map(lambda v: None if v is None or pd.isna(v) else round(v, 2))
    for column in ("org_unit_id", "person_id"):
        rows[column] = rows[column].map(lambda v: None if v is None or pd.isna(v) else int(v)).astype(object)
    out = rows[
        [
            "org_unit_id",
            "person_id",
            "cohort",
            "customers",
            "ltv_total",
            "realized_total",
            "acquisition_cost",
            "computed_at",
        ]
    ]
    frame_insert(LtvCohort, out)
    return {"customers": len(frame), "cohorts": len(out)}


@nightly_step("customer_ltv", label=_("Customer lifetime value"), order=30, needs=["indicator_values"])
def customer_ltv_step(job=None) -> dict:
    """Nightly step: LTV per customer and per cohort, after the indicator values it reads."""
    return ltv_recompute()
