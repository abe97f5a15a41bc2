"""API views of the talent app: thin wrappers over its selectors and services."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from org.auth import HasModelPermission
from performance.models import Indicator

from ..calibration import PUBLISHED_SOURCE, PUBLISHED_VALIDITIES, profile_calibration
from ..matching import ranked_matches
from ..models import SuccessProfile
from ..selectors import candidates_visible, profile_with_factors, profiles_all
from ..services import success_profile_build
from ..supply import channel_rows, plans_visible, supply_plan
from .serializers import (
    CalibrationSerializer,
    MatchSerializer,
    MonthField,
    ProfileBuildSerializer,
    ProfileDetailSerializer,
    ProfileSerializer,
    SupplySerializer,
)

_ERRORS = OpenApiResponse(description='Validation failed: {"errors": [{"field", "message"}]} or field errors.')
_FORBIDDEN = OpenApiResponse(description="Not allowed for this user or token.")
_NOT_FOUND = OpenApiResponse(description="No such profile.")


def _profile(pk: int) -> SuccessProfile:
    try:
        return profile_with_factors(pk)
    except SuccessProfile.DoesNotExist as exc:
        raise Http404 from exc


class ProfileListView(generics.ListAPIView):
    """Success profile versions, newest first; HR leads build a new version with POST."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = {"GET": "talent.view_successprofile", "POST": "talent.add_successprofile"}
    serializer_class = ProfileSerializer

    def get_queryset(self):
        queryset = profiles_all().order_by("-built_at", "-id")
        role = self.request.query_params.get("role")
        return queryset.filter(role=role) if role else queryset

    @extend_schema(
        parameters=[OpenApiParameter("role", str, description="Only profiles of this role.")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ProfileBuildSerializer,
        responses={201: ProfileDetailSerializer, 400: _ERRORS, 403: _FORBIDDEN},
    )
    def post(self, request, *args, **kwargs):
        given = ProfileBuildSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        criterion = Indicator.objects.filter(code=data["criterion"]).first()
        if criterion is None:
            raise ValidationError({"criterion": [_("There is no indicator with this code.")]})
        profile = success_profile_build(
            name=data["name"],
            role=data["role"],
            criterion=criterion,
            period=data["period"],
            window_from=data["from"],
            window_to=data["to"],
            top_share=data["top_share"],
            max_q=data["max_q"],
            min_effect=data["min_effect"],
            user=request.user,
        )
        return Response(ProfileDetailSerializer(_profile(profile.pk)).data, status=status.HTTP_201_CREATED)


class ProfileDetailView(APIView):
    """One profile version: groups, quality figures, warnings and the test of every factor."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "talent.view_successprofile"

    @extend_schema(responses={200: ProfileDetailSerializer, 404: _NOT_FOUND})
    def get(self, request, pk):
        return Response(ProfileDetailSerializer(_profile(pk)).data)


class ProfileMatchesView(generics.GenericAPIView):
    """Every candidate of the profile's role (in the caller's scope) with their match score, best first."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "talent.view_candidate"
    serializer_class = MatchSerializer
    queryset = SuccessProfile.objects.none()  # for the schema's path parameter; rows come from ranked_matches

    @extend_schema(
        parameters=[
            OpenApiParameter("min_score", OpenApiTypes.NUMBER, description="Only candidates scoring at least this."),
            OpenApiParameter("stage", str, description="Only candidates at this stage."),
        ],
        responses={200: MatchSerializer(many=True), 400: _ERRORS, 404: _NOT_FOUND},
    )
    def get(self, request, pk):
        profile = _profile(pk)
        try:
            min_score = float(request.query_params["min_score"]) if request.query_params.get("min_score") else None
        except ValueError as exc:
            raise ValidationError({"min_score": [_("A number from 0 to 100.")]}) from exc
        rows = ranked_matches(
            profile, request.user, min_score=min_score, stage=request.query_params.get("stage") or None
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MatchSerializer(page, many=True).data)


def _month_param(request, name: str):
    text = request.query_params.get(name)
    if not text:
        return None
    field = MonthField()
    try:
        return field.to_internal_value(text)
    except ValidationError as exc:
        raise ValidationError({name: exc.detail}) from exc


class ProfileCalibrationView(APIView):
    """Match score at hire against the criterion after hiring, for the profile's hired candidates in scope."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "talent.view_candidate"

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First month of the post-hire window, YYYY-MM."),
            OpenApiParameter("to", str, description="Last month of the post-hire window, YYYY-MM (default: this one)."),
        ],
        responses={200: CalibrationSerializer, 400: _ERRORS, 404: _NOT_FOUND},
    )
    def get(self, request, pk):
        try:
            profile = profiles_all().get(pk=pk)
        except SuccessProfile.DoesNotExist as exc:
            raise Http404 from exc
        last = _month_param(request, "to") or timezone.localdate().replace(day=1)
        first = _month_param(request, "from") or dt.date(last.year - 1, last.month, 1)
        if first > last:
            raise ValidationError({"to": [_("The window ends before it starts.")]})
        end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1) - dt.timedelta(days=1)
        result = profile_calibration(
            profile, window_from=first, window_to=end, candidates=candidates_visible(request.user)
        )
        figures = result.figures
        data = {
            "profile": profile.pk,
            "window_from": first,
            "window_to": end,
            "n": figures.n,
            "n_high": figures.n_high,
            "pearson": vars(figures.pearson),
            "spearman": vars(figures.spearman),
            "auc": figures.auc,
            "warnings": result.warnings,
            "references": [{"method": str(name), "validity": value} for name, value in PUBLISHED_VALIDITIES],
            "reference_source": PUBLISHED_SOURCE,
            "hires": [
                {
                    "candidate": row.candidate,
                    "score": round(row.score, 2),
                    "criterion": row.criterion,
                    "is_high": row.is_high,
                }
                for row in result.rows.itertuples(index=False)
            ],
        }
        return Response(CalibrationSerializer(data).data)


class SupplyView(APIView):
    """Head count plans of this and later quarters with their supply figures, and the channel statistics."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "talent.view_candidate"

    @extend_schema(
        parameters=[OpenApiParameter("role", str, description="Only plans and candidates of this role.")],
        responses={200: SupplySerializer},
    )
    def get(self, request):
        today = timezone.localdate()
        quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        role = request.query_params.get("role") or None
        plans = plans_visible(request.user).filter(quarter__gte=quarter).order_by("quarter", "role")
        candidates = candidates_visible(request.user)
        if role:
            plans, candidates = plans.filter(role=role), candidates.filter(role=role)
        rows = []
        for plan in plans:
            result = supply_plan(plan, as_of=today)
            rows.append(
                {
                    "role": plan.role,
                    "org_unit": plan.org_unit.code,
                    "quarter": plan.quarter,
                    "target_headcount": plan.target_headcount,
                    "current_headcount": result.current,
                    "attrition_rate": result.attrition_rate,
                    "expected_attrition": result.expected_attrition,
                    "expected_hires": result.expected_hires,
                    "bench": result.bench,
                    "gap": result.gap,
                    "warnings": result.warnings,
                    "stages": result.stages,
                }
            )
        data = {"as_of": today, "plans": rows, "channels": channel_rows(candidates, as_of=today)}
        return Response(SupplySerializer(data).data)
