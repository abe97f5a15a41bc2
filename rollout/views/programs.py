"""Program pages: the list, starting a program, the program dashboard and its toolkit download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from org.selectors import logins_with_person, unit_in_scope
from org.ui.formatting import format_value
from org.ui.forms import submit_form

from ..charts import pilot_figure, radar_comparison_figure, timeline_figure
from ..choices import MilestoneStatus, StepStatus
from ..forms import (
    ChecklistItemForm,
    MemberForm,
    MilestoneForm,
    ProgramForm,
    ReviewForm,
    StoryForm,
    WaveForm,
    WorkshopForm,
)
from ..models import ActionItem, Program
from ..results import program_dashboard
from ..selectors import (
    can_edit_program,
    can_manage_team,
    can_start_program,
    can_untick,
    is_co_lead,
    keep_radars,
    program_unit_filter,
    program_with_details,
    programs_visible,
)
from ..services import (
    KeyIndicatorInput,
    gate_blockers,
    program_create,
    workshop_attendance,
    workshop_attendance_rate,
)
from ..toolkit import toolkit_zip
from .common import program_for


@login_required
def program_list(request):
    """The programs the user may see, with their active step."""
    programs = programs_visible(request.user).prefetch_related("steps", "org_units")
    keep = program_unit_filter(request.user)
    rows = []
    for program in programs:
        steps = list(program.steps.all())
        active = next((step for step in steps if step.status == StepStatus.ACTIVE), None)
        rows.append(
            {
                "program": program,
                "units": keep(program.org_units.all()),
                "active": active,
                "closed": sum(s.status == StepStatus.CLOSED for s in steps),
            }
        )
    return render(
        request,
        "rollout/program_list.html",
        {"rows": rows, "can_create": can_start_program(request.user)},
    )


def _prefill(request) -> dict:
    """The new-program form's initial values from ``?org_unit=&dimensions=&indicators=&name=``."""
    initial = {"hr_co_lead": request.user.pk}

    def listed(name: str) -> list[str]:
        return [code for raw in request.GET.getlist(name) for code in raw.split(",") if code]

    if request.GET.get("org_unit"):  # a unit outside the scope is a 404, not an empty picker
        initial["org_units"] = [unit_in_scope(request.user, request.GET["org_unit"]).code]
    if listed("dimensions"):
        initial["focus_dimensions"] = listed("dimensions")
    if listed("indicators"):
        initial["indicators"] = listed("indicators")
    if request.GET.get("name"):
        initial["name"] = request.GET["name"]
    return initial


