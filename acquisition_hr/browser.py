"""How the project starts Chromium: the browser tests, ``benchmarks/pages.py`` and ``docs/screenshots.py``.

The system Chromium (Debian's package, ``/usr/bin/chromium``, or ``CHROMIUM_PATH``), headless, with every
feature that would reach the network on its own turned off: nothing here may leave the machine, and
``playwright install`` cannot download a browser on these machines.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch_chromium(playwright, executable_path: str | Path | None = None):
    """A headless Chromium from a started Playwright (``sync_playwright()``), as every caller here needs it."""
    return playwright.chromium.launch(
        executable_path=str(executable_path or CHROMIUM_PATH), args=list(CHROMIUM_ARGS), headless=True
    )
