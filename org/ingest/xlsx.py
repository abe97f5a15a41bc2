"""The first sheet of an XLSX workbook, read within bounds a small hostile file cannot push.

An XLSX file is a zip of XML parts, and XML of repeated tags packs a thousandfold: a 917 KB file with
300 MB of shared strings held a worker for a minute, and openpyxl's read-only rows pad every row to
the sheet's declared width and yield every missing row one by one, so a few MB of blank or far-apart
rows took half a minute. What is checked, and where:

* before anything is inflated, from the zip's directory: at most ``XLSX_MAX_MEMBERS`` parts; none
  declaring more than its kind needs (a worksheet four times the upload limit, the shared strings
  twice, the package's other XML parts, which openpyxl parses whole, ``XLSX_MAX_PART_BYTES``); none
  over 1 MB packed more than ``XLSX_MAX_RATIO`` times; and in all no more than ``XLSX_MAX_INFLATION``
  times the upload limit. A declared size that lies does not help: zipfile never reads more of a
  member than its directory entry declares, and then fails its CRC check (a 400: the file is unreadable);
* before the shared strings are read (all of them, as the workbook is opened): their number, counted
  in one streaming pass, at most four per allowed row;
* while the sheet is read, cell by cell (text cells here, any other by openpyxl's cell parser; the XML
  tree pruned as it goes): at most 16,384 cells in a row (Excel's own width) and 20 per allowed row in
  all. Each row keeps its number, so missing rows count towards the blank-row limit without being
  produced one by one.

Of openpyxl only the package, workbook and style readers and its cell parser are used (its read-only
worksheets are not: see :func:`first_sheet_rows`); ``test_the_first_sheet_reads_as_openpyxl_reads_it``
in tests/org/test_ingest_abuse.py keeps the values the same as openpyxl's.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import IngestFileError, max_rows

XLSX_MAX_INFLATION = 20
XLSX_MAX_MEMBERS = 1_000
XLSX_MAX_RATIO = 100
XLSX_MAX_PART_BYTES = 8 * 1024 * 1024
_PACKAGE_PART_BYTES = 1024 * 1024  # [Content_Types].xml and the .rels parts: a few KB in a real file
_RATIO_FROM_BYTES = 1024 * 1024
MAX_CELLS_IN_A_ROW = 16_384

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# The start of a shared string (<si>, with any namespace prefix); counting them over-counts at worst.
_STRING_START = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?si[\s/>]")
_ROW, _CELL, _VALUE, _INLINE = (f"{{{_MAIN}}}{tag}" for tag in ("row", "c", "v", "is"))
_STRING, _TEXT, _RUN = (f"{{{_MAIN}}}{tag}" for tag in ("si", "t", "r"))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}"


def unreadable(exc: BaseException | str) -> IngestFileError:
    """The upload is not a workbook openpyxl (or we) can read."""
    error = exc if isinstance(exc, str) else exc.__class__.__name__
    return IngestFileError(
        _("The XLSX file cannot be read (%(error)s); save it again from the spreadsheet program.") % {"error": error}
    )


# --- the zip, before anything is inflated ------------------------------------------------------------


def _part_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name (as in the zip) -> content type, from [Content_Types].xml (its size checked already)."""
    try:
        root = ET.fromstring(archive.read("[Content_Types].xml"))
    except (KeyError, ET.ParseError, zipfile.BadZipFile, zlib.error, ValueError):
        return {}  # openpyxl reports the damaged package in its own words
    return {
        (override.get("PartName") or "").lstrip("/"): override.get("ContentType") or ""
        for override in root.iter(_CONTENT_TYPES)
    }


def _part_limit(name: str, kind: str, upload_limit: int) -> int:
    if kind == _SHEET_TYPE:
        return 4 * upload_limit
    if kind == _STRINGS_TYPE:
        return 2 * upload_limit
    lower = name.lower()
    if lower == "[content_types].xml" or lower.endswith(".rels"):
        return _PACKAGE_PART_BYTES
    if lower.endswith(_XML_SUFFIXES):
        return XLSX_MAX_PART_BYTES
    return 4 * upload_limit  # pictures and the like: openpyxl's read-only mode does not open them


