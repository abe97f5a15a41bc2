"""Self-check statistics (DESIGN.md section 6): pure functions on pandas, no ORM.

The answer frame has one row per answer with the columns
``respondent, root_cause, weight, reverse, value, not_applicable``.
"""

from __future__ import annotations

import math
import statistics

import pandas as pd

from .choices import Evidence, Level

WEAK_BELOW = 40.0
STRONG_FROM = 70.0

ANSWER_COLUMNS = ["respondent", "root_cause", "weight", "reverse", "value", "not_applicable"]


def likert_score(value: int, *, reverse: bool = False) -> float:
    """A Likert answer a in 1..5 scores (a - 1) / 4 * 100; a reverse item uses 6 - a."""
    answer = 6 - value if reverse else value
    return (answer - 1) / 4 * 100


def level_of(score: float | None) -> str | None:
    """< 40 weak, 40 to below 70 developing, >= 70 strong; None stays None."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    if score < WEAK_BELOW:
        return Level.WEAK
    if score < STRONG_FROM:
        return Level.DEVELOPING
    return Level.STRONG


def respondent_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's root-cause score: the weighted mean of their item scores.

    "Not applicable" answers are skipped; a respondent with only such answers for a root
    cause has no score for it (and drops out of that root cause's mean).
    Returns columns ``respondent, root_cause, score``.
    """
    if answers.empty:
        return pd.DataFrame({"respondent": [], "root_cause": [], "score": []})
    scored = answers.loc[~answers["not_applicable"].astype(bool) & answers["value"].notna()].copy()
    if scored.empty:
        return pd.DataFrame({"respondent": [], "root_cause": [], "score": []})
    value = scored["value"].astype(float)
    reverse = scored["reverse"].astype(bool)
    scored["item_score"] = ((value.where(~reverse, 6 - value)) - 1) / 4 * 100
    scored["weight"] = scored["weight"].astype(float)
    scored["weighted"] = scored["item_score"] * scored["weight"]
    sums = scored.groupby(["respondent", "root_cause"], sort=True)[["weighted", "weight"]].sum().reset_index()
    sums["score"] = sums["weighted"] / sums["weight"]
    return sums[["respondent", "root_cause", "score"]]


def round_scores(per_respondent: pd.DataFrame, root_causes: list[str]) -> list[dict]:
    """An assessment's score per root cause: the mean over its respondents, with the spread.

    Spread: the population standard deviation of the respondents' scores (0 when they all
    agree) and the lowest and highest score. A root cause nobody scored has score None.
    """
    rows = []
    for root_cause in root_causes:
        scores = per_respondent.loc[per_respondent["root_cause"] == root_cause, "score"].astype(float).tolist()
        if not scores:
            rows.append(
                {"root_cause": root_cause, "score": None, "level": None, "n": 0, "sd": None, "min": None, "max": None}
            )
            continue
        mean = sum(scores) / len(scores)
        rows.append(
            {
                "root_cause": root_cause,
                "score": mean,
                "level": level_of(mean),
                "n": len(scores),
                "sd": statistics.pstdev(scores),
                "min": min(scores),
                "max": max(scores),
            }
        )
    return rows


def symptom_severity(answers: pd.DataFrame) -> pd.DataFrame:
    """Per symptom: how many rated it, how many saw it at all (severity >= 1), the mean severity.

    Input columns ``respondent, symptom, value, not_applicable``; "not applicable" is skipped.
    """
    columns = ["symptom", "n", "reported", "mean_severity"]
    if answers.empty:
        return pd.DataFrame({c: [] for c in columns})
    rated = answers.loc[~answers["not_applicable"].astype(bool) & answers["value"].notna()].copy()
    if rated.empty:
        return pd.DataFrame({c: [] for c in columns})
    rated["value"] = rated["value"].astype(float)
    rated["seen"] = rated["value"] >= 1
    out = rated.groupby("symptom", sort=True).agg(
        n=("value", "size"), reported=("seen", "sum"), mean_severity=("value", "mean")
    )
    return out.reset_index()[columns]


def triangulate(unit_value: float | None, peer_values: list[float], *, lower_is_better: bool, min_peers: int = 3):
    """Compare a unit's indicator value with the median of its peers (itself included).

    Returns ``(evidence, median)``: confirmed when the unit is strictly worse than the median
    in the indicator's direction, not confirmed otherwise, no data when the unit has no value
    or fewer than ``min_peers`` units have one.
    """
    values = [float(v) for v in peer_values if v is not None]
    if unit_value is None or len(values) < min_peers:
        return Evidence.NO_DATA, (statistics.median(values) if values else None)
    median = statistics.median(values)
    worse = float(unit_value) > median if lower_is_better else float(unit_value) < median
    return (Evidence.CONFIRMED if worse else Evidence.NOT_CONFIRMED), median
