"""Closing a self-check round moves the program radars it feeds at once, not at the next recompute."""

from __future__ import annotations

import pytest
from django.utils import timezone

from diagnosis.radar import radar_snapshots_compute
from diagnosis.services import round_close, round_open
from rollout.models import ProgramRadarSnapshot, RadarKind
from tests.diagnosis.conftest import questionnaire, respondents  # noqa: F401  (fixtures)
from tests.diagnosis.test_rounds import submit_three

from .test_radar import _close_step_one


@pytest.fixture
def east_round(questionnaire, org_tree, co_leads, respondents):  # noqa: F811
    """A self-check of East (the program's unit) answered by three T1 people, still open."""
    _sponsor, hr = co_leads
    assessment_round = round_open(
        questionnaire=questionnaire,
        org_unit=org_tree["EAST"],
        owner=hr,
        respondents=respondents,
        title="East check",
        data_period_start=timezone.localdate().replace(month=1, day=1),
        opened_at=timezone.now(),
    )
    submit_three(assessment_round, respondents)
    return assessment_round


def test_a_round_closed_in_step_one_is_the_programs_baseline(program, co_leads, east_round):
    sponsor, hr = co_leads
    radar_snapshots_compute()  # the stored radars predate the round's close
    round_close(assessment_round=east_round)
    _close_step_one(program, sponsor, hr)
    baseline = ProgramRadarSnapshot.objects.get(program=program, kind=RadarKind.BASELINE)
    # (275/3 + 12.5 + 62.5) / 3, worked by hand in tests/diagnosis/test_rounds.py
    assert baseline.self_assessed["talent_selection"] == pytest.approx(55.56)


def test_a_round_closed_later_moves_todays_program_snapshot(program, co_leads, east_round):
    sponsor, hr = co_leads
    radar_snapshots_compute()
    _close_step_one(program, sponsor, hr)
    round_close(assessment_round=east_round)
    now = ProgramRadarSnapshot.objects.get(program=program, kind=RadarKind.NIGHTLY, taken_on=timezone.localdate())
    assert now.self_assessed["talent_selection"] == pytest.approx(55.56)
    baseline = ProgramRadarSnapshot.objects.get(program=program, kind=RadarKind.BASELINE)
    assert baseline.self_assessed["talent_selection"] is None  # the baseline is what step 1 closed on
