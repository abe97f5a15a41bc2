"""The KPI dashboard page: an org unit's indicators, its sub-units and people, and LTV by cohort (Plotly charts).

The charts build on the shared look of org.ui.charts; values print through org.ui.formatting.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from org.months import MonthError, parse_day
from org.ui.formatting import format_number, format_value

from .charts import children_figure, ltv_figure, series_figure
from .choices import IndicatorUnit, PeriodKind
from .dashboards import ASC, DESC, NAME, Dashboard, dashboard_build, dashboard_unit, period_label
from .read_cache import cached_page


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.items())) if params else "?"


def _sort_columns(request, dashboard: Dashboard, *, sort_key: str, order_key: str, active: str, order: str, extra=None):
    """Header links of a sortable table: clicking the active column flips the order."""
    columns = [{"code": NAME, "label": _("Name"), "unit": None}] + [
        {"code": indicator.code, "label": indicator.name, "unit": indicator.unit} for indicator in dashboard.indicators
    ]
    for column in columns:
        is_active = column["code"] == active
        # Names read best A→Z first; values best highest first.
        first = ASC if column["code"] == NAME else DESC
        next_order = (ASC if order == DESC else DESC) if is_active else first
        column["url"] = _query(request, **{sort_key: column["code"], order_key: next_order, **(extra or {})})
        column["active"] = is_active
        column["order"] = order if is_active else None
    return columns


def _rows(rows, indicators) -> list[dict]:
    return [
        {
            "subject": row.subject,
            "cells": [format_value(row.values.get(indicator.code), indicator.unit) for indicator in indicators],
        }
        for row in rows
    ]


def _parse_month(raw: str | None) -> dt.date | None:
    """The ``to`` month of the page; a month that cannot be read is left out (the latest data is shown)."""
    if not raw:
        return None
    try:
        return parse_day(raw)
    except MonthError:
        return None


# --- the page ----------------------------------------------------------------------------------


@login_required
@cached_page
def dashboard(request, code: str | None = None):
    """An org unit's KPI dashboard; 404 for a unit outside the viewer's subtree."""
    unit = dashboard_unit(user=request.user, code=code)
    if unit is None:
        if code:
            raise Http404
        return render(request, "performance/dashboard_no_scope.html")
    period = request.GET.get("period")
    period = period if period in PeriodKind.values else PeriodKind.QUARTER
    data = dashboard_build(
        user=request.user,
        unit=unit,
        period=period,
        to=_parse_month(request.GET.get("to")),
        sort=request.GET.get("sort"),
        order=request.GET.get("order"),
        people_sort=request.GET.get("people_sort"),
        people_order=request.GET.get("people_order"),
        people_page=request.GET.get("page") or 1,
    )
    charts = []

    def chart(figure: dict | None) -> str | None:
        if figure is None:
            return None
        charts.append({"id": f"dashboard-chart-{len(charts)}", "figure": figure})
        return charts[-1]["id"]

    def card(item) -> dict:
        return {
            "indicator": item.indicator,
            "latest": format_value(item.latest, item.indicator.unit),
            "previous": format_value(item.previous, item.indicator.unit),
            "target": format_value(item.target, item.indicator.unit) if item.target is not None else None,
            "target_scorecard": item.target_scorecard,
            "on_target": item.on_target,
        }

    def cards(items):
        return [{**card(item), "chart": chart(series_figure(data, item))} for item in items]

    # The overview reads leading first, as the cards below do.
    overview = [card(item) for item in data.leading + data.lagging]
    leading, lagging = cards(data.leading), cards(data.lagging)
    children_chart = chart(children_figure(data))
    ltv_chart = chart(ltv_figure(data))
    ltv_rows = [
        {
            "cohort": period_label(row.cohort, PeriodKind.QUARTER),
            "customers": row.customers,
            "average_ltv": format_value(row.average_ltv, IndicatorUnit.MONEY),
            "average_realized": format_value(
                row.realized_total / row.customers if row.customers else None, IndicatorUnit.MONEY
            ),
            "cac": format_value(row.cac, IndicatorUnit.MONEY),
            "ltv_to_cac": format_number(row.ltv_to_cac, decimals=1),
        }
        for row in data.ltv_cohorts
    ]
    return render(
        request,
        "performance/dashboard.html",
        {
            "dashboard": data,
            "unit": unit,
            "periods": [
                {
                    "value": value,
                    "label": label,
                    "url": _query(request, period=value, page=None),
                    "active": value == period,
                }
                for value, label in PeriodKind.choices
            ],
            "latest_label": period_label(data.latest_start, period) if data.latest_start else None,
            "overview": overview,
            "off_target": sum(1 for row in overview if row["on_target"] is False),
            "can_set_target": request.user.has_perm("performance.change_indicator"),
            "leading": leading,
            "lagging": lagging,
            "children_chart": children_chart,
            "chart_indicator": data.chart_indicator,
            "child_columns": _sort_columns(
                request, data, sort_key="sort", order_key="order", active=data.sort, order=data.order
            ),
            "child_rows": _rows(data.children, data.indicators),
            "people_columns": _sort_columns(
                request,
                data,
                sort_key="people_sort",
                order_key="people_order",
                active=data.people_sort,
                order=data.people_order,
                extra={"page": None},
            ),
            "people_rows": _rows(data.people.object_list, data.indicators),
            "people_page": data.people,
            "page_prev": _query(request, page=data.people.previous_page_number())
            if data.people.has_previous()
            else None,
            "page_next": _query(request, page=data.people.next_page_number()) if data.people.has_next() else None,
            "ltv_chart": ltv_chart,
            "ltv_rows": ltv_rows,
            "charts": charts,
        },
    )
