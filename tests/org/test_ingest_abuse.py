"""Hostile or careless uploads answer a quick 400 naming the problem and write nothing (security review, 2026-11).

Each case replays a finding at small size: a CSV header of a hundred thousand columns, XLSX files that inflate
or hold endless blank rows, JSON bodies with NUL, lone surrogates or deep nesting, a Windows-1252 CSV, digits
of other scripts and fact dates far in the future. Time and memory are measured around the parse call.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.exceptions import ParseError

from org.api.parsers import JSONParser
from org.ingest import IngestFileError
from org.ingest.parsing import table_from_csv
from org.ingest.service import ingest_file, ingest_records
from org.ingest.xlsx import first_sheet_rows
from org.models import Person
from performance.models import Contract, Customer, Lead, NpsResponse, Usage
from rollout.models import Program
from tests.abuse_files import (
    DATA_ROW,
    HEADER_ROW,
    MEGABYTES,
    SECONDS,
    SHARED_SHEET,
    SHEET_NS,
    inline_row,
    measured,
    shared_strings,
    sheet_xml,
    workbook_of,
)
from tests.org.test_ingest_api import PEOPLE_FIELDS, csv_bytes, person, post_file, post_json, url


def refused_quickly(data: bytes, name: str, dataset: str = "people") -> list[dict]:
    """The upload is refused within the time and memory budget; its errors as the API lists them."""
    result, elapsed, peak = measured(lambda: ingest_file(dataset=dataset, data=data, filename=name))
    assert not result.ok, result
    assert elapsed < SECONDS, f"{elapsed:.2f} s"
    assert peak < MEGABYTES, f"{peak:.1f} MB"
    return result.as_dict()["errors"]


def errors_of(answer) -> list[dict]:
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert set(body) == {"errors", "error_count", "errors_truncated"}
    return body["errors"]


# --- finding 4: a wide CSV header -----------------------------------------------------------------


def test_a_csv_header_of_a_hundred_thousand_columns_is_refused_from_the_header(write_client, org_tree):
    header = ",".join(f"c{i}" for i in range(100_000)).encode()
    data = header + b"\n" + b"x,y\n" * 200
    errors = refused_quickly(data, "wide.csv")
    assert [error["field"] for error in errors] == ["c0", "c1", "c2", "c3", "c4"]
    assert errors[0]["message"].startswith("Unknown field “c0”; the fields of people are: external_id, name")
    assert not any(error["row"] for error in errors)  # no row was read
    answer = post_file(write_client, "people", data, "wide.csv")
    assert errors_of(answer) == errors
    assert (answer.json()["error_count"], answer.json()["errors_truncated"]) == (100_000, True)
    assert not Person.objects.exists()


def test_without_a_dataset_a_header_of_more_than_200_columns_is_refused():
    header = ",".join(f"c{i}" for i in range(1_000)).encode()
    with pytest.raises(IngestFileError) as caught:
        table_from_csv(header + b"\n" + b"x,y\n" * 200)
    assert str(caught.value) == "The first row names 1,000 columns; a file may have at most 200."


def test_unknown_columns_are_named_from_the_header_before_any_row_is_read(write_client, org_tree):
    header = [*PEOPLE_FIELDS, *(f"extra{i}" for i in range(40))]
    rows = [["E1", "Li", "", "T1", "sales_rep", "not a date", "", *([""] * 40)]]
    answer = post_file(write_client, "people", csv_bytes(header, rows), "people.csv")
    errors = errors_of(answer)
    assert [error["field"] for error in errors[:3]] == ["extra0", "extra1", "extra2"]
    assert errors[0]["message"].startswith("Unknown field “extra0”; the fields of people are: external_id, name")
    assert answer.json()["error_count"] == 40
    assert not any(error["row"] for error in errors)  # the bad hire_date of row 1 was never read
    assert not Person.objects.exists()


def test_one_stray_column_is_refused_with_the_same_message_in_csv_and_json(write_client, org_tree):
    expected = "Unknown field “salary”; the fields of people are: " + ", ".join(PEOPLE_FIELDS) + "."
    content = csv_bytes([*PEOPLE_FIELDS, "salary"], [["E1", "Li", "", "T1", "sales_rep", "2024-01-01", "", "1"]])
    for answer in (
        post_file(write_client, "people", content, "people.csv"),
        post_json(write_client, "people", [person("E1") | {"salary": 1}]),
    ):
        assert errors_of(answer) == [{"row": None, "field": "salary", "message": expected}]
    assert not Person.objects.exists()


def test_json_records_with_thousands_of_distinct_keys_are_refused_from_the_keys(write_client, org_tree):
    records = [person(f"E{i}") | {f"k{i}": 1} for i in range(5_000)]
    answer, elapsed, _peak = measured(lambda: post_json(write_client, "people", records))
    assert elapsed < SECONDS * 2, f"{elapsed:.2f} s"  # the JSON itself is parsed too
    assert answer.json()["error_count"] == 5_000
    assert errors_of(answer)[0]["field"] == "k0"
    assert not Person.objects.exists()


# --- finding 5: XLSX that inflates or never ends ---------------------------------------------------


def test_a_workbook_with_inflated_shared_strings_is_refused_before_they_are_read(settings, org_tree):
    settings.INGEST_MAX_UPLOAD_BYTES = 1024 * 1024
    # the header's and the record's strings, then a hundred thousand copies of one short text
    strings = shared_strings(b"external_id", b"E1", *[b"xx"] * 100_000)
    data = workbook_of(SHARED_SHEET, strings)
    assert len(data) < 20_000
    assert len(strings) > 1_800_000
    errors = refused_quickly(data, "people.xlsx")
    assert errors[0]["row"] is None
    assert "xl/sharedStrings.xml" in errors[0]["message"]
    assert not Person.objects.exists()


def test_a_workbook_with_too_many_shared_strings_is_refused(settings, org_tree):
    settings.INGEST_MAX_ROWS = 100
    data = workbook_of(SHARED_SHEET, shared_strings(b"external_id", b"E1", *(b"s%d" % i for i in range(5_000))))
    errors = refused_quickly(data, "people.xlsx")
    assert "400 different texts" in errors[0]["message"]
    assert not Person.objects.exists()


def test_a_sheet_that_inflates_a_hundredfold_is_refused(settings, org_tree):
    settings.INGEST_MAX_UPLOAD_BYTES = 1024 * 1024
    sheet = sheet_xml(HEADER_ROW, '<row r="2">' + "<c/>" * 4_000_000 + "</row>")
    data = workbook_of(sheet)
    errors = refused_quickly(data, "people.xlsx")
    assert "xl/worksheets/sheet1.xml" in errors[0]["message"]


def test_a_sheet_of_blank_rows_stops_at_the_blank_row_limit(write_client, settings, org_tree):
    settings.INGEST_MAX_ROWS = 1_000
    blank = "".join(
        f'<row r="{n}"><c r="A{n}" s="0"/><c r="B{n}" t="inlineStr"><is><t> </t></is></c></row>'
        for n in range(2, 200_002)
    )
    data = workbook_of(sheet_xml(HEADER_ROW, blank))
    errors = refused_quickly(data, "people.xlsx")
    assert errors[0]["row"] == 1_001
    assert "more than 1,000 blank rows" in errors[0]["message"]
    assert errors_of(post_file(write_client, "people", data, "people.xlsx"))[0]["row"] == 1_001
    assert not Person.objects.exists()


def test_a_row_numbered_far_below_the_header_is_refused_at_once(settings, org_tree):
    settings.INGEST_MAX_ROWS = 1_000
    sheet = sheet_xml(HEADER_ROW, inline_row(5_000_000, DATA_ROW))
    data = workbook_of(sheet)
    errors = refused_quickly(data, "people.xlsx")
    assert "more than 1,000 blank rows" in errors[0]["message"]
    assert not Person.objects.exists()


def declaring(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size declared as ``size`` in its local and central headers."""
    out = bytearray(data)
    name = member.encode()
    for signature, size_at, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at : at + name_at + len(name)] == name:
                out[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
            at = out.find(signature, at + 1)
    return bytes(out)


def test_a_member_whose_declared_size_lies_is_not_read_past_it(org_tree):
    rows = [inline_row(n, [f"E{n}", "Li", "T1", "sales_rep", "2024-01-01"]) for n in range(2, 40_000)]
    sheet = sheet_xml(HEADER_ROW, *rows)
    data = workbook_of(sheet)
    # the headers declare 2 KB for a sheet of several MB: zipfile reads no more than declared, then fails its CRC
    errors = refused_quickly(declaring(data, "xl/worksheets/sheet1.xml", 2048), "people.xlsx")
    assert errors[0]["message"].startswith("The XLSX file cannot be read")
    assert not Person.objects.exists()


def test_a_sheet_with_malformed_xml_is_a_400(write_client, org_tree):
    sheet = sheet_xml(HEADER_ROW, inline_row(2, DATA_ROW)).replace(b"</sheetData>", b"<row></sheetData>")
    data = workbook_of(sheet)
    assert errors_of(post_file(write_client, "people", data, "people.xlsx"))[0]["message"].startswith(
        "The XLSX file cannot be read"
    )
    assert not Person.objects.exists()


def test_an_ordinary_workbook_with_a_gap_and_a_stray_value_still_reads(write_client, org_tree):
    rows = [inline_row(2, DATA_ROW), inline_row(5, ["E2", "Wang", "T2", "presales", "2024-02-01"])]
    stray = '<row r="6"><c r="A6" t="inlineStr"><is><t>E3</t></is></c><c r="Z6"><v>7</v></c></row>'
    data = workbook_of(sheet_xml(HEADER_ROW, *rows, stray))
    # a value far right of the named columns is still reported (sheet row 6 is record 5)
    errors = errors_of(post_file(write_client, "people", data, "people.xlsx"))
    assert (errors[0]["row"], errors[0]["field"]) == (5, None)
    data = workbook_of(sheet_xml(HEADER_ROW, *rows))
    answer = post_file(write_client, "people", data, "people.xlsx")
    assert answer.status_code == 200, answer.json()
    assert sorted(Person.objects.values_list("external_id", "org_unit__code")) == [("E1", "T1"), ("E2", "T2")]


def test_the_first_sheet_reads_as_openpyxl_reads_it():
    strings = (
        f'<sst xmlns="{SHEET_NS}"><si><t>name</t></si><si><r><t>Li </t></r><r><rPr><b/></rPr><t>Na</t></r></si>'
        '<si><t>王芳</t><rPh sb="0" eb="2"><t>wang fang</t></rPh></si><si><t>a_x005F_b</t></si></sst>'
    ).encode()
    sheet = sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
        '<c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c><c r="F1" t="str"><v>calc</v></c></row>',
        '<row r="3"><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c><v>12.5</v></c><c r="AA3" t="s"><v>3</v></c>'
        '<c r="AB3"><f>1+1</f><v>2</v></c></row>',
    )
    data = workbook_of(sheet, strings)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    expected = [
        (number, [(column, value) for column, value in enumerate(row, start=1) if value is not None])
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        if any(value is not None for value in row)
    ]
    workbook.close()
    with first_sheet_rows(data) as rows:
        assert list(rows) == expected
    assert expected[1][1][:2] == [(1, "Li Na"), (2, "王芳")]


