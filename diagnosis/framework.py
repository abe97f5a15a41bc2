"""The seed's content as bilingual data: the default questionnaire (part 1), Table 1 and the
three-dimension interventions (part 2).

Questionnaire texts are copied into model rows (HR leads edit copies); Table 1 and the
interventions are fixed reference content, picked by the active language at display time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import Dimension, RootCause, Symptom

RC = RootCause
S = Symptom


def pick(zh: str, en: str) -> str:
    return zh if (get_language() or "").startswith("zh") else en


# --- the four root causes ------------------------------------------------------------
# A root cause is named by its RootCause label and nothing else: the landing page, the questionnaire's
# section titles, the results, the heatmap and the XLSX export all read that one label.


def root_cause_name(code: str) -> tuple[str, str]:
    """The root cause's name in Chinese and in English (for rows that keep both, like questionnaire sections)."""
    label = RootCause(code).label
    with translation.override("zh-hans"):
        zh = str(label)
    with translation.override("en"):
        en = str(label)
    return zh, en


# What each root cause looks like in practice, shown under its name on the diagnosis landing page.
ROOT_CAUSE_SUMMARIES = {
    RC.TALENT_STANDARDS: _(
        "Hiring on generic traits such as “good communicator” instead of a data-based profile of who succeeds "
        "in your segments and sales stages."
    ),
    RC.CAPABILITY_TRANSFER: _(
        "Training designed around the company's catalogue rather than the customer journey, with no coaching "
        "or follow-up in real customer conversations."
    ),
    RC.INCENTIVE_ALIGNMENT: _(
        "Short-term result metrics reward signing at any price, ignore the behaviours that lead to good "
        "customers, and hide the contribution of other roles."
    ),
    RC.ORG_COLLABORATION: _(
        "Marketing, sales, delivery and customer success each optimize their own piece; the customer "
        "experiences the seams."
    ),
}


def root_cause_cards() -> list[dict]:
    """The four root causes in framework order, each with its one name and its summary."""
    return [{"code": code, "name": RootCause(code).label, "summary": ROOT_CAUSE_SUMMARIES[code]} for code in RC]


# --- the built-in questionnaire -------------------------------------------------------
# (code, zh, en, reverse). Reverse-scored statements describe the problem itself, so
# agreeing with them means the unit is weaker on that root cause.

DEFAULT_FAMILY = "default"
DEFAULT_NAME = ("客户获取“人与组织”自查问卷", "Customer acquisition people-and-organization self-check")
DEFAULT_DESCRIPTION = (
    "对照四类“人和组织”根源和四个常见业务问题，评估本单位客户获取的人与组织基础。请按实际情况作答，"
    "不了解的题目可选“不适用”。个人答案保密，只展示汇总结果。",
    "Rate your unit against the four people-and-organization root causes and the four common business "
    "symptoms. Answer from what you see; choose “not applicable” where you cannot judge. Individual answers "
    "are confidential: only aggregates are shown.",
)

