"""The talent supply chain: head count against target per role and quarter, the pipeline and the channels.

Definitions (all as of a day ``as_of``, for a role in an org unit's subtree):

- Current head count: people of the role with ``hire_date ≤ as_of`` and no exit on or before it.
- Annual attrition rate: exits in the 365 days up to ``as_of`` ÷ the mean of the head counts
  365 days before and on ``as_of``. Expected attrition until the quarter ends =
  current head count × rate × days left ÷ 365.
- Stage history (talent.models.CandidateStageChange): a candidate *entered* a stage on the
  recorded day. Of the candidates who entered stage s, those who reached a later stage of
  the funnel *advanced*; those now rejected whose furthest stage is s *dropped out*; the
  rest are still open. Conversion of s = advanced ÷ (advanced + dropped out); time in s =
  the median of days from entering s to entering the next stage they reached.
- A candidate open at stage s is hired with probability Π conversion(s … offered) after
  Σ median time in stage(s … offered) days; expected hires by the end of the quarter sum
  these probabilities over the open candidates whose expected hiring day falls inside it.
- Gap = target − (current − expected attrition + expected hires + bench); a positive gap is
  a warning that the pipeline cannot fill the target in time.
- Channels (``source_channel``): volume = candidates; conversion = hired ÷ decided (hired or
  rejected); average match = mean stored score against the role's current profile;
  12-month retention = hires who were with the company 365 days after their hire date ÷ hires
  hired at least 365 days before ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Q
from django.utils.translation import gettext

from org.models import Person
from org.selectors import subtree_unit_ids
from org.ui.dates import day_text
from org.ui.formatting import format_number

from .choices import CandidateStage
from .models import Candidate, CandidateScore, CandidateStageChange, HeadcountPlan
from .selectors import current_profiles

FUNNEL = [
    CandidateStage.SOURCED.value,
    CandidateStage.SCREENED.value,
    CandidateStage.INTERVIEWED.value,
    CandidateStage.OFFERED.value,
    CandidateStage.HIRED.value,
]
OPEN_STAGES = FUNNEL[:-1]
RANK = {stage: position for position, stage in enumerate(FUNNEL)}
YEAR_DAYS = 365


# --- pure figures ---------------------------------------------------------------------


def _days(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object))


def headcount_on(people: pd.DataFrame, day: dt.date) -> int:
    """People (``hire_date``, ``exit_date``) employed on ``day``."""
    if people.empty:
        return 0
    day = pd.Timestamp(day)
    hired = _days(people["hire_date"]) <= day
    exit_date = _days(people["exit_date"])
    present = exit_date.isna() | (exit_date > day)
    return int((hired & present).sum())


def annual_attrition_rate(people: pd.DataFrame, as_of: dt.date) -> float | None:
    """Exits in the 365 days up to ``as_of`` ÷ mean head count of the start and end of that year."""
    start = as_of - dt.timedelta(days=YEAR_DAYS)
    average = (headcount_on(people, start) + headcount_on(people, as_of)) / 2
    if average == 0:
        return None
    exit_date = _days(people["exit_date"])
    exits = exit_date.notna() & (exit_date > pd.Timestamp(start)) & (exit_date <= pd.Timestamp(as_of))
    return float(exits.sum()) / average


def stage_flow(history: pd.DataFrame, current: pd.Series) -> pd.DataFrame:
    """Per open funnel stage: entered, advanced, dropped out, conversion (0–1) and median days in the stage.

    ``history``: rows (``candidate``, ``stage``, ``entered_on``); ``current``: candidate → current stage.
    """
    columns = ["entered", "advanced", "dropped", "conversion", "median_days"]
    flow = pd.DataFrame(index=pd.Index(OPEN_STAGES, name="stage"), columns=columns, dtype=float)
    funnel = history[history["stage"].isin(FUNNEL)].copy()
    if funnel.empty:
        flow[["entered", "advanced", "dropped"]] = 0
        return flow
    funnel["rank"] = funnel["stage"].map(RANK)
    funnel["day"] = pd.to_datetime(funnel["entered_on"])
    furthest = funnel.groupby("candidate")["rank"].max()
    rejected = current.reindex(furthest.index) == CandidateStage.REJECTED.value
    for stage in OPEN_STAGES:
        rank = RANK[stage]
        here = funnel[funnel["rank"] == rank].set_index("candidate")["day"]
        later = funnel[funnel["rank"] > rank]
        next_day = later.groupby("candidate")["day"].min().reindex(here.index)
        advanced = next_day.notna()
        dropped = (~advanced) & rejected.reindex(here.index).fillna(False).to_numpy(dtype=bool)
        decided = int(advanced.sum() + dropped.sum())
        days = (next_day[advanced] - here[advanced]).dt.days
        flow.loc[stage] = [
            len(here),
            int(advanced.sum()),
            int(dropped.sum()),
            advanced.sum() / decided if decided else np.nan,
            float(days.median()) if len(days) else np.nan,
        ]
    return flow


def hire_outlook(flow: pd.DataFrame) -> pd.DataFrame:
    """Per open stage: the probability of being hired from it and the expected days until hired."""
    conversion = flow["conversion"].astype(float)
    days = flow["median_days"].astype(float).fillna(0.0)
    rows = {}
    for position, stage in enumerate(OPEN_STAGES):
        rest = OPEN_STAGES[position:]
        rows[stage] = {
            "p_hire": float(conversion[rest].prod(skipna=False)),
            "days_to_hire": float(days[rest].sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("stage")


def expected_hires(open_counts: pd.Series, outlook: pd.DataFrame, days_left: int) -> pd.Series:
    """Expected hires per stage by a day ``days_left`` away (candidates who cannot be hired in time count 0)."""
    counts = open_counts.reindex(OPEN_STAGES).fillna(0).astype(float)
    in_time = outlook["days_to_hire"].reindex(OPEN_STAGES) <= days_left
    probability = outlook["p_hire"].reindex(OPEN_STAGES).fillna(0.0)
    return (counts * probability).where(in_time, 0.0)


def channel_statistics(candidates: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per source channel: volume, hires, conversion %, average match and 12-month retention % of hires.

    ``candidates``: ``channel``, ``stage``, ``score`` (NaN without one), ``hire_date`` and
    ``exit_date`` of the person a hire became (NaN otherwise).
    """
    columns = ["volume", "hires", "conversion", "average_match", "retention_base", "retention"]
    if candidates.empty:
        return pd.DataFrame(columns=columns).rename_axis("channel")
    frame = candidates.copy()
    frame["hired"] = frame["stage"] == CandidateStage.HIRED.value
    frame["decided"] = frame["hired"] | (frame["stage"] == CandidateStage.REJECTED.value)
    cutoff = pd.Timestamp(as_of - dt.timedelta(days=YEAR_DAYS))
    hire_date, exit_date = _days(frame["hire_date"]), _days(frame["exit_date"])
    frame["eligible"] = (frame["hired"] & hire_date.notna() & (hire_date <= cutoff)).to_numpy()
    stayed = exit_date.isna() | (exit_date > hire_date + pd.Timedelta(days=YEAR_DAYS))
    frame["retained"] = frame["eligible"] & stayed.to_numpy()
    grouped = frame.groupby("channel", sort=True)
    result = pd.DataFrame(
        {
            "volume": grouped.size(),
            "hires": grouped["hired"].sum(),
            "decided": grouped["decided"].sum(),
            "average_match": grouped["score"].mean(),
            "retention_base": grouped["eligible"].sum(),
            "retained": grouped["retained"].sum(),
        }
    )
    result["conversion"] = (100 * result["hires"] / result["decided"]).where(result["decided"] > 0)
    result["retention"] = (100 * result["retained"] / result["retention_base"]).where(result["retention_base"] > 0)
    return result[columns]


