"""Whole journeys in Chromium, each in Simplified Chinese and in English.

- The HR lead imports people and leads from CSV files, opens a self-check round and answers it,
  closes it and reads the capability radar, starts a change program from the result and adds a milestone.
- A manager of the East region sees only East's units and dashboards; West's pages answer 404.
- An administrator creates an API token for the integrator in the admin; the integrator ingests leads
  with it, starts the recompute and reads the values back (API), then sees the run and the values in the browser.

Each journey starts in the other language and switches with the top bar's language select, so the switch
itself is part of the journey. Expected page texts come from the catalogues (``say``), which also checks
that the Chinese catalogue has them. Full-page screenshots go to ``tests/e2e/artifacts/<journey>-<lang>-<step>.png``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import formats, translation
from django.utils.translation import gettext

from diagnosis.choices import Dimension, RadarAxis
from diagnosis.framework import DEFAULT_FAMILY
from diagnosis.models import AssessmentRound, Questionnaire
from diagnosis.services import AnswerInput, response_submit
from org.jobs import job_start_recompute
from org.models import Person
from org.services import user_profile_set
from performance.models import Lead
from rollout.models import Program
from tests.conftest import PASSWORD, make_user

CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGES = ["zh-hans", "en"]
OTHER = {"zh-hans": "en", "en": "zh-hans"}
RADAR_AXES = ["talent_selection", "learning_development", "performance_indicators", "org_collaboration"]

# The HR lead's file of people: four in East (two per team), one in West, one in the Service BU.
PEOPLE_ROWS = [
    ("E101", "李娜", "li.na@example.com", "T1", "sales_rep", "2024-03-01"),
    ("E102", "王强", "wang.qiang@example.com", "T1", "account_manager", "2024-05-15"),
    ("E103", "Chen Jie", "chen.jie@example.com", "T2", "sales_rep", "2023-11-01"),
    ("E104", "Zhao Min", "zhao.min@example.com", "T2", "presales", "2025-01-06"),
    ("E105", "Liu Yang", "liu.yang@example.com", "T3", "sales_rep", "2024-08-19"),
    ("E106", "Sun Li", "sun.li@example.com", "SERVICE", "customer_success", "2022-02-01"),
]

# Leads created in January 2025. Qualified leads with a conversion date count as converted:
#   T1: 5 qualified, 3 converted (L06 converted but is not qualified: it does not count)  -> 3 / 5  = 60 %
#   T2: 5 qualified, 2 converted (L12 not qualified, not converted)                        -> 2 / 5  = 40 %
#   East (T1 + T2), quarter 2025-Q1                                                         -> 5 / 10 = 50 %
LEAD_ROWS = [
    ("L01", "T1", "E101", "2025-01-06", "fair", "true", "2025-01-20"),
    ("L02", "T1", "E101", "2025-01-08", "web", "true", "2025-01-28"),
    ("L03", "T1", "E102", "2025-01-10", "web", "true", "2025-02-03"),
    ("L04", "T1", "E102", "2025-01-14", "referral", "true", ""),
    ("L05", "T1", "E101", "2025-01-21", "web", "true", ""),
    ("L06", "T1", "E102", "2025-01-22", "web", "false", "2025-01-30"),
    ("L07", "T2", "E103", "2025-01-07", "fair", "true", "2025-01-17"),
    ("L08", "T2", "E104", "2025-01-09", "web", "true", "2025-02-11"),
    ("L09", "T2", "E103", "2025-01-15", "web", "true", ""),
    ("L10", "T2", "E104", "2025-01-23", "referral", "true", ""),
    ("L11", "T2", "E103", "2025-01-29", "web", "true", ""),
    ("L12", "T2", "E104", "2025-01-30", "web", "false", ""),
]
PEOPLE_HEADER = ["external_id", "name", "email", "org_unit", "role", "hire_date"]
LEAD_HEADER = ["external_id", "org_unit", "owner", "created_on", "source", "is_qualified", "converted_on"]
EXPECTED_LEAD_CONVERSION = {"T1": Decimal("60"), "T2": Decimal("40"), "EAST": Decimal("50")}


# --- helpers -----------------------------------------------------------------------------------


def say(lang: str, message: str, **params) -> str:
    """``message`` as the catalogue of ``lang`` has it; for Chinese, fails when the catalogue lacks it."""
    with translation.override(lang):
        text = gettext(message)
    if lang == "zh-hans":
        assert CJK.search(text), f"no Chinese translation of {message!r}"
    return text % params if params else text


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def start_in_other_language(page, live_server, lang: str) -> None:
    """The journey opens in the other language, so that it picks its own in the top bar."""
    page.context.add_cookies([{"name": "django_language", "value": OTHER[lang], "url": live_server.url}])


def switch_language(page, lang: str) -> None:
    """Pick ``lang`` in the top bar's language select; the page reloads in it."""
    assert page.get_attribute("html", "lang") == OTHER[lang]
    with page.expect_navigation():
        page.select_option("#lang-select", lang)
    assert page.get_attribute("html", "lang") == lang


