"""API v1 routes of the talent app, under /api/v1/talent/."""

from django.urls import path

from . import views

urlpatterns = [
    path("talent/profiles/", views.ProfileListView.as_view(), name="api-talent-profiles"),
    path("talent/profiles/<int:pk>/", views.ProfileDetailView.as_view(), name="api-talent-profile"),
    path("talent/profiles/<int:pk>/matches/", views.ProfileMatchesView.as_view(), name="api-talent-profile-matches"),
    path(
        "talent/profiles/<int:pk>/calibration/",
        views.ProfileCalibrationView.as_view(),
        name="api-talent-profile-calibration",
    ),
    path("talent/supply/", views.SupplyView.as_view(), name="api-talent-supply"),
]
