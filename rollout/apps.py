"""Rollout: the five-step change-program tracker with pilots against controls."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = ["rollout.view_program"]


class RolloutConfig(AppConfig):
    name = "rollout"
    verbose_name = _("Rollout")
    default_auto_field = "django.db.models.BigAutoField"
    # Seeing a program also needs scope (or membership); editing needs membership (rollout/selectors.py).
    role_permissions = {
        "hr_lead": [*_READ, "rollout.add_program"],
        "program_member": [*_READ, "rollout.add_program"],
        "manager": _READ,
        "integrator": _READ,
    }

    def ready(self) -> None:
        from org.home import register_home

        from . import home

        register_home("rollout", tasks=home.home_tasks, suggestions=home.home_suggestions)

        from org.audit import audited

        from . import demo, indicators, jobs  # noqa: F401  (demo step, playbooks_captured, nightly steps)

        audited("rollout.Program", exclude=("updated_at",))
        audited("rollout.ProgramStep")
        audited("rollout.ChecklistItem")
        audited("rollout.Milestone", exclude=("updated_at",))
        audited("rollout.Pilot")
