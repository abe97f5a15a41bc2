"""The scale-up (step 4), posted from the dashboard: planning a rollout wave and recording a manager workshop."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.ui.forms import message_form_errors

from ..forms import WaveForm, WorkshopForm
from ..services import wave_plan, workshop_record
from .common import attempt, back_to, program_for


@login_required
@require_POST
def wave_add(request, pk: int):
    """Plan a rollout wave (step 4): the units that take the program up, and when."""
    program = program_for(request, pk, edit=True)
    form = WaveForm(request.POST, user=request.user, program=program)
    if form.is_valid():
        data = form.cleaned_data
        planned = attempt(
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
        message_form_errors(request, form)
    return back_to(program.pk, "scale")


@login_required
@require_POST
def workshop_add(request, pk: int):
    """Record a manager workshop (step 4) with who was invited and who came."""
    program = program_for(request, pk, edit=True)
    form = WorkshopForm(request.POST, user=request.user, program=program)
    if form.is_valid():
        data = form.cleaned_data
        recorded = attempt(
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
        message_form_errors(request, form)
    return back_to(program.pk, "scale")
