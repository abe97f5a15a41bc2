"""Browser pages for incentive plans and their payout simulation."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from org.months import MonthError, parse_day
from org.selectors import org_units_visible, unit_from_params

from .incentives import incentive_simulate, plan_totals
from .selectors import incentive_plans_visible
from .services import period_floor


def parse_period(raw: str | None, period: str) -> dt.date:
    """YYYY-MM (or a date) into the start of the plan's period; today's period when empty."""
    if not raw:
        return period_floor(timezone.localdate(), period)
    try:
        day = parse_day(raw)
    except MonthError as exc:
        raise Http404 from exc
    return period_floor(day, period)


@login_required
def plan_list(request):
    plans = incentive_plans_visible(request.user)
    return render(request, "performance/incentive_list.html", {"plans": plans})


@login_required
def plan_simulation(request, pk):
    """Payouts per person for one period and unit, each line explained."""
    plan = get_object_or_404(incentive_plans_visible(request.user), pk=pk)
    units = list(org_units_visible(request.user).order_by("code"))
    unit = unit_from_params(request.user, request.GET, default=plan.org_unit)
    if unit is None:
        raise Http404
    period_start = parse_period(request.GET.get("period_start"), plan.period)
    payouts = incentive_simulate(plan=plan, org_unit=unit, period_start=period_start)
    return render(
        request,
        "performance/incentive_simulation.html",
        {
            "plan": plan,
            "units": units,
            "unit": unit,
            "period_start": period_start,
            "payouts": payouts,
            "totals": plan_totals(payouts),
        },
    )
