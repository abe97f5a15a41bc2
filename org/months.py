"""Months and days typed into a URL or a request body (``?to=2026-03``): parsed in one place, within the
years the product works with.

``date(9999, 12, 1)`` parses, but the month after it does not exist, and every window end ("up to and
including this month") needs it: a year outside FIRST_YEAR..LAST_YEAR is therefore refused as bad input
(a 400, or the page's own answer to a bad parameter), never a 500. Digits are ASCII only.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

FIRST_YEAR = 1900
LAST_YEAR = 2999
_DAY_OR_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?", re.ASCII)


class MonthError(ValueError):
    """A month or day that cannot be used; the message says what to send instead."""


def _refuse(text: str, *, month_only: bool) -> MonthError:
    if month_only:
        message = _("Use a month YYYY-MM between %(first)s and %(last)s; got “%(value)s”.")
    else:
        message = _("Use a date YYYY-MM-DD (or a month YYYY-MM) between %(first)s and %(last)s; got “%(value)s”.")
    return MonthError(message % {"first": f"{FIRST_YEAR}-01", "last": f"{LAST_YEAR}-12", "value": text[:40]})


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def parse_day(text: str) -> dt.date:
    """``YYYY-MM-DD`` as that day, ``YYYY-MM`` as the month's first day; MonthError otherwise."""
    match = _DAY_OR_MONTH.fullmatch(text.strip())
    if match is None or not year_in_range(int(match[1])):
        raise _refuse(text, month_only=False)
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        raise _refuse(text, month_only=False) from None


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` (a day ``YYYY-MM-DD`` counts for its month) as the month's first day; MonthError otherwise."""
    try:
        return parse_day(text).replace(day=1)
    except MonthError:
        raise _refuse(text, month_only=True) from None
