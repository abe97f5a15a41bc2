"""Learning impact from the database: completions of an activity, comparable people, and their monthly metric.

The three layers of the seed's part 2.2 (3): learning (who completed the activity), behaviour (a behaviour
metric per person and month) and results (a person-level indicator per month). The statistics are in
:mod:`enablement.stats`; this module chooses the people and loads the panel in three queries.

Controls are the active people of the participants' roles (in the reader's scope) who have not completed
the activity; enrolled-but-unfinished people count as controls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import Person
from performance.choices import PeriodKind
from performance.dashboards import shift_period
from performance.models import Indicator, IndicatorValue

from .models import BehaviourMetric, BehaviourObservation, Enrolment, LearningActivity
from .stats import ImpactResult, activity_impact

MAX_WINDOW = 24

METHOD = gettext_lazy(
    "Participants are the people who completed the activity; comparable people are the active people of the same "
    "roles who did not. For people who completed in month m, the months before are m − pre … m − 1 and the months "
    "after are m + 1 … m + post; the completion month is left out. Each completion month is compared with the "
    "comparable people over the same calendar months, and the comparisons are pooled. The estimate is the "
    "difference in differences: how much more the participants' value changed from before to after than the "
    "comparable people's value changed over the same months (a regression with person and month effects; its interval "
    "(95%) uses errors clustered by person). A trend that everyone shares cancels out, and so does a head "
    "start of the participants. The naive change is the participants' own before-to-after change without any "
    "comparison: the gap between the two is what would have happened anyway."
)


@dataclass(frozen=True)
class MetricChoice:
    """What the impact is measured on: a behaviour metric (layer 2) or a person-level indicator (layer 3)."""

    code: str
    name: str
    layer: str  # "behaviour" or "result"
    unit: str


def metric_choices() -> list[MetricChoice]:
    """Behaviour metrics first, then indicators that have person-level values."""
    metrics = [MetricChoice(m.code, m.name, "behaviour", m.unit) for m in BehaviourMetric.objects.order_by("code")]
    person_level = IndicatorValue.objects.filter(person__isnull=False, period=PeriodKind.MONTH).values("indicator_id")
    indicators = [
        MetricChoice(i.code, i.name, "result", i.get_unit_display())
        for i in Indicator.objects.filter(pk__in=person_level.distinct()).order_by("sort_order", "code")
    ]
    return metrics + indicators


def impact_of(
    *, activity: LearningActivity, metric: str, pre: int, post: int, people=None, today: dt.date | None = None
) -> tuple[MetricChoice, ImpactResult]:
    """The impact of ``activity`` on ``metric`` (behaviour metric or indicator code) with ``pre``/``post`` months.

    ``people``: a queryset limiting who is considered (the reader's scope); None means everyone.
    Raises ValidationError naming the parameter for an unknown metric or a window out of range.
    """
    errors = {}
    for name, value in (("pre", pre), ("post", post)):
        if not 1 <= value <= MAX_WINDOW:
            errors[name] = _("Choose between 1 and %(max)d months.") % {"max": MAX_WINDOW}
    behaviour = BehaviourMetric.objects.filter(code=metric).first()
    indicator = None if behaviour else Indicator.objects.filter(code=metric).first()
    if behaviour is None and indicator is None:
        errors["metric"] = _("“%s” is neither a behaviour metric nor an indicator.") % metric
    if errors:
        raise ValidationError(errors)
    people = people if people is not None else Person.objects.all()

    completions = pd.DataFrame(
        list(
            Enrolment.objects.filter(activity=activity, completed_on__isnull=False, person__in=people).values_list(
                "person_id", "completed_on", "person__role"
            )
        ),
        columns=["person", "month", "role"],
    )
    if completions.empty:
        choice = _choice(behaviour, indicator)
        return choice, activity_impact(_empty_obs(), completions[["person", "month"]], [], pre=pre, post=post)
    completions["month"] = pd.to_datetime(completions["month"]).dt.to_period("M").dt.to_timestamp()
    first = shift_period(completions["month"].min().date(), PeriodKind.MONTH, -pre)
    last = shift_period(completions["month"].max().date(), PeriodKind.MONTH, post)
    roles = sorted(set(completions["role"]))
    completed = Enrolment.objects.filter(activity=activity, completed_on__isnull=False).values("person_id")
    active = Q(exit_date__isnull=True) | Q(exit_date__gte=first)
    controls = list(people.filter(active, role__in=roles).exclude(pk__in=completed).values_list("pk", flat=True))
    subjects = set(completions["person"]) | set(controls)
    if behaviour is not None:
        rows = BehaviourObservation.objects.filter(
            metric=behaviour, person_id__in=subjects, month__gte=first, month__lte=last
        ).values_list("person_id", "month", "value")
    else:
        rows = IndicatorValue.objects.filter(
            indicator=indicator,
            period=PeriodKind.MONTH,
            person_id__in=subjects,
            period_start__gte=first,
            period_start__lte=last,
            value__isnull=False,
        ).values_list("person_id", "period_start", "value")
    observations = pd.DataFrame(list(rows), columns=["person", "month", "value"])
    observations["value"] = observations["value"].astype(float)
    result = activity_impact(observations, completions[["person", "month"]], controls, pre=pre, post=post)
    return _choice(behaviour, indicator), result


def _choice(behaviour, indicator) -> MetricChoice:
    if behaviour is not None:
        return MetricChoice(behaviour.code, behaviour.name, "behaviour", behaviour.unit)
    return MetricChoice(indicator.code, indicator.name, "result", indicator.get_unit_display())


def _empty_obs() -> pd.DataFrame:
    # Person ids as objects, like the (empty) completions they are merged with: pandas refuses float vs object.
    return pd.DataFrame(
        {"person": pd.Series([], dtype=object), "month": pd.to_datetime([]), "value": pd.Series([], dtype=float)}
    )


@dataclass(frozen=True)
class LayerRow:
    """One metric of the three-layer view with its estimate (None when there is too little data)."""

    metric: MetricChoice
    result: ImpactResult


@dataclass(frozen=True)
class ThreeLayers:
    """Learning (who completed what) → behaviour change → result change, for one activity."""

    enrolled: int
    completed: int
    hours: float
    behaviour: list[LayerRow]
    results: list[LayerRow]

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.completed / self.enrolled, 1) if self.enrolled else None


def three_layers(*, activity: LearningActivity, pre: int, post: int, people=None) -> ThreeLayers:
    """The activity's learning figures, its impact on every behaviour metric, and on the indicators of the
    journey stages its capability items belong to (those with person-level monthly values)."""
    people = people if people is not None else Person.objects.all()
    enrolments = Enrolment.objects.filter(activity=activity, person__in=people)
    enrolled = enrolments.count()
    completed = enrolments.filter(completed_on__isnull=False).count()
    hours = float(activity.hours or 0) * completed
    choices = metric_choices()
    stage_indicators = set(
        Indicator.objects.filter(pk__in=activity.capability_items.values("stage__indicators")).values_list(
            "code", flat=True
        )
    )
    behaviour, results = [], []
    for choice in choices:
        if choice.layer == "behaviour":
            behaviour.append(
                LayerRow(choice, impact_of(activity=activity, metric=choice.code, pre=pre, post=post, people=people)[1])
            )
        elif choice.code in stage_indicators:
            results.append(
                LayerRow(choice, impact_of(activity=activity, metric=choice.code, pre=pre, post=post, people=people)[1])
            )
    return ThreeLayers(enrolled, completed, hours, behaviour, results)
