"""Set-based validation of an upload against a dataset.

In order: the columns against the dataset's fields, every value column by column,
references resolved in bulk (one query per referenced model), duplicate keys,
references to rows of the same dataset (which may be defined later in the same
upload, so they are ordered into write levels), then the dataset's own checks.
Nothing here runs a query per row.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from .errors import ErrorCollector
from .fields import Reference, model_column
from .parsing import Table, unknown_field_message
from .registry import Dataset

# Up to this many keys go into a plain IN (...) list; more are passed as one array parameter.
_PLAIN_IN_LIMIT = 500


class Batch:
    """An upload after parsing: clean values per field, resolved references, errors, write order."""

    def __init__(self, dataset: Dataset, table: Table):
        self.dataset = dataset
        self.size = table.size
        self.row_numbers = table.row_numbers
        self.errors = ErrorCollector(table.row_numbers)
        # field name -> one clean value per record (references: the referenced row's id)
        self.values: dict[str, list] = {}
        # reference field name -> the key text given for each record
        self.keys: dict[str, list] = {}
        # record indexes grouped into levels; a level only refers to rows of earlier levels
        self.levels: list[list[int]] = [list(range(self.size))]
        # self-referencing datasets: natural key -> id of rows already in the database
        self.existing_ids: dict = {}

    def error(self, index: int | None, field: str | None, message: str) -> None:
        """Report a problem with record ``index`` (0-based), or with the upload when None."""
        self.errors.add(index, field, message)

    def is_ok(self, index: int) -> bool:
        """Whether no error has been reported for record ``index`` so far."""
        return index not in self.errors.bad_rows

    def row_number(self, index: int) -> int:
        return self.row_numbers[index]

    def column(self, name: str) -> list:
        return self.values[name]


def key_filter(model_field: models.Field, values) -> models.Q:
    """``field IN values`` as one query whatever the number of values.

    Long lists travel as one array (PostgreSQL) or one JSON text (SQLite) parameter
    instead of one parameter per value.
    """
    values = list(values)
    name = model_field.attname
    if len(values) <= _PLAIN_IN_LIMIT:
        return models.Q(**{f"{name}__in": values})
    if connection.vendor == "postgresql":
        db_type = model_field.db_type(connection)
        subquery = RawSQL(f"SELECT unnest(%s::{db_type}[])", (values,))
        return models.Q(**{f"{name}__in": subquery})
    if connection.vendor == "sqlite":
        subquery = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values, cls=DjangoJSONEncoder),))
        return models.Q(**{f"{name}__in": subquery})
    return models.Q(**{f"{name}__in": values})


def ids_by_key(model: type[models.Model], by: str, keys) -> dict:
    """Natural key -> id for the rows of ``model`` with those keys (one query)."""
    keys = {key for key in keys if key is not None}
    if not keys:
        return {}
    model_field = model_column(model, by)
    rows = model._base_manager.filter(key_filter(model_field, keys)).values_list(by, "pk")
    return dict(rows.iterator(chunk_size=10_000))


def validate(dataset: Dataset, table: Table, *, scope: frozenset[int] | None = None) -> Batch:
    """Parse and check every record of the table; the batch carries the errors and the clean values.

    ``scope``: the ids of the org units the uploader may see, or None when they see
    every unit; records that would touch a unit outside it are errors.
    """
    batch = Batch(dataset, table)
    batch.errors.extend(table.errors)
    _check_columns(batch, table)
    for field in dataset.fields:
        raw = table.columns.get(field.name)
        if raw is None and table.per_record and field.required and batch.size:
            # JSON: each record lacking a required field is an error on its own row.
            raw = [None] * batch.size
        if raw is None:
            batch.values[field.name] = [field.empty_value] * batch.size
        else:
            batch.values[field.name] = field.parse_column(raw, batch.errors)
        if isinstance(field, Reference):
            batch.keys[field.name] = batch.values[field.name]
    _resolve_references(batch)
    _check_duplicate_keys(batch)
    _order_self_references(batch)
    if scope is not None:
        check_scope(batch, scope)
    for check in dataset.checks:
        check(batch)
    return batch


def _check_columns(batch: Batch, table: Table) -> None:
    dataset = batch.dataset
    known = dataset.fields_by_name
    for name in table.columns:
        if name not in known:
            batch.error(None, name, unknown_field_message(dataset, name))
    if not batch.size or table.per_record:
        return
    for field in dataset.fields:
        if field.required and field.name not in table.columns:
            batch.error(None, field.name, _("The required field “%(name)s” is missing.") % {"name": field.name})


def _resolve_references(batch: Batch) -> None:
    """Replace reference keys by ids: one query per referenced model and key field."""
    dataset = batch.dataset
    wanted: dict[tuple, set] = {}
    for field in dataset.fields:
        if isinstance(field, Reference) and field.to is not dataset.model:
            wanted.setdefault((field.to, field.by), set()).update(batch.keys[field.name])
    found = {target: ids_by_key(target[0], target[1], keys) for target, keys in wanted.items()}
    for field in dataset.fields:
        if not isinstance(field, Reference) or field.to is dataset.model:
            continue
        lookup = found[(field.to, field.by)]
        keys = batch.keys[field.name]
        ids = list(map(lookup.get, keys))
        if ids.count(None) != keys.count(None):
            for index, (key, pk) in enumerate(zip(keys, ids, strict=True)):
                if pk is None and key is not None:
                    batch.error(index, field.name, field.unknown_message(key))
        batch.values[field.name] = ids


def _key_columns(batch: Batch) -> list[list]:
    """The key of each record as given (references by their key text)."""
    return [batch.keys.get(field.name) or batch.values[field.name] for field in batch.dataset.key_fields]


def _check_duplicate_keys(batch: Batch) -> None:
    """A key may appear once per upload; a repeat is an error on the later row naming the earlier one."""
    dataset = batch.dataset
    first_row: dict = {}
    columns = _key_columns(batch)
    keys = columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))
    single = len(columns) == 1
    if single:
        given = [key for key in keys if key is not None]
        if len(set(given)) == len(given):
            return  # the usual case: every key once
    for index, key in enumerate(keys):
        if key is None or (not single and None in key):
            continue
        earlier = first_row.setdefault(key, index)
        if earlier != index:
            batch.error(
                index,
                dataset.key_label,
                _("Duplicate of row %(row)d: %(key)s “%(value)s” appears more than once in this upload.")
                % {
                    "row": batch.row_numbers[earlier],
                    "key": dataset.key_label,
                    "value": key if single else ", ".join(str(part) for part in key),
                },
            )


def _order_self_references(batch: Batch) -> None:
    """Resolve references to rows of the same dataset and sort the records into write levels.

    A target already in the database has a stable id. A target that is new in this
    upload must be written first, so the referring record goes one level later.
    A loop among new rows cannot be written in any order and is reported.
    """
    dataset = batch.dataset
    self_fields = dataset.self_references
    if not self_fields:
        return
    key_field = dataset.key_fields[0]
    own_keys = batch.values[key_field.name]
    row_of: dict = {}
    for index, key in enumerate(own_keys):
        if key is not None:
            row_of.setdefault(key, index)
    wanted = set(row_of)
    for field in self_fields:
        wanted.update(batch.keys[field.name])
    batch.existing_ids = ids_by_key(dataset.model, key_field.bound_field.name, wanted)
    depends: dict[int, list[int]] = {}
    for field in self_fields:
        ids: list[int | None] = []
        for index, key in enumerate(batch.keys[field.name]):
            if key is None:
                ids.append(None)
            elif key in batch.existing_ids:
                ids.append(batch.existing_ids[key])
            elif key in row_of:
                ids.append(None)
                depends.setdefault(index, []).append(row_of[key])
            else:
                batch.error(index, field.name, field.unknown_message(key))
                ids.append(None)
        batch.values[field.name] = ids
    if depends:
        batch.levels = _levels(batch, depends)


def _levels(batch: Batch, depends: dict[int, list[int]]) -> list[list[int]]:
    """Group records so every record comes after those it depends on; report loops (iterative DFS)."""
    own_keys = batch.values[batch.dataset.key_fields[0].name]
    field_name = batch.dataset.self_references[0].name
    level = [0] * batch.size
    state = [0] * batch.size  # 0 unseen, 1 on the current path, 2 done
    for start in depends:
        if state[start]:
            continue
        path = [start]
        state[start] = 1
        cursors = [0]
        while path:
            node = path[-1]
            targets = depends.get(node, ())
            if cursors[-1] < len(targets):
                target = targets[cursors[-1]]
                cursors[-1] += 1
                if state[target] == 0:
                    state[target] = 1
                    path.append(target)
                    cursors.append(0)
                elif state[target] == 1:
                    loop = path[path.index(target) :]
                    chain = " → ".join(str(own_keys[i]) for i in [*loop, target])
                    for member in loop:
                        batch.error(
                            member,
                            field_name,
                            _("These rows refer to each other in a loop: %(chain)s.") % {"chain": chain},
                        )
                else:
                    level[node] = max(level[node], level[target] + 1)
                continue
            path.pop()
            cursors.pop()
            state[node] = 2
            if path:
                parent = path[-1]
                level[parent] = max(level[parent], level[node] + 1)
    groups: dict[int, list[int]] = {}
    for index in range(batch.size):
        groups.setdefault(level[index], []).append(index)
    return [groups[number] for number in sorted(groups)]


def check_scope(batch: Batch, scope: frozenset[int]) -> None:
    """Keep an uploader whose login is scoped to a subtree inside it.

    Every org unit a record names (``org_unit``, ``parent``...) must lie in the
    subtree, and so must the unit a stored record currently belongs to: a scoped
    HR lead can neither write into another subtree nor pull a record out of it.
    For the org units themselves, the unit and its parent must both lie inside, so
    a scoped login cannot add a unit without a parent.
    """
    from ..models import OrgUnit  # the framework lives in the org app; its tree defines the scope

    dataset = batch.dataset
    unit_fields = [field for field in dataset.fields if isinstance(field, Reference) and field.to is OrgUnit]
    is_tree = dataset.model is OrgUnit
    if not unit_fields and not is_tree:
        return
    outside = _("“%(code)s” is outside the part of the organization you may change.")
    for field in unit_fields:
        keys, ids = batch.keys[field.name], batch.values[field.name]
        for index, (key, pk) in enumerate(zip(keys, ids, strict=True)):
            if pk is not None and pk not in scope:
                batch.error(index, field.name, outside % {"code": key})
    if is_tree:
        parent_keys = batch.keys[dataset.self_references[0].name]
        codes = batch.values[dataset.key_fields[0].name]
        # A unit may stay without a parent (the login's own root may be a company), not become one.
        rooted = set(
            OrgUnit.objects.filter(
                pk__in=[batch.existing_ids[code] for code in codes if code in batch.existing_ids],
                parent__isnull=True,
            ).values_list("code", flat=True)
        )
        for index, (code, parent) in enumerate(zip(codes, parent_keys, strict=True)):
            if parent is None and code not in rooted and batch.is_ok(index):
                batch.error(
                    index,
                    dataset.self_references[0].name,
                    _("Only a login that sees the whole organization can make a unit without a parent."),
                )
    # Stored records with the upload's keys: where are they now?
    key_fields = dataset.key_fields
    key_columns = [batch.values[field.name] for field in key_fields]
    row_of: dict = {}
    for index, key in enumerate(zip(*key_columns, strict=True)):
        if None not in key:
            row_of.setdefault(key, index)
    if not row_of:
        return
    stored_units = ["pk"] if is_tree else [field.attname for field in unit_fields]
    first = key_fields[0].bound_field
    stored = dataset.model._base_manager.filter(key_filter(first, {key[0] for key in row_of})).values_list(
        *[field.attname for field in key_fields], *stored_units
    )
    width = len(key_fields)
    for values in stored.iterator(chunk_size=10_000):
        row = row_of.get(tuple(values[:width]))
        if row is None:
            continue
        if any(unit is not None and unit not in scope for unit in values[width:]):
            shown = ", ".join(
                str((batch.keys.get(field.name) or batch.values[field.name])[row]) for field in key_fields
            )
            batch.error(
                row,
                dataset.key_label,
                _(
                    "The stored %(model)s “%(key)s” belongs to a unit outside the part of the organization "
                    "you may change."
                )
                % {"model": dataset.model._meta.verbose_name, "key": shown},
            )
