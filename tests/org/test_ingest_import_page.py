"""The browser import at /org/import/: HR leads upload a file, see row errors or a summary."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from org.models import OrgUnit, Person
from tests.conftest import make_user

PAGE = "/org/import/"
HEADER = "external_id,name,email,org_unit,role,hire_date,exit_date\n"


@pytest.fixture
def hr_client(client, hr_lead, org_tree):
    client.force_login(hr_lead)
    client.cookies["django_language"] = "en"
    return client


def upload(client, content: bytes, *, dataset: str = "people", mode: str = "import", name: str = "people.csv"):
    return client.post(
        PAGE,
        {"dataset": dataset, "mode": mode, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def people_state():
    return list(Person.objects.order_by("external_id").values_list("external_id", "name", "org_unit__code"))


def test_the_page_lists_datasets_fields_and_template_links(hr_client):
    answer = hr_client.get(PAGE + "?dataset=people", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    html = answer.content.decode()
    for link in (
        reverse("org:import-template-csv", args=["people"]),
        reverse("org:import-template-xlsx", args=["people"]),
    ):
        assert f'href="{link}"' in html
    assert "?dataset=org-units" in html
    for field in ("external_id", "org_unit", "hire_date", "exit_date"):
        assert f"<code>{field}</code>" in html
    assert 'enctype="multipart/form-data"' in html


def test_row_errors_are_shown_and_nothing_is_written(hr_client, people):
    before = people_state()
    content = (
        (
            HEADER + "P1,Renamed,,T1,sales_rep,2024-01-01,\n"  # a good update
            "E1,New,,NOWHERE,sales_rep,2024-01-01,\n"  # unknown unit, row 2
            "E2,Other,,T1,astronaut,2024-13-01,\n"  # bad role and bad date, row 3
        ).encode()
    )
    answer = upload(hr_client, content)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="import-errors"' in html
    assert "3 errors: nothing was written" in html
    for shown in ("NOWHERE", "astronaut", "2024-13-01"):
        assert shown in html
    rows = answer.context["result"].errors
    assert [(e.row, e.field) for e in rows] == [(2, "org_unit"), (3, "role"), (3, "hire_date")]
    assert people_state() == before


def test_a_clean_file_is_written_and_summarised(hr_client, people):
    content = (HEADER + "P1,Renamed,,T1,sales_rep,2024-01-01,\nE1,New person,,T2,presales,2024-05-01,\n").encode()
    answer = upload(hr_client, content)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Import done" in html
    assert "2 rows: 1 created, 1 updated, 0 unchanged." in html
    assert Person.objects.get(external_id="P1").name == "Renamed"
    assert Person.objects.get(external_id="E1").org_unit.code == "T2"
    # the same file again: all unchanged
    html = upload(hr_client, content).content.decode()
    assert "2 rows: 0 created, 0 updated, 2 unchanged." in html


def test_check_only_counts_without_writing(hr_client, people):
    before = people_state()
    content = (HEADER + "P1,Renamed,,T1,sales_rep,2024-01-01,\n").encode()
    html = upload(hr_client, content, mode="check").content.decode()
    assert "Check passed: nothing was written" in html
    assert people_state() == before


def test_an_xlsx_file_of_org_units_is_imported(hr_client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "kind", "parent"])
    sheet.append(["T9", "Team 9", "team", "NORTH"])  # child before its parent
    sheet.append(["NORTH", "North", "region", "SALES"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    answer = upload(hr_client, buffer.getvalue(), dataset="org-units", name="units.xlsx")
    assert "2 rows: 2 created, 0 updated, 0 unchanged." in answer.content.decode()
    assert OrgUnit.objects.get(code="T9").parent.code == "NORTH"


def test_a_malformed_file_is_reported_on_the_page(hr_client, people):
    before = people_state()
    answer = upload(hr_client, (HEADER + 'E1,"unclosed,,T1,sales_rep,2024-01-01,\n').encode())
    html = answer.content.decode()
    assert "1 error: nothing was written" in html
    assert "malformed" in html
    assert people_state() == before


def test_a_scoped_hr_lead_cannot_import_outside_their_subtree(client, people, org_tree):
    user = make_user("east_hr", "hr_lead", unit=org_tree["EAST"])
    client.force_login(user)
    before = people_state()
    answer = upload(client, (HEADER + "E1,New,,T3,sales_rep,2024-01-01,\n").encode())
    assert [(e.row, e.field) for e in answer.context["result"].errors] == [(1, "org_unit")]
    assert people_state() == before


@pytest.mark.parametrize("role", ["manager", "program_member"])
def test_roles_without_the_ingest_permission_get_403(client, org_tree, role):
    client.force_login(make_user(f"a_{role}", role, unit=org_tree["EAST"]))
    assert client.get(PAGE).status_code == 403
    content = (HEADER + "E1,New,,T1,sales_rep,2024-01-01,\n").encode()
    assert upload(client, content).status_code == 403
    assert client.get(reverse("org:import-template-csv", args=["people"])).status_code == 403
    assert not Person.objects.filter(external_id="E1").exists()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert "login" in answer["Location"]


def test_templates_download_from_the_page(hr_client):
    csv_answer = hr_client.get(reverse("org:import-template-csv", args=["people"]))
    assert csv_answer.status_code == 200
    assert csv_answer.content.decode("utf-8-sig").strip() == HEADER.strip()
    assert "attachment" in csv_answer["Content-Disposition"]
    xlsx_answer = hr_client.get(reverse("org:import-template-xlsx", args=["org-units"]))
    sheet = load_workbook(io.BytesIO(xlsx_answer.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["code", "name", "kind", "parent"]
    assert hr_client.get("/org/import/nothing/template.csv").status_code == 404
