"""The indicator library: the departments an indicator is assigned to, and the sync of the built-in rows.

The built-in indicators (DESIGN.md section 5 and the seed's Table 2) are declared one by one beside their
computations (performance.indicators); :func:`builtin_indicators_sync` writes their Indicator rows. Names and
definitions exist in both languages as data (HR leads may edit the definitions, targets and departments of
built-in indicators; formulas are fixed).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .indicators import builtin_indicators

DEPARTMENTS = {
    "marketing": _("Marketing"),
    "sales": _("Sales"),
    "presales": _("Presales"),
    "finance": _("Finance"),
    "customer_success": _("Customer success"),
    "product": _("Product"),
    "delivery": _("Delivery"),
    "hr": _("HR"),
    "all_teams": _("All related teams"),
}

# Fields the library owns; HR leads' edits to definitions, targets and departments are kept.
_FIXED_FIELDS = (
    "name_en",
    "name_zh",
    "category",
    "unit",
    "direction",
    "timing",
    "formula",
    "source",
    "sort_order",
)


@transaction.atomic
def builtin_indicators_sync(**kwargs) -> int:
    """Create missing built-in indicators and refresh their fixed fields from the declarations (post_migrate)."""
    from .models import Indicator

    declarations = builtin_indicators()
    existing = {ind.code: ind for ind in Indicator.objects.filter(code__in=[d.code for d in declarations])}
    created = 0
    for declaration in declarations:
        fields = declaration.library_fields()
        current = existing.get(declaration.code)
        if current is None:
            Indicator.objects.create(**fields)
            created += 1
            continue
        changed = [name for name in _FIXED_FIELDS if getattr(current, name) != fields[name]]
        if changed:
            for name in changed:
                setattr(current, name, fields[name])
            current.save(update_fields=changed)
    return created
