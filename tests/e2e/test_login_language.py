"""In Chromium: log in, see the org tree, switch the language both ways, log out; API docs offline; manager scope."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from org.jobs import org_unit_stats_compute
from tests.conftest import PASSWORD

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def html_lang(page) -> str:
    return page.get_attribute("html", "lang") or ""


def switch_language(page, code: str) -> None:
    """Pick a language in the top bar's switch; the page reloads in it."""
    with page.expect_navigation():
        page.select_option("#lang-select", code)


@pytest.fixture
def staffed_tree(org_tree, people):
    """The shared org tree with its head counts computed, as the nightly step would."""
    org_unit_stats_compute()
    return org_tree


@pytest.mark.chinese
def test_hr_lead_logs_in_switches_language_and_logs_out(page, live_server, login, hr_lead, staffed_tree):
    # given an HR lead on the login page, in the default language
    login(page, live_server, "hr", PASSWORD)

    # then the home page lists every org unit with head counts, in Chinese
    assert html_lang(page) == "zh-hans"
    tree = page.locator("#unit-tree")
    for name in ("ACME", "Sales BU", "Service BU", "East", "West", "Team 1", "Team 2", "Team 3"):
        assert tree.get_by_role("link", name=name, exact=True).is_visible()
    assert tree.locator("tr[data-code='ACME'] td.num").first.inner_text() == "4"
    assert tree.locator("tr[data-code='EAST'] td.num").first.inner_text() == "2"
    # the stylesheet is served: the top bar has its dark background
    assert page.eval_on_selector(".topbar", "el => getComputedStyle(el).backgroundColor") == "rgb(15, 30, 54)"
    # "Home" is translated by Django's own admin catalogue until the project's catalogue exists
    assert CJK.search(page.locator(".page-head .eyebrow").text_content())

    # when switching to English
    switch_language(page, "en")

    # then the same page speaks English
    assert html_lang(page) == "en"
    assert page.locator(".page-head .eyebrow").text_content().strip() == "Home"
    assert page.locator(".modules a[data-module='performance']").inner_text().strip() == "Performance"
    assert page.locator("#unit-tree").get_by_role("link", name="Team 3", exact=True).is_visible()

    # when switching back to Chinese
    switch_language(page, "zh-hans")

    # then Chinese again
    assert html_lang(page) == "zh-hans"
    assert CJK.search(page.locator(".page-head .eyebrow").text_content())
    assert page.locator("#unit-tree").is_visible()

    # when logging out through the user menu (a POST form)
    page.click("#user-menu summary")
    with page.expect_navigation():
        page.click("#logout-form button")

    # then the login page, and home is closed again
    assert "/accounts/login/" in page.url
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url


@pytest.mark.skipif(not ZH_CATALOGUE.exists(), reason="needs the project's zh_Hans catalogue (locale/zh_Hans)")
@pytest.mark.chinese
def test_module_navigation_is_translated(page, live_server, login, hr_lead):
    # this assertion needs the project's compiled zh_Hans catalogue
    login(page, live_server, "hr", PASSWORD)
    performance = page.locator(".modules a[data-module='performance']")
    assert CJK.search(performance.inner_text()), performance.inner_text()
    switch_language(page, "en")
    assert page.locator(".modules a[data-module='performance']").inner_text().strip() == "Performance"


def test_api_docs_load_without_leaving_the_machine(page, live_server, login, hr_lead, page_problems):
    # given a logged-in user
    login(page, live_server, "hr", PASSWORD)

    # when opening the API documentation
    page.goto(f"{live_server.url}/api/docs/")

    # then Swagger UI renders the schema from local assets (the page fixture fails on any other host)
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Acquisition HR API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() > 0
    assert not page_problems.external_requests


def test_manager_sees_only_their_subtree(page, live_server, login, east_manager, staffed_tree, page_problems):
    # given a manager scoped to the East region
    login(page, live_server, "east_manager", PASSWORD)

    # then the home page shows East and its teams, nothing else
    tree = page.locator("#unit-tree")
    codes = tree.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes == ["EAST", "T1", "T2"]
    assert tree.locator("tr[data-code='EAST'] td.num").first.inner_text() == "2"
    assert page.get_by_text("Team 3").count() == 0
    # and no import link: managers may not ingest data
    assert page.locator("#import-link").count() == 0

    # and another subtree's page is not found
    response = page.goto(f"{live_server.url}/org/units/WEST/")
    assert response.status == 404
    assert page.locator(".error-page h1").is_visible()
    page_problems.allow_console("404")
