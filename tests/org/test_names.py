"""How units and people read: same-named units told apart by their parents, people by name, role and unit, and
the people search of the pickers held to the login's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from org.choices import OrgUnitKind, PersonRole
from org.models import Person
from org.services import org_unit_create
from org.ui.names import labels_from_rows, unit_labels


@pytest.fixture
def twins(org_tree):
    """A second "East" region with a second "Team 1", under the Service BU (as real companies name units)."""
    east = org_unit_create(code="SVC-EAST", name="East", kind=OrgUnitKind.REGION, parent=org_tree["SERVICE"])
    team = org_unit_create(code="SVC-T1", name="Team 1", kind=OrgUnitKind.TEAM, parent=east)
    return {**org_tree, "SVC-EAST": east, "SVC-T1": team}


def person(external_id: str, name: str, unit, role=PersonRole.SALES_REP) -> Person:
    return Person.objects.create(
        external_id=external_id, name=name, org_unit=unit, role=role, hire_date=dt.date(2024, 1, 1)
    )


def test_same_named_units_read_with_their_parents_and_unique_names_stay_plain(twins, django_assert_num_queries):
    # when
    with django_assert_num_queries(1):
        labels = unit_labels()
    # then
    by_code = {code: labels[unit.pk] for code, unit in twins.items()}
    assert by_code["T1"] == "Team 1 · East · Sales BU"
    assert by_code["SVC-T1"] == "Team 1 · East · Service BU"
    assert by_code["EAST"] == "East · Sales BU"
    assert by_code["SVC-EAST"] == "East · Service BU"
    assert by_code["T2"] == "Team 2"
    assert by_code["WEST"] == "West"
    assert by_code["ACME"] == "ACME"


def test_same_named_siblings_add_their_code():
    rows = [(1, "CO", "Co", None), (2, "A", "Team", 1), (3, "B", "Team", 1), (4, "X", "North", 1)]
    assert labels_from_rows(rows) == {1: "Co", 2: "Team (A)", 3: "Team (B)", 4: "North"}


def test_people_search_answers_by_name_role_and_unit_within_the_managers_subtree(client, twins, east_manager):
    # given: two people called Wang Wei, one in East's Team 1, one in the Service BU's Team 1
    person("E1", "Wang Wei", twins["T1"])
    person("S1", "Wang Wei", twins["SVC-T1"], role=PersonRole.SALES_MANAGER)
    client.force_login(east_manager)
    # when
    answer = client.get(reverse("org:people-search"), {"q": "wang"}).json()
    # then: only the one in the manager's subtree, by name, role and unit
    assert answer == {
        "results": [{"value": "E1", "label": "Wang Wei · Sales representative · Team 1 · East · Sales BU"}]
    }


def test_people_search_finds_by_external_id_and_puts_leavers_last(client, twins, hr_lead):
    gone = person("E1", "Wang Wei", twins["T1"])
    gone.exit_date = dt.date(2025, 6, 30)
    gone.save()
    person("E2", "Wang Fang", twins["T2"])
    client.force_login(hr_lead)
    by_name = client.get(reverse("org:people-search"), {"q": "wang"}).json()["results"]
    assert [row["value"] for row in by_name] == ["E2", "E1"]
    assert client.get(reverse("org:people-search"), {"q": "e2"}).json()["results"] == [
        {"value": "E2", "label": "Wang Fang · Sales representative · Team 2"}
    ]


def test_people_search_without_a_query_answers_nobody(client, people, hr_lead):
    client.force_login(hr_lead)
    assert client.get(reverse("org:people-search"), {"q": " "}).json() == {"results": []}
