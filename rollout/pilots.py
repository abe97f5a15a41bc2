"""Pilots: record and change a pilot with its initiative links, and keep the snapshot of its results.

A pilot's results (difference in differences per key indicator, with the monthly series of the chart)
are computed by ``rollout.results.pilot_results`` and stored in ``PilotResult``: nightly for every pilot,
and right after a pilot is created or changed. Pages read the snapshot and compute on the fly only
while a pilot has none yet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import InitiativeKind
from .models import INITIATIVE_LINKS, Pilot, PilotInitiative, PilotResult, Program, ProgramIndicator
from .results import pilot_results


@dataclass(frozen=True)
class InitiativeInput:
    """One initiative as given: its kind and the id of the linked object, or (kind ``other``) a label and URL."""

    kind: str
    target_id: int | None = None
    label: str = ""
    url: str = ""


def linkable_objects(kind: str, user=None, program: Program | None = None) -> QuerySet:
    """The objects ``user`` may link as an initiative of ``kind``: what they see and, in a program they work
    on, what belongs to the program's units (every object without a user)."""
    from performance.selectors import scorecards_visible
    from talent.selectors import profiles_all

    from .selectors import units_choosable

    link = INITIATIVE_LINKS[kind]
    model = PilotInitiative._meta.get_field(link.field).related_model
    if user is None:
        return model.objects.all()
    if kind == InitiativeKind.SUCCESS_PROFILE:
        return profiles_all() if user.has_perm("talent.view_successprofile") else model.objects.none()
    units = units_choosable(user, program).values("pk")
    if kind == InitiativeKind.SCORECARD:
        return model.objects.filter(Q(pk__in=scorecards_visible(user).values("pk")) | Q(org_unit__in=units))
    if kind == InitiativeKind.PROJECT_TEAM:
        return model.objects.filter(org_unit__in=units)
    if kind == InitiativeKind.LEARNING_ACTIVITY:
        # Activities are company-wide designs: whoever may read them may apply them.
        return model.objects.all() if user.has_perm("enablement.view_learningactivity") else model.objects.none()
    return model.objects.all()  # a kind without a scoping rule of its own (add one with the kind)


def _initiatives_build(pilot: Pilot, items: Sequence[InitiativeInput], user) -> list[PilotInitiative]:
    """Resolve and check the initiatives (one query per kind); every problem is named by its position."""
    problems: list[str] = []
    wanted: dict[str, set[int]] = {}
    for item in items:
        if item.kind in INITIATIVE_LINKS and item.target_id is not None:
            wanted.setdefault(item.kind, set()).add(item.target_id)
    found = {
        kind: set(linkable_objects(kind, user, pilot.program).filter(pk__in=ids).values_list("pk", flat=True))
        for kind, ids in wanted.items()
    }
    rows = []
    for position, item in enumerate(items, start=1):
        if item.kind not in InitiativeKind.values:
            problems.append(_("Initiative %(n)d: unknown kind.") % {"n": position})
            continue
        link = INITIATIVE_LINKS.get(item.kind)
        row = PilotInitiative(
            pilot=pilot, kind=item.kind, label=item.label.strip(), url=item.url.strip(), position=position
        )
        if link is not None:
            if item.target_id is None:
                problems.append(_("Initiative %(n)d: choose what it links to.") % {"n": position})
                continue
            if item.target_id not in found.get(item.kind, set()):
                problems.append(
                    _("Initiative %(n)d: there is no %(kind)s with id %(id)s that you may link.")
                    % {"n": position, "kind": InitiativeKind(item.kind).label.lower(), "id": item.target_id}
                )
                continue
            setattr(row, f"{link.field}_id", item.target_id)
        elif item.target_id is not None:
            problems.append(
                _("Initiative %(n)d: another initiative links no object; give a label or a link.") % {"n": position}
            )
            continue
        try:
            # The links were checked above in one query per kind; clean() names a missing one.
            row.full_clean(exclude=["pilot", *(other.field for other in INITIATIVE_LINKS.values())])
        except ValidationError as exc:
            problems.extend(
                _("Initiative %(n)d: %(message)s") % {"n": position, "message": message} for message in exc.messages
            )
            continue
        rows.append(row)
    if problems:
        raise ValidationError({"initiatives": problems})
    return rows


def _pilot_errors(
    *, pilot_units: list, control_units: list, start: dt.date, end: dt.date, pre_months: int
) -> dict[str, list[str]]:
    """The rules on a pilot's units and windows, by field (the check constraints are the last guard)."""
    errors: dict[str, list[str]] = {}
    if not pilot_units:
        errors["pilot_units"] = [_("Choose at least one pilot unit.")]
    if not control_units:
        errors["control_units"] = [_("Choose at least one control unit.")]
    if {unit.pk for unit in pilot_units} & {unit.pk for unit in control_units}:
        errors["control_units"] = [_("A unit cannot be both a pilot and a control.")]
    if end < start:
        errors["end"] = [_("The end lies before the start.")]
    if pre_months < 1:
        errors["pre_months"] = [_("Compare at least one month before the start.")]
    return errors


