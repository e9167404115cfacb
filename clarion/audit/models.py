"""The audit log: who did what, when, from where.

One row per thing a person (or a process acting for one) did: a sign-in, an
approval, a regeneration, a daily run started by hand, a token or member change.
Automatic publications are not here: the ledger holds those. Rows are kept past
retention (``clarion.publishing.retention`` never touches them).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from clarion.accounts.models import Workspace


class Via(models.TextChoices):
    """The interface an action came through."""

    WEB = "web", "web"
    API_TOKEN = "api_token", "API token"
    CLI = "cli", "command line"
    WORKER = "worker", "worker"
    OTHER = "other", "other"  # code run outside every interface (a shell, a script)


class AuditEvent(models.Model):
    workspace = models.ForeignKey(
        Workspace,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        help_text="Empty for installation-wide events (a sign-in).",
    )
    actor_email = models.CharField(max_length=254, blank=True)
    via = models.CharField(max_length=16, choices=Via.choices)
    token_prefix = models.CharField(max_length=16, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "created_at"], name="audit_workspace_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email or self.via} {self.action}"