# --- reading the data -------------------------------------------------------------------


def quarter_end(quarter: dt.date) -> dt.date:
    index = quarter.year * 12 + quarter.month - 1 + 3
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


@dataclass
class SupplyPlan:
    """One head count plan with its supply figures as of a day."""

    plan: HeadcountPlan
    as_of: dt.date
    current: int
    attrition_rate: float | None
    expected_attrition: float
    stages: list[dict]
    expected_hires: float
    bench: int
    gap: float
    warnings: list[str] = field(default_factory=list)


def _people_frame(role: str, unit_ids) -> pd.DataFrame:
    rows = Person.objects.filter(role=role, org_unit_id__in=unit_ids).values_list("hire_date", "exit_date")
    return pd.DataFrame(list(rows), columns=["hire_date", "exit_date"])


def _history(candidates) -> tuple[pd.DataFrame, pd.Series]:
    history = pd.DataFrame(
        list(
            CandidateStageChange.objects.filter(candidate__in=candidates).values_list(
                "candidate_id", "stage", "entered_on"
            )
        ),
        columns=["candidate", "stage", "entered_on"],
    )
    current = pd.Series(dict(candidates.values_list("pk", "stage")), dtype=object)
    return history, current


def supply_plan(plan: HeadcountPlan, *, as_of: dt.date) -> SupplyPlan:
    """Supply figures of one plan (five queries)."""
    unit_ids = subtree_unit_ids(plan.org_unit)
    end = quarter_end(plan.quarter)
    days_left = max((end - as_of).days, 0)
    people = _people_frame(plan.role, unit_ids)
    current = headcount_on(people, as_of)
    rate = annual_attrition_rate(people, as_of)
    attrition = current * (rate or 0.0) * days_left / YEAR_DAYS
    candidates = Candidate.objects.filter(role=plan.role, org_unit_id__in=unit_ids)
    history, stages_now = _history(candidates)
    flow = stage_flow(history, stages_now)
    outlook = hire_outlook(flow)
    open_counts = stages_now[stages_now.isin(OPEN_STAGES)].value_counts()
    hires = expected_hires(open_counts, outlook, days_left)
    stages = [
        {
            "stage": stage,
            "label": CandidateStage(stage).label,
            "open": int(open_counts.get(stage, 0)),
            "entered": int(flow.at[stage, "entered"]),
            "conversion": None if pd.isna(flow.at[stage, "conversion"]) else 100 * float(flow.at[stage, "conversion"]),
            "median_days": None if pd.isna(flow.at[stage, "median_days"]) else float(flow.at[stage, "median_days"]),
            "p_hire": None if pd.isna(outlook.at[stage, "p_hire"]) else 100 * float(outlook.at[stage, "p_hire"]),
            "days_to_hire": float(outlook.at[stage, "days_to_hire"]),
            "expected_hires": float(hires[stage]),
        }
        for stage in OPEN_STAGES
    ]
    bench = plan.bench_successors + plan.bench_interns
    total_hires = float(hires.sum())
    gap = plan.target_headcount - (current - attrition + total_hires + bench)
    warnings = []
    if gap > 0.5:
        warnings.append(
            gettext(
                "The pipeline cannot fill the target in time: about %(gap)s short by %(end)s. Source more "
                "candidates now, move bench people up, or move the target."
            )
            % {"gap": format_number(gap, decimals=0), "end": day_text(end)}
        )
    if rate is None:
        warnings.append(gettext("No head count in the last year: attrition cannot be estimated."))
    return SupplyPlan(
        plan=plan,
        as_of=as_of,
        current=current,
        attrition_rate=rate,
        expected_attrition=attrition,
        stages=stages,
        expected_hires=total_hires,
        bench=bench,
        gap=gap,
        warnings=warnings,
    )


