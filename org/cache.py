"""Django's Redis cache, made to treat an unreachable Redis as an empty cache instead of failing the request.

What lives in the cache can always be rebuilt: the read cache of the heavy pages and API answers
(``performance.read_cache``) and DRF's throttle counters. So when Redis is down or too slow (settings give
the connection a short timeout), reads miss, writes are dropped and the page is computed from the database;
throttling is off until Redis is back. After a failure the cache is skipped for ``PAUSE_SECONDS`` so that
each request does not wait for another failed connection; one warning is logged per pause.
A Redis that answers with an error (a bug, not an outage) still raises.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
PAUSE_SECONDS = 5.0


class TolerantRedisCache(RedisCache):
    """A Redis cache whose outage reads as an empty cache (misses, dropped writes) and is logged, not raised."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._skip_until = 0.0

    def _or(self, fallback, method, *args, **kwargs):
        if time.monotonic() < self._skip_until:
            return fallback
        try:
            return method(*args, **kwargs)
        except UNREACHABLE as exc:
            self._skip_until = time.monotonic() + PAUSE_SECONDS
            logger.warning("cache unreachable, working without it for %ss: %s", PAUSE_SECONDS, exc)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._or({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._or(missing, super().incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._or(None, super().delete_many, keys, version)

    def clear(self):
        return self._or(False, super().clear)
