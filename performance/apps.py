"""Performance: customer facts, the LTV indicator library and engine, scorecards, incentives."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

_READ = [
    "performance.view_indicator",
    "performance.view_indicatorvalue",
    "performance.view_scorecard",
    "performance.view_customerprojectteam",
    "performance.view_incentiveplan",
]


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("Performance")
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions = {
        "hr_lead": _READ
        + [
            "performance.add_indicator",
            "performance.change_indicator",
            "performance.add_manualindicatorvalue",
            "performance.change_manualindicatorvalue",
            "performance.view_manualindicatorvalue",
            "performance.add_scorecard",
            "performance.change_scorecard",
            "performance.delete_scorecard",
            "performance.add_customerprojectteam",
            "performance.change_customerprojectteam",
            "performance.add_incentiveplan",
            "performance.change_incentiveplan",
            "performance.add_teamincentiverule",
            "performance.change_teamincentiverule",
            "performance.delete_teamincentiverule",
        ],
        "integrator": _READ,
        "manager": _READ,
        "program_member": _READ,
    }

    def ready(self) -> None:
        from org.home import register_home

        from . import home

        register_home("performance", cards=home.home_cards)

        from . import checks, demo, demo_programs, engine, ingest, ltv  # noqa: F401  (checks, built-in indicators, nightly steps, datasets, demo steps)
        from .library import builtin_indicators_sync

        post_migrate.connect(builtin_indicators_sync, sender=self, dispatch_uid="performance.builtin_indicators")

        from org.audit import audited

        audited("performance.Indicator", exclude=("updated_at", "last_computed_at"))
        audited("performance.Scorecard", exclude=("updated_at",))
        audited("performance.ScorecardItem")
        audited("performance.IncentivePlan", exclude=("updated_at",))
