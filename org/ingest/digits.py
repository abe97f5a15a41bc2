"""Numbers, months and dates written as text: with the digits 0-9 only.

Python reads the digits of every script: ``int("٣")`` (an Arabic-Indic three) is 3, and so ``\\d`` in a
pattern, ``Decimal()`` and ``float()`` take them. Nobody checking an upload against a spreadsheet reads
them as numbers, so a number, percentage, score, month or date must use the ASCII digits; any other
digit is a row error saying so. Full-width digits and signs (１２３, ．, －, ＋, ／), which Chinese input
methods type, are read as their ASCII forms, as NFKC normalisation would map them; no other character
is changed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import FieldError

_FULL_WIDTH = {ord("０") + digit: ord("0") + digit for digit in range(10)} | {
    ord(wide): ord(narrow) for wide, narrow in zip("．－＋／ｅＥ", ".-+/eE", strict=True)
}
_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE_RE = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})")
_MONTH_RE = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})")
# int() refuses to read more digits than this (CPython's int_max_str_digits): no bound is that large.
_MAX_INTEGER_DIGITS = 4000


def _other_digits(text: str) -> FieldError:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return FieldError(
        _("“%(value)s” has digits of another script; write numbers and dates with the digits 0-9.") % {"value": shown}
    )


def ascii_digits(text: str) -> str:
    """``text`` with full-width digits and signs as ASCII; FieldError if a digit of another script is left."""
    if text.isascii():
        return text
    narrow = text.translate(_FULL_WIDTH)
    if not narrow.isascii() and any(character.isdigit() for character in narrow):
        raise _other_digits(text)
    return narrow


def integer_from_text(text: str) -> int | None:
    """A whole number in ASCII digits, an optional sign before it; None if the text is not one."""
    text = ascii_digits(text)
    if not _INTEGER_RE.fullmatch(text) or len(text) > _MAX_INTEGER_DIGITS:
        return None
    return int(text)


def decimal_from_text(text: str) -> Decimal | None:
    """A finite decimal in ASCII digits (``12``, ``-0.5``, ``.5``, ``1.5E+3``); None if the text is not one."""
    text = ascii_digits(text)
    if not _DECIMAL_RE.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        return None


def date_from_text(text: str) -> dt.date | None:
    """YYYY-MM-DD (or YYYY/M/D) in ASCII digits; None if the text is not a valid date."""
    text = ascii_digits(text)
    match = _DATE_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def month_from_text(text: str) -> dt.date | None:
    """YYYY-MM (or YYYY/M) in ASCII digits, as the month's first day; None if the text is not a valid month."""
    text = ascii_digits(text)
    match = _MONTH_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def a_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
