"""SQL snippets that differ between the database vendors (PostgreSQL and SQLite), and SQL literals of constants.

Every function returns SQL text for the connection's vendor. The indicator statements write choice values (a
contract's kind, an opportunity's status, a period kind) through :func:`literal` and :func:`literals` from the
TextChoices, never as hand-typed strings, so renaming a choice changes the SQL with it.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from django.db import connection

from ..choices import PeriodKind


def vendor() -> str:
    return connection.vendor


def literal(value: str) -> str:
    """A string constant (a choice value) as an SQL literal.

    Written into the SQL rather than passed as a parameter where the same expression appears in SELECT and
    GROUP BY: PostgreSQL matches the two as text, and two placeholders are two different expressions.
    """
    text = value.value if isinstance(value, Enum) else value
    if not isinstance(text, str):
        raise TypeError(f"literal() takes a string constant, not {value!r}")
    return "'" + text.replace("'", "''") + "'"


def literals(*values: str) -> str:
    """Several string constants as an SQL list for ``IN (...)``."""
    return ", ".join(literal(value) for value in values)


def date_literal(day: dt.date) -> str:
    """A date constant (PostgreSQL: a typed literal; SQLite stores dates as ISO text)."""
    if vendor() == "postgresql":
        return f"DATE '{day.isoformat()}'"
    return f"'{day.isoformat()}'"


def month_start(expr: str) -> str:
    """The first day of the month of the date ``expr``."""
    if vendor() == "postgresql":
        return f"CAST(date_trunc('month', {expr}) AS date)"
    return f"date({expr}, 'start of month')"


def period_start_of_month(expr: str, kind: str) -> str:
    """The start of the quarter or year containing the month-start date ``expr``."""
    if vendor() == "postgresql":
        return f"CAST(date_trunc('{PeriodKind(kind).value}', {expr}) AS date)"
    if kind == PeriodKind.YEAR:
        return f"date({expr}, 'start of year')"
    return f"date({expr}, '-' || ((CAST(strftime('%m', {expr}) AS integer) - 1) % 3) || ' months')"


def period_start(expr: str, kind: str) -> str:
    """The start of the month, quarter or year containing the date ``expr``."""
    if kind == PeriodKind.MONTH:
        return month_start(expr)
    return period_start_of_month(month_start(expr), kind)


def days_between(later: str, earlier: str) -> str:
    """Whole days from the date ``earlier`` to the date ``later``."""
    if vendor() == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS integer)"


def truncate(table: str) -> str:
    """Empty a (scratch) table."""
    return f"{'TRUNCATE' if vendor() == 'postgresql' else 'DELETE FROM'} {table}"
