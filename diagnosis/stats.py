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


# --- capability radar -------------------------------------------------------------------


def radar_axis_value(parts: list[float | None]) -> float | None:
    """An axis of the data-derived radar: the plain mean of the parts that have data.

    Each part is already on 0-100. A part without data is left out (it does not count as 0);
    the axis is None ("no data") only when every part lacks data.
    """
    known = [float(p) for p in parts if p is not None and not (isinstance(p, float) and math.isnan(p))]
    if not known:
        return None
    return sum(known) / len(known)


def share_percent(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator × 100, or None when there is nothing to divide by."""
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator) * 100


def closure_speed_score(days: float | None, target_days: float) -> float | None:
    """Closure time on 0-100: 100 × min(1, target / days); closing at or under the target is 100."""
    if days is None:
        return None
    if days <= 0:
        return 100.0
    return min(1.0, float(target_days) / float(days)) * 100


def scorecard_balance(cards: list[list[tuple[str, str]]], *, categories: int = 5) -> tuple[float | None, float | None]:
    """Two parts from the scorecards that apply to a unit, each card a list of (category, timing) items.

    Category balance: mean over cards of (distinct categories on the card / ``categories``) × 100.
    Leading share: the share of cards with at least one leading indicator, × 100.
    Both None when no card applies.
    """
    cards = [card for card in cards if card]
    if not cards:
        return None, None
    balance = sum(len({category for category, _timing in card}) / categories for card in cards) / len(cards) * 100
    leading = sum(1 for card in cards if any(timing == "leading" for _category, timing in card)) / len(cards) * 100
    return balance, leading


def scores_by_round(answers: pd.DataFrame, root_causes: list[str]) -> pd.DataFrame:
    """Root-cause scores of many rounds at once: columns ``round, root_cause, score, n``.

    ``answers`` has the answer-frame columns plus ``round``; respondents are response ids,
    unique across rounds, so the per-respondent step is shared with :func:`respondent_scores`.
    """
    columns = ["round", "root_cause", "score", "n"]
    if answers.empty:
        return pd.DataFrame({c: [] for c in columns})
    per_respondent = respondent_scores(answers)
    if per_respondent.empty:
        return pd.DataFrame({c: [] for c in columns})
    round_of = answers.drop_duplicates("respondent").set_index("respondent")["round"]
    per_respondent["round"] = per_respondent["respondent"].map(round_of)
    per_respondent = per_respondent[per_respondent["root_cause"].isin(root_causes)]
    out = per_respondent.groupby(["round", "root_cause"], sort=True).agg(score=("score", "mean"), n=("score", "size"))
    return out.reset_index()[columns]
