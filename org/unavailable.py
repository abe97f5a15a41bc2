"""A clear 503 instead of a server error when the database or the job queue cannot be reached.

Every exception a page lets through ends in ``handler500`` (``server_error`` below): those raised by a view
and those raised by a middleware. An unreachable database usually shows up in a middleware (the session and
the user are loaded lazily and first read there, e.g. by the audit log's), which a middleware's
``process_exception`` never sees; so the answer is chosen here. API views answer through
``org.api.exceptions``, which asks the same ``unavailable_service``. Pages get ``templates/503.html``,
paths under ``/api/`` a JSON body; both say which service is down and carry ``Retry-After``.
With ``DEBUG`` on, Django shows its traceback page instead (handler500 is not called).
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


def unavailable_response(request, service: str) -> HttpResponse:
    """503 for ``service``: JSON under /api/, else the page (rendered without the database or a request)."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(unavailable_body(service), status=503)
    else:
        title, text = unavailable_texts(service)
        page = loader.get_template("503.html").render({"title": title, "text": text})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 naming the service when the database or the queue is down, else Django's 500 page."""
    service = unavailable_service(sys.exc_info()[1])
    if service is None:
        return defaults.server_error(request, template_name)
    return unavailable_response(request, service)
