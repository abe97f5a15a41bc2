"""Data protection: one person's data exported as JSON; anonymization keeps every aggregate right."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from enablement.models import DrillSession
from org.models import Person
from performance.engine import indicator_values_step
from performance.models import IndicatorValue, Lead
from tests.conftest import make_user


@pytest.fixture
def records(people, org_tree):
    """P1 owns two leads (one converted) and has a drill with an evaluator's note."""
    from enablement.models import CapabilityItem
    from enablement.services import drill_session_score, scenario_save

    for number, converted in ((1, dt.date(2026, 3, 9)), (2, None)):
        Lead.objects.create(
            external_id=f"L{number}",
            org_unit=org_tree["T1"],
            owner=people["P1"],
            created_on=dt.date(2026, 3, 1),
            is_qualified=True,
            converted_on=converted,
        )
    item = CapabilityItem.objects.get(stage__journey_map__is_builtin=True, code="needs-discovery")
    scenario = scenario_save(
        code="s1",
        title="S",
        capability_item=item,
        level=3,
        customer_case="case",
        pass_threshold=Decimal("3.5"),
        criteria=[{"name": "Q", "weight": 1}],
    )
    drill_session_score(
        scenario=scenario,
        person=people["P1"],
        scores={scenario.criteria.get().pk: 4},
        held_on=dt.date(2026, 3, 5),
        notes="Talked too much about the product",
        recording_url="https://rec.example.com/1",
    )
    indicator_values_step()


def test_export_holds_the_record_and_every_row_about_the_person(client, records, people):
    client.force_login(make_user("hrlead", "hr_lead"))
    body = client.get("/api/v1/people/P1/personal-data/").json()
    assert body["person"]["external_id"] == "P1"
    assert body["person"]["name"] == "Person P1"
    leads = body["related"]["performance.Lead (owner)"]
    assert sorted(row["external_id"] for row in leads) == ["L1", "L2"]
    [drill] = body["related"]["enablement.DrillSession (person)"]
    assert drill["notes"] == "Talked too much about the product"
    assert "performance.IndicatorValue (person)" in body["related"]


def test_anonymizing_keeps_aggregates_and_removes_identity(client, records, people, org_tree):
    # given the values before
    def values():
        return set(
            IndicatorValue.objects.values_list(
                "indicator__code", "org_unit_id", "person_id", "period", "period_start", "value"
            )
        )

    before = values()
    client.force_login(make_user("hrlead", "hr_lead"))
    # when
    answer = client.post("/api/v1/people/P1/anonymize/")
    # then: no name, e-mail or external id left, notes gone, every figure the same after a recompute
    assert answer.status_code == 200
    person = Person.objects.get(pk=people["P1"].pk)
    assert person.external_id == answer.json()["external_id"]
    assert person.external_id.startswith("anon-")
    assert (person.name, person.email) == ("—", "")
    session = DrillSession.objects.get(person=person)
    assert (session.notes, session.recording_url, session.passed) == ("", "", True)
    assert Lead.objects.filter(owner=person).count() == 2
    indicator_values_step()
    assert values() == before
    assert client.get("/api/v1/people/P1/personal-data/").status_code == 404


def test_only_hr_leads_in_scope_may_export_or_anonymize(client, records, org_tree):
    client.force_login(make_user("m", "manager", unit=org_tree["EAST"]))
    assert client.get("/api/v1/people/P1/personal-data/").status_code == 403
    assert client.post("/api/v1/people/P1/anonymize/").status_code == 403
    west_hr = make_user("westhr", "hr_lead", unit=org_tree["WEST"])
    client.force_login(west_hr)
    assert client.get("/api/v1/people/P1/personal-data/").status_code == 404


def test_the_command_exports_and_refuses_to_anonymize_without_yes(records, capsys):
    call_command("person_data", "export", "P1")
    assert json.loads(capsys.readouterr().out)["person"]["external_id"] == "P1"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--yes"):
        call_command("person_data", "anonymize", "P1")
    call_command("person_data", "anonymize", "P1", "--yes")
    assert not Person.objects.filter(external_id="P1").exists()
