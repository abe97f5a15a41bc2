"""The performance part of the home page: the headline indicators of the viewer's unit in the latest quarter,
against their targets."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from org.home import Card, Cards
from org.ui.formatting import format_value

from .choices import PeriodKind
from .dashboards import dashboard_unit, on_target, period_label
from .models import IndicatorValue
from .services import period_floor

SHOWN = 4
PERIOD = PeriodKind.QUARTER


def home_cards(user, today: dt.date) -> Cards | None:
    """Up to SHOWN indicators of the user's unit in the latest quarter with values: those with a target first,
    then the library's order. None when the user sees no unit."""
    if not user.has_perm("performance.view_indicatorvalue"):
        return None
    unit = dashboard_unit(user=user)
    if unit is None:
        return None
    values = IndicatorValue.objects.filter(
        org_unit=unit, period=PERIOD, period_start__lte=period_floor(today, PERIOD), value__isnull=False
    )
    dashboard_url = reverse("performance:dashboard-unit", args=[unit.code])
    latest = values.aggregate(latest=Max("period_start"))["latest"]
    if latest is None:
        return Cards(
            unit=unit.name,
            cards=[],
            more_url=dashboard_url,
            empty=_("No indicator values for %(unit)s yet: they appear after data is imported and recomputed.")
            % {"unit": unit.name},
        )
    may_set = user.has_perm("performance.change_indicator")
    rows = values.filter(period_start=latest).select_related("indicator")
    rows = sorted(rows, key=lambda row: (row.indicator.target is None, row.indicator.sort_order, row.indicator.code))
    cards = []
    for row in rows[:SHOWN]:
        indicator = row.indicator
        has_target = indicator.target is not None
        cards.append(
            Card(
                title=indicator.name,
                value=format_value(row.value, indicator.unit),
                period=period_label(latest, PERIOD),
                url=dashboard_url,
                target=format_value(indicator.target, indicator.unit) if has_target else None,
                on_target=on_target(indicator, row.value),
                set_target_url=reverse("performance:indicator", args=[indicator.code])
                if may_set and not has_target
                else None,
            )
        )
    return Cards(unit=unit.name, cards=cards, more_url=dashboard_url)
