"""Datasets of the performance app: the customer facts integrators push from CRM and finance."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.ingest import (
    Boolean,
    Choice,
    Dataset,
    Date,
    DecimalNumber,
    Integer,
    Month,
    Reference,
    Text,
    not_before,
    register_dataset,
)
from org.ingest.validation import Batch
from org.marks import track_dataset, years_of

from .choices import ContractKind, IndicatorSource, OpportunityStatus, PeriodKind, Segment
from .models import (
    AcquisitionCost,
    Contract,
    Customer,
    Indicator,
    Lead,
    ManualIndicatorValue,
    NpsResponse,
    Opportunity,
    Usage,
)
from .services import period_floor


def _closed_needs_date(batch: Batch) -> None:
    """A won or lost opportunity has a closing date; an open one has none."""
    for index, (status, closed_on) in enumerate(zip(batch.values["status"], batch.values["closed_on"], strict=True)):
        if status in (OpportunityStatus.WON, OpportunityStatus.LOST) and closed_on is None:
            batch.error(index, "closed_on", _("A won or lost opportunity needs closed_on."))
        elif status == OpportunityStatus.OPEN and closed_on is not None:
            batch.error(index, "closed_on", _("An open opportunity has no closed_on."))


def _renews_only_renewals(batch: Batch) -> None:
    """Only a renewal contract renews another one."""
    for index, (kind, renews) in enumerate(zip(batch.values["kind"], batch.keys["renews"], strict=True)):
        if renews and kind != ContractKind.RENEWAL:
            batch.error(index, "renews", _("Only a contract of kind renewal can renew another contract."))
        if renews and renews == batch.values["external_id"][index]:
            batch.error(index, "renews", _("A contract cannot renew itself."))


def _manual_indicators_only(batch: Batch) -> None:
    """Values can be ingested for hand-entered indicators only, on the first day of their period."""
    sources = dict(
        Indicator.objects.filter(pk__in={i for i in batch.values["indicator"] if i is not None}).values_list(
            "pk", "source"
        )
    )
    for index, (indicator, period, start) in enumerate(
        zip(batch.values["indicator"], batch.values["period"], batch.values["period_start"], strict=True)
    ):
        if indicator is not None and sources.get(indicator) != IndicatorSource.MANUAL:
            batch.error(
                index, "indicator", _("This indicator is computed from the facts; its values cannot be ingested.")
            )
        if period and start is not None and period_floor(start, period) != start:
            batch.error(index, "period_start", _("A %(period)s starts on its first day.") % {"period": period})


register_dataset(
    Dataset(
        "customers",
        Customer,
        fields=[
            Text("external_id"),
            Text("name"),
            Choice("segment", choices=Segment),
            Text("industry"),
            Reference("org_unit", by="code"),
            Reference("owner", by="external_id"),
            Date("acquired_on", fact=True),
            Date("churned_on", fact=True),
        ],
        label=gettext_lazy("Customers"),
        description=gettext_lazy("Customer accounts with the dates they were acquired and, if so, churned."),
        checks=[not_before("churned_on", "acquired_on")],
    )
)

register_dataset(
    Dataset(
        "leads",
        Lead,
        fields=[
            Text("external_id"),
            Reference("org_unit", by="code"),
            Reference("owner", by="external_id"),
            Date("created_on", fact=True),
            Text("source"),
            Boolean("is_qualified"),
            Date("converted_on", fact=True),
        ],
        label=gettext_lazy("Leads"),
        description=gettext_lazy(
            "Marketing and sales leads; qualified leads with a conversion date count as converted."
        ),
        checks=[not_before("converted_on", "created_on")],
    )
)

register_dataset(
    Dataset(
        "opportunities",
        Opportunity,
        fields=[
            Text("external_id"),
            Reference("customer", by="external_id"),
            Reference("org_unit", by="code"),
            Reference("owner", by="external_id"),
            Date("created_on", fact=True),
            Date("closed_on", fact=True),
            Choice("status", choices=OpportunityStatus),
            DecimalNumber("amount", min_value=0),
            Boolean("is_key_account"),
        ],
        label=gettext_lazy("Opportunities"),
        description=gettext_lazy("Sales opportunities; won and lost ones carry their closing date."),
        checks=[not_before("closed_on", "created_on"), _closed_needs_date],
    )
)

register_dataset(
    Dataset(
        "contracts",
        Contract,
        fields=[
            Text("external_id"),
            Reference("customer", by="external_id"),
            Reference("org_unit", by="code"),
            Reference("owner", by="external_id"),
            Choice("kind", choices=ContractKind),
            Date("signed_on", fact=True),
            Date("start_on"),  # a contract may start and end years ahead
            Date("end_on"),
            DecimalNumber("value", min_value=0),
            DecimalNumber("gross_margin"),
            Reference(
                "renews",
                by="external_id",
                help_text=gettext_lazy(
                    "External id of the contract this renewal renews; it may be in the same upload."
                ),
            ),
        ],
        label=gettext_lazy("Contracts"),
        description=gettext_lazy("Signed contracts: new business, renewals (linked by renews), upsell and cross-sell."),
        checks=[not_before("end_on", "start_on"), _renews_only_renewals],
    )
)

register_dataset(
    Dataset(
        "nps-responses",
        NpsResponse,
        fields=[
            Text("external_id"),
            Reference("customer", by="external_id"),
            Date("responded_on", fact=True),
            Integer("score", min_value=0, max_value=10),
        ],
        label=gettext_lazy("NPS responses"),
        description=gettext_lazy("Answers to the net-promoter question, 0 to 10."),
    )
)

register_dataset(
    Dataset(
        "usage",
        Usage,
        key=("customer", "month"),
        fields=[
            Reference("customer", by="external_id"),
            Month("month", fact=True),
            DecimalNumber("active_ratio", min_value=0, max_value=1),
        ],
        label=gettext_lazy("Product usage"),
        description=gettext_lazy("Monthly share of a customer's seats or users that were active (0 to 1)."),
    )
)

register_dataset(
    Dataset(
        "acquisition-costs",
        AcquisitionCost,
        key=("org_unit", "month"),
        fields=[Reference("org_unit", by="code"), Month("month", fact=True), DecimalNumber("amount", min_value=0)],
        label=gettext_lazy("Acquisition costs"),
        description=gettext_lazy("Sales and marketing spend per unit and month, for CAC and LTV/CAC (optional)."),
    )
)

register_dataset(
    Dataset(
        "indicator-values",
        ManualIndicatorValue,
        key=("indicator", "org_unit", "period", "period_start"),
        fields=[
            Reference("indicator", by="code"),
            Reference("org_unit", by="code"),
            Choice("period", choices=PeriodKind),
            Date("period_start", fact=True),
            DecimalNumber("value"),
            Text("note"),
        ],
        label=gettext_lazy("Values of your own indicators"),
        description=gettext_lazy("Values of hand-entered indicators per org unit and period (the period's first day)."),
        checks=[_manual_indicators_only],
    )
)


def _renewed_contract_years(batch: Batch) -> set[int]:
    """A renewal changes renewal_rate for the year the renewed contract ends in."""
    renewed = {pk for pk in batch.values.get("renews", []) if pk is not None}
    return years_of(Contract.objects.filter(pk__in=renewed).values_list("end_on", flat=True)) if renewed else set()


# Recompute marks (org.marks): the years an upload makes stale. A customer moving unit or owner moves every
# customer-based fact of every year; opportunities, leads and contracts only touch the years of their dates.
track_dataset("customers", dates=("acquired_on", "churned_on"), moves=("org_unit", "owner"), to_present=True)
track_dataset("leads", dates=("created_on", "converted_on"))
track_dataset("opportunities", dates=("created_on", "closed_on"))
track_dataset("contracts", dates=("signed_on", "start_on", "end_on"), related=_renewed_contract_years)
track_dataset("nps-responses", dates=("responded_on",))
track_dataset("usage", dates=("month",))
track_dataset("indicator-values", dates=("period_start",))
