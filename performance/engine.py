"""The indicator engine: computes every built-in indicator from the facts, set-based.

For each indicator, ONE aggregate scans its facts and groups them by
(org unit, owner, month) into a scratch table; quarters and years are sums of
months (every built-in numerator and denominator is additive over time, except
``repeat_purchase_rate`` whose "existing customers" are fixed at each period's
start and so is aggregated per period kind). Unit values roll up through the
closure table (numerators and denominators summed over the subtree, then
divided: a ratio of sums, never a mean of ratios); person values group by owner.
All indicators of a run collect in one scratch table, which is then compared with
IndicatorValue in one pass: only rows that changed are rewritten, new rows are
inserted and rows whose facts disappeared are deleted (see "running" below).
Running it twice gives the same rows and writes nothing the second time. Works on
PostgreSQL and SQLite (the SQL differs in date functions and in the writer).

value = numerator / denominator × scale (scale 100 for percentages and NPS);
null where the denominator is 0.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.jobs import nightly_step
from org.marks import PendingMarks, marks_consume, pending_marks
from org.models import Job

from .choices import IndicatorSource, PeriodKind
from .models import Indicator

BASE = "_ind_base"  # (org_unit_id, owner_id, period, period_start, numerator, denominator)


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

    def base_statements(self, window: list[tuple[dt.date, dt.date]] | None = None) -> list[tuple[str, tuple]]:
        """The SQL filling BASE; with ``window`` (half-open date ranges) only facts dated inside them."""
        month = month_start(self.date)
        where, params = self.where, self.params
        if window:
            ranges = " OR ".join(f"({self.date} >= %s AND {self.date} < %s)" for _range in window)
            where = f"({where}) AND ({ranges})"
            params = tuple(params) + tuple(day for pair in window for day in pair)
        sql = f"""
            INSERT INTO {BASE} (org_unit_id, owner_id, period, period_start, numerator, denominator)
            SELECT {self.unit}, {self.owner}, 'month', {month}, SUM({self.numerator}), SUM({self.denominator})
            FROM {self.source}
            WHERE {where}
            GROUP BY {self.unit}, {self.owner}, {month}
        """
        statements = [(sql, params)]
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
    """An indicator whose base rows come from its own statements (one per period kind).

    ``windowed``: ``build`` accepts a window (half-open date ranges) and then only writes periods starting
    inside it, so an incremental run can redo just the stale years.
    """

    build: Callable[..., list[tuple[str, tuple]]]
    scale: int = 1
    constant_denominator: bool = False
    windowed: bool = False

    def base_statements(self, window: list[tuple[dt.date, dt.date]] | None = None) -> list[tuple[str, tuple]]:
        return self.build(window) if self.windowed else self.build()


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
    # Windowed: customers' acquisition and churn dates mark every year from the earlier date to now (see
    # performance.ingest), because they decide who is an existing customer at the start of later periods.
    indicator_computation("repeat_purchase_rate", Custom(build=_repeat_purchase_statements, scale=100, windowed=True))
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


def _repeat_purchase_statements(window: list[tuple[dt.date, dt.date]] | None = None) -> list[tuple[str, tuple]]:
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
            if window is None or any(low <= start < high for low, high in window):
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
#
# A recompute runs in one transaction: every indicator's base rows go to BASE, its unit and
# person rows to VALUES (one scratch table for all the indicators of the run), and then the
# values table is brought in line with VALUES: rows VALUES lacks are deleted, rows whose
# numerator or denominator changed are updated, new ones inserted; an unchanged value is
# neither rewritten nor locked. PostgreSQL: one hash full join per subject kind finds the
# differences (DIFF), then one DELETE, UPDATE and INSERT by id. SQLite (small data, `make
# run`): one anti-join or join per action and subject kind, through indexes on VALUES.
#
# PostgreSQL plans those joins from its statistics. After a bulk load or a flush they can be
# badly stale (a values table that "has 0 rows" but really has a million turns the anti-join
# into a nested loop: quadratic), so the engine refreshes them itself: the tables it reads or
# writes are analyzed when more of them changed since their last ANALYZE than autovacuum would
# tolerate, the scratch table always, and the values table again after a large write.

# (indicator_id, org_unit_id, person_id, period, period_start, numerator, denominator, value, join_key)
VALUES = "_ind_values"
DIFF = "_ind_diff"  # PostgreSQL: the rows of VALUES and of the values table that differ
TARGET = "performance_indicatorvalue"
CLOSURE = "org_orgunitclosure"

# A table's statistics are stale when more rows than this share of it (plus the minimum) were
# inserted, updated or deleted since its last ANALYZE: autovacuum's own default threshold.
STALE_SHARE = 0.1
STALE_MIN_ROWS = 1000

_TABLE_NAME = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def _execute(cursor, sql: str, params: tuple = ()) -> int:
    cursor.execute(sql, params)
    return cursor.rowcount


def _create_scratch(cursor) -> None:
    for name in (BASE, VALUES, DIFF):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {BASE} (org_unit_id bigint NOT NULL, owner_id bigint NULL, period varchar(8) "
        "NOT NULL, period_start date NOT NULL, numerator numeric NOT NULL, denominator numeric NOT NULL)"
    )
    # The value columns have the values table's types, so a comparison with a stored row sees
    # exactly what would be stored.
    cursor.execute(
        f"CREATE TEMPORARY TABLE {VALUES} (indicator_id bigint NOT NULL, join_key bigint NULL, "
        "org_unit_id bigint NULL, person_id bigint NULL, period varchar(8) NOT NULL, period_start date NOT NULL, "
        "numerator numeric(24, 4) NOT NULL, denominator numeric(24, 4) NOT NULL, value numeric(24, 4) NULL)"
    )


def _drop_scratch(cursor) -> None:
    for name in (BASE, VALUES, DIFF):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _value(scale: int) -> str:
    """value = numerator × scale / denominator; null where the denominator is 0."""
    return f"CASE WHEN g.denominator = 0 THEN NULL ELSE (g.numerator * {int(scale)}) / (g.denominator * 1.0) END"


_INSERT_VALUES = (
    f"INSERT INTO {VALUES} (indicator_id, join_key, org_unit_id, person_id, period, period_start, numerator, "
    "denominator, value)"
)


def _join_key(indicator_id: str, subject: str, period_start: str) -> str:
    """PostgreSQL: one bigint standing for (indicator, unit or person, period start); NULL elsewhere.

    The writer joins VALUES with the values table on it (besides the columns themselves): a
    single column with as many distinct values as rows is what lets the planner cost a hash
    join right (it judges a multi-column hash key by its most selective column alone, and
    would otherwise sort both sides for a merge join). Packing: indicator id mod 2^11, subject
    id mod 2^31, days since 2000 mod 2^16; a clash only costs a longer hash chain.
    """
    if _vendor() != "postgresql":
        return "NULL"
    # mod() rather than %: the SQL also goes through parameter substitution.
    return (
        f"(mod({indicator_id}, 2048) * 140737488355328 + mod({subject}, 2147483648) * 65536"
        f" + mod(({period_start}) - DATE '2000-01-01', 65536))"
    )


def _roll_up(cursor, indicator_id: int, computation) -> None:
    """VALUES from BASE: units through the closure (sums over the subtree), people by owner.

    Units: BASE is first summed per unit and period (owners dropped), so the closure join sees
    a few rows per unit instead of one per owner.
    """
    denominator = "1" if computation.constant_denominator else "SUM(u.denominator)"
    value = _value(computation.scale)
    cursor.execute(
        f"""
        {_INSERT_VALUES}
        SELECT {int(indicator_id)}, {_join_key(str(int(indicator_id)), "g.subject", "g.period_start")},
               g.subject, NULL, g.period, g.period_start, g.numerator,
               g.denominator, {value}
        FROM (
            SELECT c.ancestor_id AS subject, u.period AS period, u.period_start AS period_start,
                   SUM(u.numerator) AS numerator, {denominator} AS denominator
            FROM (
                SELECT b.org_unit_id, b.period, b.period_start, SUM(b.numerator) AS numerator,
                       SUM(b.denominator) AS denominator
                FROM {BASE} b GROUP BY b.org_unit_id, b.period, b.period_start
            ) u
            JOIN {CLOSURE} c ON c.descendant_id = u.org_unit_id
            GROUP BY c.ancestor_id, u.period, u.period_start
        ) g
        """
    )
    denominator = "1" if computation.constant_denominator else "SUM(b.denominator)"
    cursor.execute(
        f"""
        {_INSERT_VALUES}
        SELECT {int(indicator_id)}, {_join_key(str(int(indicator_id)), "g.subject", "g.period_start")},
               NULL, g.subject, g.period, g.period_start, g.numerator,
               g.denominator, {value}
        FROM (
            SELECT b.owner_id AS subject, b.period AS period, b.period_start AS period_start,
                   SUM(b.numerator) AS numerator, {denominator} AS denominator
            FROM {BASE} b WHERE b.owner_id IS NOT NULL
            GROUP BY b.owner_id, b.period, b.period_start
        ) g
        """
    )


def _manual_values(cursor, indicator_id: int) -> None:
    """VALUES from hand-entered values: one unit row per entry (numerator = value, denominator 1)."""
    cursor.execute(
        f"""
        {_INSERT_VALUES}
        SELECT {int(indicator_id)}, {_join_key(str(int(indicator_id)), "g.org_unit_id", "g.period_start")},
               g.org_unit_id, NULL, g.period, g.period_start, g.numerator,
               g.denominator, {_value(1)}
        FROM (SELECT org_unit_id, period, period_start, value AS numerator, 1 AS denominator
              FROM performance_manualindicatorvalue WHERE indicator_id = %s) g
        """,
        (indicator_id,),
    )


def _tables_read(statements: list[tuple[str, tuple]]) -> set[str]:
    """Names of the permanent tables the statements read (FROM and JOIN clauses; scratch tables left out)."""
    names = set()
    for sql, _params in statements:
        names.update(name.lower() for name in _TABLE_NAME.findall(sql))
    return {name for name in names if not name.startswith("_")}


def _analyze_stale(cursor, tables: set[str]) -> list[str]:
    """PostgreSQL: ANALYZE those of ``tables`` whose statistics are stale; returns their names.

    Stale: more rows inserted, updated or deleted since the last ANALYZE than STALE_SHARE of
    the rows it counted plus STALE_MIN_ROWS (a table never analyzed counts every row it got).
    The counters only see committed work, which is what a bulk load before the recompute is.
    """
    if _vendor() != "postgresql" or not tables:
        return []
    cursor.execute(
        """
        SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
        WHERE s.schemaname = current_schema() AND s.relname = ANY(%s)
          AND s.n_mod_since_analyze > %s * GREATEST(c.reltuples, 0) + %s
        ORDER BY s.relname
        """,
        (sorted(tables), STALE_SHARE, STALE_MIN_ROWS),
    )
    stale = [row[0] for row in cursor.fetchall()]
    for table in stale:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return stale


# Memory for one sort or hash of the recompute (PostgreSQL): the default 4 MB spills the
# aggregates and the values join to disk at the large scale. Raised for the recompute's
# transaction only, never lowered.
WORK_MEM = "256MB"


def _raise_work_mem(cursor) -> str | None:
    """PostgreSQL: raise work_mem to WORK_MEM for this transaction; returns the value to restore."""
    if _vendor() != "postgresql":
        return None
    cursor.execute(
        "SELECT current_setting('work_mem'), pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%s)",
        (WORK_MEM,),
    )
    old, lower = cursor.fetchone()
    if not lower:
        return None
    cursor.execute("SELECT set_config('work_mem', %s, true)", (WORK_MEM,))
    return old


def _restore_work_mem(cursor, old: str | None) -> None:
    if old is not None:
        cursor.execute("SELECT set_config('work_mem', %s, true)", (old,))


def _estimated_rows(cursor, table: str) -> float:
    """PostgreSQL's row estimate of a table (0 for one never analyzed)."""
    cursor.execute("SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = to_regclass(%s)", (table,))
    row = cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def year_windows(years) -> list[tuple[dt.date, dt.date]]:
    """Half-open date ranges covering ``years``, consecutive years merged: {2024, 2025, 2027} → 2 ranges."""
    windows: list[tuple[dt.date, dt.date]] = []
    for year in sorted(years):
        if windows and windows[-1][1].year == year:
            windows[-1] = (windows[-1][0], dt.date(year + 1, 1, 1))
        else:
            windows.append((dt.date(year, 1, 1), dt.date(year + 1, 1, 1)))
    return windows


