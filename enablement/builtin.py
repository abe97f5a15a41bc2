"""The built-in default journey map, written from the seed's part 2.2, created after migrate when missing.

Seed part 2.2 (1): design enablement along the customer journey (awareness, consideration, decision,
adoption and value), ask per stage what high performers typically do and say and where typical performers
drop the ball, break those differences into capability items, and only then design learning backwards.
The built-in map is editable like any other (HR leads adapt it); the sync never overwrites it.
"""

from __future__ import annotations

from django.db import transaction

from .choices import StageCode

DEFAULT_MAP = {
    "name_zh": "默认客户旅程赋能地图",
    "name_en": "Default customer-journey enablement map",
    "description_zh": (
        "按客户从认知到决策、再到使用与价值实现的关键节点设计赋能,而不是从课程目录出发。"
        "每个阶段写明高绩效者的典型行为和话术、普通销售常掉链子的地方,拆解出关键能力项,再反向设计学习与辅导。"
    ),
    "description_en": (
        "Enablement designed along the points where customers move from awareness to decision and on to use and "
        "value, not from a course catalogue. Each stage names what high performers typically do and say and where "
        "typical performers drop the ball, breaks that into capability items, and only then designs learning and "
        "coaching backwards from them."
    ),
}

# (stage code, names, customer goal, high performers, pitfalls, indicator codes, capability items)
# A capability item: (code, name zh, name en, levels zh (4 lines), levels en (4 lines)).
DEFAULT_STAGES = [
    {
        "code": StageCode.AWARENESS,
        "name": ("客户认知", "Awareness"),
        "goal": ("如何触达目标客户、建立初步信任", "Reach the target customer and build first trust"),
        "high": (
            "按理想客户画像筛选线索,优先跟进高潜线索\n首次接触就用客户行业的语言讲清能解决的问题\n"
            "每次接触都约定明确的下一步",
            "Pick leads against the ideal customer profile and follow the high-potential ones first\n"
            "In the first contact, name the problem we solve in the customer's industry language\n"
            "Agree a concrete next step at every touch",
        ),
        "pitfalls": (
            "广撒网,对所有线索平均用力\n一开口就讲产品功能\n跟进断档,线索在系统里“沉睡”",
            "Spread effort evenly over every lead\nOpen with product features\n"
            "Follow-up gaps: leads go cold in the CRM",
        ),
        "indicators": ["lead_conversion_rate"],
        "items": [
            (
                "target-account-selection",
                "目标客户筛选",
                "Target account selection",
                "知道理想客户画像的要点\n能按画像给线索排优先级\n能结合公开信息判断客户时机\n能为团队提炼筛选规则",
                "Knows the points of the ideal customer profile\nRanks leads against the profile\n"
                "Reads timing signals from public information\nTurns selection into rules for the team",
            ),
            (
                "first-trust",
                "建立初步信任",
                "Building first trust",
                "能完成标准开场\n能用行业案例引起兴趣\n能让客户主动说出现状与痛点\n能在首次接触后被客户主动联系",
                "Delivers the standard opening\nSparks interest with an industry case\n"
                "Gets the customer to describe their situation and pains\nIs contacted back by the customer unprompted",
            ),
        ],
    },
    {
        "code": StageCode.CONSIDERATION,
        "name": ("客户考虑", "Consideration"),
        "goal": ("如何洞察需求、结构化呈现方案", "Uncover needs and present a structured solution"),
        "high": (
            "用结构化提问做高质量需求访谈,找到业务影响与决策标准\n方案按客户的业务目标组织,而不是按产品模块\n"
            "及早请售前与交付参与,确认可落地",
            "Run high-quality needs-discovery interviews with structured questions: business impact and decision "
            "criteria\nOrganise the proposal around the customer's business goals, not product modules\n"
            "Bring presales and delivery in early to confirm it can be delivered",
        ),
        "pitfalls": (
            "需求访谈停留在表面,急于报价\n方案是通用模板,客户看不到与自己的关系\n承诺了交付做不到的内容",
            "Needs interviews stay on the surface; rush to a price\nA generic template proposal the customer cannot "
            "relate to\nPromise what delivery cannot do",
        ),
        "indicators": ["lead_conversion_rate", "average_contract_value", "first_order_gross_margin"],
        "items": [
            (
                "needs-discovery",
                "需求洞察访谈",
                "Needs-discovery interviews",
                "能按提纲提问\n能追问出业务影响\n能找出决策标准与决策链\n能引导客户重新定义问题",
                "Asks the questions of the guide\nProbes until the business impact is clear\n"
                "Uncovers the decision criteria and who decides\nLeads the customer to reframe the problem",
            ),
            (
                "solution-storyline",
                "结构化方案呈现",
                "Structured solution presentation",
                "能讲清标准方案\n能按客户目标组织方案\n能用数据量化价值\n能让客户内部支持者替我们讲方案",
                "Presents the standard solution clearly\nStructures the proposal around the customer's goals\n"
                "Quantifies the value with data\nEquips an internal champion to present it for us",
            ),
        ],
    },
    {
        "code": StageCode.DECISION,
        "name": ("决策", "Decision"),
        "goal": (
            "如何推进决策、多方博弈、处理异议",
            "Move the decision forward across stakeholders and handle objections",
        ),
        "high": (
            "画出决策地图,逐一触达关键决策人\n提前预判异议,用证据回应\n谈判守住价值与毛利底线",
            "Draw the decision map and reach each key decision-maker\nAnticipate objections and answer with "
            "evidence\nHold value and margin in negotiation",
        ),
        "pitfalls": (
            "只和一个联系人打交道,关键决策人从未见过\n遇到价格异议就让步\n不清楚客户的采购流程,周期被拖长",
            "Work through one contact; never meet the decision-makers\nConcede at the first price objection\n"
            "Don't know the customer's buying process; the cycle drags on",
        ),
        "indicators": ["win_rate", "sales_cycle_days", "key_account_win_rate"],
        "items": [
            (
                "stakeholder-navigation",
                "多方决策推进",
                "Navigating several decision-makers",
                "能识别主要联系人\n能画出决策地图\n能与每位关键决策人单独沟通\n能让不同决策人达成共识",
                "Identifies the main contact\nDraws the decision map\nTalks to each key decision-maker one to one\n"
                "Builds agreement among the decision-makers",
            ),
            (
                "objection-handling",
                "异议处理与谈判",
                "Objection handling and negotiation",
                "能复述客户异议\n能用标准话术回应常见异议\n能用证据化解价格异议并守住毛利\n能设计双赢的交易结构",
                "Restates the customer's objection\nAnswers common objections with the standard responses\n"
                "Resolves price objections with evidence and keeps the margin\nDesigns a deal structure both sides win",
            ),
        ],
    },
    {
        "code": StageCode.ADOPTION,
        "name": ("使用与价值实现", "Adoption and value"),
        "goal": (
            "如何引导客户成功使用、挖掘增值机会",
            "Help the customer succeed in use and find room to grow the account",
        ),
        "high": (
            "签约后与客户成功共同制定上线与价值计划\n定期和客户回顾业务成果\n从使用数据中发现增购与交叉销售机会",
            "Plan go-live and value milestones with customer success after signing\nReview business outcomes with "
            "the customer regularly\nSpot upsell and cross-sell openings in usage data",
        ),
        "pitfalls": (
            "签约即“交接完毕”,不再关注客户\n只在续约前才联系客户\n增购靠客户主动提出",
            "Consider the job done at signature\nOnly call the customer before the renewal\n"
            "Wait for the customer to ask for more",
        ),
        "indicators": ["first_year_renewal_rate", "upsell_share", "product_usage_activity", "nps"],
        "items": [
            (
                "adoption-guidance",
                "引导客户成功使用",
                "Guiding successful adoption",
                "能完成交接\n能与客户共同制定使用计划\n能用使用数据发现风险并干预\n能让客户用业务成果证明价值",
                "Completes the hand-over\nAgrees a usage plan with the customer\nSpots risk in usage data and "
                "acts on it\nHas the customer prove the value in business results",
            ),
            (
                "expansion-discovery",
                "挖掘增值机会",
                "Finding expansion opportunities",
                "知道可增购的产品\n能在回顾会上提出增值建议\n能从使用数据中找出增购机会\n能与客户共同规划长期合作路线图",
                "Knows what can be added\nRaises value proposals in reviews\nFinds expansion openings in usage data\n"
                "Plans a long-term roadmap with the customer",
            ),
        ],
    },
]


