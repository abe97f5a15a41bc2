"""``repeat_purchase_rate``'s statements: existing customers are fixed at each period's start, so its base rows
are aggregated per period kind instead of summed from months."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from ..choices import ContractKind, PeriodKind
from ..models import Contract, Customer
from .computations import INSERT_BASE, Statements, Window
from .dialect import literals

PERIODS = "_ind_periods"


def repeat_purchase_statements(window: Window | None = None) -> Statements:
    """Existing customers at each period's start, and whether they bought again within the period.

    A customer is existing in P when acquired before P starts and not churned before P starts.
    Periods run from the first acquisition to the last contract signed (or today).
    """
    customers, contracts = Customer._meta.db_table, Contract._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(acquired_on) FROM {customers} WHERE acquired_on IS NOT NULL")
        first = cursor.fetchone()[0]
        cursor.execute(f"SELECT MAX(signed_on) FROM {contracts}")
        last = cursor.fetchone()[0]
    if first is None or last is None:
        return []
    first, last = _as_date(first), _as_date(last)
    rows = []
    for kind in PeriodKind.values:
        start = _period_floor(first, kind)
        while start <= last:
            end = _period_next(start, kind)
            if window is None or any(low <= start < high for low, high in window):
                rows.append((kind, start, end))
            start = end
    statements: Statements = [
        (f"DROP TABLE IF EXISTS {PERIODS}", ()),
        (f"CREATE TEMPORARY TABLE {PERIODS} (period varchar(8), period_start date, period_end date)", ()),
    ]
    statements += [(f"INSERT INTO {PERIODS} VALUES (%s, %s, %s)", row) for row in rows]
    repeat_kinds = literals(ContractKind.RENEWAL, ContractKind.UPSELL, ContractKind.CROSS_SELL)
    repeat = f"""
        SELECT DISTINCT k.customer_id, p.period, p.period_start
        FROM {contracts} k JOIN {PERIODS} p
          ON k.signed_on >= p.period_start AND k.signed_on < p.period_end
        WHERE k.kind IN ({repeat_kinds})
    """
    statements.append(
        (
            f"""
            {INSERT_BASE}
            SELECT cu.org_unit_id, cu.owner_id, p.period, p.period_start,
                   SUM(CASE WHEN rp.customer_id IS NULL THEN 0 ELSE 1 END), COUNT(*)
            FROM {customers} cu
            JOIN {PERIODS} p
              ON cu.acquired_on < p.period_start AND (cu.churned_on IS NULL OR cu.churned_on >= p.period_start)
            LEFT JOIN ({repeat}) rp
              ON rp.customer_id = cu.id AND rp.period = p.period AND rp.period_start = p.period_start
            WHERE cu.acquired_on IS NOT NULL
            GROUP BY cu.org_unit_id, cu.owner_id, p.period, p.period_start
            """,
            (),
        )
    )
    statements.append((f"DROP TABLE IF EXISTS {PERIODS}", ()))
    return statements


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _period_floor(day: dt.date, kind: str) -> dt.date:
    if kind == PeriodKind.MONTH:
        return day.replace(day=1)
    if kind == PeriodKind.QUARTER:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def _period_next(start: dt.date, kind: str) -> dt.date:
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[PeriodKind(kind)]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
