"""Reads of the rollout app: who sees and edits which program, and indicator values over a program's units.

Seeing a program: its members always; other logins with ``rollout.view_program`` when everything the
program touches lies in their scope: its units, its pilots' pilot and control units, its stories' and
rollout waves' units. A program above a login's unit, or one that compares it with another subtree, shows
other subtrees' results, so it is for its joint team only. Editing a program: its members only; managing
the team (members and roles): the two co-leads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from org.models import OrgUnit, OrgUnitClosure, Person
from org.selectors import (
    ALL_UNITS,
    NO_UNITS,
    org_units_visible,
    people_logins_visible,
    people_visible,
    scope_root,
    visible_unit_ids,
)
from performance.models import IndicatorValue

from .models import (
    INITIATIVE_LINKS,
    ChecklistItem,
    Milestone,
    Pilot,
    PilotInitiative,
    Program,
    ProgramIndicator,
    ProgramMember,
    ProgramRadarSnapshot,
    ProgramStep,
    RolloutWave,
    Story,
)


def _is_member(user, program: Program) -> bool:
    return ProgramMember.objects.filter(program=program, user_id=user.pk).exists()


def _programs_reaching(units: QuerySet) -> list[QuerySet]:
    """Ids of the programs that touch one of ``units``: by their own units, a pilot's pilot or control units, a
    story's unit or a rollout wave's units (one subquery each)."""
    return [
        Program.org_units.through.objects.filter(orgunit_id__in=units).values("program_id"),
        Pilot.pilot_units.through.objects.filter(orgunit_id__in=units).values("pilot__program_id"),
        Pilot.control_units.through.objects.filter(orgunit_id__in=units).values("pilot__program_id"),
        Story.objects.filter(org_unit_id__in=units).values("program_id"),
        RolloutWave.org_units.through.objects.filter(orgunit_id__in=units).values("rolloutwave__program_id"),
    ]


def programs_visible(user) -> QuerySet[Program]:
    """Programs the user may read: as a member, or with the view permission when all the program touches lies
    in their scope (see the module docstring)."""
    programs = Program.objects.select_related("sponsor__profile__person", "hr_co_lead__profile__person")
    if not getattr(user, "is_authenticated", False):
        return programs.none()
    if user.is_superuser:
        return programs
    wanted = Q(members__user_id=user.pk)
    if user.has_perm("rollout.view_program"):
        root = scope_root(user)
        if root == ALL_UNITS:
            return programs
        if root != NO_UNITS:
            inside = visible_unit_ids(user)
            within = Program.objects.filter(org_units__in=inside)
            for reaching in _programs_reaching(OrgUnit.objects.exclude(pk__in=inside).values("pk")):
                within = within.exclude(pk__in=reaching)
            wanted |= Q(pk__in=within.values("pk"))
    return programs.filter(pk__in=Program.objects.filter(wanted).values("pk"))


def can_view_program(user, program: Program) -> bool:
    return programs_visible(user).filter(pk=program.pk).exists()


def can_edit_program(user, program: Program) -> bool:
    """Members of the joint team edit the program (and superusers, for support)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or _is_member(user, program))


START_PROGRAM = "rollout.add_program"


