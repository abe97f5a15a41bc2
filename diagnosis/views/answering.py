"""Answering a round: the questionnaire one section per step, saved on every move, then submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from org.ui.forms import errors_by_key, message_service_errors

from ..choices import LIKERT_CHOICES, SEVERITY_CHOICES, ItemKind
from ..models import AssessmentRound
from ..selectors import can_view_round, respondent_required, response_answers, response_of
from ..services import (
    ALREADY_SUBMITTED,
    AnswerInput,
    missing_item_message,
    missing_required_items,
    response_save,
    response_submit,
)


def _parse_answer(raw: str | None, item) -> AnswerInput:
    if raw == "na":
        return AnswerInput(item=item.code, not_applicable=True)
    if raw is None or raw == "":
        return AnswerInput(item=item.code)
    try:
        return AnswerInput(item=item.code, value=int(raw))
    except ValueError:
        return AnswerInput(item=item.code, value=-1)


def _done_page(request, assessment_round: AssessmentRound, response):
    """The page after the answers are in (or once the round has closed): when the results open and where next."""
    submitted = assessment_round.responses.filter(submitted_at__isnull=False).count()
    readable = can_view_round(request.user, assessment_round)
    context = {
        "round": assessment_round,
        "response": response,
        "may_read_results": readable,
        "results_open": readable and submitted >= assessment_round.min_respondents,
        "submitted": submitted,
    }
    return render(request, "diagnosis/respond_done.html", context)


def _target_step(action: str, step: int, last: int) -> int:
    if action == "prev":
        return max(1, step - 1)
    if action == "next":
        return min(last, step + 1)
    if action.startswith("goto-") and action[5:].isdigit():
        return min(last, max(1, int(action[5:])))
    return step


@login_required
def respond(request, pk, step=None):
    """The questionnaire, one section per step; progress is saved on every move."""
    assessment_round = get_object_or_404(
        AssessmentRound.objects.select_related("questionnaire", "org_unit", "owner__profile__person"), pk=pk
    )
    respondent_required(request.user, assessment_round)
    sections = list(assessment_round.questionnaire.sections.prefetch_related("items"))
    response = response_of(assessment_round, request.user)
    if step is None:
        return redirect("diagnosis:respond-step", pk=pk, step=response.current_step if response else 1)
    if not 1 <= step <= len(sections):
        raise Http404
    if response is not None and response.submitted_at is not None:
        if request.method == "POST":
            try:
                response_submit(assessment_round=assessment_round, user=request.user)
            except ValidationError as exc:
                message_service_errors(request, exc)
            return redirect("diagnosis:respond-step", pk=pk, step=step)
        return _done_page(request, assessment_round, response)
    if not assessment_round.is_open:
        return _done_page(request, assessment_round, response)

    section = sections[step - 1]
    missing = []
    field_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        given = [_parse_answer(request.POST.get(f"item-{item.code}"), item) for item in section.items.all()]
        target = _target_step(action, step, len(sections))
        try:
            response = response_save(assessment_round=assessment_round, user=request.user, answers=given, step=target)
            if action == "submit":
                response_submit(assessment_round=assessment_round, user=request.user)
                messages.success(request, _("Thank you: your answers are submitted."))
                return redirect("diagnosis:respond-step", pk=pk, step=step)
        except ValidationError as exc:
            if getattr(exc, "code", None) == ALREADY_SUBMITTED:
                messages.error(request, exc.messages[0])
                return redirect("diagnosis:respond-step", pk=pk, step=step)
            if action == "submit" and response is not None:
                missing = missing_required_items(response)
            else:
                field_errors = errors_by_key(exc)
        else:
            if action == "save":
                messages.info(request, _("Your answers are saved; you can come back later."))
            return redirect("diagnosis:respond-step", pk=pk, step=target)

    answers = response_answers(response)
    missing_codes = {item.code for item in missing}
    rows = []
    for item in section.items.all():
        answer = answers.get(item.code)
        current = "na" if answer and answer.not_applicable else (str(answer.value) if answer else "")
        choices = LIKERT_CHOICES if item.kind == ItemKind.LIKERT else SEVERITY_CHOICES
        rows.append(
            {
                "item": item,
                "current": current,
                "choices": [(str(value), label) for value, label in choices],
                "missing": item.code in missing_codes,
                "errors": field_errors.get(item.code, []),
            }
        )
    answered_codes = set(answers)
    steps = [
        {
            "number": index,
            "section": s,
            "answered": sum(1 for i in s.items.all() if i.code in answered_codes),
            "total": len(s.items.all()),
        }
        for index, s in enumerate(sections, start=1)
    ]
    return render(
        request,
        "diagnosis/respond.html",
        {
            "round": assessment_round,
            "section": section,
            "step": step,
            "steps": steps,
            "last_step": len(sections),
            "rows": rows,
            "missing": [{"item": item, "message": missing_item_message(item)} for item in missing],
            "general_errors": field_errors.get("", []),
        },
        status=400 if (missing or field_errors) else 200,
    )