def _stored_rows(indicator_ids: list[int], windowed: set[int], window, alias: str = "") -> str:
    """SQL condition on the values table: the rows a run replaces (windowed indicators: only inside the window)."""
    column = f"{alias}." if alias else ""
    full = [pk for pk in indicator_ids if pk not in windowed]
    parts = []
    if full:
        parts.append(f"{column}indicator_id IN ({', '.join(str(int(pk)) for pk in full)})")
    if windowed and window:
        ranges = " OR ".join(
            f"({column}period_start >= DATE '{start.isoformat()}' AND {column}period_start < DATE '{end.isoformat()}')"
            if _vendor() == "postgresql"
            else f"({column}period_start >= '{start.isoformat()}' AND {column}period_start < '{end.isoformat()}')"
            for start, end in window
        )
        ids = ", ".join(str(int(pk)) for pk in sorted(windowed))
        parts.append(f"({column}indicator_id IN ({ids}) AND ({ranges}))")
    return "(" + " OR ".join(parts) + ")" if parts else "(1 = 0)"


def _write_values_postgresql(cursor, indicator_ids: list[int], now, stored: str | None = None) -> dict:
    """Bring the values table of ``indicator_ids`` in line with VALUES; rows deleted, updated, inserted.

    A hash full join per subject kind of the stored rows with VALUES on the key (indicator,
    unit or person, period, start) collects into DIFF only what differs: stored rows VALUES lacks (deleted), rows whose
    numerator or denominator changed (updated by id) and new rows (inserted). Unchanged rows are
    neither rewritten nor locked, and a rerun with no new facts reads the table once and writes nothing.
    """
    stored = stored or _stored_rows(indicator_ids, set(), None)
    cursor.execute(f"DROP TABLE IF EXISTS {DIFF}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {DIFF} (value_id bigint NULL, indicator_id bigint NULL, org_unit_id bigint NULL, "
        "person_id bigint NULL, period varchar(8) NULL, period_start date NULL, numerator numeric(24, 4) NULL, "
        "denominator numeric(24, 4) NULL, value numeric(24, 4) NULL)"
    )
    for subject, other in (("org_unit_id", "person_id"), ("person_id", "org_unit_id")):
        key = _join_key("v.indicator_id", f"v.{subject}", "v.period_start")
        cursor.execute(
            f"""
            INSERT INTO {DIFF}
            SELECT v.id, n.indicator_id, n.org_unit_id, n.person_id, n.period, n.period_start,
                   n.numerator, n.denominator, n.value
            FROM (
                SELECT id, indicator_id, {subject}, period, period_start, numerator, denominator
                FROM {TARGET} WHERE {stored} AND {other} IS NULL
            ) v
            FULL JOIN (SELECT * FROM {VALUES} WHERE {subject} IS NOT NULL) n
              ON n.join_key = {key} AND n.indicator_id = v.indicator_id AND n.{subject} = v.{subject}
             AND n.period = v.period AND n.period_start = v.period_start
            WHERE v.id IS NULL OR n.indicator_id IS NULL
               OR v.numerator <> n.numerator OR v.denominator <> n.denominator
            """
        )
    counts = {
        "deleted": _execute(
            cursor, f"DELETE FROM {TARGET} t USING {DIFF} d WHERE d.indicator_id IS NULL AND t.id = d.value_id"
        ),
        "updated": _execute(
            cursor,
            f"""
            UPDATE {TARGET} t
            SET numerator = d.numerator, denominator = d.denominator, value = d.value, computed_at = %s
            FROM {DIFF} d WHERE d.indicator_id IS NOT NULL AND t.id = d.value_id
            """,
            (now,),
        ),
        "inserted": _execute(
            cursor,
            f"""
            INSERT INTO {TARGET} (indicator_id, org_unit_id, person_id, period, period_start, numerator,
                                  denominator, value, computed_at)
            SELECT d.indicator_id, d.org_unit_id, d.person_id, d.period, d.period_start, d.numerator,
                   d.denominator, d.value, %s
            FROM {DIFF} d WHERE d.value_id IS NULL
            ORDER BY d.indicator_id, d.period, d.org_unit_id, d.person_id, d.period_start  -- the unique keys' order
            """,
            (now,),
        ),
    }
    cursor.execute(f"DROP TABLE IF EXISTS {DIFF}")
    return counts


