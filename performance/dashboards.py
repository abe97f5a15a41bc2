"""KPI dashboards of an org unit, read from precomputed rows only.

Everything here reads IndicatorValue (written by the indicator engine) and LtvCohort (written
by the LTV step); nothing touches the customer facts, so a page costs the same whether the
unit has ten customers or a million. The number of queries is fixed: it does not grow with
the number of child units, people or indicators (people are paginated).

A dashboard covers one period kind (month, quarter or year) and a window of the latest
WINDOW[kind] periods that have values for the unit, ending at ``to`` when given.
Indicators shown are those with at least one value for the unit in that window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from org.models import OrgUnit, OrgUnitClosure, Person
from org.selectors import ALL_UNITS, NO_UNITS, scope_root, unit_in_scope
from org.ui.dates import month_text

from .choices import Direction, IndicatorTiming, PeriodKind
from .models import Indicator, IndicatorValue, LtvCohort, ScorecardItem
from .services import period_floor

WINDOW = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 8, PeriodKind.YEAR: 5}
STEP_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
PEOPLE_PAGE_SIZE = 50
MAX_PEOPLE_PAGE_SIZE = 500
NAME = "name"
ASC, DESC = "asc", "desc"


def shift_period(start: dt.date, kind: str, steps: int) -> dt.date:
    """The start of the period ``steps`` periods after (or before, if negative) ``start``."""
    index = start.year * 12 + start.month - 1 + steps * STEP_MONTHS[kind]
    return dt.date(index // 12, index % 12 + 1, 1)


def period_label(start: dt.date, kind: str) -> str:
    """How a period is named on axes and table headers, in the active language: 2025年4月 / April 2025,
    2025 年第 2 季度 / 2025 Q2, 2025."""
    if kind == PeriodKind.MONTH:
        return month_text(start)
    if kind == PeriodKind.QUARTER:
        return _("%(year)s Q%(quarter)s") % {"year": start.year, "quarter": (start.month - 1) // 3 + 1}
    return str(start.year)


def period_axis_label(start: dt.date, kind: str) -> str:
    """A period as a chart axis names it: short enough for eight of them under a half-width chart
    (2025Q2 in both languages; months and years as ``period_label``)."""
    if kind == PeriodKind.QUARTER:
        return pgettext("a quarter on a chart axis", "%(year)sQ%(quarter)s") % {
            "year": start.year,
            "quarter": (start.month - 1) // 3 + 1,
        }
    return period_label(start, kind)


def on_target(indicator: Indicator, value: Decimal | None, target: Decimal | None = None) -> bool | None:
    """Whether a value meets a target (the indicator's own unless given), given its direction; None without both."""
    target = indicator.target if target is None else target
    if value is None or target is None:
        return None
    if indicator.direction == Direction.LOWER:
        return value <= target
    return value >= target


@dataclass(frozen=True)
class Point:
    period_start: dt.date
    value: Decimal | None
    numerator: Decimal
    denominator: Decimal


@dataclass
class IndicatorSeries:
    """One indicator's values for the unit over the window (periods without a row are absent)."""

    indicator: Indicator
    points: list[Point]
    period: str
    latest_start: dt.date
    # The target the dashboard holds it to: the library's, else a scorecard's that covers the unit.
    target: Decimal | None = None
    target_scorecard: str = ""  # the scorecard's name when the target comes from one

    def _value_at(self, start: dt.date) -> Decimal | None:
        return next((point.value for point in self.points if point.period_start == start), None)

    @property
    def latest(self) -> Decimal | None:
        return self._value_at(self.latest_start)

    @property
    def previous(self) -> Decimal | None:
        return self._value_at(shift_period(self.latest_start, self.period, -1))

    @property
    def on_target(self) -> bool | None:
        return on_target(self.indicator, self.latest, self.target)


@dataclass
class SubjectRow:
    """A child unit or a person with their values in the latest period, keyed by indicator code."""

    subject: OrgUnit | Person
    values: dict[str, Decimal | None]


@dataclass
class Dashboard:
    unit: OrgUnit
    period: str
    ancestors: list[OrgUnit] = field(default_factory=list)
    period_starts: list[dt.date] = field(default_factory=list)
    series: list[IndicatorSeries] = field(default_factory=list)
    children: list[SubjectRow] = field(default_factory=list)
    sort: str = NAME
    order: str = ASC
    people: Page | None = None
    people_sort: str = NAME
    people_order: str = ASC
    ltv_cohorts: list[LtvCohort] = field(default_factory=list)
    computed_at: dt.datetime | None = None
    values_changed_at: dt.datetime | None = None
    ltv_computed_at: dt.datetime | None = None

    @property
    def has_values(self) -> bool:
        return bool(self.series)

    @property
    def latest_start(self) -> dt.date | None:
        return self.period_starts[-1] if self.period_starts else None

    @property
    def indicators(self) -> list[Indicator]:
        return [item.indicator for item in self.series]

    @property
    def leading(self) -> list[IndicatorSeries]:
        return [item for item in self.series if item.indicator.timing == IndicatorTiming.LEADING]

    @property
    def lagging(self) -> list[IndicatorSeries]:
        return [item for item in self.series if item.indicator.timing != IndicatorTiming.LEADING]

    def target_of(self, indicator: Indicator) -> Decimal | None:
        return next((item.target for item in self.series if item.indicator.pk == indicator.pk), None)

    @property
    def chart_indicator(self) -> Indicator | None:
        """The indicator the child-unit bar chart compares: the sort column, else the first lagging one."""
        by_code = {indicator.code: indicator for indicator in self.indicators}
        if self.sort in by_code:
            return by_code[self.sort]
        first = self.lagging or self.series
        return first[0].indicator if first else None


# --- which unit ----------------------------------------------------------------------------


def dashboard_unit(*, user, code: str | None = None) -> OrgUnit | None:
    """The unit a dashboard shows: the named one (404 outside the user's subtree), else the user's scope root.

    None when the user sees nothing.
    """
    return unit_in_scope(user, code)


def _visible_ancestors(user, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors from the top down (itself last), cut at the user's scope root."""
    links = list(OrgUnitClosure.objects.filter(descendant=unit).select_related("ancestor").order_by("-depth"))
    ancestors = [link.ancestor for link in links]
    root = scope_root(user)
    if root in (ALL_UNITS, NO_UNITS):
        return ancestors
    ids = [ancestor.pk for ancestor in ancestors]
    return ancestors[ids.index(root) :] if root in ids else [unit]


# --- sorting -----------------------------------------------------------------------------


def _clean_sort(sort: str | None, order: str | None, codes: set[str]) -> tuple[str, str]:
    sort = sort if sort in codes else NAME
    order = DESC if order == DESC else ASC
    return sort, order


def _sorted_children(rows: list[SubjectRow], sort: str, order: str) -> list[SubjectRow]:
    """Sort by name or by one indicator's value; units without a value always come last."""
    if sort == NAME:
        return sorted(rows, key=lambda row: row.subject.name.lower(), reverse=order == DESC)
    with_value = [row for row in rows if row.values.get(sort) is not None]
    without = [row for row in rows if row.values.get(sort) is None]
    with_value.sort(key=lambda row: (row.values[sort], row.subject.name.lower()), reverse=order == DESC)
    return with_value + sorted(without, key=lambda row: row.subject.name.lower())


# --- targets -----------------------------------------------------------------------------


def _scorecard_targets(unit: OrgUnit, indicator_ids: list[int]) -> dict[int, tuple[Decimal, str]]:
    """Per indicator, the target a scorecard covering ``unit`` sets (one query): a scorecard of the unit or
    of an ancestor before a company-wide one, the nearest unit first, then the scorecard edited last."""
    items = (
        ScorecardItem.objects.filter(indicator_id__in=indicator_ids)
        .filter(
            Q(scorecard__org_unit__isnull=True)
            | Q(scorecard__org_unit__in=OrgUnitClosure.objects.filter(descendant=unit).values("ancestor_id"))
        )
        .annotate(
            depth=Subquery(
                OrgUnitClosure.objects.filter(descendant=unit, ancestor=OuterRef("scorecard__org_unit")).values(
                    "depth"
                )[:1]
            )
        )
        .select_related("scorecard")
        .order_by(F("depth").asc(nulls_last=True), "-scorecard__updated_at", "scorecard_id")
    )
    targets: dict[int, tuple[Decimal, str]] = {}
    for item in items:
        targets.setdefault(item.indicator_id, (item.target, item.scorecard.name))
    return targets


# --- the dashboard -------------------------------------------------------------------------


def dashboard_build(
    *,
    user,
    unit: OrgUnit,
    period: str = PeriodKind.QUARTER,
    to: dt.date | None = None,
    sort: str | None = None,
    order: str | None = None,
    people_sort: str | None = None,
    people_order: str | None = None,
    people_page: int | str | None = 1,
    people_page_size: int = PEOPLE_PAGE_SIZE,
) -> Dashboard:
    """Everything a unit's dashboard shows, in a fixed number of queries (about ten).

    The caller has checked that ``unit`` lies in the user's scope; the unit's whole subtree
    then does too, so its child units and people need no further filtering.
    """
    period = PeriodKind(period)
    dashboard = Dashboard(unit=unit, period=period, ancestors=_visible_ancestors(user, unit))
    indicators = list(Indicator.objects.all())
    by_id = {indicator.pk: indicator for indicator in indicators}
    ids = list(by_id)

    # Filtering on indicator_id first lets the (indicator, period, org_unit, period_start) key serve.
    unit_values = IndicatorValue.objects.filter(indicator_id__in=ids, org_unit=unit, period=period)
    # Periods after today hold only what is already due in them (contracts ending later): not a result yet.
    unit_values = unit_values.filter(period_start__lte=period_floor(to or timezone.localdate(), period))
    latest = unit_values.aggregate(latest=Max("period_start"))["latest"]
    dashboard.ltv_cohorts = list(LtvCohort.objects.filter(org_unit=unit).order_by("cohort"))
    dashboard.ltv_computed_at = max((row.computed_at for row in dashboard.ltv_cohorts), default=None)
    if latest is None:
        dashboard.people = Paginator(Person.objects.none(), people_page_size).get_page(1)
        return dashboard

    first = shift_period(latest, period, 1 - WINDOW[period])
    dashboard.period_starts = [shift_period(first, period, step) for step in range(WINDOW[period])]
    points: dict[int, list[Point]] = {}
    changed = []
    for indicator_id, start, value, numerator, denominator, computed_at in (
        unit_values.filter(period_start__gte=first)
        .order_by("period_start")
        .values_list("indicator_id", "period_start", "value", "numerator", "denominator", "computed_at")
    ):
        points.setdefault(indicator_id, []).append(Point(start, value, numerator, denominator))
        changed.append(computed_at)
    dashboard.series = [
        IndicatorSeries(indicator=indicator, points=points[indicator.pk], period=period, latest_start=latest)
        for indicator in indicators
        if any(point.value is not None for point in points.get(indicator.pk, []))
    ]
    shown = {item.indicator.pk: item.indicator.code for item in dashboard.series}
    untargeted = [item.indicator.pk for item in dashboard.series if item.indicator.target is None]
    from_scorecards = _scorecard_targets(unit, untargeted) if untargeted else {}
    for item in dashboard.series:
        if item.indicator.target is not None:
            item.target = item.indicator.target
        elif item.indicator.pk in from_scorecards:
            item.target, item.target_scorecard = from_scorecards[item.indicator.pk]
    codes = set(shown.values())
    dashboard.values_changed_at = max(changed, default=None)
    dashboard.computed_at = max(
        (item.indicator.last_computed_at for item in dashboard.series if item.indicator.last_computed_at),
        default=dashboard.values_changed_at,
    )

    # Child units compared in the latest period: one query for the units, one for their values.
    children = list(OrgUnit.objects.filter(parent=unit).order_by("code"))
    child_values: dict[int, dict[str, Decimal | None]] = {child.pk: {} for child in children}
    for unit_id, indicator_id, value in IndicatorValue.objects.filter(
        indicator_id__in=list(shown), org_unit_id__in=list(child_values), period=period, period_start=latest
    ).values_list("org_unit_id", "indicator_id", "value"):
        child_values[unit_id][shown[indicator_id]] = value
    dashboard.sort, dashboard.order = _clean_sort(sort, order, codes)
    dashboard.children = _sorted_children(
        [SubjectRow(child, child_values[child.pk]) for child in children], dashboard.sort, dashboard.order
    )

    # People of the subtree, paginated and sorted in SQL (a sort by value must hold across pages).
    dashboard.people_sort, dashboard.people_order = _clean_sort(people_sort, people_order, codes)
    people = Person.objects.filter(
        org_unit__in=OrgUnitClosure.objects.filter(ancestor=unit).values("descendant_id"),
    ).filter(Q(exit_date__isnull=True) | Q(exit_date__gte=first))
    people = people.select_related("org_unit")
    if dashboard.people_sort == NAME:
        ordering = ["-name" if dashboard.people_order == DESC else "name", "external_id"]
    else:
        sort_indicator = next(pk for pk, code in shown.items() if code == dashboard.people_sort)
        people = people.annotate(
            sort_value=Subquery(
                IndicatorValue.objects.filter(
                    indicator_id=sort_indicator, person=OuterRef("pk"), period=period, period_start=latest
                ).values("value")[:1]
            )
        )
        key = F("sort_value")
        ordering = [
            key.desc(nulls_last=True) if dashboard.people_order == DESC else key.asc(nulls_last=True),
            "name",
            "external_id",
        ]
    page_size = max(1, min(int(people_page_size), MAX_PEOPLE_PAGE_SIZE))
    page = Paginator(people.order_by(*ordering), page_size).get_page(people_page)
    person_values: dict[int, dict[str, Decimal | None]] = {person.pk: {} for person in page.object_list}
    if person_values:
        for person_id, indicator_id, value in IndicatorValue.objects.filter(
            indicator_id__in=list(shown), person_id__in=list(person_values), period=period, period_start=latest
        ).values_list("person_id", "indicator_id", "value"):
            person_values[person_id][shown[indicator_id]] = value
    page.object_list = [SubjectRow(person, person_values[person.pk]) for person in page.object_list]
    dashboard.people = page
    return dashboard
