"""The audit trail: changes to audited records are logged with who made them, in the browser and over the
API, and HR leads (only) read them on one page."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.urls import reverse

from performance.models import Indicator
from tests.conftest import make_user


def test_an_indicator_edit_in_the_browser_is_logged_with_its_author(client, db):
    hr = make_user("hrlead", "hr_lead")
    client.force_login(hr)
    indicator = Indicator.objects.get(code="win_rate")
    from performance.services import indicator_update

    # the same service the edit page calls; the request's user is the actor (middleware)
    response = client.get(reverse("org:home"))
    assert response.status_code == 200
    from auditlog.context import set_actor

    with set_actor(hr):
        indicator_update(indicator=indicator, target=55)
    entry = LogEntry.objects.get_for_object(indicator).latest("timestamp")
    assert entry.actor == hr
    assert entry.changes_dict["target"][1] in {"55", "55.0000"}


def test_a_milestone_created_over_the_api_names_the_token_user(write_client, integrator, db, org_tree):
    from rollout.models import Milestone
    from rollout.services import KeyIndicatorInput, program_create

    lead = make_user("colead", "hr_lead")
    biz = make_user("biz", "program_member")
    program = program_create(
        name="P",
        sponsor=biz,
        hr_co_lead=lead,
        org_units=[org_tree["EAST"]],
        focus_dimensions=["enablement"],
        key_indicators=[
            KeyIndicatorInput(indicator=Indicator.objects.get(code=code), timing="lagging", target=None)
            for code in ("lead_conversion_rate", "win_rate", "nps")
        ],
        start_date=dt.date(2026, 4, 1),
    )
    from rollout.services import member_add

    member_add(program=program, user=integrator, role="other")
    response = write_client.post(
        f"/api/v1/rollout/programs/{program.pk}/milestones/",
        {"title": "Pilot board", "step": 1, "owner": "integrator", "due_date": "2026-12-01"},
        format="json",
    )
    assert response.status_code in (200, 201), response.content
    milestone = Milestone.objects.get(title="Pilot board")
    entry = LogEntry.objects.get_for_object(milestone).get(action=LogEntry.Action.CREATE)
    assert entry.actor == integrator


def test_only_hr_leads_read_the_trail(client, db, org_tree):
    hr = make_user("hrlead", "hr_lead")
    indicator = Indicator.objects.get(code="nps")
    from auditlog.context import set_actor

    with set_actor(hr):
        indicator.target = 40
        indicator.save()
    client.force_login(hr)
    page = client.get(reverse("org:audit"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "hrlead" in text
    assert "<strong>target</strong>" in text
    client.force_login(make_user("m", "manager", unit=org_tree["EAST"]))
    assert client.get(reverse("org:audit")).status_code == 403


def test_the_pager_keeps_the_filters(client, db):
    from auditlog.context import set_actor

    hr = make_user("hrlead", "hr_lead")
    indicator = Indicator.objects.get(code="nps")
    with set_actor(hr):
        for target in range(60):
            indicator.target = target
            indicator.save()
    client.force_login(hr)
    text = client.get(reverse("org:audit"), {"actor": "hrlead"}).content.decode()
    assert "?actor=hrlead&amp;page=2" in text
