"""Pages and API of a program: prefill from a diagnosis result, the dashboard, the gate over the API."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from rollout.models import ChecklistItem
from rollout.pilots import pilot_create
from rollout.services import checklist_item_set_done, milestone_create


def test_new_program_is_prefilled_from_query_parameters(client, co_leads, indicators):
    _sponsor, hr = co_leads
    client.force_login(hr)
    page = client.get(
        reverse("rollout:program-new") + "?org_unit=EAST&dimensions=talent,enablement&indicators=win_rate,nps"
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["org_units"] == ["EAST"]
    assert form.initial["focus_dimensions"] == ["talent", "enablement"]
    assert form.initial["indicators"] == ["win_rate", "nps"]


def test_program_can_be_created_through_the_form(client, co_leads, indicators, org_tree):
    sponsor, hr = co_leads
    client.force_login(hr)
    response = client.post(
        reverse("rollout:program-new"),
        {
            "name": "New",
            "sponsor": sponsor.pk,
            "hr_co_lead": hr.pk,
            "org_units": ["EAST"],
            "focus_dimensions": ["talent"],
            "indicators": list(indicators),
            "start_date": "2026-04-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors


def test_dashboard_page_and_api(client, program, co_leads, org_tree, django_assert_max_num_queries):
    sponsor, hr = co_leads
    milestone_create(program=program, step=1, title="Kick-off", due_date=dt.date(2020, 1, 1), owner=hr)
    milestone_create(program=program, step=1, title="Data pack", due_date=dt.date(2099, 1, 1), owner=hr)  # planned
    pilot_create(
        program=program,
        name="T1 pilot",
        pilot_units=[org_tree["T1"]],
        control_units=[org_tree["T2"]],
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 8, 1),
    )
    client.force_login(hr)
    with django_assert_max_num_queries(60):
        page = client.get(reverse("rollout:program", args=[program.pk]))
    text = page.content.decode()
    assert "Align and assess" in text
    assert 'data-figure="program-timeline"' in text
    assert "T1 pilot" in text
    assert "Difference in differences" in text

    api = APIClient()
    api.force_authenticate(hr)
    data = api.get(f"/api/v1/rollout/programs/{program.pk}/").json()
    assert data["active_step"] == 1
    assert data["milestone_counts"]["overdue"] == 1
    assert len(data["key_indicators"]) == 3
    assert data["pilots"][0]["pilot_units"] == ["T1"]


def test_gate_over_the_api(program, co_leads):
    sponsor, hr = co_leads
    api = APIClient()
    api.force_authenticate(sponsor)
    url = f"/api/v1/rollout/programs/{program.pk}/steps/1/sign/"
    refused = api.post(url)
    assert refused.status_code == 400
    for item in ChecklistItem.objects.filter(step__program=program, step__number=1):
        checklist_item_set_done(item=item, done=True, user=hr)
    assert api.post(url).json()["status"] == "active"
    api.force_authenticate(hr)
    assert api.post(url).json()["status"] == "closed"
    assert api.get(f"/api/v1/rollout/programs/{program.pk}/").json()["active_step"] == 2
