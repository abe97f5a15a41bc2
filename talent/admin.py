"""Admin of the talent app: factors and candidates are editable; profiles are read-only (versions never change)."""

from django.contrib import admin

from .models import (
    Candidate,
    Factor,
    HeadcountPlan,
    InterviewQuestion,
    InterviewRating,
    InterviewScorecard,
    ProfileFactor,
    SuccessProfile,
)


@admin.register(Factor)
class FactorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "source")
    list_filter = ("kind", "source")
    search_fields = ("code", "name")


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("external_id", "name", "role", "org_unit", "stage", "applied_on", "source_channel")
    list_filter = ("role", "stage")
    search_fields = ("external_id", "name")
    raw_id_fields = ("org_unit", "hired_as")


class ProfileFactorInline(admin.TabularInline):
    model = ProfileFactor
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SuccessProfile)
class SuccessProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "version", "criterion", "n_high", "n_control", "auc", "cv_auc", "built_at")
    list_filter = ("role",)
    inlines = [ProfileFactorInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(HeadcountPlan)
class HeadcountPlanAdmin(admin.ModelAdmin):
    list_display = ("role", "org_unit", "quarter", "target_headcount", "bench_successors", "bench_interns")
    list_filter = ("role", "quarter")


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(admin.ModelAdmin):
    list_display = ("scenario", "role", "competency", "text_en", "position")
    list_filter = ("scenario", "role", "competency")


class InterviewRatingInline(admin.TabularInline):
    model = InterviewRating
    extra = 0


@admin.register(InterviewScorecard)
class InterviewScorecardAdmin(admin.ModelAdmin):
    list_display = ("candidate", "interviewer", "interviewed_on")
    inlines = [InterviewRatingInline]
