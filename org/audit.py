"""The audit trail: who changed what and when, kept by django-auditlog for the models that matter.

Each app declares its audited models in its ``apps.py`` (``audited(label, exclude=...)``, kept in
``org.platform.AUDITED_MODELS``) and they are registered with auditlog at once. Browser requests get
their actor from auditlog's middleware; API requests authenticated by token get it from
:func:`set_audit_actor`, called by the token authentication (the middleware runs before DRF knows the
user). Bulk writes (ingest uploads, recomputes) are not logged row
by row: each written upload leaves one ``ImportRecord`` (dataset, file, counts, uploader), audited like the
rest, and recomputes leave their job records.
"""

from __future__ import annotations

from django.apps import apps

from . import platform

# model label -> fields not worth a log line (timestamps the model sets itself); every app adds its own
AUDITED = platform.AUDITED_MODELS


def audited(label: str, *, exclude: tuple[str, ...] = ()) -> None:
    """Keep an audit trail of the model ``label`` ("app.Model"), leaving out the fields ``exclude``.

    Called by each app's ``ready()`` for its own models; the model is registered with auditlog at once.
    """
    AUDITED.add(label, tuple(exclude), replace=True)
    _register(label, tuple(exclude))


def _register(label: str, excluded: tuple[str, ...]) -> None:
    from auditlog.registry import auditlog

    try:
        model = apps.get_model(label)
    except LookupError:
        return  # reported by the system check org.E004
    if not auditlog.contains(model):
        names = {field.name for field in model._meta.get_fields()}
        auditlog.register(model, exclude_fields=[name for name in excluded if name in names])


def set_audit_actor(user) -> None:
    """Make ``user`` the actor of the audit entries of the current request (token-authenticated API calls)."""
    from auditlog.context import auditlog_value

    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if context.get("actor") is None:
        context["actor"] = user
