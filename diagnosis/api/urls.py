"""API v1 routes of the diagnosis app, under /api/v1/diagnosis/."""

from django.urls import path

from . import views

urlpatterns = [
    path("diagnosis/questionnaires/", views.QuestionnaireListView.as_view(), name="api-diagnosis-questionnaires"),
    path(
        "diagnosis/questionnaires/<int:pk>/",
        views.QuestionnaireDetailView.as_view(),
        name="api-diagnosis-questionnaire",
    ),
    path(
        "diagnosis/questionnaires/<int:pk>/copy/",
        views.QuestionnaireCopyView.as_view(),
        name="api-diagnosis-questionnaire-copy",
    ),
    path("diagnosis/rounds/", views.RoundListView.as_view(), name="api-diagnosis-rounds"),
    path("diagnosis/rounds/<int:pk>/", views.RoundDetailView.as_view(), name="api-diagnosis-round"),
    path("diagnosis/rounds/<int:pk>/close/", views.RoundCloseView.as_view(), name="api-diagnosis-round-close"),
    path("diagnosis/rounds/<int:pk>/results/", views.RoundResultsView.as_view(), name="api-diagnosis-round-results"),
    path("diagnosis/rounds/<int:pk>/response/", views.MyResponseView.as_view(), name="api-diagnosis-my-response"),
    path(
        "diagnosis/rounds/<int:pk>/response/submit/",
        views.MyResponseSubmitView.as_view(),
        name="api-diagnosis-my-response-submit",
    ),
    path("org-units/<str:code>/radar/", views.UnitRadarView.as_view(), name="api-org-unit-radar"),
]
