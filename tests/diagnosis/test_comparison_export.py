"""Heatmap and trend pages (bounded queries, manager scope), the XLSX export and the printable page."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from diagnosis.services import round_close, round_open
from tests.conftest import make_user

from .conftest import submit
from .test_rounds import submit_three


def closed_round(questionnaire, unit, owner, respondents, *, days_ago: int, title: str, low: bool = False):
    assessment_round = round_open(
        questionnaire=questionnaire,
        org_unit=unit,
        owner=owner,
        respondents=respondents,
        title=title,
        data_period_start=dt.date(2025, 1, 1),
        opened_at=timezone.now() - dt.timedelta(days=days_ago + 1),
    )
    value = 2 if low else 4
    for user in respondents:
        submit(assessment_round, user, t1=value, t2=6 - value, c1=value, s_lead=1, s_churn=0)
    round_close(assessment_round=assessment_round, closed_at=timezone.now() - dt.timedelta(days=days_ago))
    return assessment_round


@pytest.fixture
def rounds_in_three_teams(questionnaire, org_tree, hr_lead, respondents):
    made = []
    for days_ago, code in ((30, "T1"), (20, "T2"), (10, "T3")):
        made.append(closed_round(questionnaire, org_tree[code], hr_lead, respondents, days_ago=days_ago, title=code))
    return made


def test_heatmap_shows_latest_round_per_unit_with_bounded_queries(
    client, questionnaire, org_tree, hr_lead, respondents, rounds_in_three_teams, django_assert_max_num_queries
):
    client.force_login(hr_lead)
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("diagnosis:compare"))
    assert page.status_code == 200
    html = page.content.decode()
    for code in ("T1", "T2", "T3"):
        assert f'data-unit="{code}"' in html
    assert 'data-figure="heatmap-figure"' in html
    # more units and rounds: the same number of queries
    for days_ago in (5, 3):
        closed_round(questionnaire, org_tree["EAST"], hr_lead, respondents, days_ago=days_ago, title=f"E{days_ago}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("diagnosis:compare"))
    html = page.content.decode()
    assert 'data-unit="EAST"' in html
    assert html.count('data-unit="EAST"') == 1  # only the latest round of the unit


def test_heatmap_and_trend_keep_to_the_managers_scope(client, org_tree, east_manager, rounds_in_three_teams):
    client.force_login(east_manager)
    html = client.get(reverse("diagnosis:compare")).content.decode()
    assert 'data-unit="T1"' in html
    assert 'data-unit="T2"' in html
    assert 'data-unit="T3"' not in html
    assert client.get(reverse("diagnosis:unit-trend", args=["T1"])).status_code == 200
    assert client.get(reverse("diagnosis:unit-trend", args=["T3"])).status_code == 404
    assert client.get(reverse("diagnosis:unit-radar", args=["T3"])).status_code == 404
    member = make_user("member", "program_member")
    client.force_login(member)
    assert client.get(reverse("diagnosis:compare")).status_code == 403


def test_trend_lists_closed_rounds_in_order(
    client, questionnaire, org_tree, hr_lead, respondents, django_assert_max_num_queries
):
    closed_round(questionnaire, org_tree["T1"], hr_lead, respondents, days_ago=100, title="Spring check", low=True)
    closed_round(questionnaire, org_tree["T1"], hr_lead, respondents, days_ago=10, title="Autumn check")
    client.force_login(hr_lead)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("diagnosis:unit-trend", args=["T1"]))
    html = page.content.decode()
    table = html[html.index('id="trend-table"') :]
    assert table.index("Spring check") < table.index("Autumn check")
    assert 'data-figure="trend-figure"' in html
    # low round: t1=2, t2=4 reversed -> 25 each -> 25; high round: 75
    assert ">25.0<" in html
    assert ">75.0<" in html


def test_unit_radar_page_shows_formulas_and_no_data(client, org_tree, hr_lead, rounds_in_three_teams):
    client.force_login(hr_lead)
    html = client.get(reverse("diagnosis:unit-radar", args=["T1"])).content.decode()
    assert 'data-figure="radar-figure"' in html
    assert "Learning and development = mean of" in html
    assert 'data-axis="learning_development"' in html
    assert "no data" in html


# --- export ---------------------------------------------------------------------------


def test_xlsx_export_has_aggregates_only(client, t1_round, respondents, hr_lead):
    submit_three(t1_round, respondents)
    round_close(assessment_round=t1_round)
    client.force_login(hr_lead)
    response = client.get(reverse("diagnosis:round-export", args=[t1_round.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "Root-cause scores", "Symptoms", "Interventions"]
    scores = {row[0]: row for row in workbook["Root-cause scores"].iter_rows(min_row=2, values_only=True)}
    talent = next(row for label, row in scores.items() if label.startswith("Talent"))
    assert talent[1] == pytest.approx(55.56)
    assert talent[3] == 3
    text = " ".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    for user in respondents:
        assert user.username not in text
    # no per-item or per-person answers: no item codes or texts
    for code in ("t1 text", "t2 text", "c1 text"):
        assert code not in text


def test_export_and_print_are_refused_before_min_respondents(client, t1_round, respondents, hr_lead):
    submit(t1_round, respondents[0], t1=5, t2=2, t3="na", c1=4, s_lead=3, s_churn=0)
    client.force_login(hr_lead)
    response = client.get(reverse("diagnosis:round-export", args=[t1_round.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("diagnosis:round-results", args=[t1_round.pk])
    assert "nothing to export yet" in response.content.decode()
    assert not response["Content-Type"].startswith("application/vnd.openxmlformats")
    printed = client.get(reverse("diagnosis:round-print", args=[t1_round.pk]))
    assert printed.status_code == 302


def test_export_keeps_to_the_scope(client, t1_round, respondents):
    submit_three(t1_round, respondents)
    west = make_user("west_manager", "manager")
    from org.services import user_profile_set

    user_profile_set(user=west, org_unit=t1_round.org_unit.parent.parent.children.get(code="WEST"))
    client.force_login(west)
    assert client.get(reverse("diagnosis:round-export", args=[t1_round.pk])).status_code == 404


def test_printable_page_shows_aggregates(client, t1_round, respondents, hr_lead):
    submit_three(t1_round, respondents)
    client.force_login(hr_lead)
    html = client.get(reverse("diagnosis:round-print", args=[t1_round.pk])).content.decode()
    assert 'id="print-scores"' in html
    assert "55.6" in html
    assert "resp1" not in html
    assert 'id="radar-table"' in html
