"""A registry of per-unit measures that one app computes and another reads, without importing each other.

Apps of the same layer (diagnosis, talent, enablement) must not import one another (DESIGN.md section 3).
When one needs a figure the other owns (the diagnosis radar's "readiness" part comes from enablement), the
owner registers a function here under a code and the reader looks it up; a missing code means "no data".

A measure takes a list of org unit ids (None: every unit) and a day, and answers
``{unit id: (numerator, denominator)}`` over each unit's whole subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from . import platform

UnitMeasure = Callable[[list[int] | None, dt.date], dict[int, tuple[float, float]]]

_MEASURES = platform.UNIT_MEASURES  # code -> UnitMeasure


def register_unit_measure(code: str) -> Callable[[UnitMeasure], UnitMeasure]:
    """Decorator: make ``function`` the measure named ``code``."""

    def decorate(function: UnitMeasure) -> UnitMeasure:
        _MEASURES.add(code, function, replace=True)
        return function

    return decorate


def unit_measure(code: str) -> UnitMeasure | None:
    """The measure registered under ``code``, or None."""
    return _MEASURES.get(code)
