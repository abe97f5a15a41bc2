"""A round's results: root-cause scores and levels, spread, symptoms with Table 1 roots,
triangulation against indicator values, and recommended interventions.

Results exist only once ``min_respondents`` have submitted; they are aggregates only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from org.models import OrgUnit
from performance.choices import Direction, PeriodKind
from performance.models import IndicatorValue
from performance.selectors import indicator_values_rows, indicators_all

from .choices import Dimension, Evidence, Level, RootCause
from .framework import INTERVENTIONS, ROOT_CAUSE_DIMENSION, SYMPTOM_INDICATORS, TABLE_1
from .models import AssessmentRound
from .selectors import submitted_answer_frames
from .stats import respondent_scores, round_scores, symptom_severity, triangulate

# A unit's indicator is compared with the median of the units of the same kind (teams with
# teams, regions with regions); fewer than this many units with a value is "no data".
MIN_PEER_UNITS = 3


@dataclass
class Triangulation:
    indicator_code: str
    indicator_name: str
    period_start: dt.date
    evidence: str
    unit_value: float | None
    median: float | None
    peer_count: int
    lower_is_better: bool


@dataclass
class RoundResults:
    available: bool
    submitted: int
    min_respondents: int
    scores: list[dict] = field(default_factory=list)
    symptoms: list[dict] = field(default_factory=list)
    interventions: list[dict] = field(default_factory=list)
    focus_dimensions: list[str] = field(default_factory=list)
    key_indicators: list[str] = field(default_factory=list)


def symptom_triangulation(*, unit: OrgUnit, period_start: dt.date, symptom: str) -> Triangulation:
    """The symptom's indicator for the unit against the median of same-kind units, same quarter."""
    code = SYMPTOM_INDICATORS[symptom]
    indicator = indicators_all().filter(code=code).first()
    lower_is_better = bool(indicator and indicator.direction == Direction.LOWER)
    rows = indicator_values_rows(
        IndicatorValue.objects.filter(org_unit__kind=unit.kind, person__isnull=True),
        indicator=code,
        period=PeriodKind.QUARTER,
        start=period_start,
        end=period_start,
    )
    values = {row["org_unit_code"]: row["value"] for row in rows if row["value"] is not None}
    unit_value = values.get(unit.code)
    evidence, median = triangulate(
        None if unit_value is None else float(unit_value),
        [float(v) for v in values.values()],
        lower_is_better=lower_is_better,
        min_peers=MIN_PEER_UNITS,
    )
    return Triangulation(
        indicator_code=code,
        indicator_name=indicator.name if indicator else code,
        period_start=period_start,
        evidence=evidence,
        unit_value=None if unit_value is None else float(unit_value),
        median=median,
        peer_count=len(values),
        lower_is_better=lower_is_better,
    )


def _rank_roots(symptom: str, score_by_root: dict[str, float | None]) -> list[dict]:
    """Table 1 roots of a symptom, weakest root cause of this unit first (table order breaks ties)."""
    roots = list(enumerate(TABLE_1[symptom]))

    def key(pair):
        position, root = pair
        score = score_by_root.get(root.root_cause)
        return (score if score is not None else float("inf"), position)

    return [
        {
            "side": root.side,
            "text": root.text,
            "root_cause": root.root_cause,
            "root_cause_label": RootCause(root.root_cause).label,
            "score": score_by_root.get(root.root_cause),
        }
        for _position, root in sorted(roots, key=key)
    ]


def round_results(assessment_round: AssessmentRound, *, submitted: int | None = None) -> RoundResults:
    """Everything the results page and API show for a round, or ``available=False`` below the threshold."""
    if submitted is None:
        submitted = assessment_round.responses.filter(submitted_at__isnull=False).count()
    results = RoundResults(
        available=submitted >= assessment_round.min_respondents,
        submitted=submitted,
        min_respondents=assessment_round.min_respondents,
    )
    if not results.available:
        return results
    likert, symptom_answers = submitted_answer_frames(assessment_round)
    scores = round_scores(respondent_scores(likert), list(RootCause.values))
    for row in scores:
        row["label"] = RootCause(row["root_cause"]).label
        row["level_label"] = Level(row["level"]).label if row["level"] else None
        row["dimension"] = ROOT_CAUSE_DIMENSION[row["root_cause"]]
    results.scores = scores
    score_by_root = {row["root_cause"]: row["score"] for row in scores}

    severity = symptom_severity(symptom_answers)
    for row in severity.sort_values(["mean_severity", "symptom"], ascending=[False, True]).to_dict("records"):
        if row["reported"] < 1:
            continue
        symptom = row["symptom"]
        check = symptom_triangulation(
            unit=assessment_round.org_unit, period_start=assessment_round.data_period_start, symptom=symptom
        )
        results.symptoms.append(
            {
                "symptom": symptom,
                "n": int(row["n"]),
                "reported": int(row["reported"]),
                "mean_severity": float(row["mean_severity"]),
                "roots": _rank_roots(symptom, score_by_root),
                "triangulation": check,
                "evidence_label": Evidence(check.evidence).label,
            }
        )
        results.key_indicators.append(check.indicator_code)

    # Interventions for every root cause not yet strong, weakest first (part 2 of the seed).
    weak_first = sorted(
        (row for row in scores if row["score"] is not None and row["level"] != Level.STRONG),
        key=lambda row: row["score"],
    )
    for row in weak_first:
        dimension = ROOT_CAUSE_DIMENSION[row["root_cause"]]
        if dimension not in results.focus_dimensions:
            results.focus_dimensions.append(dimension)
        results.interventions.append(
            {
                "root_cause": row["root_cause"],
                "label": row["label"],
                "level": row["level"],
                "dimension": dimension,
                "dimension_label": Dimension(dimension).label,
                "actions": [i.text for i in INTERVENTIONS[row["root_cause"]]],
            }
        )
    return results