ROOT_CAUSE_SECTIONS: list[dict] = [
    {
        "root_cause": RC.TALENT_STANDARDS,
        "intro": (
            "我们是否清楚本企业需要什么样的获客人才，并按这个标准去找人？",
            "Do we know what kind of acquisition talent our business needs, and do we hire to that standard?",
        ),
        "items": [
            (
                "ts1",
                "我们对客户获取关键岗位（销售、解决方案顾问、客户成功）有基于本企业高绩效者数据提炼的成功画像。",
                "We have a success profile for key acquisition roles (sales, solution consultants, customer "
                "success) distilled from data on our own high performers.",
                False,
            ),
            (
                "ts2",
                "录用决定主要依据候选人给人的印象（“气场”“谈吐”），而不是明确的胜任力标准。",
                "Hiring decisions rest mainly on the impression a candidate makes (“presence”, “eloquence”) "
                "rather than on explicit competency criteria.",
                True,
            ),
            (
                "ts3",
                "我们招聘的销售类型与当前业务阶段相匹配（例如需要解决方案式销售时，招的是能做解决方案销售的人）。",
                "The kind of salespeople we hire fits the current stage of the business (for example, when we "
                "need solution selling we hire people who can sell solutions).",
                False,
            ),
            (
                "ts4",
                "面向大客户和面向中小客户的岗位有不同的能力要求。",
                "Roles serving enterprise customers and roles serving small and mid-sized customers have "
                "different capability requirements.",
                False,
            ),
            (
                "ts5",
                "我们的职位描述大多是“沟通能力强、抗压能力强、结果导向”这类通用描述。",
                "Our job descriptions are mostly generic phrases such as “strong communicator, resilient, "
                "results-driven”.",
                True,
            ),
            (
                "ts6",
                "面试中使用基于典型客户场景的情境问题来评估候选人。",
                "Interviews use situational questions built on typical customer scenarios to assess candidates.",
                False,
            ),
            (
                "ts7",
                "我们跟踪新人入职后的实际业绩，并据此校准招聘标准。",
                "We follow new hires' actual results after they join and recalibrate our hiring criteria from them.",
                False,
            ),
            (
                "ts8",
                "业务压力来了才临时大规模招人，招聘标准因此常被放宽。",
                "We hire in a rush when business pressure peaks, and the hiring bar is often lowered as a result.",
                True,
            ),
        ],
    },
    {
        "root_cause": RC.CAPABILITY_TRANSFER,
        "intro": (
            "培训和辅导是否真正体现在客户对话和成交上？",
            "Does training and coaching show up in customer conversations and closed deals?",
        ),
        "items": [
            (
                "ct1",
                "培训内容按客户从认知、考虑、决策到使用的关键阶段来设计。",
                "Training content is designed around the key stages of the customer journey: awareness, "
                "consideration, decision, use.",
                False,
            ),
            (
                "ct2",
                "培训结束后，员工回到客户场景中往往不知道如何应用所学。",
                "After training, people back in front of customers often do not know how to apply what they learned.",
                True,
            ),
            (
                "ct3",
                "我们围绕真实客户案例做角色扮演和情景模拟演练。",
                "We practise with role plays and simulations built on real customer cases.",
                False,
            ),
            (
                "ct4",
                "有经验的销售或教练带新人参加真实拜访，并在会后详细复盘。",
                "Experienced salespeople or coaches take newcomers on real customer visits and debrief in detail "
                "afterwards.",
                False,
            ),
            (
                "ct5",
                "培训课程结束即宣告项目结束，缺少后续辅导和跟踪。",
                "A training program is considered finished when the sessions end; there is no follow-up coaching "
                "or tracking.",
                True,
            ),
            (
                "ct6",
                "我们能把学习数据、行为变化和业务结果（如线索转化率、成交周期）联系起来看。",
                "We can relate learning records, behaviour change and business results (such as lead conversion "
                "and sales cycle) to each other.",
                False,
            ),
            (
                "ct7",
                "评价培训效果主要看参训人数、满意度和考试通过率。",
                "Training is judged mainly by attendance, satisfaction scores and test pass rates.",
                True,
            ),
        ],
    },
    {
        "root_cause": RC.INCENTIVE_ALIGNMENT,
        "intro": (
            "考核和激励是否引导大家关注客户质量和长期价值？",
            "Do performance measures and incentives steer people towards customer quality and long-term value?",
        ),
        "items": [
            (
                "ia1",
                "绩效考核主要看新签合同额、新客户数量和完成率等结果指标。",
                "Performance reviews look mainly at result metrics such as new contract value, number of new "
                "customers and quota attainment.",
                True,
            ),
            (
                "ia2",
                "客户质量和长期价值（续约、增购、毛利）在考核中有明确权重。",
                "Customer quality and long-term value (renewals, expansion, margin) carry explicit weight in "
                "performance reviews.",
                False,
            ),
            (
                "ia3",
                "为了在考核周期内完成指标，销售有时会放宽客户筛选标准或牺牲利润。",
                "To hit targets within the period, salespeople sometimes loosen customer qualification or give "
                "away margin.",
                True,
            ),
            (
                "ia4",
                "关键过程行为（如高潜线索跟进深度、关键决策人触达）有明确要求并被衡量。",
                "Key process behaviours (depth of follow-up on high-potential leads, reaching key decision makers) "
                "are clearly required and measured.",
                False,
            ),
            (
                "ia5",
                "市场、售前、客户成功等岗位能在绩效考核中看到自己对客户获取的贡献。",
                "Marketing, presales and customer success can see their own contribution to customer acquisition "
                "in their performance reviews.",
                False,
            ),
            (
                "ia6",
                "销售奖金中有一部分与客户的长期表现（续约、增购）挂钩。",
                "Part of the sales bonus depends on how customers do over time (renewals, expansion).",
                False,
            ),
            (
                "ia7",
                "奖金、晋升和荣誉几乎只看个人短期业绩。",
                "Bonuses, promotions and recognition depend almost only on individual short-term results.",
                True,
            ),
        ],
    },
    {
        "root_cause": RC.ORG_COLLABORATION,
        "intro": (
            "客户从被触达到成交、上线和增购，是否感受到一个连贯的体验？",
            "From first contact to deal, go-live and expansion, does the customer experience one coherent journey?",
        ),
        "items": [
            (
                "oc1",
                "市场和销售经常互相抱怨：销售“不给力”，市场线索“不精准”。",
                "Marketing and sales often blame each other: sales “does not follow up”, marketing's leads "
                "“are not qualified”.",
                True,
            ),
            (
                "oc2",
                "市场和销售对“有效线索”有共同认可的定义，线索交接快速顺畅。",
                "Marketing and sales share an agreed definition of a qualified lead, and lead handover is quick "
                "and smooth.",
                False,
            ),
            (
                "oc3",
                "客户成功团队常在上线阶段才发现，前期销售承诺了无法实现的功能。",
                "Customer success often learns only at go-live that sales promised features that cannot be delivered.",
                True,
            ),
            (
                "oc4",
                "重要客户有由销售、售前、交付、客户成功和产品共同组成的客户项目组。",
                "Important customers have a customer project team with sales, presales, delivery, customer success "
                "and product.",
                False,
            ),
            (
                "oc5",
                "关键客户机会会经过跨部门评审，而不是由销售单兵作战。",
                "Key customer opportunities go through a cross-department review instead of being worked by one "
                "salesperson alone.",
                False,
            ),
            (
                "oc6",
                "各部门共用一套客户信息与进展看板。",
                "All departments share one board of customer information and progress.",
                False,
            ),
            (
                "oc7",
                "产品和运营团队缺少来自一线客户的反馈渠道。",
                "Product and operations lack a channel for first-hand feedback from customers.",
                True,
            ),
        ],
    },
]

