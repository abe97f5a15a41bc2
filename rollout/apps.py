"""Rollout: the five-step change-program tracker with pilots against controls."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "rollout"
    verbose_name = _("Rollout")
    default_auto_field = "django.db.models.BigAutoField"
