"""The OpenAPI schema and its two viewers (Swagger UI, Redoc), behind a login unless ``API_DOCS_PUBLIC``.

Who may read them is ``org.auth.ApiDocsAccess`` (``SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]``). A browser
without a login is sent from a viewer to the login page; the schema answers 401 like the rest of the API.

Building the schema costs about a quarter of a second of CPU and its text does not change while a process
runs, so each process builds it once per language and keeps it, rendered once per media type. It is built
without a request (the same for every caller; ``SERVE_PUBLIC``), and neither ``?version=`` (the API has no
versioning: paths carry ``/v1/``) nor an unknown ``?lang=`` makes another copy.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import exceptions

# (language) -> schema; (language, media type) -> rendered bytes. A few entries per process at most.
_SCHEMAS: dict[str, dict] = {}
_RENDERED: dict[tuple[str, str], bytes] = {}


def api_schema(language: str) -> dict:
    """The API's OpenAPI schema in ``language``, built on the first call of this process."""
    schema = _SCHEMAS.get(language)
    if schema is None:
        with translation.override(language):
            schema = spectacular_settings.DEFAULT_GENERATOR_CLASS().get_schema(request=None, public=True)
        _SCHEMAS[language] = schema
    return schema


def forget_api_schemas() -> None:
    """Drop the kept schemas (a test that changes the URLs or the schema settings)."""
    _SCHEMAS.clear()
    _RENDERED.clear()


def _language(request) -> str:
    languages = dict(settings.LANGUAGES)
    asked = request.GET.get("lang")
    if asked in languages:
        return asked
    current = translation.get_language()
    return current if current in languages else settings.LANGUAGE_CODE


class ApiSchemaView(SpectacularAPIView):
    """``/api/schema/``: YAML or JSON by content negotiation, from the process's kept copy."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = _language(request)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        key = (language, media_type)
        content = _RENDERED.get(key)
        if content is None:
            content = renderer.render(api_schema(language), media_type, self.get_renderer_context())
            if ";" not in media_type:  # a parameter (indent=...) is the caller's choice: render, don't keep
                _RENDERED[key] = content
        content_type = f"{media_type}; charset={renderer.charset}" if renderer.charset else media_type
        response = HttpResponse(content, content_type=content_type)
        title = spectacular_settings.TITLE or "schema"
        response["Content-Disposition"] = f'inline; filename="{title}.{renderer.format}"'
        return response


class LoginForBrowsersMixin:
    """A viewer page asked for without a login or a token goes to the login page, as every page does."""

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.NotAuthenticated):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


class ApiDocsView(LoginForBrowsersMixin, SpectacularSwaggerSplitView):
    """``/api/docs/``: Swagger UI over the schema (its script served separately, for the CSP)."""


class ApiRedocView(LoginForBrowsersMixin, SpectacularRedocView):
    """``/api/redoc/``: Redoc over the schema."""
