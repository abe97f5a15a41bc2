"""Diagnosis: the self-check questionnaire, root-cause scores, triangulation and the capability radar."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

_READ = ["diagnosis.view_questionnaire", "diagnosis.view_assessmentround"]


class DiagnosisConfig(AppConfig):
    name = "diagnosis"
    verbose_name = _("Diagnosis")
    default_auto_field = "django.db.models.BigAutoField"
    # Answering needs no permission: any login invited to a round may respond.
    role_permissions = {
        "hr_lead": _READ
        + [
            "diagnosis.add_questionnaire",
            "diagnosis.change_questionnaire",
            "diagnosis.add_assessmentround",
            "diagnosis.change_assessmentround",
        ],
        "manager": _READ,
        "integrator": _READ,
        "program_member": ["diagnosis.view_questionnaire"],
    }

    def ready(self) -> None:
        from org.home import register_home

        from . import home

        register_home("diagnosis", tasks=home.home_tasks, suggestions=home.home_suggestions)

        from . import demo, radar  # noqa: F401  (register the demo step and the nightly radar step)
        from .builtin import builtin_questionnaire_sync

        post_migrate.connect(builtin_questionnaire_sync, sender=self, dispatch_uid="diagnosis.builtin_questionnaire")

        from performance.read_cache import register_version_part

        # The radar API is cached: a new snapshot or a closed round must show at once.
        register_version_part("(SELECT MAX(computed_at) FROM diagnosis_radarsnapshot)")
        register_version_part("(SELECT MAX(closed_at) FROM diagnosis_assessmentround)")

        from org.audit import audited

        audited("diagnosis.Questionnaire", exclude=("updated_at",))
        audited("diagnosis.AssessmentRound", exclude=("created_at",))
