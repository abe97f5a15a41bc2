"""The audit trail: who changed what and when, kept by django-auditlog for the models that matter.

Each app lists its audited models in :data:`AUDITED` (label → fields left out); ``register_audited``
runs once at start-up. Browser requests get their actor from auditlog's middleware; API requests
authenticated by token get it from :func:`set_audit_actor`, called by the token authentication (the
middleware runs before DRF knows the user). Bulk writes (ingest uploads, recomputes) are not logged row
by row: uploads leave their own trace in the job and recompute records.
"""

from __future__ import annotations

from django.apps import apps

# model label -> fields not worth a log line (timestamps the model sets itself)
AUDITED: dict[str, tuple[str, ...]] = {
    "performance.Indicator": ("updated_at", "last_computed_at"),
    "performance.Scorecard": ("updated_at",),
    "performance.ScorecardItem": (),
    "performance.IncentivePlan": ("updated_at",),
    "diagnosis.Questionnaire": ("updated_at",),
    "talent.SuccessProfile": (),
    "rollout.Program": ("updated_at",),
    "rollout.ProgramStep": (),
    "rollout.ChecklistItem": (),
    "rollout.Milestone": ("updated_at",),
    "rollout.Pilot": (),
    "enablement.JourneyMap": ("updated_at",),
    "enablement.JourneyStage": (),
    "enablement.CapabilityItem": (),
    "enablement.LearningActivity": ("updated_at",),
    "enablement.Scenario": (),
    "org.ApiToken": ("last_used_at", "key_hash"),
}


def register_audited() -> None:
    """Register every audited model that exists with auditlog (idempotent)."""
    from auditlog.registry import auditlog

    for label, excluded in AUDITED.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = {field.name for field in model._meta.get_fields()}
        if not auditlog.contains(model):
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
