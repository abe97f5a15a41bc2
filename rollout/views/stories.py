"""Recording a program review and a success story, posted from the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org.ui.forms import message_form_errors

from ..forms import ReviewForm, StoryForm
from ..services import ActionInput, review_record, story_record
from .common import back_to, program_for


@login_required
@require_POST
def review_add(request, pk: int):
    """Record a review meeting: who came, notes, decisions and at most one action item."""
    program = program_for(request, pk, edit=True)
    form = ReviewForm(request.POST, user=request.user, program=program)
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
        message_form_errors(request, form)
    return back_to(program.pk, "reviews")


@login_required
@require_POST
def story_add(request, pk: int):
    """Record a success story of a unit, with the indicator it is evidence for."""
    program = program_for(request, pk, edit=True)
    form = StoryForm(request.POST, user=request.user, program=program)
    if form.is_valid():
        story_record(program=program, **form.cleaned_data)
        messages.success(request, _("Story recorded; it counts for playbooks captured at the next recompute."))
    else:
        message_form_errors(request, form)
    return back_to(program.pk, "stories")
