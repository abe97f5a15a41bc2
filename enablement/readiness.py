"""Readiness: how prepared each person (and team) is for each stage of their customer-journey map.

For a person and a stage of the map for their role (the role's own map, else the default map):

    readiness = 100 × (0.5·C + 0.3·D + 0.2·L) / (sum of the weights of the parts the stage has)

* C, certification: the mean over the stage's capability items of min(1, level certified / level required);
* D, drills: the mean over the stage's active scenarios the person was drilled in of
  (latest weighted score − 1) / 4; 0 when the stage has scenarios but the person has not been drilled;
  left out when the stage has no active scenario;
* L, learning: the activities that build the stage's capability items that the person completed / all such
  activities; left out when no activity builds them.

A person's overall readiness is the mean over the stages; they are *ready* at 70 or more. A team's readiness
for a stage is the mean over its active people; its share ready is ready people / people. Capability items
are matched by code, so drills and certifications on one map count for copies of it.

Everything is loaded with a fixed number of queries and computed in memory. The results are kept per
person (ReadinessSnapshot): refreshed for a person when a drill is scored or an enrolment changes, for
everyone nightly and after edits of maps, activities or scenarios. Team pages and the radar read the
snapshots (people without one yet are computed on the spot); a person's own page computes live.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.jobs import nightly_step
from org.measures import register_unit_measure
from org.models import OrgUnitClosure, Person

from .choices import READINESS_WEIGHTS, READY_AT
from .models import (
    Certification,
    DrillSession,
    Enrolment,
    JourneyMap,
    LearningActivity,
    ReadinessSnapshot,
    Scenario,
)

REFRESH_CHUNK = 2000

FORMULA = _(
    "readiness = 100 × (0.5 × C + 0.3 × D + 0.2 × L) ÷ (the weights of the parts the stage has). "
    "C = mean over the stage's capability items of min(1, level certified ÷ level required); "
    "D = mean over the stage's scenarios the person was drilled in of (latest weighted score − 1) ÷ 4, "
    "0 if not drilled yet; L = completed activities that build the stage's items ÷ all such activities. "
    "Overall = mean over the stages; ready at 70 or more."
)


@dataclass
class StageReadiness:
    """A person's readiness for one stage, with its parts on 0-1 (None: the stage has no such part)."""

    code: str
    name: str
    value: float | None
    certification: float | None
    drills: float | None
    learning: float | None


@dataclass
class ItemProficiency:
    """A capability item of the person's map: the level certified, the level required, the latest drill."""

    code: str
    name: str
    stage: str
    certified_level: int
    required_level: int
    latest_drill: float | None


@dataclass
class PersonReadiness:
    person: Person
    journey_map: JourneyMap | None
    stages: list[StageReadiness] = field(default_factory=list)
    items: list[ItemProficiency] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        values = [s.value for s in self.stages if s.value is not None]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def ready(self) -> bool:
        return self.overall is not None and self.overall >= READY_AT


