"""API v1 routes of the rollout app, under /api/v1/rollout/."""

from django.urls import path

from . import views

urlpatterns = [
    path("rollout/programs/", views.ProgramListView.as_view(), name="api-rollout-programs"),
    path("rollout/programs/<int:pk>/", views.ProgramDashboardView.as_view(), name="api-rollout-program"),
    path(
        "rollout/programs/<int:pk>/milestones/",
        views.MilestoneCreateView.as_view(),
        name="api-rollout-program-milestones",
    ),
    path(
        "rollout/programs/<int:pk>/steps/<int:number>/sign/",
        views.GateSignView.as_view(),
        name="api-rollout-gate-sign",
    ),
]
