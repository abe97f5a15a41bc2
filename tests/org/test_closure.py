"""The org tree's closure table stays equal to the one implied by parent links after every write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from org.choices import OrgUnitKind, PersonRole
from org.models import OrgUnit, OrgUnitClosure, Person
from org.services import org_closure_rebuild, org_unit_create, org_unit_delete, org_unit_move


def closure_pairs() -> set[tuple[str, str, int]]:
    """The closure table as (ancestor code, descendant code, depth)."""
    return set(OrgUnitClosure.objects.values_list("ancestor__code", "descendant__code", "depth"))


def pairs_from_parent_links() -> set[tuple[str, str, int]]:
    """The closure the parent links imply, walked in Python (independent of the services)."""
    parent_of = dict(OrgUnit.objects.values_list("code", "parent__code"))
    pairs = set()
    for code in parent_of:
        node, depth = code, 0
        while node is not None:
            pairs.add((node, code, depth))
            node, depth = parent_of[node], depth + 1
    return pairs


def assert_closure_consistent() -> None:
    """The maintained closure equals the one from parent links, and equals a rebuild by the recursive query."""
    maintained = closure_pairs()
    assert maintained == pairs_from_parent_links()
    org_closure_rebuild()
    assert closure_pairs() == maintained


def ancestors(code: str) -> dict[str, int]:
    return dict(OrgUnitClosure.objects.filter(descendant__code=code).values_list("ancestor__code", "depth"))


def test_fixture_tree_has_the_expected_closure(org_tree):
    # given the fixture tree ACME > SALES > EAST > T1
    # then T1's ancestors, with their depths, are its path to the top
    assert ancestors("T1") == {"T1": 0, "EAST": 1, "SALES": 2, "ACME": 3}
    assert len(closure_pairs()) == 1 + 2 * 2 + 2 * 3 + 3 * 4  # company, 2 BUs, 2 regions, 3 teams
    assert_closure_consistent()


def test_insert_adds_parent_ancestors_plus_itself(org_tree):
    # when a team is added under WEST
    org_unit_create(code="T4", name="Team 4", kind=OrgUnitKind.TEAM, parent=org_tree["WEST"])
    # then it has exactly its path as ancestors, and nothing else changed
    assert ancestors("T4") == {"T4": 0, "WEST": 1, "SALES": 2, "ACME": 3}
    assert set(OrgUnitClosure.objects.filter(ancestor__code="T4").values_list("descendant__code", flat=True)) == {"T4"}
    assert_closure_consistent()


@pytest.mark.parametrize(
    ("kind", "parent_code", "message"),
    [
        (OrgUnitKind.TEAM, None, "Only a company"),
        (OrgUnitKind.COMPANY, "ACME", "A company cannot have a parent"),
        (OrgUnitKind.REGION, "T1", "cannot sit under"),
        (OrgUnitKind.BUSINESS_UNIT, "EAST", "cannot sit under"),
    ],
)
def test_insert_refuses_a_parent_the_hierarchy_does_not_allow(org_tree, kind, parent_code, message, settings):
    settings.LANGUAGE_CODE = "en"
    before = closure_pairs()
    parent = org_tree[parent_code] if parent_code else None
    with pytest.raises(ValidationError, match=message):
        org_unit_create(code="NEW", name="New", kind=kind, parent=parent)
    assert not OrgUnit.objects.filter(code="NEW").exists()
    assert closure_pairs() == before


def test_move_subtree_rewires_every_descendant(org_tree):
    # given EAST (with T1, T2) under SALES, and a new business unit
    north_bu = org_unit_create(code="NBU", name="North BU", kind=OrgUnitKind.BUSINESS_UNIT, parent=org_tree["ACME"])
    # when EAST moves under the new business unit
    org_unit_move(unit=org_tree["EAST"], new_parent=north_bu)
    # then every unit of the moved subtree has the new path, with depths right
    assert ancestors("EAST") == {"EAST": 0, "NBU": 1, "ACME": 2}
    assert ancestors("T1") == {"T1": 0, "EAST": 1, "NBU": 2, "ACME": 3}
    assert ancestors("T2") == {"T2": 0, "EAST": 1, "NBU": 2, "ACME": 3}
    # and the old ancestor SALES no longer reaches into it
    sales_subtree = set(
        OrgUnitClosure.objects.filter(ancestor__code="SALES").values_list("descendant__code", flat=True)
    )
    assert sales_subtree == {"SALES", "WEST", "T3"}
    # and the links inside the moved subtree are kept
    assert dict(OrgUnitClosure.objects.filter(ancestor__code="EAST").values_list("descendant__code", "depth")) == {
        "EAST": 0,
        "T1": 1,
        "T2": 1,
    }
    assert OrgUnit.objects.get(code="EAST").parent.code == "NBU"
    assert_closure_consistent()


def test_move_a_leaf_to_a_sibling_region(org_tree):
    org_unit_move(unit=org_tree["T1"], new_parent=org_tree["WEST"])
    assert ancestors("T1") == {"T1": 0, "WEST": 1, "SALES": 2, "ACME": 3}
    assert set(OrgUnitClosure.objects.filter(ancestor__code="EAST").values_list("descendant__code", flat=True)) == {
        "EAST",
        "T2",
    }
    assert_closure_consistent()


def test_move_across_companies_changes_depths(org_tree):
    # given a second company
    other = org_unit_create(code="OTHER", name="Other Co", kind=OrgUnitKind.COMPANY)
    # when EAST (two levels below ACME) moves directly under it
    org_unit_move(unit=org_tree["EAST"], new_parent=other)
    # then EAST's teams sit one level higher than before, under the other company only
    assert ancestors("T1") == {"T1": 0, "EAST": 1, "OTHER": 2}
    assert not OrgUnitClosure.objects.filter(ancestor__code="ACME", descendant__code="T1").exists()
    assert not OrgUnitClosure.objects.filter(ancestor__code="SALES", descendant__code="T2").exists()
    assert_closure_consistent()


def test_move_under_own_descendant_is_refused(org_tree, settings):
    settings.LANGUAGE_CODE = "en"
    before = closure_pairs()
    with pytest.raises(ValidationError, match="under itself or one of its own sub-units"):
        org_unit_move(unit=org_tree["SALES"], new_parent=org_tree["EAST"])
    with pytest.raises(ValidationError, match="under itself"):
        org_unit_move(unit=org_tree["EAST"], new_parent=org_tree["EAST"])
    assert closure_pairs() == before
    assert OrgUnit.objects.get(code="SALES").parent.code == "ACME"
    assert_closure_consistent()


def test_move_to_a_lower_kind_is_refused(org_tree, settings):
    settings.LANGUAGE_CODE = "en"
    before = closure_pairs()
    with pytest.raises(ValidationError, match="cannot sit under"):
        org_unit_move(unit=org_tree["EAST"], new_parent=org_tree["WEST"])
    assert closure_pairs() == before


def test_delete_a_leaf_removes_only_its_rows(org_tree):
    org_unit_delete(unit=org_tree["T2"])
    assert not OrgUnit.objects.filter(code="T2").exists()
    assert not OrgUnitClosure.objects.filter(descendant__code="T2").exists()
    assert ancestors("T1") == {"T1": 0, "EAST": 1, "SALES": 2, "ACME": 3}
    assert_closure_consistent()


def test_delete_bottom_up_empties_a_subtree(org_tree):
    for code in ("T1", "T2", "EAST"):
        org_unit_delete(unit=OrgUnit.objects.get(code=code))
    assert set(OrgUnitClosure.objects.filter(ancestor__code="SALES").values_list("descendant__code", flat=True)) == {
        "SALES",
        "WEST",
        "T3",
    }
    assert_closure_consistent()


def test_delete_a_unit_with_sub_units_is_refused(org_tree, settings):
    settings.LANGUAGE_CODE = "en"
    before = closure_pairs()
    with pytest.raises(ValidationError, match=r"EAST cannot be deleted while it has sub-units \(T1, T2\)"):
        org_unit_delete(unit=org_tree["EAST"])
    assert OrgUnit.objects.filter(code__in=["EAST", "T1", "T2"]).count() == 3
    assert closure_pairs() == before


def test_delete_a_unit_with_people_is_refused(org_tree, settings):
    settings.LANGUAGE_CODE = "en"
    Person.objects.create(
        external_id="X1",
        name="Somebody",
        org_unit=org_tree["T3"],
        role=PersonRole.SALES_REP,
        hire_date=dt.date(2024, 1, 1),
    )
    before = closure_pairs()
    with pytest.raises(ValidationError, match="T3 cannot be deleted while people still belong to it"):
        org_unit_delete(unit=org_tree["T3"])
    assert OrgUnit.objects.filter(code="T3").exists()
    assert closure_pairs() == before


def test_a_long_sequence_of_writes_keeps_the_closure_right(org_tree):
    # A mixed sequence, checked after every step (catches errors that only show in combination).
    acme = org_tree["ACME"]
    steps = [
        lambda: org_unit_create(code="BU3", name="BU 3", kind=OrgUnitKind.BUSINESS_UNIT, parent=acme),
        lambda: org_unit_create(code="R3", name="R 3", kind=OrgUnitKind.REGION, parent=OrgUnit.objects.get(code="BU3")),
        lambda: org_unit_move(unit=OrgUnit.objects.get(code="T3"), new_parent=OrgUnit.objects.get(code="R3")),
        lambda: org_unit_move(unit=OrgUnit.objects.get(code="WEST"), new_parent=OrgUnit.objects.get(code="SERVICE")),
        lambda: org_unit_move(unit=OrgUnit.objects.get(code="R3"), new_parent=OrgUnit.objects.get(code="SALES")),
        lambda: org_unit_create(code="T5", name="T 5", kind=OrgUnitKind.TEAM, parent=OrgUnit.objects.get(code="R3")),
        lambda: org_unit_move(unit=OrgUnit.objects.get(code="T1"), new_parent=OrgUnit.objects.get(code="WEST")),
        lambda: org_unit_delete(unit=OrgUnit.objects.get(code="T2")),
        lambda: org_unit_delete(unit=OrgUnit.objects.get(code="EAST")),
    ]
    for step in steps:
        step()
        assert closure_pairs() == pairs_from_parent_links()
    assert ancestors("T3") == {"T3": 0, "R3": 1, "SALES": 2, "ACME": 3}
    assert ancestors("T1") == {"T1": 0, "WEST": 1, "SERVICE": 2, "ACME": 3}
    assert_closure_consistent()


def test_rebuild_repairs_a_damaged_closure(org_tree):
    OrgUnitClosure.objects.filter(descendant__code="T1").exclude(ancestor__code="T1").delete()
    OrgUnitClosure.objects.create(ancestor=org_tree["SERVICE"], descendant=org_tree["T3"], depth=1)
    assert closure_pairs() != pairs_from_parent_links()
    count = org_closure_rebuild()
    assert closure_pairs() == pairs_from_parent_links()
    assert count == len(pairs_from_parent_links())
