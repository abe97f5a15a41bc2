"""Browser pages of the performance module."""

from django.urls import path

from org.views import ModuleLandingView

from . import views

app_name = "performance"

urlpatterns = [
    path("", ModuleLandingView.as_view(template_name="performance/index.html"), name="index"),
    path("indicators/", views.indicator_library, name="indicators"),
    path("indicators/new/", views.indicator_new, name="indicator-new"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
]
