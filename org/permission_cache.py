"""Each user's permission set kept in the shared cache, so an API read does not ask the database twice.

Django's ``ModelBackend`` reads a user's own and group permissions with two queries per request (it keeps
them only on the user object, which every request loads afresh). Here the set is stored in the cache
under a generation number; any change to who holds which permission (a user's groups or permissions, a
group's permissions, a group, user or permission deleted) bumps the generation, so the next check reads
the database again. Activity and superuser status are read from the user row itself, never cached.
"""

from __future__ import annotations

import contextlib

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete

GENERATION_KEY = "permissions:generation"
TIMEOUT_SECONDS = 300


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, None)
    return generation


def permissions_changed(**_kwargs) -> None:
    """Forget every cached permission set (after the writing transaction commits, and now)."""

    def bump():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation stored yet: any new one differs from what was read before
            cache.set(GENERATION_KEY, 2, None)
        except Exception:  # the cache is down: nothing cached can be read either until it is back, then
            pass  # entries expire within TIMEOUT_SECONDS

    bump()
    transaction.on_commit(bump)


class CachedPermissionBackend(ModelBackend):
    """``ModelBackend`` whose permission sets come from the cache when nothing about them changed."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or hasattr(user_obj, "_perm_cache"):
            return super().get_all_permissions(user_obj, obj)
        try:
            key = f"permissions:{_generation()}:{user_obj.pk}"
            cached = cache.get(key)
        except Exception:  # the cache is down: read from the database, as Django would
            return super().get_all_permissions(user_obj)
        if cached is None:
            cached = super().get_all_permissions(user_obj)
            with contextlib.suppress(Exception):  # a cache that is down only costs the next request a query
                cache.set(key, cached, TIMEOUT_SECONDS)
        user_obj._perm_cache = set(cached)
        return user_obj._perm_cache


def connect_invalidation() -> None:
    """Bump the generation whenever group membership or permission grants change."""
    for relation in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(permissions_changed, sender=relation, dispatch_uid=f"perm-cache-{relation.__name__}")
    for model in (Group, Permission, User):
        post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"perm-cache-del-{model.__name__}")