def pilot_results_refresh_later(pilot: Pilot) -> None:
    """Queue the recomputation of the pilot's results snapshot for when the current transaction commits."""
    from .tasks import pilot_results_refresh_task

    # robust: a queue that is down must not fail the saved edit; the nightly recompute refreshes the snapshot too.
    transaction.on_commit(partial(pilot_results_refresh_task.delay, pilot.pk), robust=True)


@transaction.atomic
def pilot_create(
    *,
    program: Program,
    name: str,
    pilot_units: list,
    control_units: list,
    start: dt.date,
    end: dt.date,
    pre_months: int = 6,
    notes: str = "",
    initiatives: Sequence[InitiativeInput] = (),
    user=None,
) -> Pilot:
    """Record a pilot: which units try which initiatives, which comparable units do not, and when.

    Its results snapshot is computed once the pilot is committed. ``user`` limits the objects that may be
    linked as initiatives to those the user may see.
    """
    errors = _pilot_errors(
        pilot_units=pilot_units, control_units=control_units, start=start, end=end, pre_months=pre_months
    )
    pilot = Pilot(program=program, name=name.strip(), start=start, end=end, pre_months=pre_months, notes=notes)
    try:
        links = _initiatives_build(pilot, initiatives, user)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    pilot.full_clean()
    pilot.save()
    pilot.pilot_units.set(pilot_units)
    pilot.control_units.set(control_units)
    for link in links:
        link.pilot = pilot
    PilotInitiative.objects.bulk_create(links)
    pilot_results_refresh_later(pilot)
    return pilot


PILOT_FIELDS = {"name", "pilot_units", "control_units", "start", "end", "pre_months", "notes", "initiatives"}


@transaction.atomic
def pilot_update(*, pilot: Pilot, user=None, **changes) -> Pilot:
    """Change a pilot (any of PILOT_FIELDS; ``initiatives`` replaces the links); its snapshot is refreshed."""
    unknown = set(changes) - PILOT_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    pilot_units = list(changes.get("pilot_units", pilot.pilot_units.all()))
    control_units = list(changes.get("control_units", pilot.control_units.all()))
    for name in ("name", "start", "end", "pre_months", "notes"):
        if name in changes:
            setattr(pilot, name, changes[name].strip() if name == "name" else changes[name])
    errors = _pilot_errors(
        pilot_units=pilot_units,
        control_units=control_units,
        start=pilot.start,
        end=pilot.end,
        pre_months=pilot.pre_months,
    )
    links = None
    if "initiatives" in changes:
        try:
            links = _initiatives_build(pilot, changes["initiatives"], user)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    pilot.full_clean()
    pilot.save()
    pilot.pilot_units.set(pilot_units)
    pilot.control_units.set(control_units)
    if links is not None:
        pilot.initiatives.all().delete()
        PilotInitiative.objects.bulk_create(links)
    pilot_results_refresh_later(pilot)
    return pilot


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


@transaction.atomic
def pilot_results_refresh(*, pilot_id: int, today: dt.date | None = None) -> int:
    """Recompute a pilot's results and replace its snapshot rows, in one transaction; returns the rows written.

    The pilot row is locked first, so two refreshes of one pilot run one after the other; a pilot deleted
    in the meantime is skipped.
    """
    if not Pilot.objects.select_for_update().filter(pk=pilot_id).exists():
        return 0
    pilot = Pilot.objects.prefetch_related("pilot_units", "control_units").get(pk=pilot_id)
    keys = list(ProgramIndicator.objects.filter(program_id=pilot.program_id).select_related("indicator"))
    results = pilot_results(pilot, keys, today)
    now = timezone.now()
    rows = [
        PilotResult(
            pilot=pilot,
            indicator_id=item.key.indicator_id,
            estimate=_finite(item.did.estimate),
            ci_low=_finite(item.did.ci_low),
            ci_high=_finite(item.did.ci_high),
            naive=_finite(item.did.naive),
            pilot_pre=_finite(item.did.pilot_pre),
            pilot_post=_finite(item.did.pilot_post),
            control_pre=_finite(item.did.control_pre),
            control_post=_finite(item.did.control_post),
            observations=item.did.observations,
            months=[month.isoformat() for month in item.months],
            pilot_means=[_finite(value) for value in item.pilot_means],
            control_means=[_finite(value) for value in item.control_means],
            computed_at=now,
        )
        for item in results.indicators
    ]
    PilotResult.objects.filter(pilot_id=pilot_id).delete()
    PilotResult.objects.bulk_create(rows)
    return len(rows)
