"""The ingest framework's parts on their own: field parsing, reading files, errors, the registry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from org.ingest import (
    Boolean,
    Choice,
    Dataset,
    Date,
    DecimalNumber,
    Email,
    IngestFileError,
    Integer,
    Month,
    Reference,
    Text,
    register_dataset,
    unregister_dataset,
)
from org.ingest.errors import ErrorCollector
from org.ingest.parsing import table_from_csv, table_from_records, table_from_upload
from org.ingest.service import ingest_records
from org.models import OrgUnit, Person
from performance.models import Contract, Lead, NpsResponse, Usage


def bound(field, model):
    field.bind(model)
    return field


def parse(field, values):
    errors = ErrorCollector(list(range(1, len(values) + 1)))
    return field.parse_column(values, errors), [(e.row, e.field) for e in errors.first([field.name])]


def one_by_one(field, values):
    """The value-by-value path, to compare the whole-column path with."""
    errors = ErrorCollector(list(range(1, len(values) + 1)))
    return field._parse_checking_each(values, errors)


# --- fields ------------------------------------------------------------------------------------

CLEAN_COLUMNS = [
    (lambda: bound(Text("name"), Person), [" Li Na ", "Wang", "x" * 200], ["Li Na", "Wang", "x" * 200]),
    (lambda: bound(Text("external_id"), Person), [1001, 1002.0, 7], ["1001", "1002", "7"]),
    (
        lambda: bound(Email("email"), Person),
        ["a@b.cn", "", None, "o'neil@example.com"],
        ["a@b.cn", "", "", "o'neil@example.com"],
    ),
    (lambda: bound(Choice("role"), Person), ["sales_rep", "Presales", "OTHER"], ["sales_rep", "presales", "other"]),
    (lambda: bound(Date("hire_date"), Person), ["2024-03-01", "2024/3/1", "2024-03-01"], [dt.date(2024, 3, 1)] * 3),
    (lambda: bound(Date("exit_date"), Person), [None, "2025-01-31", ""], [None, dt.date(2025, 1, 31), None]),
    (
        lambda: bound(Date("hire_date"), Person),
        [dt.datetime.combine(dt.date(2024, 3, 1), dt.time(9, 30)), dt.date(2024, 3, 2)],
        [dt.date(2024, 3, 1), dt.date(2024, 3, 2)],
    ),
    (
        lambda: bound(Month("month"), Usage),
        ["2024-03", "2024/11", "2024-03"],
        [dt.date(2024, 3, 1), dt.date(2024, 11, 1), dt.date(2024, 3, 1)],
    ),
    (lambda: bound(Integer("score", min_value=0, max_value=10), NpsResponse), ["0", 10, "7"], [0, 10, 7]),
    (lambda: bound(DecimalNumber("value"), Contract), ["1200.50", 99, 0.1], [Decimal("1200.50"), 99, Decimal("0.1")]),
    (lambda: bound(Boolean("is_qualified"), Lead), [True, False, True], [True, False, True]),
    (lambda: bound(Boolean("is_qualified"), Lead), ["yes", "NO", "1", "false"], [True, False, True, False]),
    (lambda: bound(Reference("org_unit", by="code"), Person), [" T1", 42, "T1"], ["T1", "42", "T1"]),
]


@pytest.mark.parametrize(("make", "raw", "expected"), CLEAN_COLUMNS)
def test_clean_columns_parse_the_same_on_both_paths(make, raw, expected):
    field = make()
    values, errors = parse(field, raw)
    assert errors == []
    assert values == expected
    assert values == one_by_one(field, raw)


BAD_VALUES = [
    (lambda: bound(Text("name"), Person), ["ok", "y" * 201, None], [(2, "name"), (3, "name")]),
    (lambda: bound(Email("email"), Person), ["a@b.cn", "nope", "x@"], [(2, "email"), (3, "email")]),
    (lambda: bound(Choice("role"), Person), ["sales_rep", "boss"], [(2, "role")]),
    (
        lambda: bound(Date("hire_date"), Person),
        ["2024-02-30", "2024-W01-1", 20240101],
        [(1, "hire_date"), (2, "hire_date"), (3, "hire_date")],
    ),
    (lambda: bound(Month("month"), Usage), ["2024-13", "2024-01"], [(1, "month")]),
    (
        lambda: bound(Integer("score", min_value=0, max_value=10), NpsResponse),
        ["11", "1.5", True, "3"],
        [(1, "score"), (2, "score"), (3, "score")],
    ),
    (
        lambda: bound(DecimalNumber("value"), Contract),
        ["1.234", "abc", "NaN", False, "1e30"],
        [(1, "value"), (2, "value"), (3, "value"), (4, "value"), (5, "value")],
    ),
    (lambda: bound(Boolean("is_qualified"), Lead), ["maybe", 2, True], [(1, "is_qualified"), (2, "is_qualified")]),
    (lambda: bound(Text("name"), Person), [{"a": 1}, ["x"], "fine"], [(1, "name"), (2, "name")]),
]


@pytest.mark.parametrize(("make", "raw", "bad"), BAD_VALUES)
def test_bad_values_are_reported_row_by_row(make, raw, bad):
    values, errors = parse(make(), raw)
    assert errors == bad
    assert all(values[row - 1] is None for row, _field in bad)


def test_fields_take_their_limits_from_the_model():
    assert bound(Text("name"), Person).describe()["max_length"] == 200
    assert bound(Choice("role"), Person).describe()["choices"][0] == "sales_rep"
    assert bound(Email("email"), Person).required is False
    assert bound(Date("hire_date"), Person).required is True
    value = bound(DecimalNumber("active_ratio", min_value=0, max_value=1), Usage)
    assert {"max_digits": 6, "decimal_places": 4, "min": "0", "max": "1"}.items() <= value.describe().items()


# --- reading uploads ----------------------------------------------------------------------------


def test_csv_rows_are_numbered_after_the_header_and_blank_lines_keep_their_number():
    table = table_from_csv(b"\xef\xbb\xbfCode,Name\nA,1\n\n  ,  \nB,2\n")
    assert table.columns == {"code": ["A", "B"], "name": ["1", "2"]}
    assert table.row_numbers == [1, 4]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_delimiters_are_detected(delimiter):
    table = table_from_csv(f"code{delimiter}name\nA{delimiter}x\n".encode())
    assert table.columns == {"code": ["A"], "name": ["x"]}


def test_csv_from_a_chinese_excel_is_read_as_gb18030():
    table = table_from_csv("code,name\nA,华东一组\n".encode("gb18030"))
    assert table.columns["name"] == ["华东一组"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"code,code\nA,B\n", "twice"),
        (b"code,,name\nA,B,C\n", "name"),
    ],
)
def test_unreadable_csv_files_are_refused_whole(content, message):
    with pytest.raises(IngestFileError) as caught:
        table_from_csv(content)
    assert message in str(caught.value)


def test_a_json_record_that_is_not_an_object_is_a_row_error():
    table = table_from_records([{"code": "A"}, "B", {"code": "C", "name": "x"}])
    assert [(e.row, e.field) for e in table.errors] == [(2, None)]
    assert table.columns == {"code": ["A", None, "C"], "name": [None, None, "x"]}
    assert table.per_record


def test_an_upload_larger_than_allowed_is_refused(settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 10
    with pytest.raises(IngestFileError):
        table_from_upload(b"code,name\nA,B\n", filename="x.csv")


def test_the_error_list_is_cut_but_the_count_is_complete(db, settings):
    settings.INGEST_MAX_ERRORS = 5
    records = [{"code": f"U{i}", "name": "x", "kind": "nope", "parent": None} for i in range(12)]
    result = ingest_records(dataset="org-units", records=records)
    assert result.error_count == 12
    assert result.as_dict()["errors_truncated"] is True
    assert [(e.row, e.field) for e in result.errors] == [(row, "kind") for row in range(1, 6)]


# --- the service ---------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_rows(org_tree, django_assert_max_num_queries):
    def records(count, version):
        return [
            {
                "external_id": f"E{i}",
                "name": f"N{i} {version}",
                "org_unit": ("T1", "T2", "T3")[i % 3],
                "role": "other",
                "hire_date": "2024-01-01",
            }
            for i in range(count)
        ]

    ingest_records(dataset="people", records=records(5, "a"))
    with django_assert_max_num_queries(12):
        assert ingest_records(dataset="people", records=records(600, "b")).created == 595
    with django_assert_max_num_queries(12):
        assert ingest_records(dataset="people", records=records(600, "c")).updated == 600
    assert Person.objects.count() == 600


def test_without_a_user_there_is_no_scope_limit(org_tree):
    result = ingest_records(dataset="org-units", records=[{"code": "CO2", "name": "Other", "kind": "company"}])
    assert result.created == 1
    assert OrgUnit.objects.get(code="CO2").parent is None


# --- the registry -------------------------------------------------------------------------------


def test_a_dataset_whose_key_is_not_unique_is_refused_at_declaration():
    with pytest.raises(ImproperlyConfigured):
        Dataset(
            "by-name",
            Person,
            key=("name",),
            fields=[
                Text("name"),
                Reference("org_unit", by="code"),
                Choice("role"),
                Date("hire_date"),
                Text("external_id"),
            ],
        )


def test_a_dataset_missing_a_required_model_field_is_refused():
    with pytest.raises(ImproperlyConfigured):
        Dataset("thin-people", Person, fields=[Text("external_id"), Text("name")])


def test_a_dataset_name_is_registered_once():
    dataset = Dataset(
        "people-again",
        Person,
        fields=[Text("external_id"), Text("name"), Reference("org_unit", by="code"), Choice("role"), Date("hire_date")],
    )
    register_dataset(dataset)
    try:
        with pytest.raises(ImproperlyConfigured):
            register_dataset(dataset)
    finally:
        unregister_dataset("people-again")
