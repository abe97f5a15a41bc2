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
    path("rollout/programs/<int:pk>/members/", views.MemberCreateView.as_view(), name="api-rollout-members"),
    path(
        "rollout/programs/<int:pk>/members/<str:username>/",
        views.MemberDeleteView.as_view(),
        name="api-rollout-member",
    ),
    path(
        "rollout/programs/<int:pk>/checklist/<int:item_id>/",
        views.ChecklistItemView.as_view(),
        name="api-rollout-checklist-item",
    ),
    path("rollout/programs/<int:pk>/pilots/", views.PilotCreateView.as_view(), name="api-rollout-pilots"),
    path(
        "rollout/programs/<int:pk>/pilots/<int:pilot_id>/",
        views.PilotDetailView.as_view(),
        name="api-rollout-pilot",
    ),
    path("rollout/programs/<int:pk>/reviews/", views.ReviewCreateView.as_view(), name="api-rollout-reviews"),
    path("rollout/programs/<int:pk>/stories/", views.StoryCreateView.as_view(), name="api-rollout-stories"),
    path("rollout/programs/<int:pk>/waves/", views.WaveCreateView.as_view(), name="api-rollout-waves"),
    path("rollout/programs/<int:pk>/workshops/", views.WorkshopCreateView.as_view(), name="api-rollout-workshops"),
]
