"""A program's step and milestone statuses read as progress in Chinese (issue 16: a running step said 在职)."""

from __future__ import annotations

import datetime as dt

import pytest

from rollout.choices import MilestoneStatus
from rollout.services import milestone_create
from tests.conftest import flat


@pytest.mark.django_db
def test_a_running_step_badge_and_a_milestone_read_in_chinese(client, program, co_leads):
    # given the program of the rollout tests, step 1 running, and a milestone in progress
    _biz, hr = co_leads
    milestone_create(
        program=program,
        step=1,
        title="启动会",
        title_en="Kick-off",
        due_date=dt.date(2026, 5, 1),
        status=MilestoneStatus.IN_PROGRESS,
    )
    client.force_login(hr)
    client.cookies["django_language"] = "zh-hans"
    # when
    html = flat(client.get(f"/rollout/programs/{program.pk}/").content.decode())
    # then
    assert '<span class="badge primary">进行中</span>' in html
    assert "在职" not in html
    assert "<td>启动会</td>" in html
    assert "Kick-off" not in html
