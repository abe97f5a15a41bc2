"""Customer project teams for key accounts: members across departments, a shared goal, an action board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from org.marks import recompute_mark, years_of
from org.models import OrgUnit, Person
from org.selectors import scope_queryset

from .models import CustomerProjectTeam, Indicator, ProjectAction, ProjectTeamMember


@transaction.atomic
def project_team_create(
    *,
    name: str,
    customer,
    org_unit: OrgUnit,
    goal: str = "",
    goal_indicators: list[Indicator] | None = None,
    members: list[tuple[Person, str]] | None = None,
) -> CustomerProjectTeam:
    """Form a customer project team; at least two departments make it cross-departmental."""
    members = members or []
    functions = {function for _person, function in members}
    if members and len(functions) < 2:
        raise ValidationError({"members": _("A customer project team brings together at least two departments.")})
    team = CustomerProjectTeam(name=name, customer=customer, org_unit=org_unit, goal=goal)
    team.full_clean()
    team.save()
    team.goal_indicators.set(goal_indicators or [])
    ProjectTeamMember.objects.bulk_create(
        ProjectTeamMember(team=team, person=person, function=function) for person, function in members
    )
    return team


@transaction.atomic
def project_action_add(
    *, team: CustomerProjectTeam, title: str, owner: Person | None, due_on: dt.date, opened_on: dt.date | None = None
) -> ProjectAction:
    """Put an action on the team's board."""
    action = ProjectAction(
        team=team, title=title, owner=owner, opened_on=opened_on or timezone.localdate(), due_on=due_on
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def project_action_close(*, action: ProjectAction, closed_on: dt.date | None = None) -> ProjectAction:
    """Close an action; its closing time counts in cross_dept_closure_days."""
    closed_on = closed_on or timezone.localdate()
    if closed_on < action.opened_on:
        raise ValidationError({"closed_on": _("An action cannot close before it was opened.")})
    previous = action.closed_on
    action.closed_on = closed_on
    action.save(update_fields=["closed_on"])
    recompute_mark(years=years_of([previous, closed_on]), reason="project_action_close")
    return action


@dataclass(frozen=True)
class BoardSummary:
    open: int
    overdue: int
    closed: int


def project_teams_visible(user) -> QuerySet[CustomerProjectTeam]:
    """Teams of units in the user's subtree, with counts of open, overdue and closed actions."""
    today = timezone.localdate()
    return (
        scope_queryset(CustomerProjectTeam.objects.select_related("customer", "org_unit"), user)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__closed_on__isnull=True), distinct=True),
            overdue_actions=Count(
                "actions", filter=Q(actions__closed_on__isnull=True, actions__due_on__lt=today), distinct=True
            ),
            closed_actions=Count("actions", filter=Q(actions__closed_on__isnull=False), distinct=True),
            member_count=Count("members", distinct=True),
        )
        .order_by("name")
    )
