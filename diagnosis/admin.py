"""Admin for questionnaires and rounds; answers are not shown (confidential)."""

from django.contrib import admin

from .models import AssessmentRound, Item, Questionnaire, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "kind", "root_cause", "title_zh", "title_en"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name_en", "family", "version", "is_builtin", "created_at"]
    list_filter = ["is_builtin", "family"]
    # Family and version first, as before the names moved into org.model_bases (a base's fields come first).
    fields = [
        "family",
        "version",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "is_builtin",
        "based_on",
        "created_by",
    ]
    inlines = [SectionInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "questionnaire", "kind", "root_cause", "symptom", "weight", "reverse", "required"]
    list_filter = ["questionnaire", "kind", "root_cause"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "org_unit", "owner", "opened_at", "closed_at", "min_respondents"]
    list_select_related = ["org_unit", "owner"]
    filter_horizontal = ["respondents"]
