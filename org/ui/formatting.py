"""Values as a person reads them: one place, so that a number reads the same in every table, card, chart, export
and generated sentence.

``format_value(value, unit)`` is the entry point: grouped digits with the active language's separators,
decimals by unit (``DECIMALS``), " %" after percentages, the currency before money, "–" for a missing value.
Units are the codes of ``performance.choices.IndicatorUnit`` (org cannot import performance, so they are spelt
here; a test keeps the two lists equal). The helpers below it format one kind of value with the same rules:

- ``format_number``: exactly n places, rounded half up (``format_decimal``: as many places as the value has,
  at most n, for entered figures such as weights and rates);
- ``format_percent``: a value stored 0-100; ``format_share``: a fraction 0-1 shown as a percentage;
- ``format_money``: the deployment's currency (``settings.CURRENCY``, an ISO 4217 code) before the amount,
  its symbol where it has a known one ("¥1,234", "$1,234"), else the code ("CHF 1,234"); a minus sign goes in
  front of it ("-¥5"). Whole units on dashboards, cents where the cents are paid (``CENTS``).

Every helper goes through ``Decimal.quantize`` and Django's ``number_format``, so no value ever reads in
scientific notation (``Decimal("6E+1")`` reads "60"). Digits are grouped by three with "," in both languages
(Chinese business text does the same; Django's own zh-Hans format leaves them ungrouped, so
``acquisition_hr/formats/zh_Hans/formats.py`` overrides it). ``d3_format`` gives plotly the same rule for chart
axes and hovers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import get_format, number_format

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
# Places of money that is paid out (payouts, commissions): to the cent.
CENTS = 2

# What a missing value prints as.
MISSING = "–"

# Symbols of the currencies a deployment is likely to run in; any other code prints as the code and a space.
CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}

Number = Decimal | float | int


def decimals_for(unit: str | None) -> int:
    """The decimal places a unit is shown with."""
    return DECIMALS.get(unit, DEFAULT_DECIMALS)


def _grouped(value: Decimal, places: int) -> str:
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _decimal(value) -> Decimal | None:
    """``value`` as a Decimal (floats at their exact binary value, numpy scalars too); None if not finite."""
    if not isinstance(value, Decimal):
        value = Decimal(float(value)) if not isinstance(value, int) else Decimal(value)
    return value if value.is_finite() else None


def format_number(value: Number | None, *, decimals: int) -> str:
    """Grouped digits with the active language's separators and exactly ``decimals`` places, rounded half up.

    Django's ``number_format`` truncates, so the value is rounded first (66.66667 with 1 place reads 66.7).
    A float is taken at its exact binary value, as ``Decimal(float)`` does.
    """
    value = None if value is None else _decimal(value)
    if value is None:
        return MISSING
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # never "-0.0"
    return _grouped(rounded, decimals)


def _own_places(value: Number, max_decimals: int) -> int:
    value = _decimal(value)
    if value is None:
        return 0
    rounded = value.quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    return max(0, -rounded.normalize().as_tuple().exponent)


def format_decimal(value: Number | None, *, max_decimals: int = 4) -> str:
    """A figure someone entered, with the places it has (at most ``max_decimals``): 60 reads "60", 2.50 "2.5"."""
    if value is None:
        return MISSING
    return format_number(value, decimals=_own_places(value, max_decimals))


def format_significant(value: Number | None, *, digits: int = 3) -> str:
    """A measured figure to about ``digits`` significant digits, never in exponent form: 12345.6 reads "12,346",
    3.14159 "3.14", 0.012345 "0.0123"."""
    value = None if value is None else _decimal(value)
    if value is None:
        return MISSING
    if value.is_zero():
        return format_number(value, decimals=0)
    return format_number(value, decimals=max(0, digits - 1 - value.copy_abs().adjusted()))


def format_percent(value: Number | None, *, decimals: int | None = None, entered: bool = False) -> str:
    """A percentage stored 0-100, e.g. "12.5 %"; ``entered``: a rate someone set, with its own places ("2.25 %")."""
    if value is None:
        return MISSING
    if entered:
        decimals = _own_places(value, 4)
    digits = format_number(value, decimals=decimals_for(PERCENT) if decimals is None else decimals)
    return MISSING if digits == MISSING else f"{digits} %"


def format_share(value: Number | None, *, decimals: int = 0) -> str:
    """A fraction 0-1 as a percentage: 0.25 reads "25 %"."""
    value = None if value is None else _decimal(value)
    if value is None:
        return MISSING
    return format_percent(value * 100, decimals=decimals)


def currency_symbol(code: str | None = None) -> str:
    """What goes before an amount of the deployment's currency (or of ``code``): "¥", "$", or "CHF "."""
    code = (code or settings.CURRENCY).upper()
    return CURRENCY_SYMBOLS.get(code, f"{code} ")


def format_money(value: Number | None, *, decimals: int | None = None) -> str:
    """An amount of the deployment's currency: "¥345,605", or "¥345,604.81" with ``decimals=CENTS``."""
    if value is None:
        return MISSING
    digits = format_number(value, decimals=decimals_for(MONEY) if decimals is None else decimals)
    if digits == MISSING:
        return MISSING
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    return f"{sign}{currency_symbol()}{digits}"


def format_value(value: Number | None, unit: str | None, *, decimals: int | None = None) -> str:
    """A value of ``unit`` as pages print it; ``decimals`` overrides the unit's places."""
    if unit == PERCENT:
        return format_percent(value, decimals=decimals)
    if unit == MONEY:
        return format_money(value, decimals=decimals)
    return format_number(value, decimals=decimals_for(unit) if decimals is None else decimals)


# --- charts ----------------------------------------------------------------------------------------------


def plotly_separators() -> str:
    """plotly's ``layout.separators`` for the active language: its decimal mark, then its thousands mark."""
    return f"{get_format('DECIMAL_SEPARATOR')}{get_format('THOUSAND_SEPARATOR')}"


def d3_format(unit: str | None, *, decimals: int | None = None) -> tuple[str, str, str]:
    """(prefix, d3 format, suffix) of ``unit`` for plotly, the same rule as ``format_value``.

    The format goes into ``tickformat`` / ``%{y:<format>}``; prefix and suffix around it
    (``tickprefix``/``ticksuffix``, or literal text in a hovertemplate).
    """
    places = decimals_for(unit) if decimals is None else decimals
    spec = f",.{places}f"
    if unit == PERCENT:
        return "", spec, " %"
    if unit == MONEY:
        return currency_symbol(), spec, ""
    return "", spec, ""


def hover_value(unit: str | None, *, axis: str = "y", decimals: int | None = None) -> str:
    """The hovertemplate fragment that prints the point's ``axis`` value of ``unit``: "¥%{y:,.0f}"."""
    prefix, spec, suffix = d3_format(unit, decimals=decimals)
    return f"{prefix}%{{{axis}:{spec}}}{suffix}"


def axis_format(unit: str | None, *, decimals: int | None = None) -> dict:
    """Axis settings of ``unit``: grouped digits, its prefix or suffix, never "1e+6" or "300k"."""
    prefix, spec, suffix = d3_format(unit, decimals=decimals)
    # "~" drops trailing zeros: ticks at round values read "20 %", not "20.0 %".
    return {
        "tickformat": spec[:-1] + "~f",
        "hoverformat": spec,  # hovers print the unit's places; plotly adds the prefix and suffix to them too
        "tickprefix": prefix,
        "ticksuffix": suffix,
        "exponentformat": "none",
    }
