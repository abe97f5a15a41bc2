"""Fast bulk inserts of whole pandas frames (demo data, large loads).

PostgreSQL: COPY ... FROM STDIN in CSV format through psycopg 3. Other databases:
one executemany. Ids may be given explicitly; the table's sequence is then reset.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from django.core.management.color import no_style
from django.db import connection


def next_ids(model, count: int) -> range:
    """Ids to give ``count`` new rows explicitly (above the current maximum)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        start = cursor.fetchone()[0] + 1
    return range(start, start + count)


def reset_sequence(model) -> None:
    """After explicit ids, move the table's id sequence past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def frame_insert(model, frame: pd.DataFrame, *, chunk_rows: int = 200_000) -> int:
    """Insert every row of ``frame`` (columns are db column names) into the model's table."""
    if frame.empty:
        return 0
    table = model._meta.db_table
    frame = _integral_ids(frame)
    columns = list(frame.columns)
    quoted = ", ".join(connection.ops.quote_name(col) for col in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for start in range(0, len(frame), chunk_rows):
                part = frame.iloc[start : start + chunk_rows]
                buffer = io.StringIO()
                part.to_csv(buffer, header=False, index=False, na_rep="\\N")
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
                    copy.write(buffer.getvalue())
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"
        clean = frame.astype(object).where(frame.notna(), None)
        with connection.cursor() as cursor:
            for start in range(0, len(clean), chunk_rows):
                rows = [
                    tuple(_plain(v) for v in row)
                    for row in clean.iloc[start : start + chunk_rows].itertuples(index=False)
                ]
                cursor.executemany(sql, rows)
    if "id" in columns:
        reset_sequence(model)
    return len(frame)


def _integral_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Id columns that pandas turned into floats (because of missing values) back into integers."""
    changed = {}
    for column in frame.columns:
        if column == "external_id" or not (column == "id" or column.endswith("_id")):
            continue
        values = frame[column]
        numeric = values.dtype.kind == "f" or (
            values.dtype.kind == "O"
            and all(isinstance(v, int | float | np.number) or v is None for v in values.head(1000))
        )
        if numeric:
            changed[column] = pd.array(
                [None if value is None or pd.isna(value) else int(value) for value in frame[column]], dtype="Int64"
            )
    return frame.assign(**changed) if changed else frame


def _plain(value):
    """numpy scalars and pandas timestamps into what the DB driver takes."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value
