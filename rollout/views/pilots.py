"""Pilot pages: adding a pilot to a program and changing one (its results are computed in the background)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from org.ui.forms import submit_form

from ..forms import PilotForm
from ..models import Pilot
from ..pilots import pilot_create, pilot_update
from ..selectors import pilots_with_details
from .common import back_to, program_for


def _pilot_changes(form: PilotForm) -> dict:
    """The pilot service's arguments from a valid pilot form."""
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
    program = program_for(request, pk, edit=True)
    form = PilotForm(request.POST or None, user=request.user, program=program)
    response = submit_form(
        request,
        form,
        lambda data: pilot_create(program=program, user=request.user, **_pilot_changes(form)),
        success=_("Pilot added; its results are computed in the background."),
        redirect_to=lambda pilot: back_to(program.pk, "pilots"),
    )
    return response or render(request, "rollout/pilot_form.html", {"program": program, "form": form, "pilot": None})


@login_required
def pilot_edit(request, pk: int):
    """Change a pilot; its results are recomputed."""
    pilot = get_object_or_404(pilots_with_details(Pilot.objects.all()), pk=pk)
    program = program_for(request, pilot.program_id, edit=True)
    form = PilotForm(request.POST or None, user=request.user, program=program, pilot=pilot)
    response = submit_form(
        request,
        form,
        lambda data: pilot_update(pilot=pilot, user=request.user, **_pilot_changes(form)),
        success=_("Pilot changed; its results are recomputed in the background."),
        redirect_to=lambda changed: back_to(program.pk, "pilots"),
    )
    return response or render(request, "rollout/pilot_form.html", {"program": program, "form": form, "pilot": pilot})
