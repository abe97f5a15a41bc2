"""How a built-in indicator is computed: its base rows, grouped by (org unit, owner, period).

A computation writes its facts' numerators and denominators into the scratch table BASE, per org unit, owner
and period (month, quarter, year); the pipeline then rolls units up through the closure table and groups
people by owner. Two kinds:

- :class:`Additive`: numerator and denominator are sums over facts dated in the period (one aggregate by month;
  quarters and years are sums of months, :func:`month_roll_up`);
- :class:`Custom`: the computation's own statements (``repeat_purchase_rate``, whose existing customers are
  fixed at each period's start; ``high_match_candidate_ratio``, whose scores change without a dated fact).

Statements name tables by ``Model._meta.db_table`` and choice values through ``dialect.literal``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..choices import PeriodKind
from .dialect import literal, month_start, period_start_of_month

BASE = "_ind_base"  # (org_unit_id, owner_id, period, period_start, numerator, denominator)
INSERT_BASE = f"INSERT INTO {BASE} (org_unit_id, owner_id, period, period_start, numerator, denominator)"

Window = list[tuple[dt.date, dt.date]]  # half-open date ranges
Statements = list[tuple[str, tuple]]  # (sql, params)


def month_roll_up() -> Statements:
    """Quarter and year base rows as sums of the month rows in BASE (for numerators and denominators that are
    additive over time: every Additive computation, and custom ones whose month rows are such sums)."""
    statements = []
    month = literal(PeriodKind.MONTH)
    for kind in (PeriodKind.QUARTER, PeriodKind.YEAR):
        start = period_start_of_month("period_start", kind)
        statements.append(
            (
                f"""
                {INSERT_BASE}
                SELECT org_unit_id, owner_id, {literal(kind)}, {start}, SUM(numerator), SUM(denominator)
                FROM {BASE} WHERE period = {month}
                GROUP BY org_unit_id, owner_id, {start}
                """,
                (),
            )
        )
    return statements


def case_one(condition: str) -> str:
    """1 where the SQL condition holds, else 0 (a count as a sum)."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


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

    # Only the stale years of an additive indicator are redone after an upload: what it reads must leave marks.
    incremental = True

    def base_statements(self, window: Window | None = None) -> Statements:
        """The SQL filling BASE; with ``window`` (half-open date ranges) only facts dated inside them."""
        month, monthly = month_start(self.date), literal(PeriodKind.MONTH)
        where, params = self.where, self.params
        if window:
            ranges = " OR ".join(f"({self.date} >= %s AND {self.date} < %s)" for _range in window)
            where = f"({where}) AND ({ranges})"
            params = tuple(params) + tuple(day for pair in window for day in pair)
        sql = f"""
            {INSERT_BASE}
            SELECT {self.unit}, {self.owner}, {monthly}, {month}, SUM({self.numerator}), SUM({self.denominator})
            FROM {self.source}
            WHERE {where}
            GROUP BY {self.unit}, {self.owner}, {month}
        """
        return [(sql, params), *month_roll_up()]

    def tables_read(self) -> frozenset[str]:
        return tables_read(self.base_statements())


@dataclass(frozen=True)
class Custom:
    """An indicator whose base rows come from its own statements (one per period kind).

    ``windowed``: ``build`` accepts a window (half-open date ranges) and then only writes periods starting
    inside it, so an incremental run can redo just the stale years; otherwise the indicator is recomputed
    whole on every run. ``reads``: the models whose tables the statements read (``build`` may query the
    database, so the system checks cannot run it; a test compares the two on real data).
    """

    build: Callable[..., Statements]
    scale: int = 1
    constant_denominator: bool = False
    windowed: bool = False
    reads: tuple = ()

    @property
    def incremental(self) -> bool:
        return self.windowed

    def base_statements(self, window: Window | None = None) -> Statements:
        return self.build(window) if self.windowed else self.build()

    def tables_read(self) -> frozenset[str]:
        return frozenset(model._meta.db_table for model in self.reads)


Computation = Additive | Custom

_TABLE_NAME = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def tables_read(statements: Statements) -> frozenset[str]:
    """Names of the permanent tables the statements read (FROM and JOIN clauses; scratch tables left out)."""
    names = set()
    for sql, _params in statements:
        names.update(name.lower() for name in _TABLE_NAME.findall(sql))
    return frozenset(name for name in names if not name.startswith("_"))