# --- finding 7: JSON bodies the parser must refuse -------------------------------------------------

RECORD = b'"external_id": "E1", "org_unit": "T1", "role": "sales_rep", "hire_date": "2024-01-01"'
BAD_JSON = {
    "NUL escape": (b'[{"name": "Li\\u0000Na", ' + RECORD + b"}]", "NUL character"),
    "lone surrogate": (b'[{"name": "Li\\ud800Na", ' + RECORD + b"}]", "lone surrogate"),
    "invalid UTF-8": (b'[{"name": "Ren\xe9e", ' + RECORD + b"}]", "not UTF-8"),
    "100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "nested more than 32 levels"),
    "1,000 deep": (b"[" * 1_000 + b"]" * 1_000, "nested more than 32 levels"),
    "33 deep": (b"[" * 33 + b"]" * 33, "nested more than 32 levels"),
}


@pytest.mark.parametrize(("body", "expected"), BAD_JSON.values(), ids=BAD_JSON.keys())
@pytest.mark.parametrize("query", ["", "?dry_run=true"])
def test_the_ingest_endpoint_refuses_bodies_that_are_not_text_or_too_deep(
    write_client, org_tree, body, expected, query
):
    answer = write_client.generic("POST", url("people") + query, body, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["error_count"] == 1
    assert answer.json()["errors_truncated"] is False
    [error] = errors_of(answer)
    assert (error["row"], error["field"]) == (None, None)
    assert expected in error["message"]
    assert not Person.objects.exists()
    # the parse call itself, in time and memory
    parsed, elapsed, peak = measured(lambda: _parse_error(body))
    assert expected in parsed
    assert elapsed < SECONDS
    assert peak < MEGABYTES


def _parse_error(body: bytes) -> str:
    with pytest.raises(ParseError) as caught:
        JSONParser().parse(io.BytesIO(body), "application/json", {})
    return str(caught.value.detail)


@pytest.mark.parametrize(("body", "expected"), BAD_JSON.values(), ids=BAD_JSON.keys())
def test_every_api_view_refuses_the_same_bodies(write_client, hr_lead, token_client, org_tree, body, expected):
    client = token_client(user=hr_lead)
    answer = client.generic("POST", "/api/v1/rollout/programs/", body, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert expected in answer.json()["detail"]


def test_32_levels_are_still_parsed(write_client, org_tree):
    answer = write_client.generic("POST", url("people"), b"[" * 32 + b"]" * 32, content_type="application/json")
    assert errors_of(answer)[0]["message"] == "A record must be a JSON object, not a list."


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"name=%ED%A0%80", "application/x-www-form-urlencoded"),
        (
            b'--B\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xed\xa0\x80\r\n--B--\r\n',
            "multipart/form-data; boundary=B",
        ),
    ],
    ids=["form", "multipart"],
)
def test_form_bodies_never_carry_a_lone_surrogate(token_client, hr_lead, org_tree, body, content_type):
    # Django decodes form fields with errors="replace": a UTF-8-encoded surrogate becomes U+FFFD, never a surrogate
    answer = token_client(user=hr_lead).generic("POST", "/api/v1/rollout/programs/", body, content_type=content_type)
    assert answer.status_code in (201, 400), answer.content
    names = "".join(Program.objects.values_list("name", flat=True))
    assert not any("\ud800" <= character <= "\udfff" for character in names)


