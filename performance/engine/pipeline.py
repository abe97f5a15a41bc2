"""A recompute: every indicator's base rows, rolled up into VALUES, then written in one pass, in one transaction.

Per indicator, its computation fills BASE, and its unit and person rows go to VALUES (one scratch table for
all the indicators of the run); then the values table is brought in line with VALUES (writers.py). Running it
twice gives the same rows and writes nothing the second time.

PostgreSQL plans those joins from its statistics. After a bulk load or a flush they can be
badly stale (a values table that "has 0 rows" but really has a million turns the anti-join
into a nested loop: quadratic), so the engine refreshes them itself: the tables it reads or
writes are analyzed when more of them changed since their last ANALYZE than autovacuum would
tolerate, the scratch table always, and the values table again after a large write.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction
from django.utils import timezone

from ..choices import IndicatorSource
from ..indicators import registered_computations
from ..models import Indicator
from . import rollup, writers
from .computations import BASE, tables_read
from .dialect import truncate, vendor
from .rollup import CLOSURE, MANUAL, TARGET, VALUES

# A table's statistics are stale when more rows than this share of it (plus the minimum) were
# inserted, updated or deleted since its last ANALYZE: autovacuum's own default threshold.
STALE_SHARE = 0.1
STALE_MIN_ROWS = 1000

# Memory for one sort or hash of the recompute (PostgreSQL): the default 4 MB spills the
# aggregates and the values join to disk at the large scale. Raised for the recompute's
# transaction only, never lowered.
WORK_MEM = "256MB"


def _analyze_stale(cursor, tables: set[str]) -> list[str]:
    """PostgreSQL: ANALYZE those of ``tables`` whose statistics are stale; returns their names.

    Stale: more rows inserted, updated or deleted since the last ANALYZE than STALE_SHARE of
    the rows it counted plus STALE_MIN_ROWS (a table never analyzed counts every row it got).
    The counters only see committed work, which is what a bulk load before the recompute is.
    """
    if vendor() != "postgresql" or not tables:
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


def _raise_work_mem(cursor) -> str | None:
    """PostgreSQL: raise work_mem to WORK_MEM for this transaction; returns the value to restore."""
    if vendor() != "postgresql":
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


def _plan(indicators: list[Indicator], window, tables, report: dict) -> tuple[list, set[int]]:
    """Per indicator: (indicator, computation or None for hand-entered ones, statements); and the windowed ids."""
    computations = registered_computations()
    planned, windowed = [], set()
    for indicator in indicators:
        if indicator.source == IndicatorSource.MANUAL:
            planned.append((indicator, None, []))
            continue
        computation = computations.get(indicator.code)
        if computation is None:
            report["indicators"][indicator.code] = {"skipped": "no computation registered"}
            continue
        if window is not None and computation.incremental:
            if not window:
                report["indicators"][indicator.code] = {"skipped": "no stale year"}
                continue
            statements = computation.base_statements(window)
            if tables is not None and not (tables_read(statements) & set(tables)):
                report["indicators"][indicator.code] = {"skipped": "no stale fact table"}
                continue
            windowed.add(indicator.pk)
        else:
            statements = computation.base_statements()
        planned.append((indicator, computation, statements))
    return planned, windowed


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
    phases = report["phases"]
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        work_mem = _raise_work_mem(cursor)
        rollup.create_scratch(cursor)
        planned, windowed = _plan(indicators, window, tables, report)
        read = {CLOSURE, TARGET, MANUAL}
        for _indicator, _computation, statements in planned:
            read |= tables_read(statements)
        report["analyzed"] += _analyze_stale(cursor, read)
        phases["analyze_before"] = round(time.perf_counter() - began, 3)

        for index, (indicator, computation, statements) in enumerate(planned):
            indicator_began = time.perf_counter()
            if computation is None:
                rollup.manual_values(cursor, indicator.pk)
            else:
                cursor.execute(truncate(BASE))
                for sql, params in statements:
                    cursor.execute(sql, params)
                rollup.roll_up(cursor, indicator.pk, computation)
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
        if vendor() == "postgresql":
            cursor.execute(f"ANALYZE {VALUES}")
        phases["analyze_scratch"] = round(time.perf_counter() - stage, 3)

        stage = time.perf_counter()
        ids = [indicator.pk for indicator, _computation, _statements in planned]
        estimate = _estimated_rows(cursor, TARGET) if vendor() == "postgresql" else 0.0
        counts = None
        if ids and vendor() == "postgresql":
            counts = writers.write_values_postgresql(cursor, ids, now, writers.stored_rows(ids, windowed, window))
        elif ids:
            counts = writers.write_values_generic(cursor, ids, now, writers.stored_rows(ids, windowed, window, "v"))
        counts = counts or {"deleted": 0, "updated": 0, "inserted": 0}
        report.update(counts)
        report["written"] = counts["updated"] + counts["inserted"]
        phases["write"] = round(time.perf_counter() - stage, 3)

        stage = time.perf_counter()
        changed = counts["deleted"] + counts["updated"] + counts["inserted"]
        if vendor() == "postgresql" and changed > STALE_SHARE * estimate + STALE_MIN_ROWS:
            # Later statements (the API's, the next recompute's) must not plan with the old row count.
            cursor.execute(f"ANALYZE {TARGET}")
            report["analyzed"].append(TARGET)
        phases["analyze_after"] = round(time.perf_counter() - stage, 3)
        rollup.drop_scratch(cursor)
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