def _count_shared_strings(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> int:
    """How many shared strings the part holds, counted in 1 MB chunks; stops once past ``limit``."""
    count = 0
    tail = b""
    with archive.open(member) as source:
        while chunk := source.read(1024 * 1024):
            buffer = tail + chunk
            # matches lying wholly in the carried-over tail were counted with the previous chunk
            count += len(_STRING_START.findall(buffer)) - len(_STRING_START.findall(tail))
            if count > limit:
                break
            tail = buffer[-64:]
    return count


def check_archive(data: bytes) -> None:
    """Refuse a workbook whose parts would inflate far beyond what a real sheet of the row limit needs."""
    upload_limit = int(settings.INGEST_MAX_UPLOAD_BYTES)
    ceiling = upload_limit * XLSX_MAX_INFLATION
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # openpyxl reports the damaged file in its own words
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_MAX_MEMBERS:
            raise IngestFileError(
                _("The XLSX file has more than %(count)s parts; save it again from the spreadsheet program.")
                % {"count": f"{XLSX_MAX_MEMBERS:,}"}
            )
        if sum(member.file_size for member in members) > ceiling:
            raise IngestFileError(
                _("The XLSX file unpacks to more than %(size)s MB; split it into several uploads.")
                % {"size": ceiling // (1024 * 1024)}
            )
        for member in members:
            if member.filename == "[Content_Types].xml" and member.file_size > _PACKAGE_PART_BYTES:
                _refuse_part(member, _PACKAGE_PART_BYTES)
        types = _part_types(archive)
        for member in members:
            _check_member(member, _part_limit(member.filename, types.get(member.filename, ""), upload_limit))
        strings_limit = 4 * max_rows()
        for member in members:
            if types.get(member.filename) == _STRINGS_TYPE:
                try:
                    count = _count_shared_strings(archive, member, strings_limit)
                except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                    raise unreadable(exc) from None
                if count > strings_limit:
                    raise IngestFileError(
                        _(
                            "The workbook holds more than %(limit)s different texts (shared strings), far more than "
                            "%(rows)s rows use; save the sheet as “CSV UTF-8” or split it into several uploads."
                        )
                        % {"limit": f"{strings_limit:,}", "rows": f"{max_rows():,}"}
                    )


def _refuse_part(member: zipfile.ZipInfo, limit: int) -> None:
    raise IngestFileError(
        _("The XLSX file's part “%(part)s” unpacks to more than %(size)s MB; split the data into several uploads.")
        % {"part": member.filename, "size": _megabytes(limit)}
    )


def _check_member(member: zipfile.ZipInfo, limit: int) -> None:
    if member.file_size > limit:
        _refuse_part(member, limit)
    if member.file_size > _RATIO_FROM_BYTES and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1):
        raise IngestFileError(
            _(
                "The XLSX file's part “%(part)s” unpacks to %(ratio)s times its packed size, far more than a "
                "spreadsheet does; save it again from the spreadsheet program."
            )
            % {"part": member.filename, "ratio": f"{member.file_size // max(member.compress_size, 1):,}"}
        )


# --- the first sheet, cell by cell ------------------------------------------------------------------


@contextmanager
def first_sheet_rows(data: bytes):
    """The rows of the workbook's first worksheet: ``(row number, [(column, value), ...])`` for each row present.

    Cells without a value are left out; values are what openpyxl reads (cached results for formulas,
    dates for date-formatted numbers). Of openpyxl's reader only the steps these values need are run
    (package, workbook, styles; the shared strings are read here, ten times faster than its descriptor
    classes do): its read-only worksheets would parse every sheet that lacks a ``<dimension>`` element
    to its end just to size it, and chart sheets and pivot tables whole.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    check_archive(data)
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
        raise unreadable(exc) from None
    try:
        try:
            reader.read_manifest()
            reader.shared_strings = _shared_strings(reader)
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            paths = [
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except Exception as exc:
            raise unreadable(exc) from None
        if not paths:
            raise IngestFileError(_("The workbook has no sheet."))
        yield _rows(reader, paths[0])
    finally:
        reader.archive.close()


_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ET.ParseError,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    NotImplementedError,
    OverflowError,
)


def _text_of(element) -> str:
    """The plain text of a shared or inline string, as openpyxl's ``Text.content``: its ``<t>``, then the
    ``<t>`` of each formatted run (``<r>``); phonetic runs (``<rPh>``) are left out."""
    plain = ""
    runs = []
    for child in element:
        if child.tag == _TEXT:
            plain = child.text or ""
        elif child.tag == _RUN:
            text = child.findtext(_TEXT)
            if text:
                runs.append(text)
    return plain + "".join(runs) if runs else plain


def _shared_strings(reader) -> list[str]:
    """The workbook's shared strings (their number checked already), read as openpyxl's read_strings does."""
    from openpyxl.xml.constants import SHARED_STRINGS
    from openpyxl.xml.functions import iterparse

    part = reader.package.find(SHARED_STRINGS)
    if part is None:
        return []
    strings = []
    with reader.archive.open(part.PartName[1:]) as source:
        for _event, element in iterparse(source):
            if element.tag == _STRING:
                strings.append(_text_of(element).replace("x005F_", ""))
                element.clear()
    return strings


def _column_of(coordinate: str) -> int:
    """The column number of a cell reference such as ``AB12`` (0 when it does not start with A-Z)."""
    column = 0
    for character in coordinate:
        code = ord(character) - 64
        if not 1 <= code <= 26:
            break
        column = column * 26 + code
    return column


def _rows(reader, part: str) -> Iterator[tuple[int, list[tuple[int, object]]]]:
    """Stream the sheet's XML, reading each cell as openpyxl does and dropping each element once read.

    openpyxl's read-only worksheet reads a whole row at a time, padded to the sheet's declared width;
    here a row's cells are counted as they come, so neither a long row nor a long sheet is held in
    memory. Text cells (shared and inline strings, the bulk of a sheet) are read here; any other cell
    by openpyxl's own cell parser (numbers, dates by their style, booleans, errors, formulas' values).
    """
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.utils.exceptions import CellCoordinatesException
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.functions import iterparse  # defusedxml's when it is installed, as openpyxl reads

    workbook = reader.wb
    strings = reader.shared_strings
    parser = WorkSheetParser(
        None,
        strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    cell_limit = 20 * max_rows()
    cells_read = 0
    try:
        with reader.archive.open(part) as source:
            open_elements: list = []
            in_cell = False
            number = 0
            cells: list[tuple[int, object]] = []
            in_row = 0
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    open_elements.append(element)
                    if tag == _CELL:
                        in_cell = True
                    elif tag == _ROW:
                        given = element.get("r")
                        row = int(float(given)) if given else number + 1
                        if row <= number:
                            raise ValueError("rows out of order")
                        number = parser.row_counter = row
                        parser.col_counter = 0
                        cells, in_row = [], 0
                    continue
                open_elements.pop()
                if tag == _CELL:
                    in_cell = False
                    in_row += 1
                    cells_read += 1
                    if in_row > MAX_CELLS_IN_A_ROW:
                        raise _too_many_cells_in_a_row(number)
                    if cells_read > cell_limit:
                        raise _too_many_cells(cell_limit)
                    kind = element.get("t")
                    if kind == "s" or kind == "inlineStr":
                        coordinate = element.get("r")
                        if coordinate:
                            column = _column_of(coordinate) or coordinate_to_tuple(coordinate)[1]
                        else:
                            column = parser.col_counter + 1
                        parser.col_counter = column
                        if kind == "s":
                            index = element.findtext(_VALUE)
                            value = strings[int(index)] if index else None
                        else:
                            inline = element.find(_INLINE)
                            value = None if inline is None else _text_of(inline)
                    else:
                        cell = parser.parse_cell(element)
                        column, value = cell["column"], cell["value"]
                    if value is not None and value != "":
                        cells.append((column, value))
                elif in_cell:
                    continue  # a cell's value or text: read with its cell
                elif tag == _ROW:
                    yield number, cells
                if open_elements:
                    open_elements[-1].remove(element)  # its parent's only child left: each goes once read
    except (*_READ_ERRORS, CellCoordinatesException) as exc:
        raise unreadable(exc) from None


def _too_many_cells_in_a_row(row: int) -> IngestFileError:
    return IngestFileError(
        _("Row %(row)s of the sheet has more than %(limit)s cells; delete the unused columns and upload it again.")
        % {"row": f"{row:,}", "limit": f"{MAX_CELLS_IN_A_ROW:,}"}
    )


def _too_many_cells(limit: int) -> IngestFileError:
    return IngestFileError(
        _(
            "The sheet holds more than %(limit)s cells; delete the unused rows and columns (or copy the data "
            "to a new sheet) and upload it again."
        )
        % {"limit": f"{limit:,}"}
    )
