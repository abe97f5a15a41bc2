"""Demo step: what an HR lead would already have set up on top of the facts.

Scorecards (a balanced one per selling role and one "result scoreboard" that the page
warns about), an incentive plan with a deferred part and team rules, and customer
project teams around the biggest key accounts with a shared board of actions whose
closing times feed ``cross_dept_closure_days``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from org.choices import OrgUnitKind, PersonRole
from org.demo import DemoContext, demo_step

from .choices import TeamFunction
from .models import (
    Contract,
    CustomerProjectTeam,
    IncentivePlan,
    Indicator,
    ProjectAction,
    ProjectTeamMember,
    Scorecard,
    ScorecardItem,
    TeamIncentiveRule,
)

# (name, role, period, [(indicator code, weight %, target)]); targets in the indicator's unit.
SCORECARDS = [
    (
        "客户经理平衡计分卡",
        PersonRole.ACCOUNT_MANAGER,
        "quarter",
        [
            ("lead_conversion_rate", 20, 30),
            ("win_rate", 20, 70),
            ("new_contract_value", 25, 2_500_000),
            ("first_year_renewal_rate", 20, 60),
            ("nps", 15, 30),
        ],
    ),
    (
        "销售代表计分卡",
        PersonRole.SALES_REP,
        "quarter",
        [
            ("lead_conversion_rate", 30, 30),
            ("sales_cycle_days", 20, 30),
            ("new_contract_value", 30, 1_500_000),
            ("new_customer_churn_rate", 20, 8),
        ],
    ),
    (
        "销售经理结果记分牌（旧版）",  # the seed's trap: lagging results only, one category
        PersonRole.SALES_MANAGER,
        "quarter",
        [
            ("new_contract_value", 50, 6_000_000),
            ("average_contract_value", 30, 150_000),
            ("win_rate", 20, 70),
        ],
    ),
]

TEAM_RULES = [  # (role, indicator, target, amount at 100 %)
    (PersonRole.CUSTOMER_SUCCESS, "renewal_rate", 60, 12_000),
    (PersonRole.MARKETING, "lead_conversion_rate", 30, 10_000),
    (PersonRole.PRESALES, "win_rate", 70, 8_000),
]

ROLE_FUNCTION = {
    PersonRole.SALES_REP.value: TeamFunction.SALES,
    PersonRole.ACCOUNT_MANAGER.value: TeamFunction.SALES,
    PersonRole.SALES_MANAGER.value: TeamFunction.SALES,
    PersonRole.PRESALES.value: TeamFunction.PRESALES,
    PersonRole.SOLUTION_CONSULTANT.value: TeamFunction.DELIVERY,
    PersonRole.CUSTOMER_SUCCESS.value: TeamFunction.CUSTOMER_SUCCESS,
    PersonRole.MARKETING.value: TeamFunction.MARKETING,
}

ACTION_TITLES = [
    "梳理客户组织架构与决策链",
    "联合拜访客户业务负责人",
    "输出行业解决方案演示",
    "制定上线与交付计划",
    "召开季度业务回顾（QBR）",
    "识别增购机会并提交方案",
    "处理客户工单升级问题",
    "完成续约风险评估",
    "整理成功案例与打法手册",
    "组织客户高层交流会",
]


def _scorecards(indicators: dict[str, Indicator]) -> int:
    cards = [Scorecard(name=name, role=role.value, period=period) for name, role, period, _items in SCORECARDS]
    Scorecard.objects.bulk_create(cards)
    items = [
        ScorecardItem(
            scorecard=card,
            indicator=indicators[code],
            weight=Decimal(weight),
            target=Decimal(target),
            timing=indicators[code].timing,
            position=position,
        )
        for card, (_name, _role, _period, specs) in zip(cards, SCORECARDS, strict=True)
        for position, (code, weight, target) in enumerate(specs)
    ]
    ScorecardItem.objects.bulk_create(items)
    return len(cards)


def _incentive_plan(indicators: dict[str, Indicator]) -> int:
    plan = IncentivePlan.objects.create(
        name="获客奖金计划（含递延）",
        roles=[PersonRole.SALES_REP.value, PersonRole.ACCOUNT_MANAGER.value],
        period="quarter",
        commission_rate=Decimal("3.000"),
        deferred_share=Decimal("30.00"),
        deferral_months=13,
    )
    TeamIncentiveRule.objects.bulk_create(
        TeamIncentiveRule(
            plan=plan, role=role.value, indicator=indicators[code], target=Decimal(target), amount=Decimal(amount)
        )
        for role, code, target, amount in TEAM_RULES
    )
    return 1


def _project_teams(ctx: DemoContext, rng: np.random.Generator, indicators: dict[str, Indicator]) -> dict[str, int]:
    """One team per region around its biggest key account won in the window, with 5-9 actions."""
    units = ctx.shared["units"]
    people = ctx.shared["people"]
    regions = units[units["kind"] == OrgUnitKind.REGION.value]
    teams_by_region = units[units["kind"] == OrgUnitKind.TEAM.value].groupby("parent_id")["id"].apply(list)
    contracts = pd.DataFrame(
        Contract.objects.filter(kind="new", customer__opportunities__is_key_account=True)
        .values("customer_id", "org_unit_id", "value")
        .distinct()
    )
    if contracts.empty:
        return {"project_teams": 0}
    biggest = contracts.sort_values(["value", "customer_id"], ascending=[False, True]).drop_duplicates("org_unit_id")
    active = people[people["exit_date"].isna()]
    last_day = ctx.today
    window_start = max(ctx.first_month, last_day - dt.timedelta(days=180))
    span = max((last_day - window_start).days - 40, 1)
    teams, members, actions = [], [], []
    for region in regions.itertuples():
        region_teams = teams_by_region.get(region.id, [])
        pick = biggest[biggest["org_unit_id"].isin(region_teams)]
        if pick.empty:
            continue
        row = pick.iloc[0]
        team = CustomerProjectTeam(
            name=f"{region.name}重点客户项目组",
            customer_id=int(row["customer_id"]),
            org_unit_id=int(row["org_unit_id"]),
            goal="提升首年续约与增购，缩短跨部门问题闭环时间",
        )
        staff = active[active["org_unit_id"].isin([*region_teams, region.id])]
        chosen: dict[str, int] = {}
        for person in staff.sample(frac=1, random_state=int(rng.integers(1 << 31))).itertuples():
            function = ROLE_FUNCTION.get(person.role)
            if function is not None and function not in chosen:
                chosen[function] = int(person.id)
        if len(chosen) < 2:
            continue
        teams.append(team)
        members.append(chosen)
    CustomerProjectTeam.objects.bulk_create(teams)
    goal = [indicators["first_year_renewal_rate"], indicators["upsell_share"], indicators["cross_dept_closure_days"]]
    for team, chosen in zip(teams, members, strict=True):
        team.goal_indicators.set(goal)
        owners = list(chosen.values())
        for index in range(int(rng.integers(5, 10))):
            opened = window_start + dt.timedelta(days=int(rng.integers(0, span)))
            closed = opened + dt.timedelta(days=int(rng.integers(2, 30)))
            actions.append(
                ProjectAction(
                    team=team,
                    title=ACTION_TITLES[index % len(ACTION_TITLES)],
                    owner_id=owners[index % len(owners)],
                    opened_on=opened,
                    due_on=opened + dt.timedelta(days=14),
                    closed_on=closed if closed <= last_day and rng.random() < 0.8 else None,
                )
            )
    ProjectTeamMember.objects.bulk_create(
        ProjectTeamMember(team=team, person_id=person_id, function=function)
        for team, chosen in zip(teams, members, strict=True)
        for function, person_id in chosen.items()
    )
    ProjectAction.objects.bulk_create(actions)
    return {"project_teams": len(teams), "project_actions": len(actions)}


# Library targets an HR lead would have agreed, in each indicator's unit, so that dashboards show attainment.
# Totals that depend on the period's length (contract value, hours, counts) have none: scorecards set those.
INDICATOR_TARGETS = {
    "lead_conversion_rate": 30,
    "sales_cycle_days": 30,
    "win_rate": 45,
    "key_account_win_rate": 35,
    "average_contract_value": 150_000,
    "first_order_gross_margin": 40,
    "nps": 30,
    "product_usage_activity": 70,
    "new_customer_churn_rate": 8,
    "renewal_rate": 75,
    "first_year_renewal_rate": 70,
    "upsell_share": 10,
    "repeat_purchase_rate": 75,
    "high_match_candidate_ratio": 30,
    "certification_pass_rate": 60,
    "cross_dept_closure_days": 14,
}


def _indicator_targets(indicators: dict[str, Indicator]) -> int:
    """Give the library indicators without a target the demo's target (a target someone set stays)."""
    chosen = [
        indicator for code, indicator in indicators.items() if code in INDICATOR_TARGETS and indicator.target is None
    ]
    for indicator in chosen:
        indicator.target = Decimal(INDICATOR_TARGETS[indicator.code])
    Indicator.objects.bulk_update(chosen, ["target"])
    return len(chosen)


@demo_step(
    "performance_programs",
    order=150,
    label=_("Scorecards, incentive plan and project teams"),
    flush=("performance.Scorecard", "performance.IncentivePlan"),
)
def programs_demo_step(ctx: DemoContext) -> dict[str, int]:
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    counts = {
        "indicator_targets": _indicator_targets(indicators),
        "scorecards": _scorecards(indicators),
        "incentive_plans": _incentive_plan(indicators),
    }
    counts.update(_project_teams(ctx, ctx.rng, indicators))
    return counts