@transaction.atomic
def builtin_map_sync(**kwargs) -> None:
    """post_migrate: create the default map (every role, every segment) when it does not exist yet."""
    from performance.models import Indicator

    from .models import CapabilityItem, JourneyMap, JourneyStage

    if JourneyMap.objects.filter(is_builtin=True).exists() or JourneyMap.objects.filter(role="", segment="").exists():
        return
    journey_map = JourneyMap.objects.create(is_builtin=True, **DEFAULT_MAP)
    indicators = {i.code: i for i in Indicator.objects.all()}
    for position, spec in enumerate(DEFAULT_STAGES, start=1):
        stage = JourneyStage.objects.create(
            journey_map=journey_map,
            position=position,
            code=spec["code"],
            name_zh=spec["name"][0],
            name_en=spec["name"][1],
            customer_goal_zh=spec["goal"][0],
            customer_goal_en=spec["goal"][1],
            high_performers_zh=spec["high"][0],
            high_performers_en=spec["high"][1],
            pitfalls_zh=spec["pitfalls"][0],
            pitfalls_en=spec["pitfalls"][1],
        )
        stage.indicators.set([indicators[code] for code in spec["indicators"] if code in indicators])
        CapabilityItem.objects.bulk_create(
            CapabilityItem(
                stage=stage,
                position=number,
                code=code,
                name_zh=name_zh,
                name_en=name_en,
                levels_zh=levels_zh,
                levels_en=levels_en,
            )
            for number, (code, name_zh, name_en, levels_zh, levels_en) in enumerate(spec["items"], start=1)
        )
