"""Radar snapshots: the baseline when step 1 closes, then one a night; the dashboard shows baseline vs. now."""

from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient

from rollout.jobs import program_radar_snapshots
from rollout.models import ChecklistItem, ProgramRadarSnapshot, RadarKind
from rollout.services import checklist_item_set_done, gate_sign


def _close_step_one(program, sponsor, hr):
    step = program.steps.get(number=1)
    for item in ChecklistItem.objects.filter(step=step):
        checklist_item_set_done(item=item, done=True, user=hr)
    gate_sign(step=step, user=sponsor)
    gate_sign(step=step, user=hr)


def test_baseline_when_step_one_closes_then_nightly(program, co_leads, org_tree):
    sponsor, hr = co_leads
    assert program_radar_snapshots(today=dt.date(2026, 5, 1)) == {"snapshots": 1}
    assert not ProgramRadarSnapshot.objects.filter(kind=RadarKind.BASELINE).exists()

    _close_step_one(program, sponsor, hr)
    baseline = ProgramRadarSnapshot.objects.get(program=program, kind=RadarKind.BASELINE)
    assert baseline.org_unit == org_tree["EAST"]
    assert set(baseline.data_derived) == {
        "talent_selection",
        "learning_development",
        "performance_indicators",
        "org_collaboration",
    }

    # a rerun the same night overwrites instead of adding; the baseline stays single
    program_radar_snapshots(today=dt.date(2026, 5, 2))
    program_radar_snapshots(today=dt.date(2026, 5, 2))
    assert ProgramRadarSnapshot.objects.filter(program=program, kind=RadarKind.NIGHTLY).count() == 2
    assert ProgramRadarSnapshot.objects.filter(program=program, kind=RadarKind.BASELINE).count() == 1

    api = APIClient()
    api.force_authenticate(hr)
    radar = api.get(f"/api/v1/rollout/programs/{program.pk}/").json()["radars"][0]
    assert radar["org_unit"] == "EAST"
    assert radar["now_taken_on"] == "2026-05-02"
    assert radar["baseline_taken_on"] is not None
