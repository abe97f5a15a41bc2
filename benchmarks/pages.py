"""Server time and browser load time of the main pages, as the demo HR lead sees them.

Seeds the small demo company (``seed_demo --scale small --seed 1``) when the database is empty, opens a
session as ``hr`` and, for every main page:

- ``server_ms``: the median of ``--requests`` requests through Django's test client (the whole request in
  this process: middleware, views, queries, templates; no network), after one warm-up request whose time is
  ``server_first_ms`` (cold caches: the dashboard's page cache, the template loader, plotly's bundle digest);
- ``load_ms``: the median over ``--loads`` visits in Chromium (the system ``/usr/bin/chromium``, headless)
  of the navigation's load event (``loadEventEnd``, from the start of the navigation), served by Django's
  live-server thread with the same login (static files collected first and served by WhiteNoise, as in
  production); ``load_first_ms`` is the first visit, before the browser has
  cached plotly.js and the stylesheets; ``charts`` counts the page's chart containers, and
  ``charts_in_view_ms`` is when those in the first screen are drawn (of the last visit; charts.js starts
  drawing after the load event, so this is the time a reader waits for the charts they see).

Prints one JSON document with the pages, the goals (150 ms server time, 600 ms load event for the dashboard,
readiness, round results and program pages), the database vendor and the machine's load average before and
after: the machine running this also runs the browser and the database, so compare runs at a similar load.

Usage::

    .venv/bin/python benchmarks/pages.py                    # SQLite file benchmarks/results/pages_bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acq_bench_pages .venv/bin/python benchmarks/pages.py

``DATABASE_URL`` picks the database (SQLite when unset); its name must contain ``bench`` (see _django.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{HERE / 'results' / 'pages_bench.sqlite3'}")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
(HERE / "results").mkdir(exist_ok=True)

from acquisition_hr.browser import launch_chromium  # noqa: E402
from benchmarks import _django  # noqa: E402

SERVER_GOAL_MS = 150
LOAD_GOAL_MS = 600
LOAD_GOAL_PAGES = {"dashboard", "readiness", "round_results", "program"}


def ensure_seeded() -> dict:
    from django.core.management import call_command

    from org.demo import demo_is_empty

    if not demo_is_empty():
        return {"seeded": False}
    began = time.perf_counter()
    call_command("seed_demo", scale="small", seed=1, stdout=sys.stderr)
    return {"seeded": True, "seed_seconds": round(time.perf_counter() - began, 1)}


def server_times(client, pages: dict[str, str], requests: int) -> dict[str, dict]:
    results = {}
    for name, url in pages.items():
        began = time.perf_counter()
        first = client.get(url)
        first_ms = (time.perf_counter() - began) * 1000
        if first.status_code != 200:
            results[name] = {"url": url, "status": first.status_code}
            continue
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        results[name] = {
            "url": url,
            "server_first_ms": round(first_ms, 1),
            "server_ms": round(statistics.median(times), 1),
        }
    return results


def load_times(session_cookie: dict, pages: dict[str, str], loads: int, results: dict[str, dict]) -> None:
    """Chromium's load event of every page, served by a live-server thread."""
    from django.test.testcases import LiveServerThread, _StaticFilesHandler
    from playwright.sync_api import sync_playwright

    server = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            context.add_cookies([{**session_cookie, "url": base}])
            page = context.new_page()
            for name, url in pages.items():
                if "server_ms" not in results.get(name, {}):
                    continue
                times = []
                for _ in range(loads + 1):
                    page.goto(base + url, wait_until="load")
                    times.append(page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd"))
                # charts start after the load event: also time until those in the first screen are drawn
                results[name]["charts_in_view_ms"] = round(
                    page.evaluate(
                        """() => new Promise(done => {
                          const inView = [...document.querySelectorAll('[data-figure]')]
                            .filter(el => el.getBoundingClientRect().top < innerHeight);
                          const check = () => inView.every(el => el.querySelector('.main-svg'))
                            ? done(performance.now()) : requestAnimationFrame(check);
                          check();
                        })"""
                    ),
                    1,
                )
                results[name]["load_first_ms"] = round(times[0], 1)
                results[name]["load_ms"] = round(statistics.median(times[1:]), 1)
                results[name]["charts"] = page.locator("[data-figure]").count()
            browser.close()
    finally:
        server.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (test client)")
    parser.add_argument("--loads", type=int, default=5, help="timed visits per page in Chromium")
    parser.add_argument("--no-browser", action="store_true", help="server times only")
    options = parser.parse_args()

    url = _django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    report = {"database": connection.vendor, "database_url": url.split("@")[-1], "load_before": os.getloadavg()}
    report.update(ensure_seeded())
    # Static files as production serves them: collected (hashed names, compressed) and served by WhiteNoise.
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    hr = get_user_model().objects.filter(username="hr").first()
    if hr is None:
        raise SystemExit("the database has no demo login 'hr': flush it and run again")
    client.force_login(hr)  # a session as a real login makes one (django-axes wants a request to log in)
    from acquisition_hr.main_pages import main_pages

    pages = main_pages()
    results = server_times(client, pages, options.requests)
    if not options.no_browser:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        load_times({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value}, pages, options.loads, results)
    for name, row in results.items():
        row["server_goal_met"] = row.get("server_ms", float("inf")) <= SERVER_GOAL_MS
        if name in LOAD_GOAL_PAGES and "load_ms" in row:
            row["load_goal_met"] = row["load_ms"] <= LOAD_GOAL_MS
    report["goals"] = {"server_ms": SERVER_GOAL_MS, "load_ms": LOAD_GOAL_MS, "load_pages": sorted(LOAD_GOAL_PAGES)}
    report["pages"] = results
    report["load_after"] = os.getloadavg()
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
