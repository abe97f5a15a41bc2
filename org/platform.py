"""The platform's extension points: every registry an app adds to, in one place.

The apps build on org, and org knows none of them (DESIGN.md section 3: org -> performance -> diagnosis,
talent, enablement -> rollout). Where org or performance runs something an app provides (an ingest dataset,
a nightly step, an indicator computation), the app registers it here when Django loads it (its ``apps.py``
``ready()`` imports the module that registers), and the owner of the registry reads it back by key.

Each registry, what it is keyed on, who adds to it and what guards it (the full table, with the modules that
read each one, is in docs/architecture.md):

- ``DATASETS``, by dataset name: ``org.ingest.register_dataset`` in ``<app>/ingest.py``; a name registers once.
- ``WRITE_LISTENERS``, by the listener's dotted name: ``org.ingest.service.register_write_listener``.
- ``TRACKED_DATASETS``, by dataset name: ``org.marks.track_dataset``; check org.E003 (a tracked name is a
  dataset).
- ``MARKED_TABLES``, by database table: ``track_dataset`` (its dataset's table) and ``org.marks.marks_table``
  (services that write facts); check performance.E003 (every table an indicator reads leaves marks).
- ``INDICATORS``, by indicator code: ``performance.indicators.builtin_indicator`` in ``performance/engine/builtins.py``
  and ``<app>/indicators.py``; checks performance.E001 (a computation), E002 (the library's codes), E004 (positions).
- ``NIGHTLY_STEPS``, by step name: ``org.jobs.nightly_step``; checks org.E001 (orders) and org.E002 (needs).
- ``DEMO_STEPS``, by step name: ``org.demo.demo_step``; check org.E001 (orders).
- ``UNIT_MEASURES``, by measure code: ``org.measures.register_unit_measure`` (the radar's data-derived parts).
- ``AUDITED_MODELS``, by model label: ``org.audit.audited`` in each app's ``apps.py``; check org.E004.
- ``HOME_PARTS``, by app label: ``org.home.register_home`` in each app's ``apps.py`` (the home page's tasks,
  suggestions and headline cards).
- ``RADAR_LISTENERS``, by the listener's dotted name: called with ``unit_ids`` after ``diagnosis.radar``
  stores fresh radars of those units outside the nightly run (a closed round); rollout's program snapshots.

``docs/architecture.md`` has the checklists for adding an indicator, a dataset, a nightly step and a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    """Items an app provides, by key, in the order they were added.

    Adding a key twice is a configuration error unless ``replace`` is asked for (tests that swap an item in);
    ``discard`` takes one out again (throw-away items of tests).
    """

    def __init__(self, name: str, *, keyed_on: str):
        self.name = name
        self.keyed_on = keyed_on
        self._items: dict[str, T] = {}

    def add(self, key: str, item: T, *, replace: bool = False) -> T:
        if key in self._items and not replace and self._items[key] is not item:
            raise ImproperlyConfigured(f"{self.name}: {key!r} is registered twice")
        self._items[key] = item
        return item

    def discard(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str, default: T | None = None) -> T | None:
        return self._items.get(key, default)

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def values(self) -> list[T]:
        return list(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self._items)} keyed on {self.keyed_on}>"


# Each registry's items are the owner's own types (org.ingest.Dataset, org.jobs.NightlyStep, ...); org/platform.py
# imports none of them so that every module may import it.
DATASETS: Registry = Registry("ingest datasets", keyed_on="dataset name")
WRITE_LISTENERS: Registry[Callable] = Registry("ingest write listeners", keyed_on="dotted name of the listener")
TRACKED_DATASETS: Registry = Registry("datasets that leave recompute marks", keyed_on="dataset name")
MARKED_TABLES: Registry[str] = Registry("fact tables that leave recompute marks", keyed_on="database table")
INDICATORS: Registry = Registry("built-in indicators", keyed_on="indicator code")
NIGHTLY_STEPS: Registry = Registry("nightly steps", keyed_on="step name")
DEMO_STEPS: Registry = Registry("demo steps", keyed_on="step name")
UNIT_MEASURES: Registry[Callable] = Registry("per-unit measures", keyed_on="measure code")
AUDITED_MODELS: Registry[tuple[str, ...]] = Registry("audited models", keyed_on="model label")
HOME_PARTS: Registry = Registry("home page parts", keyed_on="app label")
RADAR_LISTENERS: Registry[Callable] = Registry("capability radar listeners", keyed_on="dotted name of the listener")

REGISTRIES: tuple[Registry, ...] = (
    DATASETS,
    WRITE_LISTENERS,
    TRACKED_DATASETS,
    MARKED_TABLES,
    INDICATORS,
    NIGHTLY_STEPS,
    DEMO_STEPS,
    UNIT_MEASURES,
    AUDITED_MODELS,
    HOME_PARTS,
    RADAR_LISTENERS,
)
