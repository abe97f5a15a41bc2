"""A clear 503 instead of a server error when the database or the job queue cannot be reached; the API's
404 and 500 in JSON.

Every exception a page lets through ends in ``handler500`` (``server_error`` below): those raised by a view
and those raised by a middleware. An unreachable database usually shows up in a middleware (the session and
the user are loaded lazily and first read there, e.g. by the audit log's), which a middleware's
``process_exception`` never sees; so the answer is chosen here. API views answer through
``org.api.exceptions``, which asks the same ``unavailable_service``. Pages get ``templates/503.html``,
paths under ``/api/`` a JSON body; both say which service is down and carry ``Retry-After``.

Under ``/api/`` a client reads JSON whatever goes wrong: a URL that matches no route (``handler404``,
``page_not_found`` below) and any other unhandled error answer ``{"detail", "code"}`` with their status, as the
API's views do; pages keep the HTML 404 and 500 pages. With ``DEBUG`` on, Django shows its technical 404 and
traceback pages instead (the handlers are not called).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from kombu.exceptions import OperationalError as QueueOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.exceptions import NotFound

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def unavailable_service(exc: BaseException | None) -> str | None:
    """``"database"`` or ``"queue"`` when ``exc`` (or an exception it was raised from) says that service
    cannot be reached or gave up on the request; None for every other error.

    Django's OperationalError also covers a deadlock or a cancelled statement: both pass with a retry too.
    Redis errors outside the broker (the cache does not raise them) count as the queue's.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OperationalError | InterfaceError):
            return "database"
        if isinstance(exc, QueueOperationalError | RedisConnectionError | RedisTimeoutError):
            return "queue"
        exc = exc.__cause__
    return None


def unavailable_texts(service: str) -> tuple[str, str]:
    """The title and the explanation shown for an unreachable ``service``, in the active language."""
    if service == "database":
        return (
            gettext("The database is unavailable"),
            gettext(
                "The database cannot be reached right now, so the page could not be loaded or the change saved. "
                "Please try again in a minute; if it keeps happening, tell your administrator."
            ),
        )
    return (
        gettext("The job queue is unavailable"),
        gettext(
            "The job queue cannot be reached right now, so the background work could not be started. "
            "Please try again in a minute; if it keeps happening, tell your administrator."
        ),
    )


def unavailable_body(service: str) -> dict:
    """The JSON body of an API answer 503 for ``service``."""
    _title, text = unavailable_texts(service)
    return {"detail": text, "code": f"{service}_unavailable"}


def is_api_request(request) -> bool:
    """Whether ``request`` is for the API (its answers are JSON, never a page)."""
    return request.path_info.startswith(API_PREFIX)


def unavailable_response(request, service: str) -> HttpResponse:
    """503 for ``service``: JSON under /api/, else the page (rendered without the database or a request)."""
    if is_api_request(request):
        response = JsonResponse(unavailable_body(service), status=503)
    else:
        title, text = unavailable_texts(service)
        page = loader.get_template("503.html").render({"title": title, "text": text})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 naming the service when the database or the queue is down; else a 500, in JSON under
    /api/ (the same words as the page), else Django's 500 page."""
    service = unavailable_service(sys.exc_info()[1])
    if service is not None:
        return unavailable_response(request, service)
    if is_api_request(request):
        detail = gettext(
            "The error has been logged. Please try again in a moment; if it keeps happening, tell your "
            "administrator what you were doing."
        )
        return JsonResponse({"detail": detail, "code": "server_error"}, status=500)
    return defaults.server_error(request, template_name)


@requires_csrf_token
def page_not_found(request, exception, template_name: str = defaults.ERROR_404_TEMPLATE_NAME):
    """handler404: under /api/ ``{"detail": "Not found.", "code": "not_found"}`` (DRF's words, as its own 404s),
    else Django's 404 page (templates/404.html)."""
    if is_api_request(request):
        return JsonResponse({"detail": str(NotFound.default_detail), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception, template_name)
