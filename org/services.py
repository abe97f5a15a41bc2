"""Writes of the org app: the org tree with its closure table, people, logins, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import KIND_LEVEL, OrgUnitKind, TokenScope
from .marks import recompute_mark
from .models import ApiToken, OrgUnit, OrgUnitClosure, UserProfile

# --- org tree ---------------------------------------------------------------------


def _check_parent(*, kind: str, parent: OrgUnit | None) -> None:
    """A company has no parent; every other unit has one that sits higher in the hierarchy."""
    if kind == OrgUnitKind.COMPANY:
        if parent is not None:
            raise ValidationError({"parent": _("A company cannot have a parent unit.")})
        return
    if parent is None:
        raise ValidationError({"parent": _("Only a company can be without a parent unit.")})
    if KIND_LEVEL[OrgUnitKind(parent.kind)] >= KIND_LEVEL[OrgUnitKind(kind)]:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot sit under a %(parent_kind)s.")
                % {"kind": OrgUnitKind(kind).label, "parent_kind": OrgUnitKind(parent.kind).label}
            }
        )


def _lock_tree() -> None:
    """Serialise writers of the org tree for the rest of the transaction; readers are not blocked.

    Each write computes closure rows from what it reads of the tree (a parent's ancestors, a
    subtree), so two concurrent writes could otherwise leave stale ancestors behind. Tree
    writes are rare (admin edits, imports), so one lock is cheap. PostgreSQL: a self-conflicting
    table lock that still allows SELECT. SQLite already serialises writers (IMMEDIATE transactions).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {OrgUnitClosure._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


@transaction.atomic
def org_unit_create(*, code: str, name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    """Create a unit and its closure rows (its parent's ancestors plus itself)."""
    _check_parent(kind=kind, parent=parent)
    _lock_tree()
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent)
    unit.full_clean()
    unit.save()
    links = [OrgUnitClosure(ancestor=unit, descendant=unit, depth=0)]
    if parent is not None:
        links += [
            OrgUnitClosure(ancestor_id=ancestor_id, descendant=unit, depth=depth + 1)
            for ancestor_id, depth in OrgUnitClosure.objects.filter(descendant=parent).values_list(
                "ancestor_id", "depth"
            )
        ]
    OrgUnitClosure.objects.bulk_create(links)
    return unit


@transaction.atomic
def org_unit_move(*, unit: OrgUnit, new_parent: OrgUnit | None) -> OrgUnit:
    """Move a unit, with its whole subtree, under another parent; the closure follows."""
    _lock_tree()
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if new_parent is not None and OrgUnitClosure.objects.filter(ancestor=unit, descendant=new_parent).exists():
        raise ValidationError({"parent": _("A unit cannot move under itself or one of its own sub-units.")})
    _check_parent(kind=unit.kind, parent=new_parent)
    subtree = list(OrgUnitClosure.objects.filter(ancestor=unit).values_list("descendant_id", "depth"))
    subtree_ids = [descendant_id for descendant_id, _depth in subtree]
    # Cut the links from the old ancestors (those outside the subtree) into the subtree.
    OrgUnitClosure.objects.filter(descendant_id__in=subtree_ids).exclude(ancestor_id__in=subtree_ids).delete()
    new_ancestors = list(OrgUnitClosure.objects.filter(descendant=new_parent).values_list("ancestor_id", "depth"))
    OrgUnitClosure.objects.bulk_create(
        OrgUnitClosure(ancestor_id=ancestor_id, descendant_id=descendant_id, depth=up + down + 1)
        for ancestor_id, up in new_ancestors
        for descendant_id, down in subtree
    )
    unit.parent = new_parent
    unit.save(update_fields=["parent", "updated_at"])
    recompute_mark(years=None, reason="org_unit_move")  # every roll-up through the moved subtree
    return unit


@transaction.atomic
def org_unit_delete(*, unit: OrgUnit) -> None:
    """Delete a unit that has no sub-units; refused while sub-units, people or facts still belong to it.

    A subtree is deleted bottom-up on purpose: removing a region should never silently take its teams along.
    """
    _lock_tree()
    children = list(OrgUnit.objects.filter(parent=unit).order_by("code").values_list("code", flat=True))
    if children:
        raise ValidationError(
            _("%(unit)s cannot be deleted while it has sub-units (%(children)s); delete or move them first.")
            % {"unit": unit.code, "children": ", ".join(children[:5]) + (", …" if len(children) > 5 else "")}
        )
    try:
        OrgUnit.objects.filter(pk=unit.pk).delete()
    except ProtectedError as exc:
        blockers = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            _("%(unit)s cannot be deleted while %(what)s still belong to it; move them first.")
            % {"unit": unit.code, "what": ", ".join(blockers)}
        ) from exc


_CLOSURE_REBUILD_SQL = """
WITH RECURSIVE tree(ancestor_id, descendant_id, depth) AS (
    SELECT id, id, 0 FROM org_orgunit
    UNION ALL
    SELECT tree.ancestor_id, child.id, tree.depth + 1
    FROM tree JOIN org_orgunit AS child ON child.parent_id = tree.descendant_id
)
INSERT INTO org_orgunitclosure (ancestor_id, descendant_id, depth)
SELECT ancestor_id, descendant_id, depth FROM tree
"""


@transaction.atomic
def org_closure_rebuild() -> int:
    """Rebuild the whole closure table from parent links in one recursive query (after bulk imports)."""
    _lock_tree()
    OrgUnitClosure.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(_CLOSURE_REBUILD_SQL)
    return OrgUnitClosure.objects.count()


# --- logins and tokens ------------------------------------------------------------


def user_profile_set(*, user, org_unit: OrgUnit | None = None, person=None) -> UserProfile:
    """Create or update the profile that scopes a login to an org-unit subtree."""
    profile, _created = UserProfile.objects.update_or_create(
        user=user, defaults={"org_unit": org_unit, "person": person}
    )
    return profile


def api_key_hash(key: str) -> str:
    """The stored form of an API key: SHA-256 hex digest (keys are long random strings)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, scope: str = TokenScope.READ, name: str = "") -> tuple[ApiToken, str]:
    """Create a token and return it with its plain key, which is never stored and shown only once."""
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Scope must be read or write.")})
    key = "ahr_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], key_hash=api_key_hash(key), scope=scope)
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token; requests with its key are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_username(username: str):
    """The login with this username, or a ValidationError naming it."""
    User = get_user_model()
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise ValidationError(_("There is no user %(name)s.") % {"name": username}) from exc
