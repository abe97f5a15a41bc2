"""Browser pages of the diagnosis module: rounds, the step-by-step questionnaire, results, questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .choices import LIKERT_CHOICES, SEVERITY_CHOICES, Dimension, ItemKind
from .forms import ItemEditFormSet, QuestionnaireForm, RoundOpenForm
from .models import AssessmentRound, Questionnaire
from .results import round_results
from .selectors import (
    can_manage_round,
    can_view_round,
    is_respondent,
    questionnaire_detail,
    questionnaires_all,
    response_answers,
    response_of,
    round_submissions,
    round_with_counts,
    rounds_to_answer,
    rounds_visible,
)
from .services import (
    ALREADY_SUBMITTED,
    AnswerInput,
    ItemEdit,
    missing_item_message,
    missing_required_items,
    questionnaire_copy,
    questionnaire_is_editable,
    questionnaire_update,
    response_save,
    response_submit,
    round_close,
    round_open,
)


def _error_messages(exc: ValidationError) -> list[str]:
    return (
        [message for messages_ in exc.message_dict.values() for message in messages_]
        if hasattr(exc, "error_dict")
        else list(exc.messages)
    )


# --- rounds ---------------------------------------------------------------------------


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment_round = round_open(
                questionnaire=data["questionnaire"],
                org_unit=data["org_unit"],
                owner=request.user,
                respondents=list(data["respondents"]),
                title=data["title"],
                min_respondents=data["min_respondents"],
                data_period_start=data["data_period_start"],
            )
        except ValidationError as exc:
            for message in _error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("The round is open. Respondents find it under “Rounds to answer”."))
            return redirect("diagnosis:round", pk=assessment_round.pk)
    return render(request, "diagnosis/round_new.html", {"form": form})


def _visible_round(request, pk) -> AssessmentRound:
    try:
        assessment_round = round_with_counts(pk)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404 from exc
    return assessment_round


@login_required
def round_detail(request, pk):
    """A round's status; its owner sees who has submitted (never what they answered) and may close it."""
    assessment_round = _visible_round(request, pk)
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
            for message in _error_messages(exc):
                messages.error(request, message)
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


@login_required
def round_results_page(request, pk):
    """Aggregated results: scores and levels, spread, symptoms with roots and data, interventions."""
    assessment_round = _visible_round(request, pk)
    if not can_view_round(request.user, assessment_round):
        raise Http404
    results = round_results(assessment_round, submitted=assessment_round.submitted_count)
    return render(
        request,
        "diagnosis/round_results.html",
        {
            "round": assessment_round,
            "results": results,
            "dimensions": [(d, Dimension(d).label) for d in results.focus_dimensions],
        },
    )


# --- answering ------------------------------------------------------------------------


def _parse_answer(raw: str | None, item) -> AnswerInput:
    if raw == "na":
        return AnswerInput(item=item.code, not_applicable=True)
    if raw is None or raw == "":
        return AnswerInput(item=item.code)
    try:
        return AnswerInput(item=item.code, value=int(raw))
    except ValueError:
        return AnswerInput(item=item.code, value=-1)


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
    assessment_round = get_object_or_404(AssessmentRound.objects.select_related("questionnaire", "org_unit"), pk=pk)
    if not is_respondent(request.user, assessment_round):
        raise PermissionDenied(_("You are not a respondent of this round."))
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
                for message in _error_messages(exc):
                    messages.error(request, message)
            return redirect("diagnosis:respond-step", pk=pk, step=step)
        return render(request, "diagnosis/respond_done.html", {"round": assessment_round, "response": response})
    if not assessment_round.is_open:
        return render(request, "diagnosis/respond_done.html", {"round": assessment_round, "response": response})

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
                field_errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
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


# --- questionnaires -------------------------------------------------------------------


@login_required
@permission_required("diagnosis.view_questionnaire", raise_exception=True)
def questionnaire_list(request):
    return render(
        request,
        "diagnosis/questionnaire_list.html",
        {
            "questionnaires": questionnaires_all().order_by("family", "-version"),
            "can_copy": request.user.has_perm("diagnosis.add_questionnaire"),
        },
    )


@login_required
@permission_required("diagnosis.view_questionnaire", raise_exception=True)
def questionnaire_page(request, pk):
    """One version with its sections and items; HR leads copy it from here."""
    try:
        questionnaire = questionnaire_detail(pk)
    except Questionnaire.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "POST":
        if not request.user.has_perm("diagnosis.add_questionnaire"):
            raise PermissionDenied
        copy = questionnaire_copy(source=questionnaire, user=request.user)
        messages.success(request, _("Copied as version %(version)s; edit the copy.") % {"version": copy.version})
        return redirect("diagnosis:questionnaire-edit", pk=copy.pk)
    return render(
        request,
        "diagnosis/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "editable": questionnaire_is_editable(questionnaire),
            "can_copy": request.user.has_perm("diagnosis.add_questionnaire"),
            "can_edit": request.user.has_perm("diagnosis.change_questionnaire"),
        },
    )


@login_required
@permission_required("diagnosis.change_questionnaire", raise_exception=True)
def questionnaire_edit(request, pk):
    """Edit a copy: names, statements (both languages), weights, reverse and required flags."""
    try:
        questionnaire = questionnaire_detail(pk)
    except Questionnaire.DoesNotExist as exc:
        raise Http404 from exc
    if not questionnaire_is_editable(questionnaire):
        messages.error(request, _("This version is built in or in use; copy it to make changes."))
        return redirect("diagnosis:questionnaire", pk=pk)
    sections = list(questionnaire.sections.all())
    initial_items = [
        {
            "item_id": item.pk,
            "section_id": item.section_id,
            "text_zh": item.text_zh,
            "text_en": item.text_en,
            "weight": item.weight,
            "reverse": item.reverse,
            "required": item.required,
        }
        for section in sections
        for item in section.items.all()
    ]
    form = QuestionnaireForm(
        request.POST or None,
        initial={
            "name_zh": questionnaire.name_zh,
            "name_en": questionnaire.name_en,
            "description_zh": questionnaire.description_zh,
            "description_en": questionnaire.description_en,
        },
    )
    formset = ItemEditFormSet(
        request.POST or None, initial=initial_items, prefix="items", form_kwargs={"sections": sections}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        edits = [
            ItemEdit(
                item_id=row.get("item_id"),
                section_id=row.get("section_id") or None,
                text_zh=row.get("text_zh", ""),
                text_en=row.get("text_en", ""),
                weight=row.get("weight") or 1,
                reverse=row.get("reverse", False),
                required=row.get("required", False),
                delete=row.get("delete", False),
            )
            for row in formset.cleaned_data
            if row
        ]
        try:
            questionnaire_update(questionnaire=questionnaire, items=edits, **form.cleaned_data)
        except ValidationError as exc:
            for message in _error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("The questionnaire is saved."))
            return redirect("diagnosis:questionnaire", pk=pk)
    items_by_id = {item.pk: item for section in sections for item in section.items.all()}
    rows = [(f, items_by_id.get(f.initial.get("item_id"))) for f in formset.forms]
    return render(
        request,
        "diagnosis/questionnaire_edit.html",
        {"questionnaire": questionnaire, "form": form, "formset": formset, "rows": rows},
    )