def _write_values_generic(cursor, indicator_ids: list[int], now, stored: str | None = None) -> dict:
    """SQLite: the same outcome as the PostgreSQL writer, with one statement per action and subject.

    Per subject (units, people): delete rows VALUES lacks, rewrite rows whose numerator or
    denominator changed, insert the missing ones. Unchanged rows are not touched.
    """
    for subject in ("org_unit_id", "person_id"):
        cursor.execute(f"CREATE INDEX {VALUES}_{subject} ON {VALUES} (indicator_id, {subject}, period, period_start)")
    stored = stored or _stored_rows(indicator_ids, set(), None, alias="v")
    counts = {"deleted": 0, "updated": 0, "inserted": 0}
    columns = "indicator_id, org_unit_id, person_id, period, period_start, numerator, denominator, value"
    for subject in ("org_unit_id", "person_id"):
        same = (
            f"n.indicator_id = v.indicator_id AND n.{subject} = v.{subject} "
            "AND n.period = v.period AND n.period_start = v.period_start"
        )
        counts["deleted"] += _execute(
            cursor,
            f"""
            DELETE FROM {TARGET} AS v
            WHERE {stored} AND v.{subject} IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM {VALUES} n WHERE {same})
            """,
        )
        counts["updated"] += _execute(
            cursor,
            f"""
            UPDATE {TARGET} AS v
            SET numerator = n.numerator, denominator = n.denominator, value = n.value, computed_at = %s
            FROM {VALUES} n
            WHERE {same} AND (v.numerator <> n.numerator OR v.denominator <> n.denominator)
            """,
            (now,),
        )
        counts["inserted"] += _execute(
            cursor,
            f"""
            INSERT INTO {TARGET} ({columns}, computed_at)
            SELECT {", ".join(f"n.{column}" for column in columns.split(", "))}, %s
            FROM {VALUES} n
            WHERE n.{subject} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {TARGET} v WHERE {same})
            """,
            (now,),
        )
    return counts


