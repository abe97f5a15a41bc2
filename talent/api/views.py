"""API views of the talent app: thin wrappers over its selectors and services."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from org.auth import HasModelPermission
from performance.models import Indicator

from ..matching import ranked_matches
from ..models import SuccessProfile
from ..selectors import profile_with_factors, profiles_all
from ..services import success_profile_build
from .serializers import MatchSerializer, ProfileBuildSerializer, ProfileDetailSerializer, ProfileSerializer

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
        responses={200: MatchSerializer(many=True), 404: _NOT_FOUND},
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
