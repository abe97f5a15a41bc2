"""Enablement: customer-journey learning maps, scenario drills, readiness and learning impact."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnablementConfig(AppConfig):
    name = "enablement"
    verbose_name = _("Enablement")
    default_auto_field = "django.db.models.BigAutoField"
