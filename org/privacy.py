"""Personal data of one person: everything stored about them as one JSON document, and anonymization.

Every model of every app with a foreign key to Person is found through Django's model registry, so a new
app's records are included without touching this module. Anonymizing replaces what identifies the person
(name, e-mail, external id) and drops free-text notes others wrote about them; the rows that count in
indicators, profiles and readiness stay, tied to the same anonymous person, so every aggregate stays right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from .marks import recompute_mark
from .models import Person

ANONYMOUS_NAME = "—"
# Free-text fields about a person written by others (e.g. a drill evaluator's notes): emptied on anonymization.
FREE_TEXT_FIELDS = {"notes", "note", "comment", "comments", "recording_url", "evidence_url"}


def _person_links() -> list[tuple[type[models.Model], str]]:
    """(model, field name) for every foreign key or one-to-one field pointing at Person."""
    links = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Person:
                links.append((model, field.name))
    return sorted(links, key=lambda link: (link[0]._meta.label, link[1]))


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def person_export(person: Person) -> dict:
    """Everything stored about ``person``: their record and every row that refers to them (one query a model)."""
    record = {field.attname: _plain(getattr(person, field.attname)) for field in Person._meta.concrete_fields}
    related: dict[str, list[dict]] = {}
    for model, name in _person_links():
        rows = [
            {key: _plain(value) for key, value in row.items()}
            for row in model.objects.filter(**{name: person}).values()
        ]
        if rows:
            related.setdefault(f"{model._meta.label} ({name})", []).extend(rows)
    return {"person": record, "related": related, "exported_at": timezone.now().isoformat()}


# LogEntry.additional_data["privacy"] of the two actions; the audit trail reads them as sentences.
EXPORTED, ANONYMIZED = "export", "anonymize"


def _log(person: Person, *, actor, action: int, data: dict) -> None:
    """One audit-trail line about ``person`` that names no field values (an export must not copy the data into
    the log, an anonymization must not keep the name it removed)."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(person, action=action, changes={}, actor=actor, additional_data=data)


def person_export_logged(*, person: Person, actor, fmt: str) -> dict:
    """:func:`person_export`, with a line in the audit trail saying who exported it and in which format."""
    from auditlog.models import LogEntry

    data = person_export(person)
    _log(person, actor=actor, action=LogEntry.Action.ACCESS, data={"privacy": EXPORTED, "format": fmt})
    return data


@transaction.atomic
def person_anonymize(*, person: Person, actor=None) -> Person:
    """Replace what identifies ``person`` and empty free-text notes about them; keep every counted row.
    The audit trail records who did it, under the anonymous name."""
    from auditlog.models import LogEntry

    token = hashlib.sha256(f"{person.pk}:{person.external_id}".encode()).hexdigest()[:12]
    person.external_id = f"anon-{token}"
    person.name = ANONYMOUS_NAME
    person.email = ""
    person.save(update_fields=["external_id", "name", "email"])
    for model, name in _person_links():
        text_fields = [
            field.name
            for field in model._meta.concrete_fields
            if field.name in FREE_TEXT_FIELDS and isinstance(field, models.CharField | models.TextField)
        ]
        if text_fields:
            model.objects.filter(**{name: person}).update(**dict.fromkeys(text_fields, ""))
    recompute_mark(years=None, reason="person_anonymize")  # names in cached reads; values stay the same
    # Earlier lines of the trail about the person (their exports) named them: they now read the anonymous name.
    LogEntry.objects.get_for_object(person).update(object_repr=str(person), serialized_data=None)
    _log(person, actor=actor, action=LogEntry.Action.UPDATE, data={"privacy": ANONYMIZED})
    return person
