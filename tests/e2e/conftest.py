"""Browser fixtures: the system Chromium driven by Playwright against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught script error or a request to
any host other than the live server fails the test at teardown. Nothing may come from a CDN.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from acquisition_hr.browser import CHROMIUM_PATH, launch_chromium

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = CHROMIUM_PATH
# Screenshots of the browser tests (CI keeps this folder as an artifact; git ignores it).
ARTIFACTS = Path(__file__).parent / "artifacts"
SCREENSHOTS = pytest.StashKey[list]()
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}


def pytest_configure(config):
    # WhiteNoise looks for STATIC_ROOT, which only exists after collectstatic; the live server serves from finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """List the screenshots the browser tests saved, so a CI log says where to find them."""
    shots = config.stash.get(SCREENSHOTS, [])
    if shots:
        terminalreporter.section(f"browser screenshots ({len(shots)})")
        for path in shots:
            terminalreporter.write_line(os.path.relpath(path, config.rootpath))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so a fixture can tell at teardown whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e/ carries the ``e2e`` marker (select with ``-m e2e``)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def is_local_url(url: str) -> bool:
    """Whether a request stays on this machine (the live server, data: URLs and the like)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (skips when the system Chromium is absent)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = launch_chromium(playwright)
        yield instance
        instance.close()


class PageProblems:
    """What went wrong on a page: console errors, script errors, requests leaving the machine."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.external_requests: list[str] = []

    def allow_console(self, fragment: str) -> None:
        """Forget console errors containing ``fragment`` (for a test that provokes one on purpose)."""
        self.console_errors[:] = [text for text in self.console_errors if fragment not in text]

    def report(self) -> str:
        lines = []
        lines += [f"console error: {text}" for text in self.console_errors]
        lines += [f"page error: {text}" for text in self.page_errors]
        lines += [f"request to a non-local host: {url}" for url in self.external_requests]
        return "\n".join(lines)


@pytest.fixture
def page_problems() -> PageProblems:
    """The problems recorded on ``page``; a test that provokes an error on purpose calls ``allow_console``."""
    return PageProblems()


@pytest.fixture
def page(browser, live_server, page_problems):
    """A fresh browser context and page; fails the test on console errors or non-local requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(15_000)

    def guard(route):
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            page_problems.external_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    new_page = context.new_page()

    def on_console(msg):
        if msg.type == "error":
            where = (msg.location or {}).get("url", "")
            page_problems.console_errors.append(f"{msg.text} [{where}]" if where else msg.text)

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda exc: page_problems.page_errors.append(str(exc)))
    yield new_page
    context.close()
    problems = page_problems.report()
    assert not problems, problems


@pytest.fixture
def screenshot(page, request):
    """``screenshot(name)``: save a full-page PNG of ``page`` as ``tests/e2e/artifacts/<name>.png`` (and list it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    shots = request.config.stash.setdefault(SCREENSHOTS, [])

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        # From the top: scrolled, the sticky top bar and table headers land in the middle of a full-page shot.
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)
        print(f"screenshot: {path}")
        return path

    yield take
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed and not page.is_closed():
        take(re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-") + "-FAILED")


@pytest.fixture
def login():
    """``login(page, live_server, username, password)``: sign in through the login form and land on home."""

    def do_login(page, live_server, username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form:has(#id_password) [type=submit]")
        assert "/accounts/login/" not in page.url, f"login failed for {username}"
        return page

    return do_login
