# ruff: noqa: E501
"""The starting bank of situational interview questions, written from the seed (part 2.1: put "situational
questions" into the interview question bank to see how candidates think and act in typical customer scenes).

The bank is filled after every ``migrate`` while it is empty (``builtin_questions_sync``, post_migrate), as the
other built-in content (indicators, the questionnaire, the journey map) is; a database emptied by a flush (the
test suite's transactional tests) gets it back. HR leads' own questions and edits are never touched.
"""

from __future__ import annotations

# (role or "" for every role, scenario, competency, zh, en, look for zh, look for en)
QUESTIONS = [
    (
        "sales_rep", "awareness", "pain_points",
        "你拿到一家从未合作过的中型制造企业，对方IT负责人已两次拒绝见面。接下来两周你会怎么做，才能争取到第一次有价值的会面？",
        "You are given a mid-sized manufacturer we have never worked with; its IT head has declined to meet twice. "
        "What do you do in the next two weeks to earn a first meeting worth having?",
        "先研究客户的业务与行业，找到与其痛点相关的切入点，借助内部或生态伙伴引荐，而不是反复电话推销。",
        "Studies the customer's business and industry first, finds an entry point tied to its pain points and uses "
        "internal or partner introductions instead of repeated cold calls.",
    ),
    (
        "", "awareness", "industry_insight",
        "请用三分钟介绍一个你熟悉的行业：这个行业的企业靠什么赚钱，今年最头疼的两个问题是什么，我们的产品能在哪个环节帮上忙？",
        "In three minutes, walk me through an industry you know: how its companies make money, the two problems that "
        "hurt most this year, and where in that chain our product could help.",
        "对行业有系统理解：讲得出商业模式、关键指标和真实痛点，并能与产品价值对上号。",
        "A systematic grasp of the industry: business model, key figures and real pain points, linked to what the "
        "product does.",
    ),
    (
        "solution_consultant", "consideration", "structured_solution",
        "客户的业务副总说“我们需要数字化”，但说不清具体要什么。请现场模拟第一次需求访谈：你会问哪些问题，如何把回答整理成方案框架？",
        "The customer's VP of operations says \"we need to digitalise\" but cannot say what exactly. Role-play the first "
        "discovery conversation: which questions do you ask, and how do you turn the answers into a proposal outline?",
        "提问由业务目标到流程再到指标，层层深入；能把零散信息归纳成有优先级的方案结构。",
        "Questions move from business goals to processes to measures; scattered answers are turned into a prioritised "
        "structure.",
    ),
    (
        "presales", "consideration", "structured_solution",
        "演示进行到一半，客户的技术负责人打断说竞品的这个功能更强。你会如何回应，并把讨论拉回客户的业务目标？",
        "Halfway through your demo the customer's technical lead interrupts: a competitor's version of this feature is "
        "stronger. How do you respond and bring the discussion back to the customer's business goals?",
        "不贬低对手、不陷入功能比拼；先确认对方关心的场景，再用客户自己的目标来衡量方案。",
        "Neither runs the competitor down nor gets drawn into a feature contest; checks the scene that matters to them "
        "and weighs the options by the customer's own goals.",
    ),
    (
        "", "consideration", "pain_points",
        "客户说预算已定、今年不会再投入新项目。你会通过哪些问题判断这是真实约束，还是尚未发现足够的业务价值？",
        "The customer says the budget is fixed and there will be no new project this year. Which questions tell you "
        "whether that is a real constraint or a sign that enough business value has not been found yet?",
        "能区分预算约束与价值认知不足；会找出谁掌握预算、什么问题足以让预算重新分配。",
        "Tells a budget constraint from value not yet seen; finds out who owns the budget and which problem would be "
        "big enough to move it.",
    ),
    (
        "", "consideration", "industry_insight",
        "请选一家我们的目标客户，估算它采用我们产品后一年内能看到的业务收益，并说明你的假设。",
        "Pick one of our target customers and estimate the business benefit it would see within a year of adopting our "
        "product; state your assumptions.",
        "对数字敏感：假设清楚、量级合理、知道哪个假设最影响结论。",
        "A feel for numbers: clear assumptions, sensible orders of magnitude, knows which assumption drives the answer.",
    ),
    (
        "sales_rep", "decision", "decision_driving",
        "一个大客户项目进入决策阶段：采购要求再降价15%，业务部门支持你，财务在观望，决策人一直没有表态。请说说你接下来一个月的推进计划。",
        "A key-account deal is in the decision stage: procurement asks for another 15% off, the business side backs you, "
        "finance is sitting on the fence and the decision maker has not said a word. Lay out your plan for the next month.",
        "画得出决策链，分别处理各方关切；守住价格底线的同时用价值和条件交换推进决策。",
        "Maps the decision chain and answers each party's concern; holds the price line and trades on value and terms "
        "to move the decision.",
    ),
    (
        "account_manager", "decision", "internal_resources",
        "客户要求在合同中加入一个交付团队认为风险很高的定制条款。你如何在客户与内部交付、法务之间协调，拿到双方都能接受的方案？",
        "The customer wants a custom clause in the contract that the delivery team considers high-risk. How do you work "
        "between the customer, delivery and legal to reach a solution both sides can accept?",
        "善于拉动内部资源：先弄清客户真正要防的风险，再组织内部给出替代方案，而不是简单传话。",
        "Pulls internal resources together: learns which risk the customer really wants covered, then gets the company "
        "to offer an alternative instead of passing messages back and forth.",
    ),
    (
        "", "decision", "decision_driving",
        "请讲一次你眼看要丢单、最后扭转局面（或最终还是丢了）的真实经历：关键转折点是什么？现在回头看你会怎么做？",
        "Tell me about a real deal you were about to lose and turned around (or lost in the end): what was the turning "
        "point, and what would you do differently now?",
        "细节真实可追问；能反思自己的判断，而不是把结果归因于价格或运气。",
        "Concrete details that hold up to follow-up questions; reflects on their own judgement rather than blaming price "
        "or luck.",
    ),
    (
        "customer_success", "value", "value_growth",
        "一个签约半年的客户，产品活跃度从70%降到了35%，四个月后到期续约。你会先做什么？如何判断问题出在产品、使用方式还是客户内部变化？",
        "A customer signed six months ago; active use has dropped from 70% to 35% and renewal is four months away. What "
        "do you do first, and how do you tell whether the cause is the product, the way it is used, or a change inside "
        "the customer?",
        "先看数据和关键用户，再约业务负责人；能提出可验证的假设和挽回计划。",
        "Looks at the data and the key users first, then meets the business owner; offers hypotheses that can be checked "
        "and a recovery plan.",
    ),
    (
        "account_manager", "value", "value_growth",
        "客户对现有服务很满意，但从未采购过其他产品线。你会如何发现增购机会，又如何避免让客户觉得你只是在推销？",
        "A customer is happy with what they have but has never bought from another product line. How do you find an "
        "upsell opportunity without the customer feeling sold to?",
        "从客户的下一步业务目标出发寻找机会，用已实现的价值建立信任。",
        "Starts from the customer's next business goals and builds on the value already delivered.",
    ),
    (
        "", "value", "internal_resources",
        "客户上线遇到问题，需要研发、实施和售前同时投入，但他们都在忙其他项目。你会怎么争取资源？请举一个真实例子。",
        "A customer's go-live is in trouble and needs R&D, implementation and presales at once, all of whom are busy "
        "elsewhere. How do you get the resources? Give a real example.",
        "会用客户影响和数据说服内部，明确分工与时间点，事后复盘。",
        "Persuades colleagues with the customer impact and the numbers, agrees who does what by when, and reviews "
        "afterwards.",
    ),
]  # fmt: skip


def builtin_questions_sync(**kwargs) -> int:
    """Fill an empty interview question bank with the built-in questions; returns how many were written."""
    from .models import InterviewQuestion

    if InterviewQuestion.objects.exists():
        return 0
    InterviewQuestion.objects.bulk_create(
        [
            InterviewQuestion(
                role=role,
                scenario=scenario,
                competency=competency,
                text_zh=text_zh,
                text_en=text_en,
                look_for_zh=look_zh,
                look_for_en=look_en,
                position=position,
            )
            for position, (role, scenario, competency, text_zh, text_en, look_zh, look_en) in enumerate(QUESTIONS)
        ]
    )
    return len(QUESTIONS)
