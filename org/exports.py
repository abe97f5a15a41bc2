"""Helpers for files people open in spreadsheet programs."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets ("CSV/formula
# injection"); a text cell that starts so gets a leading apostrophe, which spreadsheets show as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` unchanged, unless it is text a spreadsheet would run as a formula: then quoted as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list:
    """Every cell of ``row`` through :func:`safe_cell`."""
    return [safe_cell(value) for value in row]