def channel_rows(candidates, *, as_of: dt.date) -> list[dict]:
    """Channel statistics for the given candidates queryset (three queries)."""
    profiles = current_profiles()
    frame = pd.DataFrame(
        list(
            candidates.values_list(
                "pk", "source_channel", "stage", "role", "hired_as__hire_date", "hired_as__exit_date"
            )
        ),
        columns=["pk", "channel", "stage", "role", "hire_date", "exit_date"],
    )
    if frame.empty:
        return []
    profile_filter = Q(pk__in=[])
    for role, profile in profiles.items():
        profile_filter |= Q(candidate__role=role, profile=profile)
    scores = dict(
        CandidateScore.objects.filter(profile_filter, candidate__in=candidates).values_list("candidate_id", "score")
    )
    frame["score"] = frame["pk"].map(scores).astype(float)
    frame["channel"] = frame["channel"].replace("", gettext("(no channel)"))
    table = channel_statistics(frame, as_of)
    return [
        {
            "channel": channel,
            **{
                key: (None if pd.isna(value) else float(value))
                for key, value in row.items()
                if key not in ("volume", "hires", "retention_base")
            },
            "volume": int(row["volume"]),
            "hires": int(row["hires"]),
            "retention_base": int(row["retention_base"]),
        }
        for channel, row in table.iterrows()
    ]


def plans_visible(user):
    """Head count plans of units in the user's subtree."""
    from org.selectors import scope_queryset

    return scope_queryset(HeadcountPlan.objects.select_related("org_unit"), user)
