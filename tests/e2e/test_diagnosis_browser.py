"""In Chromium: a respondent answers the self-check over several steps, leaves, comes back, is told what
is missing and submits; the HR lead closes the round and sees the radar and the triangulation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from diagnosis.services import round_open
from performance.models import Indicator, IndicatorValue
from tests.conftest import PASSWORD, make_user
from tests.diagnosis.conftest import build_questionnaire, submit

Q1 = dt.date(2025, 1, 1)


@pytest.fixture
def open_round(org_tree, hr_lead):
    """A round of T1 with four respondents, three of whom have already submitted (so results open)."""
    questionnaire = build_questionnaire()
    seeded = [make_user(f"seeded{i}", "program_member") for i in (1, 2, 3)]
    browser_user = make_user("respondent", "program_member")
    assessment_round = round_open(
        questionnaire=questionnaire,
        org_unit=org_tree["T1"],
        owner=hr_lead,
        respondents=[*seeded, browser_user],
        title="T1 self-check",
        data_period_start=Q1,
        opened_at=timezone.now() - dt.timedelta(days=1),
    )
    for user, value in zip(seeded, (2, 3, 1), strict=True):
        submit(assessment_round, user, t1=value, t2=4, t3="na", c1=value, s_lead=2, s_churn=0)
    # T1 converts worse than the median of the three teams in the data quarter: "confirmed by data".
    lead = Indicator.objects.get(code="lead_conversion_rate")
    for code, value in (("T1", "10"), ("T2", "30"), ("T3", "40")):
        IndicatorValue.objects.create(
            indicator=lead,
            org_unit=org_tree[code],
            period="quarter",
            period_start=Q1,
            numerator=Decimal(value),
            denominator=Decimal(100),
            value=Decimal(value),
            computed_at=timezone.now(),
        )
    return assessment_round


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def step_url(live_server, assessment_round, step=None):
    base = f"{live_server.url}/diagnosis/rounds/{assessment_round.pk}/respond/"
    return base if step is None else f"{base}{step}/"


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_respondent_answers_over_steps_then_hr_lead_sees_radar_and_triangulation(
    page, live_server, login, open_round, page_problems
):
    # a respondent logs in and starts
    login(page, live_server, "respondent", PASSWORD)
    english(page, live_server)
    page.goto(step_url(live_server, open_round))
    assert page.url == step_url(live_server, open_round, 1)
    page.check('input[name="item-t1"][value="4"]')
    click_and_wait(page, 'button[name="action"][value="next"]')
    assert page.url == step_url(live_server, open_round, 2)
    page.check('input[name="item-c1"][value="3"]')
    click_and_wait(page, 'button[name="action"][value="save"]')

    # leaves, comes back: resumes at step 2 with the answers kept
    page.goto(f"{live_server.url}/diagnosis/rounds/")
    page.goto(step_url(live_server, open_round))
    assert page.url == step_url(live_server, open_round, 2)
    assert page.is_checked('input[name="item-c1"][value="3"]')
    click_and_wait(page, 'button[name="action"][value="goto-1"]')
    assert page.is_checked('input[name="item-t1"][value="4"]')

    # jumps to the last step and submits too early: told which items are missing
    click_and_wait(page, 'button[name="action"][value="goto-3"]')
    page.check('input[name="item-s_lead"][value="1"]')
    click_and_wait(page, 'button[name="action"][value="submit"]')
    # the page answers 400 on purpose (the form did not validate); the browser logs that status
    page_problems.allow_console("400 (Bad Request)")
    alert = page.locator("#missing")
    assert alert.is_visible()
    missing = alert.locator("li").all_inner_texts()
    assert len(missing) == 2
    assert any("t2 text" in text for text in missing)
    assert any("s_churn text" in text for text in missing)
    assert page.locator("#q-s_churn.missing").is_visible()
    assert page.is_checked('input[name="item-s_lead"][value="1"]')  # what was given is kept

    # answers the missing items and submits
    page.check('input[name="item-s_churn"][value="0"]')
    click_and_wait(page, 'button[name="action"][value="goto-1"]')
    page.check('input[name="item-t2"][value="na"]')
    click_and_wait(page, 'button[name="action"][value="goto-3"]')
    click_and_wait(page, 'button[name="action"][value="submit"]')
    assert page.locator("#respond-done").is_visible()
    assert "You submitted your answers" in page.locator("#respond-done").inner_text()

    # the HR lead closes the round
    page.context.clear_cookies()
    login(page, live_server, "hr", PASSWORD)
    english(page, live_server)
    page.goto(f"{live_server.url}/diagnosis/rounds/{open_round.pk}/")
    assert page.locator("#submitted-count").inner_text().startswith("4 / 4")
    click_and_wait(page, 'button[name="close"]')
    assert "The round is closed." in page.locator(".messages").inner_text()

    # and sees the radar (drawn by the local plotly.js as SVG) and the triangulation
    page.goto(f"{live_server.url}/diagnosis/rounds/{open_round.pk}/results/")
    page.wait_for_selector("#radar-figure-plot .main-svg", state="attached")
    assert page.locator("#radar-figure-plot .scatterlayer .trace").count() == 2
    radar_table = page.locator("#radar-table")
    assert radar_table.locator('[data-axis="talent_selection"] [data-series="self_assessed"]').inner_text() != ""
    assert "no data" in radar_table.locator('[data-axis="learning_development"]').inner_text()
    lead = page.locator('#symptoms [data-symptom="low_lead_conversion"]')
    assert lead.locator(".evidence-confirmed").inner_text() == "Confirmed by data"
    assert "median of 3 units" in lead.inner_text()
