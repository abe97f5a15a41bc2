"""Uploads are limited in size and type: a file that is not CSV or XLSX, or too big, is refused and writes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from org.models import Person
from tests.conftest import make_user
from tests.org.test_ingest_api import csv_bytes, post_file

HEADER = ["external_id", "name", "org_unit", "role", "hire_date"]
GOOD = csv_bytes(HEADER, [["E1", "Li", "T1", "sales_rep", "2024-01-01"]])
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def refused(answer) -> str:
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert error["row"] is None
    return error["message"]


@pytest.mark.parametrize("name", ["people.exe", "people.png", "people.pdf", "people.zip", "people.csv.js"])
def test_a_file_named_as_another_type_is_refused(write_client, org_tree, name):
    message = refused(post_file(write_client, "people", GOOD, name, "application/octet-stream"))
    assert message == f"Only CSV and XLSX files can be imported; “{name}” is neither."
    assert not Person.objects.exists()


def test_binary_content_under_a_csv_name_is_refused(write_client, org_tree):
    message = refused(post_file(write_client, "people", PNG, "people.csv"))
    assert message.startswith("The file is neither CSV text (UTF-8) nor an XLSX workbook")
    assert not Person.objects.exists()


def test_the_same_rows_as_csv_are_accepted(write_client, org_tree):
    answer = post_file(write_client, "people", GOOD, "people.CSV")
    assert answer.status_code == 200, answer.json()
    assert list(Person.objects.values_list("external_id", flat=True)) == ["E1"]


def test_a_file_over_the_size_limit_is_refused(write_client, org_tree, settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 1024 * 1024
    big = GOOD + b"E2,Wang,T1,sales_rep,2024-01-01\n" * 40000
    assert len(big) > 1024 * 1024
    message = refused(post_file(write_client, "people", big, "people.csv"))
    assert message == "The file is larger than 1 MB; split it into several uploads."
    assert not Person.objects.exists()


def test_a_workbook_that_inflates_like_a_zip_bomb_is_refused(write_client, org_tree, settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (21 * 1024 * 1024))
    assert buffer.tell() < 1024 * 1024
    message = refused(post_file(write_client, "people", buffer.getvalue(), "people.xlsx"))
    assert message == "The XLSX file unpacks to more than 20 MB; split it into several uploads."


def test_the_import_page_names_the_refused_file(client, org_tree):
    client.force_login(make_user("hr", "hr_lead"))
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    page = client.post("/org/import/", {"dataset": "people", "mode": "import", "file": upload})
    assert page.status_code == 200
    assert "Only CSV and XLSX files can be imported; “photo.png” is neither." in page.content.decode()
    assert not Person.objects.exists()
