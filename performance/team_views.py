"""Browser pages for customer project teams and their shared action board."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import Person
from org.selectors import people_visible
from org.ui.forms import DateField, submit_form
from org.ui.names import PersonChoiceField

from .models import IndicatorValue, ProjectAction
from .teams import project_action_add, project_action_close, project_teams_visible


class ActionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Action"), max_length=300)
    owner = PersonChoiceField(label=gettext_lazy("Owner"), queryset=None, required=False)
    due_on = DateField(label=gettext_lazy("Due on"))

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(pk__in=team.members.values("person_id"))


@login_required
def team_list(request):
    """Customer project teams in the user's scope, with the state of their boards."""
    return render(request, "performance/team_list.html", {"teams": project_teams_visible(request.user)})


@login_required
def team_detail(request, pk):
    """A team: members, shared goal with its indicators for the team's unit, and the action board."""
    team = get_object_or_404(project_teams_visible(request.user), pk=pk)
    can_edit = request.user.has_perm("performance.change_customerprojectteam") or (
        people_visible(request.user).filter(pk__in=team.members.values("person_id")).exists()
        and request.user.has_perm("performance.view_customerprojectteam")
    )
    form = ActionForm(request.POST or None, team=team)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "close" in request.POST:
            action = get_object_or_404(ProjectAction, pk=request.POST["close"], team=team)
            project_action_close(action=action)
            messages.success(request, _("Action closed."))
            return redirect("performance:team", pk=team.pk)
        answer = submit_form(
            request,
            form,
            lambda data: project_action_add(team=team, **data),
            success=_("Action added to the board."),
            redirect_to=lambda _action: redirect("performance:team", pk=team.pk),
        )
        if answer is not None:
            return answer
    goal_indicators = list(team.goal_indicators.all())
    latest = {}
    for row in (
        IndicatorValue.objects.filter(org_unit=team.org_unit, indicator__in=goal_indicators, period="quarter")
        .order_by("indicator_id", "-period_start")
        .values("indicator_id", "period_start", "value")
    ):
        latest.setdefault(row["indicator_id"], row)
    today = timezone.localdate()
    actions = list(team.actions.select_related("owner"))
    return render(
        request,
        "performance/team_detail.html",
        {
            "team": team,
            "members": team.members.select_related("person"),
            "goals": [(indicator, latest.get(indicator.pk)) for indicator in goal_indicators],
            "open_actions": [a for a in actions if a.closed_on is None],
            "closed_actions": [a for a in actions if a.closed_on is not None],
            "today": today,
            "form": form,
            "can_edit": can_edit,
        },
    )
