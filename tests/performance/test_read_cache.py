"""Cached reads: the second identical request is served from the cache; a recompute, an indicator edit or
a new snapshot shows at the next request; each user and session has their own entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import messages
from django.urls import reverse

from performance.engine import indicator_values_recompute
from performance.models import Lead
from tests.conftest import make_user

D = dt.date
URL = "/api/v1/indicator-values/"
QUERY = {"indicator": "lead_conversion_rate", "org_unit": "T1", "period": "month"}


@pytest.fixture
def leads(org_tree, people):
    Lead.objects.create(
        external_id="L1",
        org_unit=org_tree["T1"],
        owner=people["P1"],
        created_on=D(2025, 1, 5),
        is_qualified=True,
        converted_on=D(2025, 1, 9),
    )
    Lead.objects.create(
        external_id="L2", org_unit=org_tree["T1"], owner=people["P1"], created_on=D(2025, 1, 6), is_qualified=True
    )
    indicator_values_recompute(codes=["lead_conversion_rate"])


def _value(answer):
    return [row["value"] for row in answer.json()["results"]]


def test_second_request_comes_from_the_cache(read_client, leads, django_assert_max_num_queries):
    first = read_client.get(URL, QUERY)
    assert _value(first) == [50.0]
    # token lookup, data version: nothing else
    with django_assert_max_num_queries(3):
        again = read_client.get(URL, QUERY)
    assert again.status_code == 200
    assert again.json() == first.json()


def test_a_recompute_shows_at_the_next_request(read_client, leads, org_tree):
    assert _value(read_client.get(URL, QUERY)) == [50.0]
    Lead.objects.filter(external_id="L2").update(converted_on=D(2025, 1, 20))
    indicator_values_recompute(codes=["lead_conversion_rate"])
    assert _value(read_client.get(URL, QUERY)) == [100.0]


def test_each_user_gets_their_own_answer(client, leads, org_tree):
    west = make_user("west", "manager", unit=org_tree["WEST"])
    hr = make_user("hrlead", "hr_lead")
    client.force_login(hr)
    assert _value(client.get(URL, QUERY, HTTP_ACCEPT="application/json")) == [50.0]
    client.force_login(west)
    assert client.get(URL, QUERY, HTTP_ACCEPT="application/json").json()["results"] == []  # T1 is not in West


def test_dashboard_page_is_cached_per_session_and_follows_edits(client, leads, org_tree, django_assert_max_num_queries):
    from performance.models import Indicator

    client.force_login(make_user("hrlead", "hr_lead"))
    url = reverse("performance:dashboard-unit", args=["T1"])
    first = client.get(url, {"period": "month"})
    assert first.status_code == 200
    with django_assert_max_num_queries(4):  # session, user, data version
        again = client.get(url, {"period": "month"})
    assert again.content == first.content
    indicator = Indicator.objects.get(code="lead_conversion_rate")
    indicator.name_en = "Lead conversion, renamed"
    indicator.save()
    assert "Lead conversion, renamed" in client.get(url, {"period": "month"}).content.decode()


def test_a_page_with_flash_messages_is_not_stored(client, leads, rf):
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client.force_login(make_user("hrlead", "hr_lead"))
    url = reverse("performance:dashboard-unit", args=["T1"])
    client.get(url)  # cached without a message
    encoded = CookieStorage(rf.get("/"))._encode([Message(messages.SUCCESS, "Saved.")])
    client.cookies["messages"] = encoded
    assert "Saved." in client.get(url).content.decode()  # not the cached page
    assert "Saved." not in client.get(url).content.decode()  # shown once


def test_radar_answers_come_from_the_cache_until_a_new_snapshot(read_client, leads, django_assert_max_num_queries):
    from diagnosis.radar import radar_snapshots_compute

    first = read_client.get("/api/v1/org-units/T1/radar/")
    assert first.status_code == 200
    # token, the role permission check (user and group permissions), data version
    with django_assert_max_num_queries(4):
        assert read_client.get("/api/v1/org-units/T1/radar/").json() == first.json()
    radar_snapshots_compute()
    assert read_client.get("/api/v1/org-units/T1/radar/").json()["from_snapshot"] is True
