"""Enumerations of the org app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    COMPANY = "company", _("Company")
    BUSINESS_UNIT = "business_unit", _("Business unit")
    REGION = "region", _("Region")
    TEAM = "team", _("Team")


# A parent must sit strictly higher in this order than its child (teams are leaves).
KIND_LEVEL = {
    OrgUnitKind.COMPANY: 0,
    OrgUnitKind.BUSINESS_UNIT: 1,
    OrgUnitKind.REGION: 2,
    OrgUnitKind.TEAM: 3,
}


class PersonRole(models.TextChoices):
    SALES_REP = "sales_rep", _("Sales representative")
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    SOLUTION_CONSULTANT = "solution_consultant", _("Solution consultant")
    PRESALES = "presales", _("Presales")
    CUSTOMER_SUCCESS = "customer_success", _("Customer success")
    MARKETING = "marketing", _("Marketing")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """Login roles; each is a Django group of the same name."""

    HR_LEAD = "hr_lead", _("HR lead")
    PROGRAM_MEMBER = "program_member", _("Program member")
    MANAGER = "manager", _("Manager")
    INTEGRATOR = "integrator", _("Integrator")


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Write")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobKind(models.TextChoices):
    RECOMPUTE = "recompute", _("Recompute")
