"""Browser pages of the diagnosis module."""

from django.urls import path

from org.ui.pages import ModuleLandingView

from .framework import root_cause_cards
from .views import answering, questionnaires, results, rounds, units

app_name = "diagnosis"

urlpatterns = [
    path(
        "",
        ModuleLandingView.as_view(
            template_name="diagnosis/index.html", extra_context={"root_causes": root_cause_cards()}
        ),
        name="index",
    ),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.round_new, name="round-new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/results/", results.round_results_page, name="round-results"),
    path("rounds/<int:pk>/results/export.xlsx", results.round_export_xlsx, name="round-export"),
    path("rounds/<int:pk>/results/print/", results.round_print, name="round-print"),
    path("compare/", units.compare_page, name="compare"),
    path("units/<str:code>/radar/", units.unit_radar_page, name="unit-radar"),
    path("units/<str:code>/trend/", units.unit_trend_page, name="unit-trend"),
    path("rounds/<int:pk>/respond/", answering.respond, name="respond"),
    path("rounds/<int:pk>/respond/<int:step>/", answering.respond, name="respond-step"),
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", questionnaires.questionnaire_page, name="questionnaire"),
    path("questionnaires/<int:pk>/edit/", questionnaires.questionnaire_edit, name="questionnaire-edit"),
]
