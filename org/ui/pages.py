"""Page classes every module's URLs use."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class ModuleLandingView(LoginRequiredMixin, TemplateView):
    """A module's landing page: its template, behind a login."""