@login_required
def program_new(request):
    """Start a program; ``?org_unit=&dimensions=&indicators=`` prefill it (e.g. from a diagnosis result)."""
    if not can_start_program(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ProgramForm(request.POST, user=request.user)
    else:
        form = ProgramForm(initial=_prefill(request), user=request.user)

    def start(data: dict) -> Program:
        return program_create(
            name=data["name"],
            description=data["description"],
            sponsor=data["sponsor"],
            hr_co_lead=data["hr_co_lead"],
            org_units=list(data["org_units"]),
            focus_dimensions=data["focus_dimensions"],
            key_indicators=[
                KeyIndicatorInput(indicator=indicator, timing=indicator.timing, target=indicator.target)
                for indicator in data["indicators"]
            ],
            start_date=data["start_date"],
            created_by=request.user,
        )

    response = submit_form(
        request,
        form,
        start,
        success=_("The program has started: step 1 is open."),
        redirect_to=lambda program: redirect("rollout:program", pk=program.pk),
        rename={"key_indicators": "indicators"},
    )
    return response or render(request, "rollout/program_form.html", {"form": form, "prefilled": bool(request.GET)})


@login_required
def program_detail(request, pk: int):
    """The program dashboard: steps with checklist and gate, milestones and timeline, indicators, pilots, team."""
    program_for(request, pk)
    program = program_with_details(
        Program.objects.select_related("sponsor__profile__person", "hr_co_lead__profile__person")
    ).get(pk=pk)
    board = program_dashboard(program)
    editable = can_edit_program(request.user, program)
    keep = program_unit_filter(request.user)
    program_units = keep(program.org_units.all())
    charts = [{"id": "program-timeline", "figure": timeline_figure(board)}]
    pilots = []
    for results in board.pilots:
        rows = []
        for item in results.indicators:
            chart_id = f"pilot-{results.pilot.pk}-{item.key.indicator_id}"
            charts.append({"id": chart_id, "figure": pilot_figure(item, results.pilot.start)})
            unit = item.key.indicator.unit
            did = item.did
            rows.append(
                {
                    "indicator": item.key.indicator,
                    "chart": chart_id,
                    "estimate": format_value(did.estimate, unit),
                    "ci": (format_value(did.ci_low, unit), format_value(did.ci_high, unit))
                    if did.ci_low is not None
                    else None,
                    "naive": format_value(did.naive, unit),
                    "observations": did.observations,
                }
            )
        pilots.append(
            {
                "results": results,
                "pilot": results.pilot,
                "rows": rows,
                "pilot_units": keep(results.pilot.pilot_units.all()),
                "control_units": keep(results.pilot.control_units.all()),
            }
        )
    radars = []
    for comparison in keep_radars(board.radars, keep):
        figure = radar_comparison_figure(comparison)
        chart_id = None
        if figure is not None:
            chart_id = f"radar-{comparison.unit.pk}"
            charts.append({"id": chart_id, "figure": figure})
        radars.append({"comparison": comparison, "rows": comparison.rows(), "chart": chart_id})
    key_rows = [
        {
            "key": row.key,
            "baseline": format_value(row.key.baseline_value, row.key.indicator.unit),
            "target": format_value(row.key.target, row.key.indicator.unit),
            "latest": format_value(row.latest_value, row.key.indicator.unit),
            "latest_start": row.latest_period_start,
            "on_target": row.on_target,
        }
        for row in board.key_indicators
    ]
    active = board.active_step
    return render(
        request,
        "rollout/program_detail.html",
        {
            "program": program,
            "board": board,
            "editable": editable,
            "is_co_lead": is_co_lead(request.user, program),
            "can_manage_team": can_manage_team(request.user, program),
            "untickable": {
                item.pk
                for item in (active.checklist.all() if active else [])
                if can_untick(request.user, program, item, active)
            },
            "active": active,
            "blockers": gate_blockers(active) if active else [],
            "key_rows": key_rows,
            "pilots": pilots,
            "radars": radars,
            "milestones": list(program.milestones.all()),
            "milestone_statuses": MilestoneStatus.choices,
            "milestone_form": MilestoneForm(
                initial={"step": active.number if active else 1}, user=request.user, program=program
            ),
            "checklist_form": ChecklistItemForm(),
            "member_form": MemberForm(user=request.user, program=program),
            "review_form": ReviewForm(user=request.user, program=program),
            "program_units": program_units,
            "waves": [
                {"wave": wave, "units": keep(wave.org_units.all())}
                for wave in program.waves.prefetch_related("org_units")
            ],
            "workshops": [
                {
                    "workshop": workshop,
                    "attendance": workshop_attendance(workshop),
                    "rate": workshop_attendance_rate(workshop),
                }
                for workshop in program.workshops.prefetch_related("invited", "attended")
            ],
            "wave_form": WaveForm(user=request.user, program=program, auto_id="wave_%s"),
            "workshop_form": WorkshopForm(auto_id="workshop_%s", user=request.user, program=program),
            "story_form": StoryForm(user=request.user, program=program),
            "reviews": program.reviews.prefetch_related(
                Prefetch("attendees", queryset=logins_with_person()),
                Prefetch("action_items", queryset=ActionItem.objects.select_related("owner__profile__person")),
            ),
            "stories": [
                story
                for story in program.stories.select_related("org_unit", "indicator")
                if story.org_unit_id is None or keep([story.org_unit])
            ],
            "charts": charts,
        },
    )


@login_required
def toolkit_download(request, pk: int):
    """The program's toolkit zip (anyone who may see the program)."""
    program = program_for(request, pk)
    response = HttpResponse(toolkit_zip(program), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="program-{program.pk}-toolkit.zip"'
    return response
