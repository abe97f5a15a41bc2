"""Org-unit tree with its closure table, people, login profiles, API tokens and job records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import JobKind, JobStatus, OrgUnitKind, PersonRole, TokenScope
from .model_bases import CreatedAt, Timestamped


class OrgUnit(Timestamped):
    """A company, business unit, region or team; one node of the org tree."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        permissions = [
            ("ingest_data", _("Can import data through the ingest API or upload page")),
            ("view_all_units", _("Can see every org unit regardless of profile scope")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OrgUnitClosure(models.Model):
    """One (ancestor, descendant) pair of the org tree, itself included at depth 0.

    Any roll-up over a subtree is one join: facts.org_unit = closure.descendant,
    grouped by closure.ancestor.
    """

    ancestor = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="descendant_links", verbose_name=_("ancestor")
    )
    descendant = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="ancestor_links", verbose_name=_("descendant")
    )
    depth = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="org_closure_unique_pair"),
        ]
        indexes = [models.Index(fields=["descendant", "ancestor"], name="org_closure_desc_idx")]

    def __str__(self) -> str:
        return f"{self.ancestor_id} -> {self.descendant_id} ({self.depth})"


class Person(models.Model):
    """An employee in the customer-acquisition chain (from the HRIS)."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True, default="")
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="people")
    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices)
    hire_date = models.DateField(_("hire date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)

    class Meta:
        ordering = ["external_id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["org_unit", "role"], name="org_person_unit_role_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=models.F("hire_date")),
                name="org_person_exit_after_hire",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"


class UserProfile(models.Model):
    """Links a login to a person and to the org unit whose subtree the login may see.

    Without an org unit, HR leads, integrators and superusers see every unit;
    other roles see nothing (fail closed).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    person = models.OneToOneField(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="profile"
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("visible org unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The login sees this unit and everything below it."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(models.Model):
    """An integrator's API key; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("First characters of the key, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user}, {self.scope})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Job(models.Model):
    """A background job (the recompute pipeline) with its progress, timings and outcome."""

    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    current_step = models.CharField(_("current step"), max_length=100, blank=True, default="")
    steps = models.JSONField(_("steps"), default=list, blank=True)
    params = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trigger = models.CharField(_("trigger"), max_length=16, default="api")
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        permissions = [("start_job", _("Can start a recompute job"))]
        constraints = [
            # The lock: at most one queued or running job of a kind at any time.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status__in=["queued", "running"]),
                name="org_job_one_active_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class OrgUnitStat(models.Model):
    """Precomputed head counts of a unit's whole subtree (nightly step `org_unit_stats`)."""

    org_unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="stat", verbose_name=_("org unit"))
    headcount = models.PositiveIntegerField(default=0)
    direct_headcount = models.PositiveIntegerField(default=0)
    unit_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("org unit statistic")
        verbose_name_plural = _("org unit statistics")

    def __str__(self) -> str:
        return f"{self.org_unit_id}: {self.headcount}"


class RecomputeMark(CreatedAt):
    """A note that computed figures of a calendar year are out of date (``year`` null: every year), and
    from which fact table (``source`` blank: any).

    Writes that change facts (ingest, services) leave marks; an incremental recompute redoes only
    the marked years and removes the marks it consumed, in the same transaction as its results.
    """

    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # The fact table whose rows changed (blank: unknown, any computed indicator may be stale).
    source = models.CharField(_("source table"), max_length=64, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("recompute mark")
        verbose_name_plural = _("recompute marks")

    def __str__(self) -> str:
        return f"{self.year or '*'} ({self.reason})"


class JobTask(models.Model):
    """One part of a fanned-out step of a job (e.g. one indicator of the indicator step), run by any worker.

    (job, step, key) is unique, so a redelivered or repeated part is recognised; ``worker`` names the
    worker that ran it.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("job"))
    step = models.CharField(_("step"), max_length=100)
    key = models.CharField(_("part"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    worker = models.CharField(_("worker"), max_length=200, blank=True, default="")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True, default="")

    class Meta:
        ordering = ["job", "step", "key"]
        verbose_name = _("job part")
        verbose_name_plural = _("job parts")
        constraints = [models.UniqueConstraint(fields=["job", "step", "key"], name="org_jobtask_once")]

    def __str__(self) -> str:
        return f"{self.job_id} {self.step}:{self.key} ({self.status})"


class ImportRecord(models.Model):
    """One upload of facts that was written (CSV, XLSX or a JSON body): its line in the audit trail.

    Written by the ingest service in the upload's own transaction, so an upload that is refused or only
    checked leaves none.
    """

    dataset = models.CharField(_("dataset"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("rows created"))
    updated = models.PositiveIntegerField(_("rows updated"))
    unchanged = models.PositiveIntegerField(_("rows unchanged"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("data import")
        verbose_name_plural = _("data imports")

    def __str__(self) -> str:
        return self.file_name or self.dataset
