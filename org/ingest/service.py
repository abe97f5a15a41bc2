"""The ingest service: one upload, one transaction, all rows or none.

The API endpoint and the browser import page both call :func:`ingest_records` or
:func:`ingest_file`; the benchmark measures the same functions.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from .. import platform
from ..models import ImportRecord
from ..selectors import ALL_UNITS, NO_UNITS, scope_root, subtree_unit_ids
from .errors import ErrorCollector, IngestFileError, RowError
from .parsing import Table, table_from_records, table_from_upload
from .registry import Dataset, get_dataset
from .validation import validate
from .writer import write_batch

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    """What an upload did (counts), or why nothing was written (the first errors and their total)."""

    dataset: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def as_dict(self) -> dict:
        """The API answer: counts on success, ``errors`` (row, field, message) otherwise."""
        if not self.ok:
            return {
                "errors": [error.as_dict() for error in self.errors],
                "error_count": self.error_count,
                "errors_truncated": self.errors_truncated,
            }
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
        }


def _failed(dataset: Dataset, errors: ErrorCollector, rows: int, dry_run: bool) -> IngestResult:
    return IngestResult(
        dataset=dataset.name,
        rows=rows,
        dry_run=dry_run,
        errors=errors.first(dataset.field_names),
        error_count=errors.count,
    )


def _lock(dataset: Dataset) -> None:
    """Serialise uploads of one dataset (PostgreSQL; SQLite already has a single writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(f"org.ingest:{dataset.name}".encode())])


def upload_scope(user) -> frozenset[int] | None:
    """The org-unit ids an uploader may write to, or None for no limit (whole organization, or no user).

    A login whose profile names an org unit writes inside that subtree only, as it
    reads (DESIGN.md: a scoped login sees its own subtree everywhere).
    """
    if user is None:
        return None
    root = scope_root(user)
    if root == ALL_UNITS:
        return None
    if root == NO_UNITS:
        return frozenset()
    return frozenset(row["descendant_id"] for row in subtree_unit_ids(root))


# Functions called around every write: ``listener(dataset, batch, phase, created, updated)`` with phase
# "before" (validated, nothing written yet; created and updated are 0) and "after". They run in the
# upload's transaction, so what they write is kept or rolled back with it. Apps use them to note what
# the upload changed (the recompute marks) without the framework knowing their datasets.
_WRITE_LISTENERS = platform.WRITE_LISTENERS  # dotted name -> listener


def register_write_listener(listener) -> None:
    """Call ``listener`` before and after every ingest write (idempotent)."""
    _WRITE_LISTENERS.add(f"{listener.__module__}.{listener.__qualname__}", listener, replace=True)


def _notify(dataset: Dataset, batch, phase: str, created: int = 0, updated: int = 0) -> None:
    for listener in _WRITE_LISTENERS.values():
        listener(dataset, batch, phase, created, updated)


def dataset_ingest(
    *, dataset: Dataset | str, table: Table, dry_run: bool = False, user=None, file_name: str = ""
) -> IngestResult:
    """Validate every record of ``table``, then upsert them all in one transaction.

    Any row error and nothing is written. With ``dry_run`` the rows are written and
    rolled back, so the counts are exactly those a real run would give. ``user`` is
    the uploader: a login scoped to a subtree may only write inside it. An upload that
    is written leaves one ``ImportRecord`` (the audit trail's line, ``file_name`` and
    counts) in the same transaction.
    """
    if isinstance(dataset, str):
        dataset = get_dataset(dataset)
    try:
        with transaction.atomic():
            _lock(dataset)
            batch = validate(dataset, table, scope=upload_scope(user))
            if batch.errors:
                return _failed(dataset, batch.errors, table.size, dry_run)
            _notify(dataset, batch, "before")
            created, updated = write_batch(batch)
            if dataset.after_write is not None and (created or updated):
                dataset.after_write(batch, created, updated)
            _notify(dataset, batch, "after", created, updated)
            if dry_run:
                transaction.set_rollback(True)
            else:
                _record(dataset, table.size, created, updated, user=user, file_name=file_name)
    except (IntegrityError, DataError) as exc:
        # Validation should catch every bad row first; this is the database's last word.
        logger.warning("ingest of %s refused by the database: %s", dataset.name, exc)
        errors = ErrorCollector(table.row_numbers)
        errors.add(
            None,
            None,
            _("The database refused the upload: %(error)s") % {"error": str(exc).strip().splitlines()[0]},
        )
        return _failed(dataset, errors, table.size, dry_run)
    return IngestResult(
        dataset=dataset.name,
        rows=table.size,
        created=created,
        updated=updated,
        unchanged=table.size - created - updated,
        dry_run=dry_run,
    )


def _record(dataset: Dataset, rows: int, created: int, updated: int, *, user, file_name: str) -> None:
    ImportRecord.objects.create(
        dataset=dataset.name,
        file_name=file_name[:255],
        rows=rows,
        created=created,
        updated=updated,
        unchanged=rows - created - updated,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _file_failure(dataset: Dataset, exc: IngestFileError, dry_run: bool) -> IngestResult:
    return IngestResult(dataset=dataset.name, dry_run=dry_run, errors=exc.errors, error_count=exc.count)


def ingest_records(*, dataset: Dataset | str, records, dry_run: bool = False, user=None) -> IngestResult:
    """Ingest a decoded JSON body (it must be a list of objects)."""
    if isinstance(dataset, str):
        dataset = get_dataset(dataset)
    try:
        table = table_from_records(records, dataset=dataset)
    except IngestFileError as exc:
        return _file_failure(dataset, exc, dry_run)
    return dataset_ingest(dataset=dataset, table=table, dry_run=dry_run, user=user)


def ingest_file(
    *,
    dataset: Dataset | str,
    data: bytes,
    filename: str = "",
    content_type: str = "",
    dry_run: bool = False,
    user=None,
) -> IngestResult:
    """Ingest an uploaded CSV or XLSX file."""
    if isinstance(dataset, str):
        dataset = get_dataset(dataset)
    try:
        table = table_from_upload(data, filename=filename, content_type=content_type, dataset=dataset)
    except IngestFileError as exc:
        return _file_failure(dataset, exc, dry_run)
    return dataset_ingest(dataset=dataset, table=table, dry_run=dry_run, user=user, file_name=filename)
