"""The diagnosis part of the home page: questionnaires waiting for the viewer's answers, results that opened."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from org.home import Suggestion, Task
from org.ui.dates import day_text

from .models import AssessmentRound, Response
from .selectors import rounds_visible

# A round whose results opened in the last RESULTS_NEW_DAYS days (it closed then) is news on the home page.
RESULTS_NEW_DAYS = 30
SHOWN = 5


def home_tasks(user, today: dt.date) -> list[Task]:
    """Open rounds the user is invited to and has not submitted; closed rounds with results the user may read."""
    submitted = Response.objects.filter(round=OuterRef("pk"), respondent_id=user.pk, submitted_at__isnull=False)
    started = Response.objects.filter(round=OuterRef("pk"), respondent_id=user.pk)
    to_answer = (
        AssessmentRound.objects.filter(respondents=user, closed_at__isnull=True)
        .annotate(done=Exists(submitted), started=Exists(started))
        .filter(done=False)
        .order_by("opened_at")[:SHOWN]
    )
    tasks = [
        Task(
            kind="answer",
            label=_("Self-check"),
            title=round_.title,
            detail=(_("You started; continue where you left off.") if round_.started else "")
            or _("Waiting for your answers since %(day)s.") % {"day": day_text(timezone.localdate(round_.opened_at))},
            url=reverse("diagnosis:respond", args=[round_.pk]),
            action=_("Continue") if round_.started else _("Answer"),
            order=10,
        )
        for round_ in to_answer
    ]
    since = today - dt.timedelta(days=RESULTS_NEW_DAYS)
    opened = (
        rounds_visible(user)
        .filter(closed_at__date__gte=since)
        .filter(submitted_count__gte=F("min_respondents"))
        .order_by("-closed_at")[:SHOWN]
    )
    tasks += [
        Task(
            kind="results",
            label=_("Self-check results"),
            title=round_.title,
            detail=_("The round closed on %(day)s; its results are open.")
            % {"day": day_text(timezone.localdate(round_.closed_at))},
            url=reverse("diagnosis:round-results", args=[round_.pk]),
            action=_("Read the results"),
            order=60,
        )
        for round_ in opened
    ]
    return tasks


def home_suggestions(user, today: dt.date) -> list[Suggestion]:
    if not user.has_perm("diagnosis.add_assessmentround"):
        return []
    return [
        Suggestion(
            title=_("Start a self-check round"),
            text=_("Invite the managers of a unit to the self-check; their answers show the weakest root causes."),
            url=reverse("diagnosis:round-new"),
        )
    ]
