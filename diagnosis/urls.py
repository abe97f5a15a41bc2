"""Browser pages of the diagnosis module."""

from django.urls import path

from org.views import ModuleLandingView

app_name = "diagnosis"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="diagnosis/index.html"), name="index"),
]
