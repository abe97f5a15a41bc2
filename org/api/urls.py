"""API v1 routes of the org app (other apps' routes are included here as they arrive)."""

from django.urls import path

from . import views

urlpatterns = [
    path("org-units/", views.OrgUnitListView.as_view(), name="api-org-units"),
    path("org-units/<str:code>/", views.OrgUnitDetailView.as_view(), name="api-org-unit"),
    path("people/", views.PersonListView.as_view(), name="api-people"),
    path("people/<str:external_id>/", views.PersonDetailView.as_view(), name="api-person"),
    path("jobs/recompute/", views.RecomputeJobView.as_view(), name="api-jobs-recompute"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="api-job"),
]
