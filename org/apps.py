"""The org app: org tree, people, roles, tokens, ingest framework and job records."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

_ORG_READ = ["org.view_orgunit", "org.view_person"]


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organization")
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions = {
        "hr_lead": _ORG_READ
        + [
            "org.view_all_units",
            "org.add_orgunit",
            "org.change_orgunit",
            "org.add_person",
            "org.change_person",
            "org.ingest_data",
            "org.start_job",
            "org.view_job",
            "auditlog.view_logentry",
        ],
        "integrator": _ORG_READ + ["org.view_all_units", "org.ingest_data", "org.start_job", "org.view_job"],
        "manager": _ORG_READ,
        "program_member": _ORG_READ,
    }

    def ready(self) -> None:
        from . import checks, demo_data, ingest_datasets, jobs  # noqa: F401  (checks, demo steps, datasets, steps)
        from .api import schema  # noqa: F401  (OpenAPI description of the token scheme)
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="org.sync_role_groups")

        from .permission_cache import connect_invalidation

        connect_invalidation()

        from .ui.names import connect_request_memo

        connect_request_memo()

        from .audit import audited

        audited("org.ApiToken", exclude=("last_used_at", "key_hash"))
        audited("org.ImportRecord", exclude=("uploaded_at",))
