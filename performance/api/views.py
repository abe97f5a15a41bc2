"""API views of the performance app: the indicator library and values, dashboards, scorecards,
incentive simulations and LTV cohorts. Every read is scoped to the caller's org subtree."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from org.models import OrgUnit
from org.months import MonthError, parse_day, year_in_range
from org.selectors import unit_from_params

from ..choices import PeriodKind
from ..dashboards import MAX_PEOPLE_PAGE_SIZE, PEOPLE_PAGE_SIZE, dashboard_build, dashboard_unit
from ..incentives import incentive_simulate, plan_totals
from ..read_cache import CachedReadMixin
from ..scorecards import scorecard_attainment, scorecard_warnings
from ..selectors import (
    incentive_plans_visible,
    indicator_values_rows,
    indicator_values_visible,
    indicators_all,
    ltv_cohorts_rows,
    ltv_cohorts_visible,
    scorecards_visible,
)
from ..services import period_floor
from .serializers import (
    AttainmentPageSerializer,
    DashboardSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    LtvCohortSerializer,
    ScorecardSerializer,
    SimulationPageSerializer,
)

_NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's org subtree.")
_BAD_REQUEST = OpenApiResponse(description="A query parameter is invalid.")


class IndicatorListView(generics.ListAPIView):
    """The indicator library: built-in and user-defined indicators."""

    serializer_class = IndicatorSerializer
    pagination_class = None
    queryset = indicators_all()


class IndicatorDetailView(generics.RetrieveAPIView):
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    queryset = indicators_all()


def _month(value: str | None, name: str, *, end: bool = False) -> dt.date | None:
    """Parse YYYY-MM (or YYYY-MM-DD) into the first day of that month (``end``: the day as given)."""
    if not value:
        return None
    try:
        parsed = parse_day(value)
    except MonthError as exc:
        raise ValidationError({name: str(exc)}) from exc
    return parsed.replace(day=1) if not end else parsed


_VALUE_FILTERS = [
    OpenApiParameter("indicator", str, description="indicator code"),
    OpenApiParameter("org_unit", str, description="org unit code"),
    OpenApiParameter("person", str, description="person external id"),
    OpenApiParameter("period", str, enum=PeriodKind.values),
    OpenApiParameter("from", str, description="first period start, YYYY-MM"),
    OpenApiParameter("to", str, description="last period start, YYYY-MM"),
    OpenApiParameter("subtree", OpenApiTypes.BOOL, description="with org_unit: the unit and every unit below it"),
]


class IndicatorValueListView(CachedReadMixin, generics.ListAPIView):
    """Computed indicator values of units and people the caller may see; null value where the denominator is 0."""

    serializer_class = IndicatorValueSerializer

    def get_queryset(self):
        params = self.request.query_params
        period = params.get("period")
        if period and period not in PeriodKind.values:
            raise ValidationError({"period": _("Use one of %(values)s.") % {"values": ", ".join(PeriodKind.values)}})
        return indicator_values_rows(
            indicator_values_visible(self.request.user),
            indicator=params.get("indicator"),
            org_unit=params.get("org_unit"),
            person=params.get("person"),
            period=period,
            start=_month(params.get("from"), "from"),
            end=_month(params.get("to"), "to"),
            subtree=params.get("subtree", "").lower() in {"1", "true", "yes"},
        )

    @extend_schema(parameters=_VALUE_FILTERS, responses={200: IndicatorValueSerializer(many=True), 400: _BAD_REQUEST})
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


# --- helpers ------------------------------------------------------------------------------------

_PERIOD_FORMATS = re.compile(
    r"^(?P<year>[0-9]{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>[0-9]{2})(?:-[0-9]{2})?))?$", re.ASCII
)


def parse_period_start(raw: str | None, kind: str) -> dt.date:
    """``2025``, ``2025-Q2``, ``2025-04`` or ``2025-04-01`` into the start of the ``kind`` period containing it.

    Empty means the period containing today.
    """
    if not raw:
        return period_floor(timezone.localdate(), kind)
    match = _PERIOD_FORMATS.match(raw)
    try:
        if match is None:
            raise ValueError(raw)
        month = int(match["month"] or 1) if not match["quarter"] else (int(match["quarter"]) - 1) * 3 + 1
        if not year_in_range(int(match["year"])):
            raise ValueError(raw)
        day = dt.date(int(match["year"]), month, 1)
    except ValueError as exc:
        raise ValidationError({"period": _("Use YYYY, YYYY-Qn or YYYY-MM, got %(value)s.") % {"value": raw}}) from exc
    return period_floor(day, kind)


def _unit_param(request, default: OrgUnit | None) -> OrgUnit:
    """The unit the query names (``org_unit``), else ``default``, else the caller's root; 404 outside the scope."""
    unit = unit_from_params(request.user, request.query_params, default=default)
    if unit is None:
        raise Http404
    return unit


def _page_response(view, rows: list, serializer_class, **extra) -> Response:
    """Paginate an in-memory list with the standard pagination and add ``extra`` top-level fields."""
    page = view.paginate_queryset(rows)
    paginator = view.paginator
    data = {
        **extra,
        "count": paginator.page.paginator.count,
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
        "results": page,
    }
    return Response(serializer_class(data).data)


_PERIOD_PARAM = OpenApiParameter(
    "period", str, description="the period: YYYY, YYYY-Qn or YYYY-MM (any month inside it); default: the current one"
)
_UNIT_PARAM = OpenApiParameter("org_unit", str, description="org unit code; default: the plan's or the caller's")
_PAGE_PARAMS = [
    OpenApiParameter("page", int, description="page number of the people list"),
    OpenApiParameter("page_size", int, description="people per page, up to 5,000"),
]