# --- finding 12: the encoding of a CSV file --------------------------------------------------------


@pytest.mark.parametrize("name", ["Renée", "Conceição", "Müller"])
def test_a_windows_1252_csv_is_refused_naming_the_encodings_accepted(write_client, org_tree, name):
    content = csv_bytes(PEOPLE_FIELDS, [["E1", name, "", "T1", "sales_rep", "2024-01-01", ""]]).decode()
    [error] = errors_of(post_file(write_client, "people", content.encode("cp1252"), "people.csv"))
    assert error["row"] is None
    assert "UTF-8" in error["message"]
    assert "GB18030/GBK" in error["message"]
    assert "“CSV UTF-8”" in error["message"]
    assert not Person.objects.exists()


def test_a_gbk_csv_saved_by_a_chinese_excel_is_read(write_client, org_tree):
    content = (
        "external_id,name,org_unit,role,hire_date\r\n"
        "E1,王芳,T1,sales_rep,2024-01-01\r\nE2,张伟,T2,presales,2024-02-01\r\n"
    )
    answer = post_file(write_client, "people", content.encode("gbk"), "people.csv")
    assert answer.status_code == 200, answer.json()
    assert sorted(Person.objects.values_list("name", flat=True)) == ["张伟", "王芳"]
    units = "code,name,kind,parent\r\nSH1,上海一组,team,EAST\r\n".encode("gbk")
    assert post_file(write_client, "org-units", units, "units.csv").status_code == 200


