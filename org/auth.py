"""API authentication by hashed token (failures throttled per address), the read/write scope check, who may read
the API docs."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .audit import set_audit_actor
from .choices import TokenScope
from .models import ApiToken
from .services import api_key_hash
from .throttling import FailedTokenThrottle

LAST_USED_RESOLUTION = timedelta(minutes=5)


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>``; the key is looked up by its hash, revoked keys are refused. Failed
    authentications are counted per client address and, past ``token_failure``'s rate, answered 429."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        # Guessing keys: an address that failed too often lately is refused, whatever key it sends now.
        failures = FailedTokenThrottle()
        if failures.refuses(request):
            raise exceptions.Throttled(wait=failures.retry_after_seconds())
        try:
            return self._authenticate_key(parts)
        except exceptions.AuthenticationFailed:
            failures.record_failure(request)
            raise

    def _authenticate_key(self, parts: list[bytes]):
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: use 'Token <key>'."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header: the key has invalid characters.")) from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=api_key_hash(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's user is inactive."))
        set_audit_actor(token.user)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScopePermission(BasePermission):
    """A read-scope token may only read; session users and write tokens may also write."""

    message = _("This token has read scope; writing needs a token with write scope.")

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.scope != TokenScope.WRITE:
            return request.method in SAFE_METHODS
        return True


class HasModelPermission(BasePermission):
    """Require the Django permission named by the view's ``required_permission`` (per method if a dict)."""

    message = _("Your role does not allow this action.")

    def has_permission(self, request, view):
        required = getattr(view, "required_permission", None)
        if isinstance(required, dict):
            required = required.get(request.method, required.get("*"))
        if not required:
            return True
        return bool(request.user and request.user.has_perm(required))


class ApiDocsAccess(BasePermission):
    """The API schema and its viewers (``SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]``): for any login or token,
    or for everyone when ``API_DOCS_PUBLIC`` is on. The schema says which data the API holds and costs CPU to
    build: not for anonymous callers by default."""

    def has_permission(self, request, view):
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)
