"""Writes of the diagnosis app: questionnaire copies and edits, rounds, answers and submissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from org.models import OrgUnit
from org.ui.names import unit_labels

from .choices import ItemKind, SectionKind
from .models import MIN_RESPONDENTS_FLOOR, Answer, AssessmentRound, Item, Questionnaire, Response, Section

ALREADY_SUBMITTED = "already_submitted"


# --- questionnaires -------------------------------------------------------------------


def questionnaire_is_editable(questionnaire: Questionnaire) -> bool:
    """Built-in versions and versions a round uses are frozen; edit a copy instead."""
    return not questionnaire.is_builtin and not questionnaire.rounds.exists()


@transaction.atomic
def questionnaire_copy(*, source: Questionnaire, user=None) -> Questionnaire:
    """Copy a questionnaire into the next version of its family; the copy is editable."""
    next_version = (
        Questionnaire.objects.select_for_update().filter(family=source.family).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    copy = Questionnaire.objects.create(
        family=source.family,
        version=next_version,
        name_zh=source.name_zh,
        name_en=source.name_en,
        description_zh=source.description_zh,
        description_en=source.description_en,
        is_builtin=False,
        based_on=source,
        created_by=user,
    )
    items_by_section: dict[int, list[Item]] = {}
    for item in source.items.all():
        items_by_section.setdefault(item.section_id, []).append(item)
    for section in source.sections.all():
        new_section = Section.objects.create(
            questionnaire=copy,
            position=section.position,
            kind=section.kind,
            root_cause=section.root_cause,
            title_zh=section.title_zh,
            title_en=section.title_en,
            intro_zh=section.intro_zh,
            intro_en=section.intro_en,
        )
        Item.objects.bulk_create(
            Item(
                questionnaire=copy,
                section=new_section,
                code=item.code,
                position=item.position,
                kind=item.kind,
                root_cause=item.root_cause,
                symptom=item.symptom,
                text_zh=item.text_zh,
                text_en=item.text_en,
                weight=item.weight,
                reverse=item.reverse,
                required=item.required,
            )
            for item in items_by_section.get(section.pk, [])
        )
    return copy


@dataclass
class ItemEdit:
    """One row of a questionnaire edit: an existing item (``item_id``) or a new statement (``section_id``)."""

    text_zh: str
    text_en: str
    weight: Decimal = Decimal("1")
    reverse: bool = False
    required: bool = True
    item_id: int | None = None
    section_id: int | None = None
    delete: bool = False


def _new_item_code(taken: set[str]) -> str:
    number = len(taken) + 1
    while f"custom{number}" in taken:
        number += 1
    code = f"custom{number}"
    taken.add(code)
    return code


@transaction.atomic
def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    name_zh: str,
    name_en: str,
    description_zh: str = "",
    description_en: str = "",
    items: list[ItemEdit],
) -> Questionnaire:
    """Edit a copy: names, statements, weights, reverse and required flags; add or remove statements."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not questionnaire_is_editable(questionnaire):
        raise ValidationError(
            _(
                "This version is built in or already used by a round, so its answers must stay as given. "
                "Copy it to edit."
            )
        )
    questionnaire.name_zh, questionnaire.name_en = name_zh, name_en
    questionnaire.description_zh, questionnaire.description_en = description_zh, description_en
    questionnaire.full_clean()
    questionnaire.save()
    existing = {item.pk: item for item in questionnaire.items.select_related("section")}
    sections = {section.pk: section for section in questionnaire.sections.all()}
    taken = {item.code for item in existing.values()}
    to_delete: list[int] = []
    for edit in items:
        if edit.item_id is not None:
            item = existing.get(edit.item_id)
            if item is None:
                raise ValidationError({"items": _("An item does not belong to this questionnaire.")})
            if edit.delete:
                to_delete.append(item.pk)
                continue
        else:
            if edit.delete or not (edit.text_zh or edit.text_en):
                continue
            section = sections.get(edit.section_id) if edit.section_id is not None else None
            if section is None or section.kind != SectionKind.ROOT_CAUSE:
                raise ValidationError({"items": _("New statements go into a root-cause section.")})
            position = (max((i.position for i in existing.values() if i.section_id == section.pk), default=0)) + 1
            item = Item(
                questionnaire=questionnaire,
                section=section,
                code=_new_item_code(taken),
                position=position,
                kind=ItemKind.LIKERT,
                root_cause=section.root_cause,
            )
        item.text_zh, item.text_en = edit.text_zh, edit.text_en
        item.weight, item.reverse, item.required = edit.weight, edit.reverse, edit.required
        item.full_clean()
        item.save()
        existing[item.pk] = item
    Item.objects.filter(pk__in=to_delete).delete()
    remaining = Item.objects.filter(questionnaire=questionnaire)
    for section in sections.values():
        if section.kind == SectionKind.ROOT_CAUSE and not remaining.filter(section=section).exists():
            raise ValidationError(
                {"items": _("Section “%(section)s” needs at least one statement.") % {"section": section.title}}
            )
    return questionnaire


