"""Browser pages of the enablement module."""

from django.urls import path

from org.views import ModuleLandingView

app_name = "enablement"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="enablement/index.html"), name="index"),
]
