"""API v1 routes of the performance app."""

from django.urls import path

from . import views

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="api-indicators"),
    path("indicators/<slug:code>/", views.IndicatorDetailView.as_view(), name="api-indicator"),
    path("indicator-values/", views.IndicatorValueListView.as_view(), name="api-indicator-values"),
    path("dashboards/<str:code>/", views.DashboardView.as_view(), name="api-dashboard"),
    path("scorecards/", views.ScorecardListView.as_view(), name="api-scorecards"),
    path("scorecards/<int:pk>/attainment/", views.ScorecardAttainmentView.as_view(), name="api-scorecard-attainment"),
    path("incentives/<int:pk>/simulation/", views.IncentiveSimulationView.as_view(), name="api-incentive-simulation"),
    path("ltv/cohorts/", views.LtvCohortListView.as_view(), name="api-ltv-cohorts"),
]