class _Facts:
    """Everything readiness needs about a set of people, loaded in a fixed number of queries."""

    def __init__(self, person_ids: list[int]):
        self.maps = list(JourneyMap.objects.prefetch_related("stages__capability_items").order_by("id"))
        self.map_by_key = {(m.role, m.segment): m for m in self.maps}
        self.scenario_item: dict[int, str] = dict(
            Scenario.objects.filter(is_active=True).values_list("pk", "capability_item__code")
        )
        self.certified: dict[tuple[int, str], int] = defaultdict(int)
        for person_id, code, level in Certification.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "capability_item__code", "level"
        ):
            key = (person_id, code)
            self.certified[key] = max(self.certified[key], level)
        # latest weighted score per person and scenario: later sessions overwrite earlier ones
        self.latest: dict[int, dict[int, float]] = defaultdict(dict)
        for person_id, scenario_id, score in (
            DrillSession.objects.filter(person_id__in=person_ids)
            .order_by("held_on", "id")
            .values_list("person_id", "scenario_id", "weighted_score")
        ):
            self.latest[person_id][scenario_id] = float(score)
        self.activity_codes: dict[int, set[str]] = defaultdict(set)
        for activity_id, code in LearningActivity.objects.filter(capability_items__isnull=False).values_list(
            "pk", "capability_items__code"
        ):
            self.activity_codes[activity_id].add(code)
        self.completed: dict[int, set[int]] = defaultdict(set)
        for person_id, activity_id in Enrolment.objects.filter(
            person_id__in=person_ids, completed_on__isnull=False
        ).values_list("person_id", "activity_id"):
            self.completed[person_id].add(activity_id)

    def map_for(self, role: str) -> JourneyMap | None:
        return self.map_by_key.get((role, "")) or self.map_by_key.get(("", ""))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _person_readiness(person: Person, facts: _Facts) -> PersonReadiness:
    journey_map = facts.map_for(person.role)
    result = PersonReadiness(person=person, journey_map=journey_map)
    if journey_map is None:
        return result
    latest = facts.latest.get(person.pk, {})
    for stage in journey_map.stages.all():
        items = list(stage.capability_items.all())
        codes = {item.code for item in items}
        for item in items:
            drills = [score for sid, score in latest.items() if facts.scenario_item.get(sid) == item.code]
            result.items.append(
                ItemProficiency(
                    code=item.code,
                    name=item.name,
                    stage=stage.name,
                    certified_level=facts.certified.get((person.pk, item.code), 0),
                    required_level=item.required_level,
                    latest_drill=max(drills) if drills else None,
                )
            )
        if not items:
            result.stages.append(StageReadiness(stage.code, stage.name, None, None, None, None))
            continue
        certification = _mean(
            [min(1.0, facts.certified.get((person.pk, item.code), 0) / item.required_level) for item in items]
        )
        scenarios = [sid for sid, code in facts.scenario_item.items() if code in codes]
        drills = None
        if scenarios:
            drilled = [(latest[sid] - 1) / 4 for sid in scenarios if sid in latest]
            drills = _mean(drilled) if drilled else 0.0
        activities = {aid for aid, item_codes in facts.activity_codes.items() if item_codes & codes}
        learning = len(facts.completed.get(person.pk, set()) & activities) / len(activities) if activities else None
        parts = {"certification": certification, "drills": drills, "learning": learning}
        weights = {name: READINESS_WEIGHTS[name] for name, value in parts.items() if value is not None}
        value = 100 * sum(weights[name] * parts[name] for name in weights) / sum(weights.values())
        result.stages.append(StageReadiness(stage.code, stage.name, round(value, 1), certification, drills, learning))
    return result


def people_readiness(people: list[Person]) -> list[PersonReadiness]:
    """Readiness of each person in ``people`` (keeps their order)."""
    facts = _Facts([p.pk for p in people])
    return [_person_readiness(person, facts) for person in people]


def person_readiness(person: Person) -> PersonReadiness:
    """One person's readiness per stage, with their capability items."""
    return people_readiness([person])[0]


def readiness_refresh(*, person_ids=None, today: dt.date | None = None) -> int:
    """Recompute and store the readiness of the given people (None: every active person); returns rows.

    Refreshing everyone also drops the snapshots of people who left.
    """
    today = today or timezone.localdate()
    people = Person.objects.order_by("pk")
    people = people.filter(pk__in=list(person_ids)) if person_ids is not None else people.filter(_active(today))
    now = timezone.now()
    written = 0
    ids = list(people.values_list("pk", flat=True))
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = list(Person.objects.filter(pk__in=ids[start : start + REFRESH_CHUNK]).order_by("pk"))
        rows = [
            ReadinessSnapshot(
                person=row.person,
                journey_map=row.journey_map,
                overall=row.overall,
                ready=row.ready,
                stages=[
                    {
                        "code": stage.code,
                        "value": stage.value,
                        "certification": stage.certification,
                        "drills": stage.drills,
                        "learning": stage.learning,
                    }
                    for stage in row.stages
                ],
                computed_at=now,
            )
            for row in people_readiness(chunk)
        ]
        ReadinessSnapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["journey_map", "overall", "ready", "stages", "computed_at"],
            batch_size=1000,
        )
        written += len(rows)
    if person_ids is None:
        ReadinessSnapshot.objects.exclude(person_id__in=ids).delete()
    return written


def readiness_of(people: list[Person]) -> list[PersonReadiness]:
    """Readiness of ``people`` from their snapshots (one query), computed on the spot for those without one.

    Stage names come from the maps in the active language; capability items are not included.
    """
    snapshots = {s.person_id: s for s in ReadinessSnapshot.objects.filter(person_id__in=[p.pk for p in people])}
    missing = [person for person in people if person.pk not in snapshots]
    live = {row.person.pk: row for row in people_readiness(missing)} if missing else {}
    maps = {m.pk: m for m in JourneyMap.objects.prefetch_related("stages")} if snapshots else {}
    rows = []
    for person in people:
        if person.pk in live:
            rows.append(live[person.pk])
            continue
        snapshot = snapshots[person.pk]
        journey_map = maps.get(snapshot.journey_map_id)
        names = {stage.code: stage.name for stage in journey_map.stages.all()} if journey_map else {}
        stages = [
            StageReadiness(
                stage["code"],
                names.get(stage["code"], stage["code"]),
                stage["value"],
                stage["certification"],
                stage["drills"],
                stage["learning"],
            )
            for stage in snapshot.stages
        ]
        rows.append(PersonReadiness(person=person, journey_map=journey_map, stages=stages))
    return rows


