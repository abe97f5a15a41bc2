"""Walk the permission matrix (tests/security/matrix.py): every row × check × role gets the outcome the table
says, allowed answers to a scoped manager carry no name of the other subtree, and every URL pattern of the
project has a row."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import EAST_MARKERS, WEST_MARKERS, client_for
from tests.security.matrix import ROLES, ROWS, Check, Outcome, Row, rows_by_name

# WhiteNoise warns that STATIC_ROOT is missing until collectstatic has run; irrelevant here.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# What a scoped login must never read in an allowed answer.
FORBIDDEN_MARKERS = {"manager_in": WEST_MARKERS, "manager_out": EAST_MARKERS}
TEXT_TYPES = ("text/", "application/json", "application/javascript")
REDIRECTS = {301, 302, 303, 307, 308}


def _cases():
    for row in ROWS:
        for index, check in enumerate(row.checks):
            for role in ROLES:
                yield pytest.param(row, check, role, id=f"{row.name}|{check.method}{index or ''}|{role}")


def send(client, row: Row, check: Check, url: str):
    if check.method == "GET":
        return client.get(url, check.query or {})
    if row.api:
        body = "" if check.data is None else json.dumps(check.data)
        return client.generic(check.method, url, body, content_type="application/json")
    assert check.method == "POST", "pages take GET or POST"
    return client.post(url, check.data or {})


def classify(response, method: str) -> Outcome | str:
    status = response.status_code
    if status in REDIRECTS:
        path = urlsplit(response["Location"]).path
        if path == reverse("login"):
            return Outcome.LOGIN
        if path == reverse("admin:login"):
            return Outcome.ADMIN_LOGIN
        return Outcome.OK
    known = {401: Outcome.UNAUTHORIZED, 403: Outcome.FORBIDDEN, 404: Outcome.NOT_FOUND}
    if status in known:
        return known[status]
    if 200 <= status < 300:
        return Outcome.OK
    if method != "GET" and status in (400, 409):
        return Outcome.OK  # allowed in; the empty body was refused
    return f"unexpected {status}"


def leaked(response, role: str) -> list[str]:
    markers = FORBIDDEN_MARKERS.get(role, ())
    if not markers or getattr(response, "streaming", False):
        return []
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return []
    text = response.content.decode("utf-8", errors="replace")
    return [marker for marker in markers if marker in text]


@pytest.mark.parametrize(("row", "check", "role"), list(_cases()))
def test_permission_matrix(world, db, row, check, role):
    client = client_for(world, role)
    url = reverse(check.url_name or row.name, kwargs=(check.kwargs or row.kwargs)(world))

    response = send(client, row, check, url)

    got = classify(response, check.method)
    expected = check.policy[role]
    where = f" -> {response['Location']}" if response.status_code in REDIRECTS else ""
    assert got == expected, (
        f"{check.method} {url} as {role}: expected {expected}, got {got} ({response.status_code}{where})"
    )
    if got == Outcome.OK:
        assert not leaked(response, role), f"{check.method} {url} as {role} shows {leaked(response, role)}"


# --- every URL pattern has a row ---------------------------------------------------------------------------


def url_pattern_keys(patterns=None, namespace: str = "", prefix: str = ""):
    """(row key, route) of every URL pattern: ``namespace:name``, or ``namespace:<route>`` when unnamed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from url_pattern_keys(pattern.url_patterns, full, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            label = pattern.name or f"<{route}>"
            yield (f"{namespace}:{label}" if namespace else label), route


def coverage_gaps(patterns: list[tuple[str, str]], rows) -> tuple[list[str], list[str]]:
    """URL patterns without a row, and rows naming no pattern (``namespace:*`` rows cover a whole namespace)."""
    covered_namespaces = {name[:-2] for name in rows if name.endswith(":*")}
    missing = [
        f"{key} ({route})"
        for key, route in patterns
        if key not in rows and key.split(":", 1)[0] not in covered_namespaces
    ]
    keys = {key for key, _route in patterns}
    namespaces = {key.split(":", 1)[0] for key in keys if ":" in key}
    stale = [
        name
        for name in rows
        if (name.endswith(":*") and name[:-2] not in namespaces) or (not name.endswith(":*") and name not in keys)
    ]
    return missing, stale


def test_every_url_pattern_has_a_row():
    missing, stale = coverage_gaps(list(url_pattern_keys()), rows_by_name())

    assert not missing, "URL patterns without a row in tests/security/matrix.py: " + ", ".join(missing)
    assert not stale, "rows naming URL patterns that no longer exist: " + ", ".join(stale)


def test_a_new_url_pattern_without_a_row_is_named():
    patterns = [*url_pattern_keys(), ("talent:shortlist", "talent/shortlist/"), ("<api/v1/raw/>", "api/v1/raw/")]
    rows = {name: row for name, row in rows_by_name().items() if name != "api-people"}

    missing, stale = coverage_gaps(patterns, {**rows, "org:gone": None})

    assert set(missing) == {
        "talent:shortlist (talent/shortlist/)",
        "<api/v1/raw/> (api/v1/raw/)",
        "api-people (api/v1/people/)",
    }
    assert stale == ["org:gone"]


def test_every_row_checks_every_role():
    for row in ROWS:
        assert row.checks, row.name
        for check in row.checks:
            assert set(check.policy) == set(ROLES), (row.name, check.method)
