"""Step 4 on the program page: plan rollout waves and record manager workshops with their attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from org.models import Person
from org.services import user_profile_set
from rollout.models import RolloutWave, Workshop
from rollout.services import workshop_attendance_rate, workshop_record
from tests.conftest import make_user


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_members_see_the_forms_others_in_scope_do_not(client, program, member, east_manager):
    url = reverse("rollout:program", args=[program.pk])
    client.force_login(member)
    text = client.get(url).content.decode()
    assert 'id="wave-form"' in text
    assert 'id="workshop-form"' in text
    client.force_login(east_manager)
    text = client.get(url).content.decode()
    assert 'id="wave-form"' not in text
    assert 'id="workshop-form"' not in text


def test_plan_a_wave_on_the_page(client, program, member, org_tree):
    client.force_login(member)
    response = client.post(
        reverse("rollout:wave-add", args=[program.pk]),
        {
            "name": "Wave 1",
            "org_units": [org_tree["T2"].pk, org_tree["T3"].pk],
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-31",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#scale")
    wave = RolloutWave.objects.get()
    assert (wave.name, wave.starts_on, wave.ends_on) == ("Wave 1", dt.date(2026, 9, 1), dt.date(2026, 10, 31))
    assert {unit.code for unit in wave.org_units.all()} == {"T2", "T3"}
    text = client.get(reverse("rollout:program", args=[program.pk])).content.decode()
    table = text[text.index('id="wave-table"') :]
    assert "Wave 1" in table
    assert "Team 2, Team 3" in table or "Team 3, Team 2" in table


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": "2026-08-01"}, "The wave ends before it starts."),
        ({"org_units": []}, "Org units: This field is required."),
        ({"starts_on": "soon"}, "Starts on: Enter a valid date."),
    ],
)
def test_a_bad_wave_is_refused_with_a_message(client, program, member, org_tree, change, message):
    client.force_login(member)
    form = {"name": "Wave", "org_units": [org_tree["T2"].pk], "starts_on": "2026-09-01", "ends_on": "2026-10-31"}
    response = client.post(reverse("rollout:wave-add", args=[program.pk]), {**form, **change})
    assert response.status_code == 302
    assert message in _messages(response)
    assert not RolloutWave.objects.exists()


def test_record_a_workshop_on_the_page_with_its_attendance_rate(
    client, program, member, co_leads, east_manager, org_tree
):
    sponsor, hr = co_leads
    other = make_user("t2_lead", "manager")
    for user, name, code in ((east_manager, "Erin East", "EAST"), (other, "Tom Two", "T2")):  # logins that are people
        person = Person.objects.create(
            external_id=name, name=name, org_unit=org_tree[code], role="sales_manager", hire_date=dt.date(2020, 1, 1)
        )
        user_profile_set(user=user, org_unit=org_tree[code], person=person)
    client.force_login(member)
    response = client.post(
        reverse("rollout:workshop-add", args=[program.pk]),
        {
            "title": "Train the managers",
            "held_on": "2026-09-03",
            "invited": [east_manager.pk, other.pk, sponsor.pk],
            "attended": [east_manager.pk, hr.pk],
        },
    )
    assert response.status_code == 302
    assert "Workshop recorded." in _messages(response)
    workshop = Workshop.objects.prefetch_related("invited", "attended").get()
    # whoever attended counts as invited: 2 of 4 came
    assert {user.username for user in workshop.invited.all()} == {"east_manager", "t2_lead", "biz", "hrlead"}
    assert workshop_attendance_rate(workshop) == 50.0
    text = client.get(reverse("rollout:program", args=[program.pk])).content.decode()
    row = text[text.index(f'data-workshop="{workshop.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Train the managers" in row
    assert "2 of 4 invited" in row
    assert '<td class="attendance-rate">50 %</td>' in row


def test_attendance_rate_rounds_and_handles_nobody_invited(program, co_leads, east_manager):
    sponsor, hr = co_leads
    workshop = workshop_record(
        program=program, title="w", held_on=dt.date(2026, 9, 3), invited=[sponsor, hr, east_manager], attended=[hr]
    )
    workshop = Workshop.objects.prefetch_related("invited", "attended").get(pk=workshop.pk)
    assert workshop_attendance_rate(workshop) == pytest.approx(100 / 3)
    empty = Workshop.objects.create(program=program, title="empty", held_on=dt.date(2026, 9, 4))
    assert workshop_attendance_rate(Workshop.objects.prefetch_related("invited", "attended").get(pk=empty.pk)) is None


def test_a_workshop_needs_someone_invited(client, program, member):
    client.force_login(member)
    response = client.post(
        reverse("rollout:workshop-add", args=[program.pk]), {"title": "Nobody", "held_on": "2026-09-03"}
    )
    assert "Invite at least one person." in _messages(response)
    assert not Workshop.objects.exists()


@pytest.mark.parametrize("name", ["rollout:wave-add", "rollout:workshop-add"])
def test_forms_follow_the_permission_rules(client, program, east_manager, west_manager, name):
    url = reverse(name, args=[program.pk])
    client.force_login(east_manager)
    assert client.post(url, {}).status_code == 403
    client.force_login(west_manager)
    assert client.post(url, {}).status_code == 404
    assert client.get(url).status_code in (404, 405)
