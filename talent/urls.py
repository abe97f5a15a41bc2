"""Browser pages of the talent module."""

from django.urls import path

from org.ui.pages import ModuleLandingView

from . import views

app_name = "talent"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="talent/index.html"), name="index"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile"),
    path("profiles/<int:pk>/calibration/", views.profile_calibration_view, name="calibration"),
    path("supply/", views.supply_view, name="supply"),
    path("questions/", views.question_bank, name="questions"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/<str:external_id>/", views.candidate_detail, name="candidate"),
]
