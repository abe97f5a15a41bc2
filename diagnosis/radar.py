"""The capability radar (rollout step 1): four axes, a self-assessed and a data-derived series.

Self-assessed: the unit's latest closed round whose results are open; each root-cause score
is the axis it matches (``ROOT_CAUSE_AXIS``).

Data-derived: each axis is the mean of the parts that have data (``stats.radar_axis_value``);
a part reads what another module knows, and a module that does not exist yet simply has no
data. The axis says "no data" only when all its parts lack data; it is never shown as 0.

Both series are written by the nightly recompute into ``RadarSnapshot`` (one row per unit,
series and axis, overwritten on each run) and read from there; a unit never computed yet
is computed on the fly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.jobs import nightly_step
from org.measures import unit_measure
from org.models import OrgUnit, OrgUnitClosure, Person
from org.platform import RADAR_LISTENERS
from performance.choices import IndicatorCategory, IndicatorUnit, PeriodKind
from performance.models import (
    Customer,
    CustomerProjectTeam,
    Indicator,
    IndicatorValue,
    Opportunity,
    ScorecardItem,
)

from .choices import ROOT_CAUSE_AXIS, ItemKind, RadarAxis, RadarSeries, RootCause
from .models import Answer, AssessmentRound, RadarSnapshot
from .services import previous_quarter_start
from .stats import (
    closure_speed_score,
    radar_axis_value,
    scorecard_balance,
    scores_by_round,
    share_percent,
)

# Closing a cross-department action within this many days scores 100 when the indicator has no target.
DEFAULT_CLOSURE_TARGET_DAYS = 14
# Quarters of indicator values the data-derived radar looks back over.
WINDOW_QUARTERS = 4


@dataclass(frozen=True)
class RadarPart:
    """One input of a data-derived axis, with the formula the page writes out."""

    code: str
    axis: str
    label: object
    formula: object
    source: object


PARTS: list[RadarPart] = [
    RadarPart(
        "high_match_candidates",
        RadarAxis.TALENT_SELECTION,
        _("Candidates with a high match score"),
        _("candidates interviewed with a match score ≥ 70 / candidates interviewed, last four quarters × 100"),
        _("talent module (success profiles)"),
    ),
    RadarPart(
        "hire_retention_12m",
        RadarAxis.TALENT_SELECTION,
        _("12-month retention of hires"),
        _("people hired 12 to 24 months ago still employed 365 days after their hire date / those hires × 100"),
        _("org (people)"),
    ),
    RadarPart(
        "certification_pass_rate",
        RadarAxis.LEARNING_DEVELOPMENT,
        _("Certification pass rate"),
        _("drill certifications passed / attempted, last four quarters × 100"),
        _("enablement module (scenario drills)"),
    ),
    RadarPart(
        "readiness",
        RadarAxis.LEARNING_DEVELOPMENT,
        _("Readiness"),
        _("mean readiness index (0-100) of the people with any enrolment or drill"),
        _("enablement module (readiness)"),
    ),
    RadarPart(
        "scorecard_category_balance",
        RadarAxis.PERFORMANCE_INDICATORS,
        _("Scorecard balance across categories"),
        _("mean over the scorecards that apply to the unit of (indicator categories on the card / 5) × 100"),
        _("performance (scorecards)"),
    ),
    RadarPart(
        "scorecard_leading_share",
        RadarAxis.PERFORMANCE_INDICATORS,
        _("Scorecards with a leading indicator"),
        _("scorecards that apply to the unit with at least one leading indicator / those scorecards × 100"),
        _("performance (scorecards)"),
    ),
    RadarPart(
        "key_account_team_coverage",
        RadarAxis.ORG_COLLABORATION,
        _("Customer project team coverage"),
        _("key-account customers with an active customer project team / key-account customers × 100"),
        _("performance (customer project teams)"),
    ),
    RadarPart(
        "action_closure_speed",
        RadarAxis.ORG_COLLABORATION,
        _("Cross-department action closure time"),
        _(
            "100 × min(1, target days / average days to close a project-team action over the last four quarters); "
            "target: the indicator's target, else 14 days"
        ),
        _("performance (cross_dept_closure_days)"),
    ),
]
PARTS_BY_CODE = {part.code: part for part in PARTS}

AXIS_FORMULAS = {
    RadarAxis.TALENT_SELECTION: _(
        "Talent selection = mean of (candidates with a high match score, 12-month retention of hires), "
        "over the parts that have data"
    ),
    RadarAxis.LEARNING_DEVELOPMENT: _(
        "Learning and development = mean of (certification pass rate, readiness), over the parts that have data"
    ),
    RadarAxis.PERFORMANCE_INDICATORS: _(
        "Performance indicators = mean of (scorecard balance across categories, scorecards with a leading "
        "indicator), over the parts that have data"
    ),
    RadarAxis.ORG_COLLABORATION: _(
        "Organizational collaboration = mean of (customer project team coverage, cross-department action "
        "closure time), over the parts that have data"
    ),
}
SELF_FORMULA = _(
    "Each axis is the score (0-100) of the matching root cause in the unit's latest closed round whose "
    "results are open: talent standards → talent selection, capability transfer → learning and development, "
    "incentive alignment → performance indicators, organizational collaboration → organizational collaboration."
)


# --- results --------------------------------------------------------------------------


@dataclass
class AxisValue:
    axis: str
    value: float | None
    parts: list[dict] = field(default_factory=list)

    @property
    def label(self):
        return RadarAxis(self.axis).label

    @property
    def formula(self):
        return AXIS_FORMULAS[self.axis]


@dataclass
class SeriesValues:
    series: str
    computed_at: dt.datetime | None
    axes: list[AxisValue]
    assessment_round: AssessmentRound | None = None

    @property
    def label(self):
        return RadarSeries(self.series).label

    @property
    def has_data(self) -> bool:
        return any(axis.value is not None for axis in self.axes)


@dataclass
class UnitRadar:
    unit: OrgUnit
    self_assessed: SeriesValues
    data_derived: SeriesValues
    stored: bool  # read from the nightly snapshots (False: computed just now)


def _round1(value: float | None) -> float | None:
    return None if value is None else float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- data-derived parts ---------------------------------------------------------------


def data_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last quarter start of the last four complete quarters before ``today``."""
    last = previous_quarter_start(today)
    first = last
    for _step in range(WINDOW_QUARTERS - 1):
        first = previous_quarter_start(first)
    return first, last


