"""Round pages: the list of rounds, opening a round, a round's status and closing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from org.ui.forms import message_service_errors, submit_form

from ..forms import RoundOpenForm
from ..models import AssessmentRound
from ..selectors import (
    can_manage_round,
    can_view_round,
    is_respondent,
    response_of,
    round_submissions,
    round_with_counts,
    rounds_to_answer,
    rounds_visible,
)
from ..services import round_close, round_open


@login_required
def round_list(request):
    """Rounds to answer, and the rounds of the user's units (by role and scope)."""
    return render(
        request,
        "diagnosis/round_list.html",
        {
            "to_answer": rounds_to_answer(request.user),
            "rounds": rounds_visible(request.user).order_by("-opened_at", "-id"),
            "can_open": request.user.has_perm("diagnosis.add_assessmentround"),
        },
    )


@login_required
@permission_required("diagnosis.add_assessmentround", raise_exception=True)
def round_new(request):
    """An HR lead opens a round for an org unit and picks its respondents."""
    form = RoundOpenForm(request.POST or None, user=request.user)
    answer = submit_form(
        request,
        form,
        lambda data: round_open(
            questionnaire=data["questionnaire"],
            org_unit=data["org_unit"],
            owner=request.user,
            respondents=list(data["respondents"]),
            title=data["title"],
            min_respondents=data["min_respondents"],
            data_period_start=data["data_period_start"],
        ),
        success=_("The round is open. Respondents find it under “Rounds to answer”."),
        redirect_to=lambda assessment_round: redirect("diagnosis:round", pk=assessment_round.pk),
        on_fields=False,
    )
    if answer is not None:
        return answer
    return render(request, "diagnosis/round_new.html", {"form": form})


def visible_round(request, pk) -> AssessmentRound:
    """The round with its counts, or 404; who may see it is for the caller to check."""
    try:
        assessment_round = round_with_counts(pk)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404 from exc
    return assessment_round


@login_required
def round_detail(request, pk):
    """A round's status; its owner sees who has submitted (never what they answered) and may close it."""
    assessment_round = visible_round(request, pk)
    can_view = can_view_round(request.user, assessment_round)
    invited = is_respondent(request.user, assessment_round)
    if not (can_view or invited):
        raise Http404
    can_manage = can_manage_round(request.user, assessment_round)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            round_close(assessment_round=assessment_round)
        except ValidationError as exc:
            message_service_errors(request, exc)
        else:
            messages.success(request, _("The round is closed."))
        return redirect("diagnosis:round", pk=pk)
    return render(
        request,
        "diagnosis/round_detail.html",
        {
            "round": assessment_round,
            "can_view": can_view,
            "can_manage": can_manage,
            "invited": invited,
            "my_response": response_of(assessment_round, request.user) if invited else None,
            "submissions": round_submissions(assessment_round) if can_manage else None,
        },
    )


def viewable_round(request, pk) -> AssessmentRound:
    """The round, or 404 unless the user may see its results (by role and scope)."""
    assessment_round = visible_round(request, pk)
    if not can_view_round(request.user, assessment_round):
        raise Http404
    return assessment_round
