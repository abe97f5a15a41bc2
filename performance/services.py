"""Writes of the performance app: the indicator library and hand-entered values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.marks import recompute_mark
from org.models import OrgUnit

from .choices import IndicatorSource, PeriodKind
from .library import DEPARTMENTS
from .models import Indicator, ManualIndicatorValue


def _check_departments(departments: list[str]) -> list[str]:
    unknown = [code for code in departments if code not in DEPARTMENTS]
    if unknown:
        raise ValidationError({"departments": _("Unknown departments: %(codes)s.") % {"codes": ", ".join(unknown)}})
    return list(dict.fromkeys(departments))


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    definition_en: str | None = None,
    definition_zh: str | None = None,
    target: Decimal | None = None,
    departments: list[str] | None = None,
    clear_target: bool = False,
) -> Indicator:
    """Edit what HR leads may change on any indicator: definitions, target and departments."""
    changed = []
    if definition_en is not None:
        indicator.definition_en = definition_en
        changed.append("definition_en")
    if definition_zh is not None:
        indicator.definition_zh = definition_zh
        changed.append("definition_zh")
    if target is not None or clear_target:
        indicator.target = None if clear_target else target
        changed.append("target")
    if departments is not None:
        indicator.departments = _check_departments(departments)
        changed.append("departments")
    indicator.full_clean()
    if changed:
        indicator.save(update_fields=[*changed, "updated_at"])
    return indicator


@transaction.atomic
def indicator_create_custom(
    *,
    code: str,
    name_en: str,
    name_zh: str,
    category: str,
    unit: str,
    direction: str,
    timing: str,
    review_cycle: str,
    departments: list[str] | None = None,
    definition_en: str = "",
    definition_zh: str = "",
    target: Decimal | None = None,
) -> Indicator:
    """Add an HR lead's own indicator; its values are entered by hand or ingested per unit and period."""
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError({"code": _("An indicator with the code %(code)s already exists.") % {"code": code}})
    indicator = Indicator(
        code=code,
        name_en=name_en,
        name_zh=name_zh,
        category=category,
        unit=unit,
        direction=direction,
        timing=timing,
        review_cycle=review_cycle,
        departments=_check_departments(departments or []),
        definition_en=definition_en,
        definition_zh=definition_zh,
        target=target,
        source=IndicatorSource.MANUAL,
        sort_order=1000,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


def period_floor(day: dt.date, period: str) -> dt.date:
    """The first day of the month, quarter or year containing ``day``."""
    if period == PeriodKind.MONTH:
        return day.replace(day=1)
    if period == PeriodKind.QUARTER:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


@transaction.atomic
def manual_value_set(
    *, indicator: Indicator, org_unit: OrgUnit, period: str, period_start: dt.date, value: Decimal, note: str = ""
) -> ManualIndicatorValue:
    """Enter (or correct) the value of a hand-entered indicator for a unit and period."""
    if indicator.source != IndicatorSource.MANUAL:
        raise ValidationError(
            {
                "indicator": _("%(code)s is computed from the facts; its values cannot be entered.")
                % {"code": indicator.code}
            }
        )
    if period_floor(period_start, period) != period_start:
        raise ValidationError({"period_start": _("A %(period)s starts on its first day.") % {"period": period}})
    row, _created = ManualIndicatorValue.objects.update_or_create(
        indicator=indicator,
        org_unit=org_unit,
        period=period,
        period_start=period_start,
        defaults={"value": value, "note": note},
    )
    recompute_mark(years=[period_start.year], reason="manual_value_set", tables=[ManualIndicatorValue._meta.db_table])
    return row
