"""Files and bodies that attack the ingest framework, built at small size for the abuse tests.

Used by tests/org/test_ingest_abuse.py (every variant of a finding) and tests/security/test_abuse.py (one replay
of each finding of the security review): minimal XLSX packages around hand-written sheet XML, and a measure of
CPU time and traced memory around one call.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

# The budget of one refusal, in CPU seconds of this process: before the fixes the same inputs took 50 s and more
# (a 10^6-column header: 53 s), after them well under a second. CPU time, not wall time, so that a loaded CI
# machine (other test workers, PostgreSQL) does not fail a refusal that did no more work than on a quiet one.
SECONDS = 3.0
MEGABYTES = 50


def measured(call):
    """``call()``'s result, the CPU seconds this process spent in it and its peak of traced memory in MB."""
    tracemalloc.start()
    started = time.process_time()
    try:
        result = call()
    finally:
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    return result, elapsed, peak


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook_of(sheet: bytes, strings: bytes | None = None) -> bytes:
    """A minimal XLSX package around one sheet's XML (and a shared-strings part)."""
    overrides = f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    overrides += f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    links = f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if strings is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
        links += f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{SHEET_NS}" xmlns:r="{_REL}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}">{links}</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + j)}{number}" t="inlineStr"><is><t>{value}</t></is></c>' for j, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(*rows: str) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}"><sheetData>'
    return (head + "".join(rows) + "</sheetData></worksheet>").encode()


HEADER_ROW = inline_row(1, ["external_id", "name", "org_unit", "role", "hire_date"])
DATA_ROW = ["E1", "Li", "T1", "sales_rep", "2024-01-01"]
# A sheet whose cells are the shared strings 0 (the header) and 1 (the record)
SHARED_SHEET = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>')


def shared_strings(*texts: bytes) -> bytes:
    return f'<sst xmlns="{SHEET_NS}">'.encode() + b"".join(b"<si><t>%s</t></si>" % text for text in texts) + b"</sst>"