def values_recompute(*, indicators: list[Indicator], now=None, progress=None, years=None, tables=None) -> dict:
    """Recompute the values of ``indicators`` for every unit and person, month, quarter and year.

    ``years``: recompute only these calendar years of the additive indicators (an incremental run after
    uploads; the facts dated in those years are read, and only value rows of those years are compared and
    rewritten; an empty set skips them). The same for custom indicators that accept a window (repeat
    purchase); other custom and hand-entered indicators are always recomputed whole: they are cheap, and what
    they read (match scores) changes without a dated fact. None: everything.
    ``tables`` (with ``years``): only those windowed indicators whose statements read one of these fact
    tables are redone (an upload of leads leaves the usage indicators alone); None: every one.

    Returns ``{"indicators": {code: {"rows", "seconds"} or {"skipped"}}, "rows", "deleted",
    "updated", "inserted", "written", "analyzed", "phases"}`` (phases: seconds per stage).
    """
    now = now or timezone.now()
    report: dict = {"indicators": {}, "analyzed": [], "phases": {}, "years": None if years is None else sorted(years)}
    window = None if years is None else year_windows(years)
    windowed: set[int] = set()
    phases = report["phases"]
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        work_mem = _raise_work_mem(cursor)
        _create_scratch(cursor)
        planned = []
        for indicator in indicators:
            if indicator.source == IndicatorSource.MANUAL:
                planned.append((indicator, None, []))
                continue
            computation = _COMPUTATIONS.get(indicator.code)
            if computation is None:
                report["indicators"][indicator.code] = {"skipped": "no computation registered"}
                continue
            if window is not None and (isinstance(computation, Additive) or getattr(computation, "windowed", False)):
                if not window:
                    report["indicators"][indicator.code] = {"skipped": "no stale year"}
                    continue
                statements = computation.base_statements(window)
                if tables is not None and not (_tables_read(statements) & set(tables)):
                    report["indicators"][indicator.code] = {"skipped": "no stale fact table"}
                    continue
                windowed.add(indicator.pk)
            else:
                statements = computation.base_statements()
            planned.append((indicator, computation, statements))
        tables = {CLOSURE, TARGET, "performance_manualindicatorvalue"}
        for _indicator, _computation, statements in planned:
            tables |= _tables_read(statements)
        report["analyzed"] += _analyze_stale(cursor, tables)
        phases["analyze_before"] = round(time.perf_counter() - began, 3)

        for index, (indicator, computation, statements) in enumerate(planned):
            indicator_began = time.perf_counter()
            if computation is None:
                _manual_values(cursor, indicator.pk)
            else:
                cursor.execute(f"{'TRUNCATE' if _vendor() == 'postgresql' else 'DELETE FROM'} {BASE}")
                for sql, params in statements:
                    cursor.execute(sql, params)
                _roll_up(cursor, indicator.pk, computation)
            report["indicators"][indicator.code] = {"seconds": round(time.perf_counter() - indicator_began, 3)}
            if progress is not None:
                progress((index + 1) / max(len(planned), 1))
        phases["compute"] = round(time.perf_counter() - began - phases["analyze_before"], 3)

        stage = time.perf_counter()
        cursor.execute(f"SELECT indicator_id, COUNT(*) FROM {VALUES} GROUP BY indicator_id")
        rows = dict(cursor.fetchall())
        for indicator, _computation, _statements in planned:
            report["indicators"][indicator.code]["rows"] = rows.get(indicator.pk, 0)
        report["rows"] = sum(rows.values())
        if _vendor() == "postgresql":
            cursor.execute(f"ANALYZE {VALUES}")
        phases["analyze_scratch"] = round(time.perf_counter() - stage, 3)

        stage = time.perf_counter()
        ids = [indicator.pk for indicator, _computation, _statements in planned]
        estimate = _estimated_rows(cursor, TARGET) if _vendor() == "postgresql" else 0.0
        if _vendor() == "postgresql":
            counts = _write_values_postgresql(cursor, ids, now, _stored_rows(ids, windowed, window)) if ids else None
        else:
            counts = _write_values_generic(cursor, ids, now, _stored_rows(ids, windowed, window, "v")) if ids else None
        counts = counts or {"deleted": 0, "updated": 0, "inserted": 0}
        report.update(counts)
        report["written"] = counts["updated"] + counts["inserted"]
        phases["write"] = round(time.perf_counter() - stage, 3)

        stage = time.perf_counter()
        changed = counts["deleted"] + counts["updated"] + counts["inserted"]
        if _vendor() == "postgresql" and changed > STALE_SHARE * estimate + STALE_MIN_ROWS:
            # Later statements (the API's, the next recompute's) must not plan with the old row count.
            cursor.execute(f"ANALYZE {TARGET}")
            report["analyzed"].append(TARGET)
        phases["analyze_after"] = round(time.perf_counter() - stage, 3)
        _drop_scratch(cursor)
        _restore_work_mem(cursor, work_mem)
        Indicator.objects.filter(pk__in=ids).update(last_computed_at=now)
    report["seconds"] = round(time.perf_counter() - began, 3)
    return report


