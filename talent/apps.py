"""Talent: success profiles, candidate match scores, calibration and talent supply planning."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent")
    default_auto_field = "django.db.models.BigAutoField"
