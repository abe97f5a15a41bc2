"""Values as a page prints them: one place, so that a number reads the same in every table, card and chart.

``format_value(value, unit)`` is the entry point: grouped digits with the active language's separators,
decimals by unit (``DECIMALS``), " %" after percentages, "–" for a missing value. Units are the codes of
``performance.choices.IndicatorUnit`` (org cannot import performance, so they are spelt here; a test keeps the
two lists equal). The helpers below it format one kind of value with the same rules.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

# Units, as IndicatorUnit stores them.
PERCENT = "percent"
DAYS = "days"
MONEY = "money"
SCORE = "score"
COUNT = "count"
HOURS = "hours"

# Decimal places shown per unit; a unit not listed gets DEFAULT_DECIMALS.
DECIMALS = {PERCENT: 1, DAYS: 1, MONEY: 0, SCORE: 1, COUNT: 0, HOURS: 1}
DEFAULT_DECIMALS = 2

# What a missing value prints as.
MISSING = "–"

Number = Decimal | float | int


def decimals_for(unit: str | None) -> int:
    """The decimal places a unit is shown with."""
    return DECIMALS.get(unit, DEFAULT_DECIMALS)


def format_number(value: Number | None, *, decimals: int) -> str:
    """Grouped digits with the active language's separators and exactly ``decimals`` places, rounded half up.

    Django's ``number_format`` truncates, so the value is rounded first (66.66667 with 1 place reads 66.7).
    A float is taken at its exact binary value, as ``Decimal(float)`` does.
    """
    if value is None:
        return MISSING
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_percent(value: Number | None, *, decimals: int | None = None) -> str:
    """A percentage stored 0-100, e.g. "12.5 %"."""
    if value is None:
        return MISSING
    return f"{format_number(value, decimals=decimals_for(PERCENT) if decimals is None else decimals)} %"


def format_value(value: Number | None, unit: str | None, *, decimals: int | None = None) -> str:
    """A value of ``unit`` as pages print it; ``decimals`` overrides the unit's places."""
    if unit == PERCENT:
        return format_percent(value, decimals=decimals)
    return format_number(value, decimals=decimals_for(unit) if decimals is None else decimals)
