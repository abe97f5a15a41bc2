"""The indicator engine: computes every built-in indicator from the facts, set-based.

For each indicator, ONE aggregate scans its facts and groups them by
(org unit, owner, month) into a scratch table; quarters and years are sums of
months (every built-in numerator and denominator is additive over time, except
``repeat_purchase_rate`` whose "existing customers" are fixed at each period's
start and so is aggregated per period kind). Unit values roll up through the
closure table (numerators and denominators summed over the subtree, then
divided: a ratio of sums, never a mean of ratios); person values group by owner.
The results are upserted into IndicatorValue, rewriting only the rows that
changed, and rows whose facts disappeared are deleted. Running it twice gives the
same rows. Works on PostgreSQL and SQLite (the SQL differs only in date functions).

value = numerator / denominator × scale (scale 100 for percentages and NPS);
null where the denominator is 0.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.jobs import nightly_step
from org.models import Job

from .choices import IndicatorSource, PeriodKind
from .models import Indicator

BASE = "_ind_base"  # (org_unit_id, owner_id, period, period_start, numerator, denominator)
NEW = "_ind_new"  # (org_unit_id, person_id, period, period_start, numerator, denominator)


# --- dialect helpers ------------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor


def month_start(expr: str) -> str:
    if _vendor() == "postgresql":
        return f"CAST(date_trunc('month', {expr}) AS date)"
    return f"date({expr}, 'start of month')"


def period_start_of_month(expr: str, kind: str) -> str:
    """The start of the quarter or year containing the month-start date ``expr``."""
    if _vendor() == "postgresql":
        return f"CAST(date_trunc('{kind}', {expr}) AS date)"
    if kind == PeriodKind.YEAR:
        return f"date({expr}, 'start of year')"
    return f"date({expr}, '-' || ((CAST(strftime('%m', {expr}) AS integer) - 1) % 3) || ' months')"


def period_start(expr: str, kind: str) -> str:
    if kind == PeriodKind.MONTH:
        return month_start(expr)
    return period_start_of_month(month_start(expr), kind)


def days_between(later: str, earlier: str) -> str:
    if _vendor() == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS integer)"


# --- computations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Additive:
    """An indicator whose numerator and denominator are sums over facts dated in the period.

    ``source`` is a FROM clause; ``unit`` and ``owner`` name the columns the fact counts for;
    ``date`` is the column that places a fact in a period; ``numerator`` and ``denominator``
    are per-fact SQL expressions that are summed.
    """

    source: str
    unit: str
    owner: str
    date: str
    numerator: str
    denominator: str
    where: str = "1 = 1"
    scale: int = 1
    constant_denominator: bool = False
    params: tuple = ()

    def base_statements(self) -> list[tuple[str, tuple]]:
        month = month_start(self.date)
        sql = f"""
            INSERT INTO {BASE} (org_unit_id, owner_id, period, period_start, numerator, denominator)
            SELECT {self.unit}, {self.owner}, 'month', {month}, SUM({self.numerator}), SUM({self.denominator})
            FROM {self.source}
            WHERE {self.where}
            GROUP BY {self.unit}, {self.owner}, {month}
        """
        statements = [(sql, self.params)]
        for kind in (PeriodKind.QUARTER, PeriodKind.YEAR):
            start = period_start_of_month("period_start", kind)
            statements.append(
                (
                    f"""
                    INSERT INTO {BASE} (org_unit_id, owner_id, period, period_start, numerator, denominator)
                    SELECT org_unit_id, owner_id, '{kind}', {start}, SUM(numerator), SUM(denominator)
                    FROM {BASE} WHERE period = 'month'
                    GROUP BY org_unit_id, owner_id, {start}
                    """,
                    (),
                )
            )
        return statements


@dataclass(frozen=True)
class Custom:
    """An indicator whose base rows come from its own statements (one per period kind)."""

    build: Callable[[], list[tuple[str, tuple]]]
    scale: int = 1
    constant_denominator: bool = False

    def base_statements(self) -> list[tuple[str, tuple]]:
        return self.build()


_COMPUTATIONS: dict[str, Additive | Custom] = {}


def indicator_computation(code: str, computation: Additive | Custom) -> None:
    """Register how a built-in indicator is computed (other apps register theirs too)."""
    _COMPUTATIONS[code] = computation


def registered_computations() -> dict[str, Additive | Custom]:
    return dict(_COMPUTATIONS)


def _one(expr: str) -> str:
    return f"CASE WHEN {expr} THEN 1 ELSE 0 END"


_CUSTOMER_JOIN = "performance_customer cu JOIN {table} f ON f.customer_id = cu.id"


def _register_builtins() -> None:
    lead = dict(source="performance_lead f", unit="f.org_unit_id", owner="f.owner_id", date="f.created_on")
    indicator_computation(
        "lead_conversion_rate",
        Additive(
            **lead,
            numerator=_one("f.is_qualified AND f.converted_on IS NOT NULL"),
            denominator=_one("f.is_qualified"),
            scale=100,
        ),
    )
    opp = dict(source="performance_opportunity f", unit="f.org_unit_id", owner="f.owner_id", date="f.closed_on")
    indicator_computation(
        "sales_cycle_days",
        Additive(
            **opp,
            where="f.status = 'won' AND f.closed_on IS NOT NULL",
            numerator=days_between("f.closed_on", "f.created_on"),
            denominator="1",
        ),
    )
    closed = "f.status IN ('won', 'lost') AND f.closed_on IS NOT NULL"
    indicator_computation(
        "win_rate",
        Additive(**opp, where=closed, numerator=_one("f.status = 'won'"), denominator="1", scale=100),
    )
    indicator_computation(
        "key_account_win_rate",
        Additive(
            **opp,
            where=f"{closed} AND f.is_key_account",
            numerator=_one("f.status = 'won'"),
            denominator="1",
            scale=100,
        ),
    )
    signed = dict(source="performance_contract f", unit="f.org_unit_id", owner="f.owner_id", date="f.signed_on")
    indicator_computation(
        "new_contract_value",
        Additive(**signed, where="f.kind = 'new'", numerator="f.value", denominator="1", constant_denominator=True),
    )
    indicator_computation(
        "average_contract_value",
        Additive(**signed, where="f.kind = 'new'", numerator="f.value", denominator="1"),
    )
    indicator_computation(
        "first_order_gross_margin",
        Additive(**signed, where="f.kind = 'new'", numerator="f.gross_margin", denominator="f.value", scale=100),
    )
    indicator_computation(
        "upsell_share",
        Additive(
            **signed,
            numerator="CASE WHEN f.kind IN ('upsell', 'cross_sell') THEN f.value ELSE 0 END",
            denominator="f.value",
            scale=100,
        ),
    )
    ending = dict(source="performance_contract f", unit="f.org_unit_id", owner="f.owner_id", date="f.end_on")
    renewed = "EXISTS (SELECT 1 FROM performance_contract r WHERE r.renews_id = f.id)"
    indicator_computation(
        "renewal_rate",
        Additive(
            **ending,
            where="f.kind IN ('new', 'renewal')",
            numerator=_one(renewed),
            denominator="1",
            scale=100,
        ),
    )
    indicator_computation(
        "first_year_renewal_rate",
        Additive(**ending, where="f.kind = 'new'", numerator=_one(renewed), denominator="1", scale=100),
    )
    # Customer-based indicators count for the customer's unit and owner.
    by_customer = dict(unit="cu.org_unit_id", owner="cu.owner_id")
    indicator_computation(
        "nps",
        Additive(
            source=_CUSTOMER_JOIN.format(table="performance_npsresponse"),
            **by_customer,
            date="f.responded_on",
            numerator="CASE WHEN f.score >= 9 THEN 1 WHEN f.score <= 6 THEN -1 ELSE 0 END",
            denominator="1",
            scale=100,
        ),
    )
    indicator_computation(
        "product_usage_activity",
        Additive(
            source=_CUSTOMER_JOIN.format(table="performance_usage"),
            **by_customer,
            date="f.month",
            numerator="f.active_ratio",
            denominator="1",
            scale=100,
        ),
    )
    indicator_computation(
        "new_customer_churn_rate",
        Additive(
            source="performance_customer cu",
            **by_customer,
            date="cu.acquired_on",
            where="cu.acquired_on IS NOT NULL",
            # "within 365 days": a churn exactly 365 days after acquisition counts.
            numerator=_one(f"cu.churned_on IS NOT NULL AND {days_between('cu.churned_on', 'cu.acquired_on')} <= 365"),
            denominator="1",
            scale=100,
        ),
    )
    indicator_computation("repeat_purchase_rate", Custom(build=_repeat_purchase_statements, scale=100))
    # Actions on customer project teams' boards: the team's unit, the action's owner.
    indicator_computation(
        "cross_dept_closure_days",
        Additive(
            source="performance_projectaction f JOIN performance_customerprojectteam t ON t.id = f.team_id",
            unit="t.org_unit_id",
            owner="f.owner_id",
            date="f.closed_on",
            where="f.closed_on IS NOT NULL",
            numerator=days_between("f.closed_on", "f.opened_on"),
            denominator="1",
        ),
    )


PERIODS = "_ind_periods"


def _repeat_purchase_statements() -> list[tuple[str, tuple]]:
    """Existing customers at each period's start, and whether they bought again within the period.

    A customer is existing in P when acquired before P starts and not churned before P starts.
    Periods run from the first acquisition to the last contract signed (or today).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MIN(acquired_on) FROM performance_customer WHERE acquired_on IS NOT NULL",
        )
        first = cursor.fetchone()[0]
        cursor.execute("SELECT MAX(signed_on) FROM performance_contract")
        last = cursor.fetchone()[0]
    if first is None or last is None:
        return []
    first, last = _as_date(first), _as_date(last)
    rows = []
    for kind in PeriodKind.values:
        start = _period_floor(first, kind)
        while start <= last:
            end = _period_next(start, kind)
            rows.append((kind, start, end))
            start = end
    statements: list[tuple[str, tuple]] = [
        (f"DROP TABLE IF EXISTS {PERIODS}", ()),
        (f"CREATE TEMPORARY TABLE {PERIODS} (period varchar(8), period_start date, period_end date)", ()),
    ]
    statements += [(f"INSERT INTO {PERIODS} VALUES (%s, %s, %s)", row) for row in rows]
    repeat = f"""
        SELECT DISTINCT k.customer_id, p.period, p.period_start
        FROM performance_contract k JOIN {PERIODS} p
          ON k.signed_on >= p.period_start AND k.signed_on < p.period_end
        WHERE k.kind IN ('renewal', 'upsell', 'cross_sell')
    """
    statements.append(
        (
            f"""
            INSERT INTO {BASE} (org_unit_id, owner_id, period, period_start, numerator, denominator)
            SELECT cu.org_unit_id, cu.owner_id, p.period, p.period_start,
                   SUM(CASE WHEN rp.customer_id IS NULL THEN 0 ELSE 1 END), COUNT(*)
            FROM performance_customer cu
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


_register_builtins()


# --- running ------------------------------------------------------------------------


def _execute(cursor, sql: str, params: tuple = ()) -> int:
    cursor.execute(sql, params)
    return cursor.rowcount


def _create_scratch(cursor) -> None:
    for name in (BASE, NEW):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {BASE} (org_unit_id bigint NOT NULL, owner_id bigint NULL, period varchar(8) "
        "NOT NULL, period_start date NOT NULL, numerator numeric NOT NULL, denominator numeric NOT NULL)"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {NEW} (org_unit_id bigint NULL, person_id bigint NULL, period varchar(8) "
        "NOT NULL, period_start date NOT NULL, numerator numeric NOT NULL, denominator numeric NOT NULL)"
    )


def _drop_scratch(cursor) -> None:
    for name in (BASE, NEW):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _roll_up(cursor, computation) -> None:
    """Fill NEW from BASE: units through the closure (sums over the subtree), people by owner."""
    denominator = "1" if computation.constant_denominator else "SUM(b.denominator)"
    cursor.execute(
        f"""
        INSERT INTO {NEW} (org_unit_id, person_id, period, period_start, numerator, denominator)
        SELECT c.ancestor_id, NULL, b.period, b.period_start, SUM(b.numerator), {denominator}
        FROM {BASE} b JOIN org_orgunitclosure c ON c.descendant_id = b.org_unit_id
        GROUP BY c.ancestor_id, b.period, b.period_start
        """
    )
    cursor.execute(
        f"""
        INSERT INTO {NEW} (org_unit_id, person_id, period, period_start, numerator, denominator)
        SELECT NULL, b.owner_id, b.period, b.period_start, SUM(b.numerator), {denominator}
        FROM {BASE} b WHERE b.owner_id IS NOT NULL
        GROUP BY b.owner_id, b.period, b.period_start
        """
    )


_VALUES = "performance_indicatorvalue"


def _upsert_and_prune(cursor, indicator: Indicator, scale: int, now) -> dict:
    """Upsert NEW into the values table (only changed rows are rewritten); delete rows NEW lacks."""
    value = "CASE WHEN n.denominator = 0 THEN NULL ELSE (n.numerator * %s) / (n.denominator * 1.0) END"
    written = 0
    for subject, other in (("org_unit_id", "person_id"), ("person_id", "org_unit_id")):
        written += _execute(
            cursor,
            f"""
            INSERT INTO {_VALUES} (indicator_id, {subject}, {other}, period, period_start, numerator,
                                   denominator, value, computed_at)
            SELECT %s, n.{subject}, NULL, n.period, n.period_start, n.numerator, n.denominator, {value}, %s
            FROM {NEW} n WHERE n.{subject} IS NOT NULL
            ON CONFLICT (indicator_id, period, {subject}, period_start) WHERE {other} IS NULL
            DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator,
                          value = excluded.value, computed_at = excluded.computed_at
            WHERE {_VALUES}.numerator IS DISTINCT FROM excluded.numerator
               OR {_VALUES}.denominator IS DISTINCT FROM excluded.denominator
            """,
            (indicator.pk, Decimal(scale), now),
        )
    deleted = 0
    for subject in ("org_unit_id", "person_id"):
        deleted += _execute(
            cursor,
            f"""
            DELETE FROM {_VALUES}
            WHERE indicator_id = %s AND {subject} IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM {NEW} n
                WHERE n.{subject} = {_VALUES}.{subject} AND n.period = {_VALUES}.period
                  AND n.period_start = {_VALUES}.period_start)
            """,
            (indicator.pk,),
        )
    cursor.execute(f"SELECT COUNT(*) FROM {NEW}")
    return {"rows": cursor.fetchone()[0], "written": written, "deleted": deleted}


def indicator_recompute(*, indicator: Indicator, now=None) -> dict:
    """Recompute one indicator's values for every unit and person, month, quarter and year."""
    now = now or timezone.now()
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _create_scratch(cursor)
        if indicator.source == IndicatorSource.MANUAL:
            cursor.execute(
                f"""
                INSERT INTO {NEW} (org_unit_id, person_id, period, period_start, numerator, denominator)
                SELECT org_unit_id, NULL, period, period_start, value, 1
                FROM performance_manualindicatorvalue WHERE indicator_id = %s
                """,
                (indicator.pk,),
            )
            scale = 1
        else:
            computation = _COMPUTATIONS.get(indicator.code)
            if computation is None:
                _drop_scratch(cursor)
                return {"skipped": "no computation registered"}
            for sql, params in computation.base_statements():
                cursor.execute(sql, params)
            _roll_up(cursor, computation)
            scale = computation.scale
        outcome = _upsert_and_prune(cursor, indicator, scale, now)
        _drop_scratch(cursor)
        Indicator.objects.filter(pk=indicator.pk).update(last_computed_at=now)
    outcome["seconds"] = round(time.perf_counter() - began, 3)
    return outcome


def indicator_values_recompute(*, codes: list[str] | None = None, progress=None) -> dict:
    """Recompute all indicators (or the named ones); returns per-indicator row counts and timings."""
    indicators = list(Indicator.objects.all() if codes is None else Indicator.objects.filter(code__in=codes))
    now = timezone.now()
    report = {}
    for index, indicator in enumerate(indicators):
        report[indicator.code] = indicator_recompute(indicator=indicator, now=now)
        if progress is not None:
            progress((index + 1) / len(indicators))
    return report


@nightly_step("indicator_values", label=_("Indicator values"), order=20)
def indicator_values_step(job: Job | None = None) -> dict:
    """Nightly step: every indicator value from the facts."""
    report = indicator_values_recompute()
    return {
        "indicators": len(report),
        "rows": sum(item.get("rows", 0) for item in report.values()),
        "written": sum(item.get("written", 0) for item in report.values()),
    }