# --- dashboards -----------------------------------------------------------------------------------


class DashboardView(generics.GenericAPIView):
    """An org unit's KPI dashboard as JSON: the same data as /performance/dashboard/<code>/."""

    serializer_class = DashboardSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, enum=PeriodKind.values, description="period kind; default quarter"),
            OpenApiParameter("to", str, description="last period of the window (YYYY-MM); default: the latest"),
            OpenApiParameter("sort", str, description='child units: "name" or an indicator code'),
            OpenApiParameter("order", str, enum=["asc", "desc"]),
            OpenApiParameter("people_sort", str, description='people: "name" or an indicator code'),
            OpenApiParameter("people_order", str, enum=["asc", "desc"]),
            OpenApiParameter("page", int, description="page of the people list"),
            OpenApiParameter("page_size", int, description=f"people per page, up to {MAX_PEOPLE_PAGE_SIZE}"),
        ],
        responses={200: DashboardSerializer, 400: _BAD_REQUEST, 404: _NOT_FOUND},
    )
    def get(self, request, code: str) -> Response:
        unit = dashboard_unit(user=request.user, code=code)
        if unit is None:
            raise Http404
        params = request.query_params
        period = params.get("period") or PeriodKind.QUARTER
        if period not in PeriodKind.values:
            raise ValidationError({"period": _("Use one of %(values)s.") % {"values": ", ".join(PeriodKind.values)}})
        try:
            page_size = int(params.get("page_size") or PEOPLE_PAGE_SIZE)
        except ValueError as exc:
            raise ValidationError({"page_size": _("Use a whole number.")}) from exc
        dashboard = dashboard_build(
            user=request.user,
            unit=unit,
            period=period,
            to=_month(params.get("to"), "to"),
            sort=params.get("sort"),
            order=params.get("order"),
            people_sort=params.get("people_sort"),
            people_order=params.get("people_order"),
            people_page=params.get("page") or 1,
            people_page_size=page_size,
        )
        return Response(DashboardSerializer(dashboard).data)


# --- scorecards -----------------------------------------------------------------------------------


class ScorecardListView(generics.ListAPIView):
    """Scorecards that concern the caller, with items and result-scoreboard warnings."""

    serializer_class = ScorecardSerializer

    def get_queryset(self):
        return scorecards_visible(self.request.user).order_by("role", "name", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for card in page if page is not None else []:
            card.warnings = scorecard_warnings([(item.indicator, item.timing) for item in card.items.all()])
        return page


class ScorecardAttainmentView(generics.GenericAPIView):
    """Attainment of a unit (the team) and of each person of the card's role in it, every item shown."""

    serializer_class = AttainmentPageSerializer

    @extend_schema(
        parameters=[_PERIOD_PARAM, _UNIT_PARAM, *_PAGE_PARAMS],
        responses={200: AttainmentPageSerializer, 400: _BAD_REQUEST, 404: _NOT_FOUND},
    )
    def get(self, request, pk: int) -> Response:
        card = get_object_or_404(scorecards_visible(request.user), pk=pk)
        unit = _unit_param(request, card.org_unit)
        period_start = parse_period_start(request.query_params.get("period"), card.period)
        team, people = scorecard_attainment(scorecard=card, org_unit=unit, period_start=period_start)
        rows = [
            SimpleNamespace(
                person=person,
                subject=attainment.subject,
                score=attainment.score,
                coverage=attainment.coverage,
                items=attainment.items,
            )
            for person, attainment in people
        ]
        return _page_response(
            self,
            rows,
            AttainmentPageSerializer,
            scorecard=card.pk,
            org_unit=unit.code,
            period=card.period,
            period_start=period_start,
            team=team,
        )


# --- incentives -------------------------------------------------------------------------------------


class IncentiveSimulationView(generics.GenericAPIView):
    """Payouts per person of a plan for one period and unit, every line explained."""

    serializer_class = SimulationPageSerializer

    @extend_schema(
        parameters=[_PERIOD_PARAM, _UNIT_PARAM, *_PAGE_PARAMS],
        responses={200: SimulationPageSerializer, 400: _BAD_REQUEST, 404: _NOT_FOUND},
    )
    def get(self, request, pk: int) -> Response:
        plan = get_object_or_404(incentive_plans_visible(request.user), pk=pk)
        unit = _unit_param(request, plan.org_unit)
        period_start = parse_period_start(request.query_params.get("period"), plan.period)
        payouts = incentive_simulate(plan=plan, org_unit=unit, period_start=period_start)
        return _page_response(
            self,
            payouts,
            SimulationPageSerializer,
            plan=plan.pk,
            plan_name=plan.name,
            org_unit=unit.code,
            period=plan.period,
            period_start=period_start,
            totals=plan_totals(payouts),
        )


# --- LTV -----------------------------------------------------------------------------------------------


class LtvCohortListView(generics.ListAPIView):
    """LTV by acquisition cohort (quarter) for units and people in the caller's scope, with CAC where known."""

    serializer_class = LtvCohortSerializer

    def get_queryset(self):
        params = self.request.query_params
        return ltv_cohorts_rows(
            ltv_cohorts_visible(self.request.user),
            org_unit=params.get("org_unit"),
            person=params.get("person"),
            start=_month(params.get("from"), "from"),
            end=_month(params.get("to"), "to"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("org_unit", str, description="org unit code: that unit's cohorts (its whole subtree)"),
            OpenApiParameter("person", str, description="person external id: the customers they acquired"),
            OpenApiParameter("from", str, description="first cohort, YYYY-MM"),
            OpenApiParameter("to", str, description="last cohort, YYYY-MM"),
        ],
        responses={200: LtvCohortSerializer(many=True), 400: _BAD_REQUEST},
    )
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