def test_the_import_page_shows_the_same_refusals(client, hr_lead, org_tree):
    client.force_login(hr_lead)
    header = ",".join(f"c{i}" for i in range(1_000)) + "\n"
    cases = [
        (
            csv_bytes(PEOPLE_FIELDS, [["E1", "Renée", "", "T1", "sales_rep", "2024-01-01", ""]])
            .decode()
            .encode("cp1252"),
            "neither UTF-8 nor Chinese GB18030/GBK text",
        ),
        (header.encode() + b"x\n", "The first 5 of 1,000 errors are listed."),
    ]
    for content, expected in cases:
        upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
        page = client.post("/org/import/", {"dataset": "people", "mode": "import", "file": upload})
        assert page.status_code == 200
        assert expected in page.content.decode()
    assert not Person.objects.exists()


# --- finding 13: digits of other scripts, fact dates far ahead -------------------------------------


@pytest.fixture
def customer(write_client, org_tree):
    record = {"external_id": "C1", "name": "Acme", "segment": "smb", "org_unit": "T1", "acquired_on": "2024-01-15"}
    assert post_json(write_client, "customers", [record]).status_code == 200
    return Customer.objects.get()


ARABIC_INDIC = {
    "integer": ("nps-responses", {"external_id": "N1", "customer": "C1", "responded_on": "2024-05-01"}, "score", "٣"),
    "decimal": ("usage", {"customer": "C1", "month": "2024-05"}, "active_ratio", "٠.٥"),
    "date": ("nps-responses", {"external_id": "N1", "customer": "C1", "score": 3}, "responded_on", "٢٠٢٤-٠٥-٠١"),
    "month": ("usage", {"customer": "C1", "active_ratio": "0.5"}, "month", "٢٠٢٤-٠٥"),
    "devanagari": (
        "nps-responses",
        {"external_id": "N1", "customer": "C1", "responded_on": "2024-05-01"},
        "score",
        "७",
    ),
}


