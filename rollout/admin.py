"""Admin of the rollout app, for support and for looking things up.

Programs start on the page or over the API (``program_create`` opens step 1, writes the checklists and takes
the baselines), so the admin does not add them. Step status and gate signatures change only through the
gate service; here they are read-only. Pilot results and radar snapshots are computed, never edited.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import (
    ActionItem,
    ChecklistItem,
    Milestone,
    Pilot,
    PilotInitiative,
    PilotResult,
    Program,
    ProgramIndicator,
    ProgramMember,
    ProgramRadarSnapshot,
    ProgramStep,
    ReviewMeeting,
    RolloutWave,
    Story,
    Workshop,
)
from .pilots import pilot_results_refresh_later

# Links typed without a scheme are https (Django 6's default, asked for now).
_HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}

_STEP_STATE = ("status", "started_on", "closed_on", "business_signed_by", "business_signed_at", "hr_signed_by")
_STEP_STATE += ("hr_signed_at",)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProgramIndicatorInline(admin.TabularInline):
    model = ProgramIndicator
    extra = 0
    fields = ("indicator", "timing", "target", "baseline_value", "baseline_period_start", "baseline_taken_at")
    readonly_fields = ("baseline_value", "baseline_period_start", "baseline_taken_at")
    raw_id_fields = ("indicator",)


class ProgramMemberInline(admin.TabularInline):
    model = ProgramMember
    extra = 0
    raw_id_fields = ("user",)


class ProgramStepInline(_ReadOnlyInline):
    model = ProgramStep
    fields = ("number", *_STEP_STATE)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    formfield_overrides = _HTTPS_LINKS
    extra = 0
    fields = ("step", "title", "owner", "due_date", "status", "completed_on")
    readonly_fields = ("completed_on",)
    raw_id_fields = ("owner",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "sponsor", "hr_co_lead", "start_date", "baseline_period", "pilot_count", "created_at")
    list_filter = ("baseline_period", "start_date", "steps__status")
    search_fields = ("name", "description", "sponsor__username", "hr_co_lead__username", "org_units__code")
    date_hierarchy = "start_date"
    filter_horizontal = ("org_units",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    raw_id_fields = ("sponsor", "hr_co_lead")
    inlines = [ProgramMemberInline, ProgramIndicatorInline, ProgramStepInline, MilestoneInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("sponsor", "hr_co_lead")
            .annotate(_pilots=Count("pilots", distinct=True))
        )

    @admin.display(description=_("pilots"), ordering="_pilots")
    def pilot_count(self, program) -> int:
        return program._pilots

    def has_add_permission(self, request):
        return False


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("position", "text_zh", "text_en", "is_exit_criterion", "is_builtin", "done", "done_by", "done_at")
    readonly_fields = ("is_builtin", "done", "done_by", "done_at")


@admin.register(ProgramStep)
class ProgramStepAdmin(admin.ModelAdmin):
    list_display = ("program", "number", "status", "started_on", "closed_on", "business_signed_at", "hr_signed_at")
    list_filter = ("status", "number")
    search_fields = ("program__name",)
    list_select_related = ("program",)
    readonly_fields = ("program", "number", *_STEP_STATE)
    inlines = [ChecklistItemInline]

    def has_add_permission(self, request):
        return False


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    formfield_overrides = _HTTPS_LINKS
    list_display = ("title", "program", "step", "owner", "due_date", "status", "completed_on", "reminded_on")
    list_filter = ("status", "step", "due_date")
    search_fields = ("title", "program__name", "owner__username")
    list_select_related = ("program", "owner")
    raw_id_fields = ("program", "owner")
    date_hierarchy = "due_date"


class PilotInitiativeInline(admin.TabularInline):
    model = PilotInitiative
    formfield_overrides = _HTTPS_LINKS
    extra = 0
    fields = ("position", "kind", "success_profile", "scorecard", "project_team", "label", "url")
    raw_id_fields = ("success_profile", "scorecard", "project_team")


class PilotResultInline(_ReadOnlyInline):
    model = PilotResult
    show_change_link = False
    fields = ("indicator", "estimate", "ci_low", "ci_high", "naive", "observations", "computed_at")


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "start", "end", "pre_months", "created_at")
    list_filter = ("start",)
    search_fields = ("name", "program__name", "notes", "pilot_units__code", "control_units__code")
    list_select_related = ("program",)
    raw_id_fields = ("program",)
    filter_horizontal = ("pilot_units", "control_units")
    inlines = [PilotInitiativeInline, PilotResultInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pilot_results_refresh_later(form.instance)


@admin.register(PilotResult)
class PilotResultAdmin(admin.ModelAdmin):
    list_display = ("pilot", "indicator", "estimate", "ci_low", "ci_high", "naive", "observations", "computed_at")
    list_filter = ("indicator", "computed_at")
    search_fields = ("pilot__name", "pilot__program__name", "indicator__code")
    list_select_related = ("pilot", "indicator")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgramRadarSnapshot)
class ProgramRadarSnapshotAdmin(admin.ModelAdmin):
    list_display = ("program", "org_unit", "kind", "taken_on", "computed_at")
    list_filter = ("kind", "taken_on")
    search_fields = ("program__name", "org_unit__code", "org_unit__name")
    list_select_related = ("program", "org_unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ("owner",)


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(admin.ModelAdmin):
    list_display = ("program", "held_on", "created_at")
    list_filter = ("held_on",)
    search_fields = ("program__name", "notes", "decisions")
    list_select_related = ("program",)
    raw_id_fields = ("program",)
    filter_horizontal = ("attendees",)
    date_hierarchy = "held_on"
    inlines = [ActionItemInline]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    formfield_overrides = _HTTPS_LINKS
    list_display = ("title", "program", "org_unit", "owner", "indicator", "recorded_on")
    list_filter = ("recorded_on", "indicator")
    search_fields = ("title", "text", "program__name", "org_unit__code", "owner__external_id")
    list_select_related = ("program", "org_unit", "owner", "indicator")
    raw_id_fields = ("program", "org_unit", "owner", "indicator")
    date_hierarchy = "recorded_on"


@admin.register(RolloutWave)
class RolloutWaveAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "starts_on", "ends_on")
    list_filter = ("starts_on",)
    search_fields = ("name", "program__name", "org_units__code")
    list_select_related = ("program",)
    raw_id_fields = ("program",)
    filter_horizontal = ("org_units",)


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "held_on", "invited_count", "attended_count")
    list_filter = ("held_on",)
    search_fields = ("title", "program__name")
    list_select_related = ("program",)
    raw_id_fields = ("program",)
    filter_horizontal = ("invited", "attended")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_invited=Count("invited", distinct=True), _attended=Count("attended", distinct=True))
        )

    @admin.display(description=_("invited"), ordering="_invited")
    def invited_count(self, workshop) -> int:
        return workshop._invited

    @admin.display(description=_("attended"), ordering="_attended")
    def attended_count(self, workshop) -> int:
        return workshop._attended
