"""Every written import of data leaves one line in the audit trail: dataset, file, counts, who; in the
import's own transaction, so a check-only or refused upload leaves none. Opening a self-check round and
creating a change program are on the trail too."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from org.models import ImportRecord
from tests.conftest import make_user
from tests.org.test_audit_readable import _rows

HEADER = "external_id,name,email,org_unit,role,hire_date,exit_date\n"
CSV = (
    HEADER
    + "P1,Renamed,,T1,sales_rep,2024-01-01,\nP2,Person P2,,T2,sales_rep,2024-01-01,\nE1,Neu,,T1,sales_rep,2025-03-01,\n"
).encode()


def _upload(client, content: bytes, *, mode: str = "import"):
    upload = SimpleUploadedFile("people-march.csv", content, content_type="text/csv")
    return client.post("/org/import/", {"dataset": "people", "mode": mode, "file": upload})


def _import_entries():
    return LogEntry.objects.filter(content_type__model="importrecord")


def test_an_upload_in_the_browser_is_one_line_with_its_counts(client, hr_lead, people):
    client.force_login(hr_lead)
    # when one person is renamed, one is sent again unchanged and one is new
    assert _upload(client, CSV).status_code == 200
    entry = _import_entries().get()
    assert entry.actor == hr_lead
    record = ImportRecord.objects.get()
    assert (record.dataset, record.file_name, record.rows, record.created, record.updated, record.unchanged) == (
        "people",
        "people-march.csv",
        3,
        1,
        1,
        1,
    )
    assert record.uploaded_by == hr_lead
    row = _rows(client.get(reverse("org:audit")))[0]
    assert row[1:3] == ["hr", "Created"]
    assert row[3] == "Data import: people-march.csv"
    assert row[4] == "Imported “people-march.csv” into People: 3 rows (1 created, 1 updated, 1 unchanged)."


@pytest.mark.chinese
def test_the_import_line_reads_in_chinese(client, hr_lead, people):
    client.force_login(hr_lead)
    _upload(client, CSV)
    row = _rows(client.get(reverse("org:audit")))[0]
    assert row[3] == "数据导入：people-march.csv"
    assert row[4] == "已将“people-march.csv”导入人员：共 3 行（新建 1 行，更新 1 行，未变 1 行）。"


def test_a_check_only_or_refused_upload_leaves_no_line(client, hr_lead, people):
    client.force_login(hr_lead)
    _upload(client, CSV, mode="check")
    _upload(client, (HEADER + "E2,Other,,NOWHERE,sales_rep,2024-01-01,\n").encode())
    assert not ImportRecord.objects.exists()
    assert not _import_entries().exists()


def test_a_json_upload_over_the_api_names_the_token_user(write_client, integrator, people):
    records = [
        {"external_id": "E9", "name": "API person", "org_unit": "T1", "role": "sales_rep", "hire_date": "2025-01-01"}
    ]
    response = write_client.post("/api/v1/ingest/people/", records, format="json")
    assert response.status_code == 200, response.content
    entry = _import_entries().get()
    assert entry.actor == integrator
    assert entry.changes_dict["created"] == ["None", "1"]
    assert ImportRecord.objects.get().file_name == ""


def test_opening_a_round_is_on_the_trail(client, db, org_tree):
    from auditlog.context import set_actor

    from diagnosis.services import round_open
    from tests.diagnosis.conftest import build_questionnaire

    hr = make_user("hrlead", "hr_lead")
    respondents = [make_user(f"r{n}", "manager") for n in range(3)]
    with set_actor(hr):
        round_open(
            questionnaire=build_questionnaire(),
            org_unit=org_tree["EAST"],
            owner=hr,
            respondents=respondents,
            title="East self-check",
            min_respondents=3,
            data_period_start=dt.date(2026, 7, 1),
        )
    client.force_login(hr)
    row = _rows(client.get(reverse("org:audit")))[0]
    assert row[1:4] == ["hrlead", "Created", "Assessment round: East self-check"]
    assert "Org unit: East" in row[4]
    assert "Data quarter: July 1, 2026" in row[4]


def test_creating_a_program_is_on_the_trail(client, db, org_tree):
    from auditlog.context import set_actor

    from performance.models import Indicator
    from rollout.services import KeyIndicatorInput, program_create

    hr = make_user("hrlead", "hr_lead")
    sponsor = make_user("biz", "program_member")
    with set_actor(hr):
        program_create(
            name="Win more in the East",
            sponsor=sponsor,
            hr_co_lead=hr,
            org_units=[org_tree["EAST"]],
            focus_dimensions=["enablement"],
            key_indicators=[
                KeyIndicatorInput(indicator=Indicator.objects.get(code=code), timing="lagging", target=None)
                for code in ("lead_conversion_rate", "win_rate", "nps")
            ],
            start_date=dt.date(2026, 4, 1),
            created_by=hr,
        )
    client.force_login(hr)
    rows = [row for row in _rows(client.get(reverse("org:audit"))) if row[3].startswith("Change program:")]
    assert [row[1:4] for row in rows] == [["hrlead", "Created", "Change program: Win more in the East"]]
    assert "Start date: April 1, 2026" in rows[0][4]
