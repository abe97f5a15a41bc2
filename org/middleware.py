"""Refuse URLs that carry a NUL character before any view sees them.

PostgreSQL text cannot hold NUL (0x00), and psycopg 3 raises a DataError (a 500) as soon as such a value
reaches a query, where psycopg 2 raised the ValueError that Django and DRF fields treat as bad input. No key
of ours can contain one, so a path with NUL names nothing (404) and a query string with NUL is bad input (400).
Request bodies are checked by the API's parsers (org/api/parsers.py) and by Django's form fields.
"""

from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _

NUL = "\x00"


def has_nul(text: str) -> bool:
    return NUL in text


class RejectNulCharactersMiddleware:
    """404 for a path, 400 for a query string that contains a NUL character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request.path_info):
            raise Http404
        for key, values in request.GET.lists():
            if has_nul(key) or any(has_nul(value) for value in values):
                message = _("A query parameter contains a NUL character.")
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
