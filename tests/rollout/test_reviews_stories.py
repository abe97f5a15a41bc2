"""Reviews with action items; stories from the field feed ``playbooks_captured``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from performance.engine import indicator_values_step
from performance.models import Indicator, IndicatorValue
from rollout.services import ActionInput, review_record, story_record


def test_review_with_action_items(program, co_leads):
    sponsor, hr = co_leads
    review = review_record(
        program=program,
        held_on=dt.date(2026, 6, 1),
        attendees=[sponsor, hr],
        notes="Pilot numbers",
        decisions="Extend the pilot",
        actions=[ActionInput("Share the board", hr, dt.date(2026, 6, 15))],
    )
    assert set(review.attendees.all()) == {sponsor, hr}
    assert [item.text for item in review.action_items.all()] == ["Share the board"]


def test_stories_count_as_playbooks_captured(program, org_tree, people, indicators):
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 30)):
        story_record(
            program=program,
            org_unit=org_tree["T1"],
            owner=people["P1"],
            title="Key account won",
            text="Joint visit and review",
            recorded_on=day,
            indicator=indicators["win_rate"],
        )
    story_record(
        program=program, org_unit=org_tree["T2"], title="Faster onboarding", text="…", recorded_on=dt.date(2026, 4, 1)
    )
    indicator_values_step()
    playbooks = Indicator.objects.get(code="playbooks_captured")

    def value(**where):
        return IndicatorValue.objects.get(indicator=playbooks, **where).value

    assert value(org_unit=org_tree["T1"], period="month", period_start=dt.date(2026, 3, 1)) == Decimal(2)
    assert value(org_unit=org_tree["EAST"], period="quarter", period_start=dt.date(2026, 1, 1)) == Decimal(2)
    assert value(org_unit=org_tree["EAST"], period="year", period_start=dt.date(2026, 1, 1)) == Decimal(3)
    assert value(person=people["P1"], period="month", period_start=dt.date(2026, 3, 1)) == Decimal(2)


def test_review_and_story_pages_and_api(client, program, co_leads, org_tree, indicators):
    from django.urls import reverse
    from rest_framework.test import APIClient

    sponsor, hr = co_leads
    client.force_login(sponsor)
    client.post(
        reverse("rollout:review-add", args=[program.pk]),
        {"held_on": "2026-06-01", "attendees": [sponsor.pk, hr.pk], "decisions": "Go on", "action": "Board"},
    )
    client.post(
        reverse("rollout:story-add", args=[program.pk]),
        {"title": "Won X", "text": "How", "org_unit": org_tree["T1"].pk, "recorded_on": "2026-06-02"},
    )
    page = client.get(reverse("rollout:program", args=[program.pk])).content.decode()
    assert "Go on" in page
    assert "Won X" in page
    api = APIClient()
    api.force_authenticate(hr)
    data = api.get(f"/api/v1/rollout/programs/{program.pk}/").json()
    assert data["reviews"][0]["attendees"] == ["biz", "hrlead"]
    assert data["reviews"][0]["action_items"][0]["text"] == "Board"
    assert data["stories"][0]["org_unit"] == "T1"


def test_waves_and_workshops(client, program, co_leads, org_tree):
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from rollout.services import wave_plan, workshop_attendance, workshop_record

    sponsor, hr = co_leads
    wave_plan(
        program=program,
        name="Wave 1",
        org_units=[org_tree["T2"]],
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 10, 31),
    )
    workshop = workshop_record(
        program=program, title="Managers", held_on=dt.date(2026, 9, 3), invited=[sponsor, hr], attended=[hr]
    )
    assert workshop_attendance(workshop) == (1, 2)
    with pytest.raises(ValidationError):  # a wave cannot end before it starts
        wave_plan(
            program=program,
            name="Bad",
            org_units=[org_tree["T3"]],
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 8, 1),
        )
    client.force_login(hr)
    page = client.get(reverse("rollout:program", args=[program.pk])).content.decode()
    assert "Wave 1" in page
    assert "1 of 2 invited" in page
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(hr)
    data = api.get(f"/api/v1/rollout/programs/{program.pk}/").json()
    assert data["waves"][0]["org_units"] == ["T2"]
    assert data["workshops"][0]["attended"] == 1
