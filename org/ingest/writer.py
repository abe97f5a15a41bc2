"""The bulk upsert behind every dataset: insert new keys, update changed rows, leave equal rows alone.

PostgreSQL: the rows are streamed with ``COPY`` into a temporary table; rows equal to
the stored ones are dropped from it with one join, then one ``INSERT ... SELECT ... ON
CONFLICT (key) DO UPDATE ... WHERE <row> IS DISTINCT FROM EXCLUDED`` writes the rest;
``RETURNING (xmax = 0)`` tells inserted from updated rows. Equal rows are not touched
at all (no new row version, no row lock, no ``updated_at`` change).

Other databases (SQLite, the embedded default): one query reads the stored rows with
the same keys, the new and changed rows are found in Python and written with
``bulk_create(update_conflicts=True)``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

from .validation import Batch, ids_by_key, key_filter


def write_batch(batch: Batch) -> tuple[int, int]:
    """Write a validated batch level by level; returns (created, updated)."""
    dataset = batch.dataset
    if dataset.writer is not None:
        return dataset.writer(batch)
    fields = dataset.fields
    columns = [field.attname for field in fields]
    key_columns = [field.attname for field in dataset.key_fields]
    self_fields = dataset.self_references
    created = updated = 0
    for number, indexes in enumerate(batch.levels):
        if number and self_fields:
            _fill_self_references(batch, indexes)
        value_lists = [batch.values[field.name] for field in fields]
        if len(indexes) == batch.size:
            rows = list(zip(*value_lists, strict=True))
        else:
            rows = [tuple(values[i] for values in value_lists) for i in indexes]
        level_created, level_updated = upsert_rows(dataset.model, columns=columns, key_columns=key_columns, rows=rows)
        created += level_created
        updated += level_updated
    return created, updated


def _fill_self_references(batch: Batch, indexes: list[int]) -> None:
    """Ids of targets written at earlier levels, looked up once per level."""
    dataset = batch.dataset
    key_field = dataset.key_fields[0]
    pending = {
        batch.keys[field.name][i]
        for field in dataset.self_references
        for i in indexes
        if batch.keys[field.name][i] is not None and batch.keys[field.name][i] not in batch.existing_ids
    }
    batch.existing_ids.update(ids_by_key(dataset.model, key_field.bound_field.name, pending))
    for field in dataset.self_references:
        keys = batch.keys[field.name]
        values = batch.values[field.name]
        for i in indexes:
            if keys[i] is not None:
                values[i] = batch.existing_ids[keys[i]]


def _implicit_columns(model: type[models.Model], columns: Sequence[str]) -> tuple[dict, list[str]]:
    """Values for the model's other columns on insert (defaults, timestamps) and the ones refreshed on update."""
    now = timezone.now()
    on_insert: dict[str, object] = {}
    on_update: list[str] = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in columns:
            continue
        if getattr(field, "auto_now", False):
            on_insert[field.attname] = now
            on_update.append(field.attname)
        elif getattr(field, "auto_now_add", False):
            on_insert[field.attname] = now
        elif field.has_default():
            on_insert[field.attname] = field.get_db_prep_save(field.get_default(), connection)
    return on_insert, on_update


def upsert_rows(
    model: type[models.Model], *, columns: list[str], key_columns: list[str], rows: list[tuple]
) -> tuple[int, int]:
    """Insert or update ``rows`` (tuples in ``columns`` order) by ``key_columns``; returns (created, updated)."""
    if not rows:
        return 0, 0
    if connection.vendor == "postgresql":
        return _upsert_postgresql(model, columns, key_columns, rows)
    return _upsert_by_diff(model, columns, key_columns, rows)


