"""In Chromium: a co-lead starts a program, adds a milestone, completes step 1's checklist, both co-leads
sign the gate, and the dashboard shows step 2 active; in step 4 a co-lead plans a wave and records a workshop."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from org.models import Person
from org.services import user_profile_set
from performance.models import Indicator
from rollout.models import ChecklistItem, Program
from rollout.services import KeyIndicatorInput, program_create
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def co_leads(org_tree):
    """The business co-lead (scoped to East) and the HR co-lead, both people of the company."""
    biz, hr = make_user("biz", "program_member", unit=org_tree["EAST"]), make_user("hrlead", "hr_lead")
    for user, name, unit, role in ((biz, "Bea Business", "EAST", "sales_manager"), (hr, "Hana Hr", "ACME", "other")):
        person = Person.objects.create(
            external_id=name, name=name, org_unit=org_tree[unit], role=role, hire_date=dt.date(2020, 1, 1)
        )
        user_profile_set(user=user, org_unit=org_tree[unit] if user is biz else None, person=person)
    return biz, hr


BIZ, HR = "Bea Business · Sales manager · East", "Hana Hr · Other · ACME"


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_program_through_step_one(page, live_server, login, co_leads):
    sponsor, hr = co_leads
    english(page, live_server)
    login(page, live_server, "hrlead", PASSWORD)

    # the HR co-lead starts a program, prefilled as from a diagnosis result
    page.goto(
        f"{live_server.url}/rollout/programs/new/?org_unit=EAST&dimensions=enablement"
        "&indicators=lead_conversion_rate,win_rate,nps"
    )
    page.fill("#id_name", "East conversion")
    # the sponsor picker: the search box narrows the people to those whose name matches
    page.fill("input[data-search-for='id_sponsor']", "bea")
    expect(page.locator("#id_sponsor option:not([hidden])")).to_have_count(2)
    assert page.locator("#id_sponsor option:not([hidden])").all_inner_texts() == ["---------", BIZ]
    page.select_option("#id_sponsor", label=BIZ)
    page.select_option("#id_hr_co_lead", label=HR)
    page.fill("#id_start_date", "2026-04-01")
    with page.expect_navigation():
        page.click("#program-form [type=submit]")
    program = Program.objects.get(name="East conversion")
    assert re.search(rf"/rollout/programs/{program.pk}/$", page.url)
    assert page.locator("#active-step").inner_text() == "Active step: 1. Align and assess"
    assert sorted(program.key_indicators.values_list("indicator__code", flat=True)) == [
        "lead_conversion_rate",
        "nps",
        "win_rate",
    ]

    # a milestone
    page.click("#milestone-add summary")
    page.fill("#milestone-form #id_title", "Front-line interviews")
    page.fill("#milestone-form #id_due_date", "2026-05-15")
    page.select_option("#milestone-form #id_owner", label=HR)
    with page.expect_navigation():
        page.click("#milestone-form [type=submit]")
    assert "Front-line interviews" in page.locator("#milestone-table").inner_text()
    page.wait_for_selector("#program-timeline-plot .main-svg")

    # step 1's checklist, line by line: each tick updates the list in place, the page is not reloaded
    page.evaluate("window.notReloaded = true")
    left = page.locator("#checklist li button:not(.secondary)").count()
    assert left == 6
    while left:
        page.locator("#checklist li button:not(.secondary)").first.click()
        left -= 1
        page.wait_for_function(
            "n => !document.querySelector('#checklist button[disabled]')"
            " && document.querySelectorAll('#checklist li button:not(.secondary)').length === n",
            arg=left,
        )
    assert page.locator("#checklist li button.secondary").count() == 6
    assert page.evaluate("window.notReloaded") is True
    assert ChecklistItem.objects.filter(step__program=program, step__number=1, done=True).count() == 6

    # the HR co-lead signs in place too: the gate waits for the business co-lead
    page.click("#gate-sign")
    expect(page.locator("#content > .messages")).to_contain_text("Signed.")
    assert "The business co-lead has not signed." in page.locator("#gate-blockers").inner_text()
    assert "Signed. The gate closes once the other co-lead signs." in page.locator("#content > .messages").inner_text()
    assert page.evaluate("window.notReloaded") is True

    # the business co-lead signs: step 1 closes and step 2 starts
    page.context.clear_cookies()
    english(page, live_server)
    login(page, live_server, "biz", PASSWORD)
    page.goto(f"{live_server.url}/rollout/programs/{program.pk}/")
    page.click("#gate-sign")
    page.wait_for_function("() => document.querySelector('#active-step').textContent.includes('2.')")
    assert page.locator("#active-step").inner_text() == "Active step: 2. Design and define"
    assert page.locator("#step-progress li[data-step='1']").get_attribute("data-status") == "closed"
    assert page.locator("#step-progress li[data-step='2']").get_attribute("data-status") == "active"
    assert "Signed by Bea Business and Hana Hr" in page.locator("#step-progress li[data-step='1']").inner_text()


def test_scale_step_waves_and_workshops(page, live_server, login, co_leads, org_tree):
    """A co-lead plans a rollout wave and records a manager workshop; the page shows the attendance rate."""
    sponsor, hr = co_leads
    program = program_create(
        name="East conversion",
        sponsor=sponsor,
        hr_co_lead=hr,
        org_units=[org_tree["EAST"]],
        focus_dimensions=["enablement"],
        key_indicators=[
            KeyIndicatorInput(indicator, indicator.timing)
            for indicator in Indicator.objects.filter(code__in=["lead_conversion_rate", "win_rate", "nps"])
        ],
        start_date=dt.date(2026, 4, 1),
    )
    english(page, live_server)
    login(page, live_server, "hrlead", PASSWORD)
    page.goto(f"{live_server.url}/rollout/programs/{program.pk}/")

    # plan a wave
    page.click("#wave-add summary")
    page.fill("#wave_name", "Wave 1")
    page.select_option("#wave_org_units", label=["Team 1", "Team 2"])
    page.fill("#wave_starts_on", "2026-09-01")
    page.fill("#wave_ends_on", "2026-10-31")
    with page.expect_navigation():
        page.click("#wave-form [type=submit]")
    waves = page.locator("#wave-table").inner_text()
    assert "Wave 1" in waves
    assert "Sept. 1, 2026" in waves

    # record a workshop: two invited, one of them came
    page.click("#workshop-add summary")
    page.fill("#workshop_title", "Train the managers")
    page.fill("#workshop_held_on", "2026-09-03")
    page.select_option("#workshop_invited", label=[BIZ, HR])
    page.select_option("#workshop_attended", label=[HR])
    with page.expect_navigation():
        page.click("#workshop-form [type=submit]")
    row = page.locator("#workshop-table tbody tr").first
    assert "Train the managers" in row.inner_text()
    assert "1 of 2 invited" in row.inner_text()
    assert row.locator(".attendance-rate").inner_text() == "50 %"
