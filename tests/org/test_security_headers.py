"""Every page carries the content security policy: scripts from this site only, no framing."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import make_user


def test_pages_and_api_carry_the_policy(client, db):
    client.force_login(make_user("hrlead", "hr_lead"))
    for url in (reverse("org:home"), "/api/v1/indicators/", "/accounts/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self';" in policy or policy.endswith("script-src 'self'")
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
        assert "object-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
