"""The rollout pickers offer people by name, role and unit (never an API account or a login name) and org units
and project teams in a way that tells same-named ones apart; the program page names its people."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from org.choices import OrgUnitKind
from org.services import org_unit_create
from performance.models import Customer, CustomerProjectTeam
from tests.conftest import flat


@pytest.fixture
def twin_team(org_tree):
    east = org_unit_create(code="SVC-EAST", name="East", kind=OrgUnitKind.REGION, parent=org_tree["SERVICE"])
    return org_unit_create(code="SVC-T1", name="Team 1", kind=OrgUnitKind.TEAM, parent=east)


def test_sponsor_picker_offers_people_by_name_and_never_the_api_account(client, co_leads, integrator, twin_team):
    sponsor, hr = co_leads
    client.force_login(hr)
    html = flat(client.get(reverse("rollout:program-new")).content.decode())
    sponsor_select = html[html.index('name="sponsor"') : html.index("</select>", html.index('name="sponsor"'))]
    assert f'<option value="{sponsor.pk}">Bea Business · Sales manager · East · Sales BU</option>' in sponsor_select
    assert f'<option value="{hr.pk}">Hana Hr · Other · ACME</option>' in sponsor_select
    assert "integrator" not in sponsor_select
    assert "biz" not in sponsor_select
    assert "hrlead" not in sponsor_select
    units = html[html.index('name="org_units"') : html.index("</select>", html.index('name="org_units"'))]
    assert '<option value="SVC-T1">Team 1 · East · Service BU</option>' in units
    assert '<option value="T1">Team 1 · East · Sales BU</option>' in units


def test_the_sponsor_field_refuses_the_api_account(client, co_leads, integrator, indicators):
    sponsor, hr = co_leads
    client.force_login(hr)
    response = client.post(
        reverse("rollout:program-new"),
        {
            "name": "New",
            "sponsor": integrator.pk,
            "hr_co_lead": hr.pk,
            "org_units": ["EAST"],
            "focus_dimensions": ["talent"],
            "indicators": list(indicators),
            "start_date": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sponsor"] == [
        "Choose a person with a login from the part of the organization you can see."
    ]


def test_project_team_picker_names_the_team_with_its_unit(client, program, co_leads, org_tree, twin_team):
    sponsor, hr = co_leads
    customer = Customer.objects.create(
        external_id="C1", name="Acme Buyer", segment="enterprise", org_unit=org_tree["T1"]
    )
    for unit in (org_tree["T1"], org_tree["T2"]):
        CustomerProjectTeam.objects.create(name="Key account team", customer=customer, org_unit=unit, goal="Grow")
    client.force_login(sponsor)
    html = flat(client.get(reverse("rollout:pilot-new", args=[program.pk])).content.decode())
    teams = html[html.index('name="project_teams"') : html.index("</select>", html.index('name="project_teams"'))]
    assert ">Key account team · Team 1 · East · Sales BU</option>" in teams
    assert ">Key account team · Team 2</option>" in teams


def test_program_page_names_its_co_leads_and_members_not_their_logins(client, program, co_leads):
    sponsor, hr = co_leads
    client.force_login(hr)
    html = re.sub(
        r"\s*(</?d[dt]>)\s*", r"\1", flat(client.get(reverse("rollout:program", args=[program.pk])).content.decode())
    )
    assert "<dt>Business sponsor</dt><dd>Bea Business · Sales manager · East</dd>" in html
    assert "<dt>HR co-lead</dt><dd>Hana Hr · Other · ACME</dd>" in html
    content = html[html.index("<main") :]  # the header's account menu shows the viewer's own login
    assert ">biz<" not in content
    assert ">hrlead<" not in content