def can_start_program(user) -> bool:
    """The one rule for starting a change program (the new-program page, every button to it, the API)."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(START_PROGRAM))


def program_units_shown(user) -> set[int] | None:
    """The units a login may see named on program pages, or None for every unit.

    A login that sees the whole company, or whose role works across a program's units (the joint-team roles,
    ``rollout.change_program``), sees them all. Anyone else, a manager sponsoring a program included, sees the
    units of their own subtree and those above it (a program over their business unit), never another
    subtree's pilot, control, wave or story unit.
    """
    if user.is_superuser or user.has_perm("rollout.change_program"):
        return None
    root = scope_root(user)
    if root == ALL_UNITS:
        return None
    if root == NO_UNITS:
        return set()
    inside = set(OrgUnitClosure.objects.filter(ancestor_id=root).values_list("descendant_id", flat=True))
    return inside | set(OrgUnitClosure.objects.filter(descendant_id=root).values_list("ancestor_id", flat=True))


def keep_radars(radars, keep) -> list:
    """The radar comparisons of the units the viewer may see named."""
    shown = {unit.pk for unit in keep([radar.unit for radar in radars])}
    return [radar for radar in radars if radar.unit.pk in shown]


def program_unit_filter(user):
    """A function keeping only the units ``user`` may see named on program pages (``program_units_shown``)."""
    shown = program_units_shown(user)
    return lambda units: [unit for unit in units if shown is None or unit.pk in shown]


def units_choosable(user, program: Program | None = None) -> QuerySet[OrgUnit]:
    """The units a user may name: those they see and, in a program they work on, the program's units with
    their subtrees (membership lets a member from elsewhere work on the program's own units; a role that
    does not work across units, a manager, stays within ``program_units_shown``)."""
    units = org_units_visible(user)
    if program is None:
        return units
    in_program = OrgUnitClosure.objects.filter(ancestor__in=program.org_units.values("pk")).values("descendant_id")
    shown = program_units_shown(user)
    if shown is not None:  # a manager on the team names only the units of their own scope
        in_program = in_program.filter(descendant_id__in=shown)
    return OrgUnit.objects.select_related("parent").filter(Q(pk__in=units.values("pk")) | Q(pk__in=in_program))


def logins_choosable(user, program: Program | None = None) -> QuerySet:
    """The logins a user may name (owners, attendees, members): people with a login among those they see and,
    in a program, among the program's units, and the program's own team (its HR co-lead sits above the units).
    A login that is no person (an API account) is never among them."""
    logins = people_logins_visible(user)
    if program is None:
        return logins
    team = Q(pk__in=[program.sponsor_id, program.hr_co_lead_id]) | Q(pk__in=program.members.values("user_id"))
    in_units = Q(profile__person__org_unit__in=units_choosable(user, program).values("pk"))
    everyone = get_user_model().objects.filter(is_active=True, profile__person__isnull=False)
    return (
        everyone.filter(team | in_units)
        .select_related("profile__person")
        .order_by("profile__person__name", "profile__person__external_id")
    )


def people_choosable(user, program: Program | None = None) -> QuerySet[Person]:
    """The people a user may name: those they see and, in a program, the people of the program's units."""
    if program is None:
        return people_visible(user)
    return Person.objects.select_related("org_unit").filter(org_unit__in=units_choosable(user, program).values("pk"))


def is_co_lead(user, program: Program) -> bool:
    return user.pk in (program.sponsor_id, program.hr_co_lead_id)


def can_manage_team(user, program: Program) -> bool:
    """The two co-leads (and superusers, for support) add and remove members and set their roles."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or is_co_lead(user, program))


def can_untick(user, program: Program, item: ChecklistItem, step: ProgramStep) -> bool:
    """Who may take a tick back: the co-leads always; another member only a line they ticked themselves, and
    not once a co-lead has signed the step's gate (unticking an exit criterion would withdraw the signature)."""
    if can_manage_team(user, program):
        return True
    signed = step.business_signed_at is not None or step.hr_signed_at is not None
    return item.done_by_id == user.pk and not signed


def program_with_details(queryset: QuerySet[Program]) -> QuerySet[Program]:
    """Everything a program page shows, in a fixed number of queries."""
    return queryset.prefetch_related(
        "org_units",
        Prefetch("key_indicators", queryset=ProgramIndicator.objects.select_related("indicator")),
        Prefetch("members", queryset=ProgramMember.objects.select_related("user__profile__person")),
        Prefetch(
            "steps",
            queryset=ProgramStep.objects.select_related(
                "business_signed_by__profile__person", "hr_signed_by__profile__person"
            ).prefetch_related(
                Prefetch("checklist", queryset=ChecklistItem.objects.select_related("done_by__profile__person"))
            ),
        ),
        Prefetch("milestones", queryset=Milestone.objects.select_related("owner__profile__person")),
        Prefetch("pilots", queryset=pilots_with_details(Pilot.objects.all())),
        Prefetch("radar_snapshots", queryset=ProgramRadarSnapshot.objects.order_by("taken_on", "pk")),
    )