@pytest.mark.parametrize(("dataset", "record", "field", "value"), ARABIC_INDIC.values(), ids=ARABIC_INDIC.keys())
def test_digits_of_other_scripts_are_a_row_error(write_client, customer, dataset, record, field, value):
    answer = post_json(write_client, dataset, [record | {field: value}])
    [error] = errors_of(answer)
    assert (error["row"], error["field"]) == (1, field)
    assert "digits 0-9" in error["message"]
    assert not NpsResponse.objects.exists()
    assert not Usage.objects.exists()


def test_full_width_digits_are_read_as_ascii_digits(write_client, customer):
    record = {"external_id": "N1", "customer": "C1", "responded_on": "２０２４-０５-０１", "score": "８"}
    assert post_json(write_client, "nps-responses", [record]).status_code == 200
    assert NpsResponse.objects.values_list("responded_on", "score").get() == (dt.date(2024, 5, 1), 8)
    usage = {"customer": "C1", "month": "２０２４／５", "active_ratio": "０．５"}
    assert post_json(write_client, "usage", [usage]).status_code == 200
    assert Usage.objects.values_list("month", "active_ratio").get() == (dt.date(2024, 5, 1), Decimal("0.5"))


def test_a_numeric_factor_value_in_arabic_indic_digits_is_a_row_error(people):
    factor = {"code": "years", "name": "Years in the industry", "kind": "numeric", "source": "experience"}
    assert ingest_records(dataset="factors", records=[factor]).ok
    result = ingest_records(dataset="person-attributes", records=[{"person": "P1", "factor": "years", "value": "٤"}])
    [error] = result.as_dict()["errors"]
    assert (error["row"], error["field"]) == (1, "value")
    assert "digits 0-9" in error["message"]


def _lead(created_on: dt.date, converted_on: dt.date | None = None) -> dict:
    return {
        "external_id": "L1",
        "org_unit": "T1",
        "created_on": created_on.isoformat(),
        "source": "web",
        "is_qualified": True,
        "converted_on": converted_on.isoformat() if converted_on else None,
    }


def test_a_fact_date_more_than_a_year_ahead_is_a_row_error_naming_the_latest_date(write_client, org_tree):
    today = timezone.localdate()
    latest = (
        today.replace(year=today.year + 1) if (today.month, today.day) != (2, 29) else dt.date(today.year + 1, 2, 28)
    )
    answer = post_json(write_client, "leads", [_lead(today, latest + dt.timedelta(days=1))])
    [error] = errors_of(answer)
    assert (error["row"], error["field"]) == (1, "converted_on")
    assert latest.isoformat() in error["message"]
    assert not Lead.objects.exists()
    assert post_json(write_client, "leads", [_lead(today, latest)]).status_code == 200


def test_a_usage_month_more_than_a_year_ahead_is_refused(write_client, customer):
    month = (timezone.localdate() + dt.timedelta(days=400)).strftime("%Y-%m")
    [error] = errors_of(post_json(write_client, "usage", [{"customer": "C1", "month": month, "active_ratio": "0.5"}]))
    assert (error["row"], error["field"]) == (1, "month")
    assert not Usage.objects.exists()


def test_a_contract_may_run_years_ahead_but_not_be_signed_years_ahead(write_client, customer):
    today = timezone.localdate()
    contract = {
        "external_id": "K1",
        "customer": "C1",
        "org_unit": "T1",
        "kind": "new",
        "signed_on": today.isoformat(),
        "start_on": (today + dt.timedelta(days=30)).isoformat(),
        "end_on": (today + dt.timedelta(days=3 * 365)).isoformat(),
        "value": "1000",
        "gross_margin": "300",
    }
    later = (today + dt.timedelta(days=800)).isoformat()
    far = contract | {"signed_on": later, "start_on": later}
    [error] = errors_of(post_json(write_client, "contracts", [far]))
    assert (error["row"], error["field"]) == (1, "signed_on")
    assert not Contract.objects.exists()
    assert post_json(write_client, "contracts", [contract]).status_code == 200
