"""System checks over the built-in indicator declarations (``manage.py check`` fails naming the culprit).

They run once every app is loaded, so every app has declared its indicators (performance.indicators) and every
dataset and service has said which fact tables leave recompute marks (``org.platform.MARKED_TABLES``).
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.core.checks import Error, register

from org import platform

from .choices import Direction, IndicatorCategory, IndicatorTiming, IndicatorUnit, PeriodKind
from .engine.computations import Additive, Custom
from .indicators import builtin_indicators
from .library import DEPARTMENTS

_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")  # Indicator.code: a slug of at most 64 characters

_VOCABULARIES = (
    ("category", IndicatorCategory),
    ("unit", IndicatorUnit),
    ("direction", Direction),
    ("timing", IndicatorTiming),
    ("review_cycle", PeriodKind),
)


def _where(declaration) -> str:
    return f" (declared in {declaration.module})" if declaration.module else ""


@register()
def builtin_indicators_have_computations(app_configs=None, **kwargs) -> list[Error]:
    """performance.E001: every declared built-in indicator says how it is computed."""
    return [
        Error(
            f"The built-in indicator {declaration.code}{_where(declaration)} has no computation: a recompute "
            "would skip it and it would never have values.",
            hint="Give its builtin_indicator(...) declaration computation=Additive(...) or Custom(...) "
            "(performance.engine).",
            id="performance.E001",
        )
        for declaration in builtin_indicators()
        if not isinstance(declaration.computation, Additive | Custom)
    ]


@register()
def builtin_indicators_speak_the_library(app_configs=None, **kwargs) -> list[Error]:
    """performance.E002: a declaration uses only codes the library knows.

    The sync writes the declared values without validating them, so an unknown department or choice would be
    stored as is: shown as a raw code on the library page, and an unknown department dropped by the first
    edit of the indicator (performance.services only accepts the departments of performance.library).
    """
    errors = []
    for declaration in builtin_indicators():
        problems = []
        if not _CODE.match(declaration.code):
            problems.append(f"the code {declaration.code!r} is not a slug of at most 64 characters")
        for name, choices in _VOCABULARIES:
            value = getattr(declaration, name)
            if value not in choices.values:
                problems.append(f"{name} {value!r} is not one of {', '.join(choices.values)}")
        unknown = [code for code in declaration.departments if code not in DEPARTMENTS]
        if unknown:
            problems.append(f"the departments {', '.join(map(repr, unknown))} are not in the library's DEPARTMENTS")
        errors += [
            Error(
                f"The built-in indicator {declaration.code}{_where(declaration)}: {problem}.",
                hint="Use the TextChoices of performance.choices and the department codes of "
                "performance.library.DEPARTMENTS (add a new department there first).",
                id="performance.E002",
            )
            for problem in problems
        ]
    return errors


@register()
def builtin_indicator_reads_leave_marks(app_configs=None, **kwargs) -> list[Error]:
    """performance.E003: every fact table an incrementally recomputed indicator reads leaves recompute marks.

    An incremental run redoes only the years (and fact tables) that uploads and services marked stale; a table
    whose writes leave no mark would keep the indicator's old values until the weekly full rebuild. Custom
    computations without a window are recomputed whole on every run and need no marks.
    """
    errors = []
    for declaration in builtin_indicators():
        computation = declaration.computation
        if not isinstance(computation, Additive | Custom) or not computation.incremental:
            continue
        for table in sorted(computation.tables_read() - set(platform.MARKED_TABLES)):
            errors.append(
                Error(
                    f"The built-in indicator {declaration.code}{_where(declaration)} reads {table}, which no "
                    "dataset or service marks for recompute: after a change its values would stay stale until "
                    "the weekly full rebuild.",
                    hint="Track the dataset that uploads it (org.marks.track_dataset), or declare the service "
                    "that writes it with org.marks.marks_table(Model, by=...) and have that service call "
                    "org.marks.recompute_mark.",
                    id="performance.E003",
                )
            )
    return errors


@register()
def builtin_indicators_have_places_of_their_own(app_configs=None, **kwargs) -> list[Error]:
    """performance.E004: two declarations never share a position in the library (Indicator.sort_order)."""
    by_order: dict[int, list[str]] = defaultdict(list)
    for declaration in builtin_indicators():
        by_order[declaration.order].append(declaration.code)
    return [
        Error(
            f"The built-in indicators {', '.join(sorted(codes))} share the position {order} in the library: "
            "pages, exports and the API would list them in an order nobody chose.",
            hint=f"Give each declaration an order of its own (positions in use: 1 to {max(by_order)}).",
            id="performance.E004",
        )
        for order, codes in sorted(by_order.items())
        if len(codes) > 1
    ]
