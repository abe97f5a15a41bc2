"""Browser pages of the diagnosis module."""

from django.urls import path

from org.ui.pages import ModuleLandingView

from . import views

app_name = "diagnosis"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="diagnosis/index.html"), name="index"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/results/", views.round_results_page, name="round-results"),
    path("rounds/<int:pk>/results/export.xlsx", views.round_export_xlsx, name="round-export"),
    path("rounds/<int:pk>/results/print/", views.round_print, name="round-print"),
    path("compare/", views.compare_page, name="compare"),
    path("units/<str:code>/radar/", views.unit_radar_page, name="unit-radar"),
    path("units/<str:code>/trend/", views.unit_trend_page, name="unit-trend"),
    path("rounds/<int:pk>/respond/", views.respond, name="respond"),
    path("rounds/<int:pk>/respond/<int:step>/", views.respond, name="respond-step"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", views.questionnaire_page, name="questionnaire"),
    path("questionnaires/<int:pk>/edit/", views.questionnaire_edit, name="questionnaire-edit"),
]
