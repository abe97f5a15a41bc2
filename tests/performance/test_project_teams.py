"""Customer project teams: cross-department rule, action board, cross_dept_closure_days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from performance.engine import indicator_values_recompute
from performance.models import Customer, IndicatorValue
from performance.teams import project_action_add, project_action_close, project_team_create

D = dt.date


@pytest.fixture
def team(org_tree, people):
    customer = Customer.objects.create(
        external_id="KA1", name="Key account", segment="enterprise", org_unit=org_tree["T1"], owner=people["P1"]
    )
    return project_team_create(
        name="KA1 team",
        customer=customer,
        org_unit=org_tree["T1"],
        goal="Renew and expand",
        members=[(people["P1"], "sales"), (people["P4"], "customer_success")],
    )


def test_a_team_needs_two_departments(org_tree, people):
    customer = Customer.objects.create(external_id="KA2", name="K2", segment="smb", org_unit=org_tree["T2"])
    with pytest.raises(ValidationError) as info:
        project_team_create(
            name="Sales only",
            customer=customer,
            org_unit=org_tree["T2"],
            members=[(people["P1"], "sales"), (people["P2"], "sales")],
        )
    assert "members" in info.value.message_dict


def test_closure_days_from_closed_actions(team, people):
    a = project_action_add(
        team=team, title="Kick-off", owner=people["P1"], opened_on=D(2025, 1, 2), due_on=D(2025, 1, 9)
    )
    b = project_action_add(team=team, title="Plan", owner=people["P4"], opened_on=D(2025, 1, 10), due_on=D(2025, 2, 1))
    project_action_add(team=team, title="Still open", owner=people["P1"], opened_on=D(2025, 1, 3), due_on=D(2025, 1, 4))
    project_action_close(action=a, closed_on=D(2025, 1, 6))  # 4 days
    project_action_close(action=b, closed_on=D(2025, 3, 31))  # 80 days, closed in March
    indicator_values_recompute(codes=["cross_dept_closure_days"])

    def value(**kw):
        return IndicatorValue.objects.get(indicator__code="cross_dept_closure_days", **kw).value

    assert value(org_unit=team.org_unit, period="month", period_start=D(2025, 1, 1)) == Decimal("4")
    assert value(org_unit__code="EAST", period="quarter", period_start=D(2025, 1, 1)) == Decimal("42")
    assert value(person=people["P4"], period="quarter", period_start=D(2025, 1, 1)) == Decimal("80")


def test_action_cannot_close_before_it_opened(team, people):
    action = project_action_add(team=team, title="x", owner=None, opened_on=D(2025, 5, 1), due_on=D(2025, 5, 2))
    with pytest.raises(ValidationError):
        project_action_close(action=action, closed_on=D(2025, 4, 30))


def test_board_page_adds_and_closes_actions(team, hr_lead, client):
    client.force_login(hr_lead)
    answer = client.post(
        f"/performance/teams/{team.pk}/", {"title": "Joint account plan", "due_on": "2031-01-31"}, follow=True
    )
    assert "Joint account plan" in answer.content.decode()
    action = team.actions.get()
    client.post(f"/performance/teams/{team.pk}/", {"close": action.pk})
    action.refresh_from_db()
    assert action.closed_on is not None


def test_manager_sees_only_teams_in_scope(team, org_tree, client):
    from tests.conftest import make_user

    west = make_user("west", "manager", unit=org_tree["WEST"])
    client.force_login(west)
    assert client.get(f"/performance/teams/{team.pk}/").status_code == 404
    assert "KA1 team" not in client.get("/performance/teams/").content.decode()
