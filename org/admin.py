"""Admin of the org app.

Every change to the org tree goes through the services (create, move, delete), so the
closure table stays right; the services' ValidationErrors show on the form or as an admin
message, never as a server error. API keys are created by the token service and shown once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .choices import JobStatus
from .models import ApiToken, Job, OrgUnit, OrgUnitClosure, Person, UserProfile
from .selectors import scope_queryset
from .services import api_token_create, api_token_revoke, org_unit_create, org_unit_delete, org_unit_move
from .ui.forms import add_service_errors, message_service_errors

# How many blocking rows the delete confirmation lists before summing up the rest.
BLOCKERS_SHOWN = 50


def _adopt(target, source) -> None:
    """Give the admin's unsaved instance the state of the row a service created (the admin redirects to it)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


class _DryRun(Exception):
    """Raised to roll back a service call that was made only to validate a form."""


def _validate_by_service(call) -> None:
    """Run a service in a savepoint that is always rolled back, so its rules decide and its errors reach the form."""
    try:
        with transaction.atomic(using=router.db_for_write(OrgUnit)):
            call()
            raise _DryRun
    except _DryRun:
        pass


def _refuse(request, exc: ValidationError, url: str):
    """Show a service's refusal as one admin error message and go back to ``url``."""
    message_service_errors(request, exc, joined=True)
    return HttpResponseRedirect(url)


# --- org units ----------------------------------------------------------------------


