"""Actions on a program's steps and milestones, posted from the dashboard: the checklist, signing the gate,
adding a milestone and setting its status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.ui.forms import message_form_errors

from ..choices import MilestoneStatus, StepStatus
from ..forms import ChecklistItemForm, MilestoneForm
from ..models import ChecklistItem, Milestone, ProgramStep
from ..services import checklist_item_add, checklist_item_set_done, gate_sign, milestone_create, milestone_update
from .common import attempt, back_to, program_for


@login_required
@require_POST
def checklist_toggle(request, pk: int):
    """Tick or untick a checklist item of the active step."""
    item = get_object_or_404(ChecklistItem.objects.select_related("step"), pk=pk)
    program = program_for(request, item.step.program_id, edit=True)
    attempt(request, checklist_item_set_done, item=item, done=request.POST.get("done") == "1", user=request.user)
    return back_to(program.pk, "checklist")


@login_required
@require_POST
def checklist_add(request, pk: int):
    """Add an item to a step's checklist."""
    step = get_object_or_404(ProgramStep, pk=pk)
    program = program_for(request, step.program_id, edit=True)
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        attempt(request, checklist_item_add, step=step, **form.cleaned_data)
    return back_to(program.pk, "checklist")


@login_required
@require_POST
def gate_sign_view(request, pk: int):
    """A co-lead signs the step's gate; the second signature closes it and starts the next step."""
    step = get_object_or_404(ProgramStep, pk=pk)
    program = program_for(request, step.program_id, edit=True)
    step, signed = attempt(request, gate_sign, step=step, user=request.user)
    if signed:
        if step.status == StepStatus.CLOSED:
            messages.success(request, _("The gate is closed; the next step has started."))
        else:
            messages.success(request, _("Signed. The gate closes once the other co-lead signs."))
    return back_to(program.pk, "gate")


@login_required
@require_POST
def milestone_add(request, pk: int):
    """Add a milestone to the program's plan."""
    program = program_for(request, pk, edit=True)
    form = MilestoneForm(request.POST, user=request.user, program=program)
    if form.is_valid():
        if attempt(request, milestone_create, program=program, **form.cleaned_data)[1]:
            messages.success(request, _("Milestone added."))
    else:
        message_form_errors(request, form)
    return back_to(program.pk, "milestones")


@login_required
@require_POST
def milestone_status(request, pk: int):
    """Set a milestone's status (an unknown status is ignored)."""
    milestone = Milestone.objects.filter(pk=pk).first()
    if milestone is None:
        raise Http404
    program = program_for(request, milestone.program_id, edit=True)
    status = request.POST.get("status")
    if status in MilestoneStatus.values:
        milestone_update(milestone=milestone, status=status)
    return back_to(program.pk, "milestones")
