"""Demo data: a believable company, built with bulk writes and deterministic for a seed.

Every app adds its own demo data with ``@demo_step(name, order=...)``; ``seed_demo``
runs the registered steps in order inside one transaction (a failed seed leaves the
database as it was, so ``seed_demo --if-empty`` can simply be run again), then runs
the nightly recompute steps so that every page has values to show.

Each step gets a :class:`DemoContext` whose ``rng`` is a numpy Generator seeded from
the seed *and the step's name*: adding a step never changes the data of the others.
Steps pass what later steps need through ``ctx.shared`` (the org step puts ``units``,
``team_ids`` and ``people`` there; the performance step adds ``team_profile`` and
``person_skill``).

Order numbers by convention: org 0-99, performance 100-199, diagnosis, talent and
enablement 200-399, rollout 400 and up.
"""

from __future__ import annotations

import datetime as dt
import graphlib
import os
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from . import platform
from .choices import JobKind, JobStatus, Role
from .marks import recompute_mark
from .models import Job, OrgUnit, Person, UserProfile

DEFAULT_PASSWORD = "demo-pass-2026"


def demo_password() -> str:
    """The shared password of the demo logins: ``DEMO_PASSWORD`` or the documented default."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


# --- demo logins (made by the step ``demo_logins`` in org.demo_data; flushing removes them) ------


@dataclass(frozen=True)
class DemoLogin:
    """One demo login: its user name, its role group (None for the superuser) and what it sees."""

    username: str
    role: str | None
    scope: str  # "all", "region" (the first region) or "business_unit" (the first one)


DEMO_LOGINS = [
    DemoLogin("admin", None, "all"),
    DemoLogin("hr", Role.HR_LEAD.value, "all"),
    DemoLogin("manager", Role.MANAGER.value, "region"),
    DemoLogin("member", Role.PROGRAM_MEMBER.value, "business_unit"),
    DemoLogin("integrator", Role.INTEGRATOR.value, "all"),
]


# --- scales -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoScale:
    """How big the demo company is and how much history it has."""

    name: str
    business_units: int
    regions_per_unit: int
    teams_per_region: int
    team_size: int  # mean head count of a team, its lead included
    months: int
    lead_rate: float  # leads per full-time sales rep and month (before seasonality and growth)

    @property
    def teams(self) -> int:
        return self.business_units * self.regions_per_unit * self.teams_per_region


SCALES: dict[str, DemoScale] = {
    scale.name: scale
    for scale in (
        DemoScale("small", 2, 2, 3, 16, 12, 9.0),  # 12 teams, ~200 people
        DemoScale("medium", 4, 2, 5, 24, 24, 9.0),  # 40 teams, ~1,000 people
        DemoScale("large", 5, 8, 5, 24, 36, 10.0),  # 200 teams, ~5,000 people, ~1 million leads
    )
}


# --- the registry -------------------------------------------------------------------


@dataclass
class DemoContext:
    """What a demo step gets: the scale, the time window, its own Generator and shared results."""

    scale: DemoScale
    seed: int
    today: dt.date
    first_month: dt.date
    months: int
    rng: np.random.Generator
    shared: dict = field(default_factory=dict)
    now: dt.datetime = field(default_factory=timezone.now)

    def generator(self, name: str) -> np.random.Generator:
        """A Generator for (seed, name): stable across runs and independent of other steps."""
        return np.random.default_rng(np.random.SeedSequence([self.seed, zlib.crc32(name.encode("utf-8"))]))


@dataclass(frozen=True)
class DemoStep:
    """One step of the demo build; ``flush`` names extra models its data lives in."""

    name: str
    order: int
    label: object
    func: Callable[[DemoContext], dict | None]
    flush: tuple[str, ...] = ()


_DEMO_STEPS = platform.DEMO_STEPS  # name -> DemoStep


def demo_step(name: str, *, order: int, label=None, flush: tuple[str, ...] = ()):
    """Register a function ``f(ctx) -> {table: rows}`` as a demo step (lower ``order`` runs first).

    ``flush`` lists models ("app_label.Model") to empty on ``seed_demo --flush`` that do
    not reference an org unit or a person (those are found and emptied anyway).
    """

    def decorate(func):
        step = DemoStep(name=name, order=order, label=label or name, func=func, flush=tuple(flush))
        _DEMO_STEPS.add(name, step, replace=True)
        return func

    return decorate


def demo_steps() -> list[DemoStep]:
    """The registered demo steps in the order they run."""
    return sorted(_DEMO_STEPS.values(), key=lambda step: (step.order, step.name))


class DemoNotEmptyError(Exception):
    """Seeding was asked for on a database that already has an org tree."""


def demo_is_empty() -> bool:
    """True when no org unit exists (the test ``--if-empty`` uses)."""
    return not OrgUnit.objects.exists()


def _months_before(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def seed_demo(
    *,
    scale: str = "small",
    seed: int = 1,
    today: dt.date | None = None,
    recompute: bool = True,
    progress: Callable[[str, float, dict | None], None] | None = None,
) -> dict:
    """Build the demo company for ``scale`` and ``seed``; returns timings and row counts per step.

    The facts cover ``scale.months`` calendar months ending with the month of ``today``
    (default: the local date), so the same seed and day give the same data.
    Refuses (DemoNotEmptyError) when org units exist: flush first.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown demo scale {scale!r}")
    if seed < 0:
        raise ValueError("the seed must be a non-negative integer")
    spec = SCALES[scale]
    today = today or timezone.localdate()
    month = today.replace(day=1)
    ctx = DemoContext(
        scale=spec,
        seed=seed,
        today=today,
        first_month=_months_before(month, spec.months - 1),
        months=spec.months,
        rng=np.random.default_rng(seed),
    )
    report: dict = {"scale": scale, "seed": seed, "today": today.isoformat(), "steps": [], "recompute": []}
    with transaction.atomic():
        if not demo_is_empty():
            raise DemoNotEmptyError
        for step in demo_steps():
            ctx.rng = ctx.generator(step.name)
            began = time.perf_counter()
            outcome = step.func(ctx)
            seconds = round(time.perf_counter() - began, 3)
            report["steps"].append({"name": step.name, "seconds": seconds, "rows": outcome or {}})
            if progress is not None:
                progress(step.name, seconds, outcome)
    report["token"] = ctx.shared.get("integrator_token")
    # The steps write facts in bulk, past the ingest marks: every computed figure is stale.
    recompute_mark(years=None, reason="seed_demo")
    began = time.perf_counter()
    analyzed = demo_analyze()
    if analyzed:
        report["steps"].append({"name": "analyze", "seconds": round(time.perf_counter() - began, 3), "rows": {}})
        if progress is not None:
            progress("analyze", report["steps"][-1]["seconds"], None)
    if recompute:
        for item in demo_recompute():
            report["recompute"].append(item)
            if progress is not None:
                progress(f"recompute:{item['name']}", item.get("seconds", 0.0), item.get("result"))
    return report


