"""The API's request parsers: DRF's, refusing text with a NUL character (400).

PostgreSQL text cannot hold NUL and psycopg 3 answers one in a query with a DataError (a 500). DRF's CharField
refuses NUL already, but related fields (codes, user names) look the value up first; checking the parsed body
once here covers every field, like org.middleware does for the URL.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from ..middleware import has_nul


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return has_nul(value)
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_contains_nul(item) for item in value)
    return False


def _refuse_nul(data):
    if _contains_nul(data):
        raise ParseError(_("The body contains a NUL character."))
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Form fields are checked; uploaded files are bytes and may hold anything."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(dict(parsed.data.lists()))
        return parsed