def indicator_recompute(*, indicator: Indicator, now=None) -> dict:
    """Recompute one indicator's values for every unit and person, month, quarter and year."""
    report = values_recompute(indicators=[indicator], now=now)
    outcome = dict(report["indicators"].get(indicator.code, {}))
    if "skipped" not in outcome:
        outcome.update({key: report[key] for key in ("written", "deleted")})
        outcome["seconds"] = report["seconds"]
    return outcome


def indicator_values_recompute(*, codes: list[str] | None = None, progress=None) -> dict:
    """Recompute all indicators (or the named ones); per indicator its row count and seconds."""
    indicators = list(Indicator.objects.all() if codes is None else Indicator.objects.filter(code__in=codes))
    return values_recompute(indicators=indicators, progress=progress)["indicators"]


def recompute_plan(job: Job | None = None) -> tuple[str, PendingMarks]:
    """Whether this run rebuilds everything ("full"), only the marked years ("incremental") or only the
    non-additive indicators ("none": nothing marked).

    Full when asked for (the job's ``full`` parameter), on the weekly full-rebuild day (settings
    NIGHTLY_FULL_WEEKDAY, a safety net for edits made past the services, e.g. in the admin), when a mark
    covers every year, or when some computed indicator was never computed.
    """
    marks = pending_marks()
    params = getattr(job, "params", None) or {}
    weekly = getattr(settings, "NIGHTLY_FULL_WEEKDAY", None)
    weekly_due = getattr(job, "trigger", "") == "nightly" and timezone.localdate().weekday() == weekly
    if (
        params.get("full")
        or weekly_due
        or marks.years is None
        or Indicator.objects.filter(source=IndicatorSource.BUILTIN, last_computed_at__isnull=True).exists()
    ):
        return "full", marks
    return ("incremental" if marks.years else "none"), marks


