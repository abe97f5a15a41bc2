"""Reading an upload into records: a JSON list, a CSV file or the first sheet of an XLSX workbook.

Whatever the format, the result is a :class:`Table`: one list of raw values per
column and the row number of every record. Row numbers are 1-based record
numbers: the first record of a JSON list is row 1, and so is the first line after
the header of a CSV file or spreadsheet (so spreadsheet row N+1 is record N).
Blank lines are skipped but keep their number (and count: more of them than the row
limit and the file is refused). A file's first row is checked against the dataset's
fields before any other row is read, and no work is proportional to the header's
width times the rows. Problems that make the whole upload unreadable raise
:class:`~org.ingest.errors.IngestFileError`. XLSX files are read by :mod:`org.ingest.xlsx`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .charsets import decode_csv
from .errors import IngestFileError, RowError, max_rows
from .xlsx import first_sheet_rows, unreadable

if TYPE_CHECKING:
    from .registry import Dataset

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# File names an import accepts (a name without an extension is read by content).
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
# A dataset has about a dozen fields: a file naming more columns than this is refused from its first row.
MAX_COLUMNS = 200
# Unknown columns named one by one in an answer (``error_count`` has them all).
LISTED_UNKNOWN_COLUMNS = 5


@dataclass
class Table:
    """Records read from one upload, column by column.

    ``per_record`` is true for a JSON body, where every record names its own fields:
    a field missing from a record is that record's problem (an error on its row),
    while a column missing from a file's header row is the whole file's problem.
    """

    columns: dict[str, list]
    row_numbers: list[int]
    errors: list[RowError] = field(default_factory=list)
    per_record: bool = False

    @property
    def size(self) -> int:
        return len(self.row_numbers)


def _too_many_rows(limit: int, row: int | None = None) -> IngestFileError:
    """The upload is refused as a whole; the error points at the first record past the limit."""
    message = ngettext(
        "An upload may hold at most %(limit)s row; split the data into several uploads.",
        "An upload may hold at most %(limit)s rows; split the data into several uploads.",
        limit,
    ) % {"limit": f"{limit:,}"}
    return IngestFileError(message, errors=[RowError(limit + 1 if row is None else row, None, message)])


def unknown_field_message(dataset: Dataset, name: str) -> str:
    """What a column (or JSON key) the dataset does not have is told, wherever it is found."""
    return _("Unknown field “%(name)s”; the fields of %(dataset)s are: %(fields)s.") % {
        "name": name,
        "dataset": dataset.name,
        "fields": ", ".join(dataset.field_names),
    }


def check_column_names(names: list[str], dataset: Dataset | None) -> None:
    """Refuse, from the names alone and before any record is read, columns the dataset does not have.

    Each unknown column is an error on the whole upload naming it (as it always was); the first few are
    listed, the count has them all. Without a dataset only the number of columns is bounded. The count
    runs in C (a header may name a million columns).
    """
    if dataset is not None:
        known = dataset.fields_by_name
        count = len(names) - names.count("") - sum(map(known.__contains__, names))
        if count:
            shown = islice((name for name in names if name and name not in known), LISTED_UNKNOWN_COLUMNS)
            listed = [RowError(None, name, unknown_field_message(dataset, name)) for name in shown]
            raise IngestFileError(listed[0].message, errors=listed, count=count)
    if len(names) > MAX_COLUMNS:
        raise _too_wide(len(names))


# --- JSON ------------------------------------------------------------------------------


def table_from_records(records, *, dataset: Dataset | None = None) -> Table:
    """A JSON body: a list of objects whose keys are the field names.

    With ``dataset``, keys it does not have are refused before any column is built.
    """
    if not isinstance(records, list):
        raise IngestFileError(
            _("Send a JSON list of records (objects), or a CSV or XLSX file; got a JSON %(kind)s.")
            % {"kind": _json_kind(records)}
        )
    limit = max_rows()
    if len(records) > limit:
        raise _too_many_rows(limit)
    errors: list[RowError] = []
    if set(map(type, records)) <= {dict}:
        # The usual body: every record an object. Column names in first-seen order, one pass in C.
        names = dict.fromkeys(chain.from_iterable(records))
    else:
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                errors.append(
                    RowError(
                        index + 1,
                        None,
                        _("A record must be a JSON object, not a %(kind)s.") % {"kind": _json_kind(record)},
                    )
                )
        records = [record if isinstance(record, dict) else {} for record in records]
        names = dict.fromkeys(chain.from_iterable(records))
    check_column_names(list(names), dataset)
    columns = {str(name): list(map(dict.get, records, [name] * len(records))) for name in names}
    return Table(columns=columns, row_numbers=list(range(1, len(records) + 1)), errors=errors, per_record=True)


def _json_kind(value) -> str:
    if isinstance(value, dict):
        return _("object")
    if isinstance(value, list):
        return _("list")
    if isinstance(value, str):
        return _("string")
    if isinstance(value, bool):
        return _("true/false value")
    if isinstance(value, int | float):
        return _("number")
    return _("null")


# --- header and rows (CSV, XLSX) -------------------------------------------------------------


def _too_many_blank_rows(limit: int, row: int) -> IngestFileError:
    """Blank rows are skipped, but a file of endless blank rows is refused at the record past the limit."""
    message = ngettext(
        "The file has more than %(limit)s blank row; delete the empty rows (often below the data) and upload it again.",
        "The file has more than %(limit)s blank rows; delete the empty rows (often below the data) and upload it "
        "again.",
        limit,
    ) % {"limit": f"{limit:,}"}
    return IngestFileError(message, errors=[RowError(row, None, message)])


def _column_names(cells: Sequence) -> list[str]:
    """The first row's cells as column names (stripped, lower case); a CSV header's in C."""
    if set(map(type, cells)) <= {str}:
        return list(map(str.lower, map(str.strip, cells)))
    return ["" if cell is None else str(cell).strip().lower() for cell in cells]


def _is_blank(row: Sequence) -> bool:
    return not any(cell is not None and (cell.__class__ is not str or cell.strip()) for cell in row)


def _table_from_rows(
    header: list,
    rows_for: Callable[[int], Iterable[tuple[int, Sequence]]],
    *,
    blank_header_ok: bool,
    dataset: Dataset | None,
) -> Table:
    """Turn a header and the numbered rows after it into a Table (checks the header, row count and width).

    The header is checked before any row is read; ``rows_for(width)`` then gives ``(record number, values)``
    for each row read. The work per row is its own length: short rows are not padded, columns are built
    for the named columns only. Blank rows are skipped but keep their number, and count: more blank (or
    missing) rows than the row limit and the file is refused.
    """
    names = _column_names(header)
    while names and not names[-1]:
        names.pop()
    if not any(names):
        raise IngestFileError(_("The first row must name the columns; it is empty."))
    check_column_names(names, dataset)
    seen: set[str] = set()
    for name in names:
        if not name:
            if not blank_header_ok:
                raise IngestFileError(_("Every column needs a name in the first row; one is blank."))
            continue
        if name in seen:
            raise IngestFileError(
                _("The column “%(name)s” appears twice in the first row.") % {"name": name}, field=name
            )
        seen.add(name)
    width = len(names)
    limit = max_rows()
    kept: list[Sequence] = []
    row_numbers: list[int] = []
    errors: list[RowError] = []
    short = False
    for number, row in rows_for(width):
        blank = _is_blank(row)
        # every record before this one that was not kept was blank or missing
        if number - len(kept) - (0 if blank else 1) > limit:
            raise _too_many_blank_rows(limit, len(kept) + limit + 1)
        if blank:
            continue
        if len(kept) >= limit:
            raise _too_many_rows(limit, number)
        if len(row) > width:
            if not _is_blank(row[width:]):
                errors.append(
                    RowError(
                        number,
                        None,
                        _("This row has %(count)d values but the first row names only %(width)d columns.")
                        % {"count": len(row), "width": width},
                    )
                )
            row = row[:width]
        elif len(row) < width:
            short = True
        kept.append(row)
        row_numbers.append(number)
    if short:
        columns = {name: [row[j] if j < len(row) else None for row in kept] for j, name in enumerate(names) if name}
    else:
        columns = {name: [row[j] for row in kept] for j, name in enumerate(names) if name}
    return Table(columns=columns, row_numbers=row_numbers, errors=errors)


# --- CSV -------------------------------------------------------------------------------------


def table_from_csv(data: bytes, *, dataset: Dataset | None = None) -> Table:
    """A CSV file whose first line names the columns (comma-separated; semicolons or tabs are detected)."""
    text = decode_csv(data)
    if not text.strip():
        raise IngestFileError(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        if ";" in first_line:
            delimiter = ";"
        elif "\t" in first_line:
            delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records_read = 0
    header_read = False

    def counted():
        nonlocal records_read
        for row in reader:
            records_read += 1
            yield row

    try:
        header = next(reader)
        header_read = True
        return _table_from_rows(
            header, lambda width: enumerate(counted(), start=1), blank_header_ok=False, dataset=dataset
        )
    except csv.Error as exc:
        # The record being read when the reader gave up is the next one after those read so far.
        row = records_read + 1 if header_read else None
        if row is None:
            message = _("The CSV file is malformed in its first row (the header): %(error)s.") % {"error": exc}
        else:
            message = _("The CSV file is malformed at row %(row)d (line %(line)d of the file): %(error)s.") % {
                "row": row,
                "line": reader.line_num,
                "error": exc,
            }
        raise IngestFileError(message, errors=[RowError(row, None, message)]) from None


# --- XLSX ------------------------------------------------------------------------------------


def _too_wide(count: int) -> IngestFileError:
    return IngestFileError(
        _("The first row names %(count)s columns; a file may have at most %(limit)s.")
        % {"count": f"{count:,}", "limit": MAX_COLUMNS}
    )


def _header(cells: list[tuple[int, object]], dataset: Dataset | None) -> list:
    """The first row's values by column, the columns it names checked before a list that wide is made."""
    last = max((column for column, _value in cells), default=0)
    if last > MAX_COLUMNS:  # refused: the unknown names, else the width
        check_column_names(_column_names([value for _column, value in cells]), dataset)
        raise _too_wide(last)
    header: list = [None] * last
    for column, value in cells:
        header[column - 1] = value
    return header


