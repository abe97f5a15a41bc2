"""KPI dashboards: exact values from the engine's rows, scope, sorting, empty state, bounded queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from plotly.offline import get_plotlyjs_version

from org.choices import OrgUnitKind, PersonRole
from org.models import OrgUnit, Person
from org.services import org_unit_create
from performance.dashboards import dashboard_build, dashboard_unit, shift_period
from performance.engine import indicator_values_recompute
from performance.models import Customer, Indicator, IndicatorValue, Lead, LtvCohort, Usage
from performance.services import period_floor
from tests.conftest import make_user

D = dt.date
LEAD, USAGE = "lead_conversion_rate", "product_usage_activity"
Q1, Q2 = D(2025, 1, 1), D(2025, 4, 1)


@pytest.fixture
def facts(org_tree, people):
    """Leads and usage on the ACME tree, computed by the engine; worked out by hand:

    lead_conversion_rate  Q1: T1 1/2 = 50, T2 1/1 = 100, EAST 2/3 = 66.6667
                          Q2: T1 0/1 = 0, T3 1/1 = 100, EAST 0/1 = 0, SALES 1/2 = 50
                          2025: EAST 2/4 = 50
    product_usage_activity (leading)  Q1: T1 (0.5 + 0.7) / 2 = 60, T2 90, EAST 2.1 / 3 = 70
                          Q2: T1 80, EAST 80; 2025: EAST 2.9 / 4 = 72.5
    People in Q2: P1 lead 0, usage 80; P2 nothing; P3 lead 100.
    """
    t1, t2, t3 = org_tree["T1"], org_tree["T2"], org_tree["T3"]
    p1, p2, p3 = people["P1"], people["P2"], people["P3"]

    def lead(ext, unit, owner, created, converted=None):
        Lead.objects.create(
            external_id=ext, org_unit=unit, owner=owner, created_on=created, is_qualified=True, converted_on=converted
        )

    lead("L1", t1, p1, D(2025, 1, 5), D(2025, 1, 9))
    lead("L2", t1, p1, D(2025, 1, 6))
    lead("L3", t2, p2, D(2025, 2, 6), D(2025, 2, 10))
    lead("L4", t1, p1, D(2025, 4, 3))
    lead("L5", t3, p3, D(2025, 5, 7), D(2025, 5, 9))
    cu1 = Customer.objects.create(external_id="CU1", name="CU1", segment="smb", org_unit=t1, owner=p1)
    cu2 = Customer.objects.create(external_id="CU2", name="CU2", segment="smb", org_unit=t2, owner=p2)
    for customer, month, ratio in [
        (cu1, D(2025, 1, 1), "0.5"),
        (cu1, D(2025, 2, 1), "0.7"),
        (cu1, D(2025, 4, 1), "0.8"),
        (cu2, D(2025, 3, 1), "0.9"),
    ]:
        Usage.objects.create(customer=customer, month=month, active_ratio=Decimal(ratio))
    indicator_values_recompute()
    Indicator.objects.filter(code=LEAD).update(target=Decimal("60"))
    Indicator.objects.filter(code=USAGE).update(target=Decimal("75"))
    now = timezone.now()
    LtvCohort.objects.create(
        org_unit=org_tree["EAST"],
        cohort=D(2024, 10, 1),
        customers=2,
        ltv_total=Decimal("3000.00"),
        realized_total=Decimal("1000.00"),
        acquisition_cost=Decimal("500.00"),
        computed_at=now,
    )
    LtvCohort.objects.create(
        org_unit=org_tree["WEST"],
        cohort=D(2024, 10, 1),
        customers=1,
        ltv_total=Decimal("900.00"),
        realized_total=Decimal("900.00"),
        computed_at=now,
    )
    return org_tree, people


def build(user, code, **kwargs):
    unit = dashboard_unit(user=user, code=code)
    assert unit is not None
    return dashboard_build(user=user, unit=unit, **kwargs)


def series(dashboard, code):
    return next(item for item in dashboard.series if item.indicator.code == code)


def test_quarter_dashboard_of_a_region_has_exact_values(facts, hr_lead):
    # when
    board = build(hr_lead, "EAST", period="quarter")
    # then: the window is the eight quarters ending at the latest one with values
    assert board.latest_start == Q2
    assert board.period_starts == [shift_period(Q2, "quarter", step) for step in range(-7, 1)]
    assert board.period_starts[0] == D(2023, 7, 1)
    assert {item.indicator.code for item in board.series} == {LEAD, USAGE}
    assert [item.indicator.code for item in board.leading] == [USAGE]
    assert [item.indicator.code for item in board.lagging] == [LEAD]
    lead = series(board, LEAD)
    assert [(p.period_start, p.value) for p in lead.points] == [(Q1, Decimal("66.6667")), (Q2, Decimal("0"))]
    assert (lead.points[0].numerator, lead.points[0].denominator) == (Decimal(2), Decimal(3))
    assert (lead.latest, lead.previous, lead.on_target) == (Decimal("0"), Decimal("66.6667"), False)
    usage = series(board, USAGE)
    assert (usage.latest, usage.previous, usage.on_target) == (Decimal("80"), Decimal("70"), True)
    # child units in the latest quarter, by name
    assert [(row.subject.code, row.values) for row in board.children] == [
        ("T1", {LEAD: Decimal("0"), USAGE: Decimal("80")}),
        ("T2", {}),
    ]
    assert board.chart_indicator.code == LEAD
    # people of the subtree
    assert [(row.subject.external_id, row.values) for row in board.people.object_list] == [
        ("P1", {LEAD: Decimal("0"), USAGE: Decimal("80")}),
        ("P2", {}),
    ]
    # LTV cohorts of the unit itself only
    assert [(row.cohort, row.average_ltv, row.cac, row.ltv_to_cac) for row in board.ltv_cohorts] == [
        (D(2024, 10, 1), Decimal("1500"), Decimal("250"), Decimal("6"))
    ]
    assert board.computed_at == Indicator.objects.get(code=LEAD).last_computed_at


@pytest.mark.parametrize(
    ("period", "expected_lead", "expected_usage", "latest"),
    [
        ("month", {D(2025, 1, 1): "50", D(2025, 2, 1): "100", D(2025, 4, 1): "0"}, "80", D(2025, 4, 1)),
        ("year", {D(2025, 1, 1): "50"}, "72.5", D(2025, 1, 1)),
    ],
)
def test_month_and_year_dashboards(facts, hr_lead, period, expected_lead, expected_usage, latest):
    board = build(hr_lead, "EAST", period=period)
    assert board.latest_start == latest
    assert len(board.period_starts) == {"month": 12, "year": 5}[period]
    lead = series(board, LEAD)
    assert {p.period_start: p.value for p in lead.points} == {k: Decimal(v) for k, v in expected_lead.items()}
    assert series(board, USAGE).latest == Decimal(expected_usage)


def test_to_ends_the_window_earlier(facts, hr_lead):
    board = build(hr_lead, "EAST", period="quarter", to=D(2025, 3, 15))
    assert board.latest_start == Q1
    lead = series(board, LEAD)
    assert (lead.latest, lead.previous) == (Decimal("66.6667"), None)
    assert [(row.subject.code, row.values[LEAD]) for row in board.children] == [
        ("T1", Decimal("50")),
        ("T2", Decimal("100")),
    ]


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        ("name", "asc", ["SALES", "SERVICE"]),
        ("name", "desc", ["SERVICE", "SALES"]),
        (LEAD, "desc", ["SALES", "SERVICE"]),  # SERVICE has no value: last either way
        (LEAD, "asc", ["SALES", "SERVICE"]),
        ("no_such_column", "sideways", ["SALES", "SERVICE"]),
    ],
)
def test_child_units_sort(facts, hr_lead, sort, order, expected):
    board = build(hr_lead, "ACME", period="quarter", sort=sort, order=order)
    assert [row.subject.code for row in board.children] == expected
    values = {row.subject.code: row.values for row in board.children}
    assert values == {"SALES": {LEAD: Decimal("50"), USAGE: Decimal("80")}, "SERVICE": {}}


def test_child_units_sort_by_value(facts, hr_lead):
    # given: in Q1 T1 converts 50 % and T2 100 %
    down = build(hr_lead, "EAST", period="quarter", to=Q1, sort=LEAD, order="desc")
    up = build(hr_lead, "EAST", period="quarter", to=Q1, sort=LEAD, order="asc")
    assert [row.subject.code for row in down.children] == ["T2", "T1"]
    assert [row.subject.code for row in up.children] == ["T1", "T2"]
    assert down.chart_indicator.code == LEAD


def test_people_sort_by_value_in_sql(facts, hr_lead):
    board = build(hr_lead, "SALES", period="quarter", people_sort=LEAD, people_order="desc")
    assert [row.subject.external_id for row in board.people.object_list] == ["P3", "P1", "P2"]
    board = build(hr_lead, "SALES", period="quarter", people_sort=LEAD, people_order="asc")
    assert [row.subject.external_id for row in board.people.object_list] == ["P1", "P3", "P2"]


def test_people_are_paginated(facts, hr_lead):
    first = build(hr_lead, "SALES", period="quarter", people_page=1, people_page_size=2)
    second = build(hr_lead, "SALES", period="quarter", people_page=2, people_page_size=2)
    assert first.people.paginator.count == 3
    assert [row.subject.external_id for row in first.people.object_list] == ["P1", "P2"]
    assert [row.subject.external_id for row in second.people.object_list] == ["P3"]
    assert second.people.object_list[0].values == {LEAD: Decimal("100")}


# --- scope ------------------------------------------------------------------------------------------


def test_manager_defaults_to_their_unit_and_gets_404_outside(client, facts, east_manager):
    client.force_login(east_manager)
    page = client.get("/performance/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.context["unit"].code == "EAST"
    assert [unit.code for unit in page.context["dashboard"].ancestors] == ["EAST"]
    assert client.get("/performance/dashboard/T1/").status_code == 200
    for code in ("WEST", "ACME", "SALES", "T3", "NOPE"):
        assert client.get(f"/performance/dashboard/{code}/").status_code == 404


def test_manager_breadcrumbs_stop_at_their_scope(facts, east_manager):
    board = build(east_manager, "T1", period="quarter")
    assert [unit.code for unit in board.ancestors] == ["EAST", "T1"]


def test_hr_lead_defaults_to_the_company(client, facts, hr_lead):
    client.force_login(hr_lead)
    page = client.get("/performance/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["unit"].code == "ACME"
    assert [row["subject"].code for row in page.context["child_rows"]] == ["SALES", "SERVICE"]


def test_login_without_scope_sees_an_explanation(client, org_tree):
    user = make_user("nobody")
    client.force_login(user)
    page = client.get("/performance/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b'id="dashboard-no-scope"' in page.content
    assert client.get("/performance/dashboard/ACME/").status_code == 404


def test_anonymous_is_sent_to_login(client, org_tree):
    page = client.get("/performance/dashboard/ACME/")
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]


# --- the page ------------------------------------------------------------------------------------------


def test_page_shows_values_targets_charts_and_computed_at(client, facts, hr_lead):
    client.force_login(hr_lead)
    page = client.get("/performance/dashboard/EAST/?period=quarter", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Computed at" in html
    assert "Latest period: 2025 Q2" in html
    lead = next(card for card in page.context["lagging"] if card["indicator"].code == LEAD)
    assert (lead["latest"], lead["previous"], lead["target"], lead["on_target"]) == ("0.0 %", "66.7 %", "60.0 %", False)
    usage = next(card for card in page.context["leading"] if card["indicator"].code == USAGE)
    assert (usage["latest"], usage["previous"], usage["on_target"]) == ("80.0 %", "70.0 %", True)
    # one figure per indicator, one for the child units, one for LTV; each has its container
    charts = page.context["charts"]
    assert len(charts) == 4
    for chart in charts:
        assert f'data-figure="{chart["id"]}"' in html
        assert f'id="{chart["id"]}"' in html  # the json_script element
    lead_figure = next(c["figure"] for c in charts if c["id"] == lead["chart"])
    assert lead_figure["data"][0]["y"][-2:] == [pytest.approx(66.6667), 0.0]
    assert lead_figure["data"][1]["y"] == [60.0] * 8  # the target line
    assert lead_figure["data"][0]["x"][-1] == "2025Q2"  # short enough for eight under a half-width chart
    assert lead_figure["layout"]["yaxis"]["rangemode"] == "tozero"
    assert [row["cells"] for row in page.context["child_rows"]] == [["0.0 %", "80.0 %"], ["–", "–"]]
    assert page.context["ltv_rows"] == [
        {
            "cohort": "2024 Q4",
            "customers": 2,
            "average_ltv": "¥1,500",
            "average_realized": "¥500",
            "cac": "¥250",
            "ltv_to_cac": "6.0",
        }
    ]
    assert "/performance/vendor/plotly.min.js?v=" in html
    assert "cdn" not in html.lower()


def test_sort_links_flip_the_order(client, facts, hr_lead):
    client.force_login(hr_lead)
    page = client.get(f"/performance/dashboard/EAST/?period=month&sort={LEAD}&order=desc", HTTP_ACCEPT_LANGUAGE="en")
    columns = {column["code"]: column for column in page.context["child_columns"]}
    assert columns[LEAD]["active"]
    assert columns[LEAD]["order"] == "desc"
    assert columns[LEAD]["url"] == f"?order=asc&period=month&sort={LEAD}"
    assert columns["name"]["url"] == "?order=asc&period=month&sort=name"
    assert columns[USAGE]["url"] == f"?order=desc&period=month&sort={USAGE}"


def test_invalid_period_falls_back_to_quarter(client, facts, hr_lead):
    client.force_login(hr_lead)
    page = client.get("/performance/dashboard/EAST/?period=decade&to=garbage")
    assert page.status_code == 200
    assert page.context["dashboard"].period == "quarter"


def test_empty_state_before_any_recompute(client, org_tree, people, hr_lead):
    client.force_login(hr_lead)
    page = client.get("/performance/dashboard/ACME/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="dashboard-empty"' in html
    assert "Run the recompute" in html
    assert page.context["charts"] == []
    assert "plotly.min.js" not in html


def test_page_never_reads_facts(client, facts, hr_lead):
    """Dashboards read precomputed rows only: no query touches a fact table."""
    client.force_login(hr_lead)
    with CaptureQueriesContext(connection) as queries:
        client.get("/performance/dashboard/EAST/?period=month")
    facts_tables = ("performance_lead", "performance_usage", 'performance_customer"', "performance_contract")
    for query in queries.captured_queries:
        assert not any(table in query["sql"] for table in facts_tables), query["sql"]


# --- plotly.js ------------------------------------------------------------------------------------------


def test_plotly_js_is_the_partial_bundle_of_the_package_version(client):
    answer = client.get("/performance/vendor/plotly.min.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    # the figures are built by the Python package for one plotly.js version: the bundle must be that version
    assert answer.content.startswith(f"/**\n* plotly.js v{get_plotlyjs_version()} (partial bundle".encode())
    assert len(answer.content) < 1_500_000  # the full bundle is 4.8 MB
    assert "immutable" in answer["Cache-Control"]
    again = client.get("/performance/vendor/plotly.min.js", HTTP_IF_NONE_MATCH=answer["ETag"])
    assert again.status_code == 304
    packed = client.get("/performance/vendor/plotly.min.js", HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(answer.content) / 2


# --- query count ------------------------------------------------------------------------------------------


def _grow(parent, n: int, indicator_ids: list[int]) -> None:
    """Give ``parent`` n child teams with two people each, and quarter values for all of them."""
    now = timezone.now()
    rows = []
    for index in range(n):
        team = org_unit_create(
            code=f"{parent.code}-X{index}", name=f"Extra {index}", kind=OrgUnitKind.TEAM, parent=parent
        )
        for person_index in range(2):
            person = Person.objects.create(
                external_id=f"{team.code}-P{person_index}",
                name=f"Extra person {index}-{person_index}",
                org_unit=team,
                role=PersonRole.SALES_REP,
                hire_date=D(2024, 1, 1),
            )
            rows += [
                IndicatorValue(
                    indicator_id=pk,
                    person=person,
                    period="quarter",
                    period_start=Q2,
                    numerator=Decimal(index),
                    denominator=Decimal(1),
                    value=Decimal(index),
                    computed_at=now,
                )
                for pk in indicator_ids
            ]
        rows += [
            IndicatorValue(
                indicator_id=pk,
                org_unit=team,
                period="quarter",
                period_start=start,
                numerator=Decimal(index),
                denominator=Decimal(1),
                value=Decimal(index),
                computed_at=now,
            )
            for pk in indicator_ids
            for start in (Q1, Q2)
        ]
    IndicatorValue.objects.bulk_create(rows)


def _page_queries(client, url) -> int:
    """Queries of building the page (the read cache emptied first)."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("sort", ["", f"&sort={LEAD}&people_sort={USAGE}&people_order=desc"])
