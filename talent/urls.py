"""Browser pages of the talent module."""

from django.urls import path

from org.views import ModuleLandingView

from . import views

app_name = "talent"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="talent/index.html"), name="index"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/<str:external_id>/", views.candidate_detail, name="candidate"),
]
