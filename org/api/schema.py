"""OpenAPI extensions: describe the token scheme so the docs page offers an "Authorize" box, and document the
error answers DRF gives every operation of a kind (the schema class named in ``REST_FRAMEWORK``)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "org.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Send "Token <key>"; create a key with `python manage.py create_api_token <username>`.',
        }


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the 400/403/404/415 answers that come from shared machinery (DRF's
    parsers and permissions, pagination, filter sets, org.middleware) rather than from the view's own code, so
    that a client (and the API fuzz test) finds every status code documented. A view's own
    ``@extend_schema(responses=...)`` for the same code wins."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code, description in self._shared_error_responses(operation):
            responses.setdefault(code, {"description": description})
        return operation

    def _shared_error_responses(self, operation) -> list[tuple[str, str]]:
        parameters = operation.get("parameters", [])
        found = []
        if self.method not in SAFE_METHODS:
            # org.auth.TokenScopePermission is a default permission of every view.
            found.append(("403", "A read-scope token never writes."))
        if any(parameter["in"] == "path" for parameter in parameters):
            found.append(("404", "No such object visible to the caller."))
        elif self._is_list_view() and self._get_paginator() is not None:
            found.append(("404", 'A page past the last one: {"detail": "Invalid page."}.'))
        if "requestBody" in operation or any(parameter["in"] == "query" for parameter in parameters):
            # DRF's parsers (malformed JSON), django-filter's filter sets and org.middleware (NUL characters).
            found.append(("400", "A query parameter or the body is not valid."))
        if "requestBody" in operation:
            found.append(("415", "The body's content type is not one of those listed here."))
        return found
