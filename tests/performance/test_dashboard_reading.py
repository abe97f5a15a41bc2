"""The KPI dashboard reads in sections: a nav to each, targets wherever a scorecard sets one, axes from zero,
wide tables scrolling inside their card."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from performance.models import Indicator, IndicatorValue, Scorecard, ScorecardItem
from tests.conftest import make_user

D = dt.date
LEAD, USAGE = "lead_conversion_rate", "product_usage_activity"
SECTIONS = ["overview", "indicators", "child-units", "people", "ltv-cohorts"]


@pytest.fixture
def values(org_tree, people):
    """East's lead conversion moving by a tenth of a point (67.6 → 67.7) and its usage, by quarter."""
    now = timezone.now()
    lead, usage = Indicator.objects.get(code=LEAD), Indicator.objects.get(code=USAGE)
    Indicator.objects.filter(code__in=[LEAD, USAGE]).update(target=None, last_computed_at=now)
    rows = []
    for indicator, q1, q2 in ((lead, "67.6", "67.7"), (usage, "70", "80")):
        for start, value in ((D(2025, 1, 1), q1), (D(2025, 4, 1), q2)):
            for subject in ({"org_unit": org_tree["EAST"]}, {"org_unit": org_tree["T1"]}, {"person": people["P1"]}):
                rows.append(
                    IndicatorValue(
                        indicator=indicator,
                        period="quarter",
                        period_start=start,
                        numerator=Decimal(value),
                        denominator=Decimal(1),
                        value=Decimal(value),
                        computed_at=now,
                        **subject,
                    )
                )
    IndicatorValue.objects.bulk_create(rows)
    return org_tree


def scorecard(name, unit, **targets):
    card = Scorecard.objects.create(name=name, role="sales_rep", org_unit=unit)
    for position, (code, target) in enumerate(targets.items()):
        ScorecardItem.objects.create(
            scorecard=card,
            indicator=Indicator.objects.get(code=code),
            weight=Decimal(50),
            target=Decimal(target),
            timing="lagging",
            position=position,
        )
    return card


def test_sections_have_a_nav_and_anchors(client, values, hr_lead):
    client.force_login(hr_lead)
    html = client.get("/performance/dashboard/EAST/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="section-nav"' in html
    for anchor in SECTIONS:
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
    # the nav comes before the sections, in the order it lists them
    positions = [html.index(f'id="{anchor}"') for anchor in ["section-nav", *SECTIONS]]
    assert positions == sorted(positions)


def test_rate_axes_start_at_zero_and_quarters_read_short(client, values, hr_lead):
    client.force_login(hr_lead)
    page = client.get("/performance/dashboard/EAST/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    for chart in page.context["charts"]:
        assert chart["figure"]["layout"]["yaxis"]["rangemode"] == "tozero"
        assert chart["figure"]["layout"]["xaxis"]["automargin"] is True
    lead_chart = next(card["chart"] for card in page.context["lagging"] if card["indicator"].code == LEAD)
    figure = next(chart["figure"] for chart in page.context["charts"] if chart["id"] == lead_chart)
    assert figure["data"][0]["x"][-2:] == ["2025年Q1", "2025年Q2"]


def test_wide_tables_scroll_inside_their_card_with_the_name_as_row_header(client, values, hr_lead):
    client.force_login(hr_lead)
    html = client.get("/performance/dashboard/EAST/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for table in ("people-table", "children-table"):
        before = html[: html.index(f'id="{table}"')]
        assert before.rstrip().endswith('<table class="data data-table sortable wide-table"')
        assert before.rfind('<div class="table-scroll">') > before.rfind("</div>")
    people = html[html.index('id="people-table"') :]
    assert '<th scope="row"><span class="person-name">Person P1</span>' in people


def test_a_scorecard_target_is_shown_when_the_library_has_none(client, values, hr_lead, org_tree):
    # given a company-wide scorecard and one of the Sales BU, both setting lead conversion
    scorecard("Company reps", None, **{LEAD: "70"})
    scorecard("Sales reps", org_tree["SALES"], **{LEAD: "65"})
    client.force_login(hr_lead)
    # when
    page = client.get("/performance/dashboard/EAST/", HTTP_ACCEPT_LANGUAGE="en")
    # then the nearer unit's scorecard sets it, the card says whose target it is and holds the value to it
    overview = {row["indicator"].code: row for row in page.context["overview"]}
    assert (overview[LEAD]["target"], overview[LEAD]["target_scorecard"]) == ("65.0 %", "Sales reps")
    assert overview[LEAD]["on_target"] is True
    html = page.content.decode()
    assert "scorecard Sales reps" in html
    figure = next(c["figure"] for c in page.context["charts"] if c["id"] == page.context["lagging"][0]["chart"])
    assert figure["data"][1]["y"][0] == 65.0  # the target line


def test_the_library_target_comes_before_a_scorecard_one(client, values, hr_lead, org_tree):
    scorecard("Sales reps", org_tree["SALES"], **{LEAD: "65"})
    Indicator.objects.filter(code=LEAD).update(target=Decimal("68"))
    client.force_login(hr_lead)
    page = client.get("/performance/dashboard/EAST/", HTTP_ACCEPT_LANGUAGE="en")
    overview = {row["indicator"].code: row for row in page.context["overview"]}
    assert (overview[LEAD]["target"], overview[LEAD]["target_scorecard"], overview[LEAD]["on_target"]) == (
        "68.0 %",
        "",
        False,
    )


def test_hr_gets_a_link_to_set_a_missing_target_and_a_manager_does_not(client, values, hr_lead, org_tree):
    client.force_login(hr_lead)
    html = client.get("/performance/dashboard/EAST/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/performance/indicators/{USAGE}/#id_target">Set a target</a>' in html
    client.force_login(make_user("boss", "manager", unit=org_tree["EAST"]))
    html = client.get("/performance/dashboard/EAST/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Set a target" not in html
    assert "none set" in html


def test_the_dashboard_keeps_a_fixed_number_of_queries(
    client, values, hr_lead, org_tree, django_assert_max_num_queries
):
    scorecard("Sales reps", org_tree["SALES"], **{LEAD: "65"})
    client.force_login(hr_lead)
    with django_assert_max_num_queries(25):
        assert client.get("/performance/dashboard/EAST/").status_code == 200