# --- rounds ---------------------------------------------------------------------------


def previous_quarter_start(day: dt.date) -> dt.date:
    """The first day of the last complete quarter before ``day``."""
    month = (day.month - 1) // 3 * 3 + 1 - 3
    return dt.date(day.year, month, 1) if month > 0 else dt.date(day.year - 1, month + 12, 1)


@transaction.atomic
def round_open(
    *,
    questionnaire: Questionnaire,
    org_unit: OrgUnit,
    owner,
    respondents: list,
    title: str = "",
    min_respondents: int = MIN_RESPONDENTS_FLOOR,
    data_period_start: dt.date | None = None,
    opened_at: dt.datetime | None = None,
) -> AssessmentRound:
    """Open a self-check round for an org unit with its invited respondents."""
    opened_at = opened_at or timezone.now()
    respondents = list({user.pk: user for user in respondents}.values())
    if data_period_start is None:
        data_period_start = previous_quarter_start(timezone.localdate(opened_at))
    elif data_period_start.day != 1 or data_period_start.month not in (1, 4, 7, 10):
        raise ValidationError({"data_period_start": _("A quarter starts on 1 January, April, July or October.")})
    assessment_round = AssessmentRound(
        questionnaire=questionnaire,
        org_unit=org_unit,
        owner=owner,
        title=title or f"{unit_labels().get(org_unit.pk, org_unit.name)} · {timezone.localdate(opened_at):%Y-%m}",
        min_respondents=min_respondents,
        data_period_start=data_period_start,
        opened_at=opened_at,
    )
    assessment_round.full_clean()
    if len(respondents) < min_respondents:
        raise ValidationError(
            {
                "respondents": _("Invite at least %(n)s respondents: results open only once that many have submitted.")
                % {"n": min_respondents}
            }
        )
    assessment_round.save()
    assessment_round.respondents.set(respondents)
    return assessment_round


@transaction.atomic
def round_close(*, assessment_round: AssessmentRound, closed_at: dt.datetime | None = None) -> AssessmentRound:
    """Close a round: no more answers or submissions; the unit's radar (and the program radars it feeds) follow."""
    from .radar import radar_units_refresh  # the radar reads this module's helpers

    updated = AssessmentRound.objects.filter(pk=assessment_round.pk, closed_at__isnull=True).update(
        closed_at=closed_at or timezone.now()
    )
    if not updated:
        raise ValidationError(_("This round is already closed."))
    assessment_round.refresh_from_db()
    radar_units_refresh(unit_ids=[assessment_round.org_unit_id])
    return assessment_round


# --- answers --------------------------------------------------------------------------


@dataclass
class AnswerInput:
    """One answer as given: an item code with a value, "not applicable", or neither (cleared)."""

    item: str
    value: int | None = None
    not_applicable: bool = False


