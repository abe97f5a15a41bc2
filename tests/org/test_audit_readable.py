"""The audit trail reads as words: kinds of record by their names, actions translated, each change as
"label: old → new" with choice labels, names of related records, long values cut short and times in the
deployment's time zone (Asia/Shanghai, UTC+8), in English and in Chinese."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from org.models import ApiToken
from org.services import api_token_create
from performance.models import Indicator
from tests.conftest import make_user

REVOKED = dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC)  # 14:30 in Shanghai


def _rows(page) -> list[list[str]]:
    """The trail's table as text: one list of cell texts per row, tags dropped, spaces collapsed."""
    body = page.content.decode().split('<section class="card" id="entries">')[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S) for row in rows]
    return [[_text(cell) for cell in row] for row in cells if row]


def _text(cell: str) -> str:
    cell = re.sub(r"</?div[^>]*>", " ", cell)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())


@pytest.fixture
def token_history(db):
    """An HR lead creates a write token for an integrator named Li Lei, then revokes it."""
    hr = make_user("hrlead", "hr_lead")
    integrator = make_user("lilei", "integrator")
    integrator.first_name, integrator.last_name = "Lei", "Li"
    integrator.save()
    with set_actor(hr):
        token, _key = api_token_create(user=integrator, scope="write", name="CRM sync")
        token.revoked_at = REVOKED
        token.save(update_fields=["revoked_at"])
    return hr, token


def test_the_record_filter_names_kinds_not_classes(client, token_history):
    hr, _token = token_history
    client.force_login(hr)
    text = client.get(reverse("org:audit")).content.decode()
    api_token = ContentType.objects.get_for_model(ApiToken).pk
    assert f'<option value="{api_token}">API token</option>' in text
    assert "&lt;class" not in text
    assert "<class" not in text


def test_a_revocation_reads_label_old_new_in_local_time(client, token_history):
    hr, _token = token_history
    client.force_login(hr)
    rows = _rows(client.get(reverse("org:audit")))
    revoked, created = rows[0], rows[1]
    assert revoked[1:4] == ["hrlead", "Changed", "API token: " + str(_token)]
    assert revoked[4] == "Revoked at: – → Dec. 3, 2026, 2:30 p.m."
    assert created[2] == "Created"
    assert "User: Lei Li" in created[4]
    assert "Scope: Write" in created[4]
    assert "Name: CRM sync" in created[4]


@pytest.mark.chinese
def test_the_trail_reads_in_chinese(client, token_history):
    hr, _token = token_history
    client.force_login(hr)
    page = client.get(reverse("org:audit"))
    rows = _rows(page)
    assert rows[0][2] == "修改"
    assert rows[0][4] == "吊销时间：– → 2026年12月3日 14:30"
    assert rows[1][2] == "创建"
    assert "权限范围：写入" in rows[1][4]
    api_token = ContentType.objects.get_for_model(ApiToken).pk
    assert f'<option value="{api_token}">API 令牌</option>' in page.content.decode()


def test_the_time_of_a_change_is_local(client, token_history):
    from auditlog.models import LogEntry

    hr, _token = token_history
    LogEntry.objects.update(timestamp=REVOKED)
    client.force_login(hr)
    rows = _rows(client.get(reverse("org:audit")))
    assert rows[0][0] == "Dec. 3, 2026, 2:30 p.m."


def test_long_values_are_cut_short_with_the_whole_value_in_a_tooltip(client, db):
    hr = make_user("hrlead", "hr_lead")
    indicator = Indicator.objects.get(code="win_rate")
    definition = "Won opportunities divided by won and lost ones, counted in the month they closed, " * 3
    with set_actor(hr):
        indicator.definition_en = definition
        indicator.target = 55
        indicator.save()
    client.force_login(hr)
    page = client.get(reverse("org:audit"), {"kind": ContentType.objects.get_for_model(Indicator).pk})
    cell = _rows(page)[0][4]
    assert "Target: – → 55" in cell
    shown = cell.split("Definition (English): ")[1].split(" → ")[1].split("…")[0] + "…"
    assert shown == "Won opportunities divided by won and lost ones, counted in…"
    assert cell.index("Definition (English)") < cell.index("Target")  # the model's order, on every database
    assert f'title="{definition.strip()}"' in page.content.decode()


def test_a_page_of_changes_costs_a_fixed_number_of_queries(client, token_history, django_assert_max_num_queries):
    hr, _token = token_history
    with set_actor(hr):
        for n in range(20):
            api_token_create(user=hr, scope="read", name=f"token {n}")
    client.force_login(hr)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("org:audit")).status_code == 200


def test_a_record_is_named_in_the_readers_language(client, db):
    from django.utils import translation

    hr = make_user("hrlead", "hr_lead")
    indicator = Indicator.objects.get(code="win_rate")
    with set_actor(hr), translation.override("zh-hans"):  # logged from a Chinese page
        indicator.target = 50
        indicator.save()
    client.force_login(hr)
    rows = _rows(client.get(reverse("org:audit"), {"kind": ContentType.objects.get_for_model(Indicator).pk}))
    assert rows[0][3] == "Indicator: Win rate"
