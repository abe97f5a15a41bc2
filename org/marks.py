"""Recompute marks: which calendar years of computed figures are out of date, and from which fact tables.

Any write that changes facts calls :func:`recompute_mark` with the years it touched (old and new dates),
or with ``years=None`` when it may affect every year (an org tree change, a person moving unit, a
customer changing owner); and with the fact tables it wrote when it knows them (``tables=None``: any
indicator may be stale). An upload of leads then redoes the indicators that read leads, not those that
read product usage. The incremental recompute reads the pending marks, redoes those years only,
and deletes the marks up to the last one it read in the same transaction: a recompute that fails or is
killed leaves them for the next run, and a mark written while it ran survives for the next run too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from . import platform
from .models import RecomputeMark

# Years outside this range are not real fact dates (typos in uploads are caught as row errors earlier).
_MIN_YEAR, _MAX_YEAR = 1900, 2999


def years_of(dates: Iterable) -> set[int]:
    """The calendar years of the non-empty dates (``date`` objects or ISO strings)."""
    years = set()
    for value in dates:
        if value is None or value == "":
            continue
        year = value.year if isinstance(value, dt.date) else int(str(value)[:4])
        if _MIN_YEAR <= year <= _MAX_YEAR:
            years.add(year)
    return years


def recompute_mark(*, years: Iterable[int] | None, reason: str, tables: Iterable[str] | None = None) -> int:
    """Mark ``years`` (None: every year) of the indicators reading ``tables`` (None: any) as out of date.

    Returns the number of marks written.
    """
    sources = [""] if tables is None else sorted(set(tables)) or [""]
    year_list = [None] if years is None else sorted(set(years))
    rows = [
        RecomputeMark(year=year, source=source[:64], reason=reason[:64]) for year in year_list for source in sources
    ]
    RecomputeMark.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class PendingMarks:
    """The marks a recompute is about to consume: up to ``last_id``; ``years`` None means every year,
    ``tables`` None means every indicator (else only those reading one of these fact tables)."""

    last_id: int
    years: frozenset[int] | None
    tables: frozenset[str] | None = None

    @property
    def empty(self) -> bool:
        return self.last_id == 0


def pending_marks() -> PendingMarks:
    """The marks written so far (one query)."""
    rows = list(RecomputeMark.objects.values_list("id", "year", "source"))
    if not rows:
        return PendingMarks(0, frozenset(), frozenset())
    years = {year for _id, year, _source in rows}
    sources = {source for _id, _year, source in rows}
    return PendingMarks(
        max(pk for pk, _year, _source in rows),
        None if None in years else frozenset(years),
        None if "" in sources else frozenset(sources),
    )


def marks_consume(marks: PendingMarks) -> int:
    """Delete the marks a finished recompute consumed (those up to ``marks.last_id``)."""
    if marks.empty:
        return 0
    deleted, _detail = RecomputeMark.objects.filter(id__lte=marks.last_id).delete()
    return deleted


# --- marks left by ingest uploads ------------------------------------------------------------


@dataclass(frozen=True)
class TrackedDataset:
    """How an upload to a dataset makes computed figures stale.

    ``dates``: the date fields whose years (old and new values) are stale after a change;
    ``moves``: fields that, changed on an existing row, make every year stale (a unit's parent, a person's
    or customer's unit or owner); ``every_year``: any change makes every year stale;
    ``related``: a function of the batch returning more stale years (e.g. the contract a renewal renews);
    ``to_present``: a date also makes every later year up to the current one stale (a customer's
    acquisition or churn date decides whether they are an existing customer at the start of later periods).
    """

    dates: tuple[str, ...] = ()
    moves: tuple[str, ...] = ()
    every_year: bool = False
    related: object = None
    to_present: bool = False


_TRACKED = platform.TRACKED_DATASETS  # dataset name -> TrackedDataset


def track_dataset(name: str, **spec) -> None:
    """Declare how uploads to dataset ``name`` leave recompute marks (after the dataset is registered): its
    table then counts as one that leaves marks (``platform.MARKED_TABLES``)."""
    _TRACKED.add(name, TrackedDataset(**spec), replace=True)
    dataset = platform.DATASETS.get(name)
    if dataset is not None:
        platform.MARKED_TABLES.add(dataset.model._meta.db_table, f"dataset {name}", replace=True)


def marks_table(model, *, by: str) -> None:
    """Declare that the service ``by`` leaves recompute marks when it writes ``model``'s rows (a fact table that
    no dataset uploads, such as stories or drill sessions)."""
    platform.MARKED_TABLES.add(model._meta.db_table, by, replace=True)


def _existing(dataset, batch, fields: tuple[str, ...]) -> dict[tuple, dict]:
    """Stored rows matching the batch's keys: {key tuple: {field attname: value}} (one query)."""
    keys = dataset.key_fields
    names = [field.attname for field in keys]
    columns = [dataset.model._meta.get_field(name).attname for name in fields]
    wanted = {tuple(batch.values[field.name][i] for field in keys) for i in range(batch.size)}
    if not wanted:
        return {}
    query = dataset.model.objects.all()
    for position, name in enumerate(names):
        query = query.filter(**{f"{name}__in": {key[position] for key in wanted}})
    found = {}
    for row in query.values(*names, *columns):
        key = tuple(row[name] for name in names)
        if key in wanted:
            found[key] = row
    return found


def ingest_listener(dataset, batch, phase: str, created: int, updated: int) -> None:
    """Before an upload is written note the years of the rows it replaces; after it, mark them and the new ones."""
    spec = _TRACKED.get(dataset.name)
    if spec is None:
        return
    if phase == "before":
        years: set[int] = set()
        every = spec.every_year
        if not every and (spec.dates or spec.moves):
            stored = _existing(dataset, batch, spec.dates + spec.moves)
            keys = dataset.key_fields
            for index in range(batch.size):
                row = stored.get(tuple(batch.values[field.name][index] for field in keys))
                if row is None:
                    continue
                years |= years_of(row[dataset.model._meta.get_field(name).attname] for name in spec.dates)
                for name in spec.moves:
                    if row[dataset.model._meta.get_field(name).attname] != batch.values[name][index]:
                        every = True
        batch.stale_years, batch.stale_every_year = years, every
        return
    if not (created or updated):
        return
    # The org tree and people decide every roll-up: their changes concern every indicator.
    table = dataset.model._meta.db_table
    tables = None if table.startswith("org_") else [table]
    if getattr(batch, "stale_every_year", False) or spec.every_year:
        recompute_mark(years=None, reason=f"ingest:{dataset.name}", tables=tables)
        return
    years = set(getattr(batch, "stale_years", set()))
    for name in spec.dates:
        years |= years_of(batch.values[name])
    if spec.related is not None:
        years |= set(spec.related(batch))
    if spec.to_present and years:
        years |= set(range(min(years), max(max(years), timezone.localdate().year) + 1))
    if years:
        recompute_mark(years=years, reason=f"ingest:{dataset.name}", tables=tables)
