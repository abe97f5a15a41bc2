"""In Chromium: the KPI dashboard of the company and of a team draws its Plotly charts from local assets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from performance.models import Indicator, IndicatorValue, LtvCohort
from tests.conftest import PASSWORD

D = dt.date
LEAD, USAGE = "lead_conversion_rate", "product_usage_activity"


@pytest.fixture
def computed(org_tree, people):
    """Precomputed values as the recompute would leave them: two quarters for units and people, one LTV cohort."""
    now = timezone.now()
    indicators = {code: Indicator.objects.get(code=code) for code in (LEAD, USAGE)}
    Indicator.objects.filter(code=LEAD).update(target=Decimal("55"), last_computed_at=now)
    Indicator.objects.filter(code=USAGE).update(last_computed_at=now)
    values = {
        # subject: (lead Q1, lead Q2, usage Q1, usage Q2)
        "ACME": ("50", "60", "70", "75"),
        "SALES": ("50", "60", "70", "75"),
        "SERVICE": ("40", None, "65", "72"),
        "EAST": ("66.6667", "40", "70", "80"),
        "WEST": ("20", "100", "60", "55"),
        "T1": ("50", "0", "60", "80"),
        "T2": ("100", "80", "90", "85"),
    }
    people_values = {"P1": ("50", "0", "60", "80"), "P2": ("100", "80", None, None)}
    rows = []

    def add(row_values, **subject):
        for code, starts in ((LEAD, row_values[:2]), (USAGE, row_values[2:])):
            for start, value in zip((D(2025, 1, 1), D(2025, 4, 1)), starts, strict=True):
                rows.append(
                    IndicatorValue(
                        indicator=indicators[code],
                        period="quarter",
                        period_start=start,
                        numerator=Decimal(value or 0),
                        denominator=Decimal(1 if value is not None else 0),
                        value=None if value is None else Decimal(value),
                        computed_at=now,
                        **subject,
                    )
                )

    for code, row_values in values.items():
        add(row_values, org_unit=org_tree[code])
    for external_id, row_values in people_values.items():
        add(row_values, person=people[external_id])
    IndicatorValue.objects.bulk_create(rows)
    for code in ("ACME", "T1"):
        LtvCohort.objects.create(
            org_unit=org_tree[code],
            cohort=D(2024, 10, 1),
            customers=2,
            ltv_total=Decimal("3000"),
            realized_total=Decimal("1000"),
            acquisition_cost=Decimal("500"),
            computed_at=now,
        )
    return org_tree


def wait_for_charts(page) -> int:
    """Wait until Plotly has drawn every chart container; returns how many there are."""
    expected = page.locator("[data-figure]").count()
    assert expected > 0
    page.wait_for_function(
        "n => document.querySelectorAll('[data-figure].js-plotly-plot .main-svg').length >= n", arg=expected
    )
    assert page.locator(".js-plotly-plot").count() == expected
    return expected


def click_centered(page, link) -> None:
    """Click a link after scrolling it to the middle of the window, clear of the sticky top bar."""
    link.evaluate("el => el.scrollIntoView({block: 'center'})")
    with page.expect_navigation():
        link.click()


def test_company_dashboard_draws_every_chart(page, live_server, login, hr_lead, computed):
    # given an HR lead, who sees the whole company
    login(page, live_server, "hr", PASSWORD)

    # when opening the dashboard (it defaults to the company) in English
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/performance/dashboard/")

    # then: two indicator charts (leading and lagging side by side), the unit comparison and LTV
    assert page.locator("h1").inner_text().startswith("ACME")
    assert wait_for_charts(page) == 4
    assert page.locator("#leading-indicators .js-plotly-plot").count() == 1
    assert page.locator("#lagging-indicators .js-plotly-plot").count() == 1
    assert page.locator("#child-units .js-plotly-plot").count() == 1
    assert page.locator("#ltv-cohorts .js-plotly-plot").count() == 1
    # the lagging chart has its target line: two traces
    assert page.locator("#lagging-indicators .js-plotly-plot .scatterlayer .trace").count() == 2
    assert page.locator("#computed-at").inner_text().startswith("Computed at")
    lead_card = page.locator(f"#indicator-{LEAD}")
    assert lead_card.locator(".latest").inner_text() == "60.0 %"
    assert "on target" in lead_card.inner_text()
    assert page.locator("#children-table tbody tr th:first-child").all_inner_texts() == ["Sales BU", "Service BU"]

    # when sorting the child units by lead conversion, highest first
    sort_link = page.locator("#children-table thead th", has_text="conversion").locator("a")
    click_centered(page, sort_link)
    wait_for_charts(page)
    # SERVICE has no Q2 value, so it stays last whichever the order
    assert page.locator("#children-table tbody tr th:first-child").all_inner_texts() == ["Sales BU", "Service BU"]
    assert page.locator("#children-table thead th[aria-sort='descending']").count() == 1

    # when drilling down into a child unit
    click_centered(page, page.locator("#children-table").get_by_role("link", name="Sales BU"))
    assert page.locator("h1").inner_text().startswith("Sales BU")
    wait_for_charts(page)


def test_team_dashboard_for_a_manager(page, live_server, login, east_manager, computed, page_problems):
    # given a manager of the East region
    login(page, live_server, "east_manager", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    # when opening the dashboard of Team 1
    page.goto(f"{live_server.url}/performance/dashboard/T1/?period=quarter")

    # then its charts are drawn, there are no sub-units, and its person is listed with values
    assert page.locator("h1").inner_text().startswith("Team 1")
    assert wait_for_charts(page) == 3  # two indicators and LTV; a team has no sub-units to compare
    assert page.locator("#child-units .empty").is_visible()
    people_rows = page.locator("#people-table tbody tr")
    assert people_rows.count() == 1
    assert "Person P1" in people_rows.first.inner_text()
    assert "80.0 %" in people_rows.first.inner_text()
    # breadcrumbs stop at the manager's own scope
    assert page.locator(".breadcrumbs").get_by_role("link", name="East").count() == 1
    assert page.locator(".breadcrumbs").get_by_role("link", name="ACME").count() == 0

    # and another region's dashboard is not found
    response = page.goto(f"{live_server.url}/performance/dashboard/WEST/")
    assert response.status == 404
    page_problems.allow_console("404")


def test_empty_dashboard_explains_the_recompute(page, live_server, login, hr_lead, org_tree):
    login(page, live_server, "hr", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/performance/dashboard/ACME/")
    assert page.locator("#dashboard-empty").is_visible()
    assert "recompute" in page.locator("#dashboard-empty").inner_text()
    assert page.locator(".js-plotly-plot").count() == 0


def test_dashboard_reads_in_sections_from_the_partial_bundle(page, live_server, login, hr_lead, computed):
    login(page, live_server, "hr", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    bundles = []
    page.on("response", lambda response: bundles.append(response) if "plotly" in response.url else None)
    page.goto(f"{live_server.url}/performance/dashboard/EAST/")
    wait_for_charts(page)

    # the page loads the partial plotly.js bundle, once
    assert len(bundles) == 1
    assert "(partial bundle" in bundles[0].text()[:200]
    assert len(bundles[0].body()) < 1_500_000

    # rate axes start at zero
    ranges = page.evaluate(
        "() => [...document.querySelectorAll('.indicator-card .js-plotly-plot')]"
        ".map(el => el._fullLayout.yaxis.range[0])"
    )
    assert ranges
    assert all(start == 0 for start in ranges)

    # the people table scrolls inside its card, its name column stays put
    assert page.locator("#people .table-scroll #people-table").count() == 1
    name_cell = page.locator("#people-table tbody th").first
    assert name_cell.evaluate("el => getComputedStyle(el).position") == "sticky"
    assert page.locator("#people .table-scroll").evaluate("el => getComputedStyle(el).overflowX") == "auto"

    # the section nav jumps to LTV, its heading clear of the top bar and the nav, which stays in view
    page.locator("#section-nav a[href='#ltv-cohorts']").click()
    page.wait_for_function("() => location.hash === '#ltv-cohorts'")
    nav_box = page.locator("#section-nav").bounding_box()
    heading_box = page.locator("#ltv-title").bounding_box()
    assert nav_box["y"] >= 0
    assert heading_box["y"] >= nav_box["y"] + nav_box["height"]


@pytest.mark.parametrize(
    ("trace", "drawn"),
    [
        ({"type": "scatter", "x": [1, 2], "y": [1, 2]}, ".scatterlayer .trace"),
        ({"type": "bar", "x": ["a", "b"], "y": [1, 2]}, ".barlayer .trace"),
        ({"type": "box", "y": [1, 2, 3, 4]}, ".boxlayer .trace"),
        ({"type": "heatmap", "z": [[1, 2], [3, 4]]}, ".heatmaplayer image"),
        ({"type": "scatterpolar", "r": [1, 2, 3], "theta": ["a", "b", "c"], "fill": "toself"}, ".polarlayer .trace"),
    ],
)
def test_the_bundle_draws_every_trace_type_the_app_uses(page, live_server, login, hr_lead, computed, trace, drawn):
    from org.ui.charts import BUNDLED_TRACES

    assert trace["type"] in BUNDLED_TRACES
    login(page, live_server, "hr", PASSWORD)
    page.goto(f"{live_server.url}/performance/dashboard/EAST/")
    wait_for_charts(page)
    page.evaluate(
        """trace => { const el = document.createElement('div'); el.id = 'probe';
                      document.body.appendChild(el); return window.Plotly.newPlot(el, [trace], {}); }""",
        trace,
    )
    assert page.locator(f"#probe {drawn}").count() >= 1
