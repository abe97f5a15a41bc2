"""Save PNG screenshots of the main pages, for the README and for reviewing the UI.

Usage (against a running server with a seeded database)::

    .venv/bin/python manage.py seed_demo --scale small
    .venv/bin/python manage.py runserver 127.0.0.1:8000 &
    .venv/bin/python docs/screenshots.py --base-url http://127.0.0.1:8000 --username <login> --password <password>

Screenshots are 1280x800 viewport captures (``--full-page`` for whole pages), written to
``docs/screenshots/<language>-<page>.png``. Chromium is the system one (``/usr/bin/chromium``);
nothing is downloaded. Requests to any host other than the server's are blocked and reported.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from acquisition_hr.browser import CHROMIUM_PATH, launch_chromium  # noqa: E402

# (file name, path) of the pages to capture after logging in.
PAGES = [
    ("home", "/"),
    ("performance", "/performance/"),
    ("indicator-library", "/performance/indicators/"),
    ("scorecards", "/performance/scorecards/"),
    ("incentives", "/performance/incentives/"),
    ("dashboard", "/performance/dashboard/"),
    ("diagnosis-results", "/diagnosis/rounds/3/results/"),  # ids as the small demo with seed 1 builds them
    ("capability-radar", "/diagnosis/units/ENT-EC-T01/radar/"),
    ("success-profile", "/talent/profiles/1/"),
    ("candidates", "/talent/candidates/"),
    ("change-program", "/rollout/programs/1/"),
    ("journey-map", "/enablement/maps/1/"),
    (
        "learning-impact",
        "/enablement/activities/needs-discovery-workshop/?metric=needs-discovery-interviews&pre=3&post=3",
    ),
    ("readiness", "/enablement/readiness/"),
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "screenshots"))
    parser.add_argument("--language", action="append", choices=["zh-hans", "en"], help="repeatable; default both")
    parser.add_argument("--chromium", default=str(CHROMIUM_PATH))
    parser.add_argument("--full-page", action="store_true", help="capture whole pages instead of the 1280x800 viewport")
    return parser.parse_args(argv)


def wait_for_server(base_url: str, timeout: float = 60.0) -> None:
    """Poll the login page until the server answers (a freshly started runserver takes a few seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"no answer from {base_url} within {timeout:.0f} s")
        time.sleep(1)


def set_language(page, base_url: str, language: str) -> None:
    """Switch the UI language through the language form every page carries."""
    page.goto(f"{base_url}/accounts/login/")
    page.select_option("#lang-select", language)
    page.wait_for_load_state("load")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    base_url = args.base_url.rstrip("/")
    server_host = urlsplit(base_url).hostname
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wait_for_server(base_url)
    blocked: list[str] = []
    saved: list[Path] = []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if host in (None, "", server_host):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, args.chromium)
        for language in args.language or ["zh-hans", "en"]:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
            context.route("**/*", guard)
            page = context.new_page()
            set_language(page, base_url, language)
            target = out / f"{language}-login.png"
            page.screenshot(path=str(target), full_page=args.full_page)
            saved.append(target)

            page.fill("#id_username", args.username)
            page.fill("#id_password", args.password)
            with page.expect_navigation():
                page.click("form:has(#id_password) [type=submit]")
            if "/accounts/login/" in page.url:
                print(f"login failed for {args.username}", file=sys.stderr)
                return 1
            for name, path in PAGES:
                response = page.goto(f"{base_url}{path}")
                if response is None or response.status >= 400:
                    print(f"skipped {path}: HTTP {response.status if response else '?'}", file=sys.stderr)
                    continue
                page.wait_for_load_state("networkidle")
                target = out / f"{language}-{name}.png"
                page.screenshot(path=str(target), full_page=args.full_page)
                saved.append(target)
            context.close()
        browser.close()

    for target in saved:
        print(target)
    if blocked:
        print("blocked requests to other hosts:", *blocked, sep="\n  ", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
