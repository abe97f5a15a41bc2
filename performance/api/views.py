"""API views of the performance app: the indicator library and indicator values."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..choices import PeriodKind
from ..selectors import indicator_values_rows, indicator_values_visible, indicators_all
from .serializers import IndicatorSerializer, IndicatorValueSerializer


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
    """Parse YYYY-MM (or YYYY-MM-DD) into the first day of that month."""
    if not value:
        return None
    try:
        parsed = dt.date.fromisoformat(value) if len(value) == 10 else dt.date.fromisoformat(f"{value}-01")
    except ValueError as exc:
        raise ValidationError({name: f"Use YYYY-MM, got {value!r}."}) from exc
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


class IndicatorValueListView(generics.ListAPIView):
    """Computed indicator values of units and people the caller may see; null value where the denominator is 0."""

    serializer_class = IndicatorValueSerializer

    def get_queryset(self):
        params = self.request.query_params
        period = params.get("period")
        if period and period not in PeriodKind.values:
            raise ValidationError({"period": f"Use one of {', '.join(PeriodKind.values)}."})
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

    @extend_schema(parameters=_VALUE_FILTERS)
    def get(self, request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