def _unit_filter(queryset, unit_ids, field_name="org_unit_id"):
    return queryset if unit_ids is None else queryset.filter(**{f"{field_name}__in": unit_ids})


def _indicator_window(code: str, unit_ids, first: dt.date, last: dt.date) -> tuple[dict, Indicator | None]:
    """Per unit: (numerator, denominator, value) of an indicator summed over the window's quarters."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return {}, None
    scale = 100 if indicator.unit == IndicatorUnit.PERCENT else 1
    rows = _unit_filter(
        IndicatorValue.objects.filter(
            indicator=indicator,
            person__isnull=True,
            period=PeriodKind.QUARTER,
            period_start__gte=first,
            period_start__lte=last,
        ),
        unit_ids,
    )
    out = {}
    for unit_id, numerator, denominator in (
        rows.values("org_unit_id")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .values_list("org_unit_id", "n", "d")
    ):
        value = float(numerator) / float(denominator) * scale if denominator else None
        out[unit_id] = (float(numerator), float(denominator), value)
    return out, indicator


def _ancestors_by_unit(unit_ids) -> dict[int, list[int]]:
    """Each unit's ancestors, itself included (from the closure table)."""
    links = _unit_filter(OrgUnitClosure.objects.all(), unit_ids, "descendant_id")
    out: dict[int, list[int]] = defaultdict(list)
    for descendant, ancestor in links.values_list("descendant_id", "ancestor_id"):
        out[descendant].append(ancestor)
    return out


def _covering_units(unit_ids) -> dict[int, list[int]]:
    """For each unit, the requested units whose subtree contains it (for roll-ups of facts)."""
    links = _unit_filter(OrgUnitClosure.objects.all(), unit_ids, "ancestor_id")
    out: dict[int, list[int]] = defaultdict(list)
    for ancestor, descendant in links.values_list("ancestor_id", "descendant_id"):
        out[descendant].append(ancestor)
    return out


