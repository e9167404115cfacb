"""The publishing ledger (seed 002): accounts, daily runs, signed packages, publications.

A Publication is one post to one account for one content slot of one day. Its key
is the *slot identity* ``(brand, account, date, slot)`` — not the PlanSlot row —
so regenerating a plan (a new version, new PlanSlot rows) maps onto the same
ledger rows and never publishes a slot twice.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from clarion.core import secrets
from clarion.core.platforms import Platform


class ChannelKind(models.TextChoices):
    OUTBOX = "outbox", "Outbox (local files)"
    MASTODON = "mastodon", "Mastodon API"


class ChannelAccount(models.Model):
    """Where a brand's posts for one network go; an outbox account is made on demand.

    Its access token is stored encrypted (``secret_token``); read and set it through ``token``.
    """

    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.CASCADE, related_name="channel_accounts"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    kind = models.CharField(max_length=16, choices=ChannelKind.choices, default=ChannelKind.OUTBOX)
    handle = models.CharField(max_length=200, blank=True)
    base_url = models.CharField(max_length=500, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    secret_token = secrets.SecretField(
        blank=True, help_text="The access token, encrypted (Fernet); empty when none is set."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["brand", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform"],
                condition=Q(is_active=True),
                name="one_active_account_per_brand_platform",
            )
        ]

    def __str__(self) -> str:
        return f"{self.brand_id}/{self.platform} ({self.kind})"

    @property
    def token(self) -> str:
        """The access token, decrypted ("" when none is set); SecretUnreadable if no key opens it."""
        return secrets.decrypt(self.secret_token) if self.secret_token else ""

    @token.setter
    def token(self, value: str) -> None:
        self.secret_token = secrets.encrypt(value) if value else ""

    @property
    def has_token(self) -> bool:
        return bool(self.secret_token)


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class RunTrigger(models.TextChoices):
    MANUAL = "manual", "By hand (CLI, API, demo)"
    SCHEDULE = "schedule", "The worker's daily schedule"
    RETRY = "retry", "Retry of failed publications"
    RETENTION = "retention", "The daily retention clean-up"


class DailyRun(models.Model):
    """One execution of the daily orchestrator; a scheduled run is unique per brand and day."""

    date = models.DateField(db_index=True)
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.CASCADE, null=True, blank=True, related_name="daily_runs"
    )
    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose run it is (empty: every workspace's brands, or the retention run).",
    )
    trigger = models.CharField(max_length=16, choices=RunTrigger.choices, default=RunTrigger.MANUAL)
    dry_run = models.BooleanField(default=False)
    platforms = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    ledger = models.JSONField(
        default=dict, blank=True, help_text="The states of the run's rows when it ended."
    )
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "date"],
                condition=Q(trigger="schedule"),
                name="one_scheduled_run_per_brand_day",
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(trigger="retention"),
                name="one_retention_run_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Daily run {self.date} ({'dry' if self.dry_run else self.trigger})"


class DailyContentPackage(models.Model):
    """What the orchestrator hands a channel agent, signed; the content the agent wrote."""

    run = models.ForeignKey(
        DailyRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="packages"
    )
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="packages")
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="packages"
    )
    network = models.CharField(max_length=16, choices=Platform.choices)
    date = models.DateField()
    slot = models.PositiveSmallIntegerField(default=0)
    payload = models.JSONField()
    signature = models.CharField(max_length=64)
    nonce = models.CharField(
        max_length=32, unique=True, null=True, blank=True, help_text="Also in the signed payload."
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a channel agent took it: a package is used once."
    )
    dry_run = models.BooleanField(default=False)
    content = models.TextField(blank=True)
    valid = models.BooleanField(default=False)
    check_failures = models.JSONField(default=list, blank=True)
    session = models.ForeignKey(
        "writing.IterationSession", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["date", "network"], name="package_date_network")]

    def __str__(self) -> str:
        return f"Package {self.date} {self.network} #{self.slot} for brand {self.brand_id}"


class PublicationState(models.TextChoices):
    PENDING = "pending", "Pending"
    CLAIMED = "claimed", "Claimed"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    NEEDS_ATTENTION = "needs_attention", "Outcome unknown"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"


class ErrorKind(models.TextChoices):
    """Why a row is not published (yet): decides what may happen to it next."""

    NONE = "", "No error"
    RETRYABLE = "retryable", "Retryable: deferred, tried again later"
    UNKNOWN_OUTCOME = "unknown_outcome", "The network may have it: reconcile first"
    PERMANENT = "permanent", "The network refused it"
    INVALID = "invalid", "The text failed the checks"
    REFUSED = "refused", "The package was refused"
    UNAPPROVED = "unapproved", "The reviewer did not approve it"
    REJECTED = "rejected", "A person rejected it"


class Publication(models.Model):
    """The ledger row of one slot: published at most once, whatever crashes or races happen."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="publications")
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.PROTECT, related_name="publications"
    )
    network = models.CharField(max_length=16, choices=Platform.choices)
    date = models.DateField()
    slot = models.PositiveSmallIntegerField(default=0)
    plan_slot = models.ForeignKey(
        "planning.PlanSlot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    package = models.ForeignKey(
        DailyContentPackage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    content = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        max_length=24, choices=PublicationState.choices, default=PublicationState.PENDING
    )
    claimed_by = models.CharField(max_length=64, blank=True)
    claim_token = models.CharField(
        max_length=32, blank=True, help_text="New on every claim: writes after a claim check it."
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(
        null=True, blank=True, help_text="Deferred (a rate limit, a retry): not claimed before."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    send_started_at = models.DateTimeField(
        null=True, blank=True, help_text="Set before the first send: from then on, reconcile first."
    )
    remote_id = models.CharField(max_length=200, blank=True)
    remote_url = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    error_kind = models.CharField(
        max_length=16, choices=ErrorKind.choices, blank=True, default=ErrorKind.NONE
    )
    first_error_at = models.DateTimeField(
        null=True, blank=True, help_text="Start of the retry window of a retryable failure."
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(
        max_length=200, blank=True, help_text='"reviewer", or the person who approved the text.'
    )
    scheduled_at = models.DateTimeField(help_text="The slot's time of day in the brand's timezone.")
    published_at = models.DateTimeField(null=True, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "brand", "network", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "account", "date", "slot"], name="one_publication_per_slot"
            )
        ]
        indexes = [
            models.Index(fields=["date", "state"], name="publication_date_state"),
            models.Index(fields=["state", "scheduled_at"], name="publication_due"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.network} #{self.slot} for brand {self.brand_id}: {self.state}"


class OutboxPost(models.Model):
    """A post the outbox channel "published": a row here and a JSON file on disk."""

    account = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="outbox")
    idempotency_key = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Outbox post {self.idempotency_key}"
