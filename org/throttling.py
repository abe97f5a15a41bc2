"""Request throttles counted where every worker sees the same count, per client address or per account.

The counters live in ``caches["throttle"]`` (settings): Redis when REDIS_URL is set, else a database table
(Django's DatabaseCache; the table is made by org's migrations). A worker's local memory would count alone:
with three workers a limit let three times as many requests through.

The client's address is ``REMOTE_ADDR`` unless settings name ``PROXY_COUNT`` reverse proxies in front, each
appending the address it saw to ``X-Forwarded-For``: then it is the entry the outermost proxy appended. What
a client writes itself into that header (the entries before) is never trusted. django-axes (login lockouts)
reads the same address (``AXES_CLIENT_IP_CALLABLE``).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, read at each request (DRF's own classes read
them once, at import): ``anon``, ``user``, ``token_failure`` (failed API-token authentications per address),
``password_reset_address`` and ``password_reset_email`` (password-reset mails asked for, org.password_reset).
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

THROTTLE_CACHE = "throttle"


def client_address(request) -> str:
    """The address of the client that sent ``request`` (a Django or DRF request), as ``PROXY_COUNT`` says to
    read it; the proxies' own entries and anything the client put in front are skipped."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    return entries[-min(proxies, len(entries))] or remote


class SharedThrottle(SimpleRateThrottle):
    """DRF's rate throttle counted in the shared throttle cache, per ``client_address``."""

    @property
    def cache(self):
        return caches[THROTTLE_CACHE]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)

    def retry_after_seconds(self) -> int:
        """Whole seconds until a request fits in the rate again, after this throttle refused one."""
        # The history is newest first: once its num_requests-th entry has left the window, one more fits.
        blocking = self.history[self.num_requests - 1]
        return max(1, math.ceil(self.duration - (self.now - blocking)))


class AnonThrottle(SharedThrottle, AnonRateThrottle):
    """Anonymous API requests, per client address (``anon``)."""


class UserThrottle(SharedThrottle, UserRateThrottle):
    """API requests of a login or a token, per user (``user``); anonymous ones per address."""


class AddressThrottle(SharedThrottle):
    """A throttle of ``scope`` per client address, for logins and anonymous callers alike."""

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FailedTokenThrottle(AddressThrottle):
    """API-token authentications that failed, per client address (``token_failure``): once an address has
    failed the rate's number of times, its token requests are refused, right keys too, until the window moves
    on. Only failures count (``record_failure``); ``refuses`` only looks."""

    scope = "token_failure"

    def _load(self, request) -> None:
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration]

    def refuses(self, request) -> bool:
        if self.rate is None:
            return False
        self._load(request)
        return len(self.history) >= self.num_requests

    def record_failure(self, request) -> None:
        if self.rate is None:
            return
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class PasswordResetAddressThrottle(AddressThrottle):
    """Password-reset mails asked for from one client address (``password_reset_address``)."""

    scope = "password_reset_address"


class PasswordResetEmailThrottle(SharedThrottle):
    """Password-reset mails asked for one email address (``password_reset_email``), whether an account has it
    or not, so that the answer tells nothing about which addresses are known. The address is kept hashed."""

    scope = "password_reset_email"

    def __init__(self, email: str):
        super().__init__()
        self.email_digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.email_digest}