def _indicator_parts(job: Job) -> list[str]:
    """Fan-out: decide the plan once for the whole run (stored on the job), one part per indicator."""
    mode, marks = recompute_plan(job)
    plan = {
        "mode": mode,
        "years": None if mode == "full" else sorted(marks.years or ()),
        "tables": None if mode == "full" or marks.tables is None else sorted(marks.tables),
        "last_mark": marks.last_id,
    }
    job.params = {**(job.params or {}), "indicator_plan": plan}
    Job.objects.filter(pk=job.pk).update(params=job.params)
    return list(Indicator.objects.order_by("sort_order", "code").values_list("code", flat=True))


def _indicator_part(job: Job, code: str) -> dict:
    """One indicator's values under the run's plan, in the part's own transaction."""
    plan = job.params["indicator_plan"]
    years = None if plan["years"] is None else frozenset(plan["years"])
    tables = None if plan.get("tables") is None else frozenset(plan["tables"])
    report = values_recompute(indicators=list(Indicator.objects.filter(code=code)), years=years, tables=tables)
    outcome = report["indicators"].get(code, {})
    return {
        "rows": report.get("rows", 0),
        "written": report.get("written", 0),
        "deleted": report.get("deleted", 0),
        "skipped": outcome.get("skipped", ""),
    }


