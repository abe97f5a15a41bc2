"""Login roles as Django groups; each app declares what its roles may do.

An AppConfig may carry ``role_permissions = {"hr_lead": ["app.codename", ...], ...}``.
After every migrate the groups are brought in line with the union of those lists.
"""

from __future__ import annotations

from django.apps import apps as global_apps

from .choices import Role


def declared_role_permissions(app_registry=global_apps) -> dict[str, set[str]]:
    """Collect every installed app's declared role permissions."""
    wanted: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in app_registry.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted.setdefault(role, set()).update(perms)
    return wanted


def sync_role_groups(**kwargs) -> None:
    """post_migrate: create the role groups and set exactly their declared permissions."""
    from django.contrib.auth.models import Group, Permission

    wanted = declared_role_permissions()
    all_codes = {code for codes in wanted.values() for code in codes}
    by_code = {}
    for perm in Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={code.split(".", 1)[0] for code in all_codes}
    ):
        by_code[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    for role, codes in wanted.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_code[code] for code in sorted(codes) if code in by_code])
