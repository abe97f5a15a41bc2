"""In Chromium: an evaluator scores a drill session on the scoring sheet and the person's readiness rises;
the journey map shows its coverage gaps."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from enablement.models import CapabilityItem, JourneyMap
from enablement.services import learning_activity_save, scenario_save
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def drill_setup(org_tree, people):
    journey_map = JourneyMap.objects.get(is_builtin=True)
    item = CapabilityItem.objects.get(stage__journey_map=journey_map, code="needs-discovery")
    learning_activity_save(code="a1", name="Needs workshop", kind="role_play", capability_items=[item])
    scenario_save(
        code="s1",
        title="Needs interview with a manufacturer",
        capability_item=item,
        level=3,
        customer_case="A manufacturer wants faster delivery.",
        pass_threshold=Decimal("3.5"),
        criteria=[
            {"name": "Questions", "weight": 2},
            {"name": "Impact", "weight": 1},
            {"name": "Next step", "weight": 1},
        ],
    )
    make_user("east", "manager", unit=org_tree["EAST"])
    return journey_map


def _stage_value(page, code: str) -> str:
    return page.locator(f'tr[data-stage="{code}"] .stage-value').inner_text().strip()


def test_evaluator_scores_a_drill_and_readiness_changes(page, live_server, login, drill_setup):
    # given the manager on P1's readiness page, nothing done yet
    login(page, live_server, "east", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/enablement/people/P1/")
    assert _stage_value(page, "consideration") == "0.0"
    assert page.locator("#person-overall").inner_text().strip() == "0.0"
    # the capability radar is drawn
    page.wait_for_selector("#capability-radar .main-svg")

    # when they score a drill of P1: 4, 3, 4 with weights 2, 1, 1 = 3.75
    page.click("#drill-now a")
    page.wait_for_selector("#drill-form")
    assert page.input_value("#id_person") == "P1"
    fieldsets = page.locator("fieldset.score-row")
    for index, score in enumerate(("4", "3", "4")):
        fieldsets.nth(index).get_by_label(score, exact=True).check()
    page.fill("#id_notes", "Clear questions, quantified the impact")
    page.click("#drill-form button[type=submit]")

    # then the person's page says the drill passed and readiness rose
    page.wait_for_selector(".messages")
    assert "Passed: weighted score 3.75 (threshold 3.50); certified." in page.locator(".messages").inner_text()
    # consideration: C = 0.5, D = 0.6875, L = 0 (A1 not completed): 100 × (0.25 + 0.20625 + 0) = 45.6
    assert _stage_value(page, "consideration") == "45.6"
    assert re.fullmatch(r"11\.[34]", page.locator("#person-overall").inner_text().strip())


def test_journey_map_page_lists_coverage_gaps(page, live_server, login, drill_setup):
    make_user("hrlead", "hr_lead")
    login(page, live_server, "hrlead", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/enablement/maps/{drill_setup.pk}/")
    gaps = page.locator("#coverage-gaps").inner_text()
    assert "7 capability items have no learning activity that builds them" in gaps
    assert "Needs-discovery interviews" not in gaps
    assert page.locator(".journey-stage").count() == 4
    assert page.locator(".capability.gap").count() == 7
