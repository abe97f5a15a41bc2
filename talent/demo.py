"""Demo talent data with real signal: a few factors truly track the latent skill behind the demo results.

performance/demo.py draws each person's ``person_skill`` (a multiplier around 1 that drives
their conversion and win rates). Here ``s`` = standardised log skill, and:

- industry experience, the systems-thinking and numeracy assessments and prior B2B sales
  experience depend on ``s`` (so a profile built on the demo's lead conversion rate selects them);
- visit frequency, extraversion, key-account share, an MBA, promotion speed and the
  previous industry are noise.

Candidates: every person of a selling role who joined in the last three years was once a hired candidate (with the
attributes they have now, so calibration finds the score's real relation to results); the
open pipeline is simulated stage by stage with skill-dependent pass rates and gamma
durations, so stage conversion and time in stage come out of the history. Head count plans
for the selling roles, and one success profile of sales reps built on the lead conversion rate, finish
the step. Everything is whole-array numpy and bulk inserts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from org.bulkcopy import frame_insert, next_ids
from org.choices import OrgUnitKind
from org.demo import DemoContext, demo_step
from org.models import OrgUnit
from performance.models import Lead

from .models import Candidate, CandidateAttribute, CandidateStageChange, Factor, HeadcountPlan, PersonAttribute

# code, (Chinese name, English name), kind, source,
# (mean, sd, weight of s) for numeric / (base log-odds, weight of s) for yes/no
FACTORS = [
    ("industry_years", ("行业经验年限", "Years in the industry"), "numeric", "experience", (5.0, 3.0, 0.95)),
    ("systems_thinking", ("系统性思维测评", "Systems thinking test"), "numeric", "assessment", (62.0, 12.0, 0.9)),
    ("numeracy", ("数字敏感度测评", "Numeracy test"), "numeric", "assessment", (65.0, 10.0, 0.85)),
    ("visits_per_week", ("每周客户拜访次数", "Customer visits per week"), "numeric", "behaviour", (8.0, 2.5, 0.0)),
    ("extraversion", ("外向性测评", "Extraversion test"), "numeric", "assessment", (55.0, 15.0, 0.0)),
    ("key_account_share", ("大客户占比（%）", "Key-account share (%)"), "numeric", "customer_mix", (30.0, 12.0, 0.0)),
    ("promotion_years", ("首次晋升用时（年）", "Years to first promotion"), "numeric", "career", (3.0, 1.2, 0.0)),
    ("prior_b2b_sales", ("有 B2B 销售经历", "Has sold B2B before"), "boolean", "career", (-0.2, 2.4)),
    ("mba", ("MBA 学历", "MBA degree"), "boolean", "career", (-1.5, 0.0)),
    ("previous_industry", ("前一行业", "Previous industry"), "categorical", "experience", None),
]
INDUSTRIES = np.array(["互联网", "制造业", "金融", "零售"])
ROLES = ("sales_rep", "account_manager", "solution_consultant")
CHANNELS = np.array(["校园招聘", "员工内推", "招聘网站", "猎头", "行业社群"])
CHANNEL_SHARE = np.array([0.2, 0.2, 0.35, 0.1, 0.15])
CHANNEL_SKILL = np.array([-0.2, 0.3, -0.1, 0.2, 0.25])
FUNNEL = ["sourced", "screened", "interviewed", "offered", "hired"]
PASS_LOGIT = np.array([0.4, 0.2, -0.3, 1.5])  # sourced→screened … offered→hired at s = 0
PASS_SKILL = np.array([0.3, 0.5, 0.9, 0.3])
STAGE_DAYS = np.array([6.0, 9.0, 14.0, 8.0])  # mean days in each stage before moving on
HIRE_PATH = (0, 6, 15, 30, 40)  # days from application to entering each stage, for the hires of the window


def expit(x):
    """The logistic function (numpy's, so that seeding does not import scipy)."""
    return 1.0 / (1.0 + np.exp(-x))


def _values(rng, spec, kind, s: np.ndarray) -> np.ndarray:
    """Value texts of one factor for subjects with standardised skill ``s``."""
    n = len(s)
    if kind == "categorical":
        return rng.choice(INDUSTRIES, n)
    if kind == "boolean":
        base, weight = spec
        return np.where(rng.random(n) < expit(base + weight * s), "true", "false")
    mean, sd, weight = spec
    z = weight * s + np.sqrt(1 - weight**2) * rng.standard_normal(n)
    return np.char.mod("%.1f", np.maximum(mean + sd * z, 0.0))


def _attribute_rows(rng, factor_ids: dict[str, int], owner: str, owner_ids, s: np.ndarray) -> pd.DataFrame:
    parts = []
    for code, _name, kind, _source, spec in FACTORS:
        parts.append(
            pd.DataFrame({owner: owner_ids, "factor_id": factor_ids[code], "value": _values(rng, spec, kind, s)})
        )
    return pd.concat(parts, ignore_index=True)


def _standardised(values: np.ndarray) -> np.ndarray:
    """z-scores; a missing value (a person without leads) sits at the mean."""
    values = np.asarray(values, dtype=float)
    known = np.isfinite(values)
    if not known.any():
        return np.zeros(len(values))
    sd = values[known].std() or 1.0
    return np.where(known, (values - values[known].mean()) / sd, 0.0)


def _person_signal(people: pd.DataFrame, skill: dict, *, since: dt.date) -> np.ndarray:
    """The standardised signal the real factors track: the latent skill and, above all, the lead conversion each
    person actually reached since ``since`` (one aggregate query), compared within their role.

    The skill alone drives conversion through team effects and chance, so with sixty reps a profile built on the
    conversion rate kept one factor or none; tracking what the rates came out as lets it keep several and
    spreads the match scores over 0-100, as a real company's assessments of its own people would.
    """
    leads = (
        Lead.objects.filter(is_qualified=True, created_on__gte=since, owner__isnull=False)
        .values("owner_id")
        .annotate(n=Count("pk"), won=Count("pk", filter=Q(converted_on__isnull=False)))
    )
    counts = pd.DataFrame.from_records(list(leads), columns=["owner_id", "n", "won"]).set_index("owner_id")
    rate = people["id"].map(counts["won"] / counts["n"]).to_numpy(dtype=float)
    realized = (
        pd.Series(rate).groupby(people["role"].to_numpy()).transform(lambda x: pd.Series(_standardised(x), x.index))
    )
    log_skill = np.log(people["id"].map(skill).fillna(1.0).to_numpy(dtype=float))
    return _standardised(0.3 * _standardised(log_skill) + 0.7 * realized.to_numpy())


def _simulate_funnel(rng, s: np.ndarray, applied: np.ndarray, today: int) -> tuple[np.ndarray, list]:
    """Stage by stage: pass with a skill-dependent chance after a gamma duration, or drop out; stop at today."""
    n = len(s)
    stage = np.zeros(n, dtype=int)  # index into FUNNEL of the furthest stage entered
    entered = np.full((n, len(FUNNEL)), -1, dtype=np.int64)
    entered[:, 0] = applied
    rejected = np.zeros(n, dtype=bool)
    rejected_on = np.full(n, -1, dtype=np.int64)
    for step in range(len(FUNNEL) - 1):
        active = (stage == step) & ~rejected
        days = np.maximum(1, rng.gamma(3.0, STAGE_DAYS[step] / 3.0, n)).astype(np.int64)
        leave = entered[:, step] + days
        passes = rng.random(n) < expit(PASS_LOGIT[step] + PASS_SKILL[step] * s)
        done = active & (leave <= today)
        moving = done & passes
        entered[moving, step + 1] = leave[moving]
        stage[moving] = step + 1
        dropping = done & ~passes
        rejected[dropping] = True
        rejected_on[dropping] = leave[dropping]
    current = np.where(rejected, "rejected", np.array(FUNNEL)[stage])
    history = [(i, FUNNEL[k], entered[i, k]) for k in range(len(FUNNEL)) for i in np.flatnonzero(entered[:, k] >= 0)]
    history += [(i, "rejected", rejected_on[i]) for i in np.flatnonzero(rejected)]
    return current, history


def _iso(day_numbers) -> np.ndarray:
    return (np.datetime64("1970-01-01", "D") + np.asarray(day_numbers).astype("timedelta64[D]")).astype(str)


def _day(text: str) -> int:
    return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days


@demo_step(
    "talent",
    order=255,
    label=_("Talent: factors, candidates, plans, a success profile"),
    flush=("talent.Factor", "talent.SuccessProfile"),
)
def talent_demo_step(ctx: DemoContext) -> dict[str, int]:
    """Factors, person and candidate attributes, candidates with stage history, head count plans and a profile."""
    rng = ctx.rng
    stamp = str(connection.ops.adapt_datetimefield_value(ctx.now))
    today = (ctx.today - dt.date(1970, 1, 1)).days
    first = (ctx.first_month - dt.date(1970, 1, 1)).days

    factor_frame = pd.DataFrame(
        [(code, name, name_en, kind, source) for code, (name, name_en), kind, source, _spec in FACTORS],
        columns=["code", "name", "name_en", "kind", "source"],
    )
    factor_frame.insert(0, "id", list(next_ids(Factor, len(factor_frame))))
    frame_insert(Factor, factor_frame.assign(created_at=stamp, updated_at=stamp))
    factor_ids = dict(zip(factor_frame["code"], factor_frame["id"], strict=True))

    people = ctx.shared["people"]
    s = _person_signal(people, ctx.shared.get("person_skill", {}), since=ctx.first_month)
    person_rows = _attribute_rows(rng, factor_ids, "person_id", people["id"].to_numpy(), s)
    person_rows.insert(0, "id", list(next_ids(PersonAttribute, len(person_rows))))
    frame_insert(PersonAttribute, person_rows.assign(updated_at=stamp))

    # Hired candidates: the people of the selling roles who joined in the last three years.
    since = (ctx.today - dt.timedelta(days=3 * 365)).isoformat()
    joined = people[people["role"].isin(ROLES) & (people["hire_date"] >= since)]
    hire_days = np.array([_day(text) for text in joined["hire_date"]], dtype=np.int64)
    n_hired = len(joined)
    # Open and decided pipeline: about one candidate per two people of the role, applying in the last 9 months.
    counts = people[people["role"].isin(ROLES)]["role"].value_counts()
    pipeline_roles = np.concatenate([np.full(max(4, int(count * 0.6)), role) for role, count in counts.items()])
    n_pipe = len(pipeline_roles)
    team_ids = np.asarray(ctx.shared["team_ids"])
    channel = rng.choice(len(CHANNELS), n_pipe + n_hired, p=CHANNEL_SHARE)
    s_pipe = rng.standard_normal(n_pipe) + CHANNEL_SKILL[channel[:n_pipe]]
    applied = today - rng.integers(0, max(30, min(270, today - first)), n_pipe)
    current, history = _simulate_funnel(rng, s_pipe, applied, today)
    # Pipeline candidates who reached "hired" stay at "offered" (accepted, not started): only real people are hires.
    current = np.where(current == "hired", "offered", current)
    history = [row for row in history if row[1] != "hired"]

    ids = np.asarray(next_ids(Candidate, n_pipe + n_hired))
    external = np.char.add("CAND", np.char.zfill(np.arange(1, n_pipe + n_hired + 1).astype(str), 6))
    names = people["name"].sample(n_pipe, replace=True, random_state=int(rng.integers(1 << 31))).to_numpy()
    interviewed = {i: day for i, stage, day in history if stage == "interviewed"}
    candidates = pd.DataFrame(
        {
            "id": ids,
            "external_id": external,
            "name": np.concatenate([names, joined["name"].to_numpy()]),
            "role": np.concatenate([pipeline_roles, joined["role"].to_numpy()]),
            "org_unit_id": np.concatenate([rng.choice(team_ids, n_pipe), joined["org_unit_id"].to_numpy()]),
            "applied_on": _iso(np.concatenate([applied, hire_days - 40])),
            "interviewed_on": [
                *(_iso([interviewed[i]])[0] if i in interviewed else None for i in range(n_pipe)),
                *_iso(hire_days - 40 + HIRE_PATH[FUNNEL.index("interviewed")]),
            ],
            "stage": np.concatenate([current, np.full(n_hired, "hired")]),
            "source_channel": CHANNELS[channel],
            "hired_as_id": [None] * n_pipe + joined["id"].tolist(),
        }
    )
    frame_insert(Candidate, candidates.assign(created_at=stamp, updated_at=stamp))

    # Stage history: the pipeline's simulated days, and a standard path ending on the hire date for hires.
    hired_history = [
        (n_pipe + j, stage, hire_days[j] - 40 + HIRE_PATH[k]) for k, stage in enumerate(FUNNEL) for j in range(n_hired)
    ]
    history_frame = pd.DataFrame(history + hired_history, columns=["row", "stage", "day"])
    history_frame["candidate_id"] = ids[history_frame["row"].to_numpy()]
    history_frame["entered_on"] = _iso(history_frame["day"].to_numpy())
    history_frame.insert(0, "id", list(next_ids(CandidateStageChange, len(history_frame))))
    frame_insert(CandidateStageChange, history_frame[["id", "candidate_id", "stage", "entered_on"]])

    # Candidate attributes: hires carry the person's own values (known at application), the pipeline fresh ones.
    person_values = person_rows.merge(
        pd.DataFrame({"person_id": joined["id"].to_numpy(), "candidate_id": ids[n_pipe:]}), on="person_id"
    )[["candidate_id", "factor_id", "value"]]
    pipe_values = _attribute_rows(rng, factor_ids, "candidate_id", ids[:n_pipe], s_pipe)
    candidate_rows = pd.concat([pipe_values, person_values], ignore_index=True)
    candidate_rows.insert(0, "id", list(next_ids(CandidateAttribute, len(candidate_rows))))
    frame_insert(CandidateAttribute, candidate_rows.assign(updated_at=stamp))

    plans = _headcount_plans(ctx, people)
    profile = _demo_profile(ctx)
    return {
        "factors": len(factor_frame),
        "person_attributes": len(person_rows),
        "candidates": len(candidates),
        "candidate_attributes": len(candidate_rows),
        "stage_changes": len(history_frame),
        "headcount_plans": plans,
        "profiles": int(profile is not None),
    }


def _headcount_plans(ctx: DemoContext, people: pd.DataFrame) -> int:
    """This quarter's and next quarter's targets per selling role for the whole company: 10% and 15% growth."""
    company = OrgUnit.objects.filter(kind=OrgUnitKind.COMPANY).order_by("pk").first()
    if company is None:
        return 0
    today = ctx.today.isoformat()
    active = people[(people["hire_date"] <= today) & (people["exit_date"].isna() | (people["exit_date"] > today))]
    counts = active["role"].value_counts()
    start = dt.date(ctx.today.year, 3 * ((ctx.today.month - 1) // 3) + 1, 1)
    following = dt.date(start.year + (start.month == 10), 1 if start.month == 10 else start.month + 3, 1)
    rows = []
    for quarter, growth in ((start, 1.10), (following, 1.15)):
        for position, role in enumerate(ROLES):
            current = int(counts.get(role, 0))
            rows.append(
                HeadcountPlan(
                    role=role,
                    org_unit=company,
                    quarter=quarter,
                    target_headcount=int(round(current * growth)),
                    bench_successors=max(1, current // 20) if position else 0,
                    bench_interns=max(1, current // 30) if role == "sales_rep" else 0,
                )
            )
    HeadcountPlan.objects.bulk_create(rows)
    return len(rows)


def _demo_profile(ctx: DemoContext):
    """The sales reps' profile on the lead conversion rate over the window (its person values are computed first).

    The conversion rate is the sharpest readout of the latent skill (a hundred leads a year per rep).
    """
    from performance.engine import indicator_recompute
    from performance.models import Indicator

    from .services import success_profile_build

    indicator = Indicator.objects.filter(code="lead_conversion_rate").first()
    if indicator is None:
        return None
    indicator_recompute(indicator=indicator)
    last_month = ctx.today.replace(day=1)
    # A small demo has about sixty reps: there a q-value of 0.10 is accepted so the real factors show.
    reps = int((ctx.shared["people"]["role"] == "sales_rep").sum())
    try:
        return success_profile_build(
            name="销售代表成功画像",
            role="sales_rep",
            criterion=indicator,
            period="month",
            window_from=ctx.first_month,
            window_to=last_month,
            max_q=0.10 if reps < 120 else 0.05,
        )
    except ValidationError:  # a demo too small for a profile still seeds
        return None
