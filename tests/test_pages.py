"""Base UI pages with the Django test client: module landings per role, login redirects, error pages, home."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from org.choices import OrgUnitKind
from org.jobs import org_unit_stats_compute
from org.services import org_unit_create
from tests.conftest import flat, make_user

MODULE_PAGES = ["diagnosis:index", "talent:index", "enablement:index", "performance:index", "rollout:index"]
ROLES = ["hr_lead", "program_member", "manager", "integrator", "superuser"]

# WhiteNoise warns that STATIC_ROOT is missing until collectstatic has run; irrelevant to these pages.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def login_as(client, org_tree):
    """Log the test client in with a fresh login of the given role (managers scoped to East)."""

    def do_login(role: str):
        if role == "superuser":
            user = make_user("root", superuser=True)
        elif role == "manager":
            user = make_user("mgr", "manager", unit=org_tree["EAST"])
        else:
            user = make_user(role, role)
        client.force_login(user)
        return user

    return do_login


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", [*MODULE_PAGES, "org:home"])
def test_pages_render_for_every_role(client, login_as, role, url_name):
    login_as(role)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="topbar"' in html
    for module in MODULE_PAGES:
        assert f'href="{reverse(module)}"' in html
    assert 'id="logout-form"' in html


@pytest.mark.parametrize("url_name", [*MODULE_PAGES, "org:home"])
def test_anonymous_is_sent_to_login(client, db, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_module_pages_mark_the_current_module(client, login_as):
    login_as("hr_lead")

    html = flat(client.get(reverse("talent:index")).content.decode())

    assert f'<a href="{reverse("talent:index")}" data-module="talent" class="active" aria-current="page">' in html


@pytest.mark.parametrize("module", ["diagnosis", "talent", "enablement", "performance", "rollout"])
def test_coming_soon_only_while_a_module_has_no_pages(client, login_as, module):
    login_as("hr_lead")
    has_pages = len(import_module(f"{module}.urls").urlpatterns) > 1

    html = client.get(reverse(f"{module}:index")).content.decode()

    assert ('id="coming-soon"' in html) is not has_pages


def test_performance_landing_links_the_existing_pages(client, login_as):
    login_as("manager")

    html = client.get(reverse("performance:index")).content.decode()

    for name in ("performance:indicators", "performance:scorecards", "performance:teams", "performance:incentives"):
        assert f'href="{reverse(name)}"' in html


def test_login_page_renders(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert 'id="lang-select"' in html
    assert 'id="logout-form"' not in html


def test_not_found_page_uses_the_layout(client, login_as):
    login_as("hr_lead")

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="topbar"' in html
    assert 'class="error-page"' in html
    assert "404" in html


def test_other_subtree_is_not_found_for_a_manager(client, login_as):
    login_as("manager")

    response = client.get(reverse("org:unit-detail", args=["WEST"]))

    assert response.status_code == 404
    assert 'class="error-page"' in response.content.decode()


def test_forbidden_page_uses_the_layout(rf, hr_lead):
    request = rf.get("/")
    request.user = hr_lead

    html = render_to_string("403.html", request=request)

    assert 'class="topbar"' in html
    assert "403" in html


def test_server_error_page_needs_no_request():
    # Django's server_error view renders 500.html with an empty context and no request.
    html = render_to_string("500.html")

    assert "500" in html
    assert "<html" in html


def test_home_lists_the_visible_tree_with_head_counts(client, login_as, people):
    org_unit_stats_compute()
    login_as("hr_lead")

    response = client.get(reverse("org:home"))

    rows = response.context["rows"]
    assert [(row["unit"].code, row["depth"]) for row in rows] == [
        ("ACME", 0),
        ("SALES", 1),
        ("EAST", 2),
        ("T1", 3),
        ("T2", 3),
        ("WEST", 2),
        ("T3", 3),
        ("SERVICE", 1),
    ]
    html = response.content.decode()
    assert 'data-code="T3"' in html
    assert 'style="--depth: 3"' in html
    assert 'id="import-link"' in html


def test_manager_home_shows_only_their_subtree(client, login_as, people):
    org_unit_stats_compute()
    login_as("manager")

    response = client.get(reverse("org:home"))

    assert [row["unit"].code for row in response.context["rows"]] == ["EAST", "T1", "T2"]
    html = response.content.decode()
    assert 'data-code="WEST"' not in html
    assert 'data-code="SERVICE"' not in html
    assert 'id="import-link"' not in html
    assert reverse("org:import") not in html


@pytest.mark.chinese
def test_language_switch_changes_the_page_language(client, login_as):
    login_as("hr_lead")
    assert '<html lang="zh-hans">' in client.get(reverse("org:home")).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("org:home")}, follow=True)

    assert '<html lang="en">' in response.content.decode()


def test_home_query_count_does_not_grow_with_the_tree(client, login_as, people, django_assert_max_num_queries):
    login_as("hr_lead")
    org_unit_stats_compute()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("org:home")).status_code == 200

    # given forty more teams
    east = people["P1"].org_unit.parent
    for index in range(40):
        org_unit_create(code=f"X{index}", name=f"Extra {index}", kind=OrgUnitKind.TEAM, parent=east)
    org_unit_stats_compute()

    # then the same bound holds
    with django_assert_max_num_queries(12):
        response = client.get(reverse("org:home"))
    assert len(response.context["rows"]) == 48
