"""Demo step: two change programs, one in step 3 with a pilot that works, one still in step 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from org.choices import OrgUnitKind
from org.demo import DemoContext, demo_step
from org.models import OrgUnit
from performance.dashboards import shift_period
from performance.models import Indicator, Lead

from .choices import InitiativeKind, MilestoneStatus, StepStatus, TeamRole
from .models import ChecklistItem, ProgramRadarSnapshot, ProgramStep
from .pilots import InitiativeInput, linkable_objects, pilot_create
from .services import (
    ActionInput,
    KeyIndicatorInput,
    checklist_item_set_done,
    gate_sign,
    member_add,
    milestone_create,
    program_create,
    review_record,
    story_record,
)

PILOT_MONTHS = 4
# Extra qualified leads a pilot team converts each month once the pilot runs: the pilot "works".
EXTRA_CONVERTED_LEADS = 15


def _demo_initiatives(pilot_team: OrgUnit) -> list[InitiativeInput]:
    """Link what the other demo steps built: the sales reps' success profile, a scorecard, a project team and
    the needs-discovery workshop."""
    found = [
        (InitiativeKind.SUCCESS_PROFILE, linkable_objects(InitiativeKind.SUCCESS_PROFILE).filter(role="sales_rep")),
        (InitiativeKind.SCORECARD, linkable_objects(InitiativeKind.SCORECARD).filter(role="sales_rep").order_by("pk")),
        (InitiativeKind.PROJECT_TEAM, linkable_objects(InitiativeKind.PROJECT_TEAM).filter(org_unit=pilot_team)),
        (
            InitiativeKind.LEARNING_ACTIVITY,
            linkable_objects(InitiativeKind.LEARNING_ACTIVITY).filter(code="needs-discovery-workshop"),
        ),
    ]
    items = []
    for kind, rows in found:
        target_id = rows.values_list("pk", flat=True).first()
        if target_id is not None:
            items.append(InitiativeInput(kind=kind, target_id=target_id))
    items.append(InitiativeInput(kind=InitiativeKind.OTHER, label="情景化演练脚本"))
    return items


def _close_step(step: ProgramStep, sponsor, hr) -> None:
    for item in ChecklistItem.objects.filter(step=step):
        checklist_item_set_done(item=item, done=True, user=hr)
    gate_sign(step=step, user=sponsor)
    gate_sign(step=step, user=hr)


def _pilot_leads(ctx: DemoContext, team: OrgUnit, first_month: dt.date) -> int:
    """Converted qualified leads added to the pilot team after the start (before the nightly recompute)."""
    rng = ctx.rng
    rows = []
    month = first_month
    serial = 0
    while month <= ctx.today.replace(day=1):
        for _index in range(EXTRA_CONVERTED_LEADS):
            serial += 1
            # Facts stay in the past (the demo's facts end the day before "today").
            last_day = ctx.today - dt.timedelta(days=1)
            created = min(month + dt.timedelta(days=int(rng.integers(0, 20))), last_day)
            if created < month:
                continue
            rows.append(
                Lead(
                    external_id=f"RPILOT{serial:05d}",
                    org_unit=team,
                    created_on=created,
                    source="pilot",
                    is_qualified=True,
                    converted_on=min(created + dt.timedelta(days=int(rng.integers(1, 6))), last_day),
                )
            )
        month = shift_period(month, "month", 1)
    Lead.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@demo_step("rollout_programs", order=400, label=_("Change programs"), flush=("rollout.Program",))
def rollout_demo_step(ctx: DemoContext) -> dict:
    """A lead-conversion program in step 3 with a pilot team against control teams; a churn program in step 1."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["hr", "manager", "member"])}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=_CODES)}
    if len(users) < 3 or len(indicators) < len(_CODES):
        return {}
    hr, manager, member = users["hr"], users["manager"], users["member"]
    region = OrgUnit.objects.filter(kind=OrgUnitKind.REGION, parent__isnull=False).order_by("code").first()
    if region is None:
        return {}
    teams = list(OrgUnit.objects.filter(kind=OrgUnitKind.TEAM, parent__parent=region.parent).order_by("code"))
    if len(teams) < 3:
        return {}
    pilot_team = teams[0]
    controls = teams[1:4]

    today = ctx.today
    start = shift_period(today.replace(day=1), "month", -(PILOT_MONTHS + 3))
    program = program_create(
        name="线索转化提升计划",
        name_en="Lead conversion program",
        description="试点团队引入情景化赋能与新的招聘画像",
        sponsor=manager,
        hr_co_lead=hr,
        org_units=[region.parent],
        focus_dimensions=["enablement", "talent"],
        key_indicators=[
            KeyIndicatorInput(indicators["lead_conversion_rate"], "lagging", Decimal("35")),
            KeyIndicatorInput(indicators["win_rate"], "lagging", Decimal("45")),
            KeyIndicatorInput(indicators["sales_cycle_days"], "leading", Decimal("30")),
        ],
        start_date=start,
        created_by=hr,
    )
    member_add(program=program, user=member, role=TeamRole.SALES)
    steps = {step.number: step for step in ProgramStep.objects.filter(program=program)}
    _close_step(steps[1], manager, hr)
    _close_step(steps[2], manager, hr)
    ProgramStep.objects.filter(pk=steps[1].pk).update(closed_on=start + dt.timedelta(days=30))
    ProgramStep.objects.filter(pk=steps[2].pk).update(
        started_on=start + dt.timedelta(days=30), closed_on=start + dt.timedelta(days=75)
    )
    pilot_start = shift_period(today.replace(day=1), "month", -PILOT_MONTHS)
    ProgramStep.objects.filter(pk=steps[3].pk, status=StepStatus.ACTIVE).update(started_on=pilot_start)
    pilot_create(
        program=program,
        name=f"{pilot_team.name} 试点",
        pilot_units=[pilot_team],
        control_units=controls,
        start=pilot_start,
        end=shift_period(pilot_start, "month", 8),
        pre_months=6,
        notes="情景化演练 + 联合拜访复盘",
        initiatives=_demo_initiatives(pilot_team),
    )
    added = _pilot_leads(ctx, pilot_team, pilot_start)
    for index, item in enumerate(ChecklistItem.objects.filter(step=steps[3]).order_by("position")[:2]):
        checklist_item_set_done(item=item, done=True, user=member if index else hr)
    milestone_rows = [
        (1, ("联合项目组启动会", "Joint team kick-off"), start + dt.timedelta(days=7), MilestoneStatus.DONE, manager),
        (2, ("锁定关键指标", "Key indicators agreed"), start + dt.timedelta(days=60), MilestoneStatus.DONE, hr),
        (3, ("试点中期复盘", "Pilot mid-term review"), today - dt.timedelta(days=5), MilestoneStatus.IN_PROGRESS, hr),
        (3, ("试点数据看板", "Pilot data board"), today + dt.timedelta(days=4), MilestoneStatus.PLANNED, member),
        (4, ("管理者工作坊", "Manager workshop"), today + dt.timedelta(days=60), MilestoneStatus.PLANNED, manager),
    ]
    for step, (title, title_en), due, status, owner in milestone_rows:
        milestone_create(
            program=program, step=step, title=title, title_en=title_en, due_date=due, status=status, owner=owner
        )

    review_record(
        program=program,
        held_on=pilot_start + dt.timedelta(days=45),
        attendees=[manager, hr, member],
        notes="试点团队线索转化率明显提升，对照团队同期下滑",
        decisions="继续试点并准备方法包",
        actions=[ActionInput("整理情景演练脚本", member, today + dt.timedelta(days=14))],
    )
    story_record(
        program=program,
        org_unit=pilot_team,
        title="联合拜访拿下关键客户",
        text="新人在教练带领下完成三轮模拟谈判后，独立推进并签下关键客户。",
        indicator=indicators["lead_conversion_rate"],
        recorded_on=today - dt.timedelta(days=12),
    )

    second = program_create(
        name="新客户留存计划",
        name_en="New-customer retention program",
        sponsor=manager,
        hr_co_lead=hr,
        org_units=[region],
        focus_dimensions=["performance"],
        key_indicators=[
            KeyIndicatorInput(indicators["new_customer_churn_rate"], "lagging", Decimal("8")),
            KeyIndicatorInput(indicators["first_year_renewal_rate"], "lagging", Decimal("70")),
            KeyIndicatorInput(indicators["nps"], "leading", Decimal("30")),
        ],
        start_date=today - dt.timedelta(days=20),
        created_by=hr,
    )
    first_step = ProgramStep.objects.get(program=second, number=1)
    for item in ChecklistItem.objects.filter(step=first_step).order_by("position")[:2]:
        checklist_item_set_done(item=item, done=True, user=hr)
    milestone_create(
        program=second,
        step=1,
        title="一线访谈",
        title_en="Front-line interviews",
        due_date=today + dt.timedelta(days=10),
        owner=hr,
    )
    # Step 1 closed before the indicator values of the demo exist: let the nightly run after seeding take
    # the radar baseline from the data instead of keeping an empty one.
    ProgramRadarSnapshot.objects.filter(program=program).delete()
    return {"rollout.Program": 2, "performance.Lead (pilot)": added}


_CODES = [
    "lead_conversion_rate",
    "win_rate",
    "sales_cycle_days",
    "new_customer_churn_rate",
    "first_year_renewal_rate",
    "nps",
]
