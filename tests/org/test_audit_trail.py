"""The audit trail: changes to audited records are logged with who made them, in the browser and over the
API, and HR leads (only) read them on one page."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.auth.models import User
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
    assert "<strong>Target</strong>" in text
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


def _indicator_changes(*changes):
    """Each (login, indicator code, target, UTC time) becomes one logged change at that time."""
    from auditlog.context import set_actor

    for username, code, target, when in changes:
        user = make_user(username, "hr_lead") if not User.objects.filter(username=username).exists() else None
        user = user or User.objects.get(username=username)
        indicator = Indicator.objects.get(code=code)
        with set_actor(user):
            indicator.target = target
            indicator.save()
        LogEntry.objects.filter(pk=LogEntry.objects.latest("pk").pk).update(timestamp=when)


def _targets_shown(page) -> list[str]:
    import re

    return re.findall(r"<strong>Target</strong>: (?:<span>[^<]*</span> → )?<span>([^<]*)</span>", page.content.decode())


def test_the_trail_filters_by_local_days(client, db):
    utc = dt.UTC
    _indicator_changes(
        ("hrlead", "nps", 11, dt.datetime(2026, 12, 2, 15, 30, tzinfo=utc)),  # 23:30 on 2 December in Shanghai
        ("hrlead", "nps", 12, dt.datetime(2026, 12, 2, 16, 30, tzinfo=utc)),  # 00:30 on 3 December
        ("hrlead", "nps", 13, dt.datetime(2026, 12, 3, 15, 59, tzinfo=utc)),  # 23:59 on 3 December
        ("hrlead", "nps", 14, dt.datetime(2026, 12, 3, 16, 0, tzinfo=utc)),  # midnight starting 4 December
    )
    client.force_login(User.objects.get(username="hrlead"))
    page = client.get(reverse("org:audit"), {"since": "2026-12-03", "until": "2026-12-03"})
    assert _targets_shown(page) == ["13", "12"]
    assert 'value="2026-12-03"' in page.content.decode()
    assert _targets_shown(client.get(reverse("org:audit"), {"since": "2026-12-04"})) == ["14"]
    assert _targets_shown(client.get(reverse("org:audit"), {"until": "2026-12-02"})) == ["11"]


def test_the_trail_filters_by_person_and_kind(client, db):
    from django.contrib.contenttypes.models import ContentType

    from org.models import ApiToken
    from org.services import api_token_create

    now = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)
    _indicator_changes(("hrlead", "nps", 20, now), ("wang", "win_rate", 30, now))
    wang = User.objects.get(username="wang")
    wang.first_name, wang.last_name = "Fang", "Wang"
    wang.save()
    from auditlog.context import set_actor

    with set_actor(wang):
        api_token_create(user=wang, scope="read", name="BI")
    client.force_login(User.objects.get(username="hrlead"))
    page = client.get(reverse("org:audit"), {"actor": "wang"})
    text = page.content.decode()
    assert '<option value="wang" selected>Fang Wang</option>' in text
    assert _targets_shown(page) == ["30"]
    assert "API token: " in text
    indicators = ContentType.objects.get_for_model(Indicator).pk
    page = client.get(reverse("org:audit"), {"actor": "wang", "kind": indicators})
    assert _targets_shown(page) == ["30"]
    assert "API token: " not in page.content.decode()
    tokens = ContentType.objects.get_for_model(ApiToken).pk
    assert _targets_shown(client.get(reverse("org:audit"), {"actor": "hrlead", "kind": tokens})) == []
    assert (
        "No change matches these filters."
        in client.get(reverse("org:audit"), {"kind": tokens, "actor": "hrlead"}).content.decode()
    )


def test_a_range_that_ends_before_it_starts_is_refused(client, db):
    client.force_login(make_user("hrlead", "hr_lead"))
    text = client.get(reverse("org:audit"), {"since": "2026-12-03", "until": "2026-12-01"}).content.decode()
    assert "The last day is before the first." in text
