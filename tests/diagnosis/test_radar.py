"""Capability radar: axis formulas on hand-built data, "no data" never 0, nightly snapshots, the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from diagnosis.choices import RadarAxis, RadarSeries
from diagnosis.models import RadarSnapshot
from diagnosis.radar import data_radar, data_window, radar_snapshots_compute, self_radar, unit_radar
from diagnosis.services import round_close
from diagnosis.stats import closure_speed_score, radar_axis_value, scorecard_balance, share_percent
from org.choices import PersonRole
from org.models import Person
from performance.models import (
    Customer,
    CustomerProjectTeam,
    Indicator,
    IndicatorValue,
    Opportunity,
    Scorecard,
    ScorecardItem,
)
from tests.conftest import make_user

from .test_rounds import submit_three

TODAY = dt.date(2025, 5, 15)  # window: the four quarters 2024-Q2 .. 2025-Q1


def axes(values):
    return {axis.axis: axis.value for axis in values}


# --- pure formulas ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [([None, None], None), ([50.0, None], 50.0), ([None, 0.0], 0.0), ([40.0, 80.0], 60.0), ([], None)],
)
def test_axis_is_the_mean_of_parts_with_data(parts, expected):
    assert radar_axis_value(parts) == expected


def test_part_formulas():
    assert share_percent(1, 4) == 25.0
    assert share_percent(0, 0) is None
    assert closure_speed_score(28, 14) == 50.0
    assert closure_speed_score(7, 14) == 100.0
    assert closure_speed_score(0, 14) == 100.0
    assert closure_speed_score(None, 14) is None
    # two cards: categories 2/5 and 5/5 -> 70; one of them has a leading indicator -> 50
    cards = [
        [("a", "lagging"), ("b", "lagging"), ("a", "lagging")],
        [("a", "leading"), ("b", "lagging"), ("c", "lagging"), ("d", "lagging"), ("e", "lagging")],
    ]
    assert scorecard_balance(cards) == (pytest.approx(70.0), 50.0)
    assert scorecard_balance([]) == (None, None)


def test_data_window_is_the_last_four_complete_quarters():
    assert data_window(TODAY) == (dt.date(2024, 4, 1), dt.date(2025, 1, 1))


# --- data-derived series on hand-built facts --------------------------------------------


@pytest.fixture
def t1_facts(org_tree):
    """T1: two hires of 12-24 months ago (one left after 200 days), a company scorecard,
    two key accounts (one with an active project team), actions closing in 28 days on average."""
    t1 = org_tree["T1"]
    hired = TODAY - dt.timedelta(days=400)
    Person.objects.create(external_id="H1", name="Kept", org_unit=t1, role=PersonRole.SALES_REP, hire_date=hired)
    Person.objects.create(
        external_id="H2",
        name="Left",
        org_unit=t1,
        role=PersonRole.SALES_REP,
        hire_date=hired,
        exit_date=hired + dt.timedelta(days=200),
    )
    # too recent to count, and in another team
    Person.objects.create(
        external_id="H3", name="New", org_unit=t1, role=PersonRole.SALES_REP, hire_date=TODAY - dt.timedelta(days=30)
    )
    Person.objects.create(
        external_id="H4", name="T2", org_unit=org_tree["T2"], role=PersonRole.SALES_REP, hire_date=hired
    )
    card = Scorecard.objects.create(name="Reps", role=PersonRole.SALES_REP)
    codes = [("lead_conversion_rate", "leading"), ("win_rate", "lagging"), ("nps", "lagging")]
    for position, (code, timing) in enumerate(codes):
        ScorecardItem.objects.create(
            scorecard=card,
            indicator=Indicator.objects.get(code=code),
            weight=Decimal("33.33") if position else Decimal("33.34"),
            target=Decimal("10"),
            timing=timing,
            position=position,
        )
    for number, covered in ((1, True), (2, False)):
        customer = Customer.objects.create(
            external_id=f"C{number}", name=f"C{number}", segment="enterprise", org_unit=t1
        )
        Opportunity.objects.create(
            external_id=f"O{number}",
            customer=customer,
            org_unit=t1,
            created_on=dt.date(2025, 1, 1),
            status="open",
            amount=Decimal("100"),
            is_key_account=True,
        )
        if covered:
            CustomerProjectTeam.objects.create(name="Team C1", customer=customer, org_unit=t1)
    # a non-key account does not count
    other = Customer.objects.create(external_id="C3", name="C3", segment="smb", org_unit=t1)
    Opportunity.objects.create(
        external_id="O3", customer=other, org_unit=t1, created_on=dt.date(2025, 1, 1), status="open", amount=1
    )
    closure = Indicator.objects.get(code="cross_dept_closure_days")
    for start, numerator, denominator in ((dt.date(2024, 7, 1), 20, 1), (dt.date(2025, 1, 1), 36, 1)):
        IndicatorValue.objects.create(
            indicator=closure,
            org_unit=t1,
            period="quarter",
            period_start=start,
            numerator=numerator,
            denominator=denominator,
            value=Decimal(numerator) / denominator,
            computed_at=timezone.now(),
        )
    # outside the window: ignored
    IndicatorValue.objects.create(
        indicator=closure,
        org_unit=t1,
        period="quarter",
        period_start=dt.date(2025, 4, 1),
        numerator=1,
        denominator=1,
        value=1,
        computed_at=timezone.now(),
    )
    return t1


def test_each_data_axis_on_hand_built_facts(t1_facts, org_tree):
    # when
    result = axes(data_radar([t1_facts.pk], today=TODAY)[t1_facts.pk])
    # then: talent = retention 1/2 = 50 (no match scores yet)
    assert result[RadarAxis.TALENT_SELECTION] == 50.0
    # learning: no certification data, no readiness -> no data, never 0
    assert result[RadarAxis.LEARNING_DEVELOPMENT] is None
    # performance: one card covering 2 categories of 5 (lead conversion and win rate are both
    # acquisition efficiency, NPS customer health) -> 40; it has a leading indicator -> 100; mean 70
    assert result[RadarAxis.PERFORMANCE_INDICATORS] == 70.0
    # collaboration: coverage 1/2 = 50; closure 56 days / 2 actions = 28 days vs 14 -> 50; mean 50
    assert result[RadarAxis.ORG_COLLABORATION] == 50.0


def test_parts_roll_up_to_the_subtree_and_an_empty_unit_has_no_data(t1_facts, org_tree):
    result = data_radar([org_tree["EAST"].pk, org_tree["SERVICE"].pk], today=TODAY)
    east = axes(result[org_tree["EAST"].pk])
    # East holds T1 and T2: retention 2 of 3 hires; coverage 1 of 2; closure values are T1's own (none for East)
    assert east[RadarAxis.TALENT_SELECTION] == pytest.approx(66.67)
    assert east[RadarAxis.ORG_COLLABORATION] == 50.0
    service = axes(result[org_tree["SERVICE"].pk])
    # the company-wide scorecard applies everywhere; everything else has no data
    assert service[RadarAxis.PERFORMANCE_INDICATORS] == 70.0
    assert service[RadarAxis.TALENT_SELECTION] is None
    assert service[RadarAxis.LEARNING_DEVELOPMENT] is None
    assert service[RadarAxis.ORG_COLLABORATION] is None


# --- self-assessed series ----------------------------------------------------------------


def test_self_series_comes_from_the_latest_closed_round(t1_round, respondents):
    submit_three(t1_round, respondents)
    assessment_round, values = self_radar([t1_round.org_unit_id])[t1_round.org_unit_id]
    assert assessment_round is None  # still open
    assert all(axis.value is None for axis in values)
    round_close(assessment_round=t1_round)
    assessment_round, values = self_radar([t1_round.org_unit_id])[t1_round.org_unit_id]
    assert assessment_round == t1_round
    # hand-worked in test_rounds: talent (275/3 + 12.5 + 62.5) / 3, transfer (75 + 25) / 2
    assert axes(values) == {
        RadarAxis.TALENT_SELECTION: pytest.approx(55.56),
        RadarAxis.LEARNING_DEVELOPMENT: 50.0,
        RadarAxis.PERFORMANCE_INDICATORS: None,
        RadarAxis.ORG_COLLABORATION: None,
    }


# --- nightly step ------------------------------------------------------------------------


def test_nightly_step_writes_snapshots_and_a_rerun_overwrites(t1_round, respondents, org_tree):
    from org.jobs import nightly_steps

    assert "capability_radars" in [step.name for step in nightly_steps()]
    submit_three(t1_round, respondents)
    round_close(assessment_round=t1_round)
    # when
    first = radar_snapshots_compute()
    count = RadarSnapshot.objects.count()
    first_time = RadarSnapshot.objects.get(org_unit=org_tree["T1"], series="self_assessed", axis="talent_selection")
    second = radar_snapshots_compute()
    # then: one row per unit, series and axis; the rerun adds nothing and refreshes the time
    assert first == second == {"units": len(org_tree), "rows": len(org_tree) * 8}
    assert count == RadarSnapshot.objects.count() == len(org_tree) * 8
    again = RadarSnapshot.objects.get(pk=first_time.pk)
    assert again.value == Decimal("55.56")
    assert again.assessment_round == t1_round
    assert again.computed_at >= first_time.computed_at
    # "no data" is stored as null, never 0
    assert RadarSnapshot.objects.filter(org_unit=org_tree["T3"], value__isnull=False).count() == 0
    radar = unit_radar(org_tree["T1"])
    assert radar.stored
    assert radar.self_assessed.computed_at == again.computed_at


# --- API ---------------------------------------------------------------------------------


def test_radar_api_returns_both_series_with_computation_times(read_client, t1_round, respondents):
    # before any radar is stored: computed on the fly
    live = read_client.get("/api/v1/org-units/T1/radar/")
    assert live.status_code == 200
    assert live.json()["from_snapshot"] is False
    submit_three(t1_round, respondents)
    round_close(assessment_round=t1_round)  # stores the unit's radar
    # when
    response = read_client.get("/api/v1/org-units/T1/radar/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["org_unit"] == "T1"
    assert body["from_snapshot"] is True
    stored = RadarSnapshot.objects.filter(org_unit__code="T1", series=RadarSeries.DATA_DERIVED).first()
    for key in ("self_assessed", "data_derived"):
        series = body[key]
        assert series["computed_at"]
        assert [axis["axis"] for axis in series["axes"]] == list(RadarAxis.values)
        assert all(axis["formula"] for axis in series["axes"])
    assert parse_datetime(body["data_derived"]["computed_at"]) == stored.computed_at
    self_values = {axis["axis"]: axis["value"] for axis in body["self_assessed"]["axes"]}
    assert self_values["talent_selection"] == pytest.approx(55.56)
    assert self_values["org_collaboration"] is None
    assert body["self_assessed"]["round"] == t1_round.pk
    data_axes = {axis["axis"]: axis for axis in body["data_derived"]["axes"]}
    assert data_axes["learning_development"]["value"] is None
    assert {part["code"] for part in data_axes["learning_development"]["parts"]} == {
        "certification_pass_rate",
        "readiness",
    }


def test_radar_api_scope(client, org_tree, east_manager):
    client.force_login(east_manager)
    assert client.get("/api/v1/org-units/T1/radar/").status_code == 200
    assert client.get("/api/v1/org-units/T3/radar/").status_code == 404
    assert client.get("/api/v1/org-units/NOPE/radar/").status_code == 404
    outsider = make_user("outsider", "program_member")
    client.force_login(outsider)
    assert client.get("/api/v1/org-units/T1/radar/").status_code == 403


def test_closing_a_round_refreshes_the_stored_radar(t1_round, respondents, org_tree):
    # given: the nightly radars are stored while the round is still open
    submit_three(t1_round, respondents)
    radar_snapshots_compute()
    assert unit_radar(org_tree["T1"]).self_assessed.assessment_round is None
    # when the round closes (no recompute run)
    round_close(assessment_round=t1_round)
    # then the unit's radar shows that round at once
    radar = unit_radar(org_tree["T1"])
    assert radar.stored
    assert radar.self_assessed.assessment_round == t1_round
    assert axes(radar.self_assessed.axes)[RadarAxis.TALENT_SELECTION] == pytest.approx(55.56)
