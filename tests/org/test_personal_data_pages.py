"""HR leads export a person's data (JSON, XLSX) and anonymize them from the person page; both are in the
audit trail; nobody else sees the buttons or may use the links."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from org.models import Person
from performance.models import Lead
from tests.conftest import flat, make_user


@pytest.fixture
def person(people, org_tree):
    """P1 (Person P1, in T1) with an e-mail and one lead."""
    person = people["P1"]
    Person.objects.filter(pk=person.pk).update(email="p1@example.com")
    Lead.objects.create(
        external_id="L1",
        org_unit=org_tree["T1"],
        owner=person,
        created_on=dt.date(2026, 3, 1),
        is_qualified=True,
    )
    person.refresh_from_db()
    return person


@pytest.fixture
def hr(db):
    return make_user("hrlead", "hr_lead")


def test_the_person_page_offers_the_buttons_to_hr_leads_only(client, person, hr, east_manager):
    client.force_login(hr)
    html = flat(client.get("/enablement/people/P1/").content.decode())
    assert 'href="/org/people/P1/personal-data.json">Export personal data (JSON)</a>' in html
    assert 'href="/org/people/P1/personal-data.xlsx">Export personal data (XLSX)</a>' in html
    assert 'href="/org/people/P1/anonymize/">Anonymize…</a>' in html
    client.force_login(east_manager)
    html = client.get("/enablement/people/P1/").content.decode()
    assert "Export personal data" not in html
    assert "/anonymize/" not in html


def test_json_download_holds_the_record_and_rows_and_is_logged(client, person, hr):
    client.force_login(hr)
    response = client.get("/org/people/P1/personal-data.json")
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{person.pk}.json"'
    body = json.loads(response.content)
    assert sorted(body) == ["exported_at", "person", "related"]
    assert body["person"]["email"] == "p1@example.com"
    assert [row["external_id"] for row in body["related"]["performance.Lead (owner)"]] == ["L1"]
    entry = LogEntry.objects.get_for_model(Person).get()
    assert (entry.action, entry.actor, entry.object_repr) == (LogEntry.Action.ACCESS, hr, "Person P1 (P1)")
    html = flat(client.get("/org/audit/").content.decode())
    assert "Exported everything stored about the person (JSON)." in html


def test_xlsx_download_has_a_person_sheet_and_one_per_kind_of_row(client, person, hr):
    client.force_login(hr)
    response = client.get("/org/people/P1/personal-data.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Person", "performance.Lead (owner)"]
    rows = {row[0]: row[1] for row in workbook["Person"].iter_rows(min_row=2, values_only=True)}
    assert rows["name"] == "Person P1"
    assert rows["email"] == "p1@example.com"
    lead = workbook["performance.Lead (owner)"]
    header = [cell.value for cell in lead[1]]
    assert lead.cell(row=2, column=header.index("external_id") + 1).value == "L1"


def test_anonymize_asks_first_then_replaces_the_name_and_keeps_the_facts(client, person, hr):
    client.force_login(hr)
    client.get("/org/people/P1/personal-data.json")
    page = flat(client.get("/org/people/P1/anonymize/").content.decode())
    assert "<h1>Anonymize Person P1?</h1>" in page
    assert "The name “Person P1” is replaced by “—” on every page, export and API answer." in page
    assert "The e-mail address is removed." in page
    assert Person.objects.get(pk=person.pk).name == "Person P1"  # looking changes nothing

    response = client.post("/org/people/P1/anonymize/", follow=True)

    person.refresh_from_db()
    assert (person.name, person.email) == ("—", "")
    assert person.external_id.startswith("anon-")
    assert Lead.objects.get(external_id="L1").owner_id == person.pk
    assert f"Person P1 is anonymized: the person now reads as “—” ({person.external_id}) everywhere." in (
        response.content.decode()
    )
    entries = LogEntry.objects.get_for_model(Person).order_by("pk")
    assert [entry.additional_data["privacy"] for entry in entries] == ["export", "anonymize"]
    assert {entry.object_repr for entry in entries} == {f"— ({person.external_id})"}  # no old name left
    html = flat(client.get("/org/audit/").content.decode())
    assert "Anonymized: name and external id replaced, e-mail and notes about the person removed" in html
    assert "Person P1" not in html


@pytest.mark.parametrize("url", ["personal-data.json", "personal-data.xlsx", "anonymize/"])
def test_a_manager_is_refused(client, person, east_manager, url):
    client.force_login(east_manager)
    assert client.get(f"/org/people/P1/{url}").status_code == 403
    assert client.post("/org/people/P1/anonymize/").status_code == 403
    assert Person.objects.get(pk=person.pk).name == "Person P1"
    assert not LogEntry.objects.get_for_model(Person).exists()
