"""The audit trail page: who changed what and when, newest first, filtered by kind of record and person."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import render

from .audit import AUDITED

PAGE_SIZE = 50


@login_required
@permission_required("auditlog.view_logentry", raise_exception=True)
def audit_trail(request):
    """Changes to the audited records (indicators, scorecards, incentive plans, questionnaires, profiles,
    programs, gates, milestones, enablement designs, API tokens)."""
    models = []
    for label in AUDITED:
        app_label, model_name = label.split(".")
        models.append(ContentType.objects.get_by_natural_key(app_label, model_name.lower()))
    entries = LogEntry.objects.select_related("content_type", "actor").order_by("-timestamp", "-pk")
    kind = request.GET.get("kind")
    if kind and kind.isdigit():
        entries = entries.filter(content_type_id=int(kind))
    actor = request.GET.get("actor")
    if actor:
        entries = entries.filter(actor__username=actor)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.change_rows = [
            (field, *(list(values) + ["", ""])[:2]) if isinstance(values, list | tuple) else (field, "", values)
            for field, values in (entry.changes_dict or {}).items()
        ]
    actors = (
        get_user_model()
        .objects.filter(pk__in=LogEntry.objects.values("actor_id"))
        .order_by("username")
        .values_list("username", flat=True)
    )
    kinds = sorted(models, key=lambda ct: str(ct.model_class()._meta.verbose_name_plural))
    return render(
        request,
        "org/audit_trail.html",
        {"page": page, "kinds": kinds, "kind": kind or "", "actors": actors, "actor": actor or ""},
    )
