"""The talent pages: profile list and build form, profile page, candidate list and candidate page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from talent.models import Candidate, SuccessProfile

from .conftest import CRITERION, SIGNAL_KINDS, make_factors, make_people, set_attributes, set_criterion, signal_data


@pytest.fixture
def data(org_tree):
    columns, performance, _ = signal_data(seed=5, n=240)
    people = make_people(org_tree["T1"], 240)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)
    strong = Candidate.objects.create(
        external_id="CAND-1",
        name="Wang Fang",
        role="sales_rep",
        org_unit=org_tree["T1"],
        applied_on=dt.date(2025, 3, 1),
        stage="interviewed",
    )
    weak = Candidate.objects.create(
        external_id="CAND-2",
        name="Zhao Lei",
        role="sales_rep",
        org_unit=org_tree["T3"],
        applied_on=dt.date(2025, 3, 1),
        stage="screened",
    )
    set_attributes([strong, weak], factors, {"n0": [2.5, -1.5], "n1": [1.5, -1.0], "b0": [True, False]})
    return org_tree


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_hr_lead_builds_a_profile_in_the_browser_and_opens_a_candidate(data, hr_lead):
    client = _login(hr_lead)
    page = client.get("/talent/profiles/")
    assert page.status_code == 200
    assert "Build a profile" in page.content.decode()
    response = client.post(
        "/talent/profiles/",
        {
            "name": "Reps 2025",
            "role": "sales_rep",
            "criterion": CRITERION,
            "period": "month",
            "window_from": "2025-01",
            "window_to": "2025-12",
            "top_share": "0.25",
            "max_q": "0.05",
            "min_effect": "0.2",
        },
    )
    profile = SuccessProfile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/talent/profiles/{profile.pk}/"
    text = client.get(response["Location"]).content.decode()
    assert "High performers have on average" in text
    assert "AUC (5-fold cross-validated)" in text
    card = client.get(f"/talent/profiles/{profile.pk}/?card=1").content.decode()
    assert "profile-card" in card
    listing = client.get("/talent/candidates/?role=sales_rep").content.decode()
    assert listing.index("CAND-1") < listing.index("CAND-2")  # best match first
    candidate = client.get("/talent/candidates/CAND-1/").content.decode()
    assert 'id="breakdown"' in candidate
    assert "Factor n0" in candidate
    assert "Baseline" in candidate


@pytest.mark.django_db
def test_build_errors_show_on_the_form(data, hr_lead):
    response = _login(hr_lead).post(
        "/talent/profiles/",
        {
            "name": "Presales",
            "role": "presales",
            "criterion": CRITERION,
            "period": "month",
            "window_from": "2025-01",
            "window_to": "2025-12",
            "top_share": "0.25",
            "max_q": "0.05",
            "min_effect": "0.2",
        },
    )
    assert response.status_code == 200
    assert "at least 4" in response.content.decode()
    assert not SuccessProfile.objects.exists()


@pytest.mark.django_db
def test_candidate_pages_are_scoped(data, east_manager):
    client = _login(east_manager)
    assert client.get("/talent/candidates/CAND-2/").status_code == 404  # T3 lies outside EAST
    assert client.get("/talent/candidates/CAND-1/").status_code == 200
    page = client.get("/talent/candidates/?role=sales_rep").content.decode()
    assert "no success profile" in page
    assert client.get("/talent/profiles/").status_code == 200
    assert "Build a profile" not in client.get("/talent/profiles/").content.decode()


@pytest.mark.django_db
def test_pages_need_a_login(client):
    assert client.get("/talent/profiles/").status_code == 302