def _check_respondent(assessment_round: AssessmentRound, user) -> None:
    if not assessment_round.respondents.filter(pk=user.pk).exists():
        raise PermissionDenied(_("You are not a respondent of this round."))


def _already_submitted(response: Response) -> ValidationError:
    when = date_format(timezone.localtime(response.submitted_at), "DATETIME_FORMAT")
    return ValidationError(
        _("You already submitted your answers on %(when)s. Each respondent submits once; answers cannot be changed.")
        % {"when": when},
        code=ALREADY_SUBMITTED,
    )


def _open_response(assessment_round: AssessmentRound, user) -> Response:
    """The user's response row, locked, after the respondent, open-round and not-yet-submitted checks."""
    _check_respondent(assessment_round, user)
    response, _created = Response.objects.get_or_create(round=assessment_round, respondent=user)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.submitted_at is not None:
        raise _already_submitted(response)
    if AssessmentRound.objects.filter(pk=assessment_round.pk, closed_at__isnull=False).exists():
        raise ValidationError(_("This round is closed; answers can no longer be given."))
    return response


@transaction.atomic
def response_save(
    *, assessment_round: AssessmentRound, user, answers: list[AnswerInput], step: int | None = None
) -> Response:
    """Save a respondent's progress: upsert the given answers, clear blank ones, remember the step."""
    response = _open_response(assessment_round, user)
    items = {item.code: item for item in assessment_round.questionnaire.items.all()}
    errors: dict[str, list[str]] = {}
    rows: list[Answer] = []
    cleared: list[int] = []
    for given in answers:
        item = items.get(given.item)
        if item is None:
            errors.setdefault(given.item or "item", []).append(_("No such item in this questionnaire."))
            continue
        if given.not_applicable:
            rows.append(Answer(response=response, item=item, value=None, not_applicable=True))
        elif given.value is None:
            cleared.append(item.pk)
        else:
            low, high = item.value_range
            if isinstance(given.value, bool) or not isinstance(given.value, int) or not low <= given.value <= high:
                errors.setdefault(item.code, []).append(
                    _("Choose a value from %(low)s to %(high)s, or “not applicable”.") % {"low": low, "high": high}
                )
                continue
            rows.append(Answer(response=response, item=item, value=given.value, not_applicable=False))
    if errors:
        raise ValidationError(errors)
    if cleared:
        Answer.objects.filter(response=response, item_id__in=cleared).delete()
    if rows:
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "item"],
            update_fields=["value", "not_applicable"],
        )
    if step is not None:
        response.current_step = max(1, step)
    response.save(update_fields=["current_step", "updated_at"])
    return response


def missing_required_items(response: Response) -> list[Item]:
    """Required items of the round's questionnaire that the response has not answered yet."""
    answered = Answer.objects.filter(response=response).values("item_id")
    return list(
        Item.objects.filter(questionnaire_id=response.round.questionnaire_id, required=True)
        .exclude(pk__in=answered)
        .select_related("section")
        .order_by("section__position", "position")
    )


def missing_item_message(item: Item) -> str:
    return _("Step %(step)s, “%(section)s”: “%(item)s” needs an answer (or “not applicable”).") % {
        "step": item.section.position,
        "section": item.section.title,
        "item": item.text,
    }


@transaction.atomic
def response_submit(*, assessment_round: AssessmentRound, user, answers: list[AnswerInput] | None = None) -> Response:
    """Submit once: every required item answered (or "not applicable"); then the answers are final."""
    if answers:
        response_save(assessment_round=assessment_round, user=user, answers=answers)
    response = _open_response(assessment_round, user)
    missing = missing_required_items(response)
    if missing:
        raise ValidationError({item.code: [missing_item_message(item)] for item in missing})
    now = timezone.now()
    claimed = Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(submitted_at=now)
    response.refresh_from_db()
    if not claimed:
        raise _already_submitted(response)
    return response
