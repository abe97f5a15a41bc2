"""Milestones: overdue once the due date has passed, on the day boundaries; the reminder e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from rollout.choices import MilestoneStatus
from rollout.jobs import milestone_reminders_send
from rollout.models import Milestone
from rollout.services import milestone_create, milestone_update

DUE = dt.date(2026, 5, 31)


@pytest.mark.parametrize(
    ("today", "status", "overdue", "due_soon"),
    [
        (dt.date(2026, 5, 30), MilestoneStatus.PLANNED, False, True),
        (dt.date(2026, 5, 31), MilestoneStatus.PLANNED, False, True),  # due today: not yet late
        (dt.date(2026, 6, 1), MilestoneStatus.PLANNED, True, False),
        (dt.date(2026, 6, 1), MilestoneStatus.IN_PROGRESS, True, False),
        (dt.date(2026, 6, 1), MilestoneStatus.DONE, False, False),
        (dt.date(2026, 6, 1), MilestoneStatus.CANCELLED, False, False),
        (dt.date(2026, 5, 24), MilestoneStatus.PLANNED, False, True),  # exactly 7 days ahead
        (dt.date(2026, 5, 23), MilestoneStatus.PLANNED, False, False),
    ],
)
def test_overdue_and_due_soon_on_day_boundaries(today, status, overdue, due_soon):
    milestone = Milestone(step=1, title="x", due_date=DUE, status=status)
    assert milestone.is_overdue(today) is overdue
    assert milestone.is_due_soon(today) is due_soon


def test_done_records_completion_and_reopen_clears_it(program, co_leads):
    milestone = milestone_create(program=program, step=1, title="Kick-off", due_date=DUE, owner=co_leads[1])
    milestone_update(milestone=milestone, status=MilestoneStatus.DONE)
    assert milestone.completed_on is not None
    milestone_update(milestone=milestone, status=MilestoneStatus.IN_PROGRESS)
    assert milestone.completed_on is None


def test_reminder_mails_each_owner_once_a_day(program, co_leads):
    sponsor, hr = co_leads
    hr.email, sponsor.email = "hr@example.com", "biz@example.com"
    hr.save()
    sponsor.save()
    today = dt.date(2026, 5, 28)
    milestone_create(program=program, step=1, title="Late one", due_date=dt.date(2026, 5, 20), owner=hr)
    milestone_create(program=program, step=1, title="Soon one", due_date=dt.date(2026, 6, 2), owner=hr)
    milestone_create(program=program, step=1, title="Far one", due_date=dt.date(2026, 7, 30), owner=sponsor)
    milestone_create(program=program, step=1, title="Done", due_date=dt.date(2026, 5, 1), owner=sponsor, status="done")
    outcome = milestone_reminders_send(today=today)
    assert outcome == {"emails": 1, "milestones": 2}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hr@example.com"]
    assert "Late one" in mail.outbox[0].body
    assert "Soon one" in mail.outbox[0].body
    assert milestone_reminders_send(today=today) == {"emails": 0, "milestones": 0}