class OrgUnitAdminForm(forms.ModelForm):
    """Asks the tree services whether the new unit or the new parent is allowed before anything is saved."""

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        parent = cleaned.get("parent")
        try:
            if self.instance.pk is None:
                _validate_by_service(
                    lambda: org_unit_create(
                        code=cleaned["code"], name=cleaned["name"], kind=cleaned["kind"], parent=parent
                    )
                )
            elif "parent" in self.fields and (parent.pk if parent else None) != self.instance.parent_id:
                _validate_by_service(lambda: org_unit_move(unit=self.instance, new_parent=parent))
        except ValidationError as exc:
            add_service_errors(self, exc)
        return cleaned


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    """Org units; creating, moving and deleting go through the tree services."""

    form = OrgUnitAdminForm
    list_display = ["code", "name", "kind", "parent", "headcount"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent", "stat"]
    ordering = ["code"]

    @admin.display(description=_("head count"))
    def headcount(self, unit: OrgUnit):
        stat = getattr(unit, "stat", None)
        return stat.headcount if stat is not None else "—"

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, unit_field="pk")

    def get_readonly_fields(self, request, obj=None):
        # The kind decides where a unit may sit, above and below it; changing it in place could break the tree.
        return ["kind"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            _adopt(obj, org_unit_create(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent))
            return
        if "parent" in form.changed_data:
            org_unit_move(unit=obj, new_parent=obj.parent)
        obj.save()

    def delete_model(self, request, obj):
        org_unit_delete(unit=obj)

    def delete_queryset(self, request, queryset):
        # Deepest units first, so a selection holding a region and all its teams can go in one action;
        # a unit whose sub-units are not all selected is refused by the service (and the action rolled back).
        units = queryset.annotate(levels=Count("ancestor_links")).order_by("-levels", "code")
        with transaction.atomic(using=router.db_for_write(OrgUnit)):
            for unit in units:
                org_unit_delete(unit=unit)

    def get_deleted_objects(self, objs, request):
        """List the blockers (sub-units, people, facts) that are not themselves part of the selection."""
        units = list(objs)
        to_delete, model_count, perms_needed, _protected = super().get_deleted_objects(units, request)
        unit_ids = {unit.pk for unit in units}
        collector = NestedObjects(using=router.db_for_write(OrgUnit))
        collector.collect(units)
        blockers = sorted(
            f"{capfirst(blocker._meta.verbose_name)}: {blocker}"
            for blocker in collector.protected
            if not (isinstance(blocker, OrgUnit) and blocker.pk in unit_ids)
        )
        if len(blockers) > BLOCKERS_SHOWN:
            rest = len(blockers) - BLOCKERS_SHOWN
            blockers = blockers[:BLOCKERS_SHOWN] + [
                ngettext("… and %(count)d more", "… and %(count)d more", rest) % {"count": rest}
            ]
        return to_delete, model_count, perms_needed, blockers

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:  # a rule broken between the form check and the save
            return _refuse(request, exc, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            return _refuse(request, exc, request.get_full_path())

    def response_action(self, request, queryset):
        try:
            with transaction.atomic(using=router.db_for_write(OrgUnit)):
                return super().response_action(request, queryset)
        except ValidationError as exc:
            return _refuse(request, exc, request.get_full_path())


# --- people -------------------------------------------------------------------------


class SubtreeFilter(admin.SimpleListFilter):
    """People of a unit and of every unit below it."""

    title = _("org unit (with sub-units)")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        units = scope_queryset(OrgUnit.objects.order_by("code"), request.user, unit_field="pk")
        return [(unit.code, str(unit)) for unit in units.only("code", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        subtree = OrgUnitClosure.objects.filter(ancestor__code=self.value()).values("descendant_id")
        return queryset.filter(org_unit__in=subtree)


class EmploymentFilter(admin.SimpleListFilter):
    """Still employed, or gone (an exit date is set)."""

    title = _("employment")
    parameter_name = "employment"

    def lookups(self, request, model_admin):
        return [("active", pgettext_lazy("employment", "Active")), ("exited", _("Exited"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(exit_date__isnull=True)
        if self.value() == "exited":
            return queryset.filter(exit_date__isnull=False)
        return queryset


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """People from the HRIS, searchable and filtered by role, unit subtree and employment."""

    list_display = ["external_id", "name", "role", "org_unit", "hire_date", "exit_date"]
    list_filter = ["role", SubtreeFilter, EmploymentFilter]
    search_fields = ["external_id", "name", "email"]
    autocomplete_fields = ["org_unit"]
    list_select_related = ["org_unit"]
    date_hierarchy = "hire_date"

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)


# --- logins -------------------------------------------------------------------------


class UserProfileInline(admin.StackedInline):
    """The person a login is and the org unit whose subtree it sees."""

    model = UserProfile
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ["person", "org_unit"]
    verbose_name_plural = _("profile")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    """Django's user admin with the scoping profile inline."""

    inlines = [*UserAdmin.inlines, UserProfileInline]
    list_display = [*UserAdmin.list_display, "visible_unit"]
    list_select_related = ["profile__org_unit"]

    @admin.display(description=_("visible org unit"))
    def visible_unit(self, user):
        profile = getattr(user, "profile", None)
        return profile.org_unit if profile is not None and profile.org_unit_id else "—"


# --- API tokens ---------------------------------------------------------------------


class TokenStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", pgettext_lazy("API token state", "Active")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: created by the token service (the key is shown once), revoked by an action, hash never shown."""

    list_display = ["prefix", "user", "name", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", TokenStateFilter]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    actions = ["revoke_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scope"]
        return ["prefix", "user", "name", "scope", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A key's owner and scope are fixed; to change them, revoke it and create another.
        return ["prefix", "user", "scope", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        token, key = api_token_create(user=obj.user, scope=obj.scope, name=obj.name)
        _adopt(obj, token)
        self.message_user(
            request,
            format_html(
                gettext("The key of the new token is {key}. Copy it now: it is not stored and cannot be shown again."),
                key=format_html("<code>{}</code>", key),
            ),
            messages.SUCCESS,
        )

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )


# --- jobs ---------------------------------------------------------------------------


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Recompute jobs, read-only: their status, steps, timings and errors."""

    list_display = ["id", "kind", "status", "progress_percent", "trigger", "started_by", "created_at", "duration"]
    list_filter = ["status", "kind", "trigger"]
    list_select_related = ["started_by"]
    fields = [
        "kind",
        "status",
        "progress_percent",
        "current_step",
        "trigger",
        "started_by",
        "created_at",
        "started_at",
        "finished_at",
        "heartbeat_at",
        "duration",
        "step_table",
        "error_text",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress_percent(self, job: Job) -> str:
        return f"{job.progress * 100:.0f}%"

    @admin.display(description=_("duration"))
    def duration(self, job: Job) -> str:
        if job.started_at is None:
            return "—"
        if job.finished_at is None:
            return gettext("running") if job.status == JobStatus.RUNNING else "—"
        return gettext("%(seconds).1f s") % {"seconds": (job.finished_at - job.started_at).total_seconds()}

    @admin.display(description=_("steps"))
    def step_table(self, job: Job):
        if not job.steps:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (step.get("name", ""), step.get("status", ""), step.get("seconds", "—"))
                for step in job.steps
                if isinstance(step, dict)
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("step"),
            gettext("status"),
            gettext("seconds"),
            rows,
        )

    @admin.display(description=_("error"))
    def error_text(self, job: Job):
        return format_html("<pre>{}</pre>", job.error) if job.error else "—"
