"""Reads of the org app, above all the manager scope: who may see which org units."""

from __future__ import annotations

from typing import Final, Literal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404

from .models import OrgUnit, OrgUnitClosure, Person

ALL_UNITS: Final = "all"
NO_UNITS: Final = "none"

# A login's scope: the id of its root unit, or one of the two markers (literal types, so that a check
# against both markers leaves an id for the type checker).
ScopeRoot = int | Literal["all", "none"]


def scope_root(user) -> ScopeRoot:
    """The id of the unit whose subtree the user sees, or ALL_UNITS / NO_UNITS.

    A profile's org unit always scopes the login. Without one, superusers and
    roles holding ``org.view_all_units`` (HR leads, integrators) see everything;
    everyone else sees nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return NO_UNITS
    cached = getattr(user, "_org_scope_root", None)
    if cached is not None:
        return cached
    from .models import UserProfile

    unit_id = UserProfile.objects.filter(user_id=user.pk).values_list("org_unit_id", flat=True).first()
    if unit_id:
        root: ScopeRoot = unit_id
    elif user.is_superuser or user.has_perm("org.view_all_units"):
        root = ALL_UNITS
    else:
        root = NO_UNITS
    user._org_scope_root = root
    return root


def visible_unit_ids(user) -> QuerySet | None:
    """A subquery of the unit ids the user may see, or None when the user sees all units."""
    root = scope_root(user)
    if root == ALL_UNITS:
        return None
    if root == NO_UNITS:
        return OrgUnit.objects.none().values("pk")
    return OrgUnitClosure.objects.filter(ancestor_id=root).values("descendant_id")


def scope_queryset(queryset: QuerySet, user, *, unit_field: str = "org_unit") -> QuerySet:
    """Restrict any queryset with an org-unit reference to the user's visible subtree."""
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{unit_field}__in": ids})


def can_see_unit(user, unit: OrgUnit) -> bool:
    """Whether the unit lies in the user's visible subtree."""
    root = scope_root(user)
    if root == ALL_UNITS:
        return True
    if root == NO_UNITS:
        return False
    return OrgUnitClosure.objects.filter(ancestor_id=root, descendant=unit).exists()


def org_units_visible(user) -> QuerySet[OrgUnit]:
    """The units the user may see, with parent and precomputed head counts."""
    return scope_queryset(OrgUnit.objects.select_related("parent", "stat"), user, unit_field="pk")


def org_unit_tree_rows(user) -> list[dict]:
    """Visible units in tree order (depth-first by code) with depth relative to the visible root."""
    units = list(org_units_visible(user).order_by("code"))
    by_parent: dict[int | None, list[OrgUnit]] = {}
    ids = {unit.pk for unit in units}
    for unit in units:
        parent_key = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(parent_key, []).append(unit)
    rows: list[dict] = []

    def walk(parent_key, depth):
        for unit in by_parent.get(parent_key, []):
            rows.append({"unit": unit, "depth": depth})
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows


def people_visible(user) -> QuerySet[Person]:
    """People in the user's visible subtree, with their unit."""
    return scope_queryset(Person.objects.select_related("org_unit"), user)


def subtree_unit_ids(unit: OrgUnit | int) -> QuerySet:
    """Ids of the unit (given as a unit or its id) and everything below it (a subquery)."""
    return OrgUnitClosure.objects.filter(ancestor=unit).values("descendant_id")


def ancestors_of(unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors from the top down, itself last."""
    return [
        link.ancestor
        for link in OrgUnitClosure.objects.filter(descendant=unit).select_related("ancestor").order_by("-depth")
    ]


def headcount_by_unit() -> dict[int, int]:
    """Active head count per unit for its whole subtree (one join through the closure)."""
    rows = (
        OrgUnitClosure.objects.filter(descendant__people__exit_date__isnull=True)
        .values("ancestor_id")
        .annotate(n=Count("descendant__people"))
    )
    return {row["ancestor_id"]: row["n"] for row in rows}


def people_logins_visible(user) -> QuerySet:
    """Active logins that are people of the user's visible subtree, by name: whom a picker offers.

    A login without a person (an API account, a bare administrator) is never offered as a person.
    """
    from django.contrib.auth import get_user_model

    logins = get_user_model().objects.filter(is_active=True, profile__person__isnull=False)
    return (
        scope_queryset(logins, user, unit_field="profile__person__org_unit")
        .select_related("profile__person")
        .order_by("profile__person__name", "profile__person__external_id")
    )


SEARCH_LIMIT: Final = 20


def people_search(user, query: str) -> list[Person]:
    """People of the user's visible subtree whose name contains ``query`` (or whose external id starts with
    it), those still employed first, at most SEARCH_LIMIT."""
    query = query.strip()
    if not query:
        return []
    people = people_visible(user).filter(Q(name__icontains=query) | Q(external_id__istartswith=query))
    return list(
        people.annotate(left=ExpressionWrapper(Q(exit_date__isnull=False), output_field=BooleanField())).order_by(
            "left", "name", "external_id"
        )[:SEARCH_LIMIT]
    )


def logins_with_person() -> QuerySet:
    """Logins with the person each one is, for pages that show a login by name (prefetch querysets)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.select_related("profile__person")


UNIT_PARAMETERS = ("unit", "org_unit")


def unit_in_scope(user, code: str | None, *, default: OrgUnit | None = None) -> OrgUnit | None:
    """The org unit a page or API names by code, within the viewer's scope.

    A code the viewer may not see (or that names no unit) is a 404, never a silent swap to another unit
    (units of the same name sit in several regions). Without a code: ``default`` when the viewer sees it,
    else the viewer's scope root (the top unit for a login that sees everything); None when they see nothing.
    """
    visible = org_units_visible(user)
    if code:
        unit = visible.filter(code=code).first()
        if unit is None:
            raise Http404
        return unit
    if default is not None and visible.filter(pk=default.pk).exists():
        return default
    root = scope_root(user)
    if root == NO_UNITS:
        return None
    if root == ALL_UNITS:
        return visible.filter(parent__isnull=True).order_by("code").first()
    return visible.filter(pk=root).first()


def unit_from_params(user, params, *, default: OrgUnit | None = None) -> OrgUnit | None:
    """``unit_in_scope`` for a query string: every unit parameter given (``unit``, ``org_unit``) must be in scope,
    and the first one names the unit."""
    codes = [params.get(name) for name in UNIT_PARAMETERS if params.get(name)]
    units = [unit_in_scope(user, code) for code in codes]
    return units[0] if units else unit_in_scope(user, None, default=default)
