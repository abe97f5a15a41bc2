"""Rollout: the five-step change-program tracker with pilots against controls."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = ["rollout.view_program"]
# Who starts a change program: HR leads (DESIGN.md section 1), checked by the view, its buttons and the API
# alike (``rollout.add_program``). ``rollout.change_program`` marks the joint-team roles whose work spans the
# units of a program: without it a team member (a manager sponsoring one) sees only the units of their scope.
_TEAM = ["rollout.change_program"]


class RolloutConfig(AppConfig):
    name = "rollout"
    verbose_name = _("Rollout")
    default_auto_field = "django.db.models.BigAutoField"
    # Seeing a program also needs scope (or membership); editing needs membership (rollout/selectors.py).
    role_permissions = {
        "hr_lead": [*_READ, *_TEAM, "rollout.add_program"],
        "program_member": [*_READ, *_TEAM],
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
