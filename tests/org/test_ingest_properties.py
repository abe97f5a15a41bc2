"""Property: any upload with at least one bad row writes nothing, and every bad row is reported by number.

Hypothesis builds batches of valid people and leads, spoils one or more rows in one of several ways at
random positions, and checks the answer and the database.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org.ingest.service import ingest_records
from org.models import Person
from performance.models import Lead

UNITS = ["T1", "T2", "T3", "SERVICE"]
ROLES = ["sales_rep", "account_manager", "presales", "customer_success"]

# field -> a value that makes the row invalid, and the field the error must name
PERSON_DEFECTS = {
    "unknown unit": ("org_unit", "NOPE"),
    "bad role": ("role", "astronaut"),
    "bad date": ("hire_date", "2025-13-40"),
    "missing name": ("name", ""),
    "exit before hire": ("exit_date", "2000-01-01"),
}
LEAD_DEFECTS = {
    "unknown owner": ("owner", "NOBODY"),
    "bad flag": ("is_qualified", "perhaps"),
    "bad date": ("created_on", "yesterday"),
    "converted before created": ("converted_on", "1999-01-01"),
}


def _person(index: int, unit: int, role: int, day: int) -> dict:
    return {
        "external_id": f"H{index:05d}",
        "name": f"Person {index}",
        "org_unit": UNITS[unit],
        "role": ROLES[role],
        "hire_date": (dt.date(2020, 1, 1) + dt.timedelta(days=day)).isoformat(),
    }


def _lead(index: int, unit: int, day: int) -> dict:
    created = dt.date(2025, 1, 1) + dt.timedelta(days=day)
    return {
        "external_id": f"HL{index:05d}",
        "org_unit": UNITS[unit],
        "owner": "P1",
        "created_on": created.isoformat(),
        "is_qualified": True,
        "converted_on": (created + dt.timedelta(days=3)).isoformat(),
    }


def _spoil(rows: list[dict], spoilers: list[tuple[int, str]], defects: dict) -> dict[int, str]:
    """Spoil rows in place; returns {1-based row number: field named}."""
    expected = {}
    for position, defect in spoilers:
        index = position % len(rows)
        field, value = defects[defect]
        rows[index][field] = value
        expected.setdefault(index + 1, set()).add(field)
    return expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2000)), min_size=1, max_size=40),
    spoilers=st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(sorted(PERSON_DEFECTS))), min_size=1, max_size=5
    ),
)
def test_people_with_any_bad_row_write_nothing(people, rows, spoilers):
    before = Person.objects.count()
    records = [_person(index, unit, role, day) for index, (unit, role, day) in enumerate(rows)]
    expected = _spoil(records, spoilers, PERSON_DEFECTS)
    result = ingest_records(dataset="people", records=records)
    assert result.errors, "a spoiled batch must be refused"
    reported: dict[int, set] = {}
    for error in result.errors:
        reported.setdefault(error.row, set()).add(error.field)
    for row, fields in expected.items():
        assert row in reported, (row, fields, result.errors)
    assert Person.objects.count() == before
    assert not Person.objects.filter(external_id__startswith="H").exists()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 500)), min_size=1, max_size=40),
    spoilers=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(sorted(LEAD_DEFECTS))), min_size=1, max_size=5),
)
def test_leads_with_any_bad_row_write_nothing(people, rows, spoilers):
    records = [_lead(index, unit, day) for index, (unit, day) in enumerate(rows)]
    expected = _spoil(records, spoilers, LEAD_DEFECTS)
    result = ingest_records(dataset="leads", records=records)
    assert result.errors
    rows_reported = {error.row for error in result.errors}
    assert set(expected) <= rows_reported, (expected, result.errors)
    assert not Lead.objects.exists()
