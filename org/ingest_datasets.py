"""Datasets of the org app (registered with the ingest framework): org units and people."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import KIND_LEVEL, OrgUnitKind, PersonRole
from .ingest import Choice, Dataset, Date, Email, Reference, Text, not_before, register_dataset
from .ingest.service import register_write_listener
from .ingest.validation import Batch
from .marks import ingest_listener, track_dataset
from .models import OrgUnit, Person
from .services import _check_parent, org_closure_rebuild


def check_org_tree(batch: Batch) -> None:
    """The tree as it will be after the upload has no loops and respects the kind hierarchy.

    The final tree is the stored units overlaid with the upload's valid rows. Each
    uploaded unit's parent must sit strictly higher (company > business unit >
    region > team; a company has no parent), and a stored unit that is not in the
    upload must still fit under its parent if the upload changes that parent's kind.
    """
    codes, kinds, parents = batch.values["code"], batch.values["kind"], batch.keys["parent"]
    tree = {code: [kind, parent] for code, kind, parent in OrgUnit.objects.values_list("code", "kind", "parent__code")}
    row_of: dict[str, int] = {}
    for index, code in enumerate(codes):
        if batch.is_ok(index):
            tree[code] = [kinds[index], parents[index]]
            row_of[code] = index
    for code, index in row_of.items():
        loop = _loop_through(tree, code)
        if loop:
            batch.error(
                index,
                "parent",
                _("This parent would make a loop: %(chain)s.") % {"chain": " → ".join(loop)},
            )
            continue
        kind, parent_code = tree[code]
        if parent_code is not None and parent_code not in tree:
            continue  # a parent row with its own errors; reported there
        parent = OrgUnit(code=parent_code, kind=tree[parent_code][0]) if parent_code else None
        try:
            _check_parent(kind=kind, parent=parent)
        except ValidationError as exc:  # the org service's own wording of the rule
            for message in exc.messages:
                batch.error(index, "parent", message)
    for code, (kind, parent_code) in tree.items():
        if code in row_of or parent_code not in row_of or not batch.is_ok(row_of[parent_code]):
            continue
        parent_kind = tree[parent_code][0]
        if KIND_LEVEL[OrgUnitKind(parent_kind)] >= KIND_LEVEL[OrgUnitKind(kind)]:
            batch.error(
                row_of[parent_code],
                "kind",
                _("As a %(parent_kind)s this unit could not keep its sub-unit %(code)s (a %(kind)s).")
                % {
                    "parent_kind": OrgUnitKind(parent_kind).label,
                    "code": code,
                    "kind": OrgUnitKind(kind).label,
                },
            )


def _loop_through(tree: dict, code: str) -> list[str]:
    """The chain code → parent → ... back to code, if following parents from ``code`` returns to it."""
    chain = [code]
    seen = {code}
    parent = tree[code][1]
    while parent is not None and parent in tree:
        chain.append(parent)
        if parent == code:
            return chain
        if parent in seen:
            return []  # a loop further up, reported on its own rows
        seen.add(parent)
        parent = tree[parent][1]
    return []


def rebuild_closure(batch: Batch, created: int, updated: int) -> None:
    """Parents may have changed: rebuild the ancestor table in the same transaction."""
    org_closure_rebuild()


register_dataset(
    Dataset(
        "org-units",
        OrgUnit,
        key=("code",),
        fields=[
            Text("code"),
            Text("name"),
            Choice("kind", choices=OrgUnitKind),
            Reference(
                "parent",
                by="code",
                help_text=gettext_lazy("Code of the parent unit; it may come later in the same upload."),
            ),
        ],
        label=gettext_lazy("Org units"),
        description=gettext_lazy("The org tree: companies, business units, regions and teams, each with its parent."),
        checks=[check_org_tree],
        after_write=rebuild_closure,
    )
)

register_dataset(
    Dataset(
        "people",
        Person,
        key=("external_id",),
        fields=[
            Text("external_id"),
            Text("name"),
            Email("email"),
            Reference("org_unit", by="code"),
            Choice("role", choices=PersonRole),
            Date("hire_date", fact=True),
            Date("exit_date"),  # a planned exit may lie further ahead
        ],
        label=gettext_lazy("People"),
        description=gettext_lazy("Employees of the customer-acquisition chain, from the HRIS."),
        checks=[not_before("exit_date", "hire_date")],
    )
)


# Recompute marks: a unit moved to another parent or a person moved to another unit changes roll-ups of
# every year; new units and people carry no facts yet.
track_dataset("org-units", moves=("parent",))
track_dataset("people", moves=("org_unit",))
register_write_listener(ingest_listener)
