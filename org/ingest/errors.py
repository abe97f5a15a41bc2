"""Errors of an ingest: one per bad value (row and field), or one for a file that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem with one record (``row`` is 1-based) or, with ``row`` None, with the upload itself."""

    row: int | None
    field: str | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": str(self.message)}


class FieldError(Exception):
    """A value that does not fit its field; the message is shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IngestFileError(Exception):
    """The upload cannot be read as records at all (malformed CSV, unreadable XLSX, too many rows...)."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: list[RowError] | None = None,
        count: int | None = None,
    ):
        super().__init__(str(message))
        self.errors = errors or [RowError(None, field, str(message))]
        # How many errors there are in all; ``errors`` may list only the first few.
        self.count = len(self.errors) if count is None else max(count, len(self.errors))


def max_rows() -> int:
    """How many records an upload may hold (``INGEST_MAX_ROWS``)."""
    return int(settings.INGEST_MAX_ROWS)


def error_limit() -> int:
    """How many errors an answer lists at most (the total is always reported)."""
    return int(getattr(settings, "INGEST_MAX_ERRORS", 1000))


class ErrorCollector:
    """Collects row errors of one upload.

    Every error is counted; at most ``limit`` are kept per field, which is enough to
    return the first ``limit`` errors of the whole upload in row order (each check
    reports its rows in ascending order).
    """

    def __init__(self, row_numbers: list[int], limit: int | None = None):
        self.row_numbers = row_numbers
        self.limit = error_limit() if limit is None else limit
        self.count = 0
        self._by_field: dict[str | None, list[RowError]] = {}
        self.bad_rows: set[int] = set()

    def add(self, index: int | None, field: str | None, message: str) -> None:
        """Record an error at record ``index`` (0-based position in the upload) or, if None, on the file."""
        self.count += 1
        if index is not None:
            self.bad_rows.add(index)
        kept = self._by_field.setdefault(field, [])
        if len(kept) < self.limit:
            row = None if index is None else self.row_numbers[index]
            kept.append(RowError(row, field, str(message)))

    def extend(self, errors: list[RowError]) -> None:
        """Add errors that already carry their row numbers (file-level problems found while reading)."""
        index_of = {row: i for i, row in enumerate(self.row_numbers)} if errors else {}
        for error in errors:
            self.count += 1
            if error.row is not None and error.row in index_of:
                self.bad_rows.add(index_of[error.row])
            kept = self._by_field.setdefault(error.field, [])
            if len(kept) < self.limit:
                kept.append(error)

    def __bool__(self) -> bool:
        return self.count > 0

    def first(self, field_order: list[str]) -> list[RowError]:
        """The first ``limit`` errors: file-level ones first, then by row and by field order."""
        position = {name: i for i, name in enumerate(field_order)}
        merged = [error for errors in self._by_field.values() for error in errors]
        merged.sort(
            key=lambda e: (
                -1 if e.row is None else e.row,
                position.get(e.field, len(position)) if e.field is not None else -1,
            )
        )
        return merged[: self.limit]
