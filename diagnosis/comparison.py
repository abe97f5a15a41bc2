"""Comparison across units and over time: the heatmap of root-cause scores and one unit's trend.

Both read closed rounds with open results only, and score all the rounds they show with one
query for the answers (``radar.round_score_table``): the query count does not grow with units.
"""

from __future__ import annotations

from django.utils import timezone

from org.models import OrgUnit
from org.selectors import visible_unit_ids
from org.ui.dates import day_text
from org.ui.names import unit_labels

from .choices import RootCause
from .radar import closed_rounds_with_results, round_score_table


def root_cause_columns() -> list[tuple[str, str]]:
    return [(code, RootCause(code).label) for code in RootCause.values]


def heatmap_rows(user, *, kind: str | None = None, labels: dict[int, str] | None = None) -> list[dict]:
    """Each visible unit's latest closed round with open results, its label (org.ui.names) and its root-cause
    scores; one row per unit, keyed by the unit, never by its name."""
    labels = unit_labels() if labels is None else labels
    ids = visible_unit_ids(user)
    rounds = closed_rounds_with_results(ids)
    if kind:
        rounds = rounds.filter(org_unit__kind=kind)
    latest: dict[int, object] = {}
    for assessment_round in rounds:
        latest.setdefault(assessment_round.org_unit_id, assessment_round)
    table = round_score_table([r.pk for r in latest.values()])
    rows = [
        {
            "unit": r.org_unit,
            "label": labels.get(r.org_unit_id, r.org_unit.name),
            "round": r,
            "scores": {code: cell["score"] for code, cell in table.get(r.pk, {}).items()},
        }
        for r in latest.values()
    ]
    return sorted(rows, key=lambda row: row["unit"].code)


def trend_points(unit: OrgUnit) -> list[dict]:
    """The unit's closed rounds with open results, oldest first, with their root-cause scores."""
    rounds = list(closed_rounds_with_results([unit.pk]))[::-1]
    table = round_score_table([r.pk for r in rounds])
    return [
        {
            "round": r,
            "label": f"{day_text(timezone.localdate(r.closed_at))} · {r.title}",
            "submitted": r.submitted,
            "scores": {code: cell["score"] for code, cell in table.get(r.pk, {}).items()},
        }
        for r in rounds
    ]
