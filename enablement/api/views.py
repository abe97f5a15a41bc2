"""API views of the enablement app: activities, learning impact, readiness, and scoring drills."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from org.auth import HasModelPermission
from org.selectors import people_visible, unit_in_scope

from ..impact import impact_of
from ..models import Certification, LearningActivity, Scenario
from ..readiness import person_readiness, team_readiness
from ..selectors import activities_with_counts
from ..services import drill_session_score
from .serializers import (
    ActivitySerializer,
    DrillSessionInSerializer,
    DrillSessionOutSerializer,
    ImpactQuerySerializer,
    ImpactSerializer,
    PersonReadinessSerializer,
    TeamReadinessSerializer,
)

_ERRORS = OpenApiResponse(description='Validation failed: {"errors": [{"field", "message"}]} or field errors.')
_FORBIDDEN = OpenApiResponse(description="Not allowed for this user or token.")
_NOT_FOUND = OpenApiResponse(description="Not found, or outside the part of the organization you can see.")


class ActivityListView(APIView):
    """Learning activities with the capability items they build and their enrolment counts (in the caller's scope)."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "enablement.view_learningactivity"

    @extend_schema(responses={200: ActivitySerializer(many=True), 403: _FORBIDDEN})
    def get(self, request):
        activities = activities_with_counts(request.user).prefetch_related("capability_items").order_by("code")
        rows = [
            {
                "code": a.code,
                "name": a.name,
                "kind": a.kind,
                "journey_stage": a.journey_stage,
                "hours": a.hours,
                "capability_items": sorted({item.code for item in a.capability_items.all()}),
                "enrolled": a.enrolled,
                "completed": a.completed,
            }
            for a in activities
        ]
        return Response(ActivitySerializer(rows, many=True).data)


class ActivityImpactView(APIView):
    """The impact of an activity on a behaviour metric or person-level indicator: difference in differences of
    participants against comparable people of the same roles, with the naive before/after beside it."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "enablement.view_learningactivity"

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", str, required=True, description="Behaviour metric or indicator code."),
            OpenApiParameter("pre", int, description="Months before the completion (1-24, default 3)."),
            OpenApiParameter("post", int, description="Months after the completion (1-24, default 3)."),
        ],
        responses={200: ImpactSerializer, 400: _ERRORS, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    def get(self, request, code: str):
        activity = LearningActivity.objects.filter(code=code).first()
        if activity is None:
            raise Http404
        query = ImpactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        metric, result = impact_of(
            activity=activity,
            metric=params["metric"],
            pre=params["pre"],
            post=params["post"],
            people=people_visible(request.user),
        )
        payload = {
            "activity": activity.code,
            "metric": metric.code,
            "layer": metric.layer,
            "pre": params["pre"],
            "post": params["post"],
            **result.as_dict(),
        }
        return Response(ImpactSerializer(payload).data)


def _person_payload(result) -> dict:
    return {
        "person": result.person.external_id,
        "journey_map": result.journey_map.pk if result.journey_map else None,
        "overall": result.overall,
        "ready": result.ready,
        "stages": [vars(stage) for stage in result.stages],
        "items": [vars(item) for item in result.items],
    }


class PersonReadinessView(APIView):
    """A person's readiness per journey stage and their capability items (certified against required level)."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "enablement.view_drillsession"

    @extend_schema(responses={200: PersonReadinessSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def get(self, request, external_id: str):
        person = people_visible(request.user).filter(external_id=external_id).first()
        if person is None:
            raise Http404
        return Response(PersonReadinessSerializer(_person_payload(person_readiness(person))).data)


class UnitReadinessView(APIView):
    """An org unit's readiness (whole subtree): per stage the mean and the share of people ready."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "enablement.view_drillsession"

    @extend_schema(responses={200: TeamReadinessSerializer, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def get(self, request, code: str):
        unit = unit_in_scope(request.user, code)
        team = team_readiness(unit)
        payload = {
            "org_unit": unit.code,
            "overall": team.overall,
            "ready_share": team.ready_share,
            "people": len(team.people),
            "stages": team.stages,
        }
        return Response(TeamReadinessSerializer(payload).data)


class DrillSessionCreateView(APIView):
    """Record a scored drill session (every rubric criterion 1-5); a pass certifies the capability item."""

    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = "enablement.add_drillsession"

    @extend_schema(
        request=DrillSessionInSerializer,
        responses={201: DrillSessionOutSerializer, 400: _ERRORS, 403: _FORBIDDEN},
    )
    def post(self, request):
        data = DrillSessionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        scenario = Scenario.objects.filter(code=values["scenario"], is_active=True).first()
        if scenario is None:
            raise ValidationError({"scenario": [_("No active scenario with this code.")]})
        person = people_visible(request.user).filter(external_id=values["person"]).first()
        if person is None:
            raise ValidationError(
                {"person": [_("No person with this external id in the part of the organization you can see.")]}
            )
        session = drill_session_score(
            scenario=scenario,
            person=person,
            scores={row["criterion"]: row["score"] for row in values["scores"]},
            held_on=values.get("held_on"),
            evaluator=request.user,
            notes=values["notes"],
            recording_url=values["recording_url"],
        )
        payload = {
            "id": session.pk,
            "scenario": scenario.code,
            "person": person.external_id,
            "held_on": session.held_on,
            "weighted_score": session.weighted_score,
            "passed": session.passed,
            "certified": Certification.objects.filter(session=session).exists(),
        }
        return Response(DrillSessionOutSerializer(payload).data, status=status.HTTP_201_CREATED)
