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
inserted and rows whose facts disappeared are deleted. Running it twice gives the
same rows and writes nothing the second time. Works on PostgreSQL and SQLite (the
SQL differs in date functions and in the writer).

value = numerator / denominator × scale (scale 100 for percentages and NPS);
null where the denominator is 0.

The modules: ``dialect`` (SQL per database vendor, literals of choice values), ``computations`` (Additive,
Custom, the month → quarter/year roll-up), ``builtins`` (the performance app's declarations; other apps
declare theirs in ``<app>/indicators.py``, performance.indicators), ``rollup`` (scratch tables, units through
the closure, people by owner), ``writers`` (the PostgreSQL and the generic writer), ``pipeline`` (a recompute)
and ``nightly`` (the nightly step and its plan).
"""

from ..indicators import registered_computations
from . import builtins  # noqa: E402, F401, I001  (registers the performance app's declarations)
from .computations import BASE, INSERT_BASE, Additive, Computation, Custom, case_one, month_roll_up, tables_read
from .dialect import days_between, literal, literals, month_start, period_start, period_start_of_month
from .nightly import indicator_values_step, recompute_plan
from .pipeline import WORK_MEM, indicator_recompute, indicator_values_recompute, values_recompute, year_windows
from .rollup import CLOSURE, TARGET, VALUES

_tables_read = tables_read  # the name tests and callers used before the engine was a package

__all__ = [
    "BASE",
    "CLOSURE",
    "INSERT_BASE",
    "TARGET",
    "VALUES",
    "WORK_MEM",
    "Additive",
    "Computation",
    "Custom",
    "case_one",
    "days_between",
    "indicator_recompute",
    "indicator_values_recompute",
    "indicator_values_step",
    "literal",
    "literals",
    "month_roll_up",
    "month_start",
    "period_start",
    "period_start_of_month",
    "recompute_plan",
    "registered_computations",
    "tables_read",
    "values_recompute",
    "year_windows",
]
