"""The values writers: bring the values table in line with VALUES, rewriting only what changed.

Rows VALUES lacks are deleted, rows whose numerator or denominator changed are updated, new ones inserted; an
unchanged value is neither rewritten nor locked. PostgreSQL: one hash full join per subject kind finds the
differences (DIFF), then one DELETE, UPDATE and INSERT by id. SQLite (small data, ``make run``) and any other
vendor: one anti-join or join per action and subject kind, through indexes on VALUES.
"""

from __future__ import annotations

from .dialect import date_literal
from .rollup import DIFF, TARGET, VALUES, join_key


def execute(cursor, sql: str, params: tuple = ()) -> int:
    cursor.execute(sql, params)
    return cursor.rowcount


def stored_rows(indicator_ids: list[int], windowed: set[int], window, alias: str = "") -> str:
    """SQL condition on the values table: the rows a run replaces (windowed indicators: only inside the window)."""
    column = f"{alias}." if alias else ""
    full = [pk for pk in indicator_ids if pk not in windowed]
    parts = []
    if full:
        parts.append(f"{column}indicator_id IN ({', '.join(str(int(pk)) for pk in full)})")
    if windowed and window:
        ranges = " OR ".join(
            f"({column}period_start >= {date_literal(start)} AND {column}period_start < {date_literal(end)})"
            for start, end in window
        )
        ids = ", ".join(str(int(pk)) for pk in sorted(windowed))
        parts.append(f"({column}indicator_id IN ({ids}) AND ({ranges}))")
    return "(" + " OR ".join(parts) + ")" if parts else "(1 = 0)"


def write_values_postgresql(cursor, indicator_ids: list[int], now, stored: str | None = None) -> dict:
    """Bring the values table of ``indicator_ids`` in line with VALUES; rows deleted, updated, inserted.

    A hash full join per subject kind of the stored rows with VALUES on the key (indicator,
    unit or person, period, start) collects into DIFF only what differs: stored rows VALUES lacks (deleted), rows whose
    numerator or denominator changed (updated by id) and new rows (inserted). Unchanged rows are
    neither rewritten nor locked, and a rerun with no new facts reads the table once and writes nothing.
    """
    stored = stored or stored_rows(indicator_ids, set(), None)
    cursor.execute(f"DROP TABLE IF EXISTS {DIFF}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {DIFF} (value_id bigint NULL, indicator_id bigint NULL, org_unit_id bigint NULL, "
        "person_id bigint NULL, period varchar(8) NULL, period_start date NULL, numerator numeric(24, 4) NULL, "
        "denominator numeric(24, 4) NULL, value numeric(24, 4) NULL)"
    )
    for subject, other in (("org_unit_id", "person_id"), ("person_id", "org_unit_id")):
        key = join_key("v.indicator_id", f"v.{subject}", "v.period_start")
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
        "deleted": execute(
            cursor, f"DELETE FROM {TARGET} t USING {DIFF} d WHERE d.indicator_id IS NULL AND t.id = d.value_id"
        ),
        "updated": execute(
            cursor,
            f"""
            UPDATE {TARGET} t
            SET numerator = d.numerator, denominator = d.denominator, value = d.value, computed_at = %s
            FROM {DIFF} d WHERE d.indicator_id IS NOT NULL AND t.id = d.value_id
            """,
            (now,),
        ),
        "inserted": execute(
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


def write_values_generic(cursor, indicator_ids: list[int], now, stored: str | None = None) -> dict:
    """SQLite: the same outcome as the PostgreSQL writer, with one statement per action and subject.

    Per subject (units, people): delete rows VALUES lacks, rewrite rows whose numerator or
    denominator changed, insert the missing ones. Unchanged rows are not touched.
    """
    for subject in ("org_unit_id", "person_id"):
        cursor.execute(f"CREATE INDEX {VALUES}_{subject} ON {VALUES} (indicator_id, {subject}, period, period_start)")
    stored = stored or stored_rows(indicator_ids, set(), None, alias="v")
    counts = {"deleted": 0, "updated": 0, "inserted": 0}
    columns = "indicator_id, org_unit_id, person_id, period, period_start, numerator, denominator, value"
    for subject in ("org_unit_id", "person_id"):
        same = (
            f"n.indicator_id = v.indicator_id AND n.{subject} = v.{subject} "
            "AND n.period = v.period AND n.period_start = v.period_start"
        )
        counts["deleted"] += execute(
            cursor,
            f"""
            DELETE FROM {TARGET} AS v
            WHERE {stored} AND v.{subject} IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM {VALUES} n WHERE {same})
            """,
        )
        counts["updated"] += execute(
            cursor,
            f"""
            UPDATE {TARGET} AS v
            SET numerator = n.numerator, denominator = n.denominator, value = n.value, computed_at = %s
            FROM {VALUES} n
            WHERE {same} AND (v.numerator <> n.numerator OR v.denominator <> n.denominator)
            """,
            (now,),
        )
        counts["inserted"] += execute(
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
