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
import pandas as pd
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import platform
from .bulkcopy import frame_insert, next_ids
from .choices import JobKind, JobStatus, OrgUnitKind, PersonRole, Role, TokenScope
from .marks import recompute_mark
from .models import Job, OrgUnit, Person, UserProfile
from .services import api_token_create, org_closure_rebuild, user_profile_set

DEFAULT_PASSWORD = "demo-pass-2026"


def demo_password() -> str:
    """The shared password of the demo logins: ``DEMO_PASSWORD`` or the documented default."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


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


# --- the org tree and people --------------------------------------------------------

COMPANY = ("CO", "云帆科技有限公司")
BUSINESS_UNITS = [
    ("ENT", "大客户事业部"),
    ("SMB", "中小企业事业部"),
    ("GOV", "政企事业部"),
    ("IND", "行业解决方案事业部"),
    ("CHN", "渠道与生态事业部"),
]
REGIONS = [
    ("EC", "华东大区", ["上海", "杭州", "南京", "苏州", "宁波", "合肥"]),
    ("NC", "华北大区", ["北京", "天津", "济南", "青岛", "石家庄", "太原"]),
    ("SC", "华南大区", ["广州", "深圳", "厦门", "福州", "南宁", "海口"]),
    ("WC", "西南大区", ["成都", "重庆", "昆明", "贵阳", "拉萨", "绵阳"]),
    ("CC", "华中大区", ["武汉", "长沙", "郑州", "南昌", "宜昌", "洛阳"]),
    ("NE", "东北大区", ["沈阳", "大连", "长春", "哈尔滨", "鞍山", "吉林"]),
    ("NW", "西北大区", ["西安", "兰州", "银川", "西宁", "乌鲁木齐", "宝鸡"]),
    ("SE", "东南沿海大区", ["温州", "泉州", "东莞", "佛山", "珠海", "汕头"]),
]
ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万钱严戴"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚华丹萍鹏辉玲宇浩凯婷雪琳晨欣怡佳思子梓博文轩诺雨嘉晓俊宏志建海波琪瑶睿泽涵晗昊然悦航颖"
)

# Team make-up after the team lead (a sales manager). "other" stands for delivery engineers.
TEAM_ROLES = np.array(
    [
        PersonRole.SALES_REP.value,
        PersonRole.ACCOUNT_MANAGER.value,
        PersonRole.SOLUTION_CONSULTANT.value,
        PersonRole.PRESALES.value,
        PersonRole.CUSTOMER_SUCCESS.value,
        PersonRole.MARKETING.value,
        PersonRole.OTHER.value,
    ]
)
TEAM_ROLE_SHARE = np.array([0.42, 0.16, 0.07, 0.1, 0.13, 0.04, 0.08])
# Staff that sits above the teams: (role, how many) per unit kind.
UNIT_STAFF = {
    OrgUnitKind.COMPANY: [(PersonRole.MARKETING, 2), (PersonRole.OTHER, 2)],
    OrgUnitKind.BUSINESS_UNIT: [(PersonRole.SALES_MANAGER, 1), (PersonRole.MARKETING, 1), (PersonRole.PRESALES, 1)],
    OrgUnitKind.REGION: [(PersonRole.SALES_MANAGER, 1), (PersonRole.MARKETING, 1)],
}


def _iso(day_numbers: np.ndarray) -> np.ndarray:
    return (np.datetime64("1970-01-01", "D") + day_numbers.astype("timedelta64[D]")).astype(str)


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def _timestamp(ctx: DemoContext) -> str:
    """``now`` as the text each database takes for a datetime column in a raw insert."""
    return str(connection.ops.adapt_datetimefield_value(ctx.now))


def _org_units(ctx: DemoContext) -> pd.DataFrame:
    """Company, business units, regions and teams as rows (id, code, name, kind, parent_id)."""
    spec = ctx.scale
    rows: list[dict] = [{"code": COMPANY[0], "name": COMPANY[1], "kind": OrgUnitKind.COMPANY.value, "parent": None}]
    for bu_code, bu_name in BUSINESS_UNITS[: spec.business_units]:
        code_bu = f"BU-{bu_code}"
        rows.append({"code": code_bu, "name": bu_name, "kind": OrgUnitKind.BUSINESS_UNIT.value, "parent": COMPANY[0]})
        for region_code, region_name, cities in REGIONS[: spec.regions_per_unit]:
            code_region = f"{bu_code}-{region_code}"
            rows.append({"code": code_region, "name": region_name, "kind": OrgUnitKind.REGION.value, "parent": code_bu})
            for t in range(spec.teams_per_region):
                city = cities[t % len(cities)]
                ordinal = ORDINALS[(t // len(cities)) % len(ORDINALS)]
                rows.append(
                    {
                        "code": f"{code_region}-T{t + 1:02d}",
                        "name": f"{city}{ordinal}组",
                        "kind": OrgUnitKind.TEAM.value,
                        "parent": code_region,
                    }
                )
    units = pd.DataFrame(rows)
    units["id"] = np.asarray(next_ids(OrgUnit, len(units)))
    by_code = dict(zip(units["code"], units["id"], strict=True))
    units["parent_id"] = units["parent"].map(by_code)
    return units


def _names(rng: np.random.Generator, count: int) -> np.ndarray:
    surname = rng.choice(np.array(SURNAMES), count)
    first = rng.choice(np.array(GIVEN), count)
    second = rng.choice(np.array(GIVEN), count)
    two = rng.random(count) < 0.65
    return np.char.add(np.char.add(surname, first), np.where(two, second, ""))


def _people(ctx: DemoContext, units: pd.DataFrame) -> pd.DataFrame:
    """Team members and staff above the teams, with Chinese names, roles, hire and exit dates."""
    rng = ctx.rng
    teams = units[units["kind"] == OrgUnitKind.TEAM.value]
    sizes = np.maximum(5, np.round(ctx.scale.team_size * rng.lognormal(0.0, 0.18, len(teams)))).astype(int)
    unit_ids = [np.repeat(teams["id"].to_numpy(), sizes)]
    lead_of_team = np.zeros(int(sizes.sum()), dtype=bool)
    lead_of_team[np.cumsum(sizes) - sizes] = True
    roles = rng.choice(TEAM_ROLES, int(sizes.sum()), p=TEAM_ROLE_SHARE).astype(object)
    roles[lead_of_team] = PersonRole.SALES_MANAGER.value
    role_parts, senior_parts = [roles], [lead_of_team]
    for kind, staff in UNIT_STAFF.items():
        ids = units.loc[units["kind"] == kind.value, "id"].to_numpy()
        for role, count in staff:
            unit_ids.append(np.repeat(ids, count))
            role_parts.append(np.full(len(ids) * count, role.value, dtype=object))
            senior_parts.append(np.full(len(ids) * count, role == PersonRole.SALES_MANAGER))
    org_unit_id = np.concatenate(unit_ids)
    role = np.concatenate(role_parts)
    senior = np.concatenate(senior_parts)
    n = len(role)

    # Three in four were there before the window opens (tenure up to 15 years, leads longer);
    # the rest joined during the window, which is how the company grows.
    window_start = _day_number(ctx.first_month)
    today = _day_number(ctx.today)
    tenure = np.minimum(5475, rng.lognormal(np.where(senior, 7.4, 6.7), 0.6, n)).astype(np.int64)
    joined_later = (rng.random(n) < 0.25) & ~senior
    later = window_start + (rng.random(n) * max(1, today - 30 - window_start)).astype(np.int64)
    hire = np.where(joined_later, later, window_start - tenure)
    # About one in ten left during the window (never a lead), at least two months after joining.
    earliest_exit = np.maximum(hire, window_start) + 60
    leaves = (rng.random(n) < 0.1) & ~senior & (earliest_exit < today - 1)
    exit_day = earliest_exit + (rng.random(n) * np.maximum(1, today - 1 - earliest_exit)).astype(np.int64)
    exit_iso = _iso(np.where(leaves, exit_day, 0)).astype(object)
    exit_iso[~leaves] = None

    ids = np.asarray(next_ids(Person, n))
    external = np.char.add("E", np.char.zfill(np.arange(1, n + 1).astype(str), 6))
    return pd.DataFrame(
        {
            "id": ids,
            "external_id": external,
            "name": _names(rng, n),
            "email": np.char.add(np.char.lower(external), "@demo.example.com"),
            "org_unit_id": org_unit_id,
            "role": role,
            "hire_date": _iso(hire),
            "exit_date": exit_iso,
        }
    )


@demo_step("org_tree", order=10, label=_("Org tree and people"))
def org_tree_demo_step(ctx: DemoContext) -> dict:
    """Company → business units → regions → teams, their people, and the closure table built once."""
    units = _org_units(ctx)
    stamp = _timestamp(ctx)
    frame_insert(
        OrgUnit,
        units[["id", "code", "name", "kind", "parent_id"]].assign(created_at=stamp, updated_at=stamp),
    )
    closure_rows = org_closure_rebuild()
    people = _people(ctx, units)
    frame_insert(Person, people)
    ctx.shared["units"] = units[["id", "code", "name", "kind", "parent_id"]]
    ctx.shared["team_ids"] = units.loc[units["kind"] == OrgUnitKind.TEAM.value, "id"].astype(int).tolist()
    ctx.shared["people"] = people
    return {"org_units": len(units), "org_closure": closure_rows, "people": len(people)}


# --- demo logins --------------------------------------------------------------------


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


@demo_step("demo_logins", order=30, label=_("Demo logins"))
def demo_logins_step(ctx: DemoContext) -> dict:
    """One login per role sharing the demo password; an existing login keeps its password."""
    units = ctx.shared["units"]
    region = units[units["kind"] == OrgUnitKind.REGION.value].iloc[0]
    business_unit = units[units["kind"] == OrgUnitKind.BUSINESS_UNIT.value].iloc[0]
    people = ctx.shared["people"]
    director = people[(people["org_unit_id"] == region["id"]) & (people["role"] == PersonRole.SALES_MANAGER.value)]
    scope_unit = {"all": None, "region": int(region["id"]), "business_unit": int(business_unit["id"])}
    hashed = make_password(demo_password())  # hashed once: the same password for every login
    User = get_user_model()
    created = 0
    for login in DEMO_LOGINS:
        user, is_new = User.objects.get_or_create(
            username=login.username,
            defaults={
                "password": hashed,
                "is_staff": login.role is None,
                "is_superuser": login.role is None,
                "email": f"{login.username}@demo.example.com",
            },
        )
        created += is_new
        if login.role:
            user.groups.add(Group.objects.get_or_create(name=login.role)[0])
        unit_id = scope_unit[login.scope]
        person = None
        if login.username == "manager" and not director.empty:
            person = Person.objects.get(pk=int(director.iloc[0]["id"]))
        if unit_id is not None or person is not None or UserProfile.objects.filter(user=user).exists():
            user_profile_set(user=user, org_unit=OrgUnit.objects.get(pk=unit_id) if unit_id else None, person=person)
    integrator = User.objects.get(username="integrator")
    _token, key = api_token_create(user=integrator, scope=TokenScope.WRITE, name="demo")
    ctx.shared["integrator_token"] = key
    return {"logins": created, "api_tokens": 1}


def demo_logins_table() -> list[dict]:
    """The demo logins as they are in the database: user name, role, scope and password note."""
    User = get_user_model()
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).select_related(
            "profile__org_unit"
        )
    }
    password = demo_password()
    matches: dict[str, bool] = {}  # the logins share one hash: check it once, not per login
    rows = []
    for login in DEMO_LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        profile = getattr(user, "profile", None)
        unit = profile.org_unit if profile is not None else None
        role = _("superuser") if login.role is None else Role(login.role).label
        if unit is not None:
            scope = _("%(name)s (%(code)s) and below") % {"name": unit.name, "code": unit.code}
        elif user.is_superuser or login.role in (Role.HR_LEAD, Role.INTEGRATOR):
            scope = _("all org units")
        else:
            scope = _("nothing (no org unit set)")
        rows.append(
            {
                "username": user.username,
                "role": str(role),
                "scope": str(scope),
                "password": password if _password_matches(user, password, matches) else str(_("(changed)")),
            }
        )
    return rows


def _password_matches(user, password: str, seen: dict[str, bool]) -> bool:
    if user.password not in seen:
        seen[user.password] = check_password(password, user.password)
    return seen[user.password]