def _active(today: dt.date) -> Q:
    return Q(exit_date__isnull=True) | Q(exit_date__gt=today)


@dataclass
class TeamReadiness:
    """A unit's readiness (its whole subtree): per stage the mean and the share ready, and its people."""

    stages: list[dict]
    people: list[PersonReadiness]
    overall: float | None
    ready_share: float | None


def team_readiness(unit, *, today: dt.date | None = None, people=None) -> TeamReadiness:
    """Readiness of the active people of ``unit``'s subtree (or of ``people`` when given)."""
    today = today or timezone.localdate()
    if people is None:
        people = list(
            Person.objects.filter(_active(today), org_unit__ancestor_links__ancestor=unit)
            .select_related("org_unit")
            .order_by("name", "pk")
        )
    rows = readiness_of(people)
    by_stage: dict[str, list[float]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows:
        for stage in row.stages:
            names.setdefault(stage.code, stage.name)
            if stage.value is not None:
                by_stage[stage.code].append(stage.value)
    stages = [
        {
            "code": code,
            "name": names[code],
            "value": round(_mean(values), 1) if values else None,
            "ready_share": round(100 * sum(v >= READY_AT for v in values) / len(values), 1) if values else None,
            "people": len(values),
        }
        for code, values in ((code, by_stage.get(code, [])) for code in names)
    ]
    overall_values = [row.overall for row in rows if row.overall is not None]
    return TeamReadiness(
        stages=stages,
        people=rows,
        overall=round(_mean(overall_values), 1) if overall_values else None,
        ready_share=round(100 * sum(row.ready for row in rows) / len(overall_values), 1) if overall_values else None,
    )


@register_unit_measure("readiness")
def readiness_by_unit(unit_ids: list[int] | None, today: dt.date) -> dict[int, tuple[float, int]]:
    """The diagnosis radar's readiness part: per unit (whole subtree), (sum of overall readiness, people assessed).

    Assessed: active people with at least one enrolment or drill session (and a journey map for their role).
    """
    enrolled = Enrolment.objects.values("person_id")
    drilled = DrillSession.objects.values("person_id")
    people = list(Person.objects.filter(_active(today)).filter(Q(pk__in=enrolled) | Q(pk__in=drilled)).order_by("pk"))
    if not people:
        return {}
    overall = {row.person.pk: row.overall for row in readiness_of(people) if row.overall is not None}
    unit_of = {person.pk: person.org_unit_id for person in people}
    links = OrgUnitClosure.objects.filter(descendant_id__in=set(unit_of.values()))
    if unit_ids is not None:
        links = links.filter(ancestor_id__in=unit_ids)
    ancestors: dict[int, list[int]] = defaultdict(list)
    for ancestor_id, descendant_id in links.values_list("ancestor_id", "descendant_id"):
        ancestors[descendant_id].append(ancestor_id)
    sums: dict[int, list] = defaultdict(lambda: [0.0, 0])
    for person_id, value in overall.items():
        for ancestor_id in ancestors.get(unit_of[person_id], ()):
            sums[ancestor_id][0] += value
            sums[ancestor_id][1] += 1
    return {unit: (round(total, 1), n) for unit, (total, n) in sums.items()}


@nightly_step("readiness", label=_("Readiness"), order=35)
def readiness_step(job=None) -> dict:
    """Nightly step, before the radars: every active person's readiness snapshot."""
    return {"people": readiness_refresh()}


def readiness_summary(unit, *, today: dt.date | None = None) -> dict:
    """A unit's mean overall readiness and share ready from the stored snapshots, in one aggregate query."""
    today = today or timezone.localdate()
    row = ReadinessSnapshot.objects.filter(
        person__in=Person.objects.filter(_active(today), org_unit__ancestor_links__ancestor=unit),
        overall__isnull=False,
    ).aggregate(mean=Avg("overall"), people=Count("pk"), ready=Count("pk", filter=Q(ready=True)))
    if not row["people"]:
        return {"overall": None, "ready_share": None, "people": 0}
    return {
        "overall": round(row["mean"], 1),
        "ready_share": round(100 * row["ready"] / row["people"], 1),
        "people": row["people"],
    }
