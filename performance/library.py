"""The built-in indicator library: DESIGN.md section 5 and the seed's Table 2.

Names and definitions exist in both languages as data (HR leads may edit the
definitions, targets and departments of built-in indicators; formulas are fixed).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .choices import Direction, IndicatorCategory, IndicatorSource, IndicatorTiming, IndicatorUnit, PeriodKind

DEPARTMENTS = {
    "marketing": _("Marketing"),
    "sales": _("Sales"),
    "presales": _("Presales"),
    "finance": _("Finance"),
    "customer_success": _("Customer success"),
    "product": _("Product"),
    "delivery": _("Delivery"),
    "hr": _("HR"),
    "all_teams": _("All related teams"),
}

C = IndicatorCategory
U = IndicatorUnit

BUILTIN_INDICATORS: list[dict] = [
    {
        "code": "lead_conversion_rate",
        "name_en": "Qualified lead conversion rate",
        "name_zh": "有效线索转化率",
        "category": C.ACQUISITION_EFFICIENCY,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.MONTH,
        "departments": ["marketing", "sales"],
        "formula": "qualified leads created in P with a converted_on / qualified leads created in P",
        "definition_en": "Of the qualified leads created in the period, the share that converted into an opportunity.",
        "definition_zh": "本期创建的有效线索中，已转化为商机的比例。",
    },
    {
        "code": "sales_cycle_days",
        "name_en": "Sales cycle (days)",
        "name_zh": "销售周期天数",
        "category": C.ACQUISITION_EFFICIENCY,
        "unit": U.DAYS,
        "direction": Direction.LOWER,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.MONTH,
        "departments": ["marketing", "sales"],
        "formula": "sum of (closed_on - created_on) / count, over opportunities won with closed_on in P",
        "definition_en": "Average number of days from opening an opportunity to winning it, "
        "for deals won in the period.",
        "definition_zh": "本期赢单的商机从创建到赢单的平均天数。",
    },
    {
        "code": "win_rate",
        "name_en": "Win rate",
        "name_zh": "赢单率",
        "category": C.ACQUISITION_EFFICIENCY,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.MONTH,
        "departments": ["sales", "presales"],
        "formula": "won / (won + lost), opportunities closed in P",
        "definition_en": "Of the opportunities closed in the period, the share that was won.",
        "definition_zh": "本期关闭的商机中赢单的比例。",
    },
    {
        "code": "key_account_win_rate",
        "name_en": "Key account win rate",
        "name_zh": "关键客户签约率",
        "category": C.ACQUISITION_EFFICIENCY,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["sales", "presales"],
        "formula": "won / (won + lost), key-account opportunities closed in P",
        "definition_en": "Win rate counted on key-account opportunities only.",
        "definition_zh": "仅统计关键客户商机的赢单率。",
    },
    {
        "code": "new_contract_value",
        "name_en": "New contract value",
        "name_zh": "新签合同额",
        "category": C.DEAL_QUALITY,
        "unit": U.MONEY,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.MONTH,
        "departments": ["sales"],
        "formula": "sum of value of new contracts signed in P",
        "definition_en": "Total value of new-business contracts signed in the period.",
        "definition_zh": "本期签订的新客户合同金额合计。",
    },
    {
        "code": "average_contract_value",
        "name_en": "Average contract value",
        "name_zh": "平均合同金额",
        "category": C.DEAL_QUALITY,
        "unit": U.MONEY,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["sales", "finance"],
        "formula": "sum of value / count, new contracts signed in P",
        "definition_en": "Average value of the new-business contracts signed in the period.",
        "definition_zh": "本期新签合同的平均金额。",
    },
    {
        "code": "first_order_gross_margin",
        "name_en": "First-order gross margin",
        "name_zh": "首单毛利率",
        "category": C.DEAL_QUALITY,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["sales", "finance"],
        "formula": "sum of gross_margin / sum of value, new contracts signed in P",
        "definition_en": "Gross margin of new-business contracts signed in the period, as a share of their value.",
        "definition_zh": "本期新签合同的毛利占合同金额的比例。",
    },
    {
        "code": "nps",
        "name_en": "Net promoter score",
        "name_zh": "净推荐值",
        "category": C.CUSTOMER_HEALTH,
        "unit": U.SCORE,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["customer_success", "product"],
        "formula": "(promoters 9-10 - detractors 0-6) x 100 / responses in P",
        "definition_en": "Share of promoters minus share of detractors among the NPS answers "
        "of the period (-100 to 100).",
        "definition_zh": "本期NPS答卷中推荐者比例减去贬损者比例（-100 至 100）。",
    },
    {
        "code": "product_usage_activity",
        "name_en": "Product usage activity",
        "name_zh": "产品使用活跃度",
        "category": C.CUSTOMER_HEALTH,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LEADING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["customer_success", "product"],
        "formula": "sum of active_ratio / count, usage rows with month in P",
        "definition_en": "Average share of active users across the customers' monthly usage records in the period.",
        "definition_zh": "本期客户月度使用记录中活跃用户占比的平均值。",
    },
    {
        "code": "new_customer_churn_rate",
        "name_en": "New customer churn rate",
        "name_zh": "新客户流失率",
        "category": C.CUSTOMER_HEALTH,
        "unit": U.PERCENT,
        "direction": Direction.LOWER,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["sales", "customer_success"],
        "formula": "customers acquired in P that churned within 365 days of acquisition / customers acquired in P",
        "definition_en": "Of the customers acquired in the period, the share that churned "
        "within a year of acquisition.",
        "definition_zh": "本期获取的客户中，在获取后365天内流失的比例。",
    },
    {
        "code": "renewal_rate",
        "name_en": "Renewal rate",
        "name_zh": "老客户续约率",
        "category": C.LONG_TERM_VALUE,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.YEAR,
        "departments": ["sales", "customer_success"],
        "formula": "contracts (new or renewal) ending in P that a later contract renews / such contracts",
        "definition_en": "Of the new and renewal contracts ending in the period, the share that was renewed.",
        "definition_zh": "本期到期的新签及续约合同中，已被续约的比例。",
    },
    {
        "code": "first_year_renewal_rate",
        "name_en": "First-year renewal rate",
        "name_zh": "首年续约率",
        "category": C.LONG_TERM_VALUE,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.YEAR,
        "departments": ["sales", "customer_success"],
        "formula": "new contracts ending in P that a later contract renews / new contracts ending in P",
        "definition_en": "Of the first (new-business) contracts ending in the period, the share that was renewed.",
        "definition_zh": "本期到期的首单合同中，已被续约的比例。",
    },
    {
        "code": "upsell_share",
        "name_en": "Upsell and cross-sell share",
        "name_zh": "增购/交叉销售收入占比",
        "category": C.LONG_TERM_VALUE,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.YEAR,
        "departments": ["sales", "customer_success"],
        "formula": "value of upsell + cross_sell contracts signed in P / value of all contracts signed in P",
        "definition_en": "Share of the contract value signed in the period that came from upsell and cross-sell.",
        "definition_zh": "本期签约金额中来自增购与交叉销售的比例。",
    },
    {
        "code": "repeat_purchase_rate",
        "name_en": "Repeat purchase rate",
        "name_zh": "老客户复购率",
        "category": C.LONG_TERM_VALUE,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LAGGING,
        "review_cycle": PeriodKind.YEAR,
        "departments": ["sales", "customer_success"],
        "formula": "existing customers with a renewal/upsell/cross_sell contract signed in P / existing customers",
        "definition_en": "Of the customers acquired before the period and not churned before it, "
        "the share that signed a renewal, upsell or cross-sell contract in it.",
        "definition_zh": "期初前已获取且未流失的老客户中，本期签订续约、增购或交叉销售合同的比例。",
    },
    {
        "code": "high_match_candidate_ratio",
        "name_en": "High-match candidate ratio",
        "name_zh": "高匹配度候选人比例",
        "category": C.ORGANIZATIONAL_CONTRIBUTION,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LEADING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["hr", "sales"],
        "formula": "candidates interviewed in P with match score >= 70 / candidates interviewed in P",
        "definition_en": "Of the candidates interviewed in the period, the share whose "
        "success-profile match is 70 or more.",
        "definition_zh": "本期面试的候选人中，与成功画像匹配度不低于70分的比例。",
    },
    {
        "code": "certification_pass_rate",
        "name_en": "Key capability certification pass rate",
        "name_zh": "关键能力认证通过率",
        "category": C.ORGANIZATIONAL_CONTRIBUTION,
        "unit": U.PERCENT,
        "timing": IndicatorTiming.LEADING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["hr", "sales"],
        "formula": "drill certifications passed in P / attempted in P",
        "definition_en": "Of the scenario-drill certifications attempted in the period, the share that passed.",
        "definition_zh": "本期进行的情景演练认证中通过的比例。",
    },
    {
        "code": "enablement_hours",
        "name_en": "Internal enablement hours",
        "name_zh": "内部赋能课时量",
        "category": C.ORGANIZATIONAL_CONTRIBUTION,
        "unit": U.HOURS,
        "timing": IndicatorTiming.LEADING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["all_teams"],
        "formula": "hours of learning activities completed in P",
        "definition_en": "Hours of learning activities completed in the period.",
        "definition_zh": "本期完成的学习活动课时合计。",
    },
    {
        "code": "playbooks_captured",
        "name_en": "Playbooks and cases captured",
        "name_zh": "优秀案例/打法沉淀数量",
        "category": C.ORGANIZATIONAL_CONTRIBUTION,
        "unit": U.COUNT,
        "timing": IndicatorTiming.LEADING,
        "review_cycle": PeriodKind.YEAR,
        "departments": ["all_teams"],
        "formula": "stories and playbooks recorded in P",
        "definition_en": "Number of field stories and playbooks recorded in the period.",
        "definition_zh": "本期记录的一线故事与打法数量。",
    },
    {
        "code": "cross_dept_closure_days",
        "name_en": "Cross-department action closure time (days)",
        "name_zh": "跨部门项目闭环周期（天）",
        "category": C.ORGANIZATIONAL_CONTRIBUTION,
        "unit": U.DAYS,
        "direction": Direction.LOWER,
        "timing": IndicatorTiming.LEADING,
        "review_cycle": PeriodKind.QUARTER,
        "departments": ["sales", "presales", "delivery", "customer_success"],
        "formula": "sum of (closed_on - opened_on) / count, customer project team actions closed in P",
        "definition_en": "Average days customer project teams take to close an action, for "
        "actions closed in the period.",
        "definition_zh": "客户项目组在本期关闭的行动项从提出到关闭的平均天数。",
    },
]

# Fields the library owns; HR leads' edits to definitions, targets and departments are kept.
_FIXED_FIELDS = (
    "name_en",
    "name_zh",
    "category",
    "unit",
    "direction",
    "timing",
    "formula",
    "source",
    "sort_order",
)


@transaction.atomic
def builtin_indicators_sync(**kwargs) -> int:
    """Create missing built-in indicators and refresh their fixed fields (post_migrate)."""
    from .models import Indicator

    existing = {ind.code: ind for ind in Indicator.objects.filter(code__in=[d["code"] for d in BUILTIN_INDICATORS])}
    created = 0
    for order, spec in enumerate(BUILTIN_INDICATORS, start=1):
        fields = {
            "direction": Direction.HIGHER,
            **spec,
            "source": IndicatorSource.BUILTIN,
            "sort_order": order,
        }
        current = existing.get(spec["code"])
        if current is None:
            Indicator.objects.create(**fields)
            created += 1
            continue
        changed = [name for name in _FIXED_FIELDS if getattr(current, name) != fields[name]]
        if changed:
            for name in changed:
                setattr(current, name, fields[name])
            current.save(update_fields=changed)
    return created
