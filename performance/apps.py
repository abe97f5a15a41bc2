"""Performance: customer facts, the LTV indicator library and engine, scorecards, incentives."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Performance")
    default_auto_field = "django.db.models.BigAutoField"
