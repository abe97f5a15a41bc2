"""API views of the rollout app: thin wrappers over its selectors and services.

Who may do what is the same as on the pages: a program the caller may not see is a 404; seeing it is
not enough to change it (403), only members of its joint team do (rollout/selectors.py). A read-scope
token never writes (org.auth.TokenScopePermission); a write-scope token acts as its user.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from org.auth import HasModelPermission

from ..models import ChecklistItem, Pilot, Program, ProgramMember, ProgramStep
from ..pilots import InitiativeInput, pilot_create, pilot_update
from ..results import PilotResults, pilot_results, pilot_results_stored, program_dashboard
from ..selectors import (
    START_PROGRAM,
    can_edit_program,
    can_manage_team,
    can_view_program,
    keep_radars,
    pilots_with_details,
    program_unit_filter,
    program_with_details,
    programs_visible,
)
from ..services import (
    ActionInput,
    KeyIndicatorInput,
    checklist_item_set_done,
    gate_sign,
    member_add,
    member_remove,
    milestone_create,
    program_create,
    review_record,
    story_record,
    wave_plan,
    workshop_record,
)
from .serializers import (
    ChecklistItemInputSerializer,
    MemberInputSerializer,
    PilotInputSerializer,
    ProgramCreateSerializer,
    ProgramDashboardSerializer,
    ProgramMemberSerializer,
    ProgramMilestoneSerializer,
    ProgramPilotSerializer,
    ProgramReviewSerializer,
    ProgramSerializer,
    ProgramStepSerializer,
    ProgramStorySerializer,
    ProgramWaveSerializer,
    ProgramWorkshopSerializer,
    ReviewInputSerializer,
    StepChecklistItemSerializer,
    StoryInputSerializer,
    WaveInputSerializer,
    WorkshopInputSerializer,
)

_ERRORS = OpenApiResponse(
    description='Validation failed: {"errors": [{"field", "message"}]} from the rules, or {"<field>": [messages]} '
    "for a value of the wrong type or shape."
)
_FORBIDDEN = OpenApiResponse(
    description="Only members of the joint team may change the program; a read-scope token never writes."
)
_NOT_FOUND = OpenApiResponse(description="No such program (or item of it) visible to the caller.")
_WRITE_RESPONSES = {400: _ERRORS, 403: _FORBIDDEN, 404: _NOT_FOUND}


def _program(request, pk: int, *, edit: bool = False) -> Program:
    program = Program.objects.filter(pk=pk).first()
    if program is None or not can_view_program(request.user, program):
        raise Http404
    if edit and not can_edit_program(request.user, program):
        raise PermissionDenied
    return program


def _given(serializer_class, request, *, program: Program | None = None, **kwargs) -> dict:
    """The request body checked for types and shape (a DRF 400 naming the fields otherwise)."""
    serializer = serializer_class(data=request.data, context={"request": request, "program": program}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _every(units) -> list:
    return list(units)


def pilot_data(results: PilotResults, keep=_every) -> dict:
    """A pilot with its initiatives and its results (stored, or computed for this answer); ``keep`` leaves out
    the units the caller may not see named (``program_unit_filter``)."""
    pilot = results.pilot
    return {
        "id": pilot.pk,
        "name": pilot.name,
        "pilot_units": [unit.code for unit in keep(pilot.pilot_units.all())],
        "control_units": [unit.code for unit in keep(pilot.control_units.all())],
        "start": pilot.start,
        "end": pilot.end,
        "pre_months": pilot.pre_months,
        "notes": pilot.notes,
        "initiatives": [
            {
                "kind": link.kind,
                "target": link.target.pk if link.target is not None else None,
                "label": link.display_label,
                "url": link.get_absolute_url(),
            }
            for link in pilot.initiatives.all()
        ],
        "computed_at": results.computed_at,
        "results": [{"indicator": item.key.indicator.code, **item.did.as_dict()} for item in results.indicators],
    }


def dashboard_data(program: Program, keep=_every) -> dict:
    """The program dashboard as plain data (what the page shows, the same units left out)."""
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
        "pilots": [pilot_data(results, keep) for results in board.pilots],
        "radars": [
            {
                "org_unit": radar.unit.code,
                "baseline_taken_on": radar.baseline.taken_on if radar.baseline else None,
                "now_taken_on": radar.now.taken_on if radar.now else None,
                "axes": [{key: value for key, value in row.items() if key != "label"} for row in radar.rows()],
            }
            for radar in keep_radars(board.radars, keep)
        ],
        "reviews": list(program.reviews.prefetch_related("attendees", "action_items__owner")),
        "stories": [
            story
            for story in program.stories.select_related("org_unit", "indicator", "owner")
            if keep([story.org_unit])
        ],
        "waves": list(program.waves.prefetch_related("org_units")),
        "workshops": list(program.workshops.prefetch_related("invited", "attended")),
    }


def _dashboard(request, pk: int) -> Response:
    """The program dashboard answer for the caller (units outside what they may see named left out)."""
    keep = program_unit_filter(request.user)
    data = dashboard_data(
        program_with_details(Program.objects.select_related("sponsor", "hr_co_lead")).get(pk=pk), keep
    )
    return ProgramDashboardSerializer(data, context={"request": request, "keep": keep}).data


class ProgramListView(generics.ListAPIView):
    """Programs the caller may see (as a member, or by overlapping scope); POST starts a new program."""

    serializer_class = ProgramSerializer
    permission_classes = [*APIView.permission_classes, HasModelPermission]
    required_permission = {"POST": START_PROGRAM}  # the one rule: can_start_program

    def get_queryset(self):
        return programs_visible(self.request.user).prefetch_related("org_units").order_by("pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "keep": program_unit_filter(self.request.user)}

    @extend_schema(
        summary="Start a change program",
        description=(
            "The co-leads join the joint team, the five steps get their checklists, step 1 opens and each key "
            "indicator's baseline is taken from its value over the program's units in the last complete "
            "baseline period before the start. Needs the permission to start programs "
            "(HR leads, program members)."
        ),
        request=ProgramCreateSerializer,
        responses={201: ProgramDashboardSerializer, 400: _ERRORS, 403: _FORBIDDEN},
        examples=[
            OpenApiExample(
                "East conversion",
                request_only=True,
                value={
                    "name": "East conversion",
                    "sponsor": "biz",
                    "hr_co_lead": "hrlead",
                    "org_units": ["EAST"],
                    "focus_dimensions": ["enablement"],
                    "key_indicators": [
                        {"indicator": "lead_conversion_rate", "timing": "lagging", "target": "40"},
                        {"indicator": "win_rate", "timing": "lagging", "target": "35"},
                        {"indicator": "certification_pass_rate", "timing": "leading", "target": "80"},
                    ],
                    "start_date": "2026-04-01",
                },
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        data = _given(ProgramCreateSerializer, request)
        program = program_create(
            name=data["name"],
            description=data["description"],
            sponsor=data["sponsor"],
            hr_co_lead=data["hr_co_lead"],
            org_units=list(data["org_units"]),
            focus_dimensions=data["focus_dimensions"],
            key_indicators=[
                KeyIndicatorInput(
                    indicator=item["indicator"],
                    timing=item.get("timing") or item["indicator"].timing,
                    target=item["target"] if "target" in item else item["indicator"].target,
                )
                for item in data["key_indicators"]
            ],
            start_date=data["start_date"],
            baseline_period=data["baseline_period"],
            created_by=request.user,
        )
        return Response(_dashboard(request, program.pk), status=status.HTTP_201_CREATED)


class ProgramDashboardView(APIView):
    """A program's dashboard: steps with checklists, milestones, key indicators, pilot against control."""

    @extend_schema(responses={200: ProgramDashboardSerializer, 404: _NOT_FOUND})
    def get(self, request, pk: int):
        _program(request, pk)
        return Response(_dashboard(request, pk))


