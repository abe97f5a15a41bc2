"""A cache for the heavy reads (dashboard page, indicator values, radars) keyed by what they depend on.

Everything those reads show is written by the recompute job or by edits of the indicator library and the
org tree. ``data_version()`` reads, in one query, the last succeeded job, the last edit and the last
computation of an indicator, the last edit of an org unit, the newest person and what apps add (the newest
radar snapshot); a cached answer is used only while that version is the same, so a
finished recompute or an edit is visible at the next request. Keys also carry who asks (the session for
pages, whose CSRF token is inside them; the user for the API), the language and the full path with its
query. In service mode the cache is Redis (shared by every worker); embedded, it is per process.

Pages carrying one-time flash messages are never stored.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.translation import get_language

TIMEOUT_SECONDS = 600
PREFIX = "read-cache:v1:"


# Scalar subqueries whose results change whenever a cached read could change; apps add their own
# (diagnosis: the newest radar snapshot). Read together in one query.
_VERSION_PARTS = [
    "(SELECT MAX(id) FROM org_job WHERE status = 'succeeded')",
    "(SELECT MAX(updated_at) FROM performance_indicator)",
    "(SELECT MAX(last_computed_at) FROM performance_indicator)",
    "(SELECT MAX(updated_at) FROM org_orgunit)",
    "(SELECT MAX(id) FROM org_person)",
]


def register_version_part(sql: str) -> None:
    """Add a scalar subquery to the data version (a table an app's cached reads depend on)."""
    if sql not in _VERSION_PARTS:
        _VERSION_PARTS.append(sql)


def data_version() -> str:
    """What every cached read depends on, read in one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(_VERSION_PARTS))
        return "|".join(str(part) for part in cursor.fetchone())


def _key(request, who: str) -> str:
    raw = "\n".join([who, get_language() or "", request.get_full_path(), data_version()])
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _has_flash_messages(request) -> bool:
    session = getattr(request, "session", None)
    return bool(request.COOKIES.get("messages")) or bool(session is not None and session.get("_messages"))


def cached_page(view):
    """Serve a GET page from the cache per session, language, path and data version."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session_key = getattr(getattr(request, "session", None), "session_key", None)
        if request.method != "GET" or not session_key or _has_flash_messages(request):
            return view(request, *args, **kwargs)
        key = _key(request, f"session:{session_key}")
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT_SECONDS)
        return response

    return wrapper


class CachedReadMixin:
    """For DRF read views: a JSON answer is rendered once per user, language, path and data version.

    A view whose own ``get`` builds the answer calls ``self.cached_get(request, produce)`` from it (the
    mixin's ``get`` only covers views that inherit ``get`` from a generic view).
    """

    def get(self, request, *args, **kwargs):
        return self.cached_get(request, lambda: super(CachedReadMixin, self).get(request, *args, **kwargs))

    def cached_get(self, request, produce):
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format != "json":
            return produce()
        key = _key(request, f"user:{request.user.pk}")
        hit = cache.get(key)
        if hit is not None:
            return HttpResponse(hit, content_type="application/json")
        response = produce()
        if response.status_code != 200:
            return response
        response.accepted_renderer = renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        content = response.rendered_content
        response.content = content  # rendered once: the handler will not render it again
        cache.set(key, content, TIMEOUT_SECONDS)
        return response
