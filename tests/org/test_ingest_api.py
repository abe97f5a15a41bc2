"""POST /api/v1/ingest/<dataset>/ for org units and people: the contract of DESIGN.md section 4.

Good rows are created, then updated; the same file twice changes nothing; every bad
upload answers 400 naming row and field and leaves the database exactly as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from org.choices import TokenScope
from org.ingest import get_dataset
from org.models import OrgUnit, OrgUnitClosure, Person
from tests.conftest import make_user

PEOPLE_FIELDS = ["external_id", "name", "email", "org_unit", "role", "hire_date", "exit_date"]
UNIT_FIELDS = ["code", "name", "kind", "parent"]


def url(dataset: str) -> str:
    return f"/api/v1/ingest/{dataset}/"


def post_json(client, dataset: str, records, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return client.post(url(dataset) + suffix, records, format="json")


def post_file(client, dataset: str, content: bytes, name: str, content_type: str = "text/csv"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(url(dataset), {"file": upload}, format="multipart")


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person(external_id: str, org_unit: str = "T1", **overrides) -> dict:
    record = {
        "external_id": external_id,
        "name": f"Name {external_id}",
        "email": f"{external_id.lower()}@example.com",
        "org_unit": org_unit,
        "role": "sales_rep",
        "hire_date": "2024-03-01",
        "exit_date": None,
    }
    record.update(overrides)
    return record


def snapshot() -> dict:
    """Everything an ingest of org units or people could change, in a comparable form."""
    return {
        "units": list(
            OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "parent__code", "updated_at")
        ),
        "people": list(
            Person.objects.order_by("external_id").values_list(
                "external_id", "name", "email", "org_unit__code", "role", "hire_date", "exit_date"
            )
        ),
        "closure": sorted(OrgUnitClosure.objects.values_list("ancestor__code", "descendant__code", "depth")),
    }


def ancestors(code: str) -> list[str]:
    """Ancestor codes of a unit from the closure table, nearest first (itself at depth 0)."""
    return list(
        OrgUnitClosure.objects.filter(descendant__code=code).order_by("depth").values_list("ancestor__code", flat=True)
    )


def closure_from_parents() -> list[tuple[str, str, int]]:
    """The closure the parent links imply, computed independently of the service."""
    parent = dict(OrgUnit.objects.values_list("code", "parent__code"))
    rows = []
    for code in parent:
        node, depth = code, 0
        while node is not None:
            rows.append((node, code, depth))
            node, depth = parent[node], depth + 1
    return sorted(rows)


def assert_error(answer, *, row, field, contains: str | None = None) -> dict:
    """The answer is a 400 whose errors include one at this row and field."""
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert set(body) >= {"errors"}
    for error in body["errors"]:
        assert set(error) == {"row", "field", "message"}
    matching = [e for e in body["errors"] if e["row"] == row and e["field"] == field]
    assert matching, body["errors"]
    if contains:
        assert any(contains in e["message"] for e in matching), matching
    return body


# --- good uploads ------------------------------------------------------------------------


def test_people_created_then_updated_with_exact_counts(write_client, org_tree):
    # given two new people
    answer = post_json(write_client, "people", [person("E1"), person("E2", "T3", exit_date="2025-01-31")])
    assert answer.status_code == 200, answer.json()
    assert answer.json() | {} == {
        "dataset": "people",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "dry_run": False,
    }
    # when one is renamed and moved and a third is added
    answer = post_json(
        write_client,
        "people",
        [person("E1", "T2", name="Renamed"), person("E2", "T3", exit_date="2025-01-31"), person("E3")],
    )
    # then
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 1, 1)
    e1 = Person.objects.get(external_id="E1")
    assert (e1.name, e1.org_unit.code) == ("Renamed", "T2")
    assert Person.objects.get(external_id="E2").exit_date == dt.date(2025, 1, 31)
    assert Person.objects.count() == 3


def test_optional_fields_may_be_left_out_and_cleared(write_client, org_tree):
    record = {k: v for k, v in person("E1", exit_date="2025-06-30").items()}
    assert post_json(write_client, "people", [record]).status_code == 200
    # leaving optional fields out of a record clears them (the record is the whole truth)
    answer = post_json(
        write_client,
        "people",
        [{k: record[k] for k in ("external_id", "name", "org_unit", "role", "hire_date")}],
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["updated"] == 1
    e1 = Person.objects.get(external_id="E1")
    assert (e1.email, e1.exit_date) == ("", None)


def test_org_units_created_then_updated_with_exact_counts(write_client, org_tree):
    rows = [
        {"code": "NORTH", "name": "North", "kind": "region", "parent": "SALES"},
        {"code": "T4", "name": "Team 4", "kind": "team", "parent": "NORTH"},
    ]
    answer = post_json(write_client, "org-units", rows)
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["created"], answer.json()["updated"], answer.json()["unchanged"]) == (2, 0, 0)
    rows[1]["name"] = "Team four"
    answer = post_json(write_client, "org-units", rows)
    assert (answer.json()["created"], answer.json()["updated"], answer.json()["unchanged"]) == (0, 1, 1)
    assert OrgUnit.objects.get(code="T4").name == "Team four"
    assert ancestors("T4") == ["T4", "NORTH", "SALES", "ACME"]


def test_the_same_csv_file_twice_changes_nothing(write_client, org_tree):
    content = csv_bytes(
        PEOPLE_FIELDS,
        [
            ["E1", "Li Na", "li.na@example.com", "T1", "sales_rep", "2024-03-01", ""],
            ["E2", "Wang Wei", "", "T3", "presales", "2023-11-15", "2025-02-28"],
        ],
    )
    first = post_file(write_client, "people", content, "people.csv")
    assert first.status_code == 200, first.json()
    assert (first.json()["created"], first.json()["updated"]) == (2, 0)
    before = snapshot()
    # when the very same file is uploaded again
    second = post_file(write_client, "people", content, "people.csv")
    # then nothing is created or updated, and the counts say so
    assert second.status_code == 200, second.json()
    assert (second.json()["created"], second.json()["updated"], second.json()["unchanged"]) == (0, 0, 2)
    assert snapshot() == before


def test_the_same_org_units_twice_changes_nothing_not_even_timestamps(write_client, org_tree):
    rows = [
        {"code": code, "name": unit.name, "kind": unit.kind, "parent": unit.parent.code if unit.parent else None}
        for code, unit in org_tree.items()
    ]
    before = snapshot()
    answer = post_json(write_client, "org-units", rows)
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["created"], answer.json()["updated"], answer.json()["unchanged"]) == (0, 0, 8)
    assert snapshot() == before


def test_csv_upload_as_raw_body_and_with_semicolons(write_client, org_tree):
    content = b"external_id;name;org_unit;role;hire_date\nE1;Li Na;T1;sales_rep;2024-03-01\n"
    answer = write_client.generic("POST", url("people"), content, content_type="text/csv")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 1
    assert Person.objects.get(external_id="E1").org_unit.code == "T1"


def test_xlsx_upload_with_date_cells_and_numeric_codes(write_client, org_tree):
    content = xlsx_bytes(
        PEOPLE_FIELDS,
        [
            [1001, "Li Na", "li.na@example.com", "T1", "sales_rep", dt.date(2024, 3, 1), None],
            [
                "E2",
                "Wang Wei",
                None,
                "T3",
                "Presales",
                "2023-11-15",
                dt.datetime.combine(dt.date(2025, 2, 28), dt.time()),
            ],  # a naive spreadsheet cell,
        ],
    )
    answer = post_file(write_client, "people", content, "people.xlsx", "application/octet-stream")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 2
    first = Person.objects.get(external_id="1001")
    assert (first.hire_date, first.exit_date) == (dt.date(2024, 3, 1), None)
    second = Person.objects.get(external_id="E2")
    assert (second.role, second.email, second.exit_date) == ("presales", "", dt.date(2025, 2, 28))


def test_xlsx_row_errors_count_rows_after_the_header(write_client, org_tree, people):
    before = snapshot()
    content = xlsx_bytes(
        PEOPLE_FIELDS,
        [
            ["E1", "Li Na", None, "T1", "sales_rep", dt.date(2024, 3, 1), None],
            ["E2", "Wang Wei", None, "NOWHERE", "sales_rep", dt.date(2024, 3, 1), None],
        ],
    )
    answer = post_file(write_client, "people", content, "people.xlsx")
    assert_error(answer, row=2, field="org_unit", contains="NOWHERE")
    assert snapshot() == before


def test_dry_run_counts_but_writes_nothing(write_client, org_tree, people):
    before = snapshot()
    answer = post_json(write_client, "people", [person("P1", name="Changed"), person("E9")], dry_run="1")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["created"], body["updated"], body["dry_run"]) == (1, 1, True)
    assert snapshot() == before


def test_an_empty_list_is_a_valid_upload_of_nothing(write_client, org_tree):
    answer = post_json(write_client, "people", [])
    assert answer.status_code == 200
    assert (answer.json()["created"], answer.json()["updated"]) == (0, 0)


# --- bad uploads: 400, row and field, nothing written ------------------------------------------

BAD_PEOPLE = {
    "unknown reference": (person("E2", "NOWHERE"), "org_unit", "NOWHERE"),
    "wrong type: a date that is not one": (person("E2", hire_date="2024-02-30"), "hire_date", "2024-02-30"),
    "wrong type: a number for a date": (person("E2", hire_date=20240301), "hire_date", "20240301"),
    "wrong type: an object for a name": (person("E2", name={"first": "Li"}), "name", None),
    "wrong type: a choice that does not exist": (person("E2", role="astronaut"), "role", "astronaut"),
    "wrong type: not an e-mail": (person("E2", email="not-an-address"), "email", None),
    "missing required value": (person("E2", name="   "), "name", None),
    "missing required key": ({k: v for k, v in person("E2").items() if k != "hire_date"}, "hire_date", None),
    "exit before hire": (person("E2", exit_date="2024-01-01"), "exit_date", None),
    "too long": (person("E" * 65), "external_id", "64"),
}


@pytest.mark.parametrize("case", list(BAD_PEOPLE), ids=list(BAD_PEOPLE))
def test_a_bad_person_row_refuses_the_whole_upload(write_client, people, case):
    bad_record, field, contains = BAD_PEOPLE[case]
    before = snapshot()
    # a good update, a good new row, then the bad one as row 3
    records = [person("P1", name="Would be renamed"), person("E1"), bad_record]
    answer = post_json(write_client, "people", records)
    body = assert_error(answer, row=3, field=field, contains=contains)
    assert body["error_count"] == len(body["errors"]) == 1
    assert snapshot() == before


def test_a_duplicate_key_in_one_upload_names_both_rows(write_client, people):
    before = snapshot()
    answer = post_json(write_client, "people", [person("E1"), person("E2"), person("E1", name="Again")])
    body = assert_error(answer, row=3, field="external_id", contains="1")
    assert "row 1" in body["errors"][0]["message"]
    assert snapshot() == before


def test_every_bad_row_is_reported_not_only_the_first(write_client, people):
    before = snapshot()
    records = [person("E1", "NOWHERE"), person("E2", role="x"), person("E3"), person("E4", hire_date="soon")]
    answer = post_json(write_client, "people", records)
    assert answer.status_code == 400
    found = [(e["row"], e["field"]) for e in answer.json()["errors"]]
    assert found == [(1, "org_unit"), (2, "role"), (4, "hire_date")]
    assert snapshot() == before


def test_a_bad_org_unit_row_refuses_the_whole_upload(write_client, org_tree):
    before = snapshot()
    rows = [
        {"code": "NORTH", "name": "North", "kind": "region", "parent": "SALES"},
        {"code": "T9", "name": "Team 9", "kind": "squad", "parent": "NORTH"},
        {"code": "T8", "name": "Team 8", "kind": "team", "parent": "NOWHERE"},
    ]
    answer = post_json(write_client, "org-units", rows)
    assert_error(answer, row=2, field="kind", contains="squad")
    assert_error(answer, row=3, field="parent", contains="NOWHERE")
    assert snapshot() == before


def test_a_unit_under_a_lower_kind_is_refused(write_client, org_tree):
    before = snapshot()
    answer = post_json(write_client, "org-units", [{"code": "R9", "name": "R9", "kind": "region", "parent": "T1"}])
    assert_error(answer, row=1, field="parent")
    assert snapshot() == before


def test_a_move_that_makes_a_loop_is_refused(write_client, org_tree):
    before = snapshot()
    rows = [
        {"code": "X1", "name": "X1", "kind": "region", "parent": "X2"},
        {"code": "X2", "name": "X2", "kind": "region", "parent": "X1"},
    ]
    answer = post_json(write_client, "org-units", rows)
    assert_error(answer, row=1, field="parent", contains="loop")
    assert snapshot() == before


def test_over_the_row_limit_is_refused_before_anything_is_read(write_client, people, settings):
    settings.INGEST_MAX_ROWS = 3
    before = snapshot()
    answer = post_json(write_client, "people", [person(f"E{i}") for i in range(4)])
    assert_error(answer, row=4, field=None, contains="3")
    content = csv_bytes(PEOPLE_FIELDS, [[f"E{i}", "N", "", "T1", "sales_rep", "2024-01-01", ""] for i in range(4)])
    assert_error(post_file(write_client, "people", content, "people.csv"), row=4, field=None)
    # exactly at the limit is fine
    assert post_json(write_client, "people", [person(f"E{i}") for i in range(3)]).status_code == 200
    assert Person.objects.count() == len(before["people"]) + 3


def test_50001_rows_are_refused_and_nothing_is_written(write_client, people):
    before = snapshot()
    records = [
        {"external_id": f"E{i}", "name": "N", "org_unit": "T1", "role": "other", "hire_date": "2024-01-01"}
        for i in range(50_001)
    ]
    answer = post_json(write_client, "people", records)
    body = assert_error(answer, row=50_001, field=None, contains="50")
    assert body["error_count"] == 1
    content = csv_bytes(
        ["external_id", "name", "org_unit", "role", "hire_date"],
        [[f"E{i}", "N", "T1", "other", "2024-01-01"] for i in range(50_001)],
    )
    assert_error(post_file(write_client, "people", content, "people.csv"), row=50_001, field=None)
    assert snapshot() == before


MALFORMED = {
    "unclosed quote": b'external_id,name,org_unit,role,hire_date\nE1,"Li,T1,sales_rep,2024-01-01\n',
    "text after a closing quote": b"external_id,name,org_unit,role,hire_date\nE1,Li,T1,sales_rep,2024-01-01\n"
    b'E2,"Wang"x,T1,sales_rep,2024-01-01\n',
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_a_malformed_csv_is_refused_with_its_row(write_client, people, case):
    before = snapshot()
    answer = post_file(write_client, "people", MALFORMED[case], "people.csv")
    expected_row = 1 if case == "unclosed quote" else 2
    assert_error(answer, row=expected_row, field=None, contains="malformed")
    assert snapshot() == before


def test_a_csv_row_with_too_many_values_is_a_row_error(write_client, people):
    before = snapshot()
    content = b"external_id,name,org_unit,role,hire_date\nE1,Li,T1,sales_rep,2024-01-01,surplus\n"
    assert_error(post_file(write_client, "people", content, "people.csv"), row=1, field=None)
    assert snapshot() == before


def test_a_csv_without_a_required_column_names_the_column(write_client, people):
    content = b"external_id,name,org_unit,role\nE1,Li,T1,sales_rep\n"
    assert_error(post_file(write_client, "people", content, "people.csv"), row=None, field="hire_date")


def test_an_unknown_column_is_refused(write_client, people):
    before = snapshot()
    answer = post_json(write_client, "people", [person("E1") | {"salary": 1}])
    assert_error(answer, row=None, field="salary")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"PK\x03\x04 not really a zip", "people.xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "people.xls")],
    ids=["broken xlsx", "old xls"],
)
def test_an_unreadable_spreadsheet_is_refused(write_client, people, content, name):
    before = snapshot()
    answer = post_file(write_client, "people", content, name, "application/octet-stream")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["row"] is None
    assert snapshot() == before


@pytest.mark.parametrize("body", ['{"external_id": "E1"}', "[1, 2]", "not json"], ids=["object", "scalars", "text"])
def test_a_json_body_that_is_not_a_list_of_records_is_refused(write_client, people, body):
    answer = write_client.generic("POST", url("people"), body, content_type="application/json")
    assert answer.status_code == 400
    assert "errors" in answer.json()


# --- the org tree through ingest ------------------------------------------------------------------


def test_children_may_come_before_their_parents_in_one_upload(write_client, org_tree):
    rows = [
        {"code": "T9", "name": "Team 9", "kind": "team", "parent": "R9"},
        {"code": "R9", "name": "Region 9", "kind": "region", "parent": "BU9"},
        {"code": "BU9", "name": "BU 9", "kind": "business_unit", "parent": "ACME"},
    ]
    answer = post_json(write_client, "org-units", rows)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["created"] == 3
    assert ancestors("T9") == ["T9", "R9", "BU9", "ACME"]
    assert sorted(OrgUnitClosure.objects.values_list("ancestor__code", "descendant__code", "depth")) == (
        closure_from_parents()
    )


def test_moving_a_unit_by_re_ingest_moves_its_subtree_in_the_closure(write_client, org_tree, people):
    # given East (with T1 and T2) under Sales; when East is re-ingested under Service
    answer = post_json(
        write_client, "org-units", [{"code": "EAST", "name": "East", "kind": "region", "parent": "SERVICE"}]
    )
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["created"], answer.json()["updated"]) == (0, 1)
    # then the whole subtree follows and nothing still points at Sales
    assert ancestors("EAST") == ["EAST", "SERVICE", "ACME"]
    assert ancestors("T1") == ["T1", "EAST", "SERVICE", "ACME"]
    assert ancestors("T2") == ["T2", "EAST", "SERVICE", "ACME"]
    assert not OrgUnitClosure.objects.filter(ancestor__code="SALES", descendant__code__in=["EAST", "T1", "T2"]).exists()
    assert sorted(OrgUnitClosure.objects.values_list("ancestor__code", "descendant__code", "depth")) == (
        closure_from_parents()
    )


def test_changing_a_kind_that_would_strand_a_child_is_refused(write_client, org_tree):
    before = snapshot()
    answer = post_json(write_client, "org-units", [{"code": "EAST", "name": "East", "kind": "team", "parent": "SALES"}])
    assert_error(answer, row=1, field="kind")
    assert snapshot() == before


# --- who may ingest ------------------------------------------------------------------------------


def test_a_read_token_cannot_ingest(read_client, org_tree):
    before = snapshot()
    answer = post_json(read_client, "people", [person("E1")])
    assert answer.status_code == 403
    assert snapshot() == before


def test_without_a_token_the_answer_is_401(db, org_tree):
    answer = post_json(APIClient(), "people", [person("E1")])
    assert answer.status_code == 401
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", ["manager", "program_member"])
def test_roles_without_the_ingest_permission_are_refused_even_with_a_write_token(token_client, org_tree, role):
    user = make_user(f"a_{role}", role, unit=org_tree["EAST"])
    client = token_client(TokenScope.WRITE, user=user)
    assert post_json(client, "people", [person("E1")]).status_code == 403
    assert client.get("/api/v1/ingest/").status_code == 403
    assert not Person.objects.exists()


@pytest.fixture
def east_integrator_client(token_client, org_tree):
    """A write token of an integrator whose login is scoped to the East region (T1, T2)."""
    user = make_user("east_integrator", "integrator", unit=org_tree["EAST"])
    return token_client(TokenScope.WRITE, user=user)


def test_a_scoped_login_ingests_inside_its_subtree(east_integrator_client, people):
    answer = post_json(east_integrator_client, "people", [person("E1", "T1"), person("P2", "T1", name="Moved")])
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["created"], answer.json()["updated"]) == (1, 1)
    assert Person.objects.get(external_id="P2").org_unit.code == "T1"


def test_a_scoped_login_cannot_write_outside_its_subtree(east_integrator_client, people):
    before = snapshot()
    records = [
        person("E1", "T3"),  # a new person in West
        person("P3", "T1"),  # pulling West's P3 into East
    ]
    answer = post_json(east_integrator_client, "people", records)
    assert_error(answer, row=1, field="org_unit", contains="T3")
    assert_error(answer, row=2, field="external_id", contains="P3")
    assert snapshot() == before


def test_a_scoped_login_cannot_change_units_outside_its_subtree(east_integrator_client, org_tree):
    before = snapshot()
    rows = [
        {"code": "T9", "name": "Team 9", "kind": "team", "parent": "EAST"},  # fine on its own
        {"code": "WEST", "name": "Far West", "kind": "region", "parent": "SALES"},  # outside
        {"code": "CO2", "name": "Other company", "kind": "company", "parent": None},  # a new root
        {"code": "EAST", "name": "East", "kind": "company", "parent": None},  # its own root cut loose
    ]
    answer = post_json(east_integrator_client, "org-units", rows)
    assert_error(answer, row=2, field="parent", contains="SALES")
    assert_error(answer, row=3, field="parent")
    assert_error(answer, row=4, field="parent")
    assert snapshot() == before
    # the fine row alone goes through
    assert post_json(east_integrator_client, "org-units", rows[:1]).status_code == 200
    assert ancestors("T9") == ["T9", "EAST", "SALES", "ACME"]


def test_a_hr_lead_session_may_ingest(client, hr_lead, org_tree):
    api = APIClient()
    api.force_login(hr_lead)
    answer = post_json(api, "people", [person("E1")])
    assert answer.status_code == 200, answer.json()


# --- discovery: datasets, unknown names, templates -----------------------------------------------


def test_unknown_dataset_is_404_listing_the_known_ones(write_client, org_tree):
    answer = post_json(write_client, "persons", [person("E1")])
    assert answer.status_code == 404
    assert {"org-units", "people"} <= set(answer.json()["datasets"])
    assert write_client.get("/api/v1/ingest/persons/template.csv").status_code == 404
    assert write_client.get(url("persons")).status_code == 404


def test_the_dataset_list_names_every_field(read_client, db):
    answer = read_client.get("/api/v1/ingest/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["max_rows"] == 50_000
    by_name = {dataset["name"]: dataset for dataset in body["datasets"]}
    assert [f["name"] for f in by_name["org-units"]["fields"]] == UNIT_FIELDS
    assert [f["name"] for f in by_name["people"]["fields"]] == PEOPLE_FIELDS
    people_fields = {f["name"]: f for f in by_name["people"]["fields"]}
    assert by_name["people"]["key"] == ["external_id"]
    assert people_fields["external_id"]["key"] is True
    assert people_fields["email"]["required"] is False
    assert people_fields["org_unit"]["references"] == "org-units"
    assert "sales_manager" in people_fields["role"]["choices"]
    assert {f["name"] for f in by_name["org-units"]["fields"] if f["required"]} == {"code", "name", "kind"}


def test_one_dataset_is_described_at_its_url(read_client, db):
    answer = read_client.get(url("org-units"))
    assert answer.status_code == 200
    assert answer.json()["key"] == ["code"]


@pytest.mark.parametrize("dataset", ["org-units", "people"])
def test_the_csv_template_header_is_the_field_list(read_client, dataset):
    answer = read_client.get(f"/api/v1/ingest/{dataset}/template.csv")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == get_dataset(dataset).field_names


@pytest.mark.parametrize("dataset", ["org-units", "people"])
def test_the_xlsx_template_opens_and_round_trips(write_client, org_tree, dataset):
    answer = write_client.get(f"/api/v1/ingest/{dataset}/template.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header == get_dataset(dataset).field_names
    # an empty template uploads as an empty, valid file
    assert post_file(write_client, dataset, answer.content, f"{dataset}.xlsx").status_code == 200
