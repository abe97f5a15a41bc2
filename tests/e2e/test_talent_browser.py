"""In Chromium: an HR lead builds a success profile, sees its distributions, opens a candidate's match breakdown."""

from __future__ import annotations

import datetime as dt

import pytest

from org.models import Person
from talent.models import Candidate, CandidateAttribute, PersonAttribute
from tests.conftest import PASSWORD
from tests.talent.conftest import SIGNAL_KINDS, make_factors, make_people, set_attributes, set_criterion, signal_data


@pytest.fixture
def hiring(org_tree):
    """240 reps whose performance follows n0, n1, n2 and b0, and two candidates: one strong, one weak."""
    columns, performance, _ = signal_data(seed=5, n=240)
    people = make_people(org_tree["T1"], 240)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)
    candidates = [
        Candidate.objects.create(
            external_id=external_id,
            name=name,
            role="sales_rep",
            org_unit=org_tree["T1"],
            applied_on=dt.date(2025, 3, 1),
            stage="interviewed",
            source_channel="referral",
        )
        for external_id, name in (("CAND-1", "Wang Fang"), ("CAND-2", "Zhao Lei"))
    ]
    set_attributes(candidates, factors, {"n0": [2.5, -1.5], "n1": [1.5, -1.0], "b0": [True, False]})
    return org_tree


def test_hr_lead_builds_a_profile_and_reads_a_candidates_match(page, live_server, login, hr_lead, hiring):
    # given an HR lead on the profile page, in English
    login(page, live_server, "hr", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/talent/profiles/")

    # when building a profile of the sales reps on average contract value in January 2025
    page.fill("#id_name", "Reps 2025")
    page.select_option("#id_role", "sales_rep")
    page.select_option("#id_criterion", "average_contract_value")
    page.select_option("#id_period", "month")
    page.fill("#id_window_from", "2025-01")
    page.fill("#id_window_to", "2025-01")
    with page.expect_navigation():
        page.click("#build [type=submit]")

    # then the profile page reads the factors in plain words and plots high performers against the control group
    assert page.locator("h1").inner_text().startswith("Reps 2025")
    assert "High performers have on average" in page.locator("#selected").inner_text()
    charts = page.locator("#distributions [data-figure]").count()
    assert charts >= 3
    page.wait_for_function(
        "n => document.querySelectorAll('#distributions .js-plotly-plot .main-svg').length >= n", arg=charts
    )
    assert page.locator("#distributions .js-plotly-plot .boxlayer .trace").count() >= 2

    # when opening the candidates ranked by match and the best one
    page.goto(f"{live_server.url}/talent/candidates/?role=sales_rep")
    with page.expect_navigation():
        page.get_by_role("link", name="Wang Fang").click()

    # then the match score and its breakdown per factor are shown
    score = float(page.locator("#match-score").inner_text())
    assert score >= 70
    breakdown = page.locator("#breakdown")
    assert breakdown.is_visible()
    assert "Baseline" in breakdown.inner_text()
    assert page.locator("#breakdown tr[data-feature='n0']").is_visible()
    assert page.locator("#breakdown tr[data-feature='n0'] td.num").inner_text().startswith("+")


def test_calibration_page_draws_the_scatter(page, live_server, login, hr_lead, hiring):
    # given a profile and twelve hires who became reps of the profile's data
    from performance.models import Indicator
    from talent.services import success_profile_build

    profile = success_profile_build(
        name="Reps",
        role="sales_rep",
        criterion=Indicator.objects.get(code="average_contract_value"),
        period="month",
        window_from=dt.date(2025, 1, 1),
        window_to=dt.date(2025, 1, 1),
    )
    people = list(Person.objects.filter(role="sales_rep").order_by("external_id")[:12])
    hires = [
        Candidate.objects.create(
            external_id=f"H{i}", name=f"Hire {i}", role="sales_rep", org_unit=hiring["T1"],
            applied_on=dt.date(2022, 11, 1), stage="hired", hired_as=person,
        )
        for i, person in enumerate(people)
    ]  # fmt: skip
    for hire, person in zip(hires, people, strict=True):
        CandidateAttribute.objects.bulk_create(
            [
                CandidateAttribute(candidate=hire, factor_id=row.factor_id, value=row.value)
                for row in PersonAttribute.objects.filter(person=person)
            ]
        )
    login(page, live_server, "hr", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    # when opening the profile's calibration over January 2025
    page.goto(f"{live_server.url}/talent/profiles/{profile.pk}/calibration/?window_from=2025-01&window_to=2025-01")

    # then the figures, the published reference and the scatter plot are shown
    assert page.locator("#n-hires").inner_text() == "12"
    assert "Structured interviews" in page.locator("#references").inner_text()
    page.wait_for_function("() => document.querySelector('#calibration-plot .main-svg') !== null")
    assert page.locator("#calibration-plot .scatterlayer .trace").count() == 2
    assert page.locator("#refit").is_visible()
