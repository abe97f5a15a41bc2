"""Browser pages of the rollout module."""

from django.urls import path

from org.ui.pages import ModuleLandingView

from . import views

app_name = "rollout"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="rollout/index.html"), name="index"),
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_new, name="program-new"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/milestones/", views.milestone_add, name="milestone-add"),
    path("programs/<int:pk>/members/", views.member_add_view, name="member-add"),
    path("programs/<int:pk>/pilots/new/", views.pilot_new, name="pilot-new"),
    path("programs/<int:pk>/reviews/", views.review_add, name="review-add"),
    path("programs/<int:pk>/waves/", views.wave_add, name="wave-add"),
    path("programs/<int:pk>/workshops/", views.workshop_add, name="workshop-add"),
    path("pilots/<int:pk>/edit/", views.pilot_edit, name="pilot-edit"),
    path("programs/<int:pk>/stories/", views.story_add, name="story-add"),
    path("programs/<int:pk>/toolkit.zip", views.toolkit_download, name="toolkit"),
    path("steps/<int:pk>/sign/", views.gate_sign_view, name="gate-sign"),
    path("steps/<int:pk>/checklist/", views.checklist_add, name="checklist-add"),
    path("checklist/<int:pk>/", views.checklist_toggle, name="checklist-toggle"),
    path("milestones/<int:pk>/status/", views.milestone_status, name="milestone-status"),
]
