"""Scorecards: validation, the result-scoreboard warnings, attainment with the computation shown."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from performance.models import Indicator, IndicatorValue
from performance.scorecards import ItemSpec, scorecard_attainment, scorecard_save
from tests.conftest import flat
from tests.page_text import visible_text

Q1 = dt.date(2025, 1, 1)


def ind(code):
    return Indicator.objects.get(code=code)


def spec(code, weight, target, timing=None):
    return ItemSpec(indicator=ind(code), weight=Decimal(weight), target=Decimal(target), timing=timing)


def put(code, value, *, unit=None, person=None):
    IndicatorValue.objects.create(
        indicator=ind(code),
        org_unit=unit,
        person=person,
        period="quarter",
        period_start=Q1,
        numerator=Decimal(value),
        denominator=Decimal(1),
        value=Decimal(value),
        computed_at=timezone.now(),
    )


@pytest.fixture
def card(db):
    scorecard, warnings = scorecard_save(
        name="Sales rep card",
        role="sales_rep",
        period="quarter",
        items=[spec("win_rate", "40", "40"), spec("sales_cycle_days", "30", "30"), spec("nps", "30", "50")],
    )
    return scorecard, warnings


def test_only_lagging_results_warns(card):
    _scorecard, warnings = card
    assert len(warnings) == 1
    assert "only lagging results" in warnings[0]


def test_single_category_warns(db):
    _card, warnings = scorecard_save(
        name="Acquisition only",
        role="sales_rep",
        period="quarter",
        items=[
            spec("win_rate", "40", "40", timing="leading"),
            spec("sales_cycle_days", "30", "30"),
            spec("lead_conversion_rate", "30", "30"),
        ],
    )
    assert any("only one indicator category" in text for text in warnings)
    assert not any("only lagging" in text for text in warnings)


def test_balanced_card_has_no_warning(db):
    _card, warnings = scorecard_save(
        name="Balanced",
        role="sales_rep",
        period="quarter",
        items=[spec("win_rate", "40", "40"), spec("product_usage_activity", "30", "60"), spec("nps", "30", "40")],
    )
    assert warnings == []


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([("win_rate", "50", "40"), ("nps", "50", "40")], "3 to 5 key indicators"),
        ([("win_rate", "40", "40"), ("nps", "30", "40"), ("upsell_share", "20", "10")], "add up to 100"),
        ([("win_rate", "40", "40"), ("win_rate", "30", "40"), ("nps", "30", "10")], "repeated: win_rate"),
        ([("win_rate", "40", "0"), ("nps", "30", "40"), ("upsell_share", "30", "10")], "target must be above 0"),
    ],
)
def test_invalid_cards_are_refused(db, items, message):
    with pytest.raises(ValidationError) as info:
        scorecard_save(name="x", role="sales_rep", period="quarter", items=[spec(*item) for item in items])
    assert any(message in text for text in info.value.message_dict["items"])


def test_attainment_per_person_and_team(card, org_tree, people):
    scorecard, _warnings = card
    p1, p2 = people["P1"], people["P2"]
    put("win_rate", "50", person=p1)  # 50 / 40 = 1.25
    put("sales_cycle_days", "60", person=p1)  # lower is better: 30 / 60 = 0.5
    put("nps", "100", person=p1)  # 100 / 50 = 2, capped at 1.5
    put("win_rate", "20", person=p2)  # 0.5
    put("sales_cycle_days", "15", person=p2)  # 2, capped at 1.5; no NPS for P2
    put("win_rate", "40", unit=org_tree["EAST"])
    put("sales_cycle_days", "30", unit=org_tree["EAST"])
    put("nps", "25", unit=org_tree["EAST"])

    team, rows = scorecard_attainment(scorecard=scorecard, org_unit=org_tree["EAST"], period_start=Q1)

    assert team.score == Decimal("85.00")  # 1 × 40 + 1 × 30 + 0.5 × 30
    by_person = {person.external_id: result for person, result in rows}
    assert set(by_person) == {"P1", "P2"}  # P3 is in WEST, P4 in SERVICE
    first = by_person["P1"]
    assert first.score == Decimal("110.00")  # 50 + 15 + 45
    assert [item.contribution for item in first.items] == [Decimal("50.00"), Decimal("15.00"), Decimal("45.00")]
    assert [item.ratio for item in first.items] == [Decimal("1.25"), Decimal("0.5"), Decimal("1.5")]
    second = by_person["P2"]
    # NPS has no value: the other weights (40 + 30) are renormalized to 100
    assert second.coverage == Decimal("70.00")
    assert second.items[2].actual is None
    assert second.score == Decimal("92.86")  # 0.5 × 40/70 + 1.5 × 30/70


def test_attainment_reads_values_in_two_queries(card, org_tree, people, django_assert_num_queries):
    scorecard, _warnings = card
    with django_assert_num_queries(4):  # items, unit values, people, people's values
        scorecard_attainment(scorecard=scorecard, org_unit=org_tree["ACME"], period_start=Q1)


def test_hr_lead_creates_a_card_in_the_browser_and_sees_the_warning(hr_lead, client):
    client.force_login(hr_lead)
    data = {
        "name": "Reps",
        "role": "sales_rep",
        "org_unit": "",
        "period": "quarter",
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
    }
    for index, (code, weight, target) in enumerate(
        [("win_rate", 40, 40), ("sales_cycle_days", 30, 30), ("nps", 30, 50)]
    ):
        data.update(
            {f"items-{index}-indicator": ind(code).pk, f"items-{index}-weight": weight, f"items-{index}-target": target}
        )
    answer = client.post("/performance/scorecards/new/", data, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    text = answer.content.decode()
    assert "Scorecard saved." in text
    assert "only lagging results" in text


def test_weights_not_adding_up_are_shown(hr_lead, client):
    client.force_login(hr_lead)
    data = {
        "name": "Reps",
        "role": "sales_rep",
        "org_unit": "",
        "period": "quarter",
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
    }
    for index, code in enumerate(["win_rate", "nps", "upsell_share"]):
        data.update(
            {f"items-{index}-indicator": ind(code).pk, f"items-{index}-weight": 30, f"items-{index}-target": 10}
        )
    answer = client.post("/performance/scorecards/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    assert "Weights must add up to 100; they add up to 90." in answer.content.decode()


@pytest.mark.chinese
@pytest.mark.parametrize(
    ("language", "win_cell", "nps_cell", "score", "legend"),
    [
        (
            "en",
            "actual 50.0 % attainment 125.0 % points 71.4",
            "actual 25.0 attainment 50.0 % points 21.4",
            "92.9 % 70.0 %",
            "met: attainment 100 % or more near: 80 % to under 100 % below: under 80 %",
        ),
        (
            "zh-hans",
            "实际 50.0 % 达成率 125.0 % 得分 71.4",
            "实际 25.0 达成率 50.0 % 得分 21.4",
            "92.9 % 70.0 %",
            "达标：达成率不低于 100 % 接近：80 % 至 100 % 以下 未达标：低于 80 %",
        ),
    ],
)
def test_attainment_cells_are_labelled_and_coloured(
    card, people, client, hr_lead, language, win_cell, nps_cell, score, legend
):
    # given P1 with a win rate of 50 against 40 (weight 40) and an NPS of 25 against 50 (weight 30), no cycle
    scorecard, _warnings = card
    put("win_rate", "50", person=people["P1"])
    put("nps", "25", person=people["P1"])
    client.force_login(hr_lead)
    # when the card is shown for East
    page = client.get(
        f"/performance/scorecards/{scorecard.pk}/",
        {"unit": "EAST", "period_start": "2025-01"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    html = flat(page.content.decode())
    # then each cell names its parts: 1.25 x 40/70 = 71.4 points, 0.5 x 30/70 = 21.4; 92.9 % over 70 % of the weight
    row = visible_text(html[html.index("Person P1") :].split("</tr>")[0])
    assert f" {win_cell} " in row
    assert row.index(win_cell) < row.index(nps_cell)
    assert row.endswith(score)
    # coloured by band: met (win rate), below (NPS), near (the card, 92.9 %)
    cells = re.findall(r'<td class="num att( att-\w+)?">', html[html.index("Person P1") :].split("</tr>")[0])
    assert cells == [" att-met", "", " att-below", " att-near"]
    assert legend in visible_text(html)


def test_manager_cannot_see_another_subtrees_card(east_manager, org_tree, client):
    west_card, _warnings = scorecard_save(
        name="West only",
        role="sales_rep",
        period="quarter",
        org_unit=org_tree["WEST"],
        items=[spec("win_rate", "40", "40"), spec("nps", "30", "40"), spec("upsell_share", "30", "10")],
    )
    client.force_login(east_manager)
    assert client.get(f"/performance/scorecards/{west_card.pk}/").status_code == 404
    assert "West only" not in client.get("/performance/scorecards/").content.decode()


def test_manager_cannot_open_another_subtree(card, east_manager, client):
    scorecard, _warnings = card
    client.force_login(east_manager)
    assert client.get(f"/performance/scorecards/{scorecard.pk}/", {"unit": "WEST"}).status_code == 404
    # a company-wide card concerns the manager's own subtree
    assert client.get(f"/performance/scorecards/{scorecard.pk}/", {"unit": "EAST"}).status_code == 200
    assert client.get("/performance/scorecards/new/").status_code == 403
