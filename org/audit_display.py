"""How an audit entry reads on the trail page: the kind of record, the action, and each change as
"label: old → new" in the reader's language.

django-auditlog stores what it saw as strings: field names, choice codes, related ids, datetimes as naive
UTC, JSON dumps. This module turns a page of entries into what an HR lead reads: field verbose names,
choice labels, the names of related records (one query per related model for the whole page), days and
times in the deployment's time zone, long values cut short with the whole value kept for a tooltip. An
upload of facts (``ImportRecord``) reads as one sentence with its counts.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from .ingest import UnknownDataset, get_dataset
from .models import ImportRecord
from .ui.dates import day_text, moment_text
from .ui.formatting import MISSING, format_number

ACTIONS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit action", "Created"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit action", "Changed"),
    LogEntry.Action.DELETE: pgettext_lazy("audit action", "Deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit action", "Viewed"),
}
# Longer values are cut to this many characters on the page; the whole value is the cell's tooltip.
SHOWN_LENGTH = 60
ARROW = "→"


@dataclass(frozen=True)
class Value:
    """A value as shown (``text``, perhaps cut short) and as a whole (``full``, the tooltip when cut)."""

    text: str
    full: str = ""

    @classmethod
    def of(cls, text: str) -> Value:
        text = " ".join(text.split()) or MISSING
        if len(text) <= SHOWN_LENGTH:
            return cls(text)
        return cls(text[: SHOWN_LENGTH - 1].rstrip() + "…", text)


@dataclass(frozen=True)
class Change:
    label: str
    old: Value | None  # None: nothing before (a record created, objects added to a list)
    new: Value


@dataclass
class EntryView:
    """One row of the trail."""

    entry: LogEntry
    when: str
    actor: str
    action: str
    kind: str
    record: str  # the record's name now (in the reader's language), or as it was logged once it is gone
    changes: list[Change] = field(default_factory=list)
    sentence: str = ""


def user_label(user) -> str:
    """A login as the trail names it: the person's full name, or the login name without one."""
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def kind_label(model: type[models.Model] | None, fallback: str = "") -> str:
    """The translated name of a kind of record (``API token``), never its class."""
    return capfirst(model._meta.verbose_name) if model is not None else fallback


def entry_views(entries) -> list[EntryView]:
    """The page's entries as rows: kind, action and changes in the reader's language."""
    entries = list(entries)
    names = _related_names(entries)
    current = _current_names(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        row = EntryView(
            entry=entry,
            when=moment_text(entry.timestamp),
            actor=user_label(entry.actor),
            action=str(ACTIONS.get(entry.action, entry.action)),
            kind=kind_label(model, entry.content_type.name),
            record=current.get((entry.content_type_id, entry.object_pk), entry.object_repr),
        )
        privacy = (entry.additional_data or {}).get("privacy") if isinstance(entry.additional_data, dict) else None
        if model is ImportRecord:
            row.sentence = _import_sentence(entry.changes_dict or {})
        elif privacy:
            row.sentence = _privacy_sentence(privacy, entry.additional_data.get("format", ""))
        else:
            changes = sorted((entry.changes_dict or {}).items(), key=lambda item: _field_rank(model, item[0]))
            row.changes = [_change(model, name, values, names) for name, values in changes if _shown(model, name)]
            if entry.action == LogEntry.Action.CREATE:  # nothing before: only what the record was created with
                row.changes = [Change(change.label, None, change.new) for change in row.changes]
        rows.append(row)
    return rows


def _field(model, name: str):
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return model_field if model_field.concrete or model_field.many_to_many else None


def _field_rank(model, name: str) -> tuple[int, str]:
    """Changes in the order the model declares its fields: the same on every database (PostgreSQL's jsonb
    keeps its keys sorted by length, SQLite in the order they were written), and the order of the forms."""
    order = _field_order(model) if model is not None else {}
    return (order.get(name, len(order)), name)


@functools.cache
def _field_order(model) -> dict[str, int]:
    return {model_field.name: index for index, model_field in enumerate(model._meta.get_fields())}


def _shown(model, name: str) -> bool:
    """Whether a logged field is worth a line: a field of the model (not a reverse relation auditlog saw), not
    its id, not a time the model sets itself (the row's own time says when)."""
    if model is None:
        return True
    model_field = _field(model, name)
    if model_field is None or model_field.primary_key:
        return False
    return not getattr(model_field, "auto_now", False) and not getattr(model_field, "auto_now_add", False)


def _change(model, name: str, values, names) -> Change:
    model_field = _field(model, name)
    label = capfirst(model_field.verbose_name) if hasattr(model_field, "verbose_name") else name
    if isinstance(values, dict) and values.get("type") == "m2m":  # objects added to or removed from a list
        sign = "+" if values.get("operation") == "add" else "−"
        return Change(label, None, Value.of(f"{sign} {', '.join(map(str, values.get('objects', [])))}"))
    old, new = (list(values) + [None, None])[:2] if isinstance(values, list | tuple) else (None, values)
    return Change(label, Value.of(_value(model_field, old, names)), Value.of(_value(model_field, new, names)))


def _value(model_field, raw, names) -> str:  # noqa: C901, PLR0911 (one branch per kind of field)
    if raw is None or raw == "None" or raw == "":
        return MISSING
    text = str(raw)
    if model_field is None:
        return text
    if model_field.many_to_one or model_field.one_to_one:
        return names.get((model_field.related_model, text), text)
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(text, text))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if text == "True" else _("no") if text == "False" else text
    if isinstance(model_field, models.DateTimeField):
        return _moment_value(text)
    if isinstance(model_field, models.DateField):
        try:
            return day_text(dt.date.fromisoformat(text[:10]))
        except ValueError:
            return text
    if isinstance(model_field, models.DecimalField | models.FloatField):
        return _number(text)
    if isinstance(model_field, models.JSONField):
        return _json_summary(text)
    return text


