"""Browser pages of the performance module."""

from django.urls import path

from org.views import ModuleLandingView

app_name = "performance"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="performance/index.html"), name="index"),
]
