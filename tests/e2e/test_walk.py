"""A walk over every main page of the small demo, as hr, manager and member, in Chinese and in English.

Each page is read as a person reads it, from its visible text: no scientific notation, no Python reprs or raw
choice codes, no login names where people are named, date inputs empty or ISO, the heatmap with one row per
unit, and seeded content (activities, programs, milestones, factors) in the page's language only. Every page
is kept as a screenshot in ``tests/e2e/artifacts/walk-<role>-<language>-<page>.png``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from acquisition_hr.main_pages import main_pages

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROLES = ("hr", "manager", "member")
LANGUAGES = ("zh-hans", "en")
CJK = re.compile(r"[\u4e00-\u9fff]")
SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E[+-]?\d")
REPRS = re.compile(r"<class |object at 0x|QuerySet|\bNone\b|\bTrue\b|\bFalse\b|\{'|\['")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Visible text without what is code on purpose (indicator codes in <code>, formulas in <pre>).
VISIBLE = """() => {
  const main = (document.querySelector('main') || document.body).cloneNode(true);
  main.querySelectorAll('code, pre, kbd, script, style, template, [hidden]').forEach(el => el.remove());
  return main.innerText;
}"""


def seeded_names() -> dict[str, set[str]]:
    """Seeded content by language: a Chinese page shows none of the English, an English page none of the Chinese."""
    from enablement.models import LearningActivity
    from rollout.models import Milestone, Program
    from talent.models import Factor

    pairs = []
    pairs += LearningActivity.objects.exclude(name_en="").values_list("name", "name_en")
    pairs += Program.objects.exclude(name_en="").values_list("name", "name_en")
    pairs += Milestone.objects.exclude(title_en="").values_list("title", "title_en")
    pairs += Factor.objects.exclude(name_en="").values_list("name", "name_en")
    pairs = [(zh, en) for zh, en in pairs if zh != en and CJK.search(zh) and not CJK.search(en)]
    return {"zh-hans": {en for _zh, en in pairs}, "en": {zh for zh, _en in pairs}}


def logins_of_people() -> set[str]:
    """Logins of accounts that are people in the demo (never shown where a person is named)."""
    from django.contrib.auth import get_user_model

    return set(get_user_model().objects.filter(username__startswith="demo-").values_list("username", flat=True))


def session_cookie(username: str) -> dict:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def data_names() -> list[str]:
    """Names people gave their records (units, people, plans, pilots...): data, shown as written in any language."""
    from org.models import OrgUnit, Person
    from performance.models import IncentivePlan, Scorecard
    from rollout.models import Pilot, Story
    from talent.models import Candidate, SuccessProfile

    names = set(OrgUnit.objects.values_list("name", flat=True)) | set(Person.objects.values_list("name", flat=True))
    names |= set(Candidate.objects.values_list("name", flat=True)) | set(
        IncentivePlan.objects.values_list("name", flat=True)
    )
    names |= set(Scorecard.objects.values_list("name", flat=True)) | set(Pilot.objects.values_list("name", flat=True))
    names |= set(Story.objects.values_list("title", flat=True)) | set(
        SuccessProfile.objects.values_list("name", flat=True)
    )
    return sorted(names, key=len, reverse=True)  # longest first: "上海一组 试点" before "上海一组"


def problems_on(page, lang: str, foreign: set[str], logins: set[str], names: list[str], audit: bool) -> list[str]:
    """What a reader would notice on the open page, as sentences."""
    text = page.evaluate(VISIBLE)
    found = [f"scientific notation: {m.group(0)!r}" for m in SCIENTIFIC.finditer(text)]
    found += [f"a Python repr: {text[max(0, m.start() - 40) : m.end() + 40]!r}" for m in REPRS.finditer(text)]
    found += [f"a login name: {word}" for word in set(re.findall(r"demo-[a-z]\d+", text)) & logins]
    if not audit:  # the audit trail quotes the stored values of both language fields, as they were changed
        found += [f"seeded text in the other language: {name!r}" for name in foreign if name and name in text]
    for name, value in page.locator("input[type=date]").evaluate_all("els => els.map(e => [e.name, e.value])"):
        if value and not ISO_DATE.match(value):
            found.append(f"date input {name} holds {value!r}")
    if lang == "en":
        chrome = page.locator("main h1, main h2, main h3, main th, main label, main button, nav a").all_inner_texts()
        for label in chrome:
            rest = label
            for name in names:
                rest = rest.replace(name, "")
            if CJK.search(rest):
                found.append(f"a Chinese label on an English page: {label!r}")
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_main_page_reads_right_for_every_role(browser, live_server, screenshot_dir, lang):
    from org.demo import seed_demo

    seed_demo(scale="small", seed=1, today=dt.date(2026, 12, 3))
    pages = main_pages()
    foreign = seeded_names()[lang]
    logins = logins_of_people()
    names = data_names()
    report: list[str] = []
    visited = 0
    for role in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        context.add_cookies(
            [
                {**session_cookie(role), "url": live_server.url},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url},
            ]
        )
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        for name, url in pages.items():
            response = page.goto(live_server.url + url, wait_until="load")
            status = response.status if response else 0
            if status >= 500 or status == 0:
                report.append(f"{role} {name} {url}: HTTP {status}")
                continue
            visited += 1
            assert page.get_attribute("html", "lang") == lang, f"{role} {name}: page not in {lang}"
            report += [
                f"{role} {name}: {problem}"
                for problem in problems_on(page, lang, foreign, logins, names, name == "audit")
            ]
            if name == "compare" and status == 200 and page.locator("#heatmap-table").count():
                codes = page.locator("#heatmap-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.unit)")
                labels = page.locator("#heatmap-table tbody tr td:first-child").all_inner_texts()
                if not (len(codes) == len(set(codes)) == len(set(labels))):
                    report.append(
                        f"{role} compare: {len(codes)} rows, {len(set(codes))} units, {len(set(labels))} labels"
                    )
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(screenshot_dir / f"walk-{role}-{lang}-{name}.png"), full_page=True)
        report += [f"{role}: script error {error}" for error in errors]
        context.close()
    assert visited == len(pages) * len(ROLES) - sum(1 for line in report if "HTTP" in line)
    assert not report, "\n".join(report)


@pytest.fixture
def screenshot_dir():
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
