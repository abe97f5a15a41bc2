"""Demo data for enablement: activities on the default map, enrolments, behaviour observations and drills.

Two activities are there to be measured (issue: "a program that really lifts one behaviour, and one that does
nothing"):

* the needs-discovery workshop (role play) adds two needs-discovery interviews a month from the month after a
  person completes it;
* the product-features lecture changes nothing.

Both are taken mostly by people who already hold more interviews than their peers (keen people sign up first),
and everyone's count drifts upward over the window, so the naive before/after change overstates both; the
difference in differences against people of the same roles recovers +2 and 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _

from org.bulkcopy import frame_insert, next_ids
from org.demo import DemoContext, demo_step

from .models import (
    BehaviourMetric,
    BehaviourObservation,
    CapabilityItem,
    Certification,
    DrillScore,
    DrillSession,
    Enrolment,
    LearningActivity,
    RubricCriterion,
    Scenario,
)

SELLING_ROLES = ["sales_rep", "account_manager", "solution_consultant", "presales"]
WORKSHOP, LECTURE = "needs-discovery-workshop", "product-features-lecture"
WORKSHOP_EFFECT = 2.0
TREND_PER_MONTH = 0.25

# (code, (Chinese name, English name), kind, stage, hours, capability item codes)
ACTIVITIES = [
    (
        WORKSHOP,
        ("需求洞察访谈工作坊", "Needs-discovery workshop"),
        "role_play",
        "consideration",
        "8",
        ["needs-discovery"],
    ),
    (LECTURE, ("产品功能讲解课", "Product features lecture"), "course", "consideration", "6", ["solution-storyline"]),
    (
        "prospecting-basics",
        ("目标客户筛选", "Prospecting basics"),
        "course",
        "awareness",
        "4",
        ["target-account-selection"],
    ),
    (
        "decision-joint-visit",
        ("决策推进跟单辅导", "Joint visits"),
        "joint_visit",
        "decision",
        "6",
        ["stakeholder-navigation"],
    ),
    (
        "objection-recording-review",
        ("异议处理录音复盘", "Objection recording review"),
        "recording_review",
        "decision",
        "3",
        ["objection-handling"],
    ),
    ("adoption-coaching", ("客户成功辅导", "Adoption coaching"), "coaching", "adoption", "2", ["adoption-guidance"]),
]

# (code, title, capability item, level, case, criteria [(name, weight)])
SCENARIOS = [
    (
        "needs-discovery-interview",
        "制造业客户需求访谈",
        "needs-discovery",
        3,
        "一家中型制造企业的运营总监想“提升交付效率”。在30分钟内找出业务影响、决策标准和决策链。",
        [
            ("结构化提问", "2"),
            ("量化业务影响", "2"),
            ("厘清决策链", "1"),
            ("约定下一步", "1"),
        ],
    ),
    (
        "price-objection",
        "价格异议谈判",
        "objection-handling",
        3,
        "采购要求再降价15%，否则选择竞争对手。守住毛利并推进签约。",
        [
            ("复述并探询", "1"),
            ("用证据回应", "2"),
            ("有条件交换", "2"),
        ],
    ),
    (
        "stakeholder-map",
        "多方决策地图",
        "stakeholder-navigation",
        2,
        "你的联系人是IT经理，但预算在财务副总裁手里。制定接触关键决策人的计划。",
        [("决策地图完整", "1"), ("逐人接触计划", "1")],
    ),
]


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_date(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _days(iso: pd.Series) -> np.ndarray:
    return pd.to_datetime(iso).to_numpy(dtype="datetime64[D]")


@demo_step(
    "enablement",
    order=260,
    label=_("Enablement: activities, enrolments, behaviours, drills"),
    flush=("enablement.LearningActivity", "enablement.BehaviourMetric", "enablement.Scenario"),
)
def enablement_demo_step(ctx: DemoContext) -> dict[str, int]:
    """Activities on the default map, enrolments, two behaviour metrics per person and month, scored drills."""
    rng = ctx.generator("enablement")
    stamp = str(connection.ops.adapt_datetimefield_value(ctx.now))
    items = dict(CapabilityItem.objects.filter(stage__journey_map__is_builtin=True).values_list("code", "pk"))

    activity_ids = {}
    for code, (name, name_en), kind, stage, hours, item_codes in ACTIVITIES:
        activity = LearningActivity.objects.create(
            code=code, name=name, name_en=name_en, kind=kind, journey_stage=stage, hours=Decimal(hours)
        )
        activity.capability_items.set([items[c] for c in item_codes if c in items])
        activity_ids[code] = activity.pk

    people = ctx.shared["people"]
    selling = people[people["role"].isin(SELLING_ROLES)].reset_index(drop=True)
    n = len(selling)
    first = _month_index(ctx.first_month)
    last = _month_index(ctx.today)
    months = np.arange(first, last + 1)
    hire_month = np.array([_month_index(d) for d in pd.to_datetime(selling["hire_date"]).dt.date])
    exit_dates = pd.to_datetime(selling["exit_date"])
    exit_month = np.where(
        exit_dates.isna(), last, exit_dates.dt.year.fillna(0) * 12 + exit_dates.dt.month.fillna(1) - 1
    )

    # Level: everyone differs; keen people (high level) sign up first.
    level = rng.normal(5.0, 1.2, n).clip(1.5)
    keen = (level - level.mean()) / level.std()
    window_first, window_last = first + 3, last - 3
    completion_span = max(1, window_last - window_first + 1)

    def enrol(share: float) -> tuple[np.ndarray, np.ndarray]:
        chance = share * 2 / (1 + np.exp(-1.2 * keen))
        chosen = (rng.random(n) < np.minimum(chance, 0.95)) & (hire_month <= window_first) & (exit_month >= last)
        completed_month = window_first + rng.integers(0, completion_span, n)
        return chosen, completed_month

    workshop, workshop_month = enrol(0.3)
    lecture, lecture_month = enrol(0.3)

    rows = []
    for code, chosen, month_of in ((WORKSHOP, workshop, workshop_month), (LECTURE, lecture, lecture_month)):
        idx = np.flatnonzero(chosen)
        completed = np.array(
            [
                _month_date(m) + dt.timedelta(days=int(d))
                for m, d in zip(month_of[idx], rng.integers(5, 25, len(idx)), strict=True)
            ],
            dtype="datetime64[D]",
        )
        enrolled = completed - rng.integers(14, 45, len(idx)).astype("timedelta64[D]")
        rows.append(
            pd.DataFrame(
                {
                    "person_id": selling["id"].to_numpy()[idx],
                    "activity_id": activity_ids[code],
                    "enrolled_on": enrolled.astype(str),
                    "completed_on": completed.astype(str),
                    "score": np.round(rng.uniform(60, 98, len(idx)), 1),
                }
            )
        )
    # The other activities: a sprinkle of enrolments, most completed, to fill hours and readiness.
    for code in [a[0] for a in ACTIVITIES[2:]]:
        idx = np.flatnonzero((rng.random(n) < 0.25) & (hire_month <= last - 2))
        start = np.maximum(hire_month[idx], first) + rng.integers(0, 6, len(idx))
        start = np.minimum(start, last - 1)
        enrolled = np.array([_month_date(m) + dt.timedelta(days=3) for m in start], dtype="datetime64[D]")
        done = rng.random(len(idx)) < 0.8
        completed = (enrolled + rng.integers(7, 40, len(idx)).astype("timedelta64[D]")).astype(str).astype(object)
        completed[~done] = None
        too_late = pd.to_datetime(completed) > pd.Timestamp(ctx.today)
        completed[np.asarray(too_late)] = None
        rows.append(
            pd.DataFrame(
                {
                    "person_id": selling["id"].to_numpy()[idx],
                    "activity_id": activity_ids[code],
                    "enrolled_on": enrolled.astype(str),
                    "completed_on": completed,
                    "score": np.where(done, np.round(rng.uniform(55, 95, len(idx)), 1), np.nan),
                }
            )
        )
    enrolments = pd.concat(rows, ignore_index=True)
    enrolments.insert(0, "id", list(next_ids(Enrolment, len(enrolments))))
    frame_insert(Enrolment, enrolments)

    # Behaviour observations: person × month while employed.
    metric_ids = {}
    for code, name, unit in (
        ("needs-discovery-interviews", "高质量需求访谈次数 Needs-discovery interviews", "interviews"),
        ("decision-maker-meetings", "关键决策人触达次数 Decision-maker meetings", "meetings"),
    ):
        metric_ids[code] = BehaviourMetric.objects.create(code=code, name=name, unit=unit).pk
    person_index, month_index = np.meshgrid(np.arange(n), months, indexing="ij")
    person_index, month_index = person_index.ravel(), month_index.ravel()
    employed = (month_index >= hire_month[person_index]) & (month_index <= exit_month[person_index])
    person_index, month_index = person_index[employed], month_index[employed]
    elapsed = month_index - first
    season = np.sin(2 * np.pi * (month_index % 12) / 12) * 0.4
    after_workshop = workshop[person_index] & (month_index > workshop_month[person_index])
    interviews = (
        level[person_index]
        + TREND_PER_MONTH * elapsed
        + season
        + WORKSHOP_EFFECT * after_workshop
        + rng.normal(0, 0.8, len(person_index))
    )
    meetings = 0.5 * level[person_index] + 0.05 * elapsed + rng.normal(0, 0.6, len(person_index))
    observations = pd.concat(
        [
            pd.DataFrame(
                {
                    "person_id": selling["id"].to_numpy()[person_index],
                    "metric_id": metric_ids[code],
                    "month": [_month_date(m).isoformat() for m in month_index],
                    "value": np.round(np.clip(values, 0, None)).astype(int),
                }
            )
            for code, values in (("needs-discovery-interviews", interviews), ("decision-maker-meetings", meetings))
        ],
        ignore_index=True,
    )
    observations.insert(0, "id", list(next_ids(BehaviourObservation, len(observations))))
    frame_insert(BehaviourObservation, observations)

    drills = _drills(ctx, rng, selling, workshop, workshop_month, items, stamp)
    return {
        "learning_activities": len(ACTIVITIES),
        "enrolments": len(enrolments),
        "behaviour_observations": len(observations),
        **drills,
    }


def _drills(ctx, rng, selling, workshop, workshop_month, items, stamp) -> dict[str, int]:
    """Scenarios with rubrics, and drill sessions: workshop graduates are drilled on needs discovery after it
    (and pass more often), others on the remaining scenarios."""
    evaluator = get_user_model().objects.filter(username="manager").values_list("pk", flat=True).first()
    scenario_rows = []
    for code, title, item_code, level, case, criteria in SCENARIOS:
        if item_code not in items:
            continue
        scenario = Scenario.objects.create(
            code=code, title=title, capability_item_id=items[item_code], level=level, customer_case=case
        )
        made = RubricCriterion.objects.bulk_create(
            RubricCriterion(scenario=scenario, position=i, name=name, weight=Decimal(weight))
            for i, (name, weight) in enumerate(criteria, start=1)
        )
        scenario_rows.append((scenario, made))
    if not scenario_rows:
        return {"drill_sessions": 0}
    n = len(selling)
    last = _month_index(ctx.today)
    sessions, scores = [], []
    for number, (scenario, criteria) in enumerate(scenario_rows):
        if number == 0:
            idx = np.flatnonzero(workshop & (rng.random(n) < 0.7))
            month = np.minimum(workshop_month[idx] + 1, last)
            skill = 0.6
        else:
            idx = np.flatnonzero(rng.random(n) < 0.2)
            month = last - rng.integers(0, 6, len(idx))
            skill = 0.0
        for person_pos, month_of in zip(idx, month, strict=True):
            held_on = min(_month_date(int(month_of)) + dt.timedelta(days=int(rng.integers(1, 27))), ctx.today)
            values = np.clip(np.round(rng.normal(3.3 + skill, 0.8, len(criteria))), 1, 5).astype(int)
            weights = np.array([float(c.weight) for c in criteria])
            weighted = Decimal(str(round(float((weights * values).sum() / weights.sum()) + 1e-9, 2)))
            sessions.append(
                {
                    "scenario_id": scenario.pk,
                    "person_id": int(selling["id"].iat[person_pos]),
                    "org_unit_id": int(selling["org_unit_id"].iat[person_pos]),
                    "evaluator_id": evaluator,
                    "held_on": held_on.isoformat(),
                    "notes": "",
                    "recording_url": "",
                    "weighted_score": weighted,
                    "passed": weighted >= scenario.pass_threshold,
                    "created_at": stamp,
                    "_criteria": [(c.pk, int(v)) for c, v in zip(criteria, values, strict=True)],
                    "_item": scenario.capability_item_id,
                    "_level": scenario.level,
                }
            )
    frame = pd.DataFrame(sessions)
    frame.insert(0, "id", list(next_ids(DrillSession, len(frame))))
    frame_insert(DrillSession, frame.drop(columns=["_criteria", "_item", "_level"]))
    for session_id, criteria in zip(frame["id"], frame["_criteria"], strict=True):
        scores.extend((session_id, criterion, value) for criterion, value in criteria)
    score_frame = pd.DataFrame(scores, columns=["session_id", "criterion_id", "score"])
    score_frame.insert(0, "id", list(next_ids(DrillScore, len(score_frame))))
    frame_insert(DrillScore, score_frame)
    passed = frame[frame["passed"]].sort_values(["held_on", "id"])
    first_pass = passed.drop_duplicates(["person_id", "_item", "_level"])
    certifications = pd.DataFrame(
        {
            "person_id": first_pass["person_id"],
            "capability_item_id": first_pass["_item"],
            "level": first_pass["_level"],
            "session_id": first_pass["id"],
            "certified_on": first_pass["held_on"],
        }
    )
    certifications.insert(0, "id", list(next_ids(Certification, len(certifications))))
    frame_insert(Certification, certifications)
    return {"drill_sessions": len(frame), "drill_scores": len(score_frame), "certifications": len(certifications)}
