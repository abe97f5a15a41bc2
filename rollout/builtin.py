"""The built-in checklists of the five steps, written from the seed's part 3 (zh-Hans and English).

A program gets its own copy when it starts; HR leads then edit the copy per program.
Each row: (Chinese text, English text). Every built-in item is an exit criterion of its step's gate.
"""

from __future__ import annotations

from .choices import StepNumber

STEP_CHECKLISTS: dict[int, list[tuple[str, str]]] = {
    StepNumber.ALIGN_ASSESS: [
        (
            "成立联合项目组:由一位高层业务负责人与HR负责人共同担任牵头人",
            "Form the joint project team, co-led by a senior business leader and the HR head",
        ),
        (
            "吸纳市场、销售、客户成功等关键部门的代表(“关键少数”)",
            "Bring in representatives of marketing, sales and customer success (the key few)",
        ),
        (
            "数据层:梳理近几个周期的客户获取绩效指标(线索、转化、合同金额与结构、客户留存)",
            "Data: review the last few periods of acquisition indicators (leads, conversion, contract value "
            "and mix, retention)",
        ),
        (
            "访谈层:与不同层级的业务人员交流,对照“人和组织画像”收集一线感知",
            "Interviews: talk with business staff at several levels and collect front-line views against "
            "the people-and-organization profile",
        ),
        (
            "观察层:跟随销售或客户成功团队参与若干真实客户场景",
            "Field observation: join sales or customer success teams in several real customer situations",
        ),
        (
            "绘制“客户获取能力雷达图”,作为后续设计的基线",
            "Draw the acquisition capability radar as the baseline for the design",
        ),
    ],
    StepNumber.DESIGN_DEFINE: [
        (
            "结合行业与发展阶段,筛选出最需要突破的一到两个关键维度",
            "Choose the one or two dimensions of the method matrix that most need a breakthrough now",
        ),
        (
            "明确每个维度下近期可落地的举措",
            "Name the near-term actions for each chosen dimension",
        ),
        (
            "共识并锁定3–5个关键客户获取绩效指标",
            "Agree on and lock the 3 to 5 key acquisition indicators",
        ),
        (
            "区分HR可直接或间接影响的领先指标和滞后指标,并设定目标",
            "Mark the leading and lagging indicators HR can influence, and set their targets",
        ),
    ],
    StepNumber.PILOT_ITERATE: [
        (
            "选择一个具有代表性、具备变革意愿和基础的业务单元作为试点",
            "Pick a representative pilot unit that is willing and ready to change",
        ),
        (
            "选定可比较的对照单元",
            "Pick comparable control units",
        ),
        (
            "在试点范围内集中落地若干举措(招聘画像、情景化赋能、指标结构、客户项目组)",
            "Apply the measures in the pilot (hiring profile, scenario-based enablement, indicator mix, "
            "customer project teams)",
        ),
        (
            "通过数字化系统记录试点中的关键数据变化",
            "Record the pilot's key data changes in the system",
        ),
        (
            "定期组织试点团队反馈会,及时调整",
            "Hold regular feedback sessions with the pilot team and adjust quickly",
        ),
    ],
    StepNumber.SCALE_TRANSFER: [
        (
            "沉淀标准化工具与模板(人才画像模板、赋能地图、指标参考库、客户项目组手册)",
            "Package standard tools and templates (profile template, enablement map, indicator reference, "
            "customer project team handbook)",
        ),
        (
            "面向区域总监、销售经理、客户成功负责人开展“二次赋能”工作坊",
            "Run train-the-manager workshops for regional directors, sales managers and customer success leads",
        ),
        (
            "设定推广阶段的里程碑与评估机制",
            "Set milestones and an evaluation scheme for the scale-up",
        ),
    ],
    StepNumber.REVIEW_EMBED: [
        (
            "定期召开联合复盘会,同时回顾结果指标与过程数据",
            "Hold regular joint reviews of both result indicators and process data",
        ),
        (
            "把验证有效的做法上升为制度要求或流程规范",
            "Turn the practices proven in the pilot into policy or process standards",
        ),
        (
            "在内部传播与表彰,收集并讲述一线的真实故事与案例",
            "Share and recognize the practice internally; collect and tell real stories from the field",
        ),
    ],
}