def _moment_value(text: str) -> str:
    """auditlog keeps a datetime as naive UTC text ("2026-12-03 06:30:00"); shown in the deployment's zone."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return moment_text(value)


def _number(text: str) -> str:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    places = max(0, -number.normalize().as_tuple().exponent) if number.is_finite() else 0
    return format_number(number, decimals=places)


def _json_summary(text: str) -> str:
    """A stored JSON value as plain words: "key: value" pairs, lists joined by commas, nested records in
    parentheses, numbers to their own places (never a Python repr such as ``{'coef': 1.3212202161351254}``)."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return _plain(value, nested=False)


def _plain(value, *, nested: bool = True) -> str:
    if isinstance(value, dict):
        joined = "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
        return f"({joined})" if nested else joined
    if isinstance(value, list):
        joined = ", ".join(_plain(item) for item in value)
        return f"[{joined}]" if nested and any(isinstance(item, dict | list) for item in value) else joined
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return MISSING
    if isinstance(value, float):
        return format_number(Decimal(repr(value)), decimals=3).rstrip("0").rstrip(".,") or "0"
    if isinstance(value, int):
        return format_number(value, decimals=0)
    return str(value)


def _related_names(entries) -> dict:
    """(related model, id as text) -> the related record's name, for every related id on the page."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            model_field = _field(model, name)
            if model_field is None or not (model_field.many_to_one or model_field.one_to_one):
                continue
            for raw in values if isinstance(values, list | tuple) else [values]:
                try:
                    wanted[model_field.related_model].add(model_field.target_field.to_python(raw))
                except (ValidationError, TypeError, ValueError):
                    continue
    names = {}
    for related, ids in wanted.items():
        ids.discard(None)
        for pk, record in related._default_manager.in_bulk(ids).items():
            names[(related, str(pk))] = user_label(record) if hasattr(record, "get_username") else str(record)
    return names


def _current_names(entries) -> dict:
    """(content type id, object pk) -> the record's name as it reads now, one query per kind on the page.

    auditlog keeps the name a record had when it was logged, in the language of that request; a record that
    still exists is named as it is now, in the reader's language.
    """
    wanted = defaultdict(set)
    for entry in entries:
        wanted[entry.content_type_id].add(entry.object_pk)
    names = {}
    for entry in entries:
        model = entry.content_type.model_class()
        ids = wanted.pop(entry.content_type_id, None)
        if model is None or model is ImportRecord or not ids:
            continue
        # select_related(): a name made of related records (a token names its user) costs no query per row
        for pk, record in model._default_manager.select_related().in_bulk(_pks(model, ids)).items():
            names[(entry.content_type_id, str(pk))] = str(record)
    return names


def _pks(model, raw_ids) -> list:
    pks = []
    for raw in raw_ids:
        try:
            pks.append(model._meta.pk.to_python(raw))
        except ValidationError:
            continue
    return pks


def _privacy_sentence(action: str, fmt: str) -> str:
    """What a personal-data export or an anonymization did, in one sentence."""
    if action == "anonymize":
        return _(
            "Anonymized: name and external id replaced, e-mail and notes about the person removed; counted facts kept."
        )
    return _("Exported everything stored about the person (%(format)s).") % {"format": fmt.upper()}


def _import_sentence(changes: dict) -> str:
    """ "Imported “leads.csv” into Leads: 3 rows (2 created, 1 updated, 0 unchanged)." from the logged values."""

    def new(name: str) -> str:
        values = changes.get(name)
        return str(values[-1]) if isinstance(values, list | tuple) and values else ""

    try:
        dataset = str(get_dataset(new("dataset")).label)
    except UnknownDataset:
        dataset = new("dataset")
    counts = {
        name: format_number(int(new(name) or 0), decimals=0) for name in ("rows", "created", "updated", "unchanged")
    }
    rows = int(new("rows") or 0)
    if new("file_name"):
        return ngettext(
            "Imported “%(file)s” into %(dataset)s: %(rows)s row (%(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged).",
            "Imported “%(file)s” into %(dataset)s: %(rows)s rows (%(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged).",
            rows,
        ) % {"file": new("file_name"), "dataset": dataset, **counts}
    return ngettext(
        "Imported records sent over the API into %(dataset)s: %(rows)s row (%(created)s created, "
        "%(updated)s updated, %(unchanged)s unchanged).",
        "Imported records sent over the API into %(dataset)s: %(rows)s rows (%(created)s created, "
        "%(updated)s updated, %(unchanged)s unchanged).",
        rows,
    ) % {"dataset": dataset, **counts}
