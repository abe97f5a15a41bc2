"""Enumerations of the performance app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    MID_MARKET = "mid_market", _("Mid-market")
    SMB = "smb", _("Small business")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class ContractKind(models.TextChoices):
    NEW = "new", _("New")
    RENEWAL = "renewal", _("Renewal")
    UPSELL = "upsell", _("Upsell")
    CROSS_SELL = "cross_sell", _("Cross-sell")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class IndicatorCategory(models.TextChoices):
    """The five categories of the seed's Table 2."""

    ACQUISITION_EFFICIENCY = "acquisition_efficiency", _("Acquisition efficiency")
    DEAL_QUALITY = "deal_quality", _("Deal quality")
    CUSTOMER_HEALTH = "customer_health", _("Customer health")
    LONG_TERM_VALUE = "long_term_value", _("Long-term value")
    ORGANIZATIONAL_CONTRIBUTION = "organizational_contribution", _("Organizational contribution")


class IndicatorUnit(models.TextChoices):
    PERCENT = "percent", _("%")
    DAYS = "days", _("days")
    MONEY = "money", _("money")
    SCORE = "score", _("score")
    COUNT = "count", _("count")
    HOURS = "hours", _("hours")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndicatorTiming(models.TextChoices):
    LEADING = "leading", _("Leading")
    LAGGING = "lagging", _("Lagging")


class IndicatorSource(models.TextChoices):
    BUILTIN = "builtin", _("Built-in formula")
    MANUAL = "manual", _("Entered or ingested")


class TeamFunction(models.TextChoices):
    """Departments represented on a customer project team."""

    SALES = "sales", _("Sales")
    PRESALES = "presales", _("Presales")
    DELIVERY = "delivery", _("Delivery")
    CUSTOMER_SUCCESS = "customer_success", _("Customer success")
    PRODUCT = "product", _("Product")
    MARKETING = "marketing", _("Marketing")
    OTHER = "other", _("Other")
