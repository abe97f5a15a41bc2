"""The scratch tables of a recompute and how an indicator's base rows become its unit and person rows.

BASE (computations.py) holds one indicator's base rows at a time; VALUES collects the unit and person rows of
every indicator of the run, with the values table's column types, before the writer compares them with it.
"""

from __future__ import annotations

from org.models import OrgUnitClosure

from ..models import IndicatorValue, ManualIndicatorValue
from .computations import BASE
from .dialect import vendor

# (indicator_id, org_unit_id, person_id, period, period_start, numerator, denominator, value, join_key)
VALUES = "_ind_values"
DIFF = "_ind_diff"  # PostgreSQL: the rows of VALUES and of the values table that differ
TARGET = IndicatorValue._meta.db_table
CLOSURE = OrgUnitClosure._meta.db_table
MANUAL = ManualIndicatorValue._meta.db_table


def create_scratch(cursor) -> None:
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


def drop_scratch(cursor) -> None:
    for name in (BASE, VALUES, DIFF):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _value(scale: int) -> str:
    """value = numerator × scale / denominator; null where the denominator is 0."""
    return f"CASE WHEN g.denominator = 0 THEN NULL ELSE (g.numerator * {int(scale)}) / (g.denominator * 1.0) END"


_INSERT_VALUES = (
    f"INSERT INTO {VALUES} (indicator_id, join_key, org_unit_id, person_id, period, period_start, numerator, "
    "denominator, value)"
)


def join_key(indicator_id: str, subject: str, period_start: str) -> str:
    """PostgreSQL: one bigint standing for (indicator, unit or person, period start); NULL elsewhere.

    The writer joins VALUES with the values table on it (besides the columns themselves): a
    single column with as many distinct values as rows is what lets the planner cost a hash
    join right (it judges a multi-column hash key by its most selective column alone, and
    would otherwise sort both sides for a merge join). Packing: indicator id mod 2^11, subject
    id mod 2^31, days since 2000 mod 2^16; a clash only costs a longer hash chain.
    """
    if vendor() != "postgresql":
        return "NULL"
    # mod() rather than %: the SQL also goes through parameter substitution.
    return (
        f"(mod({indicator_id}, 2048) * 140737488355328 + mod({subject}, 2147483648) * 65536"
        f" + mod(({period_start}) - DATE '2000-01-01', 65536))"
    )


def roll_up(cursor, indicator_id: int, computation) -> None:
    """VALUES from BASE: units through the closure (sums over the subtree), people by owner.

    Units: BASE is first summed per unit and period (owners dropped), so the closure join sees
    a few rows per unit instead of one per owner.
    """
    denominator = "1" if computation.constant_denominator else "SUM(u.denominator)"
    value = _value(computation.scale)
    cursor.execute(
        f"""
        {_INSERT_VALUES}
        SELECT {int(indicator_id)}, {join_key(str(int(indicator_id)), "g.subject", "g.period_start")},
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
        SELECT {int(indicator_id)}, {join_key(str(int(indicator_id)), "g.subject", "g.period_start")},
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


def manual_values(cursor, indicator_id: int) -> None:
    """VALUES from hand-entered values: one unit row per entry (numerator = value, denominator 1)."""
    cursor.execute(
        f"""
        {_INSERT_VALUES}
        SELECT {int(indicator_id)}, {join_key(str(int(indicator_id)), "g.org_unit_id", "g.period_start")},
               g.org_unit_id, NULL, g.period, g.period_start, g.numerator,
               g.denominator, {_value(1)}
        FROM (SELECT org_unit_id, period, period_start, value AS numerator, 1 AS denominator
              FROM {MANUAL} WHERE indicator_id = %s) g
        """,
        (indicator_id,),
    )
