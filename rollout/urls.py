"""Browser pages of the rollout module."""

from django.urls import path

from org.ui.pages import ModuleLandingView

from .views import pilots, programs, scale, steps, stories, teams

app_name = "rollout"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="rollout/index.html"), name="index"),
    path("programs/", programs.program_list, name="programs"),
    path("programs/new/", programs.program_new, name="program-new"),
    path("programs/<int:pk>/", programs.program_detail, name="program"),
    path("programs/<int:pk>/milestones/", steps.milestone_add, name="milestone-add"),
    path("programs/<int:pk>/members/", teams.member_add_view, name="member-add"),
    path("programs/<int:pk>/pilots/new/", pilots.pilot_new, name="pilot-new"),
    path("programs/<int:pk>/reviews/", stories.review_add, name="review-add"),
    path("programs/<int:pk>/waves/", scale.wave_add, name="wave-add"),
    path("programs/<int:pk>/workshops/", scale.workshop_add, name="workshop-add"),
    path("pilots/<int:pk>/edit/", pilots.pilot_edit, name="pilot-edit"),
    path("programs/<int:pk>/stories/", stories.story_add, name="story-add"),
    path("programs/<int:pk>/toolkit.zip", programs.toolkit_download, name="toolkit"),
    path("steps/<int:pk>/sign/", steps.gate_sign_view, name="gate-sign"),
    path("steps/<int:pk>/checklist/", steps.checklist_add, name="checklist-add"),
    path("checklist/<int:pk>/", steps.checklist_toggle, name="checklist-toggle"),
    path("milestones/<int:pk>/status/", steps.milestone_status, name="milestone-status"),
]