SYMPTOM_SECTION = {
    "title": ("业务表现层问题", "Business symptoms"),
    "intro": (
        "以下问题在本单位有多严重？不了解的可选“不适用”。",
        "How severe are these problems in your unit? Choose “not applicable” where you cannot judge.",
    ),
    "items": [
        ("sy_lead", S.LOW_LEAD_CONVERSION, "线索转化率低", "Lead conversion is low"),
        ("sy_deal", S.LOW_DEAL_SIZE, "客单价难以提升", "Deal size is hard to raise"),
        ("sy_churn", S.HIGH_NEW_CUSTOMER_CHURN, "新客户流失率高", "New customers churn at a high rate"),
        ("sy_repeat", S.LOW_REPEAT_PURCHASE, "老客户复购率低", "Existing customers rarely buy again"),
    ],
}


# --- Table 1: symptom -> talent and organizational roots ------------------------------


@dataclass(frozen=True)
class TableRoot:
    """One cell entry of Table 1, tied to the root cause whose score ranks it."""

    side: str  # "talent" or "organization"
    root_cause: str
    zh: str
    en: str

    @property
    def text(self) -> str:
        return pick(self.zh, self.en)


# The indicator that shows each symptom in the data, and whether a higher value is worse.
SYMPTOM_INDICATORS: dict[str, str] = {
    S.LOW_LEAD_CONVERSION: "lead_conversion_rate",
    S.LOW_DEAL_SIZE: "average_contract_value",
    S.HIGH_NEW_CUSTOMER_CHURN: "new_customer_churn_rate",
    S.LOW_REPEAT_PURCHASE: "repeat_purchase_rate",
}

