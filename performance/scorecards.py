"""Scorecards: 3–5 weighted key indicators per role, warnings against a "result scoreboard",
and attainment per person and per team, with the computation shown line by line.

Attainment of one item = actual / target when higher is better, target / actual when lower
is better, capped at ATTAINMENT_CAP (150 %) and floored at 0. A card's attainment is the
weighted mean over the items that have a value in the period (weights renormalized); items
without data are shown as such and do not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.models import OrgUnit, OrgUnitClosure, Person
from org.ui.formatting import format_decimal

from .choices import Direction, IndicatorTiming
from .models import Indicator, IndicatorValue, Scorecard, ScorecardItem

ATTAINMENT_CAP = Decimal("1.5")
# Colour bands of an attainment on the scorecard page: met at 100 % and above, near from 80 %, below under that.
NEAR_FROM = Decimal("0.8")
MIN_ITEMS, MAX_ITEMS = 3, 5


@dataclass(frozen=True)
class ItemSpec:
    indicator: Indicator
    weight: Decimal
    target: Decimal
    timing: str | None = None


def scorecard_warnings(indicators_and_timings: list[tuple[Indicator, str]]) -> list[str]:
    """The seed's "result scoreboard" trap: one category only, or lagging results only."""
    warnings = []
    categories = {indicator.category for indicator, _timing in indicators_and_timings}
    if len(categories) == 1:
        warnings.append(
            _("This scorecard covers only one indicator category; balance results with quality, health or value.")
        )
    if indicators_and_timings and all(timing == IndicatorTiming.LAGGING for _ind, timing in indicators_and_timings):
        warnings.append(
            _(
                "This scorecard has only lagging results: it is a result scoreboard that gives no guidance on the "
                "behaviours that produce them. Add a leading indicator."
            )
        )
    return warnings


def _validate_items(items: list[ItemSpec]) -> None:
    errors = []
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        errors.append(_("A scorecard has 3 to 5 key indicators; this one has %(n)d.") % {"n": len(items)})
    codes = [item.indicator.code for item in items]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        errors.append(_("Each indicator may appear once; repeated: %(codes)s.") % {"codes": ", ".join(duplicates)})
    if any(item.weight <= 0 for item in items):
        errors.append(_("Every weight must be above 0."))
    total = sum((item.weight for item in items), Decimal("0"))
    if total != Decimal("100"):
        errors.append(_("Weights must add up to 100; they add up to %(total)s.") % {"total": format_decimal(total)})
    if any(item.target <= 0 for item in items):
        errors.append(_("Every target must be above 0."))
    if errors:
        raise ValidationError({"items": errors})


@transaction.atomic
def scorecard_save(
    *,
    name: str,
    role: str,
    period: str,
    items: list[ItemSpec],
    org_unit: OrgUnit | None = None,
    scorecard: Scorecard | None = None,
) -> tuple[Scorecard, list[str]]:
    """Create or replace a scorecard with its items; returns it with its balance warnings."""
    _validate_items(items)
    card = scorecard or Scorecard()
    card.name, card.role, card.period, card.org_unit = name, role, period, org_unit
    card.full_clean()
    card.save()
    card.items.all().delete()
    ScorecardItem.objects.bulk_create(
        ScorecardItem(
            scorecard=card,
            indicator=item.indicator,
            weight=item.weight,
            target=item.target,
            timing=item.timing or item.indicator.timing,
            position=position,
        )
        for position, item in enumerate(items)
    )
    return card, scorecard_warnings([(item.indicator, item.timing or item.indicator.timing) for item in items])


# --- attainment ------------------------------------------------------------------------


@dataclass
class ItemResult:
    indicator: Indicator
    weight: Decimal
    target: Decimal
    timing: str
    actual: Decimal | None
    ratio: Decimal | None  # capped attainment of this item, 0..1.5
    contribution: Decimal | None  # ratio × renormalized weight, in percentage points

    @property
    def band(self) -> str | None:
        return attainment_band(self.ratio)


@dataclass
class Attainment:
    subject: str
    items: list[ItemResult] = field(default_factory=list)
    score: Decimal | None = None  # percent
    coverage: Decimal = Decimal("0")  # share of weight with data, percent

    @property
    def band(self) -> str | None:
        return None if self.score is None else attainment_band(self.score / 100)


def attainment_band(ratio: Decimal | None) -> str | None:
    """ "met" (ratio ≥ 1), "near" (≥ NEAR_FROM) or "below": the colour of an attainment on the page."""
    if ratio is None:
        return None
    if ratio >= 1:
        return "met"
    return "near" if ratio >= NEAR_FROM else "below"


def _item_ratio(item: ScorecardItem, actual: Decimal) -> Decimal:
    if item.indicator.direction == Direction.LOWER:
        ratio = ATTAINMENT_CAP if actual <= 0 else item.target / actual
    else:
        ratio = actual / item.target
    return max(Decimal("0"), min(ATTAINMENT_CAP, ratio))


def _attainment(subject: str, items: list[ScorecardItem], actuals: dict[int, Decimal | None]) -> Attainment:
    result = Attainment(subject=subject)
    with_data = [item for item in items if actuals.get(item.indicator_id) is not None]
    weight_with_data = sum((item.weight for item in with_data), Decimal("0"))
    total_weight = sum((item.weight for item in items), Decimal("0"))
    score = Decimal("0")
    for item in items:
        actual = actuals.get(item.indicator_id)
        ratio = contribution = None
        if actual is not None:
            ratio = _item_ratio(item, actual)
            contribution = ratio * item.weight / weight_with_data * 100
            score += contribution
        result.items.append(
            ItemResult(
                indicator=item.indicator,
                weight=item.weight,
                target=item.target,
                timing=item.timing,
                actual=actual,
                ratio=None if ratio is None else ratio.quantize(Decimal("0.0001")),
                contribution=None if contribution is None else contribution.quantize(Decimal("0.01")),
            )
        )
    if with_data:
        result.score = score.quantize(Decimal("0.01"))
    result.coverage = (
        (weight_with_data / total_weight * 100).quantize(Decimal("0.01")) if total_weight else Decimal("0")
    )
    return result


def scorecard_attainment(
    *, scorecard: Scorecard, org_unit: OrgUnit, period_start: dt.date
) -> tuple[Attainment, list[tuple[Person, Attainment]]]:
    """The team's attainment (the unit's own values) and each person's of the card's role in the subtree.

    Two queries for the values whatever the number of people: one for the unit, one for its people.
    """
    items = list(scorecard.items.select_related("indicator"))
    indicator_ids = [item.indicator_id for item in items]
    unit_values = dict(
        IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids,
            org_unit=org_unit,
            period=scorecard.period,
            period_start=period_start,
        ).values_list("indicator_id", "value")
    )
    team = _attainment(org_unit.name, items, unit_values)
    people = list(
        Person.objects.filter(
            role=scorecard.role,
            org_unit__in=OrgUnitClosure.objects.filter(ancestor=org_unit).values("descendant_id"),
        )
        .select_related("org_unit")
        .order_by("name")
    )
    per_person: dict[int, dict[int, Decimal | None]] = {}
    for person_id, indicator_id, value in IndicatorValue.objects.filter(
        indicator_id__in=indicator_ids,
        person__in=[person.pk for person in people],
        period=scorecard.period,
        period_start=period_start,
    ).values_list("person_id", "indicator_id", "value"):
        per_person.setdefault(person_id, {})[indicator_id] = value
    return team, [(person, _attainment(person.name, items, per_person.get(person.pk, {}))) for person in people]
