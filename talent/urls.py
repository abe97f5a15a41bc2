"""Browser pages of the talent module."""

from django.urls import path

from org.views import ModuleLandingView

app_name = "talent"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="talent/index.html"), name="index"),
]
