"""The registry of ingest datasets: what each ``POST /api/v1/ingest/<dataset>/`` accepts.

An app declares its datasets in ``<app>/ingest.py`` (imported from its AppConfig.ready())::

    register_dataset(
        Dataset(
            "usage",
            Usage,
            key=("customer", "month"),
            fields=[
                Reference("customer", by="external_id"),
                Month("month"),
                DecimalNumber("active_ratio", min_value=0, max_value=1),
            ],
            label=_("Product usage"),
        )
    )

Parsing, reference resolution, duplicate detection, the bulk upsert, the API endpoint,
the templates and the browser import page then work for it without more code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _

from .. import platform
from .fields import Field, Reference, model_column

if TYPE_CHECKING:
    from .validation import Batch

Check = Callable[["Batch"], None]


class Dataset:
    """One kind of record integrators push: its model, natural key and fields.

    ``checks`` run after every value is parsed and every reference resolved; each
    receives the :class:`~org.ingest.validation.Batch` and reports row errors with
    ``batch.error()``. ``after_write(batch, created, updated)`` runs in the same
    transaction once something changed. ``writer(batch) -> (created, updated)``
    replaces the generic bulk upsert when a dataset needs to write differently.
    """

    def __init__(
        self,
        name: str,
        model: type[models.Model],
        *,
        fields: Sequence[Field],
        key: Sequence[str] = ("external_id",),
        label: str = "",
        description: str = "",
        checks: Sequence[Check] = (),
        after_write: Callable[[Batch, int, int], None] | None = None,
        writer: Callable[[Batch], tuple[int, int]] | None = None,
    ):
        self.name = name
        self.model = model
        self.fields = list(fields)
        self.key = tuple(key)
        self.label = label or model._meta.verbose_name_plural
        self.description = description
        self.checks = list(checks)
        self.after_write = after_write
        self.writer = writer
        self.fields_by_name = {field.name: field for field in self.fields}
        if len(self.fields_by_name) != len(self.fields):
            raise ImproperlyConfigured(f"dataset {name!r}: two fields have the same name")
        for field in self.fields:
            field.bind(model)
        self._check_declaration()

    @property
    def field_names(self) -> list[str]:
        return [field.name for field in self.fields]

    @property
    def key_fields(self) -> list[Field]:
        return [self.fields_by_name[name] for name in self.key]

    @property
    def key_label(self) -> str:
        """The key as named in messages: ``external_id`` or ``customer+month``."""
        return "+".join(self.key)

    @property
    def self_references(self) -> list[Reference]:
        """Reference fields pointing at rows of this same dataset (a parent, a renewed contract)."""
        return [field for field in self.fields if isinstance(field, Reference) and field.to is self.model]

    def is_key(self, name: str) -> bool:
        return name in self.key

    def _check_declaration(self) -> None:
        """Fail at start-up, not at the first upload, when a declaration cannot work."""
        missing = [name for name in self.key if name not in self.fields_by_name]
        if not self.key or missing:
            raise ImproperlyConfigured(f"dataset {self.name!r}: key fields {missing or '()'} are not declared")
        for field in self.key_fields:
            field.required = True
        opts = self.model._meta
        key_names = {field.bound_field.name for field in self.key_fields}
        if not _is_unique(self.model, key_names):
            raise ImproperlyConfigured(
                f"dataset {self.name!r}: {opts.label} has no unique constraint on exactly {sorted(key_names)}"
            )
        declared = {field.attname for field in self.fields}
        for model_field in opts.concrete_fields:
            if model_field.primary_key or model_field.attname in declared:
                continue
            optional = model_field.null or model_field.has_default()
            automatic = getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
            if not (optional or automatic):
                raise ImproperlyConfigured(
                    f"dataset {self.name!r}: {opts.label}.{model_field.name} is required but not declared"
                )
        for field in self.self_references:
            if len(self.key) != 1 or self.key_fields[0].bound_field.name != field.by:
                raise ImproperlyConfigured(
                    f"dataset {self.name!r}: self reference {field.name!r} must use the dataset's key"
                )
            if not field.bound_field.null:
                raise ImproperlyConfigured(f"dataset {self.name!r}: self reference {field.name!r} must be nullable")

    def __repr__(self) -> str:
        return f"<Dataset {self.name}>"


def _is_unique(model: type[models.Model], names: set[str]) -> bool:
    """Whether the model's table has a unique index on exactly these columns (the upsert's conflict target)."""
    opts = model._meta
    if len(names) == 1 and model_column(model, next(iter(names))).unique:
        return True
    for constraint in opts.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and not constraint.expressions
            and set(constraint.fields) == names
        ):
            return True
    return any(set(together) == names for together in opts.unique_together)


_DATASETS = platform.DATASETS  # name -> Dataset


class UnknownDataset(LookupError):
    """No dataset of that name is registered."""

    def __init__(self, name: str):
        self.name = name
        self.known = sorted(_DATASETS)
        super().__init__(
            _("Unknown dataset “%(name)s”. Known datasets: %(known)s.")
            % {"name": name, "known": ", ".join(self.known) or "-"}
        )


def register_dataset(dataset: Dataset) -> Dataset:
    """Add a dataset to the registry; a name may be registered once."""
    if dataset.name in _DATASETS:
        raise ImproperlyConfigured(f"ingest dataset {dataset.name!r} is registered twice")
    return _DATASETS.add(dataset.name, dataset)


def unregister_dataset(name: str) -> None:
    """Remove a dataset (tests that register throw-away datasets use this)."""
    _DATASETS.discard(name)


def get_dataset(name: str) -> Dataset:
    """The dataset of that name, or UnknownDataset listing the known ones."""
    try:
        return _DATASETS[name]
    except KeyError:
        raise UnknownDataset(name) from None


def all_datasets() -> list[Dataset]:
    """Every registered dataset, by name."""
    return [_DATASETS[name] for name in sorted(_DATASETS)]


def dataset_for_model(model: type[models.Model], key_field: str) -> Dataset | None:
    """The dataset whose rows a reference to ``model`` by ``key_field`` points at, if one is registered."""
    for dataset in _DATASETS.values():
        if dataset.model is model and len(dataset.key) == 1 and dataset.key_fields[0].bound_field.name == key_field:
            return dataset
    return None