def _hire_retention(unit_ids, today: dt.date) -> dict[int, tuple[int, int]]:
    """Per unit (whole subtree): (hires kept 365 days, hires) among people hired 12 to 24 months ago."""
    cohort = Person.objects.filter(
        hire_date__gt=today - dt.timedelta(days=730), hire_date__lte=today - dt.timedelta(days=365)
    ).values_list("org_unit_id", "hire_date", "exit_date")
    covering = _covering_units(unit_ids)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, hired, left in cohort:
        kept = left is None or left >= hired + dt.timedelta(days=365)
        for ancestor in covering.get(unit_id, ()):
            counts[ancestor][0] += int(kept)
            counts[ancestor][1] += 1
    return {unit: (kept, hires) for unit, (kept, hires) in counts.items()}


def _scorecards_by_unit(unit_ids) -> dict[int, list[list[tuple[str, str]]]]:
    """The scorecards applying to each unit (company-wide ones and those of the unit or an ancestor)."""
    cards: dict[int, dict] = {}
    for card_id, card_unit, category, timing in ScorecardItem.objects.values_list(
        "scorecard_id", "scorecard__org_unit_id", "indicator__category", "timing"
    ):
        entry = cards.setdefault(card_id, {"unit": card_unit, "items": []})
        entry["items"].append((category, timing))
    if not cards:
        return {}
    ancestors = _ancestors_by_unit(unit_ids)
    out: dict[int, list[list[tuple[str, str]]]] = {}
    for unit_id, chain in ancestors.items():
        chain_set = set(chain)
        out[unit_id] = [c["items"] for c in cards.values() if c["unit"] is None or c["unit"] in chain_set]
    return out


def _key_account_coverage(unit_ids) -> dict[int, tuple[int, int]]:
    """Per unit (whole subtree): (key-account customers with an active project team, key-account customers)."""
    key_accounts = Customer.objects.filter(
        Exists(Opportunity.objects.filter(customer=OuterRef("pk"), is_key_account=True))
    ).annotate(covered=Exists(CustomerProjectTeam.objects.filter(customer=OuterRef("pk"), is_active=True)))
    covering = _covering_units(unit_ids)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, covered, n in (
        key_accounts.values("org_unit_id", "covered").annotate(n=Count("pk")).values_list("org_unit_id", "covered", "n")
    ):
        for ancestor in covering.get(unit_id, ()):
            counts[ancestor][0] += n if covered else 0
            counts[ancestor][1] += n
    return {unit: (covered, total) for unit, (covered, total) in counts.items()}


def _part(code: str, value: float | None, numerator=None, denominator=None) -> dict:
    return {"code": code, "value": _round1(value), "numerator": numerator, "denominator": denominator}


def data_radar(unit_ids: list[int] | None, *, today: dt.date | None = None) -> dict[int, list[AxisValue]]:
    """The data-derived series of every unit in ``unit_ids`` (None: all units), set-based."""
    today = today or timezone.localdate()
    first, last = data_window(today)
    ids = list(OrgUnit.objects.values_list("pk", flat=True)) if unit_ids is None else list(unit_ids)
    high_match, _ind = _indicator_window("high_match_candidate_ratio", unit_ids, first, last)
    certification, _ind = _indicator_window("certification_pass_rate", unit_ids, first, last)
    closure, closure_indicator = _indicator_window("cross_dept_closure_days", unit_ids, first, last)
    target_days = float(
        closure_indicator.target if closure_indicator is not None and closure_indicator.target else 0
    ) or float(DEFAULT_CLOSURE_TARGET_DAYS)
    retention = _hire_retention(unit_ids, today)
    cards = _scorecards_by_unit(unit_ids)
    coverage = _key_account_coverage(unit_ids)
    readiness_measure = unit_measure("readiness")
    readiness = readiness_measure(unit_ids, today) if readiness_measure is not None else {}

    out: dict[int, list[AxisValue]] = {}
    for unit_id in ids:
        parts: dict[str, dict] = {}
        num, den, value = high_match.get(unit_id, (None, None, None))
        parts["high_match_candidates"] = _part("high_match_candidates", value, num, den)
        kept, hires = retention.get(unit_id, (None, None))
        parts["hire_retention_12m"] = _part("hire_retention_12m", share_percent(kept, hires), kept, hires)
        num, den, value = certification.get(unit_id, (None, None, None))
        parts["certification_pass_rate"] = _part("certification_pass_rate", value, num, den)
        total, assessed = readiness.get(unit_id, (None, None))
        mean_readiness = float(total) / assessed if assessed else None
        parts["readiness"] = _part("readiness", mean_readiness, total, assessed)
        balance, leading = scorecard_balance(cards.get(unit_id, []), categories=len(IndicatorCategory.values))
        count = len([card for card in cards.get(unit_id, []) if card]) or None
        parts["scorecard_category_balance"] = _part("scorecard_category_balance", balance, None, count)
        parts["scorecard_leading_share"] = _part("scorecard_leading_share", leading, None, count)
        covered, total = coverage.get(unit_id, (None, None))
        parts["key_account_team_coverage"] = _part(
            "key_account_team_coverage", share_percent(covered, total), covered, total
        )
        num, den, days = closure.get(unit_id, (None, None, None))
        part = _part("action_closure_speed", closure_speed_score(days, target_days), num, den)
        part["days"] = _round1(days)
        part["target_days"] = target_days
        parts["action_closure_speed"] = part
        axes = []
        for axis in RadarAxis.values:
            axis_parts = [parts[p.code] for p in PARTS if p.axis == axis]
            axes.append(
                AxisValue(
                    axis=axis, value=_round1(radar_axis_value([p["value"] for p in axis_parts])), parts=axis_parts
                )
            )
        out[unit_id] = axes
    return out


