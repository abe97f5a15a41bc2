"""Members edit a program, others in scope read it, managers outside its scope do not see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rollout.models import Milestone
from rollout.selectors import can_edit_program, can_view_program, programs_visible
from tests.conftest import make_user


def test_members_read_and_edit(program, member):
    assert can_view_program(member, program)
    assert can_edit_program(member, program)


@pytest.mark.parametrize("unit_code", ["EAST", "SALES", "ACME"])
def test_managers_in_scope_read_but_do_not_edit(program, org_tree, unit_code):
    manager = make_user(f"m_{unit_code}", "manager", unit=org_tree[unit_code])
    assert can_view_program(manager, program)
    assert not can_edit_program(manager, program)


# T1's manager is inside the program's East, but the program shows all of East (T2 too): it is for its team.
@pytest.mark.parametrize("unit_code", ["WEST", "T3", "SERVICE", "T1"])
def test_managers_outside_scope_do_not_see_it(program, org_tree, unit_code):
    manager = make_user(f"m_{unit_code}", "manager", unit=org_tree[unit_code])
    assert not programs_visible(manager).filter(pk=program.pk).exists()


def test_pages_follow_the_rules(client, program, member, org_tree, east_manager):
    outsider = make_user("west_manager", "manager", unit=org_tree["WEST"])
    url = reverse("rollout:program", args=[program.pk])
    add = reverse("rollout:milestone-add", args=[program.pk])
    form = {"title": "Interviews", "step": 1, "due_date": "2026-06-01", "status": "planned"}

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(add, form).status_code == 404

    client.force_login(east_manager)
    page = client.get(url)
    assert page.status_code == 200
    assert "East conversion" in page.content.decode()
    assert 'id="milestone-form"' not in page.content.decode()
    assert client.post(add, form).status_code == 403

    client.force_login(member)
    assert 'id="milestone-form"' in client.get(url).content.decode()
    assert client.post(add, form).status_code == 302
    assert Milestone.objects.filter(program=program, title="Interviews", due_date=dt.date(2026, 6, 1)).exists()


def test_api_follows_the_rules(program, member, org_tree, east_manager):
    outsider = make_user("west_manager", "manager", unit=org_tree["WEST"])
    url = f"/api/v1/rollout/programs/{program.pk}/"
    body = {"title": "Data pull", "step": 1, "due_date": "2026-06-01"}
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/rollout/programs/").json()["count"] == 0
    client.force_authenticate(east_manager)
    assert client.get(url).status_code == 200
    assert client.post(url + "milestones/", body, format="json").status_code == 403
    client.force_authenticate(member)
    created = client.post(url + "milestones/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["overdue"] in (True, False)
