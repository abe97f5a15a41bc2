"""The program team: adding a member, posted from the dashboard by those who manage the team."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_POST

from ..forms import MemberForm
from ..selectors import can_manage_team
from ..services import member_add
from .common import attempt, back_to, program_for


@login_required
@require_POST
def member_add_view(request, pk: int):
    """Add a user to the program team in a role."""
    program = program_for(request, pk, edit=True)
    if not can_manage_team(request.user, program):
        raise PermissionDenied
    form = MemberForm(request.POST, user=request.user, program=program)
    if form.is_valid():
        attempt(request, member_add, program=program, user=form.cleaned_data["user"], role=form.cleaned_data["role"])
    return back_to(program.pk, "team")