def _records(rows: Iterable[tuple[int, list[tuple[int, object]]]], width: int):
    """Each sheet row after the header as (record number, values of the named columns + any value right of them)."""
    for number, cells in rows:
        values: list = [None] * width
        extra = []
        for column, value in cells:
            if column <= width:
                values[column - 1] = value
            elif type(value) is not str or value.strip():
                extra.append(value)
        yield number - 1, values + extra if extra else values


def table_from_xlsx(data: bytes, *, dataset: Dataset | None = None) -> Table:
    """The first sheet of an XLSX workbook, its first row naming the columns (read by org.ingest.xlsx)."""
    with first_sheet_rows(data) as rows:
        first = next(rows, None)
        if first is None:
            raise IngestFileError(_("The file is empty."))
        number, cells = first
        header = _header(cells, dataset) if number == 1 else []
        return _table_from_rows(header, lambda width: _records(rows, width), blank_header_ok=True, dataset=dataset)


# --- any upload ----------------------------------------------------------------------------


def table_from_upload(
    data: bytes, *, filename: str = "", content_type: str = "", dataset: Dataset | None = None
) -> Table:
    """Read an uploaded file: XLSX when it is one (by content), otherwise CSV.

    With ``dataset``, a first row naming columns the dataset does not have is refused before any row is read.
    """
    limit = int(settings.INGEST_MAX_UPLOAD_BYTES)
    if len(data) > limit:
        raise IngestFileError(
            _("The file is larger than %(size)s MB; split it into several uploads.") % {"size": limit // (1024 * 1024)}
        )
    name = (filename or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix and suffix not in UPLOAD_SUFFIXES and suffix != ".xls":
        raise IngestFileError(_("Only CSV and XLSX files can be imported; “%(name)s” is neither.") % {"name": filename})
    if data.startswith(_ZIP_MAGIC):
        return table_from_xlsx(data, dataset=dataset)
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        raise IngestFileError(_("Old Excel files (.xls) are not supported; save the sheet as .xlsx or CSV."))
    if name.endswith(".xlsx") or (content_type or "").split(";")[0].strip() == XLSX_CONTENT_TYPE:
        raise unreadable(_("not a zip archive"))
    if b"\x00" in data[:8192]:
        raise IngestFileError(
            _("The file is neither CSV text (UTF-8) nor an XLSX workbook; save it as “CSV UTF-8” or .xlsx.")
        )
    return table_from_csv(data, dataset=dataset)
