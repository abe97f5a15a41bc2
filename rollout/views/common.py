"""What the rollout pages share: the program a request may see or edit, the way back to its dashboard, and a
service call whose refusal becomes error messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from org.ui.forms import message_service_errors

from ..models import Program
from ..selectors import can_edit_program, can_view_program


def program_for(request, pk: int, *, edit: bool = False) -> Program:
    """The program if the user may see it (404 otherwise); for edits also a member (403 otherwise)."""
    program = Program.objects.filter(pk=pk).first()
    if program is None or not can_view_program(request.user, program):
        raise Http404
    if edit and not can_edit_program(request.user, program):
        raise PermissionDenied
    return program


def back_to(program_id: int, anchor: str = ""):
    """The redirect to the program dashboard, at the section ``anchor`` names."""
    response = redirect("rollout:program", pk=program_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def attempt(request, service, **kwargs):
    """Call a service for an action posted from the dashboard; a refusal becomes error messages on the page it
    goes back to. Returns (result, ok)."""
    try:
        return service(**kwargs), True
    except ValidationError as exc:
        message_service_errors(request, exc)
        return None, False
