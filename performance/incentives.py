"""Incentive simulation: who is paid what for a period, every line explained.

Individual part, per new contract a person signs in the period:
    bonus = value × commission_rate
    paid now = bonus × (1 - deferred_share); held back = bonus × deferred_share,
    due ``deferral_months`` after signing.
Release, per held-back part due in the period (and not after today):
    the contract was renewed by the due date                 -> 100 % released
    else the customer churned by the due date                -> 0 % released (forfeited)
    else upsell / cross-sell signed since the contract       -> released in proportion to their value
                                                                 (capped at 100 %)
Team part, per team rule: amount × attainment of the shared indicator for the unit
(value / target, or target / value where lower is better), capped at 150 %.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import OrgUnit, OrgUnitClosure, Person
from org.ui.dates import day_text
from org.ui.formatting import CENTS, format_money, format_percent, format_value

from .choices import Direction, PeriodKind
from .models import Contract, IncentivePlan, IndicatorValue

CENT = Decimal("0.01")
TEAM_CAP = Decimal("1.5")
MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class PayoutLine:
    kind: str  # immediate | held_back | released | forfeited | pending | team
    amount: Decimal
    explanation: str
    contract: str | None = None
    customer: str | None = None


@dataclass
class PersonPayout:
    person: Person
    lines: list[PayoutLine] = field(default_factory=list)

    def total(self, *kinds: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind in kinds), Decimal("0"))

    @property
    def paid(self) -> Decimal:
        return self.total("immediate", "released", "team")

    @property
    def held_back(self) -> Decimal:
        return self.total("held_back")

    @property
    def forfeited(self) -> Decimal:
        return self.total("forfeited")


def _scope_people(plan: IncentivePlan, org_unit: OrgUnit) -> list[Person]:
    roles = set(plan.roles) | {rule.role for rule in plan.team_rules.all()}
    people = Person.objects.filter(
        role__in=roles, org_unit__in=OrgUnitClosure.objects.filter(ancestor=org_unit).values("descendant_id")
    )
    if plan.org_unit_id:
        people = people.filter(
            org_unit__in=OrgUnitClosure.objects.filter(ancestor_id=plan.org_unit_id).values("descendant_id")
        )
    return list(people.select_related("org_unit").order_by("name"))


def incentive_simulate(
    *, plan: IncentivePlan, org_unit: OrgUnit, period_start: dt.date, today: dt.date | None = None
) -> list[PersonPayout]:
    """Payouts of every person of the plan in the unit's subtree for one period."""
    today = today or timezone.localdate()
    period_end = add_months(period_start, MONTHS[PeriodKind(plan.period)])
    rate = plan.commission_rate / 100
    deferred = plan.deferred_share / 100
    people = _scope_people(plan, org_unit)
    payouts = {person.pk: PersonPayout(person=person) for person in people}
    sellers = [person.pk for person in people if person.role in plan.roles]

    # 1. New contracts signed in the period: paid now and held back.
    for contract in Contract.objects.filter(
        kind="new", owner_id__in=sellers, signed_on__gte=period_start, signed_on__lt=period_end
    ).select_related("customer"):
        bonus = contract.value * rate
        due = add_months(contract.signed_on, plan.deferral_months)
        facts = {
            "contract": contract.external_id,
            "value": format_money(contract.value, decimals=CENTS),
            "rate": format_percent(plan.commission_rate, entered=True),
        }
        payouts[contract.owner_id].lines += [
            PayoutLine(
                "immediate",
                _money(bonus * (1 - deferred)),
                _("%(contract)s: %(rate)s of new contract value %(value)s, the part paid now.") % facts,
                contract.external_id,
                contract.customer.external_id,
            ),
            PayoutLine(
                "held_back",
                _money(bonus * deferred),
                _("%(contract)s: deferred part held back until %(due)s, released as the customer renews or expands.")
                % {**facts, "due": day_text(due)},
                contract.external_id,
                contract.customer.external_id,
            ),
        ]

    # 2. Deferred parts that fall due in the period.
    signed_from = add_months(period_start, -plan.deferral_months) - dt.timedelta(days=3)
    signed_to = add_months(period_end, -plan.deferral_months) + dt.timedelta(days=3)
    maturing = [
        contract
        for contract in Contract.objects.filter(
            kind="new", owner_id__in=sellers, signed_on__gte=signed_from, signed_on__lt=signed_to
        ).select_related("customer")
        if period_start <= add_months(contract.signed_on, plan.deferral_months) < period_end
    ]
    renewed_on = dict(
        Contract.objects.filter(renews__in=[c.pk for c in maturing]).values_list("renews_id", "signed_on")
    )
    expansions = defaultdict(list)
    for customer_id, signed_on, value in Contract.objects.filter(
        customer_id__in={c.customer_id for c in maturing}, kind__in=["upsell", "cross_sell"]
    ).values_list("customer_id", "signed_on", "value"):
        expansions[customer_id].append((signed_on, value))
    for contract in maturing:
        due = add_months(contract.signed_on, plan.deferral_months)
        held = _money(contract.value * rate * deferred)
        lines = payouts[contract.owner_id].lines
        facts = {"contract": contract.external_id, "due": day_text(due), "held": format_money(held, decimals=CENTS)}
        if due > today:
            lines.append(
                PayoutLine(
                    "pending",
                    held,
                    _("%(contract)s: %(held)s held back, due %(due)s (not yet).") % facts,
                    contract.external_id,
                    contract.customer.external_id,
                )
            )
            continue
        renewal = renewed_on.get(contract.pk)
        churned = contract.customer.churned_on
        if renewal is not None and renewal <= due:
            fraction = Decimal("1")
            reason = _("renewed on %(date)s") % {"date": day_text(renewal)}
        elif churned is not None and churned <= due:
            fraction = Decimal("0")
            reason = _("the customer churned on %(date)s, before the deferral ended") % {"date": day_text(churned)}
        else:
            grown = sum(
                (
                    value
                    for signed_on, value in expansions[contract.customer_id]
                    if contract.signed_on < signed_on <= due
                ),
                Decimal("0"),
            )
            fraction = min(Decimal("1"), grown / contract.value) if contract.value else Decimal("0")
            reason = _("not renewed by then; upsell and cross-sell of %(grown)s against a contract of %(value)s") % {
                "grown": format_money(grown, decimals=CENTS),
                "value": format_money(contract.value, decimals=CENTS),
            }
        released = _money(held * fraction)
        facts["reason"] = reason
        lines.append(
            PayoutLine(
                "released",
                released,
                _("%(contract)s: deferred part released: %(reason)s.") % facts,
                contract.external_id,
                contract.customer.external_id,
            )
        )
        if held - released:
            lines.append(
                PayoutLine(
                    "forfeited",
                    held - released,
                    _("%(contract)s: deferred part not released: %(reason)s.") % facts,
                    contract.external_id,
                    contract.customer.external_id,
                )
            )

    # 3. Team incentives on shared indicators of the unit.
    rules = list(plan.team_rules.select_related("indicator"))
    values = dict(
        IndicatorValue.objects.filter(
            org_unit=org_unit,
            indicator__in=[rule.indicator_id for rule in rules],
            period=plan.period,
            period_start=period_start,
        ).values_list("indicator_id", "value")
    )
    for rule in rules:
        actual = values.get(rule.indicator_id)
        for person in people:
            if person.role != rule.role:
                continue
            if actual is None:
                amount, text = Decimal("0"), _("%(indicator)s of %(unit)s has no value for the period: nothing paid.")
            else:
                ratio = (
                    (rule.target / actual if actual else TEAM_CAP)
                    if rule.indicator.direction == Direction.LOWER
                    else (actual / rule.target)
                )
                ratio = max(Decimal("0"), min(TEAM_CAP, ratio))
                amount = _money(rule.amount * ratio)
                text = _(
                    "%(indicator)s of %(unit)s is %(actual)s against a target of %(target)s: %(ratio)s of %(base)s."
                )
            payouts[person.pk].lines.append(
                PayoutLine(
                    "team",
                    amount,
                    text
                    % {
                        "indicator": rule.indicator.name,
                        "unit": org_unit.name,
                        "actual": format_value(actual, rule.indicator.unit),
                        "target": format_value(rule.target, rule.indicator.unit),
                        "ratio": None if actual is None else format_percent(ratio * 100),
                        "base": format_money(rule.amount, decimals=CENTS),
                    },
                )
            )
    return list(payouts.values())


def plan_totals(payouts: list[PersonPayout]) -> dict[str, Decimal]:
    return {
        "paid": sum((p.paid for p in payouts), Decimal("0")),
        "held_back": sum((p.held_back for p in payouts), Decimal("0")),
        "forfeited": sum((p.forfeited for p in payouts), Decimal("0")),
    }