class MilestoneCreateView(APIView):
    """Add a milestone (members only)."""

    @extend_schema(
        request=ProgramMilestoneSerializer,
        responses={201: ProgramMilestoneSerializer, **_WRITE_RESPONSES},
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        data = _given(ProgramMilestoneSerializer, request)
        milestone = milestone_create(program=program, **data)
        return Response(ProgramMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class GateSignView(APIView):
    """The caller (a co-lead) signs the gate of the program's active step."""

    @extend_schema(request=None, responses={200: ProgramStepSerializer, **_WRITE_RESPONSES})
    def post(self, request, pk: int, number: int):
        program = _program(request, pk, edit=True)
        step = get_object_or_404(ProgramStep, program=program, number=number)
        step = gate_sign(step=step, user=request.user)
        step = ProgramStep.objects.prefetch_related("checklist").get(pk=step.pk)
        return Response(ProgramStepSerializer(step).data)


class MemberCreateView(APIView):
    """Add a login to the joint team (or change their role); members may then edit the program."""

    @extend_schema(
        request=MemberInputSerializer,
        responses={201: ProgramMemberSerializer, **_WRITE_RESPONSES},
        examples=[OpenApiExample("A sales member", request_only=True, value={"user": "li.na", "role": "sales"})],
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        if not can_manage_team(request.user, program):
            raise PermissionDenied(_("Only the two co-leads add members to the joint team or change their roles."))
        data = _given(MemberInputSerializer, request)
        member = member_add(program=program, user=data["user"], role=data["role"])
        return Response(ProgramMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class MemberDeleteView(APIView):
    """Remove a member from the joint team (the two co-leads stay)."""

    @extend_schema(request=None, responses={204: None, **_WRITE_RESPONSES})
    def delete(self, request, pk: int, username: str):
        program = _program(request, pk, edit=True)
        if not can_manage_team(request.user, program):
            raise PermissionDenied(_("Only the two co-leads remove members from the joint team."))
        member = get_object_or_404(
            ProgramMember.objects.select_related("program"), program=program, user__username=username
        )
        member_remove(member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChecklistItemView(APIView):
    """Tick or untick a line of the active step's checklist; unticking an exit criterion withdraws the gate
    signatures."""

    @extend_schema(
        request=ChecklistItemInputSerializer,
        responses={200: StepChecklistItemSerializer, **_WRITE_RESPONSES},
        examples=[OpenApiExample("Tick", request_only=True, value={"done": True})],
    )
    def patch(self, request, pk: int, item_id: int):
        program = _program(request, pk, edit=True)
        item = get_object_or_404(ChecklistItem.objects.select_related("step"), pk=item_id, step__program=program)
        data = _given(ChecklistItemInputSerializer, request)
        item = checklist_item_set_done(item=item, done=data["done"], user=request.user)
        item = ChecklistItem.objects.select_related("done_by").get(pk=item.pk)
        return Response(StepChecklistItemSerializer(item).data)


def _initiatives(items: list[dict]) -> list[InitiativeInput]:
    return [
        InitiativeInput(
            kind=item["kind"], target_id=item.get("target"), label=item.get("label", ""), url=item.get("url", "")
        )
        for item in items
    ]


def _pilot_answer(pilot_id: int) -> dict:
    pilot = pilots_with_details(Pilot.objects.select_related("program")).get(pk=pilot_id)
    keys = list(pilot.program.key_indicators.select_related("indicator"))
    return pilot_data(pilot_results_stored(pilot, keys) or pilot_results(pilot, keys))


class PilotCreateView(APIView):
    """Add a pilot: pilot and control units, the windows, and the initiatives it applies (as links)."""

    @extend_schema(
        request=PilotInputSerializer,
        responses={201: ProgramPilotSerializer, **_WRITE_RESPONSES},
        examples=[
            OpenApiExample(
                "Team 1 against Team 2",
                request_only=True,
                value={
                    "name": "T1 pilot",
                    "pilot_units": ["T1"],
                    "control_units": ["T2"],
                    "start": "2026-05-01",
                    "end": "2026-10-31",
                    "pre_months": 6,
                    "notes": "Role plays every week.",
                    "initiatives": [
                        {"kind": "success_profile", "target": 3},
                        {"kind": "scorecard", "target": 7},
                        {"kind": "other", "label": "Role-play scripts", "url": "https://wiki.example.com/rp"},
                    ],
                },
            )
        ],
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        data = _given(PilotInputSerializer, request, program=program)
        pilot = pilot_create(
            program=program,
            name=data["name"],
            pilot_units=list(data["pilot_units"]),
            control_units=list(data["control_units"]),
            start=data["start"],
            end=data["end"],
            pre_months=data["pre_months"],
            notes=data["notes"],
            initiatives=_initiatives(data["initiatives"]),
            user=request.user,
        )
        return Response(ProgramPilotSerializer(_pilot_answer(pilot.pk)).data, status=status.HTTP_201_CREATED)


class PilotDetailView(APIView):
    """A pilot with its results; PATCH changes it (``initiatives`` replaces the links) and its results are
    recomputed."""

    def _pilot(self, request, pk: int, pilot_id: int, *, edit: bool = False) -> Pilot:
        program = _program(request, pk, edit=edit)
        return get_object_or_404(Pilot.objects.select_related("program"), pk=pilot_id, program=program)

    @extend_schema(responses={200: ProgramPilotSerializer, 404: _NOT_FOUND})
    def get(self, request, pk: int, pilot_id: int):
        pilot = self._pilot(request, pk, pilot_id)
        return Response(ProgramPilotSerializer(_pilot_answer(pilot.pk)).data)

    @extend_schema(
        request=PilotInputSerializer(partial=True), responses={200: ProgramPilotSerializer, **_WRITE_RESPONSES}
    )
    def patch(self, request, pk: int, pilot_id: int):
        pilot = self._pilot(request, pk, pilot_id, edit=True)
        data = _given(PilotInputSerializer, request, program=pilot.program, partial=True)
        changes = {name: value for name, value in data.items() if name in request.data}
        for name in ("pilot_units", "control_units"):
            if name in changes:
                changes[name] = list(changes[name])
        if "initiatives" in changes:
            changes["initiatives"] = _initiatives(changes["initiatives"])
        pilot_update(pilot=pilot, user=request.user, **changes)
        return Response(ProgramPilotSerializer(_pilot_answer(pilot.pk)).data)


class ReviewCreateView(APIView):
    """Record a joint review: attendees, notes, decisions and action items with owners and due dates."""

    @extend_schema(
        request=ReviewInputSerializer,
        responses={201: ProgramReviewSerializer, **_WRITE_RESPONSES},
        examples=[
            OpenApiExample(
                "Monthly review",
                request_only=True,
                value={
                    "held_on": "2026-06-30",
                    "attendees": ["biz", "hrlead"],
                    "decisions": "Extend the pilot to Team 3.",
                    "action_items": [{"text": "Share the board", "owner": "hrlead", "due_date": "2026-07-15"}],
                },
            )
        ],
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        data = _given(ReviewInputSerializer, request)
        review = review_record(
            program=program,
            held_on=data["held_on"],
            attendees=list(data["attendees"]),
            notes=data["notes"],
            decisions=data["decisions"],
            actions=[ActionInput(item["text"], item["owner"], item["due_date"]) for item in data["action_items"]],
        )
        review = program.reviews.prefetch_related("attendees", "action_items__owner").get(pk=review.pk)
        return Response(ProgramReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class StoryCreateView(APIView):
    """Record a story from the field; it counts for ``playbooks_captured`` at the next recompute."""

    @extend_schema(
        request=StoryInputSerializer,
        responses={201: ProgramStorySerializer, **_WRITE_RESPONSES},
        examples=[
            OpenApiExample(
                "A joint visit",
                request_only=True,
                value={
                    "title": "A joint visit wins a key account",
                    "text": "After three role plays with a coach ...",
                    "org_unit": "T1",
                    "owner": "P1",
                    "indicator": "win_rate",
                    "recorded_on": "2026-06-12",
                },
            )
        ],
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        data = _given(StoryInputSerializer, request, program=program)
        story = story_record(program=program, **data)
        return Response(ProgramStorySerializer(story).data, status=status.HTTP_201_CREATED)


class WaveCreateView(APIView):
    """Plan a rollout wave of step 4: the units that take the program up, and when."""

    @extend_schema(
        request=WaveInputSerializer,
        responses={201: ProgramWaveSerializer, **_WRITE_RESPONSES},
        examples=[
            OpenApiExample(
                "Wave 1",
                request_only=True,
                value={"name": "Wave 1", "org_units": ["WEST"], "starts_on": "2026-09-01", "ends_on": "2026-10-31"},
            )
        ],
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        data = _given(WaveInputSerializer, request, program=program)
        wave = wave_plan(
            program=program,
            name=data["name"],
            org_units=list(data["org_units"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        wave = program.waves.prefetch_related("org_units").get(pk=wave.pk)
        return Response(ProgramWaveSerializer(wave).data, status=status.HTTP_201_CREATED)


class WorkshopCreateView(APIView):
    """Record a manager workshop of step 4 with who was invited and who attended."""

    @extend_schema(
        request=WorkshopInputSerializer,
        responses={201: ProgramWorkshopSerializer, **_WRITE_RESPONSES},
        examples=[
            OpenApiExample(
                "Train the managers",
                request_only=True,
                value={
                    "title": "Train the managers",
                    "held_on": "2026-09-03",
                    "invited": ["east_manager", "west_manager"],
                    "attended": ["east_manager"],
                },
            )
        ],
    )
    def post(self, request, pk: int):
        program = _program(request, pk, edit=True)
        data = _given(WorkshopInputSerializer, request)
        workshop = workshop_record(
            program=program,
            title=data["title"],
            held_on=data["held_on"],
            invited=list(data["invited"]),
            attended=list(data["attended"]),
        )
        workshop = program.workshops.prefetch_related("invited", "attended").get(pk=workshop.pk)
        return Response(ProgramWorkshopSerializer(workshop).data, status=status.HTTP_201_CREATED)
