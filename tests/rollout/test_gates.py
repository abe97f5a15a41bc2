"""Gates: every exit criterion checked and both co-leads signed; steps start in order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from rollout.choices import StepStatus
from rollout.models import ChecklistItem, ProgramStep
from rollout.services import checklist_item_add, checklist_item_set_done, gate_sign, step_start
from tests.conftest import make_user


def _step(program, number):
    return ProgramStep.objects.get(program=program, number=number)


def _check_all(step, user):
    for item in ChecklistItem.objects.filter(step=step):
        checklist_item_set_done(item=item, done=True, user=user)


def test_program_starts_in_step_one_with_builtin_bilingual_checklists(program):
    steps = list(program.steps.order_by("number"))
    assert [s.status for s in steps] == ["active"] + ["pending"] * 4
    first = steps[0].checklist.order_by("position")
    assert first.count() == 6
    assert all(item.text_zh and item.text_en and item.is_exit_criterion for item in first)
    assert first[0].text.startswith("Form the joint project team")


def test_gate_refuses_an_unchecked_exit_criterion(program, co_leads):
    sponsor, hr = co_leads
    step = _step(program, 1)
    _check_all(step, hr)
    last = step.checklist.order_by("-position").first()
    checklist_item_set_done(item=last, done=False, user=hr)
    with pytest.raises(ValidationError, match="exit criterion"):
        gate_sign(step=step, user=sponsor)
    assert _step(program, 1).business_signed_at is None


def test_gate_needs_both_signatures(program, co_leads):
    sponsor, hr = co_leads
    step = _step(program, 1)
    _check_all(step, hr)
    gate_sign(step=step, user=sponsor)
    step.refresh_from_db()
    assert step.status == StepStatus.ACTIVE
    assert step.business_signed_by == sponsor
    assert step.hr_signed_at is None
    assert _step(program, 2).status == StepStatus.PENDING
    gate_sign(step=step, user=hr)
    step.refresh_from_db()
    assert step.status == StepStatus.CLOSED
    assert step.closed_on is not None
    assert step.hr_signed_by == hr
    second = _step(program, 2)
    assert second.status == StepStatus.ACTIVE
    assert second.started_on is not None


def test_only_co_leads_sign(program, co_leads, org_tree):
    _sponsor, hr = co_leads
    step = _step(program, 1)
    _check_all(step, hr)
    outsider = make_user("other", "program_member", unit=org_tree["EAST"])
    with pytest.raises(ValidationError, match="co-leads"):
        gate_sign(step=step, user=outsider)


def test_unchecking_withdraws_the_signatures(program, co_leads):
    sponsor, hr = co_leads
    step = _step(program, 1)
    _check_all(step, hr)
    gate_sign(step=step, user=sponsor)
    checklist_item_set_done(item=step.checklist.first(), done=False, user=hr)
    step.refresh_from_db()
    assert step.business_signed_at is None


def test_a_non_criterion_line_does_not_block(program, co_leads):
    sponsor, hr = co_leads
    step = _step(program, 1)
    _check_all(step, hr)
    checklist_item_add(step=step, text_en="Nice to have", is_exit_criterion=False)
    gate_sign(step=step, user=sponsor)
    gate_sign(step=step, user=hr)
    assert _step(program, 1).status == StepStatus.CLOSED


def test_next_step_cannot_start_before_the_gate(program, co_leads):
    _sponsor, hr = co_leads
    with pytest.raises(ValidationError, match="after the gate"):
        step_start(step=_step(program, 2))
    with pytest.raises(ValidationError):
        step_start(step=_step(program, 3))
    # a later step's checklist cannot be ticked, nor its gate signed
    item = _step(program, 2).checklist.first()
    with pytest.raises(ValidationError, match="active step"):
        checklist_item_set_done(item=item, done=True, user=hr)
    with pytest.raises(ValidationError, match="active step"):
        gate_sign(step=_step(program, 2), user=hr)


def test_a_gate_cannot_pass_before_its_step_starts(org_tree, indicators, co_leads):
    # given a program that starts next week, its first checklist done
    from decimal import Decimal

    from django.utils import timezone

    from org.ui.dates import day_text
    from rollout.services import KeyIndicatorInput, gate_blockers, program_create

    sponsor, hr = co_leads
    start = timezone.localdate() + dt.timedelta(days=7)
    program = program_create(
        name="Later",
        sponsor=sponsor,
        hr_co_lead=hr,
        org_units=[org_tree["EAST"]],
        focus_dimensions=["enablement"],
        key_indicators=[KeyIndicatorInput(i, "lagging", Decimal("40")) for i in indicators.values()],
        start_date=start,
        created_by=hr,
    )
    step = _step(program, 1)
    _check_all(step, hr)
    # when a co-lead signs today, then
    with pytest.raises(ValidationError) as refused:
        gate_sign(step=step, user=sponsor)
    day = day_text(start)
    assert refused.value.messages == [f"This step starts on {day}; its gate can be signed from that day on."]
    assert f"The step starts on {day}." in gate_blockers(_step(program, 1))
    assert _step(program, 1).business_signed_at is None
    assert _step(program, 2).status == StepStatus.PENDING


def test_a_step_does_not_start_before_the_step_before_it_closed(program, co_leads):
    sponsor, hr = co_leads
    step = _step(program, 1)
    _check_all(step, hr)
    gate_sign(step=step, user=sponsor)
    gate_sign(step=step, user=hr)
    closed_on = _step(program, 1).closed_on
    second = _step(program, 2)
    assert second.started_on == closed_on
    ProgramStep.objects.filter(pk=second.pk).update(status=StepStatus.PENDING, started_on=None)
    with pytest.raises(ValidationError, match="This step cannot start before"):
        step_start(step=second, on=closed_on - dt.timedelta(days=1))
