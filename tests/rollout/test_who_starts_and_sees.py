"""One rule for starting a program (HR leads), and a manager on a program's team sees only their own units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rollout.choices import TeamRole
from rollout.pilots import pilot_create
from rollout.selectors import can_start_program
from rollout.services import member_add, wave_plan
from tests.conftest import flat, make_user

NEW = reverse("rollout:program-new")


@pytest.mark.parametrize(("role", "allowed"), [("hr_lead", True), ("program_member", False), ("manager", False)])
def test_one_rule_for_starting_a_program(client, org_tree, role, allowed):
    user = make_user(f"u_{role}", role, unit=org_tree["EAST"])
    client.force_login(user)
    # the rule, the page, the button on the program list and the API give the same answer
    assert can_start_program(user) is allowed
    assert client.get(NEW).status_code == (200 if allowed else 403)
    assert (f'href="{NEW}"' in client.get(reverse("rollout:programs")).content.decode()) is allowed
    api = APIClient()
    api.force_authenticate(user)
    assert (api.post("/api/v1/rollout/programs/", {}, format="json").status_code == 403) is not allowed


@pytest.fixture
def sales_program(program, org_tree):
    """The program now covers the Sales BU: a pilot in T1 against T2 and West's T3, a wave over T2 and T3."""
    program.org_units.set([org_tree["SALES"]])
    pilot_create(
        program=program,
        name="T1 pilot",
        pilot_units=[org_tree["T1"]],
        control_units=[org_tree["T2"], org_tree["T3"]],
        start=dt.date(2026, 6, 1),
        end=dt.date(2026, 12, 1),
    )
    wave_plan(
        program=program,
        name="Wave one",
        org_units=[org_tree["T2"], org_tree["T3"]],
        starts_on=dt.date(2027, 1, 4),
        ends_on=dt.date(2027, 3, 31),
    )
    return program


def test_a_manager_on_the_team_sees_only_units_of_their_scope(client, sales_program, co_leads, org_tree):
    # given an East manager on the joint team of a program over the Sales BU
    _sponsor, hr = co_leads
    manager = make_user("east_boss", "manager", unit=org_tree["EAST"])
    member_add(program=sales_program, user=manager, role=TeamRole.SALES)
    client.force_login(manager)
    # when
    page = flat(client.get(reverse("rollout:program", args=[sales_program.pk])).content.decode())
    listing = flat(client.get(reverse("rollout:programs")).content.decode())
    # then the BU above them and East's teams are named, West's Team 3 nowhere
    assert "Pilot: Team 1. Control: Team 2." in page
    assert "Sales BU" in page
    assert "Sales BU" in listing
    assert "Team 3" not in page
    # the HR lead sees every unit
    client.force_login(hr)
    page = flat(client.get(reverse("rollout:program", args=[sales_program.pk])).content.decode())
    assert "Pilot: Team 1. Control: Team 2, Team 3." in page


def test_the_api_leaves_out_the_same_units(sales_program, org_tree):
    manager = make_user("east_boss", "manager", unit=org_tree["EAST"])
    member_add(program=sales_program, user=manager, role=TeamRole.SALES)
    api = APIClient()
    api.force_authenticate(manager)
    body = api.get(f"/api/v1/rollout/programs/{sales_program.pk}/").json()
    assert body["pilots"][0]["pilot_units"] == ["T1"]
    assert body["pilots"][0]["control_units"] == ["T2"]
    assert body["waves"][0]["org_units"] == ["T2"]
    assert "T3" not in str(body)
