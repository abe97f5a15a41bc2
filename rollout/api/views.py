"""API views of the rollout app: thin wrappers over its selectors and services."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Program, ProgramStep
from ..results import program_dashboard
from ..selectors import can_edit_program, can_view_program, program_with_details, programs_visible
from ..services import gate_sign, milestone_create
from .serializers import (
    ProgramDashboardSerializer,
    ProgramMilestoneSerializer,
    ProgramSerializer,
    ProgramStepSerializer,
)

_ERRORS = OpenApiResponse(description='Validation failed: {"errors": [{"field", "message"}]}.')
_FORBIDDEN = OpenApiResponse(description="Only members of the joint team may change the program.")
_NOT_FOUND = OpenApiResponse(description="No such program visible to the caller.")


def _program(request, pk: int, *, edit: bool = False) -> Program:
    program = Program.objects.filter(pk=pk).first()
    if program is None or not can_view_program(request.user, program):
        raise Http404
    if edit and not can_edit_program(request.user, program):
        raise PermissionDenied
    return program


class ProgramListView(generics.ListAPIView):
    """Programs the caller may see (as a member, or by overlapping scope)."""

    serializer_class = ProgramSerializer

    def get_queryset(self):
        return programs_visible(self.request.user).prefetch_related("org_units").order_by("pk")


def dashboard_data(program: Program) -> dict:
    """The program dashboard as plain data (what the page shows)."""
    board = program_dashboard(program)
    return {
        "program": program,
        "active_step": board.active_step.number if board.active_step else None,
        "steps": board.steps,
        "milestone_counts": board.milestone_counts,
        "milestones": list(program.milestones.all()),
        "key_indicators": [
            {
                "indicator": row.key.indicator.code,
                "timing": row.key.timing,
                "baseline": row.key.baseline_value,
                "baseline_period_start": row.key.baseline_period_start,
                "target": row.key.target,
                "latest": row.latest_value,
                "latest_period_start": row.latest_period_start,
                "on_target": row.on_target,
            }
            for row in board.key_indicators
        ],
        "pilots": [
            {
                "id": results.pilot.pk,
                "name": results.pilot.name,
                "pilot_units": [unit.code for unit in results.pilot.pilot_units.all()],
                "control_units": [unit.code for unit in results.pilot.control_units.all()],
                "start": results.pilot.start,
                "end": results.pilot.end,
                "results": [
                    {"indicator": item.key.indicator.code, **item.did.as_dict()} for item in results.indicators
                ],
            }
            for results in board.pilots
        ],
        "radars": [
            {
                "org_unit": radar.unit.code,
                "baseline_taken_on": radar.baseline.taken_on if radar.baseline else None,
                "now_taken_on": radar.now.taken_on if radar.now else None,
                "axes": [{key: value for key, value in row.items() if key != "label"} for row in radar.rows()],
            }
            for radar in board.radars
        ],
        "reviews": list(program.reviews.prefetch_related("attendees", "action_items__owner")),
        "stories": list(program.stories.select_related("org_unit", "indicator")),
        "waves": list(program.waves.prefetch_related("org_units")),
        "workshops": list(program.workshops.prefetch_related("invited", "attended")),
    }


class ProgramDashboardView(APIView):
    """A program's dashboard: steps with checklists, milestones, key indicators, pilot against control."""

    @extend_schema(responses={200: ProgramDashboardSerializer, 404: _NOT_FOUND})
    def get(self, request, pk: int):
        _program(request, pk)
        program = program_with_details(Program.objects.select_related("sponsor", "hr_co_lead")).get(pk=pk)
        return Response(ProgramDashboardSerializer(dashboard_data(program)).data)


class MilestoneCreateView(APIView):
    """Add a milestone (members only)."""

    @extend_schema(
        request=ProgramMilestoneSerializer,
        responses={201: ProgramMilestoneSerializer, 400: _ERRORS, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        serializer = ProgramMilestoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = milestone_create(program=program, **serializer.validated_data)
        return Response(ProgramMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class GateSignView(APIView):
    """The caller (a co-lead) signs the gate of the program's active step."""

    @extend_schema(request=None, responses={200: ProgramStepSerializer, 400: _ERRORS, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def post(self, request, pk: int, number: int):
        program = _program(request, pk, edit=True)
        step = ProgramStep.objects.filter(program=program, number=number).first()
        if step is None:
            raise Http404
        step = gate_sign(step=step, user=request.user)
        step = ProgramStep.objects.prefetch_related("checklist").get(pk=step.pk)
        return Response(ProgramStepSerializer(step).data)
