"""How org units and people read on a page: one rule, the same on every page, chart and export.

An org unit reads as its name. Real companies repeat names (a 上海一组 in every business unit's 华东大区),
so when another unit of the organization carries the same name, the names of its parents follow, nearest
first, as many as it takes to tell the same-named units apart: "上海一组 · 华东大区 · 大客户事业部". Two
same-named units under the same parents add their code. The rule looks at the whole organization, not at
the units of one page or one login, so a unit reads the same way for everyone (in a meeting, on a print-out).

A person reads as name, role and unit ("王伟 · 销售经理 · 上海一组 · 华东大区 · 大客户事业部"); a login is
shown as its person, never by its user name, and a login without a person (an API account) is never
offered as one.

The labels of all units come from one query over the tree (id, code, name, parent), kept for the rest of the
request (``unit_labels``), so a page pays for it once however many units, pickers and charts it shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from contextvars import ContextVar

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ..models import OrgUnit, Person

SEPARATOR = " · "


# While a request runs, the labels are read once and kept for the rest of it (the pickers of a form and the
# template tags share them); outside a request (services, jobs, tests) each call reads the tree again.
_request_memo: ContextVar[dict | None] = ContextVar("org_unit_labels", default=None)


def unit_labels() -> dict[int, str]:
    """The label of every org unit by id (one query, once per request)."""
    memo = _request_memo.get()
    if memo is not None and "labels" in memo:
        return memo["labels"]
    labels = labels_from_rows(OrgUnit.objects.order_by().values_list("pk", "code", "name", "parent_id"))
    if memo is not None:
        memo["labels"] = labels
    return labels


def request_memo_start(**_kwargs) -> None:
    """``request_started``: labels read from now on are kept until the request ends."""
    _request_memo.set({})


def request_memo_end(**_kwargs) -> None:
    """``request_finished``: forget them (a later request may follow a rename)."""
    _request_memo.set(None)


def connect_request_memo() -> None:
    from django.core.signals import request_finished, request_started

    request_started.connect(request_memo_start, dispatch_uid="org.unit_labels.start")
    request_finished.connect(request_memo_end, dispatch_uid="org.unit_labels.end")


def labels_from_rows(rows: Iterable[tuple[int, str, str, int | None]]) -> dict[int, str]:
    """Labels of units given as (id, code, name, parent id) rows of the whole tree (no database)."""
    tree = {pk: (code, name, parent) for pk, code, name, parent in rows}
    same_name: dict[str, list[int]] = defaultdict(list)
    for pk, (_code, name, _parent) in tree.items():
        same_name[name].append(pk)
    labels: dict[int, str] = {}
    for name, pks in same_name.items():
        if len(pks) == 1:
            labels[pks[0]] = name
            continue
        chains = {pk: _parent_names(tree, pk) for pk in pks}
        # The fewest parents that tell the group apart as far as parents can, the same number for the group.
        deepest = max(len(chain) for chain in chains.values())
        apart = [len({tuple(chain[:depth]) for chain in chains.values()}) for depth in range(deepest + 1)]
        depth = apart.index(max(apart))
        shared = Counter(tuple(chain[:depth]) for chain in chains.values())
        for pk, chain in chains.items():
            label = SEPARATOR.join([name, *chain[:depth]])
            labels[pk] = f"{label} ({tree[pk][0]})" if shared[tuple(chain[:depth])] > 1 else label
    return labels


def _parent_names(tree: dict, pk: int) -> list[str]:
    names, seen, parent = [], {pk}, tree[pk][2]
    while parent is not None and parent in tree and parent not in seen:
        seen.add(parent)
        names.append(tree[parent][1])
        parent = tree[parent][2]
    return names


def request_unit_labels(request) -> dict[int, str]:
    """The unit labels, loaded once per request (also where no request signal runs, as in a test's factory)."""
    labels = getattr(request, "_unit_labels", None)
    if labels is None:
        labels = unit_labels()
        request._unit_labels = labels
    return labels


def unit_label(unit: OrgUnit | None, labels: dict[int, str]) -> str:
    if unit is None:
        return ""
    return labels.get(unit.pk, unit.name)


def person_label(person: Person, labels: dict[int, str]) -> str:
    """Name, role and unit of a person; the person's ``org_unit`` should be selected with it."""
    return SEPARATOR.join([person.name, str(person.get_role_display()), labels.get(person.org_unit_id, "")]).rstrip(
        SEPARATOR
    )


def user_label(user, labels: dict[int, str] | None = None) -> str:
    """A login as the person it is (with role and unit when ``labels`` are given), else its full name.

    The user name shows only for a login that has neither, and such a login is never offered in a picker.
    """
    if user is None:
        return ""
    try:
        person = user.profile.person
    except ObjectDoesNotExist:
        person = None
    if person is not None:
        return person_label(person, labels) if labels is not None else person.name
    return user.get_full_name() or user.get_username()


# --- pickers ------------------------------------------------------------------------------------------


class _LabelledIterator(ModelChoiceIterator):
    """Reads the choices once and labels them all together (one query for every label, not one per row)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        objects = list(self.queryset)
        labels = unit_labels()
        for obj in objects:
            obj.display_label = self.field.label_with(obj, labels)
            yield self.choice(obj)


class _Labelled:
    iterator = _LabelledIterator

    def label_from_instance(self, obj) -> str:
        label = getattr(obj, "display_label", None)
        return label if label is not None else self.label_with(obj, unit_labels())

    def label_with(self, obj, labels: dict[int, str]) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class UnitChoiceField(_Labelled, forms.ModelChoiceField):
    """An org-unit picker whose options read as the units do everywhere (name plus what tells them apart)."""

    def label_with(self, obj: OrgUnit, labels: dict[int, str]) -> str:
        return unit_label(obj, labels)


class UnitMultipleChoiceField(_Labelled, forms.ModelMultipleChoiceField):
    def label_with(self, obj: OrgUnit, labels: dict[int, str]) -> str:
        return unit_label(obj, labels)


SEARCH_URL = reverse_lazy("org:people-search")


class PeopleSelect(forms.Select):
    """A select of people with a search box above it (static/js/people.js).

    The logins a form accepts are few, so all of them are rendered and the box narrows them on the page
    (``data-people-filter``). The people of an organization are many: ``ChosenPeopleSelect`` renders only the
    chosen ones and the box asks the server (``data-people-search``, the people of the reader's scope).
    """

    server_search = False

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-search-label": str(_("Search by name"))}
        if self.server_search:
            attrs["data-people-search"] = str(SEARCH_URL)
            self.choices = _only_chosen(self.choices, value)
        else:
            attrs["data-people-filter"] = ""
        return super().get_context(name, value, attrs)


class PeopleSelectMultiple(PeopleSelect, forms.SelectMultiple):
    pass


class ChosenPeopleSelect(PeopleSelect):
    server_search = True


def _only_chosen(choices, value):
    """The choices narrowed to the chosen values (the queryset filtered, not read whole)."""
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    field = choices.field
    wanted = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")]
    key = field.to_field_name or "pk"
    narrowed = field.queryset.none()
    if wanted:
        try:
            narrowed = field.queryset.filter(**{f"{key}__in": wanted})
        except (ValueError, TypeError):
            narrowed = field.queryset.none()
    return choices.__class__(_NarrowedField(field, narrowed))


class _NarrowedField:
    """The field as its iterator sees it, with a narrower queryset and no empty option."""

    def __init__(self, field, queryset):
        self._field, self.queryset, self.empty_label = field, queryset, None

    def __getattr__(self, name):
        return getattr(self._field, name)


class PersonChoiceField(_Labelled, forms.ModelChoiceField):
    """A person of a short list (a team's members), each option by name, role and unit."""

    def label_with(self, obj: Person, labels: dict[int, str]) -> str:
        return person_label(obj, labels)


class PersonSearchField(PersonChoiceField):
    """A person, chosen by name with a search served within the reader's scope; the value is the external id."""

    widget = ChosenPeopleSelect
    default_error_messages = {
        "invalid_choice": _("Choose a person from the part of the organization you can see."),
    }

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset=queryset, to_field_name="external_id", **kwargs)


class LoginChoiceField(_Labelled, forms.ModelChoiceField):
    """A login chosen as the person it is; the queryset is ``org.selectors.people_logins_visible``."""

    default_error_messages = {
        "invalid_choice": _("Choose a person with a login from the part of the organization you can see."),
    }

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", PeopleSelect)
        super().__init__(queryset=queryset, **kwargs)

    def label_with(self, obj, labels: dict[int, str]) -> str:
        return user_label(obj, labels)


class LoginMultipleChoiceField(_Labelled, forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose people with a login from the part of the organization you can see."),
    }

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("widget", PeopleSelectMultiple)
        super().__init__(queryset=queryset, **kwargs)

    def label_with(self, obj, labels: dict[int, str]) -> str:
        return user_label(obj, labels)


class UnitObjectMultipleChoiceField(_Labelled, forms.ModelMultipleChoiceField):
    """Objects that belong to a unit (scorecards, customer project teams): their name and their unit's label,
    so that two teams or cards of the same name read apart."""

    def label_with(self, obj, labels: dict[int, str]) -> str:
        unit = labels.get(obj.org_unit_id) if getattr(obj, "org_unit_id", None) else None
        return SEPARATOR.join([str(obj), unit]) if unit else str(obj)
