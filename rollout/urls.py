"""Browser pages of the rollout module."""

from django.urls import path

from org.views import ModuleLandingView

app_name = "rollout"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="rollout/index.html"), name="index"),
]
