"""The org app's demo data: the org tree with its people (step ``org_tree``) and the demo logins (``demo_logins``).

The framework that runs these steps (the registry, ``seed_demo``, flushing) is ``org.demo``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.utils.translation import gettext_lazy as _

from .bulkcopy import frame_insert, next_ids
from .choices import OrgUnitKind, PersonRole, Role, TokenScope
from .demo import DEMO_LOGINS, DemoContext, demo_password, demo_step
from .models import OrgUnit, Person, UserProfile
from .services import api_token_create, org_closure_rebuild, user_profile_set

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


@demo_step("demo_logins", order=30, label=_("Demo logins"))
def demo_logins_step(ctx: DemoContext) -> dict:
    """One login per role sharing the demo password; an existing login keeps its password."""
    units = ctx.shared["units"]
    region = units[units["kind"] == OrgUnitKind.REGION.value].iloc[0]
    business_unit = units[units["kind"] == OrgUnitKind.BUSINESS_UNIT.value].iloc[0]
    people = ctx.shared["people"]
    company = units[units["kind"] == OrgUnitKind.COMPANY.value].iloc[0]

    def first_person(unit_id, role: str) -> int | None:
        rows = people[(people["org_unit_id"] == unit_id) & (people["role"] == role)]
        return None if rows.empty else int(rows.iloc[0]["id"])

    # The logins that are people (shown by name, offered in the pickers): the region's director, the business
    # unit's head and a company staff member who stands for HR. The administrator and the API account are not.
    person_of = {
        "manager": first_person(region["id"], PersonRole.SALES_MANAGER.value),
        "member": first_person(business_unit["id"], PersonRole.SALES_MANAGER.value),
        "hr": first_person(company["id"], PersonRole.OTHER.value),
    }
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
        person_id = person_of.get(login.username)
        person = Person.objects.get(pk=person_id) if person_id is not None else None
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