TABLE_1: dict[str, list[TableRoot]] = {
    S.LOW_LEAD_CONVERSION: [
        TableRoot(
            "talent", RC.TALENT_STANDARDS, "销售技能与客户画像不匹配", "Sales skills do not match the customer profile"
        ),
        TableRoot(
            "talent", RC.CAPABILITY_TRANSFER, "培训内容脱离实战", "Training content is detached from real selling"
        ),
        TableRoot("organization", RC.ORG_COLLABORATION, "线索定义标准不清", "No clear definition of a qualified lead"),
        TableRoot(
            "organization",
            RC.ORG_COLLABORATION,
            "线索交接流程复杂、响应慢",
            "Lead handover is complicated and slow to respond",
        ),
    ],
    S.LOW_DEAL_SIZE: [
        TableRoot(
            "talent",
            RC.TALENT_STANDARDS,
            "解决方案顾问业务理解深度不足",
            "Solution consultants lack depth in understanding the customer's business",
        ),
        TableRoot("talent", RC.CAPABILITY_TRANSFER, "价值表达能力弱", "Weak at articulating value"),
        TableRoot("organization", RC.ORG_COLLABORATION, "售前支持分配不合理", "Presales support is poorly allocated"),
        TableRoot(
            "organization",
            RC.INCENTIVE_ALIGNMENT,
            "与产品、方案团队目标不一致",
            "Goals are not aligned with product and solution teams",
        ),
    ],
    S.HIGH_NEW_CUSTOMER_CHURN: [
        TableRoot("talent", RC.CAPABILITY_TRANSFER, "上线辅导能力不足", "Weak onboarding coaching"),
        TableRoot("talent", RC.TALENT_STANDARDS, "客户成功团队缺经验", "The customer success team lacks experience"),
        TableRoot("organization", RC.INCENTIVE_ALIGNMENT, "销售过度承诺", "Sales over-promises"),
        TableRoot(
            "organization",
            RC.ORG_COLLABORATION,
            "交付与客户成功介入过晚",
            "Delivery and customer success come in too late",
        ),
    ],
    S.LOW_REPEAT_PURCHASE: [
        TableRoot(
            "talent",
            RC.CAPABILITY_TRANSFER,
            "客户成功专员缺乏增值经营意识与技能",
            "Customer success managers lack the mindset and skills to grow accounts",
        ),
        TableRoot(
            "organization",
            RC.ORG_COLLABORATION,
            "缺少客户健康度数据共享",
            "Customer health data is not shared",
        ),
        TableRoot(
            "organization",
            RC.INCENTIVE_ALIGNMENT,
            "预警与挽回机制不健全",
            "Early-warning and win-back mechanisms are incomplete",
        ),
    ],
}


# --- part 2: interventions per root cause, mapped to the three dimensions -------------


@dataclass(frozen=True)
class Intervention:
    dimension: str
    zh: str
    en: str

    @property
    def text(self) -> str:
        return pick(self.zh, self.en)


ROOT_CAUSE_DIMENSION: dict[str, str] = {
    RC.TALENT_STANDARDS: Dimension.TALENT,
    RC.CAPABILITY_TRANSFER: Dimension.ENABLEMENT,
    RC.INCENTIVE_ALIGNMENT: Dimension.PERFORMANCE,
    RC.ORG_COLLABORATION: Dimension.PERFORMANCE,
}

