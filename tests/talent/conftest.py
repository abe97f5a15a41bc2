"""Fixtures of the talent tests: English messages and a builder of people whose performance follows known factors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.utils import timezone

from org.choices import PersonRole
from org.models import Person
from performance.models import Indicator, IndicatorValue
from talent.models import Candidate, CandidateAttribute, Factor, PersonAttribute

CRITERION = "average_contract_value"
MONTH = dt.date(2025, 1, 1)


def make_factors(kinds: dict[str, str]) -> dict[str, Factor]:
    return {
        code: Factor.objects.create(code=code, name=f"Factor {code}", kind=kind, source="assessment")
        for code, kind in kinds.items()
    }


def make_people(unit, n: int, *, role: str = PersonRole.SALES_REP, prefix: str = "S") -> list[Person]:
    Person.objects.bulk_create(
        [
            Person(
                external_id=f"{prefix}{i:04d}",
                name=f"Rep {i}",
                org_unit=unit,
                role=role,
                hire_date=dt.date(2023, 1, 1),
            )
            for i in range(n)
        ]
    )
    return list(Person.objects.filter(external_id__startswith=prefix, role=role).order_by("external_id"))


def set_criterion(people: list[Person], values, *, code: str = CRITERION, month: dt.date = MONTH) -> None:
    """One person value per person for one month (numerator = value, denominator = 1)."""
    indicator = Indicator.objects.get(code=code)
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                indicator=indicator,
                person=person,
                period="month",
                period_start=month,
                numerator=Decimal(str(round(float(value), 4))),
                denominator=Decimal(1),
                value=Decimal(str(round(float(value), 4))),
                computed_at=now,
            )
            for person, value in zip(people, values, strict=True)
        ]
    )


def text_of(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    return format(Decimal(str(round(float(value), 6))).normalize(), "f")


def set_attributes(subjects, factors: dict[str, Factor], columns: dict[str, list]) -> None:
    """Attribute rows for people or candidates: columns[factor code][i] is subject i's value (None = missing)."""
    is_candidate = subjects and isinstance(subjects[0], Candidate)
    model = CandidateAttribute if is_candidate else PersonAttribute
    owner = "candidate" if is_candidate else "person"
    rows = [
        model(**{owner: subject}, factor=factors[code], value=text_of(values[i]))
        for code, values in columns.items()
        for i, subject in enumerate(subjects)
        if values[i] is not None
    ]
    model.objects.bulk_create(rows, batch_size=5000)


def signal_data(seed: int, n: int = 600):
    """People whose performance depends on numeric n0, n1, n2 and yes/no b0 (of 12 numeric and 2 yes/no factors).

    Returns (columns, performance, generating linear predictor).
    """
    rng = np.random.default_rng(seed)
    numeric = rng.normal(size=(n, 12))
    flags = rng.random((n, 2)) < 0.4
    linear = 0.6 * numeric[:, 0] + 0.5 * numeric[:, 1] + 0.45 * numeric[:, 2] + 0.9 * flags[:, 0]
    performance = linear + rng.normal(size=n)
    columns = {f"n{j}": list(numeric[:, j]) for j in range(12)}
    columns.update({f"b{j}": list(flags[:, j]) for j in range(2)})
    return columns, performance, linear


SIGNAL_KINDS = {**{f"n{j}": "numeric" for j in range(12)}, "b0": "boolean", "b1": "boolean"}