def test_query_count_does_not_grow_with_children_and_people(
    client, facts, east_manager, django_assert_max_num_queries, sort
):
    # given: a manager on EAST, whose two teams have values
    client.force_login(east_manager)
    url = f"/performance/dashboard/EAST/?period=quarter{sort}"
    ids = list(Indicator.objects.filter(code__in=[LEAD, USAGE]).values_list("pk", flat=True))
    few = _page_queries(client, url)
    # when: EAST gets 40 more teams and 80 more people
    _grow(facts[0]["EAST"], 40, ids)
    with django_assert_max_num_queries(20):
        client.get(url)
    # then: the same number of queries as with two teams
    many = _page_queries(client, url)
    assert many == few
    board = build(east_manager, "EAST", period="quarter")
    assert len(board.children) == 42
    assert board.people.paginator.count == 82
    assert len(board.people.object_list) == 50


def test_api_query_count_does_not_grow(facts, token_client, django_assert_max_num_queries):
    client = token_client("read")
    _api_queries(client)  # the first call also stamps the token's last use
    few = _api_queries(client)
    ids = list(Indicator.objects.filter(code__in=[LEAD, USAGE]).values_list("pk", flat=True))
    _grow(facts[0]["EAST"], 30, ids)
    with django_assert_max_num_queries(20):
        client.get("/api/v1/dashboards/EAST/")
    assert _api_queries(client) == few


def _api_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/dashboards/EAST/?period=quarter").status_code == 200
    return len(queries)


def test_periods_after_today_are_not_shown(facts, hr_lead):
    # given a value already stored for a quarter that has not begun (e.g. contracts due to renew then)
    future = shift_period(period_floor(timezone.localdate(), "quarter"), "quarter", 2)
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=LEAD),
        org_unit=OrgUnit.objects.get(code="EAST"),
        period="quarter",
        period_start=future,
        value=None,
        numerator=Decimal("0"),
        denominator=Decimal("0"),
        computed_at=timezone.now(),
    )
    # then the dashboard still ends at the latest quarter up to today
    assert build(hr_lead, "EAST", period="quarter").latest_start == Q2
