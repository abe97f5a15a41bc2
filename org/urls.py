"""Browser pages of the org app: home, org units, people, data import, jobs."""

from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/units/<str:code>/", views.unit_detail, name="unit-detail"),
]