def pilots_with_details(queryset: QuerySet[Pilot]) -> QuerySet[Pilot]:
    """Pilots with their units, initiative links (and the linked objects) and stored results."""
    links = [link.field for link in INITIATIVE_LINKS.values()]
    return queryset.prefetch_related(
        "pilot_units",
        "control_units",
        "results",
        Prefetch("initiatives", queryset=PilotInitiative.objects.select_related(*links)),
    )


def outermost_units(units) -> list[OrgUnit]:
    """The units without an ancestor among the others, so that a subtree value is never counted twice."""
    units = list(units)
    ids = {unit.pk for unit in units}
    nested = set(
        OrgUnitClosure.objects.filter(ancestor_id__in=ids, descendant_id__in=ids, depth__gt=0).values_list(
            "descendant_id", flat=True
        )
    )
    return [unit for unit in units if unit.pk not in nested]


def combined_value(*, indicator_id: int, unit_ids: list[int], period: str, period_start: dt.date) -> Decimal | None:
    """The indicator over several (non-nested) units in one period: values weighted by their denominators.

    With value = numerator × scale / denominator per unit, Σ value·denominator / Σ denominator equals
    Σ numerator × scale / Σ denominator: the subtree rule of DESIGN.md section 5, whatever the scale.
    """
    rows = IndicatorValue.objects.filter(
        indicator_id=indicator_id,
        org_unit_id__in=unit_ids,
        person__isnull=True,
        period=period,
        period_start=period_start,
        value__isnull=False,
    ).values_list("value", "denominator")
    weighted = Decimal(0)
    total = Decimal(0)
    for value, denominator in rows:
        if value is None:  # left out by the filter already; this tells the type checker
            continue
        weighted += value * denominator
        total += denominator
    if total == 0:
        return None
    return (weighted / total).quantize(Decimal("0.0001"))


def latest_value_start(*, indicator_id: int, unit_ids: list[int], period: str, before: dt.date | None = None):
    """The latest period start with a value of the indicator for any of the units (before ``before``)."""
    rows = IndicatorValue.objects.filter(
        indicator_id=indicator_id, org_unit_id__in=unit_ids, person__isnull=True, period=period, value__isnull=False
    )
    if before is not None:
        rows = rows.filter(period_start__lt=before)
    return rows.order_by("-period_start").values_list("period_start", flat=True).first()


def monthly_unit_values(
    *, indicator_ids: list[int], unit_ids: list[int], start: dt.date, end: dt.date
) -> list[Mapping[str, Any]]:
    """Monthly values of the indicators for the units between two months (both included), one query."""
    return list(
        IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids,
            org_unit_id__in=unit_ids,
            person__isnull=True,
            period="month",
            period_start__gte=start,
            period_start__lte=end,
        ).values("indicator_id", "org_unit_id", "period_start", "value")
    )


def milestones_open_for_reminder(*, today: dt.date, horizon: dt.date) -> QuerySet[Milestone]:
    """Open milestones with an owner e-mail, due by ``horizon`` (late ones included), not reminded today."""
    from .choices import OPEN_MILESTONE_STATUSES

    return (
        Milestone.objects.filter(status__in=OPEN_MILESTONE_STATUSES, due_date__lte=horizon, owner__isnull=False)
        .exclude(owner__email="")
        .exclude(reminded_on=today)
        .select_related("owner", "program")
        .order_by("owner_id", "due_date", "pk")
    )
