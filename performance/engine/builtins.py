"""The performance app's built-in indicators (DESIGN.md section 5 and the seed's Table 2): one declaration each.

Each declaration holds the library's fields (names and definitions are data in both languages: HR leads may
edit definitions, targets and departments; formulas are fixed) and the computation. Facts count for their own
org unit and owner, except the customer-based indicators (``nps``, ``product_usage_activity``,
``new_customer_churn_rate``, ``repeat_purchase_rate``), which count for the customer's.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from org.marks import marks_table

from ..choices import (
    ContractKind,
    Direction,
    IndicatorCategory,
    IndicatorTiming,
    IndicatorUnit,
    OpportunityStatus,
    PeriodKind,
)
from ..indicators import builtin_indicator
from ..models import (
    Contract,
    Customer,
    CustomerProjectTeam,
    Lead,
    ManualIndicatorValue,
    NpsResponse,
    Opportunity,
    ProjectAction,
    Usage,
)
from .computations import Additive, Custom, case_one
from .dialect import days_between, literal, literals
from .repeat_purchase import repeat_purchase_statements

C = IndicatorCategory
U = IndicatorUnit
LAGGING, LEADING = IndicatorTiming.LAGGING, IndicatorTiming.LEADING
MONTH, QUARTER, YEAR = PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR

WON = literal(OpportunityStatus.WON)
NEW = literal(ContractKind.NEW)

lead = dict(source=f"{Lead._meta.db_table} f", unit="f.org_unit_id", owner="f.owner_id", date="f.created_on")
builtin_indicator(
    code="lead_conversion_rate",
    order=1,
    name_en="Qualified lead conversion rate",
    name_zh="有效线索转化率",
    category=C.ACQUISITION_EFFICIENCY,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=MONTH,
    departments=["marketing", "sales"],
    formula=gettext_noop("qualified leads created in P with a converted_on / qualified leads created in P"),
    definition_en="Of the qualified leads created in the period, the share that converted into an opportunity.",
    definition_zh="本期创建的有效线索中，已转化为商机的比例。",
    computation=Additive(
        **lead,
        numerator=case_one("f.is_qualified AND f.converted_on IS NOT NULL"),
        denominator=case_one("f.is_qualified"),
        scale=100,
    ),
)

opportunity = dict(
    source=f"{Opportunity._meta.db_table} f", unit="f.org_unit_id", owner="f.owner_id", date="f.closed_on"
)
builtin_indicator(
    code="sales_cycle_days",
    order=2,
    name_en="Sales cycle (days)",
    name_zh="销售周期天数",
    category=C.ACQUISITION_EFFICIENCY,
    unit=U.DAYS,
    direction=Direction.LOWER,
    timing=LAGGING,
    review_cycle=MONTH,
    departments=["marketing", "sales"],
    formula=gettext_noop("sum of (closed_on - created_on) / count, over opportunities won with closed_on in P"),
    definition_en="Average number of days from opening an opportunity to winning it, for deals won in the period.",
    definition_zh="本期赢单的商机从创建到赢单的平均天数。",
    computation=Additive(
        **opportunity,
        where=f"f.status = {WON} AND f.closed_on IS NOT NULL",
        numerator=days_between("f.closed_on", "f.created_on"),
        denominator="1",
    ),
)

closed = f"f.status IN ({literals(OpportunityStatus.WON, OpportunityStatus.LOST)}) AND f.closed_on IS NOT NULL"
builtin_indicator(
    code="win_rate",
    order=3,
    name_en="Win rate",
    name_zh="赢单率",
    category=C.ACQUISITION_EFFICIENCY,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=MONTH,
    departments=["sales", "presales"],
    formula=gettext_noop("won / (won + lost), opportunities closed in P"),
    definition_en="Of the opportunities closed in the period, the share that was won.",
    definition_zh="本期关闭的商机中赢单的比例。",
    computation=Additive(
        **opportunity, where=closed, numerator=case_one(f"f.status = {WON}"), denominator="1", scale=100
    ),
)
builtin_indicator(
    code="key_account_win_rate",
    order=4,
    name_en="Key account win rate",
    name_zh="关键客户签约率",
    category=C.ACQUISITION_EFFICIENCY,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=QUARTER,
    departments=["sales", "presales"],
    formula=gettext_noop("won / (won + lost), key-account opportunities closed in P"),
    definition_en="Win rate counted on key-account opportunities only.",
    definition_zh="仅统计关键客户商机的赢单率。",
    computation=Additive(
        **opportunity,
        where=f"{closed} AND f.is_key_account",
        numerator=case_one(f"f.status = {WON}"),
        denominator="1",
        scale=100,
    ),
)

signed = dict(source=f"{Contract._meta.db_table} f", unit="f.org_unit_id", owner="f.owner_id", date="f.signed_on")
builtin_indicator(
    code="new_contract_value",
    order=5,
    name_en="New contract value",
    name_zh="新签合同额",
    category=C.DEAL_QUALITY,
    unit=U.MONEY,
    timing=LAGGING,
    review_cycle=MONTH,
    departments=["sales"],
    formula=gettext_noop("sum of value of new contracts signed in P"),
    definition_en="Total value of new-business contracts signed in the period.",
    definition_zh="本期签订的新客户合同金额合计。",
    computation=Additive(
        **signed, where=f"f.kind = {NEW}", numerator="f.value", denominator="1", constant_denominator=True
    ),
)
builtin_indicator(
    code="average_contract_value",
    order=6,
    name_en="Average contract value",
    name_zh="平均合同金额",
    category=C.DEAL_QUALITY,
    unit=U.MONEY,
    timing=LAGGING,
    review_cycle=QUARTER,
    departments=["sales", "finance"],
    formula=gettext_noop("sum of value / count, new contracts signed in P"),
    definition_en="Average value of the new-business contracts signed in the period.",
    definition_zh="本期新签合同的平均金额。",
    computation=Additive(**signed, where=f"f.kind = {NEW}", numerator="f.value", denominator="1"),
)
builtin_indicator(
    code="first_order_gross_margin",
    order=7,
    name_en="First-order gross margin",
    name_zh="首单毛利率",
    category=C.DEAL_QUALITY,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=QUARTER,
    departments=["sales", "finance"],
    formula=gettext_noop("sum of gross_margin / sum of value, new contracts signed in P"),
    definition_en="Gross margin of new-business contracts signed in the period, as a share of their value.",
    definition_zh="本期新签合同的毛利占合同金额的比例。",
    computation=Additive(
        **signed, where=f"f.kind = {NEW}", numerator="f.gross_margin", denominator="f.value", scale=100
    ),
)

# Customer-based indicators count for the customer's unit and owner.
by_customer = dict(unit="cu.org_unit_id", owner="cu.owner_id")
customer_facts = f"{Customer._meta.db_table} cu JOIN {{table}} f ON f.customer_id = cu.id"
builtin_indicator(
    code="nps",
    order=8,
    name_en="Net promoter score",
    name_zh="净推荐值",
    category=C.CUSTOMER_HEALTH,
    unit=U.SCORE,
    timing=LAGGING,
    review_cycle=QUARTER,
    departments=["customer_success", "product"],
    formula=gettext_noop("(promoters 9-10 - detractors 0-6) x 100 / responses in P"),
    definition_en="Share of promoters minus share of detractors among the NPS answers of the period (-100 to 100).",
    definition_zh="本期NPS答卷中推荐者比例减去贬损者比例（-100 至 100）。",
    computation=Additive(
        source=customer_facts.format(table=NpsResponse._meta.db_table),
        **by_customer,
        date="f.responded_on",
        numerator="CASE WHEN f.score >= 9 THEN 1 WHEN f.score <= 6 THEN -1 ELSE 0 END",
        denominator="1",
        scale=100,
    ),
)
builtin_indicator(
    code="product_usage_activity",
    order=9,
    name_en="Product usage activity",
    name_zh="产品使用活跃度",
    category=C.CUSTOMER_HEALTH,
    unit=U.PERCENT,
    timing=LEADING,
    review_cycle=QUARTER,
    departments=["customer_success", "product"],
    formula=gettext_noop("sum of active_ratio / count, usage rows with month in P"),
    definition_en="Average share of active users across the customers' monthly usage records in the period.",
    definition_zh="本期客户月度使用记录中活跃用户占比的平均值。",
    computation=Additive(
        source=customer_facts.format(table=Usage._meta.db_table),
        **by_customer,
        date="f.month",
        numerator="f.active_ratio",
        denominator="1",
        scale=100,
    ),
)
builtin_indicator(
    code="new_customer_churn_rate",
    order=10,
    name_en="New customer churn rate",
    name_zh="新客户流失率",
    category=C.CUSTOMER_HEALTH,
    unit=U.PERCENT,
    direction=Direction.LOWER,
    timing=LAGGING,
    review_cycle=QUARTER,
    departments=["sales", "customer_success"],
    formula=gettext_noop(
        "customers acquired in P that churned within 365 days of acquisition / customers acquired in P"
    ),
    definition_en="Of the customers acquired in the period, the share that churned within a year of acquisition.",
    definition_zh="本期获取的客户中，在获取后365天内流失的比例。",
    computation=Additive(
        source=f"{Customer._meta.db_table} cu",
        **by_customer,
        date="cu.acquired_on",
        where="cu.acquired_on IS NOT NULL",
        # "within 365 days": a churn exactly 365 days after acquisition counts.
        numerator=case_one(f"cu.churned_on IS NOT NULL AND {days_between('cu.churned_on', 'cu.acquired_on')} <= 365"),
        denominator="1",
        scale=100,
    ),
)

ending = dict(source=f"{Contract._meta.db_table} f", unit="f.org_unit_id", owner="f.owner_id", date="f.end_on")
renewed = f"EXISTS (SELECT 1 FROM {Contract._meta.db_table} r WHERE r.renews_id = f.id)"
builtin_indicator(
    code="renewal_rate",
    order=11,
    name_en="Renewal rate",
    name_zh="老客户续约率",
    category=C.LONG_TERM_VALUE,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=YEAR,
    departments=["sales", "customer_success"],
    formula=gettext_noop("contracts (new or renewal) ending in P that a later contract renews / such contracts"),
    definition_en="Of the new and renewal contracts ending in the period, the share that was renewed.",
    definition_zh="本期到期的新签及续约合同中，已被续约的比例。",
    computation=Additive(
        **ending,
        where=f"f.kind IN ({literals(ContractKind.NEW, ContractKind.RENEWAL)})",
        numerator=case_one(renewed),
        denominator="1",
        scale=100,
    ),
)
builtin_indicator(
    code="first_year_renewal_rate",
    order=12,
    name_en="First-year renewal rate",
    name_zh="首年续约率",
    category=C.LONG_TERM_VALUE,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=YEAR,
    departments=["sales", "customer_success"],
    formula=gettext_noop("new contracts ending in P that a later contract renews / new contracts ending in P"),
    definition_en="Of the first (new-business) contracts ending in the period, the share that was renewed.",
    definition_zh="本期到期的首单合同中，已被续约的比例。",
    computation=Additive(**ending, where=f"f.kind = {NEW}", numerator=case_one(renewed), denominator="1", scale=100),
)
builtin_indicator(
    code="upsell_share",
    order=13,
    name_en="Upsell and cross-sell share",
    name_zh="增购/交叉销售收入占比",
    category=C.LONG_TERM_VALUE,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=YEAR,
    departments=["sales", "customer_success"],
    formula=gettext_noop("value of upsell + cross_sell contracts signed in P / value of all contracts signed in P"),
    definition_en="Share of the contract value signed in the period that came from upsell and cross-sell.",
    definition_zh="本期签约金额中来自增购与交叉销售的比例。",
    computation=Additive(
        **signed,
        numerator=f"CASE WHEN f.kind IN ({literals(ContractKind.UPSELL, ContractKind.CROSS_SELL)}) "
        "THEN f.value ELSE 0 END",
        denominator="f.value",
        scale=100,
    ),
)
builtin_indicator(
    code="repeat_purchase_rate",
    order=14,
    name_en="Repeat purchase rate",
    name_zh="老客户复购率",
    category=C.LONG_TERM_VALUE,
    unit=U.PERCENT,
    timing=LAGGING,
    review_cycle=YEAR,
    departments=["sales", "customer_success"],
    formula=gettext_noop(
        "existing customers with a renewal/upsell/cross_sell contract signed in P / existing customers"
    ),
    definition_en="Of the customers acquired before the period and not churned before it, "
    "the share that signed a renewal, upsell or cross-sell contract in it.",
    definition_zh="期初前已获取且未流失的老客户中，本期签订续约、增购或交叉销售合同的比例。",
    # Windowed: customers' acquisition and churn dates mark every year from the earlier date to now (see
    # performance.ingest), because they decide who is an existing customer at the start of later periods.
    computation=Custom(build=repeat_purchase_statements, scale=100, windowed=True, reads=(Customer, Contract)),
)

# Actions on customer project teams' boards: the team's unit, the action's owner.
builtin_indicator(
    code="cross_dept_closure_days",
    order=19,
    name_en="Cross-department action closure time (days)",
    name_zh="跨部门项目闭环周期（天）",
    category=C.ORGANIZATIONAL_CONTRIBUTION,
    unit=U.DAYS,
    direction=Direction.LOWER,
    timing=LEADING,
    review_cycle=QUARTER,
    departments=["sales", "presales", "delivery", "customer_success"],
    formula=gettext_noop("sum of (closed_on - opened_on) / count, customer project team actions closed in P"),
    definition_en="Average days customer project teams take to close an action, for actions closed in the period.",
    definition_zh="客户项目组在本期关闭的行动项从提出到关闭的平均天数。",
    computation=Additive(
        source=f"{ProjectAction._meta.db_table} f JOIN {CustomerProjectTeam._meta.db_table} t ON t.id = f.team_id",
        unit="t.org_unit_id",
        owner="f.owner_id",
        date="f.closed_on",
        where="f.closed_on IS NOT NULL",
        numerator=days_between("f.closed_on", "f.opened_on"),
        denominator="1",
    ),
)

# Fact tables that services write (the others come through the ingest datasets tracked in performance.ingest).
marks_table(ProjectAction, by="performance.teams.project_action_close")
marks_table(ManualIndicatorValue, by="performance.services.manual_value_set")
# A team's unit places its actions. performance.teams.project_team_create writes a team before it has any
# action, so no value changes and it leaves no mark; no service moves a team to another unit (an edit in the
# admin waits for the weekly full rebuild, like every edit made past the services).
marks_table(CustomerProjectTeam, by="performance.teams.project_team_create (a new team changes no value)")
