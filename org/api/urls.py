"""API v1 routes of the org app (other apps' routes are included here as they arrive)."""

from django.urls import path

from . import ingest_views, views

urlpatterns = [
    path("org-units/", views.OrgUnitListView.as_view(), name="api-org-units"),
    path("org-units/<str:code>/", views.OrgUnitDetailView.as_view(), name="api-org-unit"),
    path("people/", views.PersonListView.as_view(), name="api-people"),
    path("people/<str:external_id>/", views.PersonDetailView.as_view(), name="api-person"),
    path("people/<str:external_id>/personal-data/", views.PersonDataView.as_view(), name="api-person-data"),
    path("people/<str:external_id>/anonymize/", views.PersonAnonymizeView.as_view(), name="api-person-anonymize"),
    path("jobs/recompute/", views.RecomputeJobView.as_view(), name="api-jobs-recompute"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="api-job"),
    path("ingest/", ingest_views.IngestDatasetListView.as_view(), name="api-ingest"),
    path("ingest/<slug:dataset>/", ingest_views.IngestView.as_view(), name="api-ingest-dataset"),
    path(
        "ingest/<slug:dataset>/template.csv",
        ingest_views.IngestTemplateView.as_view(),
        {"fmt": "csv"},
        name="api-ingest-template-csv",
    ),
    path(
        "ingest/<slug:dataset>/template.xlsx",
        ingest_views.IngestTemplateView.as_view(),
        {"fmt": "xlsx"},
        name="api-ingest-template-xlsx",
    ),
]
