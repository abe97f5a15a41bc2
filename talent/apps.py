"""Talent: success profiles, candidate match scores, calibration and talent supply planning."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

_READ = ["talent.view_factor", "talent.view_successprofile", "talent.view_candidate"]


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("Talent")
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions = {
        "hr_lead": _READ + ["talent.add_successprofile", "talent.add_headcountplan", "talent.add_interviewscorecard"],
        "manager": _READ + ["talent.add_interviewscorecard"],
        "integrator": _READ,
        "program_member": ["talent.view_factor", "talent.view_successprofile"],
    }

    def ready(self) -> None:
        from org.audit import audited

        from . import demo, indicators, ingest  # noqa: F401  (register the demo step, indicator computation, nightly step, datasets)

        audited("talent.SuccessProfile")

        from .builtin import builtin_questions_sync

        post_migrate.connect(builtin_questions_sync, sender=self, dispatch_uid="talent.builtin_questions")