# --- self-assessed --------------------------------------------------------------------


def closed_rounds_with_results(unit_ids=None):
    """Closed rounds whose results are open (enough submissions), newest first, with their counts."""
    rounds = AssessmentRound.objects.filter(closed_at__isnull=False)
    rounds = _unit_filter(rounds, unit_ids)
    return (
        rounds.annotate(submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False)))
        .filter(submitted__gte=F("min_respondents"))
        .select_related("org_unit")
        .order_by("-closed_at", "-id")
    )


def round_score_table(round_ids: list[int]) -> dict[int, dict[str, dict]]:
    """Root-cause scores of many rounds in one query: {round id: {root cause: {"score", "n"}}}."""
    if not round_ids:
        return {}
    rows = list(
        Answer.objects.filter(
            response__round_id__in=round_ids, response__submitted_at__isnull=False, item__kind=ItemKind.LIKERT
        ).values_list(
            "response__round_id",
            "response_id",
            "item__root_cause",
            "item__weight",
            "item__reverse",
            "value",
            "not_applicable",
        )
    )
    frame = pd.DataFrame(
        rows, columns=["round", "respondent", "root_cause", "weight", "reverse", "value", "not_applicable"]
    )
    table: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in scores_by_round(frame, list(RootCause.values)).to_dict("records"):
        table[int(row["round"])][row["root_cause"]] = {"score": float(row["score"]), "n": int(row["n"])}
    return table


def self_axes_from_scores(scores: dict[str, float | None]) -> list[AxisValue]:
    """Root-cause scores → the four radar axes, in axis order (None stays "no data")."""
    root_of = {axis: root for root, axis in ROOT_CAUSE_AXIS.items()}
    axes = []
    for axis in RadarAxis.values:
        root = root_of[axis]
        value = _round1(scores.get(root))
        axes.append(AxisValue(axis=axis, value=value, parts=[{"code": root, "value": value}]))
    return axes


def self_radar(unit_ids: list[int] | None) -> dict[int, tuple[AssessmentRound | None, list[AxisValue]]]:
    """Each unit's self-assessed series from its latest closed round with open results."""
    latest: dict[int, AssessmentRound] = {}
    for assessment_round in closed_rounds_with_results(unit_ids):
        latest.setdefault(assessment_round.org_unit_id, assessment_round)
    table = round_score_table([r.pk for r in latest.values()])
    ids = list(OrgUnit.objects.values_list("pk", flat=True)) if unit_ids is None else list(unit_ids)
    out = {}
    for unit_id in ids:
        assessment_round = latest.get(unit_id)
        scores = table.get(assessment_round.pk, {}) if assessment_round else {}
        out[unit_id] = (
            assessment_round,
            self_axes_from_scores({r: scores.get(r, {}).get("score") for r in RootCause.values}),
        )
    return out


