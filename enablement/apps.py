"""Enablement: customer-journey learning maps, scenario drills, readiness and learning impact."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

_READ = [
    "enablement.view_journeymap",
    "enablement.view_learningactivity",
    "enablement.view_scenario",
    "enablement.view_drillsession",
]


class EnablementConfig(AppConfig):
    name = "enablement"
    verbose_name = _("Enablement")
    default_auto_field = "django.db.models.BigAutoField"
    # HR leads design maps, activities and scenarios; managers coach: they enrol and drill their own people.
    role_permissions = {
        "hr_lead": _READ
        + [
            "enablement.change_journeymap",
            "enablement.add_journeymap",
            "enablement.add_learningactivity",
            "enablement.change_learningactivity",
            "enablement.add_enrolment",
            "enablement.add_scenario",
            "enablement.change_scenario",
            "enablement.add_drillsession",
        ],
        "manager": _READ + ["enablement.add_enrolment", "enablement.add_drillsession"],
        "integrator": _READ,
        "program_member": _READ,
    }

    def ready(self) -> None:
        from . import demo, indicators, ingest, readiness  # noqa: F401  (demo step, indicators, datasets, radar part)
        from .builtin import builtin_map_sync

        post_migrate.connect(builtin_map_sync, sender=self, dispatch_uid="enablement.builtin_map")

        from org.audit import audited

        audited("enablement.JourneyMap", exclude=("updated_at",))
        audited("enablement.JourneyStage")
        audited("enablement.CapabilityItem")
        audited("enablement.LearningActivity", exclude=("updated_at",))
        audited("enablement.Scenario")
