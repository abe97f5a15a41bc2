"""Questionnaire pages: the versions, one version with its items, and editing a copy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from org.ui.forms import submit_form

from ..forms import ItemEditFormSet, QuestionnaireForm
from ..models import Questionnaire
from ..selectors import questionnaire_detail, questionnaires_all
from ..services import ItemEdit, questionnaire_copy, questionnaire_is_editable, questionnaire_update


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