# --- snapshots --------------------------------------------------------------------------


def radar_compute(unit_ids: list[int] | None, *, today: dt.date | None = None, now=None) -> list[RadarSnapshot]:
    """Both series for the units as (unsaved) snapshot rows."""
    now = now or timezone.now()
    data = data_radar(unit_ids, today=today)
    own = self_radar(unit_ids)
    rows = []
    for unit_id, axes in data.items():
        for axis in axes:
            rows.append(
                RadarSnapshot(
                    org_unit_id=unit_id,
                    series=RadarSeries.DATA_DERIVED,
                    axis=axis.axis,
                    value=None if axis.value is None else Decimal(str(axis.value)),
                    parts=axis.parts,
                    computed_at=now,
                )
            )
        assessment_round, self_axes = own[unit_id]
        for axis in self_axes:
            rows.append(
                RadarSnapshot(
                    org_unit_id=unit_id,
                    series=RadarSeries.SELF_ASSESSED,
                    axis=axis.axis,
                    value=None if axis.value is None else Decimal(str(axis.value)),
                    parts=axis.parts,
                    assessment_round=assessment_round,
                    computed_at=now,
                )
            )
    return rows


def _radar_rows_store(rows: list[RadarSnapshot]) -> None:
    RadarSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["org_unit", "series", "axis"],
        update_fields=["value", "parts", "assessment_round", "computed_at"],
        batch_size=2000,
    )


@nightly_step("capability_radars", label=_("Capability radars"), order=40, needs=["indicator_values", "readiness"])
def radar_snapshots_compute(job=None, *, today: dt.date | None = None) -> dict:
    """Recompute both radar series of every org unit and upsert them (a rerun overwrites, never adds)."""
    rows = radar_compute(None, today=today)
    _radar_rows_store(rows)
    return {"units": len(rows) // (2 * len(RadarAxis.values)) if rows else 0, "rows": len(rows)}


def radar_units_refresh(*, unit_ids: list[int]) -> None:
    """Store both radar series of these units now, then let the apps that copy radars (program snapshots) follow.

    Called when a round closes, inside its transaction: the radar and what it feeds never lag behind a closed round.
    """
    _radar_rows_store(radar_compute(list(unit_ids)))
    for listener in RADAR_LISTENERS.values():
        listener(unit_ids=list(unit_ids))


def _series_from_rows(series: str, rows: list[RadarSnapshot]) -> SeriesValues:
    by_axis = {row.axis: row for row in rows if row.series == series}
    axes = [
        AxisValue(
            axis=axis,
            value=None if by_axis.get(axis) is None or by_axis[axis].value is None else float(by_axis[axis].value),
            parts=by_axis[axis].parts if axis in by_axis else [],
        )
        for axis in RadarAxis.values
    ]
    first = next(iter(by_axis.values()), None)
    return SeriesValues(
        series=series,
        computed_at=first.computed_at if first else None,
        axes=axes,
        assessment_round=first.assessment_round if first else None,
    )


def unit_radar(unit: OrgUnit) -> UnitRadar:
    """Both series of a unit from the nightly snapshots; computed now if the unit has none yet."""
    rows = list(RadarSnapshot.objects.filter(org_unit=unit).select_related("assessment_round"))
    stored = len(rows) == 2 * len(RadarAxis.values)
    if not stored:
        rows = radar_compute([unit.pk])
        round_ids = {row.assessment_round_id for row in rows if row.assessment_round_id}
        rounds = AssessmentRound.objects.in_bulk(round_ids)
        for row in rows:
            if row.assessment_round_id:
                row.assessment_round = rounds[row.assessment_round_id]
    return UnitRadar(
        unit=unit,
        self_assessed=_series_from_rows(RadarSeries.SELF_ASSESSED, rows),
        data_derived=_series_from_rows(RadarSeries.DATA_DERIVED, rows),
        stored=stored,
    )


def part_rows(axis: AxisValue) -> list[dict]:
    """A data-derived axis's parts with their labels, formulas and sources, for the page."""
    out = []
    for part in axis.parts:
        spec = PARTS_BY_CODE.get(part.get("code"))
        if spec is None:
            continue
        out.append({**part, "label": spec.label, "formula": spec.formula, "source": spec.source})
    return out
