"""The built-in default questionnaire, written from the seed's part 1, kept in sync after migrate."""

from __future__ import annotations

from django.db import transaction

from .choices import ItemKind, SectionKind
from .framework import (
    DEFAULT_DESCRIPTION,
    DEFAULT_FAMILY,
    DEFAULT_NAME,
    ROOT_CAUSE_SECTIONS,
    SYMPTOM_SECTION,
    root_cause_name,
)


def default_questionnaire_spec() -> list[dict]:
    """The sections of the default questionnaire as plain rows (root causes first, then symptoms)."""
    sections = []
    for section in ROOT_CAUSE_SECTIONS:
        sections.append(
            {
                "kind": SectionKind.ROOT_CAUSE,
                "root_cause": section["root_cause"],
                "title": root_cause_name(section["root_cause"]),
                "intro": section["intro"],
                "items": [
                    {
                        "code": code,
                        "kind": ItemKind.LIKERT,
                        "root_cause": section["root_cause"],
                        "symptom": "",
                        "text": (zh, en),
                        "reverse": reverse,
                    }
                    for code, zh, en, reverse in section["items"]
                ],
            }
        )
    sections.append(
        {
            "kind": SectionKind.SYMPTOMS,
            "root_cause": "",
            "title": SYMPTOM_SECTION["title"],
            "intro": SYMPTOM_SECTION["intro"],
            "items": [
                {"code": code, "kind": ItemKind.SYMPTOM, "root_cause": "", "symptom": symptom, "text": (zh, en)}
                for code, symptom, zh, en in SYMPTOM_SECTION["items"]
            ],
        }
    )
    return sections


@transaction.atomic
def builtin_questionnaire_sync(**kwargs):
    """post_migrate: create the default questionnaire, or rewrite it while no round uses it.

    Once a round uses it, its items are frozen (answers reference them) and the sync leaves it alone.
    """
    from .models import Item, Questionnaire, Section

    questionnaire = Questionnaire.objects.filter(family=DEFAULT_FAMILY, is_builtin=True).order_by("version").first()
    if questionnaire is None:
        questionnaire = Questionnaire(family=DEFAULT_FAMILY, version=1, is_builtin=True)
    elif questionnaire.rounds.exists():
        return questionnaire
    questionnaire.name_zh, questionnaire.name_en = DEFAULT_NAME
    questionnaire.description_zh, questionnaire.description_en = DEFAULT_DESCRIPTION
    questionnaire.save()
    questionnaire.items.all().delete()
    questionnaire.sections.all().delete()
    for position, spec in enumerate(default_questionnaire_spec(), start=1):
        section = Section.objects.create(
            questionnaire=questionnaire,
            position=position,
            kind=spec["kind"],
            root_cause=spec["root_cause"],
            title_zh=spec["title"][0],
            title_en=spec["title"][1],
            intro_zh=spec["intro"][0],
            intro_en=spec["intro"][1],
        )
        Item.objects.bulk_create(
            Item(
                questionnaire=questionnaire,
                section=section,
                code=item["code"],
                position=item_position,
                kind=item["kind"],
                root_cause=item["root_cause"],
                symptom=item["symptom"],
                text_zh=item["text"][0],
                text_en=item["text"][1],
                reverse=item.get("reverse", False),
            )
            for item_position, item in enumerate(spec["items"], start=1)
        )
    return questionnaire
