"""The talent datasets through the generic ingest framework: types per factor kind, keys, references."""

from __future__ import annotations

import pytest

from org.ingest.service import ingest_records
from talent.models import Candidate, CandidateAttribute, Factor, PersonAttribute

FACTORS = [
    {"code": "years_industry", "name": "Years of industry experience", "kind": "numeric", "source": "experience"},
    {"code": "bank_clients", "name": "Has served banks", "kind": "boolean", "source": "customer_mix"},
    {"code": "prior_role", "name": "Prior role", "kind": "categorical", "source": "career"},
]


@pytest.fixture
def factors(db):
    result = ingest_records(dataset="factors", records=FACTORS)
    assert result.ok, result.as_dict()
    return result


def test_factors_are_upserted_by_code(factors):
    assert (factors.created, factors.updated) == (3, 0)
    again = ingest_records(dataset="factors", records=FACTORS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Factor.objects.get(code="bank_clients").kind == "boolean"


def test_person_attributes_are_normalised_by_kind(factors, people):
    records = [
        {"person": "P1", "factor": "years_industry", "value": "3.50"},
        {"person": "P1", "factor": "bank_clients", "value": True},
        {"person": "P2", "factor": "bank_clients", "value": "No"},
        {"person": "P2", "factor": "prior_role", "value": "presales"},
        {"person": "P2", "factor": "years_industry", "value": 12},
    ]
    result = ingest_records(dataset="person-attributes", records=records)
    assert result.ok, result.as_dict()
    stored = {(a.person.external_id, a.factor.code): a.value for a in PersonAttribute.objects.select_related()}
    assert stored == {
        ("P1", "years_industry"): "3.5",
        ("P1", "bank_clients"): "true",
        ("P2", "bank_clients"): "false",
        ("P2", "prior_role"): "presales",
        ("P2", "years_industry"): "12",
    }
    # the same upload again changes nothing
    again = ingest_records(dataset="person-attributes", records=records)
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.parametrize(
    ("factor", "value"),
    [("years_industry", "many"), ("years_industry", True), ("bank_clients", "maybe"), ("bank_clients", 2)],
)
def test_a_value_of_the_wrong_type_for_its_factor_is_a_row_error(factors, people, factor, value):
    records = [
        {"person": "P1", "factor": "years_industry", "value": "4"},
        {"person": "P2", "factor": factor, "value": value},
    ]
    result = ingest_records(dataset="person-attributes", records=records)
    assert not result.ok
    errors = result.as_dict()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "value")]
    assert PersonAttribute.objects.count() == 0  # one transaction: nothing written


def test_unknown_references_are_row_errors(factors, people):
    result = ingest_records(
        dataset="person-attributes", records=[{"person": "NOBODY", "factor": "nothing", "value": "1"}]
    )
    assert {e["field"] for e in result.as_dict()["errors"]} == {"person", "factor"}


def test_candidates_and_their_attributes(factors, people, org_tree):
    candidates = [
        {
            "external_id": "C1",
            "name": "Li Lei",
            "role": "sales_rep",
            "org_unit": "T1",
            "applied_on": "2025-03-01",
            "stage": "interviewed",
            "source_channel": "referral",
        },
        {
            "external_id": "C2",
            "name": "Han Meimei",
            "role": "sales_rep",
            "org_unit": "T2",
            "applied_on": "2025-02-01",
            "stage": "hired",
            "hired_as": "P2",
            "interviewed_on": "2025-02-10",
        },
    ]
    result = ingest_records(dataset="candidates", records=candidates)
    assert result.ok, result.as_dict()
    assert Candidate.objects.get(external_id="C2").hired_as.external_id == "P2"
    attrs = ingest_records(
        dataset="candidate-attributes",
        records=[
            {"candidate": "C1", "factor": "years_industry", "value": "7"},
            {"candidate": "C2", "factor": "prior_role", "value": "marketing"},
        ],
    )
    assert attrs.ok, attrs.as_dict()
    assert CandidateAttribute.objects.count() == 2


def test_candidate_rules(factors, people, org_tree):
    bad = [
        {
            "external_id": "C3",
            "name": "X",
            "role": "sales_rep",
            "org_unit": "T1",
            "applied_on": "2025-03-01",
            "stage": "screened",
            "hired_as": "P1",
            "interviewed_on": "2025-02-01",
        }
    ]
    errors = ingest_records(dataset="candidates", records=bad).as_dict()["errors"]
    assert {e["field"] for e in errors} == {"hired_as", "interviewed_on"}


def test_a_factor_with_values_keeps_its_kind(factors, people):
    ingest_records(dataset="person-attributes", records=[{"person": "P1", "factor": "years_industry", "value": "2"}])
    changed = [{**FACTORS[0], "kind": "categorical"}]
    result = ingest_records(dataset="factors", records=changed)
    assert [e["field"] for e in result.as_dict()["errors"]] == ["kind"]
