"""Seconds to build a success profile for 5,000 people × 30 factors (aim: under 2 s).

Measures ``talent.services.success_profile_build`` in-process, as the API and the page call it:
the criterion query (12 monthly person values each, summed over the window), the attribute
query and pandas pivot (150,000 rows), the tests, Benjamini–Hochberg, the ridge logistic model,
the 5-fold cross-validation (selection and fit repeated per fold), and the writes (profile,
factor rows, candidate scores). ``stats_only`` is the pure statistics on the same frame
(talent.stats.build_profile), to separate database time from model time. Median of ``--runs``.

Data: 24 numeric factors (4 of them related to performance), 4 yes/no factors (1 related)
and 2 categorical factors with 4 levels each; 500 candidates of the role are scored too.

Usage (prints JSON)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acq_bench .venv/bin/python benchmarks/talent.py
    DATABASE_URL=sqlite:////tmp/acq_bench.sqlite3 .venv/bin/python benchmarks/talent.py --runs 3

Options: ``--people 5000 --runs 3``. The database is created and migrated when missing; its
name must contain ``bench``. The benchmark's rows (prefix ``BENCH-TAL-``) are removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import setup  # noqa: E402

PREFIX = "BENCH-TAL-"
ROLE = "solution_consultant"
CRITERION = "average_contract_value"
MONTHS = [dt.date(2025, month, 1) for month in range(1, 13)]


def _cleanup() -> None:
    from org.models import OrgUnit, Person
    from talent.models import Candidate, Factor, ProfileFactor, SuccessProfile

    profiles = SuccessProfile.objects.filter(name__startswith=PREFIX)
    ProfileFactor.objects.filter(profile__in=profiles).delete()
    profiles.delete()
    Candidate.objects.filter(external_id__startswith=PREFIX).delete()
    Person.objects.filter(external_id__startswith=PREFIX).delete()
    Factor.objects.filter(code__startswith=PREFIX).delete()
    OrgUnit.objects.filter(code__startswith=PREFIX).delete()


def _load(n_people: int, n_candidates: int, seed: int = 0) -> None:
    import numpy as np
    from django.utils import timezone

    from org.models import Person
    from org.services import org_unit_create
    from performance.models import Indicator, IndicatorValue
    from talent.models import Candidate, CandidateAttribute, Factor, PersonAttribute

    rng = np.random.default_rng(seed)
    unit = org_unit_create(code=f"{PREFIX}CO", name="Talent bench", kind="company")
    kinds = {f"{PREFIX}N{j:02d}": "numeric" for j in range(24)}
    kinds.update({f"{PREFIX}B{j}": "boolean" for j in range(4)})
    kinds.update({f"{PREFIX}C{j}": "categorical" for j in range(2)})
    factors = Factor.objects.bulk_create(
        [Factor(code=code, name=code, kind=kind, source="assessment") for code, kind in kinds.items()]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                external_id=f"{PREFIX}{i:05d}",
                name=f"Bench {i}",
                org_unit=unit,
                role=ROLE,
                hire_date=dt.date(2022, 1, 1),
            )
            for i in range(n_people)
        ]
    )
    people = list(Person.objects.filter(external_id__startswith=PREFIX).order_by("pk"))

    def values(n):
        numeric = rng.normal(size=(n, 24))
        flags = rng.random((n, 4)) < 0.4
        levels = rng.integers(0, 4, size=(n, 2))
        return numeric, flags, levels

    numeric, flags, levels = values(n_people)
    signal = numeric[:, :4] @ np.array([0.5, 0.4, 0.35, 0.3]) + 0.8 * flags[:, 0] + 0.4 * (levels[:, 0] == 2)

    def attribute_rows(model, owner_field, owners, numeric, flags, levels):
        rows = []
        for j, factor in enumerate(factors):
            kind = factor.kind
            for i, owner in enumerate(owners):
                if kind == "numeric":
                    value = f"{numeric[i, j]:.4f}"
                elif kind == "boolean":
                    value = "true" if flags[i, j - 24] else "false"
                else:
                    value = f"level{levels[i, j - 28]}"
                rows.append(model(**{owner_field: owner}, factor=factor, value=value))
        model.objects.bulk_create(rows, batch_size=10_000)

    attribute_rows(PersonAttribute, "person", people, numeric, flags, levels)
    indicator = Indicator.objects.get(code=CRITERION)
    now = timezone.now()
    monthly = []
    for i, person in enumerate(people):
        for month in MONTHS:
            amount = Decimal(f"{100_000 + 20_000 * (signal[i] + rng.normal()):.2f}")
            monthly.append(
                IndicatorValue(
                    indicator=indicator,
                    person=person,
                    period="month",
                    period_start=month,
                    numerator=amount,
                    denominator=Decimal(1),
                    value=amount,
                    computed_at=now,
                )
            )
    IndicatorValue.objects.bulk_create(monthly, batch_size=10_000)
    Candidate.objects.bulk_create(
        [
            Candidate(
                external_id=f"{PREFIX}C{i:05d}",
                name=f"Candidate {i}",
                role=ROLE,
                org_unit=unit,
                applied_on=dt.date(2025, 6, 1),
                stage="screened",
            )
            for i in range(n_candidates)
        ]
    )
    candidates = list(Candidate.objects.filter(external_id__startswith=PREFIX).order_by("pk"))
    attribute_rows(CandidateAttribute, "candidate", candidates, *values(n_candidates))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = setup()

    from django.db import connection

    from performance.models import Indicator
    from talent import stats
    from talent.selectors import criterion_values, factor_kinds, person_attribute_frame
    from talent.services import success_profile_build

    _cleanup()
    began = time.perf_counter()
    _load(args.people, args.candidates)
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables: give the planner statistics, as autovacuum would have by then.
        with connection.cursor() as cursor:
            for table in (
                "org_person",
                "performance_indicatorvalue",
                "talent_personattribute",
                "talent_candidateattribute",
            ):
                cursor.execute(f"ANALYZE {table}")
    load_seconds = time.perf_counter() - began
    indicator = Indicator.objects.get(code=CRITERION)
    window = {"window_from": MONTHS[0], "window_to": MONTHS[-1]}
    try:
        builds, pure = [], []
        profile = None
        for run in range(args.runs):
            started = time.perf_counter()
            profile = success_profile_build(
                name=f"{PREFIX}{run}", role=ROLE, criterion=indicator, period="month", **window
            )
            builds.append(time.perf_counter() - started)
            criterion = criterion_values(indicator=indicator, role=ROLE, period="month", **window)
            wide = person_attribute_frame(criterion.index.tolist())
            kinds = factor_kinds()
            started = time.perf_counter()
            stats.build_profile(wide, kinds, criterion)
            pure.append(time.perf_counter() - started)
        selected = profile.factors.filter(selected=True).count()
        report = {
            "benchmark": "talent.success_profile_build",
            "database": connection.vendor,
            "database_url": url.rsplit("@", 1)[-1],
            "people": args.people,
            "factors": 30,
            "tests": profile.factors.count(),
            "candidates_scored": args.candidates,
            "runs": args.runs,
            "seconds_build_median": round(statistics.median(builds), 3),
            "seconds_build_max": round(max(builds), 3),
            "seconds_stats_only_median": round(statistics.median(pure), 3),
            "aim_seconds": 2.0,
            "within_aim": statistics.median(builds) < 2.0,
            "n_high": profile.n_high,
            "n_control": profile.n_control,
            "selected": selected,
            "auc": round(profile.auc, 3) if profile.auc is not None else None,
            "cv_auc": round(profile.cv_auc, 3) if profile.cv_auc is not None else None,
            "load_seconds": round(load_seconds, 1),
        }
    finally:
        _cleanup()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
