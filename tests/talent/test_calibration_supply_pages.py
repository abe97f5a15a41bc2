"""The profile page's distribution plots, the calibration page with its refit, and the supply-chain page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from performance.models import Indicator
from talent.models import Candidate, HeadcountPlan, SuccessProfile
from talent.services import success_profile_build

from .conftest import (
    CRITERION,
    MONTH,
    SIGNAL_KINDS,
    make_factors,
    make_people,
    set_attributes,
    set_criterion,
    signal_data,
)


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def profile(org_tree):
    columns, performance, _ = signal_data(seed=3, n=200)
    people = make_people(org_tree["T1"], 200)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)
    hires = [
        Candidate.objects.create(
            external_id=f"H{i}",
            name=f"Hire {i}",
            role="sales_rep",
            org_unit=org_tree["T1"],
            applied_on=dt.date(2022, 11, 1),
            stage="hired",
            hired_as=people[i],
            source_channel="campus",
        )
        for i in range(12)
    ]
    set_attributes(hires, factors, {code: values[:12] for code, values in columns.items()})
    return success_profile_build(
        name="Reps",
        role="sales_rep",
        criterion=Indicator.objects.get(code=CRITERION),
        period="month",
        window_from=MONTH,
        window_to=MONTH,
    )


@pytest.mark.django_db
def test_profile_page_plots_each_selected_factor(profile, hr_lead, django_assert_max_num_queries):
    client = _login(hr_lead)
    with django_assert_max_num_queries(20):
        text = client.get(f"/talent/profiles/{profile.pk}/").content.decode()
    selected = profile.factors.filter(selected=True).count()
    assert selected >= 2
    assert text.count('data-figure="factor-plot-') == selected
    assert "/performance/plotly" in text or "plotly" in text
    assert 'id="factor-plot-0-data"' in text
    card = client.get(f"/talent/profiles/{profile.pk}/?card=1").content.decode()
    assert "Situational interview questions for this role" in card
    assert "data-figure" not in card


@pytest.mark.django_db
def test_calibration_page_and_refit(profile, hr_lead):
    client = _login(hr_lead)
    text = client.get(
        f"/talent/profiles/{profile.pk}/calibration/?window_from=2025-01&window_to=2025-01"
    ).content.decode()
    assert 'id="n-hires">12<' in text
    assert "Structured interviews" in text
    assert "0.42" in text
    assert 'data-figure="calibration-plot-data"' in text
    response = client.post(
        f"/talent/profiles/{profile.pk}/calibration/", {"refit-window_from": "2025-01", "refit-window_to": "2024-12"}
    )
    assert response.status_code == 200  # the window ends before the profile's window
    assert SuccessProfile.objects.count() == 1


@pytest.mark.django_db
def test_calibration_needs_candidate_access(profile, django_user_model, client):
    from tests.conftest import make_user

    member = make_user("member", "program_member")
    client.force_login(member)
    assert client.get(f"/talent/profiles/{profile.pk}/calibration/").status_code == 403


@pytest.mark.django_db
def test_supply_page_shows_plans_and_channels(org_tree, hr_lead):
    client = _login(hr_lead)
    today = timezone.localdate()
    quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    response = client.post(
        "/talent/supply/",
        {
            "role": "sales_rep",
            "org_unit": "SALES",
            "quarter": quarter.isoformat(),
            "target_headcount": "5",
            "bench_successors": "1",
            "bench_interns": "0",
        },
    )
    assert response.status_code == 302
    plan = HeadcountPlan.objects.get()
    assert plan.target_headcount == 5
    Candidate.objects.create(
        external_id="C1", name="C1", role="sales_rep", org_unit=org_tree["T1"], applied_on=today, stage="sourced",
        source_channel="referral",
    )  # fmt: skip
    text = client.get("/talent/supply/").content.decode()
    assert f'data-plan="{plan.pk}"' in text
    assert "cannot fill" in text  # nobody there yet: a gap of 4
    assert 'data-channel="referral"' in text


@pytest.mark.django_db
def test_manager_cannot_enter_plans(org_tree, east_manager):
    client = _login(east_manager)
    assert client.get("/talent/supply/").status_code == 200
    response = client.post("/talent/supply/", {"role": "sales_rep", "org_unit": "EAST", "target_headcount": "3"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_calibration_api(profile, read_client):
    response = read_client.get(f"/api/v1/talent/profiles/{profile.pk}/calibration/?from=2025-01&to=2025-01")
    assert response.status_code == 200
    body = response.json()
    assert body["n"] == 12
    assert body["window_to"] == "2025-01-31"
    assert set(body["pearson"]) == {"r", "low", "high", "p"}
    assert {"method": "Structured interviews", "validity": 0.42} in body["references"]
    assert len(body["hires"]) == 12
    bad = read_client.get(f"/api/v1/talent/profiles/{profile.pk}/calibration/?from=2025-13")
    assert bad.status_code == 400
    assert read_client.get("/api/v1/talent/profiles/999999/calibration/").status_code == 404


@pytest.mark.django_db
def test_supply_api(org_tree, read_client):
    today = timezone.localdate()
    HeadcountPlan.objects.create(
        role="sales_rep",
        org_unit=org_tree["SALES"],
        quarter=dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1),
        target_headcount=3,
    )
    body = read_client.get("/api/v1/talent/supply/").json()
    assert body["plans"][0]["org_unit"] == "SALES"
    assert body["plans"][0]["gap"] == pytest.approx(3)
    assert [stage["stage"] for stage in body["plans"][0]["stages"]] == ["sourced", "screened", "interviewed", "offered"]
    assert body["channels"] == []
