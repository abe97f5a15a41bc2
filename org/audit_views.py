"""The audit trail page: who changed what and when, newest first, filtered by kind of record, person and days."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AUDITED
from .audit_display import entry_views, kind_label, user_label
from .ui.forms import DateField

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    kind = forms.TypedChoiceField(label=_("Record"), coerce=int, required=False, empty_value=None)
    actor = forms.ChoiceField(label=_("Changed by"), required=False)
    since = DateField(label=_("First day"), required=False)
    until = DateField(label=_("Last day"), required=False)

    def __init__(self, *args, kinds, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *kinds]
        self.fields["actor"].choices = [("", _("All")), *actors]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The last day is before the first."))
        return data


def _kinds() -> list[tuple[int, str]]:
    """(content type id, translated name) of every audited kind of record, by name."""
    audited = []
    for label in AUDITED:
        try:
            audited.append(apps.get_model(label))
        except LookupError:  # reported by the system check org.E004
            continue
    types = ContentType.objects.get_for_models(*audited)
    return sorted(((ct.pk, kind_label(model)) for model, ct in types.items()), key=lambda pair: pair[1])


def _actors() -> list[tuple[str, str]]:
    """(login name, how the trail names the person) of everyone who has changed something."""
    users = get_user_model().objects.filter(pk__in=LogEntry.objects.values("actor_id")).order_by("username")
    return [(user.get_username(), user_label(user)) for user in users]


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight starting ``day`` in the deployment's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
@permission_required("auditlog.view_logentry", raise_exception=True)
def audit_trail(request):
    """Changes to the audited records (indicators, scorecards, incentive plans, questionnaires, rounds,
    profiles, programs, gates, milestones, enablement designs, API tokens) and every written data import."""
    form = AuditFilterForm(request.GET or None, kinds=_kinds(), actors=_actors())
    entries = LogEntry.objects.select_related("content_type", "actor").order_by("-timestamp", "-pk")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            entries = entries.filter(content_type_id=data["kind"])
        if data["actor"]:
            entries = entries.filter(actor__username=data["actor"])
        if data["since"]:
            entries = entries.filter(timestamp__gte=_day_start(data["since"]))
        if data["until"]:
            entries = entries.filter(timestamp__lt=_day_start(data["until"] + dt.timedelta(days=1)))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "org/audit_trail.html", {"page": page, "rows": entry_views(page), "form": form})