def demo_analyze() -> bool:
    """PostgreSQL: refresh the planner's statistics of the freshly loaded tables before the recompute.

    Autovacuum would get there eventually; without fresh row counts the recompute's joins
    over a million new rows get planned as if the tables were empty. Empty tables are left
    alone: statistics saying "0 rows" on a table the recompute is about to fill (the
    indicator values) lead the planner into nested loops over it.
    """
    if connection.vendor != "postgresql":
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in _models_with_tables():
            table = quote(model._meta.db_table)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if cursor.fetchone()[0]:
                cursor.execute(f"ANALYZE {table}")
    return True


def demo_recompute() -> list[dict]:
    """Run every nightly step now, as a recompute job started by the seed; its step reports.

    No planner settings needed: the indicator engine refreshes stale statistics of the tables
    it reads and writes itself (right after a flush or a bulk load) and writes through hash
    joins on the values table's key.
    """
    return _recompute_now()


def _recompute_now() -> list[dict]:
    from .jobs import job_run, nightly_steps

    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=JobKind.RECOMPUTE,
                status=JobStatus.QUEUED,
                trigger="seed_demo",
                steps=[{"name": step.name, "status": "pending"} for step in nightly_steps()],
            )
    except IntegrityError:
        # Another recompute is queued or running; it will see the new facts too, but run ours now.
        report = []
        for step in nightly_steps():
            began = time.perf_counter()
            with transaction.atomic():
                outcome = step.func(None)
            report.append({"name": step.name, "seconds": round(time.perf_counter() - began, 3), "result": outcome})
        return report
    job = job_run(job.pk)
    if job is None or job.status != JobStatus.SUCCEEDED:
        raise RuntimeError(f"the recompute after seeding failed: {job.error if job else 'not run'}")
    return job.steps


# --- flush --------------------------------------------------------------------------


def _models_with_tables() -> list[type[models.Model]]:
    """Every installed model (M2M through tables included) whose table exists in this database."""
    existing = set(connection.introspection.table_names())
    return [
        model
        for model in global_apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and model._meta.db_table in existing
    ]