def log_in(page, live_server, lang: str, username: str) -> None:
    """Open the login page in the other language, switch to ``lang`` there, then sign in."""
    start_in_other_language(page, live_server, lang)
    page.goto(f"{live_server.url}/accounts/login/")
    switch_language(page, lang)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form:has(#id_password) [type=submit]")
    assert "/accounts/login/" not in page.url, f"login failed for {username}"
    assert page.get_attribute("html", "lang") == lang


def assert_language(page, lang: str) -> None:
    """Chinese pages show CJK text in their main content; English pages show none."""
    main = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    if lang == "zh-hans":
        assert CJK.search(main), "no Chinese text on the page"
    else:
        chrome = page.locator("main h1, main h2, main th, main label, main button").all_inner_texts()
        leaked = [text for text in chrome if CJK.search(text) and not any(row[1] in text for row in PEOPLE_ROWS)]
        assert not leaked, f"Chinese labels on an English page: {leaked}"


def assert_header_leaves_first_row_visible(page, table: str) -> None:
    """A table's sticky header sits above its first row, not over it (as it did inside cards that clip)."""
    header_bottom, row_top = page.locator(table).evaluate(
        "t => [t.tHead.rows[0].cells[0].getBoundingClientRect().bottom,"
        " t.tBodies[0].rows[0].getBoundingClientRect().top]"
    )
    assert header_bottom <= row_top + 1, (table, header_bottom, row_top)


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def wait_for_chart(page, container: str) -> None:
    """Wait until Plotly has drawn the figure into ``container`` (an SVG)."""
    page.wait_for_selector(f"{container} .main-svg", state="attached")


def upload(page, dataset: str, path) -> None:
    """On the import page: pick the dataset, the file and "import", then submit."""
    page.select_option("#id_dataset", dataset)
    page.set_input_files("#id_file", str(path))
    page.check('input[name="mode"][value="import"]')
    click_and_wait(page, "#import-form [type=submit]")


def answers_for(assessment_round: AssessmentRound, likert: int) -> list[AnswerInput]:
    """Every item answered: Likert items with ``likert``, symptom items "noticeable" (2)."""
    items = assessment_round.questionnaire.items.all()
    return [AnswerInput(item=item.code, value=likert if item.kind == "likert" else 2) for item in items]


# --- the HR lead ---------------------------------------------------------------------------------


@pytest.fixture
def colleagues(org_tree):
    """Two sales reps who answer the self-check too, and a business sponsor for the program."""
    return {name: make_user(name, "program_member", unit=org_tree["EAST"]) for name in ("rep1", "rep2", "sponsor")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hr_lead_journey(page, live_server, hr_lead, colleagues, org_tree, tmp_path, screenshot, page_problems, lang):
    shot = lambda step: screenshot(f"hr-lead-{lang}-{step}")  # noqa: E731
    people_file = write_csv(tmp_path / "people.csv", PEOPLE_HEADER, PEOPLE_ROWS)
    leads_file = write_csv(tmp_path / "leads.csv", LEAD_HEADER, LEAD_ROWS)

    # signs in, switching the language on the way
    log_in(page, live_server, lang, "hr")
    assert page.locator("h1").inner_text() == say(lang, "Welcome, %(name)s", name="hr")
    assert_language(page, lang)
    assert_header_leaves_first_row_visible(page, "#unit-tree")
    shot("1-home")

    # imports the people file: six created
    click_and_wait(page, "#import-link")
    assert page.locator("h1").inner_text() == say(lang, "Import data")
    upload(page, "people", people_file)
    result = page.locator("#import-result")
    assert result.locator("h2").inner_text() == say(lang, "Import done")
    assert result.locator("#count-created").inner_text() == "6"
    assert Person.objects.count() == 6
    shot("2-import-people")

    # and the leads file, whose owners are the people just imported
    upload(page, "leads", leads_file)
    assert result.locator("h2").inner_text() == say(lang, "Import done")
    assert result.locator("#count-created").inner_text() == "12"
    assert Lead.objects.count() == 12
    # the logins are people of the imported file (pickers offer people, never bare logins)
    for username, external_id in (("hr", "E106"), ("rep1", "E101"), ("rep2", "E103"), ("sponsor", "E102")):
        user_profile_set(
            user=User.objects.get(username=username),
            org_unit=None if username == "hr" else org_tree["EAST"],
            person=Person.objects.get(external_id=external_id),
        )
    assert_language(page, lang)
    shot("3-import-leads")

    # the people are in the tree: East and below has exactly its four, the company all six
    page.goto(f"{live_server.url}/")
    click_and_wait(page, "#unit-tree a[href='/org/units/EAST/']")
    assert page.locator(".stats .stat-value").first.inner_text() == "4"
    names = page.locator("#people tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == sorted(row[1] for row in PEOPLE_ROWS if row[3] in {"T1", "T2"})
    assert page.locator("#people-title").inner_text() == say(lang, "People")
    shot("4-east-people")
    page.goto(f"{live_server.url}/org/units/ACME/")
    assert page.locator(".stats .stat-value").first.inner_text() == "6"
    assert page.locator("#people tbody tr").count() == 6

    # opens a self-check round for East with two colleagues and themself
    page.goto(f"{live_server.url}/diagnosis/rounds/")
    assert page.locator("h1").inner_text() == say(lang, "Self-check rounds")
    click_and_wait(page, "a[href='/diagnosis/rounds/new/']")
    questionnaire = Questionnaire.objects.get(family=DEFAULT_FAMILY)
    page.select_option("#id_questionnaire", str(questionnaire.pk))
    page.select_option("#id_org_unit", label="East")
    page.fill("#id_title", "East self-check")
    page.select_option(
        "#id_respondents", value=[str(User.objects.get(username=name).pk) for name in ("hr", "rep1", "rep2")]
    )
    chosen = page.locator("#id_respondents option:checked").all_inner_texts()
    assert sorted(text.split(" · ")[0] for text in chosen) == sorted(["Sun Li", "李娜", "Chen Jie"])
    click_and_wait(page, "#round-form [type=submit]")
    assessment_round = AssessmentRound.objects.get(title="East self-check")
    assert page.url == f"{live_server.url}/diagnosis/rounds/{assessment_round.pk}/"
    assert (
        say(lang, "The round is open. Respondents find it under “Rounds to answer”.")
        in page.locator(".messages").inner_text()
    )

    # the two colleagues answer (4s and 2s); with the HR lead's 3s every root cause averages exactly 50
    for name, likert in (("rep1", 4), ("rep2", 2)):
        response_submit(
            assessment_round=assessment_round, user=colleagues[name], answers=answers_for(assessment_round, likert)
        )

    # the HR lead answers every step in the browser: "neither agree nor disagree" (3), symptoms "severe" (3)
    click_and_wait(page, f"a[href='/diagnosis/rounds/{assessment_round.pk}/respond/']")
    steps = page.locator("ol.steps li").count()
    assert steps == 5
    for step in range(1, steps + 1):
        assert page.url.endswith(f"/respond/{step}/")
        questions = page.locator("fieldset.question")
        for index in range(questions.count()):
            questions.nth(index).locator('input[value="3"]').check()
        if step == 2:
            shot("5-self-check")
        click_and_wait(page, f'button[name="action"][value="{"next" if step < steps else "submit"}"]')
    assert page.locator("#respond-done").is_visible()
    assert_language(page, lang)

    # closes the round and reads the radar: an SVG over the four axes, self-assessed 50 on each
    page.goto(f"{live_server.url}/diagnosis/rounds/{assessment_round.pk}/")
    assert page.locator("#submitted-count").inner_text().startswith("3 / 3")
    click_and_wait(page, 'button[name="close"]')
    assert say(lang, "The round is closed.") in page.locator(".messages").inner_text()
    click_and_wait(page, f"a[href='/diagnosis/rounds/{assessment_round.pk}/results/']")
    assert page.locator("#radar h2").inner_text() == say(lang, "Capability radar")
    wait_for_chart(page, "#radar-figure-plot")
    axis_labels = page.locator("#radar-figure-plot .angularaxistick text").all_text_contents()
    with translation.override(lang):
        axis_names = [str(label) for label in RadarAxis.labels]
    assert len(axis_labels) == 4
    for name in axis_names:
        assert any(label.startswith(name) for label in axis_labels), (name, axis_labels)
    table = page.locator("#radar-table")
    assert table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.axis)") == RADAR_AXES
    assert table.locator('[data-series="self_assessed"]').all_inner_texts() == ["50.0"] * 4
    # every root cause is "developing": an intervention block each, named with its dimension's label
    with translation.override(lang):
        dimension_labels = {str(label) for label in Dimension.labels}
    blocks = page.locator("#interventions h3 .muted").all_inner_texts()
    assert len(blocks) == 4
    assert set(blocks) <= dimension_labels, blocks
    assert_language(page, lang)
    shot("6-radar")

    # starts a change program from the result: East, the two weakest dimensions and the indicators of the
    # four reported symptoms come prefilled; the HR lead names it, picks the sponsor and a start date
    click_and_wait(page, "#start-program")
    assert page.locator("#id_org_units option:checked").all_inner_texts() == ["East"]
    assert page.locator("input[name='focus_dimensions']:checked").count() == 2
    assert page.locator("#id_indicators option:checked").count() == 4
    page.fill("#id_name", "East conversion")
    page.select_option("#id_sponsor", value=str(User.objects.get(username="sponsor").pk))
    page.fill("#id_start_date", "2026-04-01")
    click_and_wait(page, "#program-form [type=submit]")
    program = Program.objects.get(name="East conversion")
    assert page.url == f"{live_server.url}/rollout/programs/{program.pk}/"
    assert say(lang, "The program has started: step 1 is open.") in page.locator(".messages").inner_text()

    # adds a milestone
    page.click("#milestone-add summary")
    page.fill("#milestone-form #id_title", "Front-line interviews")
    page.fill("#milestone-form #id_due_date", "2026-05-15")
    page.select_option("#milestone-form #id_owner", value=str(User.objects.get(username="hr").pk))
    click_and_wait(page, "#milestone-form [type=submit]")
    milestones = page.locator("#milestone-table tbody tr")
    assert milestones.count() == 1
    assert "Front-line interviews" in milestones.first.inner_text()
    with translation.override(lang):
        due = formats.date_format(dt.date(2026, 5, 15), "DATE_FORMAT")  # 2026年5月15日 / May 15, 2026
    assert due in milestones.first.inner_text()
    assert_header_leaves_first_row_visible(page, "#milestone-table")
    wait_for_chart(page, "#program-timeline-plot")
    assert_language(page, lang)
    shot("7-milestone")

    # and the program is in the list
    page.goto(f"{live_server.url}/rollout/programs/")
    assert page.locator("h1").inner_text() == say(lang, "Change programs")
    rows = page.locator("#program-list tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").first.inner_text() == "East conversion"
    assert rows.first.locator("td").nth(1).inner_text() == "East"
    assert_header_leaves_first_row_visible(page, "#program-list")
    shot("8-programs")


# --- the manager ---------------------------------------------------------------------------------


@pytest.fixture
def computed_tree(org_tree, people):
    """Leads in every team and the recompute run over them, as the nightly job would leave it."""
    units = {unit: org_tree[unit] for unit in ("T1", "T2", "T3")}
    owners = {"T1": people["P1"], "T2": people["P2"], "T3": people["P3"]}
    rows = []
    for unit, (qualified, converted) in {"T1": (4, 3), "T2": (4, 1), "T3": (2, 2)}.items():
        for number in range(qualified):
            rows.append(
                Lead(
                    external_id=f"{unit}-{number}",
                    org_unit=units[unit],
                    owner=owners[unit],
                    created_on="2025-02-03",
                    is_qualified=True,
                    converted_on="2025-02-20" if number < converted else None,
                )
            )
    Lead.objects.bulk_create(rows)
    job, _created = job_start_recompute(trigger="test", full=True)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return org_tree


@pytest.mark.parametrize("lang", LANGUAGES)
def test_manager_journey(page, live_server, east_manager, computed_tree, screenshot, page_problems, lang):
    shot = lambda step: screenshot(f"manager-{lang}-{step}")  # noqa: E731

    # signs in: the home page lists East and its two teams, nothing else
    log_in(page, live_server, lang, "east_manager")
    codes = page.locator("#unit-tree tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes == ["EAST", "T1", "T2"]
    assert page.locator("#tree-title").inner_text() == say(lang, "Org units you can see")
    assert page.locator("#import-link").count() == 0
    assert_language(page, lang)
    shot("1-home")

    # the dashboard opens on East: its two teams compared, West and Team 3 nowhere
    page.goto(f"{live_server.url}/performance/dashboard/")
    assert page.locator("h1 .muted").inner_text() == say(lang, "KPI dashboard")
    assert page.locator("h1").inner_text().startswith("East")
    children = page.locator("#children-table tbody tr th:first-child").all_inner_texts()
    assert sorted(children) == ["Team 1", "Team 2"]
    # East, February 2025: (3 + 1) converted of (4 + 4) qualified leads
    assert page.locator("#indicator-lead_conversion_rate .latest").inner_text() == "50.0 %"
    body = page.inner_text("body")
    assert "West" not in body
    assert "Team 3" not in body
    wait_for_chart(page, "#child-units [data-figure]")
    assert_language(page, lang)
    shot("2-dashboard-east")

    # a team's dashboard, reached from the comparison table
    click_and_wait(page, "#children-table a:text-is('Team 1')")
    assert page.locator("h1").inner_text().startswith("Team 1")
    assert page.locator("#indicator-lead_conversion_rate .latest").inner_text() == "75.0 %"
    shot("3-dashboard-team")

    # West's dashboard and West's unit page are refused with the translated "not found" page
    for url in ("/org/units/T3/", "/diagnosis/units/WEST/radar/", "/performance/dashboard/WEST/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 404, url
        assert page.locator(".error-page h1").inner_text() == say(lang, "Page not found")
        assert "Team 3" not in page.inner_text("body")
    page_problems.allow_console("404")
    shot("4-west-refused")


# --- the integrator ------------------------------------------------------------------------------


@pytest.fixture
def administrator(db):
    return make_user("admin", superuser=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_integrator_journey(page, browser, live_server, integrator, administrator, people, tmp_path, screenshot, lang):
    shot = lambda step: screenshot(f"integrator-{lang}-{step}")  # noqa: E731
    leads_file = write_csv(
        tmp_path / "leads.csv",
        LEAD_HEADER,
        # the people fixture has P1 in T1 and P2 in T2: they own the leads here
        [(ext, unit, {"T1": "P1", "T2": "P2"}[unit], *rest) for ext, unit, _owner, *rest in LEAD_ROWS],
    )

    # an administrator creates a write token for the integrator in the admin; the key is shown once
    log_in(page, live_server, lang, "admin")
    page.goto(f"{live_server.url}/admin/org/apitoken/add/")
    assert page.get_attribute("html", "lang") == lang
    page.click("#id_user + .select2 .select2-selection")
    page.fill(".select2-search__field", "integrator")
    page.click(".select2-results__option:text-is('integrator')")
    page.fill("#id_name", "CRM nightly push")
    page.select_option("#id_scope", "write")
    click_and_wait(page, "input[name='_save']")
    message = page.locator(".messagelist .success:has(code)")
    shown_once = "The key of the new token is {key}. Copy it now: it is not stored and cannot be shown again."
    assert say(lang, shown_once).split("{key}")[1].strip() in message.inner_text()
    key = message.locator("code").inner_text().strip()
    assert len(key) >= 20
    shot("1-token")

    # with the key, the integrator pushes the leads file, starts the recompute and reads the values
    api = browser.new_context(
        base_url=live_server.url,
        extra_http_headers={"Authorization": f"Token {key}", "Accept-Language": lang},
    )
    try:
        ingest = api.request.post(
            "/api/v1/ingest/leads/", data=leads_file.read_bytes(), headers={"Content-Type": "text/csv"}
        )
        assert ingest.status == 200, ingest.text()
        assert ingest.json() == {
            "dataset": "leads",
            "rows": 12,
            "created": 12,
            "updated": 0,
            "unchanged": 0,
            "dry_run": False,
        }
        started = api.request.post("/api/v1/jobs/recompute/")
        assert started.status == 202, started.text()
        job_id = started.json()["id"]
        job = api.request.get(f"/api/v1/jobs/{job_id}/").json()
        assert job["status"] == "succeeded", job
        values = api.request.get(
            "/api/v1/indicator-values/",
            params={"indicator": "lead_conversion_rate", "org_unit": "EAST", "subtree": "1", "period": "quarter"},
        )
        assert values.status == 200, values.text()
        by_unit = {
            row["org_unit"]: Decimal(str(row["value"]))
            for row in values.json()["results"]
            if row["person"] is None and row["period_start"] == "2025-01-01"
        }
        assert by_unit == EXPECTED_LEAD_CONVERSION
        monthly = api.request.get(
            "/api/v1/indicator-values/",
            params={"indicator": "lead_conversion_rate", "org_unit": "T1", "period": "month", "from": "2025-01"},
        ).json()["results"]
        t1_months = [
            (row["period_start"], row["numerator"], row["denominator"]) for row in monthly if not row["person"]
        ]
        assert t1_months == [("2025-01-01", 3, 5)]
    finally:
        api.close()

    # in the browser the integrator sees the run on the jobs page, succeeded
    page.context.clear_cookies()
    log_in(page, live_server, lang, "integrator")
    click_and_wait(page, "#jobs-link")
    assert page.locator("h1").inner_text() == say(lang, "Background jobs")
    row = page.locator(f'#job-runs tr[data-job="{job_id}"]')
    assert row.locator(".job-status").inner_text() == say(lang, "Succeeded")
    assert_language(page, lang)
    shot("2-jobs")

    # and East's dashboard shows the value worked out by hand, with its teams
    page.goto(f"{live_server.url}/performance/dashboard/EAST/")
    assert page.locator("#indicator-lead_conversion_rate .latest").inner_text() == "50.0 %"
    cells = page.locator("#children-table tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].innerText, ...[...r.cells].slice(1).map(c => c.innerText)])"
    )
    assert {row[0] for row in cells} == {"Team 1", "Team 2"}
    wait_for_chart(page, "#indicator-lead_conversion_rate [data-figure]")
    assert_language(page, lang)
    shot("3-dashboard")
