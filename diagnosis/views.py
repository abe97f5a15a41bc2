"""Browser pages of the diagnosis module: rounds, the step-by-step questionnaire, results, questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from org.choices import OrgUnitKind
from org.models import OrgUnit
from org.selectors import can_see_unit
from org.ui.forms import message_service_errors, submit_form

from .charts import heatmap_figure, radar_figure, trend_figure
from .choices import LIKERT_CHOICES, SEVERITY_CHOICES, Dimension, ItemKind, RadarSeries
from .comparison import heatmap_rows, root_cause_columns, trend_points
from .export import round_results_xlsx
from .forms import ItemEditFormSet, QuestionnaireForm, RoundOpenForm
from .models import AssessmentRound, Questionnaire
from .radar import SELF_FORMULA, SeriesValues, part_rows, self_axes_from_scores, unit_radar
from .results import round_results
from .selectors import (
    VIEW_ROUNDS,
    can_manage_round,
    can_view_round,
    is_respondent,
    questionnaire_detail,
    questionnaires_all,
    respondent_required,
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


def _viewable_round(request, pk) -> AssessmentRound:
    assessment_round = _visible_round(request, pk)
    if not can_view_round(request.user, assessment_round):
        raise Http404
    return assessment_round


def _round_radar(assessment_round: AssessmentRound, results) -> tuple[SeriesValues, SeriesValues]:
    """This round's scores as the self-assessed series, beside the unit's current data-derived series."""
    own = SeriesValues(
        series=RadarSeries.SELF_ASSESSED,
        computed_at=assessment_round.closed_at,
        axes=self_axes_from_scores({row["root_cause"]: row["score"] for row in results.scores}),
        assessment_round=assessment_round,
    )
    return own, unit_radar(assessment_round.org_unit).data_derived


@login_required
def round_results_page(request, pk):
    """Aggregated results: scores and levels, spread, radar, symptoms with roots and data, interventions."""
    assessment_round = _viewable_round(request, pk)
    results = round_results(assessment_round, submitted=assessment_round.submitted_count)
    context = {
        "round": assessment_round,
        "results": results,
        "dimensions": [(d, Dimension(d).label) for d in results.focus_dimensions],
        "charts": [],
    }
    if results.available:
        own, data = _round_radar(assessment_round, results)
        context.update(
            radar_series=[own, data],
            radar_rows=_radar_rows(own, data),
            charts=[{"id": "radar-figure", "figure": radar_figure([own, data])}],
        )
    return render(request, "diagnosis/round_results.html", context)


@login_required
def round_export_xlsx(request, pk):
    """The round's aggregated results as an XLSX file; refused until the results are open."""
    assessment_round = _viewable_round(request, pk)
    results = round_results(assessment_round, submitted=assessment_round.submitted_count)
    if not results.available:
        messages.error(
            request,
            _("Results open once at least %(n)s respondents have submitted; there is nothing to export yet.")
            % {"n": results.min_respondents},
        )
        return redirect("diagnosis:round-results", pk=pk)
    response = HttpResponse(
        round_results_xlsx(assessment_round, results),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="self-check-round-{assessment_round.pk}.xlsx"'
    return response


@login_required
def round_print(request, pk):
    """A printable page of the round's aggregated results."""
    assessment_round = _viewable_round(request, pk)
    results = round_results(assessment_round, submitted=assessment_round.submitted_count)
    if not results.available:
        messages.error(request, _("Results are not open yet, so there is nothing to print."))
        return redirect("diagnosis:round-results", pk=pk)
    own, data = _round_radar(assessment_round, results)
    return render(
        request,
        "diagnosis/round_print.html",
        {
            "round": assessment_round,
            "results": results,
            "dimensions": [(d, Dimension(d).label) for d in results.focus_dimensions],
            "radar_rows": _radar_rows(own, data),
            "printed_at": timezone.now(),
        },
    )


# --- radar, heatmap, trend ------------------------------------------------------------


def _radar_rows(own: SeriesValues, data: SeriesValues) -> list[dict]:
    return [
        {
            "axis": axis,
            "self": own.axes[index],
            "data": data.axes[index],
            "parts": part_rows(data.axes[index]),
        }
        for index, axis in enumerate(data.axes)
    ]


def _unit_in_scope(request, code: str) -> OrgUnit:
    if not request.user.has_perm(VIEW_ROUNDS):
        raise PermissionDenied
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not can_see_unit(request.user, unit):
        raise Http404
    return unit


@login_required
def unit_radar_page(request, code):
    """A unit's capability radar: both series, each axis's formula and inputs, when each was computed."""
    unit = _unit_in_scope(request, code)
    radar = unit_radar(unit)
    series = [radar.self_assessed, radar.data_derived]
    return render(
        request,
        "diagnosis/unit_radar.html",
        {
            "unit": unit,
            "radar": radar,
            "radar_rows": _radar_rows(radar.self_assessed, radar.data_derived),
            "self_formula": SELF_FORMULA,
            "charts": [{"id": "radar-figure", "figure": radar_figure(series)}],
        },
    )


@login_required
def compare_page(request):
    """Heatmap: root-cause scores of each visible unit's latest closed round."""
    if not request.user.has_perm(VIEW_ROUNDS):
        raise PermissionDenied
    kind = request.GET.get("kind") or ""
    if kind not in OrgUnitKind.values:
        kind = ""
    rows = heatmap_rows(request.user, kind=kind or None)
    columns = root_cause_columns()
    return render(
        request,
        "diagnosis/compare.html",
        {
            "rows": [{**row, "cells": [row["scores"].get(code) for code, _label in columns]} for row in rows],
            "columns": columns,
            "kinds": [("", _("All levels")), *OrgUnitKind.choices],
            "kind": kind,
            "charts": [{"id": "heatmap-figure", "figure": heatmap_figure(rows, columns)}] if rows else [],
        },
    )


@login_required
def unit_trend_page(request, code):
    """One unit's root-cause scores over its closed rounds."""
    unit = _unit_in_scope(request, code)
    points = trend_points(unit)
    columns = root_cause_columns()
    return render(
        request,
        "diagnosis/unit_trend.html",
        {
            "unit": unit,
            "points": [{**p, "cells": [p["scores"].get(code) for code, _label in columns]} for p in points],
            "columns": columns,
            "charts": [{"id": "trend-figure", "figure": trend_figure(points, columns)}] if points else [],
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

    def save(data):
        """The formset's rows as item edits, saved with the form's names and descriptions."""
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
        return questionnaire_update(questionnaire=questionnaire, items=edits, **data)

    answer = submit_form(
        request,
        form,
        save,
        formsets=[formset],
        success=_("The questionnaire is saved."),
        redirect_to=lambda _saved: redirect("diagnosis:questionnaire", pk=pk),
        on_fields=False,
    )
    if answer is not None:
        return answer
    items_by_id = {item.pk: item for section in sections for item in section.items.all()}
    rows = [(f, items_by_id.get(f.initial.get("item_id"))) for f in formset.forms]
    return render(
        request,
        "diagnosis/questionnaire_edit.html",
        {"questionnaire": questionnaire, "form": form, "formset": formset, "rows": rows},
    )
