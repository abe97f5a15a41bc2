"""Browser pages of the rollout module: program list, new program, the program dashboard and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.ui.formatting import format_value

from .charts import pilot_figure, radar_comparison_figure, timeline_figure
from .choices import MilestoneStatus, StepStatus
from .forms import (
    ChecklistItemForm,
    MemberForm,
    MilestoneForm,
    PilotForm,
    ProgramForm,
    ReviewForm,
    StoryForm,
    WaveForm,
    WorkshopForm,
)
from .models import ChecklistItem, Milestone, Pilot, Program, ProgramStep
from .pilots import pilot_create, pilot_update
from .results import program_dashboard
from .selectors import (
    can_edit_program,
    can_manage_team,
    can_untick,
    can_view_program,
    is_co_lead,
    pilots_with_details,
    program_with_details,
    programs_visible,
)
from .services import (
    ActionInput,
    KeyIndicatorInput,
    checklist_item_add,
    checklist_item_set_done,
    gate_blockers,
    gate_sign,
    member_add,
    milestone_create,
    milestone_update,
    program_create,
    review_record,
    story_record,
    wave_plan,
    workshop_attendance,
    workshop_attendance_rate,
    workshop_record,
)
from .toolkit import toolkit_zip


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for items in exc.message_dict.values() for message in items]
    return list(exc.messages)


def _attempt(request, service, **kwargs):
    """Call a service; a ValidationError becomes error messages on the page. Returns (result, ok)."""
    try:
        return service(**kwargs), True
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return None, False


def _program(request, pk: int, *, edit: bool = False) -> Program:
    """The program if the user may see it (404 otherwise); for edits also a member (403 otherwise)."""
    program = Program.objects.filter(pk=pk).first()
    if program is None or not can_view_program(request.user, program):
        raise Http404
    if edit and not can_edit_program(request.user, program):
        raise PermissionDenied
    return program


def _back(program_id: int, anchor: str = ""):
    response = redirect("rollout:program", pk=program_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
def program_list(request):
    """The programs the user may see, with their active step."""
    programs = programs_visible(request.user).prefetch_related("steps", "org_units")
    rows = []
    for program in programs:
        steps = list(program.steps.all())
        active = next((step for step in steps if step.status == StepStatus.ACTIVE), None)
        rows.append({"program": program, "active": active, "closed": sum(s.status == StepStatus.CLOSED for s in steps)})
    return render(
        request,
        "rollout/program_list.html",
        {"rows": rows, "can_create": request.user.has_perm("rollout.add_program")},
    )


@login_required
@permission_required("rollout.add_program", raise_exception=True)
def program_new(request):
    """Start a program; ``?org_unit=&dimensions=&indicators=`` prefill it (e.g. from a diagnosis result)."""
    if request.method == "POST":
        form = ProgramForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                program = program_create(
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
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, items in exc.message_dict.items():
                        target = "indicators" if field == "key_indicators" else field
                        for message in items:
                            form.add_error(target if target in form.fields else None, message)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("The program has started: step 1 is open."))
                return redirect("rollout:program", pk=program.pk)
    else:
        initial = {"hr_co_lead": request.user.pk}

        def listed(name: str) -> list[str]:
            return [code for raw in request.GET.getlist(name) for code in raw.split(",") if code]

        if request.GET.get("org_unit"):
            initial["org_units"] = [request.GET["org_unit"]]
        if listed("dimensions"):
            initial["focus_dimensions"] = listed("dimensions")
        if listed("indicators"):
            initial["indicators"] = listed("indicators")
        if request.GET.get("name"):
            initial["name"] = request.GET["name"]
        form = ProgramForm(initial=initial, user=request.user)
    return render(request, "rollout/program_form.html", {"form": form, "prefilled": bool(request.GET)})


@login_required
def program_detail(request, pk: int):
    """The program dashboard: steps with checklist and gate, milestones and timeline, indicators, pilots, team."""
    _program(request, pk)
    program = program_with_details(Program.objects.select_related("sponsor", "hr_co_lead")).get(pk=pk)
    board = program_dashboard(program)
    editable = can_edit_program(request.user, program)
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
        pilots.append({"results": results, "pilot": results.pilot, "rows": rows})
    radars = []
    for comparison in board.radars:
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
            "milestone_form": MilestoneForm(initial={"step": active.number if active else 1}),
            "checklist_form": ChecklistItemForm(),
            "member_form": MemberForm(),
            "review_form": ReviewForm(),
            "waves": program.waves.prefetch_related("org_units"),
            "workshops": [
                {
                    "workshop": workshop,
                    "attendance": workshop_attendance(workshop),
                    "rate": workshop_attendance_rate(workshop),
                }
                for workshop in program.workshops.prefetch_related("invited", "attended")
            ],
            "wave_form": WaveForm(user=request.user, program=program, auto_id="wave_%s"),
            "workshop_form": WorkshopForm(auto_id="workshop_%s"),
            "story_form": StoryForm(user=request.user, program=program),
            "reviews": program.reviews.prefetch_related("attendees", "action_items__owner"),
            "stories": program.stories.select_related("org_unit", "indicator"),
            "charts": charts,
        },
    )


@login_required
@require_POST
def checklist_toggle(request, pk: int):
    item = get_object_or_404(ChecklistItem.objects.select_related("step"), pk=pk)
    program = _program(request, item.step.program_id, edit=True)
    _attempt(request, checklist_item_set_done, item=item, done=request.POST.get("done") == "1", user=request.user)
    return _back(program.pk, "checklist")


@login_required
@require_POST
def checklist_add(request, pk: int):
    step = get_object_or_404(ProgramStep, pk=pk)
    program = _program(request, step.program_id, edit=True)
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        _attempt(request, checklist_item_add, step=step, **form.cleaned_data)
    return _back(program.pk, "checklist")


@login_required
@require_POST
def gate_sign_view(request, pk: int):
    step = get_object_or_404(ProgramStep, pk=pk)
    program = _program(request, step.program_id, edit=True)
    step, signed = _attempt(request, gate_sign, step=step, user=request.user)
    if signed:
        if step.status == StepStatus.CLOSED:
            messages.success(request, _("The gate is closed; the next step has started."))
        else:
            messages.success(request, _("Signed. The gate closes once the other co-lead signs."))
    return _back(program.pk, "gate")


@login_required
@require_POST
def milestone_add(request, pk: int):
    program = _program(request, pk, edit=True)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        if _attempt(request, milestone_create, program=program, **form.cleaned_data)[1]:
            messages.success(request, _("Milestone added."))
    else:
        for field, errors in form.errors.items():
            for message in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {message}")
    return _back(program.pk, "milestones")


@login_required
@require_POST
def milestone_status(request, pk: int):
    milestone = Milestone.objects.filter(pk=pk).first()
    if milestone is None:
        raise Http404
    program = _program(request, milestone.program_id, edit=True)
    status = request.POST.get("status")
    if status in MilestoneStatus.values:
        milestone_update(milestone=milestone, status=status)
    return _back(program.pk, "milestones")


@login_required
@require_POST
def member_add_view(request, pk: int):
    program = _program(request, pk, edit=True)
    if not can_manage_team(request.user, program):
        raise PermissionDenied
    form = MemberForm(request.POST)
    if form.is_valid():
        _attempt(request, member_add, program=program, user=form.cleaned_data["user"], role=form.cleaned_data["role"])
    return _back(program.pk, "team")


def _service_errors_to_form(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (the rest to the form itself)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, items in exc.message_dict.items():
        for message in items:
            form.add_error(field if field in form.fields else None, message)


def _pilot_changes(form: PilotForm) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "pilot_units": list(data["pilot_units"]),
        "control_units": list(data["control_units"]),
        "start": data["start"],
        "end": data["end"],
        "pre_months": data["pre_months"],
        "notes": data["notes"],
        "initiatives": form.initiatives(),
    }


@login_required
def pilot_new(request, pk: int):
    """Add a pilot: units, control units, windows and the initiatives it applies (as links)."""
    program = _program(request, pk, edit=True)
    form = PilotForm(request.POST or None, user=request.user, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            pilot_create(program=program, user=request.user, **_pilot_changes(form))
        except ValidationError as exc:
            _service_errors_to_form(form, exc)
        else:
            messages.success(request, _("Pilot added; its results are computed in the background."))
            return _back(program.pk, "pilots")
    return render(request, "rollout/pilot_form.html", {"program": program, "form": form, "pilot": None})


@login_required
def pilot_edit(request, pk: int):
    """Change a pilot; its results are recomputed."""
    pilot = get_object_or_404(pilots_with_details(Pilot.objects.all()), pk=pk)
    program = _program(request, pilot.program_id, edit=True)
    form = PilotForm(request.POST or None, user=request.user, program=program, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        try:
            pilot_update(pilot=pilot, user=request.user, **_pilot_changes(form))
        except ValidationError as exc:
            _service_errors_to_form(form, exc)
        else:
            messages.success(request, _("Pilot changed; its results are recomputed in the background."))
            return _back(program.pk, "pilots")
    return render(request, "rollout/pilot_form.html", {"program": program, "form": form, "pilot": pilot})


@login_required
def toolkit_download(request, pk: int):
    """The program's toolkit zip (anyone who may see the program)."""
    program = _program(request, pk)
    response = HttpResponse(toolkit_zip(program), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="program-{program.pk}-toolkit.zip"'
    return response


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        for message in errors:
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {message}" if label else message)


@login_required
@require_POST
def review_add(request, pk: int):
    program = _program(request, pk, edit=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actions = [ActionInput(data["action"], data["action_owner"], data["action_due"])] if data["action"] else []
        review_record(
            program=program,
            held_on=data["held_on"],
            attendees=list(data["attendees"]),
            notes=data["notes"],
            decisions=data["decisions"],
            actions=actions,
        )
        messages.success(request, _("Review recorded."))
    else:
        _form_errors(request, form)
    return _back(program.pk, "reviews")


@login_required
@require_POST
def story_add(request, pk: int):
    program = _program(request, pk, edit=True)
    form = StoryForm(request.POST, user=request.user, program=program)
    if form.is_valid():
        story_record(program=program, **form.cleaned_data)
        messages.success(request, _("Story recorded; it counts for playbooks captured at the next recompute."))
    else:
        _form_errors(request, form)
    return _back(program.pk, "stories")


@login_required
@require_POST
def wave_add(request, pk: int):
    """Plan a rollout wave (step 4): the units that take the program up, and when."""
    program = _program(request, pk, edit=True)
    form = WaveForm(request.POST, user=request.user, program=program)
    if form.is_valid():
        data = form.cleaned_data
        planned = _attempt(
            request,
            wave_plan,
            program=program,
            name=data["name"],
            org_units=list(data["org_units"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )[1]
        if planned:
            messages.success(request, _("Rollout wave planned."))
    else:
        _form_errors(request, form)
    return _back(program.pk, "scale")


@login_required
@require_POST
def workshop_add(request, pk: int):
    """Record a manager workshop (step 4) with who was invited and who came."""
    program = _program(request, pk, edit=True)
    form = WorkshopForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        recorded = _attempt(
            request,
            workshop_record,
            program=program,
            title=data["title"],
            held_on=data["held_on"],
            invited=list(data["invited"]),
            attended=list(data["attended"]),
        )[1]
        if recorded:
            messages.success(request, _("Workshop recorded."))
    else:
        _form_errors(request, form)
    return _back(program.pk, "scale")
