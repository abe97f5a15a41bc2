"""The rollout demo step: one program in step 3 with a pilot that works, one in step 1."""

from __future__ import annotations

import datetime as dt

import pytest

from org.demo import seed_demo
from rollout.models import Program
from rollout.results import program_dashboard
from rollout.selectors import program_with_details


@pytest.mark.django_db(transaction=True)
def test_demo_programs():
    today = dt.date(2025, 11, 20)
    seed_demo(scale="small", seed=3, today=today)
    programs = list(program_with_details(Program.objects.all()).order_by("pk"))
    assert len(programs) == 2
    pilot_program, early = (program_dashboard(p, today=today) for p in programs)
    assert pilot_program.active_step.number == 3
    assert early.active_step.number == 1
    # the nightly recompute after seeding took the baselines
    assert all(key.baseline_value is not None for key in programs[0].key_indicators.all())
    results = {item.key.indicator.code: item.did for item in pilot_program.pilots[0].indicators}
    conversion = results["lead_conversion_rate"]
    assert conversion.estimate > 0
    assert conversion.ci_low is not None
    assert conversion.ci_low > 0
    assert pilot_program.milestone_counts["overdue"] == 1
    assert programs[0].reviews.count() == 1
    assert programs[0].stories.count() == 1
    radar = pilot_program.radars[0]
    assert radar.baseline is not None
    assert radar.now is not None