def _flush_plan(roots: dict) -> tuple[list, dict, dict]:
    """Which rows to delete or unlink so that nothing refers to the rows in ``roots`` any more.

    ``roots`` maps a model to the SQL condition of its rows to delete (None: all rows).
    Following every foreign key back to them: a model is emptied when a non-nullable
    reference points at an emptied model; otherwise only its rows that point at deleted
    rows go; a nullable SET_NULL reference is set to NULL instead (as Django would).
    Returns the delete order (referrers first), each model's condition and the SET NULL
    columns per model.
    """
    candidates = _models_with_tables()
    where: dict = dict(roots)
    nulls: dict[type[models.Model], list] = {}
    quote = connection.ops.quote_name

    def deleted_ids(target) -> str:
        condition = f" WHERE {where[target]}" if where[target] else ""
        return f"SELECT {quote(target._meta.pk.column)} FROM {quote(target._meta.db_table)}{condition}"

    changed, rounds = True, 0
    while changed and rounds < 50:  # a fixpoint; the cap only guards against reference cycles
        changed, rounds = False, rounds + 1
        for model in candidates:
            if model in where and (where[model] is None or model in roots):
                continue
            full, conditions, unlink = False, [], []
            for fk in model._meta.concrete_fields:
                target = fk.related_model if fk.is_relation else None
                if target is None or target not in where or target is model:
                    continue
                if fk.null and fk.remote_field.on_delete is models.SET_NULL:
                    unlink.append(fk)
                elif not fk.null and where[target] is None:
                    full = True
                elif where[target] is None:
                    conditions.append(f"{quote(fk.column)} IS NOT NULL")
                else:
                    conditions.append(f"{quote(fk.column)} IN ({deleted_ids(target)})")
            if full and where.get(model, "") is not None:
                where[model] = None
                changed = True
            elif not full and conditions:
                combined = " OR ".join(f"({condition})" for condition in sorted(conditions))
                if where.get(model) != combined:
                    where[model] = combined
                    changed = True
            if unlink:
                nulls[model] = unlink
    nulls = {model: fks for model, fks in nulls.items() if where.get(model, "") is not None}
    graph: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
    for model in where:
        graph.add(model)
        for fk in model._meta.concrete_fields:
            if fk.is_relation and fk.related_model in where and fk.related_model is not model:
                graph.add(fk.related_model, model)  # the referenced model goes after its referrer
    try:
        order = list(graph.static_order())
    except graphlib.CycleError:
        order = list(where)
    return order, where, nulls


@transaction.atomic
def demo_flush() -> dict[str, int]:
    """Delete the org tree, people, everything that hangs off them, demo-step data and demo logins.

    Plain SQL deletes in dependency order (a large demo has millions of rows; Django's
    collector would load them all). Data not tied to the org (the indicator library, role
    groups, other logins) stays.
    """
    User = get_user_model()
    usernames = [login.username for login in DEMO_LOGINS]
    assert all(name.isalnum() for name in usernames)  # noqa: S101 - they go into the SQL as literals
    quote = connection.ops.quote_name
    roots: dict = {OrgUnit: None, Person: None}
    roots.update({global_apps.get_model(label): None for step in demo_steps() for label in step.flush})
    roots[User] = f"{quote(User._meta.get_field('username').column)} IN ({', '.join(repr(n) for n in usernames)})"
    # A profile links a login to a person or a unit, and every person and unit goes: such a profile would be left
    # linking to nothing, the same as none (the demo's respondent logins keep their user row, as other logins).
    demo_users = f"SELECT {quote(User._meta.pk.column)} FROM {quote(User._meta.db_table)} WHERE {roots[User]}"
    linked = f"{quote('person_id')} IS NOT NULL OR {quote('org_unit_id')} IS NOT NULL"
    roots[UserProfile] = f"{linked} OR {quote('user_id')} IN ({demo_users})"
    order, where, nulls = _flush_plan(roots)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model, fks in nulls.items():
            for fk in fks:
                target = fk.related_model
                condition = f" WHERE {where[target]}" if where[target] else ""
                cursor.execute(
                    f"UPDATE {quote(model._meta.db_table)} SET {quote(fk.column)} = NULL "
                    f"WHERE {quote(fk.column)} IN (SELECT {quote(target._meta.pk.column)} "
                    f"FROM {quote(target._meta.db_table)}{condition})"
                )
        for model in order:
            condition = f" WHERE {where[model]}" if where[model] else ""
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}{condition}")
            if cursor.rowcount:
                counts[model._meta.label] = cursor.rowcount
    return counts
