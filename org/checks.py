"""System checks over the platform's registries (``manage.py check`` fails with a message naming the culprit).

They run once every app is loaded, so every app has registered its steps, datasets and audited models. The
indicator checks (a declaration without a computation, a computation reading a table that leaves no marks)
live in ``performance.checks``, beside the registry they read.
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.core.checks import Error, register

from . import platform


def _shared_orders(registry: platform.Registry, kind: str) -> list[Error]:
    by_order: dict[int, list[str]] = defaultdict(list)
    for name, step in registry.items():
        by_order[step.order].append(name)
    return [
        Error(
            f"The {kind} {', '.join(sorted(names))} share the order {order}: which runs first is left to chance.",
            hint="Give each step an order of its own (nightly_step(..., order=N) / demo_step(..., order=N)).",
            id="org.E001",
        )
        for order, names in sorted(by_order.items())
        if len(names) > 1
    ]


@register()
def steps_have_orders_of_their_own(app_configs=None, **kwargs) -> list[Error]:
    """Two nightly steps, or two demo steps, never share an order."""
    return _shared_orders(platform.NIGHTLY_STEPS, "nightly steps") + _shared_orders(platform.DEMO_STEPS, "demo steps")


@register()
def nightly_steps_need_earlier_steps(app_configs=None, **kwargs) -> list[Error]:
    """A nightly step needs only steps that exist and run before it."""
    order = {name: (step.order, name) for name, step in platform.NIGHTLY_STEPS.items()}
    errors = []
    for name, step in platform.NIGHTLY_STEPS.items():
        for needed in step.needs:
            if needed not in order:
                errors.append(
                    Error(
                        f"The nightly step {name} needs {needed!r}, which is not a nightly step.",
                        hint=f"Known steps: {', '.join(sorted(order))}.",
                        id="org.E002",
                    )
                )
            elif order[needed] >= order[name]:
                errors.append(
                    Error(
                        f"The nightly step {name} (order {step.order}) needs {needed}, which runs after it "
                        f"(order {order[needed][0]}).",
                        hint="A step can only read what earlier steps wrote: lower the needed step's order.",
                        id="org.E002",
                    )
                )
    return errors


@register()
def tracked_datasets_exist(app_configs=None, **kwargs) -> list[Error]:
    """Every dataset that leaves recompute marks is a registered ingest dataset."""
    return [
        Error(
            f"track_dataset({name!r}) names no registered ingest dataset, so its uploads would leave no marks.",
            hint="Register the dataset first (org.ingest.register_dataset), then track it.",
            id="org.E003",
        )
        for name in platform.TRACKED_DATASETS
        if name not in platform.DATASETS
    ]


@register()
def audited_models_are_registered(app_configs=None, **kwargs) -> list[Error]:
    """Every model an app declares audited is kept by auditlog, and auditlog keeps no undeclared model of ours."""
    from auditlog.registry import auditlog

    errors = []
    declared = set()
    for label in platform.AUDITED_MODELS:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            errors.append(
                Error(f"The audited model {label!r} does not exist.", hint="Use 'app_label.ModelName'.", id="org.E004")
            )
            continue
        declared.add(model)
        if not auditlog.contains(model):
            errors.append(
                Error(
                    f"The audited model {label} is not registered with auditlog: its changes are not logged.",
                    hint="Declare it with org.audit.audited() in its app's ready(), which registers it.",
                    id="org.E004",
                )
            )
    ours = {"org", "performance", "diagnosis", "talent", "enablement", "rollout"}
    for model in auditlog.get_models():
        if model._meta.app_label in ours and model not in declared:
            errors.append(
                Error(
                    f"{model._meta.label} is registered with auditlog but not declared audited.",
                    hint="Declare it with org.audit.audited() so the audit trail page lists it.",
                    id="org.E004",
                )
            )
    return errors
