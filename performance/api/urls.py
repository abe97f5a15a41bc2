"""API v1 routes of the performance app."""

from django.urls import path

from . import views

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="api-indicators"),
    path("indicators/<slug:code>/", views.IndicatorDetailView.as_view(), name="api-indicator"),
    path("indicator-values/", views.IndicatorValueListView.as_view(), name="api-indicator-values"),
]
