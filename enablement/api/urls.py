"""API v1 routes of the enablement app, under /api/v1/enablement/."""

from django.urls import path

from . import views

urlpatterns = [
    path("enablement/activities/", views.ActivityListView.as_view(), name="api-enablement-activities"),
    path(
        "enablement/activities/<slug:code>/impact/",
        views.ActivityImpactView.as_view(),
        name="api-enablement-activity-impact",
    ),
    path(
        "enablement/people/<str:external_id>/readiness/",
        views.PersonReadinessView.as_view(),
        name="api-enablement-person-readiness",
    ),
    path(
        "enablement/org-units/<str:code>/readiness/",
        views.UnitReadinessView.as_view(),
        name="api-enablement-unit-readiness",
    ),
    path("enablement/drills/", views.DrillSessionCreateView.as_view(), name="api-enablement-drills"),
]