INTERVENTIONS: dict[str, list[Intervention]] = {
    RC.TALENT_STANDARDS: [
        Intervention(
            Dimension.TALENT,
            "构建高绩效获客人才画像：选出同岗位的高绩效样本和一般表现对照组，比较客户结构、行为特征、测评结果和职业轨迹，"
            "提炼可操作的成功因子。",
            "Build a success profile of high-performing acquisition talent: compare high performers with average "
            "peers in the same role on customer mix, behaviour, assessments and career path, and keep the "
            "factors that set them apart.",
        ),
        Intervention(
            Dimension.TALENT,
            "把画像嵌入招聘：在JD中写明与客户类型相关的关键经验，设计基于典型客户场景的情境面试题，用测评量化关键特质，"
            "并把候选人匹配度提示给用人经理。",
            "Embed the profile in hiring: name the customer-type experience in job descriptions, ask situational "
            "questions from typical customer scenarios, measure the key traits, and show hiring managers each "
            "candidate's match score.",
        ),
        Intervention(
            Dimension.TALENT,
            "建设人才供应链而非临时抢人：对关键获客岗位做人力规划，与高校、行业协会和专业社群建立长期渠道，"
            "把后备销售梯队和实习转正通道制度化。",
            "Run a talent supply chain instead of rush hiring: plan headcount for key acquisition roles, keep "
            "long-term channels with universities, associations and professional communities, and formalise a "
            "sales bench and intern-to-hire tracks.",
        ),
    ],
    RC.CAPABILITY_TRANSFER: [
        Intervention(
            Dimension.ENABLEMENT,
            "按客户旅程（认知、考虑、决策、使用与价值实现）设计赋能地图：找出高绩效者在每个阶段的典型行为，拆解关键能力项，"
            "再反向设计培训与辅导。",
            "Design an enablement map along the customer journey (awareness, consideration, decision, use and "
            "value): find what high performers do at each stage, break it into capability items, then design "
            "training and coaching backwards from them.",
        ),
        Intervention(
            Dimension.ENABLEMENT,
            "用“场景化演练 + 复盘”替代单向灌输：围绕真实案例做角色扮演，开展联合拜访和跟单辅导，做录音录屏复盘。",
            "Replace one-way lecturing with scenario practice and debriefs: role plays on real cases, joint "
            "visits with coaching, and call or recording reviews.",
        ),
        Intervention(
            Dimension.ENABLEMENT,
            "用数据跟踪学习对业务的贡献：打通学习行为、行为变化和业务结果三类数据，看哪些项目对哪些指标有积极影响。",
            "Track what learning does for the business: connect learning records, behaviour change and business "
            "results to see which programs move which indicators.",
        ),
    ],
    RC.INCENTIVE_ALIGNMENT: [
        Intervention(
            Dimension.PERFORMANCE,
            "建立以客户生命周期价值为导向的指标库，覆盖获取效率、交易质量、客户健康、长期价值和组织贡献，"
            "为每个岗位配置均衡的指标组合。",
            "Build an LTV-oriented indicator library covering acquisition efficiency, deal quality, customer "
            "health, long-term value and organizational contribution, and give each role a balanced mix.",
        ),
        Intervention(
            Dimension.PERFORMANCE,
            "在销售奖金中预留一部分与续约、增购等客户长期表现挂钩；为市场、产品、交付等岗位设计与客户获取和客户成功相关的团队级激励。",
            "Defer part of the sales bonus to the customer's long-term results (renewal, expansion); give "
            "marketing, product and delivery team incentives tied to acquisition and customer success.",
        ),
        Intervention(
            Dimension.PERFORMANCE,
            "明确并衡量关键过程行为，如高潜线索跟进深度和关键决策人触达，而不只看结果。",
            "Require and measure key process behaviours, such as depth of follow-up on high-potential leads "
            "and reaching decision makers, not only results.",
        ),
    ],
    RC.ORG_COLLABORATION: [
        Intervention(
            Dimension.PERFORMANCE,
            "为重要客户建立由销售、售前、交付、客户成功和产品组成的客户项目组，明确共同目标和角色分工。",
            "Set up customer project teams for important customers with sales, presales, delivery, customer "
            "success and product, with a shared goal and clear roles.",
        ),
        Intervention(
            Dimension.PERFORMANCE,
            "设立跨部门客户评审机制，共用一套客户信息与进展看板，减少信息孤岛。",
            "Introduce cross-department reviews of key opportunities and one shared board of customer "
            "information and progress.",
        ),
        Intervention(
            Dimension.PERFORMANCE,
            "对跨部门协作优异的团队或项目设置专项表彰与奖励，强化“为了客户一起赢”的文化信号。",
            "Recognise and reward teams and projects with outstanding cross-department collaboration, to signal "
            "“winning together for the customer”.",
        ),
    ],
}
