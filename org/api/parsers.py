"""The API's request parsers: DRF's, refusing with a 400 a body that is not text or is nested too deep.

Three kinds of body used to reach the views and end in a 500:

* a NUL character: PostgreSQL text cannot hold it and psycopg 3 answers a query with one by a DataError;
* a lone surrogate, a ``\\ud800`` escape without its partner: it is no character, so it cannot be encoded
  as UTF-8 (a UnicodeEncodeError as soon as it is written or looked up);
* deep nesting: ``[[[[...]]]]`` makes any code that walks the data recursively raise RecursionError.

The body is decoded strictly (invalid UTF-8 bytes are refused), parsed by the C decoder (which guards its
own recursion with the interpreter's limit and raises RecursionError, caught here, instead of exhausting
the stack), then walked once with an explicit stack. No body of this API nests deeper than a few levels
(an ingest body is a list of flat objects: depth 2), so 32 is plenty. Django decodes form and multipart
fields with ``errors="replace"``, so they hold no lone surrogate; they are checked all the same, like the
URL is by org.middleware.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

MAX_DEPTH = 32
# One character no text field may hold: NUL or half of a UTF-16 surrogate pair.
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
# The JSON escape of NUL or of a surrogate (paired or not): only a body with one needs its strings checked.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def _refuse_character(character: str):
    if character == "\x00":
        raise ParseError(_("The body contains a NUL character."))
    raise ParseError(
        _("The body contains a lone surrogate (%(escape)s), which is not a character; send UTF-8 text.")
        % {"escape": f"\\u{ord(character):04x}"}
    )


def _too_deep():
    return ParseError(_("The body is nested more than %(limit)d levels deep.") % {"limit": MAX_DEPTH})


def check_body(data, *, strings: bool = True) -> None:
    """Refuse (ParseError) parsed data nested deeper than MAX_DEPTH or, with ``strings``, holding a string
    with NUL or a lone surrogate. One pass with an explicit stack: no recursion however deep the data."""
    search = _NOT_TEXT.search
    if data.__class__ is not dict and data.__class__ is not list:
        found = search(data) if strings and data.__class__ is str else None
        if found:
            _refuse_character(found.group())
        return
    stack = [(data, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if value.__class__ is dict:
            if strings:
                for key in value:
                    found = search(key)
                    if found:
                        _refuse_character(found.group())
            items = value.values()
        else:
            items = value
        for item in items:
            kind = item.__class__
            if kind is dict or kind is list:
                push((item, depth + 1))
            elif strings and kind is str:
                found = search(item)
                if found:
                    _refuse_character(found.group())


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, reading strictly decoded UTF-8 text of bounded size and nesting."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise ParseError(
                _("The body is larger than %(size)s MB; send it in several requests.") % {"size": limit // 2**20}
            )
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("The body is not UTF-8 text: the byte at position %(position)d cannot be decoded.")
                % {"position": exc.start}
            ) from None
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise _too_deep() from None
        except ValueError as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from None
        # A NUL or a surrogate can only come from a \u escape (raw ones are refused above): look for one first.
        check_body(data, strings=_SUSPECT_ESCAPE.search(text) is not None)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_body(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Form fields are checked; uploaded files are bytes and may hold anything."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_body(dict(parsed.data.lists()))
        return parsed
