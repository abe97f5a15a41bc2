"""Built-in indicators: one declaration each, beside its computation, in the app that computes it.

A declaration (:class:`BuiltinIndicator`) holds what the library stores (names and definitions in both
languages, formula, category, unit, direction, leading/lagging, review cycle, departments, the position in the
library) and how the engine computes it (an ``Additive`` or ``Custom`` computation, performance.engine). Apps
declare theirs with :func:`builtin_indicator` in a module their ``apps.py`` imports (performance:
``performance.engine.builtins``; talent, enablement, rollout: ``<app>/indicators.py``); the declarations
collect in ``org.platform.INDICATORS``. The library sync (performance.library, post_migrate) writes the
Indicator rows from them, the engine reads their computations, and the system checks in performance.checks
fail ``manage.py check`` when a declaration has no computation, names a value the library does not know,
shares its position, or reads a fact table whose writes leave no recompute marks.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from org import platform

from .choices import Direction, IndicatorSource

if TYPE_CHECKING:  # the engine imports this module: its types are imported where they are used
    from .engine.computations import Computation


@dataclass(frozen=True)
class BuiltinIndicator:
    """One built-in indicator of the library (DESIGN.md section 5) and how it is computed."""

    code: str
    order: int  # position in the library (Indicator.sort_order)
    name_en: str
    name_zh: str
    definition_en: str
    definition_zh: str
    formula: str
    category: str
    unit: str
    timing: str
    review_cycle: str
    departments: tuple[str, ...]
    computation: Computation | None
    direction: str = Direction.HIGHER
    module: str = field(default="", compare=False)  # where it is declared (named by the system checks)

    def library_fields(self) -> dict:
        """The Indicator row's fields as the library sync writes them."""
        return {
            "code": self.code,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "category": self.category,
            "unit": self.unit,
            "direction": self.direction,
            "timing": self.timing,
            "review_cycle": self.review_cycle,
            "departments": list(self.departments),
            "formula": self.formula,
            "definition_en": self.definition_en,
            "definition_zh": self.definition_zh,
            "source": IndicatorSource.BUILTIN,
            "sort_order": self.order,
        }


def builtin_indicator(**fields) -> BuiltinIndicator:
    """Declare a built-in indicator (keyword arguments: the fields of BuiltinIndicator); a code declares once."""
    fields.setdefault("module", sys._getframe(1).f_globals.get("__name__", ""))
    fields["departments"] = tuple(fields.get("departments", ()))
    declaration = BuiltinIndicator(**fields)
    return platform.INDICATORS.add(declaration.code, declaration)


def builtin_indicators() -> list[BuiltinIndicator]:
    """Every declaration, in library order."""
    return sorted(platform.INDICATORS.values(), key=lambda declaration: (declaration.order, declaration.code))


def registered_computations() -> dict[str, Computation]:
    """Indicator code → its computation, in library order (declarations without one left out)."""
    from .engine.computations import Additive, Custom

    return {
        declaration.code: declaration.computation
        for declaration in builtin_indicators()
        if isinstance(declaration.computation, Additive | Custom)
    }
