"""The permission matrix: every URL pattern of the project × the eight roles → what the role gets.

Roles (tests/security/conftest.py builds them):

- ``anonymous``: no session, no token.
- ``hr_lead``: the HR lead group, no profile unit, so they see every unit.
- ``program_member``: the program-member group, scoped to West, a member (the business co-lead) of the
  East program and invited to answer the East self-check round.
- ``manager_in``: a manager scoped to East, where every object of the world lives.
- ``manager_out``: a manager scoped to West: the out-of-scope manager.
- ``integrator_read`` / ``integrator_write``: API tokens of the integrator login (read or write scope).
  Browser pages know no tokens: to a page these two are anonymous.
- ``superuser``.

Outcomes:

- ``OK``: allowed. A read answers 200 (or a redirect that is not to a login page); a write is not refused
  (the matrix sends an empty body, so 400 counts as allowed, as do 2xx, 3xx and 409).
- ``LOGIN``: a page redirects to ``/accounts/login/?next=…``; ``ADMIN_LOGIN`` the same for the admin.
- ``UNAUTHORIZED`` (401): the API without credentials.
- ``FORBIDDEN`` (403): logged in, but the role may not do this.
- ``NOT_FOUND`` (404): the object lies outside the caller's scope; its existence is not revealed.

An allowed answer to a scoped login is also checked for leaks: a manager's 200 must not contain a name
that only the other subtree's objects carry (see ``EAST_MARKERS`` / ``WEST_MARKERS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import SimpleNamespace

ROLES = (
    "anonymous",
    "hr_lead",
    "program_member",
    "manager_in",
    "manager_out",
    "integrator_read",
    "integrator_write",
    "superuser",
)


class Outcome(StrEnum):
    OK = "ok"
    LOGIN = "login"
    ADMIN_LOGIN = "admin-login"
    UNAUTHORIZED = "401"
    FORBIDDEN = "403"
    NOT_FOUND = "404"


OK, LOGIN, ADMIN_LOGIN = Outcome.OK, Outcome.LOGIN, Outcome.ADMIN_LOGIN
E401, E403, E404 = Outcome.UNAUTHORIZED, Outcome.FORBIDDEN, Outcome.NOT_FOUND

Policy = Mapping[str, Outcome]


def page(*, hr_lead, program_member, manager_in, manager_out, superuser=OK) -> Policy:
    """A browser page: anonymous callers and API tokens are sent to the login page."""
    return {
        "anonymous": LOGIN,
        "hr_lead": hr_lead,
        "program_member": program_member,
        "manager_in": manager_in,
        "manager_out": manager_out,
        "integrator_read": LOGIN,
        "integrator_write": LOGIN,
        "superuser": superuser,
    }


def api(*, hr_lead, program_member, manager_in, manager_out, integrator_read, integrator_write, superuser=OK):
    """An API endpoint: without credentials 401."""
    return {
        "anonymous": E401,
        "hr_lead": hr_lead,
        "program_member": program_member,
        "manager_in": manager_in,
        "manager_out": manager_out,
        "integrator_read": integrator_read,
        "integrator_write": integrator_write,
        "superuser": superuser,
    }


# --- named policies -------------------------------------------------------------------------------------

PUBLIC: Policy = dict.fromkeys(ROLES, OK)
# Logging out lands everyone, logged in or not, on the login page.
LOGS_OUT: Policy = dict.fromkeys(ROLES, LOGIN)
STAFF_ONLY: Policy = {**dict.fromkeys(ROLES, ADMIN_LOGIN), "superuser": OK}
# The API schema and its viewers: any login or token (unless API_DOCS_PUBLIC opens them to everyone).
API_SCHEMA: Policy = {**dict.fromkeys(ROLES, OK), "anonymous": E401}
API_VIEWER: Policy = {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN}

# Pages
LOGGED_IN = page(hr_lead=OK, program_member=OK, manager_in=OK, manager_out=OK)
HR_ONLY = page(hr_lead=OK, program_member=E403, manager_in=E403, manager_out=E403)
# An object of the East subtree: the West logins get 404.
SCOPED = page(hr_lead=OK, program_member=E404, manager_in=OK, manager_out=E404)
# Candidates, supply, questions, calibration: talent.view_candidate (not program members), scoped rows.
TALENT_READ = page(hr_lead=OK, program_member=E403, manager_in=OK, manager_out=OK)
TALENT_OBJECT = page(hr_lead=OK, program_member=E403, manager_in=OK, manager_out=E404)
# Managers coach: they drill and enrol their own people.
COACH = page(hr_lead=OK, program_member=E403, manager_in=OK, manager_out=OK)
# Rounds: managers and HR leads of the subtree view, the owner (the HR lead) and HR leads manage.
ROUND_VIEW = page(hr_lead=OK, program_member=E404, manager_in=OK, manager_out=E404)
ROUND_MANAGE = page(hr_lead=OK, program_member=E403, manager_in=E403, manager_out=E404)
# Heatmap, radar and trend: diagnosis.view_assessmentround, then the unit's scope.
ROUND_ROLE = page(hr_lead=OK, program_member=E403, manager_in=OK, manager_out=OK)
ROUND_UNIT = page(hr_lead=OK, program_member=E403, manager_in=OK, manager_out=E404)
# Answering: invited respondents only (not even a superuser answers for someone); a login that may see
# the round hears 403, one outside its scope 404.
RESPONDENT = page(hr_lead=E403, program_member=OK, manager_in=E403, manager_out=E404, superuser=E403)
# Programs: seen by members and by logins whose scope overlaps; edited by members only.
PROGRAM_VIEW = page(hr_lead=OK, program_member=OK, manager_in=OK, manager_out=E404)
PROGRAM_EDIT = page(hr_lead=E403, program_member=OK, manager_in=E403, manager_out=E404)
# Starting a program is the HR lead's (rollout.add_program); joint-team members and managers alike are refused.
PROGRAM_START = page(hr_lead=OK, program_member=E403, manager_in=E403, manager_out=E403)

# API
API_READ = api(hr_lead=OK, program_member=OK, manager_in=OK, manager_out=OK, integrator_read=OK, integrator_write=OK)
API_SCOPED = api(
    hr_lead=OK, program_member=E404, manager_in=OK, manager_out=E404, integrator_read=OK, integrator_write=OK
)
# What only HR leads may do (for writes, a read token is refused by its scope first).
API_HR_ONLY = api(
    hr_lead=OK, program_member=E403, manager_in=E403, manager_out=E403, integrator_read=E403, integrator_write=E403
)
# Reading that needs an HR lead's or integrator's permission (ingest, jobs).
API_INTEGRATION_READ = api(
    hr_lead=OK, program_member=E403, manager_in=E403, manager_out=E403, integrator_read=OK, integrator_write=OK
)
API_INTEGRATION_WRITE = api(
    hr_lead=OK, program_member=E403, manager_in=E403, manager_out=E403, integrator_read=E403, integrator_write=OK
)
# talent.view_candidate (also the radar: diagnosis.view_assessmentround): not program members.
API_TALENT_READ = api(
    hr_lead=OK, program_member=E403, manager_in=OK, manager_out=OK, integrator_read=OK, integrator_write=OK
)
API_ROUND_UNIT = api(
    hr_lead=OK, program_member=E403, manager_in=OK, manager_out=E404, integrator_read=OK, integrator_write=OK
)
# A round: viewers of its unit and its invited respondents.
API_ROUND_VIEW = api(
    hr_lead=OK, program_member=OK, manager_in=OK, manager_out=E404, integrator_read=OK, integrator_write=OK
)
API_RESPONDENT = api(
    hr_lead=E403,
    program_member=OK,
    manager_in=E403,
    manager_out=E404,
    integrator_read=E403,
    integrator_write=E403,
    superuser=E403,
)
# Programs: as on the pages; a token of an integrator (every unit, not a member) reads but never edits.
API_PROGRAM_VIEW = api(
    hr_lead=OK, program_member=OK, manager_in=OK, manager_out=E404, integrator_read=OK, integrator_write=OK
)
API_PROGRAM_EDIT = api(
    hr_lead=E403, program_member=OK, manager_in=E403, manager_out=E404, integrator_read=E403, integrator_write=E403
)
API_PROGRAM_START = api(
    hr_lead=OK, program_member=E403, manager_in=E403, manager_out=E403, integrator_read=E403, integrator_write=E403
)
# enablement.add_drillsession: HR leads and managers (for their own people).
API_COACH_WRITE = api(
    hr_lead=OK, program_member=E403, manager_in=OK, manager_out=OK, integrator_read=E403, integrator_write=E403
)


# --- rows ---------------------------------------------------------------------------------------------------

Kwargs = Callable[[SimpleNamespace], dict]


def _none(w: SimpleNamespace) -> dict:
    return {}


@dataclass(frozen=True)
class Check:
    """One request of a row: a method, an optional body or query string and the outcome per role."""

    method: str
    policy: Policy
    data: dict | list | None = None
    query: dict | None = None
    url_name: str | None = None  # another URL than the row's (namespace rows check a representative)
    kwargs: Kwargs | None = None
    note: str = ""


@dataclass(frozen=True)
class Row:
    """A URL pattern (``namespace:name``, or ``namespace:*`` for a whole namespace) and its checks."""

    name: str
    checks: tuple[Check, ...]
    kwargs: Kwargs = _none
    reason: str = ""
    api: bool = field(default=False)


def get(policy: Policy, **extra) -> Check:
    return Check("GET", policy, **extra)


def post(policy: Policy, data=None, **extra) -> Check:
    return Check("POST", policy, data=data, **extra)


def row(name: str, *checks: Check, kwargs: Kwargs = _none, reason: str = "") -> Row:
    return Row(name, checks, kwargs, reason, api=name.startswith("api-"))


def _pk(attr: str) -> Kwargs:
    return lambda w: {"pk": getattr(w, attr).pk}


def _code(value: str) -> Kwargs:
    return lambda w: {"code": value}


_PERSON = lambda w: {"external_id": w.person.external_id}  # noqa: E731
_PROGRAM = _pk("program")

ROWS: tuple[Row, ...] = (
    # --- project-wide --------------------------------------------------------------------------------------
    row(
        "admin:*",
        get(STAFF_ONLY, url_name="admin:index"),
        get(STAFF_ONLY, url_name="admin:org_person_changelist"),
        get(STAFF_ONLY, url_name="admin:rollout_program_change", kwargs=lambda w: {"object_id": w.program.pk}),
        reason="The Django admin: staff only (here only the superuser is staff); every other caller is sent to "
        "the admin login. Its own login page is public by nature; the two checks stand for all its patterns.",
    ),
    row("login", get(PUBLIC), reason="The login page."),
    row("logout", post(LOGS_OUT), reason="Logging out (POST only): harmless for anyone, ends on the login page."),
    row("password_change", get(LOGGED_IN)),
    row("password_change_done", get(LOGGED_IN)),
    row("password_reset", get(PUBLIC), reason="Asking for a reset mail needs no login."),
    row("password_reset_done", get(PUBLIC)),
    row(
        "password_reset_confirm",
        get(PUBLIC),
        kwargs=lambda w: {"uidb64": "MQ", "token": "invalid-token"},
        reason="A bad link shows 'invalid link'.",
    ),
    row("password_reset_complete", get(PUBLIC)),
    row("set_language", post(PUBLIC, {"language": "en"}), reason="The language switch (a cookie)."),
    row(
        "api-schema",
        get(API_SCHEMA),
        reason="The OpenAPI description: it maps the API and costs CPU to build, so a login or a token.",
    ),
    row("api-docs", get(API_VIEWER), reason="Swagger UI over the schema; a browser without a login goes to log in."),
    row("api-redoc", get(API_VIEWER), reason="Redoc over the schema."),
    # --- org -----------------------------------------------------------------------------------------------
    row("org:home", get(LOGGED_IN), reason="The visible org tree."),
    row("org:unit-detail", get(SCOPED), kwargs=_code("T1")),
    row(
        "org:people-search",
        get(LOGGED_IN, query={"q": "West"}),
        get(LOGGED_IN, query={"q": "East"}),
        reason="The people pickers' type-ahead: any login, answering only with people of its own scope (the "
        "leak check holds a manager to its subtree).",
    ),
    row(
        "org:person-data-json",
        get(HR_ONLY),
        kwargs=_PERSON,
        reason="Personal-data download: org.change_person (HR leads), within scope.",
    ),
    row("org:person-data-xlsx", get(HR_ONLY), kwargs=_PERSON, reason="org.change_person"),
    row(
        "org:person-anonymize",
        get(HR_ONLY),
        post(HR_ONLY),
        kwargs=_PERSON,
        reason="The confirmation page, then the anonymization: org.change_person.",
    ),
    row("org:import", get(HR_ONLY), reason="org.ingest_data"),
    row("org:import-template-csv", get(HR_ONLY), kwargs=lambda w: {"dataset": "people"}),
    row("org:import-template-xlsx", get(HR_ONLY), kwargs=lambda w: {"dataset": "people"}),
    row("org:jobs", get(HR_ONLY), reason="org.view_job"),
    row("org:job-start", post(HR_ONLY), reason="org.start_job; POST only"),
    row("org:job-detail", get(HR_ONLY), kwargs=_pk("job")),
    row("org:audit", get(HR_ONLY), reason="auditlog.view_logentry"),
    row("api-org-units", get(API_READ), reason="Scoped list."),
    row("api-org-unit", get(API_SCOPED), kwargs=_code("T1")),
    row("api-people", get(API_READ), reason="Scoped list."),
    row("api-person", get(API_SCOPED), kwargs=_PERSON),
    row(
        "api-person-data",
        get(API_HR_ONLY),
        kwargs=_PERSON,
        reason="Personal-data export: org.change_person (HR leads), within scope.",
    ),
    row("api-person-anonymize", post(API_HR_ONLY), kwargs=_PERSON, reason="org.change_person"),
    row("api-jobs-recompute", post(API_INTEGRATION_WRITE), reason="org.start_job"),
    row(
        "api-job",
        get(
            api(
                hr_lead=OK,
                program_member=E404,
                manager_in=E404,
                manager_out=E404,
                integrator_read=OK,
                integrator_write=OK,
            )
        ),
        kwargs=_pk("job"),
        reason="Jobs: whoever may view jobs or sees every unit, and the login that started one.",
    ),
    row("api-ingest", get(API_INTEGRATION_READ), reason="org.ingest_data"),
    row(
        "api-ingest-dataset",
        get(API_INTEGRATION_READ),
        post(API_INTEGRATION_WRITE, []),
        kwargs=lambda w: {"dataset": "people"},
    ),
    row("api-ingest-template-csv", get(API_INTEGRATION_READ), kwargs=lambda w: {"dataset": "people"}),
    row("api-ingest-template-xlsx", get(API_INTEGRATION_READ), kwargs=lambda w: {"dataset": "people"}),
    # --- performance ---------------------------------------------------------------------------------------
    row("performance:index", get(LOGGED_IN)),
    row("performance:dashboard", get(LOGGED_IN), reason="The caller's own scope root."),
    row("performance:dashboard-unit", get(SCOPED), kwargs=_code("EAST")),
    row("plotly-js", get(PUBLIC), reason="A static script (plotly.js) served from the package."),
    row("performance:indicators", get(LOGGED_IN), reason="The library: definitions, no data."),
    row("performance:indicator-new", get(HR_ONLY), reason="performance.add_indicator"),
    row(
        "performance:indicator",
        get(LOGGED_IN),
        post(HR_ONLY),
        kwargs=lambda w: {"code": w.indicator.code},
        reason="Everyone reads a definition; performance.change_indicator edits it.",
    ),
    row("performance:scorecards", get(LOGGED_IN), reason="Scorecards that concern the caller."),
    row("performance:scorecard-new", get(HR_ONLY), reason="performance.add_scorecard"),
    row("performance:scorecard", get(SCOPED), kwargs=_pk("scorecard")),
    row(
        "performance:scorecard-edit",
        get(HR_ONLY),
        kwargs=_pk("scorecard"),
        reason="performance.add_scorecard, checked before the scope.",
    ),
    row("performance:teams", get(LOGGED_IN), reason="Teams in scope."),
    row(
        "performance:team",
        get(SCOPED),
        post(SCOPED),
        kwargs=_pk("team"),
        reason="HR leads and managers of a member edit the action board.",
    ),
    row("performance:incentives", get(LOGGED_IN), reason="Plans that concern the caller."),
    row("performance:incentive", get(SCOPED), kwargs=_pk("plan"), reason="Payouts of a plan in scope."),
    row("api-indicators", get(API_READ)),
    row("api-indicator", get(API_READ), kwargs=lambda w: {"code": w.indicator.code}),
    row("api-indicator-values", get(API_READ), reason="Scoped list."),
    row("api-dashboard", get(API_SCOPED), kwargs=_code("EAST")),
    row("api-scorecards", get(API_READ), reason="Scoped list."),
    row("api-scorecard-attainment", get(API_SCOPED), kwargs=_pk("scorecard")),
    row("api-incentive-simulation", get(API_SCOPED), kwargs=_pk("plan")),
    row("api-ltv-cohorts", get(API_READ), reason="Scoped list."),
    # --- diagnosis -----------------------------------------------------------------------------------------
    row("diagnosis:index", get(LOGGED_IN)),
    row("diagnosis:rounds", get(LOGGED_IN), reason="Rounds to answer and rounds of the caller's units."),
    row("diagnosis:round-new", get(HR_ONLY), reason="diagnosis.add_assessmentround"),
    row(
        "diagnosis:round",
        get(page(hr_lead=OK, program_member=OK, manager_in=OK, manager_out=E404)),
        post(ROUND_MANAGE),
        kwargs=_pk("round"),
        reason="Viewers of the unit and invited respondents read it; the owner and HR leads close it (POST).",
    ),
    row("diagnosis:round-results", get(ROUND_VIEW), kwargs=_pk("round")),
    row("diagnosis:round-export", get(ROUND_VIEW), kwargs=_pk("round"), reason="XLSX export of the results."),
    row("diagnosis:round-print", get(ROUND_VIEW), kwargs=_pk("round")),
    row("diagnosis:compare", get(ROUND_ROLE), reason="diagnosis.view_assessmentround; scoped units."),
    row("diagnosis:unit-radar", get(ROUND_UNIT), kwargs=_code("T1")),
    row("diagnosis:unit-trend", get(ROUND_UNIT), kwargs=_code("T1")),
    row("diagnosis:respond", get(RESPONDENT), kwargs=_pk("round"), reason="Invited respondents only."),
    row("diagnosis:respond-step", get(RESPONDENT), kwargs=lambda w: {"pk": w.round.pk, "step": 1}),
    row("diagnosis:questionnaires", get(LOGGED_IN), reason="diagnosis.view_questionnaire"),
    row(
        "diagnosis:questionnaire",
        get(LOGGED_IN),
        post(HR_ONLY),
        kwargs=_pk("questionnaire"),
        reason="POST copies it: diagnosis.add_questionnaire.",
    ),
    row("diagnosis:questionnaire-edit", get(HR_ONLY), kwargs=_pk("free_questionnaire")),
    row("api-diagnosis-questionnaires", get(API_READ)),
    row("api-diagnosis-questionnaire", get(API_READ), kwargs=_pk("questionnaire")),
    row("api-diagnosis-questionnaire-copy", post(API_HR_ONLY), kwargs=_pk("questionnaire")),
    row("api-diagnosis-rounds", get(API_READ), post(API_HR_ONLY, {})),
    row("api-diagnosis-round", get(API_ROUND_VIEW), kwargs=_pk("round")),
    row(
        "api-diagnosis-round-close",
        post(
            api(
                hr_lead=OK,
                program_member=E404,
                manager_in=E403,
                manager_out=E404,
                integrator_read=E403,
                integrator_write=E403,
            )
        ),
        kwargs=_pk("round"),
    ),
    row(
        "api-diagnosis-round-results",
        get(API_SCOPED),
        kwargs=_pk("round"),
        reason="Viewers of the round's unit; respondents do not see results.",
    ),
    row("api-diagnosis-my-response", get(API_RESPONDENT), kwargs=_pk("round")),
    row("api-diagnosis-my-response-submit", post(API_RESPONDENT, {}), kwargs=_pk("round")),
    row("api-org-unit-radar", get(API_ROUND_UNIT), kwargs=_code("T1")),
    # --- talent --------------------------------------------------------------------------------------------
    row("talent:index", get(LOGGED_IN)),
    row(
        "talent:profiles",
        get(LOGGED_IN),
        post(HR_ONLY),
        reason="talent.view_successprofile: definitions, no personal data; POST builds one (add_successprofile).",
    ),
    row("talent:profile", get(LOGGED_IN), kwargs=_pk("profile")),
    row(
        "talent:calibration",
        get(TALENT_READ),
        post(HR_ONLY),
        kwargs=_pk("profile"),
        reason="Calibration over the candidates in scope; refitting needs talent.add_successprofile.",
    ),
    row("talent:supply", get(TALENT_READ), post(HR_ONLY), reason="POST plans head count: add_headcountplan."),
    row("talent:questions", get(TALENT_READ)),
    row("talent:candidates", get(TALENT_READ), reason="Ranked candidates in scope."),
    row(
        "talent:candidate",
        get(TALENT_OBJECT),
        post(TALENT_OBJECT),
        kwargs=lambda w: {"external_id": w.candidate.external_id},
        reason="POST records an interview scorecard: talent.add_interviewscorecard (HR leads, managers).",
    ),
    row(
        "api-talent-profiles",
        get(API_READ),
        post(API_HR_ONLY, {}),
        reason="Reading needs talent.view_successprofile, building talent.add_successprofile.",
    ),
    row("api-talent-profile", get(API_READ), kwargs=_pk("profile")),
    row("api-talent-profile-matches", get(API_TALENT_READ), kwargs=_pk("profile")),
    row("api-talent-profile-calibration", get(API_TALENT_READ), kwargs=_pk("profile")),
    row("api-talent-supply", get(API_TALENT_READ)),
    # --- enablement ----------------------------------------------------------------------------------------
    row("enablement:index", get(LOGGED_IN), reason="enablement.view_journeymap (every role)."),
    row("enablement:map", get(LOGGED_IN), kwargs=_pk("journey_map")),
    row("enablement:map-copy", post(HR_ONLY), kwargs=_pk("journey_map"), reason="add_journeymap; POST only"),
    row("enablement:stage-edit", get(HR_ONLY), kwargs=_pk("stage")),
    row("enablement:item-add", get(HR_ONLY), kwargs=lambda w: {"stage_pk": w.stage.pk}),
    row("enablement:item-edit", get(HR_ONLY), kwargs=_pk("capability_item")),
    row("enablement:activities", get(LOGGED_IN), post(HR_ONLY), reason="POST adds one: add_learningactivity."),
    row(
        "enablement:activity",
        get(LOGGED_IN),
        post(COACH),
        kwargs=lambda w: {"code": w.activity.code},
        reason="Enrolments shown in scope; POST enrols a person: enablement.add_enrolment.",
    ),
    row("enablement:activity-edit", get(HR_ONLY), kwargs=lambda w: {"code": w.activity.code}),
    row("enablement:scenarios", get(LOGGED_IN)),
    row("enablement:scenario-new", get(HR_ONLY), reason="enablement.add_scenario"),
    row("enablement:scenario", get(LOGGED_IN), kwargs=lambda w: {"code": w.scenario.code}),
    row(
        "enablement:drill-new",
        get(COACH),
        kwargs=lambda w: {"code": w.scenario.code},
        reason="enablement.add_drillsession: HR leads and managers.",
    ),
    row("enablement:readiness", get(LOGGED_IN), reason="enablement.view_drillsession; scoped units."),
    row("enablement:person", get(SCOPED), kwargs=_PERSON),
    row("api-enablement-activities", get(API_READ)),
    row(
        "api-enablement-activity-impact",
        get(API_READ, query={"metric": "win_rate"}),
        kwargs=lambda w: {"code": w.activity.code},
        reason="enablement.view_learningactivity; participants and comparison people in scope.",
    ),
    row("api-enablement-person-readiness", get(API_SCOPED), kwargs=_PERSON),
    row("api-enablement-unit-readiness", get(API_SCOPED), kwargs=_code("T1")),
    row("api-enablement-drills", post(API_COACH_WRITE, {}), reason="enablement.add_drillsession"),
    # --- rollout -------------------------------------------------------------------------------------------
    row("rollout:index", get(LOGGED_IN)),
    row("rollout:programs", get(LOGGED_IN), reason="Programs of members and of overlapping scopes."),
    row("rollout:program-new", get(PROGRAM_START), reason="rollout.add_program"),
    row("rollout:program", get(PROGRAM_VIEW), kwargs=_PROGRAM),
    row("rollout:toolkit", get(PROGRAM_VIEW), kwargs=_PROGRAM, reason="A ZIP of the program's toolkit."),
    row("rollout:milestone-add", post(PROGRAM_EDIT), kwargs=_PROGRAM),
    row("rollout:member-add", post(PROGRAM_EDIT), kwargs=_PROGRAM),
    row("rollout:pilot-new", get(PROGRAM_EDIT), kwargs=_PROGRAM),
    row("rollout:review-add", post(PROGRAM_EDIT), kwargs=_PROGRAM),
    row("rollout:wave-add", post(PROGRAM_EDIT), kwargs=_PROGRAM),
    row("rollout:workshop-add", post(PROGRAM_EDIT), kwargs=_PROGRAM),
    row("rollout:story-add", post(PROGRAM_EDIT), kwargs=_PROGRAM),
    row("rollout:pilot-edit", get(PROGRAM_EDIT), kwargs=_pk("pilot")),
    row("rollout:gate-sign", post(PROGRAM_EDIT), kwargs=_pk("step")),
    row("rollout:checklist-add", post(PROGRAM_EDIT), kwargs=_pk("step")),
    row("rollout:checklist-toggle", post(PROGRAM_EDIT), kwargs=_pk("checklist_item")),
    row("rollout:milestone-status", post(PROGRAM_EDIT), kwargs=_pk("milestone")),
    row("api-rollout-programs", get(API_READ), post(API_PROGRAM_START, {})),
    row("api-rollout-program", get(API_PROGRAM_VIEW), kwargs=_PROGRAM),
    row("api-rollout-program-milestones", post(API_PROGRAM_EDIT, {}), kwargs=_PROGRAM),
    row("api-rollout-gate-sign", post(API_PROGRAM_EDIT, {}), kwargs=lambda w: {"pk": w.program.pk, "number": 1}),
    row("api-rollout-members", post(API_PROGRAM_EDIT, {}), kwargs=_PROGRAM),
    row(
        "api-rollout-member",
        Check("DELETE", API_PROGRAM_EDIT),
        kwargs=lambda w: {"pk": w.program.pk, "username": w.removable_member.username},
    ),
    row(
        "api-rollout-checklist-item",
        Check("PATCH", API_PROGRAM_EDIT, data={}),
        kwargs=lambda w: {"pk": w.program.pk, "item_id": w.checklist_item.pk},
    ),
    row("api-rollout-pilots", post(API_PROGRAM_EDIT, {}), kwargs=_PROGRAM),
    row(
        "api-rollout-pilot",
        get(API_PROGRAM_VIEW),
        Check("PATCH", API_PROGRAM_EDIT, data={}),
        kwargs=lambda w: {"pk": w.program.pk, "pilot_id": w.pilot.pk},
    ),
    row("api-rollout-reviews", post(API_PROGRAM_EDIT, {}), kwargs=_PROGRAM),
    row("api-rollout-stories", post(API_PROGRAM_EDIT, {}), kwargs=_PROGRAM),
    row("api-rollout-waves", post(API_PROGRAM_EDIT, {}), kwargs=_PROGRAM),
    row("api-rollout-workshops", post(API_PROGRAM_EDIT, {}), kwargs=_PROGRAM),
)


def rows_by_name() -> dict[str, Row]:
    names = [r.name for r in ROWS]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"rows named twice: {duplicates}"
    return {r.name: r for r in ROWS}