def _indicator_finish(job: Job, tasks: list) -> dict:
    """After every indicator: consume the marks the plan read; sum up the parts."""
    plan = job.params["indicator_plan"]
    marks_consume(PendingMarks(plan["last_mark"], None))
    return {
        "mode": plan["mode"],
        "years": plan["years"],
        "tables": plan.get("tables"),
        "indicators": len(tasks),
        "skipped": sorted(task.key for task in tasks if task.result.get("skipped")),
        "rows": sum(task.result.get("rows", 0) for task in tasks),
        "written": sum(task.result.get("written", 0) for task in tasks),
        "deleted": sum(task.result.get("deleted", 0) for task in tasks),
        "workers": sorted({task.worker for task in tasks}),
    }


@nightly_step(
    "indicator_values",
    label=_("Indicator values"),
    order=20,
    parts=_indicator_parts,
    run_part=_indicator_part,
    finish=_indicator_finish,
)
def indicator_values_step(job: Job | None = None) -> dict:
    """Nightly step: indicator values from the facts; only the years marked stale unless a full rebuild is due.

    The marks read at the start are deleted in the step's transaction: a failed or killed run keeps them.
    """
    mode, marks = recompute_plan(job)
    years = None if mode == "full" else (marks.years or frozenset())
    tables = None if mode == "full" else marks.tables
    report = values_recompute(indicators=list(Indicator.objects.all()), years=years, tables=tables)
    marks_consume(marks)
    return {
        "mode": mode,
        "years": report["years"],
        "tables": None if tables is None else sorted(tables),
        "skipped": sorted(code for code, outcome in report["indicators"].items() if "skipped" in outcome),
        "indicators": len(report["indicators"]),
        "rows": report["rows"],
        "written": report["written"],
        "deleted": report["deleted"],
        "analyzed": report["analyzed"],
        "phases": report["phases"],
    }
