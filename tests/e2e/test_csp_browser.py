"""In Chromium under the content security policy: the API docs and a page with charts run without a single
blocked script (a CSP violation is a console error, and the ``page`` fixture fails on any)."""

from __future__ import annotations

from tests.conftest import PASSWORD, make_user


def test_api_docs_render_under_the_policy(page, live_server, login, db):
    make_user("hrlead", "hr_lead")
    login(page, live_server, "hrlead", PASSWORD)
    response = page.goto(f"{live_server.url}/api/docs/")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() > 10


def test_a_page_with_charts_and_an_autosubmit_select_runs_under_the_policy(page, live_server, login, org_tree, people):
    from enablement.models import JourneyMap

    make_user("hrlead", "hr_lead")
    login(page, live_server, "hrlead", PASSWORD)
    page.goto(f"{live_server.url}/enablement/people/P1/")
    page.wait_for_selector("#capability-radar .main-svg")
    journey_map = JourneyMap.objects.get(is_builtin=True)
    page.goto(f"{live_server.url}/enablement/maps/{journey_map.pk}/")
    # the language switch is a select that submits itself (static/js/app.js, no inline handler)
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("html").get_attribute("lang") == "en"