def _upsert_postgresql(model, columns, key_columns, rows) -> tuple[int, int]:
    quote = connection.ops.quote_name
    opts = model._meta
    fields_by_attname = {field.attname: field for field in opts.concrete_fields}
    stage = f"ingest_stage_{uuid.uuid4().hex[:16]}"
    on_insert, on_update = _implicit_columns(model, columns)
    compare = [column for column in columns if column not in key_columns]
    definitions = ", ".join(f"{quote(c)} {fields_by_attname[c].db_type(connection)}" for c in columns)
    target_columns = ", ".join(quote(c) for c in [*columns, *on_insert])
    source_columns = ", ".join([quote(c) for c in columns] + ["%s"] * len(on_insert))
    if compare:
        assignments = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in [*compare, *on_update])
        stored = ", ".join(f"target.{quote(c)}" for c in compare)
        incoming = ", ".join(f"EXCLUDED.{quote(c)}" for c in compare)
        conflict = f"DO UPDATE SET {assignments} WHERE ({stored}) IS DISTINCT FROM ({incoming})"
    else:
        conflict = "DO NOTHING"
    upsert = (
        f"WITH written AS ("
        f" INSERT INTO {quote(opts.db_table)} AS target ({target_columns})"
        f" SELECT {source_columns} FROM {stage}"
        f" ON CONFLICT ({', '.join(quote(c) for c in key_columns)}) {conflict}"
        f" RETURNING (xmax = 0) AS inserted)"
        f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} ({definitions}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {stage} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)
        if compare:
            # Rows equal to what is stored leave the stage first: ON CONFLICT would lock (and so
            # write to) every conflicting row even when its WHERE is false. A re-sent file then
            # costs one read-only join.
            same_key = " AND ".join(f"target.{quote(c)} = {stage}.{quote(c)}" for c in key_columns)
            staged = ", ".join(f"{stage}.{quote(c)}" for c in compare)
            cursor.execute(
                f"DELETE FROM {stage} USING {quote(opts.db_table)} AS target"
                f" WHERE {same_key} AND ({stored}) IS NOT DISTINCT FROM ({staged})"
            )
        cursor.execute(upsert, list(on_insert.values()))
        created, updated = cursor.fetchone()
        cursor.execute(f"DROP TABLE {stage}")
    return created, updated


def _upsert_by_diff(model, columns, key_columns, rows) -> tuple[int, int]:
    opts = model._meta
    key_positions = [columns.index(c) for c in key_columns]
    compare = [c for c in columns if c not in key_columns]
    compare_positions = [columns.index(c) for c in compare]
    single = len(key_columns) == 1

    def key_of(row):
        return row[key_positions[0]] if single else tuple(row[p] for p in key_positions)

    # One query: the stored rows whose key is in the upload (filtered on the first key column).
    first_key = opts.get_field(key_columns[0])
    stored_keys = {row[key_positions[0]] for row in rows}
    stored = {}
    queryset = model._base_manager.filter(key_filter(first_key, stored_keys)).values_list(*key_columns, *compare)
    width = len(key_columns)
    for values in queryset.iterator(chunk_size=10_000):
        stored[values[0] if single else values[:width]] = values[width:]
    new_rows, changed_rows = [], []
    for row in rows:
        old = stored.get(key_of(row))
        if old is None:
            new_rows.append(row)
        elif tuple(row[p] for p in compare_positions) != old:
            changed_rows.append(row)
    if (new_rows or changed_rows) and connection.vendor == "sqlite":
        _insert_on_conflict_sqlite(model, columns, key_columns, compare, [*new_rows, *changed_rows])
    elif new_rows or changed_rows:
        # bulk_create fills defaults and timestamps itself; only the refreshed columns are needed here.
        _on_insert, on_update = _implicit_columns(model, columns)
        objects = [model(**dict(zip(columns, row, strict=True))) for row in [*new_rows, *changed_rows]]
        if compare:
            model._base_manager.bulk_create(
                objects,
                update_conflicts=True,
                unique_fields=key_columns,
                update_fields=[*compare, *on_update],
            )
        else:
            model._base_manager.bulk_create(objects, ignore_conflicts=True)
    return len(new_rows), len(changed_rows)


def _insert_on_conflict_sqlite(model, columns, key_columns, compare, rows) -> None:
    """New and changed rows in one ``executemany`` of ``INSERT ... ON CONFLICT DO UPDATE`` (SQLite).

    Values are prepared for the database column by column (dates, decimals), which is
    several times faster than building model instances for ``bulk_create``.
    """
    quote = connection.ops.quote_name
    fields_by_attname = {field.attname: field for field in model._meta.concrete_fields}
    _on_insert, on_update = _implicit_columns(model, columns)
    now = timezone.now()
    on_insert = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            on_insert[field.attname] = field.get_db_prep_save(now, connection)
        elif field.has_default():
            on_insert[field.attname] = field.get_db_prep_save(field.get_default(), connection)
    prepared_columns = []
    for position, column in enumerate(columns):
        field = fields_by_attname[column]
        values = [row[position] for row in rows]
        if not isinstance(field, models.CharField | models.TextField | models.ForeignKey | models.AutoField):
            prepare = field.get_db_prep_save
            values = [None if value is None else prepare(value, connection) for value in values]
        prepared_columns.append(values)
    implicit = list(on_insert.values())
    names = [*columns, *on_insert]
    placeholders = ", ".join(["%s"] * len(names))
    if compare:
        assignments = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in [*compare, *on_update])
        conflict = f"DO UPDATE SET {assignments}"
    else:
        conflict = "DO NOTHING"
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in names)}) VALUES ({placeholders})"
        f" ON CONFLICT ({', '.join(quote(c) for c in key_columns)}) {conflict}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row, *implicit) for row in zip(*prepared_columns, strict=True)])
